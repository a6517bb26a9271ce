//! Wrong API keys counted per client address: after [`Throttle::LIMIT`] within
//! [`Throttle::WINDOW`] the address is answered 429 until the window has passed, so keys cannot
//! be guessed at network speed. Per process and in memory: an attacker spreading over many
//! processes gets that many times the rate, still far below guessing a 40-character key.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses remembered at most; beyond, expired windows are dropped first.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Default)]
pub struct Throttle {
    seen: Mutex<HashMap<IpAddr, Window>>,
}

#[derive(Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

impl Throttle {
    pub const LIMIT: u32 = 20;
    pub const WINDOW: Duration = Duration::from_secs(60);

    /// How long `ip` must wait, when it has used up its wrong attempts.
    pub fn blocked(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let w = seen.get(&ip)?;
        let elapsed = now.saturating_duration_since(w.started);
        (w.failures >= Self::LIMIT && elapsed < Self::WINDOW).then(|| Self::WINDOW - elapsed)
    }

    /// Counts a wrong key from `ip`; the failures in its current window.
    pub fn failed(&self, ip: IpAddr, now: Instant) -> u32 {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_ADDRESSES {
            seen.retain(|_, w| now.saturating_duration_since(w.started) < Self::WINDOW);
        }
        let w = seen.entry(ip).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.saturating_duration_since(w.started) >= Self::WINDOW {
            *w = Window {
                started: now,
                failures: 0,
            };
        }
        w.failures += 1;
        w.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_the_limit_until_its_window_passes() {
        let t = Throttle::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start = Instant::now();
        for n in 1..=Throttle::LIMIT {
            assert_eq!(t.blocked(a, start), None);
            assert_eq!(t.failed(a, start), n);
        }
        assert!(t.blocked(a, start).is_some());
        assert_eq!(t.blocked(b, start), None, "another address is not affected");
        assert_eq!(t.blocked(a, start + Throttle::WINDOW), None);
        assert_eq!(t.failed(a, start + Throttle::WINDOW), 1, "a new window");
    }
}

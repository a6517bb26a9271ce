//! Wrong API keys counted per client address: after [`Throttle::LIMIT`] within
//! [`Throttle::WINDOW`] the address is answered 429 until the window has passed, so keys cannot
//! be guessed at network speed. Per process and in memory: an attacker spreading over many
//! processes gets that many times the rate, still far below guessing a 40-character key.
//!
//! The same counter, keyed by what it is given, limits Sync Health sign-ins per email and per
//! address ([`Throttle::with_limit`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses remembered at most; beyond, expired windows are dropped first.
const MAX_ADDRESSES: usize = 100_000;

/// Failures counted per key (an address by default).
pub struct Throttle<K = IpAddr> {
    seen: Mutex<HashMap<K, Window>>,
    limit: u32,
    window: Duration,
}

impl<K> Default for Throttle<K> {
    fn default() -> Self {
        Self::with_limit(Throttle::LIMIT, Throttle::WINDOW)
    }
}

#[derive(Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

impl Throttle {
    /// Wrong API keys an address may send per window.
    pub const LIMIT: u32 = 20;
    pub const WINDOW: Duration = Duration::from_secs(60);
}

impl<K> Throttle<K> {
    /// A throttle allowing `limit` failures per key within `window`.
    pub fn with_limit(limit: u32, window: Duration) -> Self {
        Self {
            seen: Mutex::new(HashMap::new()),
            limit,
            window,
        }
    }
}

impl<K: Hash + Eq> Throttle<K> {
    /// How long `key` must wait, when it has used up its wrong attempts.
    pub fn blocked(&self, key: &K, now: Instant) -> Option<Duration> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let w = seen.get(key)?;
        let elapsed = now.saturating_duration_since(w.started);
        (w.failures >= self.limit && elapsed < self.window).then(|| self.window - elapsed)
    }

    /// Counts a failure of `key`; the failures in its current window.
    pub fn failed(&self, key: K, now: Instant) -> u32 {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_ADDRESSES {
            let window = self.window;
            seen.retain(|_, w| now.saturating_duration_since(w.started) < window);
        }
        let w = seen.entry(key).or_insert(Window {
            started: now,
            failures: 0,
        });
        if now.saturating_duration_since(w.started) >= self.window {
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
        let t: Throttle = Throttle::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start = Instant::now();
        for n in 1..=Throttle::LIMIT {
            assert_eq!(t.blocked(&a, start), None);
            assert_eq!(t.failed(a, start), n);
        }
        assert!(t.blocked(&a, start).is_some());
        assert_eq!(
            t.blocked(&b, start),
            None,
            "another address is not affected"
        );
        assert_eq!(t.blocked(&a, start + Throttle::WINDOW), None);
        assert_eq!(t.failed(a, start + Throttle::WINDOW), 1, "a new window");
    }
}

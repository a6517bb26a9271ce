//! Per-connection rate limiting: a rolling minute window, a rolling day window and a cap on
//! calls in flight, plus a pause every caller honours after the platform answers 429. Time is
//! injected ([`Timer`]) so tests move it without sleeping.

use crate::error::PlatformError;
use crate::platform::PlatformLimits;
use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The clock and the sleeper, together so a fake sleeper can move the fake clock.
#[async_trait]
pub trait Timer: Send + Sync {
    fn now(&self) -> Timestamp;
    async fn sleep(&self, duration: Duration);
}

/// Wall clock and tokio's sleep.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemTimer;

#[async_trait]
impl Timer for SystemTimer {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A clock that only moves when slept on: every sleep returns at once after moving the clock
/// forward, and is recorded.
#[derive(Debug, Clone)]
pub struct ManualTimer {
    inner: Arc<Mutex<(Timestamp, Vec<Duration>)>>,
}

impl ManualTimer {
    pub fn new(start: Timestamp) -> Self {
        Self {
            inner: Arc::new(Mutex::new((start, Vec::new()))),
        }
    }
    pub fn advance(&self, by: Duration) {
        let mut g = self.inner.lock().expect("timer lock");
        g.0 += SignedDuration::try_from(by).expect("small duration");
    }
    /// Every sleep so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.inner.lock().expect("timer lock").1.clone()
    }
}

#[async_trait]
impl Timer for ManualTimer {
    fn now(&self) -> Timestamp {
        self.inner.lock().expect("timer lock").0
    }
    async fn sleep(&self, duration: Duration) {
        {
            let mut g = self.inner.lock().expect("timer lock");
            g.0 += SignedDuration::try_from(duration).expect("small duration");
            g.1.push(duration);
        }
        tokio::task::yield_now().await;
    }
}

#[derive(Debug, Default)]
struct Windows {
    minute: VecDeque<Timestamp>,
    day: VecDeque<Timestamp>,
    paused_until: Option<Timestamp>,
}

const MINUTE: SignedDuration = SignedDuration::from_secs(60);
const DAY: SignedDuration = SignedDuration::from_secs(86_400);

impl Windows {
    fn prune(&mut self, now: Timestamp) {
        while self.minute.front().is_some_and(|t| *t + MINUTE <= now) {
            self.minute.pop_front();
        }
        while self.day.front().is_some_and(|t| *t + DAY <= now) {
            self.day.pop_front();
        }
    }

    /// How long until a call may go out; `None` means now.
    fn wait(&self, now: Timestamp, limits: &PlatformLimits) -> Option<SignedDuration> {
        let mut until = self.paused_until.filter(|p| *p > now);
        if self.minute.len() >= limits.per_minute as usize {
            let free = self.minute[self.minute.len() - limits.per_minute as usize] + MINUTE;
            until = until.max(Some(free));
        }
        if let Some(per_day) = limits.per_day
            && self.day.len() >= per_day as usize
        {
            let free = self.day[self.day.len() - per_day as usize] + DAY;
            until = until.max(Some(free));
        }
        until.map(|u| u.duration_since(now))
    }
}

/// A slot for one call; dropping it frees the concurrency slot.
#[derive(Debug)]
pub struct Permit {
    _slot: OwnedSemaphorePermit,
}

/// One connection's limiter. Share one per connection (behind an `Arc`) across every task
/// that calls that connection's platform.
pub struct RateLimiter {
    limits: PlatformLimits,
    windows: Mutex<Windows>,
    slots: Arc<Semaphore>,
    timer: Arc<dyn Timer>,
    /// Waits longer than this are not slept through: the caller gets `RateLimited` and
    /// reschedules (a spent daily allowance can mean hours).
    max_wait: Duration,
}

impl RateLimiter {
    pub fn new(limits: PlatformLimits, timer: Arc<dyn Timer>) -> Self {
        Self {
            limits,
            windows: Mutex::new(Windows::default()),
            slots: Arc::new(Semaphore::new(limits.concurrent as usize)),
            timer,
            max_wait: Duration::from_secs(120),
        }
    }

    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    pub fn limits(&self) -> PlatformLimits {
        self.limits
    }

    /// Waits for a concurrency slot and room in both windows, then counts the call.
    pub async fn acquire(&self) -> Result<Permit, PlatformError> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        self.admit().await?;
        Ok(Permit { _slot: slot })
    }

    /// Waits for room in both windows and counts one call, for a second request made under a
    /// slot already held (the retry after a 401).
    pub async fn admit(&self) -> Result<(), PlatformError> {
        loop {
            let wait = {
                let mut w = self.windows.lock().expect("limiter lock");
                let now = self.timer.now();
                w.prune(now);
                match w.wait(now, &self.limits) {
                    None => {
                        w.minute.push_back(now);
                        w.day.push_back(now);
                        return Ok(());
                    }
                    Some(wait) => Duration::try_from(wait).unwrap_or_default(),
                }
            };
            if wait > self.max_wait {
                return Err(PlatformError::RateLimited { retry_after: wait });
            }
            self.timer.sleep(wait).await;
        }
    }

    /// The platform said 429: no call of this connection goes out before `retry_after` passes.
    pub fn pause(&self, retry_after: Duration) {
        let until = self.timer.now() + SignedDuration::try_from(retry_after).unwrap_or(MINUTE);
        let mut w = self.windows.lock().expect("limiter lock");
        w.paused_until = w.paused_until.max(Some(until));
    }

    /// Calls counted in the last minute and day (for metrics and tests).
    pub fn used(&self) -> (usize, usize) {
        let mut w = self.windows.lock().expect("limiter lock");
        w.prune(self.timer.now());
        (w.minute.len(), w.day.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_minute: u32, per_day: Option<u32>, concurrent: u32) -> PlatformLimits {
        PlatformLimits {
            per_minute,
            per_day,
            concurrent,
            idempotency_key_len: 128,
            reference_len: 255,
        }
    }

    fn start() -> Timestamp {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    #[tokio::test]
    async fn the_sixty_first_call_in_a_minute_waits_for_the_first_to_leave_the_window() {
        let timer = ManualTimer::new(start());
        let limiter = RateLimiter::new(limits(60, Some(5000), 5), Arc::new(timer.clone()));
        for i in 0..60 {
            drop(limiter.acquire().await.unwrap());
            timer.advance(Duration::from_millis(500 * (i % 2)));
        }
        assert!(timer.sleeps().is_empty());
        drop(limiter.acquire().await.unwrap());
        // The first call was at +0s; we are at +15s, so the wait is 45 s.
        assert_eq!(timer.sleeps(), vec![Duration::from_secs(45)]);
        // Both calls made at +0 s have left the window; the new one is counted.
        assert_eq!(limiter.used().0, 59);
    }

    #[tokio::test]
    async fn a_spent_day_is_not_slept_through() {
        let timer = ManualTimer::new(start());
        let limiter = RateLimiter::new(limits(1000, Some(3), 5), Arc::new(timer.clone()));
        for _ in 0..3 {
            drop(limiter.acquire().await.unwrap());
        }
        match limiter.acquire().await {
            Err(PlatformError::RateLimited { retry_after }) => {
                assert_eq!(retry_after, Duration::from_secs(86_400))
            }
            other => panic!("expected RateLimited, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_pause_holds_every_caller() {
        let timer = ManualTimer::new(start());
        let limiter = RateLimiter::new(limits(60, None, 5), Arc::new(timer.clone()));
        limiter.pause(Duration::from_secs(3));
        drop(limiter.acquire().await.unwrap());
        assert_eq!(timer.sleeps(), vec![Duration::from_secs(3)]);
    }

    #[tokio::test]
    async fn no_more_than_the_concurrency_cap_hold_permits() {
        let limiter = Arc::new(RateLimiter::new(
            limits(1000, None, 2),
            Arc::new(SystemTimer),
        ));
        let a = limiter.acquire().await.unwrap();
        let _b = limiter.acquire().await.unwrap();
        let third = {
            let l = limiter.clone();
            tokio::spawn(async move { l.acquire().await.map(drop) })
        };
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(!third.is_finished(), "a third caller must wait for a slot");
        drop(a);
        tokio::time::timeout(Duration::from_secs(1), third)
            .await
            .expect("freed slot lets it through")
            .unwrap()
            .unwrap();
    }
}

//! When to try a delivery again: exponential backoff with jitter, at least what the receiver's
//! `Retry-After` asks, and a last attempt after which the delivery is failed.

use jiff::{SignedDuration, Timestamp};

/// Retries of a delivery. The default makes 10 attempts over about a day: waits of 3 minutes
/// doubling each time up to 12 hours (3, 6, 12 … 384 minutes, then 12 h), each ±20 %.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; the delivery fails after the last.
    pub max_attempts: u32,
    /// The wait after the first failed attempt.
    pub first_delay: SignedDuration,
    /// The longest backoff wait.
    pub max_delay: SignedDuration,
    /// The longest `Retry-After` we honour (a receiver asking for a week gets this).
    pub max_retry_after: SignedDuration,
    /// Each wait is multiplied by a random factor in `1 ± jitter`, so endpoints that failed
    /// together (an outage) are not retried in one burst.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            first_delay: SignedDuration::from_mins(3),
            max_delay: SignedDuration::from_hours(12),
            max_retry_after: SignedDuration::from_hours(24),
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (from 1), before jitter.
    pub fn backoff(&self, attempt: u32) -> SignedDuration {
        let doublings = attempt.saturating_sub(1).min(30);
        let factor = 1_i32 << doublings;
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait after failed attempt `attempt`: the jittered backoff, or the receiver's
    /// `Retry-After` (capped) when that is longer. `unit` is a random number in [0, 1).
    pub fn delay(
        &self,
        attempt: u32,
        retry_after: Option<SignedDuration>,
        unit: f64,
    ) -> SignedDuration {
        let factor = 1.0 + self.jitter * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
        let backoff = self.backoff(attempt).mul_f64(factor.max(0.0));
        match retry_after {
            Some(asked) => backoff.max(asked.clamp(SignedDuration::ZERO, self.max_retry_after)),
            None => backoff,
        }
    }

    /// Whether a failed attempt `attempt` leaves any to make.
    pub fn may_retry(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }
}

/// A `Retry-After` header's wait: delay-seconds, or an HTTP-date (IMF-fixdate) taken from `now`.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<SignedDuration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(SignedDuration::from_secs(i64::from(seconds)));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    Some(now.duration_until(at).max(SignedDuration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_doubles_from_three_minutes_to_twelve_hours_over_about_a_day() {
        let policy = RetryPolicy::default();
        let minutes: Vec<i64> = (1..10).map(|a| policy.backoff(a).as_mins()).collect();
        assert_eq!(minutes, [3, 6, 12, 24, 48, 96, 192, 384, 720]);
        let total: i64 = minutes.iter().sum();
        assert!((20 * 60..=28 * 60).contains(&total), "{total} minutes");
        assert_eq!(policy.backoff(500), SignedDuration::from_hours(12));
        assert!(policy.may_retry(9));
        assert!(!policy.may_retry(10));
    }

    #[test]
    fn jitter_stays_within_its_band() {
        let policy = RetryPolicy::default();
        let base = policy.backoff(2).as_secs_f64();
        let low = policy.delay(2, None, 0.0).as_secs_f64();
        let high = policy.delay(2, None, 0.999_999).as_secs_f64();
        assert!((low - base * 0.8).abs() < 1e-6, "{low}");
        assert!((high - base * 1.2).abs() < 1e-3, "{high}");
        assert_eq!(policy.delay(2, None, 0.5), policy.backoff(2));
    }

    #[test]
    fn retry_after_is_honoured_when_longer_and_capped() {
        let policy = RetryPolicy::default();
        let hour = SignedDuration::from_hours(1);
        assert_eq!(policy.delay(1, Some(hour), 0.5), hour);
        assert_eq!(
            policy.delay(1, Some(SignedDuration::from_secs(5)), 0.5),
            policy.backoff(1),
            "a shorter Retry-After does not hurry us"
        );
        assert_eq!(
            policy.delay(1, Some(SignedDuration::from_hours(24 * 7)), 0.5),
            SignedDuration::from_hours(24)
        );
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now: Timestamp = "2026-11-26T18:00:00Z".parse().unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(SignedDuration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Thu, 26 Nov 2026 18:10:00 GMT", now),
            Some(SignedDuration::from_mins(10))
        );
        assert_eq!(
            parse_retry_after("Thu, 26 Nov 2026 17:00:00 GMT", now),
            Some(SignedDuration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}

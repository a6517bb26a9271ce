//! Per-tenant rate limits as the platforms publish them: calls per rolling minute, calls per
//! (UTC) day, and requests in flight at once.

use jiff::{Timestamp, tz::TimeZone};
use std::collections::VecDeque;

/// One platform's published limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_minute: u32,
    pub concurrent: usize,
    pub per_day: Option<u32>,
}

/// Which limit a call broke and how long to wait, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Minute { retry_after: u64 },
    Day { retry_after: u64 },
    Concurrent,
}

impl Limited {
    pub fn retry_after(&self) -> u64 {
        match self {
            Limited::Minute { retry_after } | Limited::Day { retry_after } => *retry_after,
            Limited::Concurrent => 1,
        }
    }

    /// The value Xero puts in `X-Rate-Limit-Problem`.
    pub fn problem(&self) -> &'static str {
        match self {
            Limited::Minute { .. } => "minute",
            Limited::Day { .. } => "day",
            Limited::Concurrent => "concurrent",
        }
    }
}

/// What is left after an admitted call (for `X-MinLimit-Remaining` / `X-DayLimit-Remaining`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    pub minute: u32,
    pub day: Option<u32>,
}

/// Counts admitted calls; refused calls are not counted.
#[derive(Debug, Default)]
pub struct Limiter {
    minute: VecDeque<Timestamp>,
    day: Option<(jiff::civil::Date, u32)>,
}

impl Limiter {
    pub fn admit(&mut self, now: Timestamp, limits: Limits) -> Result<Remaining, Limited> {
        let window_start = now - jiff::SignedDuration::from_secs(60);
        while self.minute.front().is_some_and(|t| *t <= window_start) {
            self.minute.pop_front();
        }
        let today = now.to_zoned(TimeZone::UTC).date();
        let used_today = match self.day {
            Some((d, n)) if d == today => n,
            _ => 0,
        };
        if let Some(per_day) = limits.per_day
            && used_today >= per_day
        {
            let midnight = today
                .tomorrow()
                .ok()
                .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
                .map(|z| z.timestamp())
                .unwrap_or(now);
            let secs = midnight.duration_since(now).as_secs().max(1) as u64;
            return Err(Limited::Day { retry_after: secs });
        }
        if self.minute.len() as u32 >= limits.per_minute {
            let oldest = self.minute.front().copied().unwrap_or(now);
            let wait = (oldest + jiff::SignedDuration::from_secs(60)).duration_since(now);
            let secs = (wait.as_millis() as u64).div_ceil(1000).max(1);
            return Err(Limited::Minute { retry_after: secs });
        }
        self.minute.push_back(now);
        self.day = Some((today, used_today + 1));
        Ok(Remaining {
            minute: limits.per_minute - self.minute.len() as u32,
            day: limits.per_day.map(|d| d - used_today - 1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        per_minute: 60,
        concurrent: 5,
        per_day: Some(5000),
    };

    #[test]
    fn minute_window_rolls() {
        let mut l = Limiter::default();
        let t0: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        for i in 0..60 {
            l.admit(t0 + jiff::SignedDuration::from_millis(i * 100), L)
                .unwrap();
        }
        let refused = l.admit(t0 + jiff::SignedDuration::from_secs(10), L);
        assert_eq!(refused, Err(Limited::Minute { retry_after: 50 }));
        assert!(l.admit(t0 + jiff::SignedDuration::from_secs(61), L).is_ok());
    }

    #[test]
    fn day_limit_resets_at_utc_midnight() {
        let mut l = Limiter::default();
        let t0: Timestamp = "2026-11-26T22:00:00Z".parse().unwrap();
        for i in 0..5000 {
            // One a second so the minute limit never bites.
            l.admit(t0 + jiff::SignedDuration::from_secs(i), L).unwrap();
        }
        let late: Timestamp = "2026-11-26T23:59:00Z".parse().unwrap();
        assert_eq!(l.admit(late, L), Err(Limited::Day { retry_after: 60 }));
        let next_day: Timestamp = "2026-11-27T00:00:01Z".parse().unwrap();
        assert_eq!(l.admit(next_day, L).unwrap().day, Some(4999));
    }
}

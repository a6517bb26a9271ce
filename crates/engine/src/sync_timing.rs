//! Where one sync's time went, for its closing log line: support and operators see how long
//! a sync took and whether mapping, storing the plan or writing to the books dominated,
//! without a profiler.

use std::time::{Duration, Instant};

/// The phases of a run that are timed; the rest (pre-run checks, the final status write)
/// is what the total holds beyond their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading reference data and the period's records, and mapping them into documents.
    Mapping,
    /// Storing the plan (the push items and the posted-record changes).
    Planning,
    /// Writing the push items to the accounting platform.
    Writing,
}

/// The time of each phase of one run, and the documents it wrote.
#[derive(Debug, Clone)]
pub struct SyncTimings {
    started: Instant,
    mapping: Duration,
    planning: Duration,
    writing: Duration,
    documents_written: u64,
}

/// The figures logged, in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimingSummary {
    pub total_ms: u64,
    pub mapping_ms: u64,
    pub planning_ms: u64,
    pub writing_ms: u64,
    pub documents_written: u64,
}

impl SyncTimings {
    /// Timing from `started` (the run's first instant).
    pub fn new(started: Instant) -> Self {
        SyncTimings {
            started,
            mapping: Duration::ZERO,
            planning: Duration::ZERO,
            writing: Duration::ZERO,
            documents_written: 0,
        }
    }

    /// Adds the time from `since` until now to `phase`.
    pub fn since(&mut self, phase: Phase, since: Instant) {
        self.add(phase, since.elapsed());
    }

    /// Adds `d` to `phase`; phases add up, as a run may pass through one in several parts.
    pub fn add(&mut self, phase: Phase, d: Duration) {
        let slot = match phase {
            Phase::Mapping => &mut self.mapping,
            Phase::Planning => &mut self.planning,
            Phase::Writing => &mut self.writing,
        };
        *slot += d;
    }

    /// One more document written to the books.
    pub fn written(&mut self) {
        self.documents_written += 1;
    }

    /// The figures with the run ending at `end`.
    pub fn summary(&self, end: Instant) -> TimingSummary {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        TimingSummary {
            total_ms: ms(end.saturating_duration_since(self.started)),
            mapping_ms: ms(self.mapping),
            planning_ms: ms(self.planning),
            writing_ms: ms(self.writing),
            documents_written: self.documents_written,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_add_up_and_total_runs_from_start_to_end() {
        let start = Instant::now();
        let mut t = SyncTimings::new(start);
        t.add(Phase::Mapping, Duration::from_millis(120));
        t.add(Phase::Planning, Duration::from_millis(30));
        t.add(Phase::Writing, Duration::from_millis(200));
        t.add(Phase::Writing, Duration::from_micros(5_900));
        t.written();
        t.written();
        let s = t.summary(start + Duration::from_millis(400));
        assert_eq!(
            s,
            TimingSummary {
                total_ms: 400,
                mapping_ms: 120,
                planning_ms: 30,
                // Whole milliseconds, rounded down.
                writing_ms: 205,
                documents_written: 2,
            }
        );
    }

    #[test]
    fn an_end_before_the_start_is_zero_not_a_panic() {
        let start = Instant::now() + Duration::from_secs(1);
        let s = SyncTimings::new(start).summary(Instant::now());
        assert_eq!(s.total_ms, 0);
        assert_eq!(s.documents_written, 0);
    }
}

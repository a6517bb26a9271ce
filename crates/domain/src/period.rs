//! The sync schedule and sync periods: when a merchant's day (or month) closes, and which
//! instants a sync covers.
//!
//! A *due instant* is the merchant's `syncHour` on a calendar day, read in its IANA time zone.
//! Decisions where the reference is silent:
//! - DST gaps: a `syncHour` that does not exist that day (e.g. 01:00 in London on the last
//!   Sunday of March) is resolved forward by the length of the gap, so the day closes at the
//!   moment the clocks jump (jiff's "compatible" rule). That day is 23 hours long.
//! - DST folds: a `syncHour` that occurs twice (01:00 in London on the last Sunday of October)
//!   closes at its first occurrence. The day around it is 25 hours long.
//! - `startDate` is a calendar day: the first period starts on that day at `syncHour`.
//! - `Monthly` closes on the first day of each calendar month at `syncHour`.
//!
//! Periods are half-open, `[start, end)`, so consecutive periods tile time and every instant
//! (a record's `createdDate`) belongs to exactly one of them.
//!
//! Supported dates: every date a user sends (`startDate`, a preview's range, a historic
//! `dateRange`, `syncTo`) must fall in [`EARLIEST_DATE`]..=[`LATEST_DATE`], checked with
//! [`check_date`] / [`check_instant`] where it comes in. Far from jiff's own limits (years
//! -9999..=9999), so no step of the arithmetic here can overflow; the arithmetic still answers
//! [`PeriodError::OutOfRange`] rather than panicking if an unchecked value reaches it.

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// How often a sync is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frequency {
    Daily,
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 2] = [Self::Daily, Self::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "Daily",
            Self::Monthly => "Monthly",
        }
    }

    /// Parses the configuration document's spelling (exact, as the enum in the spec).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Why a schedule or a period cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("syncHour must be between 0 and 23; got {0}")]
    SyncHourOutOfRange(i64),
    #[error("unknown time zone {0:?}; use an IANA name such as Europe/London")]
    UnknownTimeZone(String),
    #[error("a sync period must end after it starts ({start} is not before {end})")]
    Empty { start: Timestamp, end: Timestamp },
    #[error("{0} is not a due instant of this schedule")]
    NotDue(Timestamp),
    #[error("{0} is outside the supported dates, {EARLIEST_DATE} to {LATEST_DATE}")]
    OutOfRange(String),
}

/// The first calendar day a schedule, a sync or a preview may touch.
pub const EARLIEST_DATE: Date = date(2000, 1, 1);
/// The last calendar day a schedule, a sync or a preview may touch.
pub const LATEST_DATE: Date = date(2100, 12, 31);

/// `d` if it is a supported date.
pub fn check_date(d: Date) -> Result<Date, PeriodError> {
    if (EARLIEST_DATE..=LATEST_DATE).contains(&d) {
        Ok(d)
    } else {
        Err(PeriodError::OutOfRange(d.to_string()))
    }
}

/// `t` if its date is supported in every time zone (UTC date, with a day's margin either side).
pub fn check_instant(t: Timestamp) -> Result<Timestamp, PeriodError> {
    let day = t.to_zoned(TimeZone::UTC).date();
    let inside = EARLIEST_DATE.yesterday().is_ok_and(|first| first < day)
        && LATEST_DATE.tomorrow().is_ok_and(|last| day < last);
    if inside {
        Ok(t)
    } else {
        Err(PeriodError::OutOfRange(t.to_string()))
    }
}

/// A merchant's sync schedule, typed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    start_date: Date,
    /// `startDate` at `syncHour`, computed once so reading it cannot fail.
    first_start: Timestamp,
    sync_hour: i8,
    time_zone: TimeZone,
    frequency: Frequency,
}

impl Schedule {
    /// `time_zone` is an IANA name; `None` means `Etc/UTC` as the reference says.
    pub fn new(
        start_date: Date,
        sync_hour: i64,
        time_zone: Option<&str>,
        frequency: Frequency,
    ) -> Result<Self, PeriodError> {
        let sync_hour = i8::try_from(sync_hour)
            .ok()
            .filter(|h| (0..=23).contains(h))
            .ok_or(PeriodError::SyncHourOutOfRange(sync_hour))?;
        let name = time_zone.unwrap_or("Etc/UTC");
        let time_zone =
            TimeZone::get(name).map_err(|_| PeriodError::UnknownTimeZone(name.to_owned()))?;
        let start_date = check_date(start_date)?;
        let mut schedule = Self {
            start_date,
            first_start: Timestamp::UNIX_EPOCH,
            sync_hour,
            time_zone,
            frequency,
        };
        schedule.first_start = schedule.sync_hour_on(start_date)?;
        Ok(schedule)
    }

    pub fn start_date(&self) -> Date {
        self.start_date
    }

    pub fn sync_hour(&self) -> i8 {
        self.sync_hour
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    /// The instant `syncHour` strikes on `date` in the merchant's zone (gaps and folds as in the
    /// module docs).
    pub fn sync_hour_on(&self, date: Date) -> Result<Timestamp, PeriodError> {
        let local = date.at(self.sync_hour, 0, 0, 0);
        // Compatible: gap -> forward by the gap, fold -> earlier. Errors only near year 9999.
        self.time_zone
            .to_ambiguous_timestamp(local)
            .compatible()
            .map_err(|_| PeriodError::OutOfRange(date.to_string()))
    }

    /// Where the first period starts: `startDate` at `syncHour`.
    pub fn first_start(&self) -> Timestamp {
        self.first_start
    }

    fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.time_zone.clone()).date()
    }

    /// The day whose close is the first candidate at or after the local date of `t`.
    fn candidate_day(&self, date: Date) -> Date {
        match self.frequency {
            Frequency::Daily => date,
            Frequency::Monthly => date.first_of_month(),
        }
    }

    fn step(&self) -> jiff::Span {
        match self.frequency {
            Frequency::Daily => 1.day(),
            Frequency::Monthly => 1.month(),
        }
    }

    fn following_day(&self, day: Date) -> Result<Date, PeriodError> {
        day.checked_add(self.step())
            .map_err(|_| PeriodError::OutOfRange(day.to_string()))
    }

    fn preceding_day(&self, day: Date) -> Result<Date, PeriodError> {
        day.checked_sub(self.step())
            .map_err(|_| PeriodError::OutOfRange(day.to_string()))
    }

    /// Is `t` exactly a due instant (ignoring the start date)?
    pub fn is_due_instant(&self, t: Timestamp) -> Result<bool, PeriodError> {
        let day = self.candidate_day(self.local_date(t));
        let due = self.sync_hour_on(day)?;
        Ok(due == t
            || (due < t && self.sync_hour_on(self.following_day(day)?)? == t)
            || (due > t && self.sync_hour_on(self.preceding_day(day)?)? == t))
    }

    /// The first due instant strictly after `t`, never before the first period's start
    /// (so the first period ends at `next_due_after(first_start())`).
    pub fn next_due_after(&self, t: Timestamp) -> Result<Timestamp, PeriodError> {
        let t = t.max(self.first_start());
        // Start one step early so no due is skipped whatever the zone's transitions do.
        let mut day = self.preceding_day(self.candidate_day(self.local_date(t)))?;
        loop {
            let due = self.sync_hour_on(day)?;
            if due > t {
                return Ok(due);
            }
            day = self.following_day(day)?;
        }
    }

    /// The last due instant at or before `t`, or `None` if `t` is before the first period ends.
    pub fn last_due_at_or_before(&self, t: Timestamp) -> Result<Option<Timestamp>, PeriodError> {
        let first_due = self.next_due_after(self.first_start())?;
        if t < first_due {
            return Ok(None);
        }
        let mut day = self.following_day(self.candidate_day(self.local_date(t)))?;
        loop {
            let due = self.sync_hour_on(day)?;
            if due <= t {
                return Ok(Some(due.max(first_due)));
            }
            day = self.preceding_day(day)?;
        }
    }

    /// The period a sync due at `due` covers: from the last successful sync's due instant (or the
    /// first start) up to `due`. A failed day is not lost: it stays inside the next period.
    pub fn period_to(
        &self,
        last_successful_due: Option<Timestamp>,
        due: Timestamp,
    ) -> Result<SyncPeriod, PeriodError> {
        if !self.is_due_instant(due)? {
            return Err(PeriodError::NotDue(due));
        }
        SyncPeriod::new(last_successful_due.unwrap_or(self.first_start()), due)
    }

    /// The scheduled period holding `t`, or `None` before the first start.
    pub fn period_containing(&self, t: Timestamp) -> Result<Option<SyncPeriod>, PeriodError> {
        let first = self.first_start();
        if t < first {
            return Ok(None);
        }
        let start = self.last_due_at_or_before(t)?.unwrap_or(first);
        Ok(Some(SyncPeriod {
            start,
            end: self.next_due_after(t)?,
        }))
    }

    /// The scheduled periods in order, each one run's worth when every run succeeds; it ends
    /// where the dates stop being representable.
    pub fn periods(&self) -> impl Iterator<Item = SyncPeriod> + '_ {
        let period_from = move |start: Timestamp| {
            let end = self.next_due_after(start).ok()?;
            Some(SyncPeriod { start, end })
        };
        std::iter::successors(period_from(self.first_start()), move |p| period_from(p.end))
    }
}

/// A half-open span of time `[start, end)` that one sync covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SyncPeriod {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl SyncPeriod {
    /// Refuses empty or reversed periods.
    pub fn new(start: Timestamp, end: Timestamp) -> Result<Self, PeriodError> {
        if start < end {
            Ok(Self { start, end })
        } else {
            Err(PeriodError::Empty { start, end })
        }
    }

    /// Does a record created at `created` belong to this period?
    pub fn contains(&self, created: Timestamp) -> bool {
        self.start <= created && created < self.end
    }

    /// Do the two periods share any instant (used to refuse overlapping manual syncs)?
    pub fn overlaps(&self, other: &SyncPeriod) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn duration(&self) -> jiff::SignedDuration {
        self.end.duration_since(self.start)
    }
}

#[cfg(test)]
#[path = "period_tests.rs"]
mod tests;

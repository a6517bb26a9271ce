use super::*;
use jiff::SignedDuration;
use jiff::civil::date;
use proptest::prelude::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn daily(start: Date, hour: i64, tz: &str) -> Schedule {
    Schedule::new(start, hour, Some(tz), Frequency::Daily).unwrap()
}

fn hours(p: &SyncPeriod) -> i64 {
    p.duration().as_secs() / 3600
}

#[test]
fn london_days_are_23_and_25_hours_long_around_dst() {
    let s = daily(date(2024, 3, 1), 0, "Europe/London");
    // Spring forward on Sunday 31 March 2024: that local day has 23 hours.
    let spring = s
        .period_containing(ts("2024-03-31T12:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(spring.start, ts("2024-03-31T00:00:00Z"));
    assert_eq!(spring.end, ts("2024-03-31T23:00:00Z"));
    assert_eq!(hours(&spring), 23);
    // Fall back on Sunday 27 October 2024: 25 hours.
    let fall = s
        .period_containing(ts("2024-10-27T12:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(fall.start, ts("2024-10-26T23:00:00Z"));
    assert_eq!(fall.end, ts("2024-10-28T00:00:00Z"));
    assert_eq!(hours(&fall), 25);
}

#[test]
fn london_sync_hour_in_the_gap_closes_when_the_clocks_jump() {
    // 01:00 does not exist in London on 31 March 2024 (01:00 GMT -> 02:00 BST).
    let s = daily(date(2024, 3, 1), 1, "Europe/London");
    assert_eq!(
        s.sync_hour_on(date(2024, 3, 31)).unwrap(),
        ts("2024-03-31T01:00:00Z")
    );
    assert_eq!(
        s.sync_hour_on(date(2024, 4, 1)).unwrap(),
        ts("2024-04-01T00:00:00Z")
    );
    let p = s
        .period_containing(ts("2024-03-31T10:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(hours(&p), 23);
    // 01:00 happens twice on 27 October 2024: the first (BST) occurrence closes the day.
    assert_eq!(
        s.sync_hour_on(date(2024, 10, 27)).unwrap(),
        ts("2024-10-27T00:00:00Z")
    );
    assert!(s.is_due_instant(ts("2024-10-27T00:00:00Z")).unwrap());
    assert!(!s.is_due_instant(ts("2024-10-27T01:00:00Z")).unwrap());
}

#[test]
fn new_york_dst_days_and_missing_two_oclock() {
    let s = daily(date(2024, 3, 1), 0, "America/New_York");
    let spring = s
        .period_containing(ts("2024-03-10T15:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(spring.start, ts("2024-03-10T05:00:00Z"));
    assert_eq!(spring.end, ts("2024-03-11T04:00:00Z"));
    assert_eq!(hours(&spring), 23);
    let fall = s
        .period_containing(ts("2024-11-03T15:00:00Z"))
        .unwrap()
        .unwrap();
    assert_eq!(hours(&fall), 25);
    // 02:00 does not exist on 10 March 2024; the due is the jump itself, 07:00 UTC (03:00 EDT).
    let two = daily(date(2024, 3, 1), 2, "America/New_York");
    assert_eq!(
        two.sync_hour_on(date(2024, 3, 10)).unwrap(),
        ts("2024-03-10T07:00:00Z")
    );
    assert_eq!(
        two.next_due_after(ts("2024-03-10T06:59:59Z")).unwrap(),
        ts("2024-03-10T07:00:00Z")
    );
    assert_eq!(
        two.next_due_after(ts("2024-03-10T07:00:00Z")).unwrap(),
        ts("2024-03-11T06:00:00Z")
    );
}

#[test]
fn first_period_runs_from_start_date_at_sync_hour_to_the_first_due() {
    let s = daily(date(2024, 5, 1), 0, "Europe/London");
    assert_eq!(s.first_start(), ts("2024-04-30T23:00:00Z"));
    let first = s.periods().next().unwrap();
    assert_eq!(first.start, ts("2024-04-30T23:00:00Z"));
    assert_eq!(first.end, ts("2024-05-01T23:00:00Z"));
    assert_eq!(
        s.period_containing(ts("2024-04-30T22:59:59Z")).unwrap(),
        None
    );
    assert_eq!(
        s.last_due_at_or_before(ts("2024-05-01T22:00:00Z")).unwrap(),
        None
    );
    assert_eq!(
        s.last_due_at_or_before(ts("2024-05-03T12:00:00Z")).unwrap(),
        Some(ts("2024-05-02T23:00:00Z"))
    );
}

#[test]
fn period_after_failures_covers_the_missed_days() {
    let s = daily(date(2024, 5, 1), 0, "Europe/London");
    let first = s.period_to(None, ts("2024-05-01T23:00:00Z")).unwrap();
    assert_eq!(first.start, s.first_start());
    // Last success closed 2 May; syncs of 3 and 4 May failed; the run due 5 May covers all three.
    let p = s
        .period_to(Some(ts("2024-05-02T23:00:00Z")), ts("2024-05-05T23:00:00Z"))
        .unwrap();
    assert_eq!(p.duration(), SignedDuration::from_hours(72));
    assert_eq!(
        s.period_to(None, ts("2024-05-05T22:00:00Z")),
        Err(PeriodError::NotDue(ts("2024-05-05T22:00:00Z")))
    );
    assert!(matches!(
        s.period_to(Some(ts("2024-05-05T23:00:00Z")), ts("2024-05-05T23:00:00Z")),
        Err(PeriodError::Empty { .. })
    ));
}

#[test]
fn monthly_closes_on_the_first_of_each_month() {
    let s = Schedule::new(
        date(2024, 1, 15),
        0,
        Some("Europe/London"),
        Frequency::Monthly,
    )
    .unwrap();
    let mut periods = s.periods();
    let first = periods.next().unwrap();
    assert_eq!(first.start, ts("2024-01-15T00:00:00Z"));
    assert_eq!(first.end, ts("2024-02-01T00:00:00Z"));
    assert_eq!(periods.next().unwrap().end, ts("2024-03-01T00:00:00Z"));
    // April starts in BST: midnight local is 23:00 UTC the day before.
    assert_eq!(periods.next().unwrap().end, ts("2024-03-31T23:00:00Z"));
    assert!(!s.is_due_instant(ts("2024-02-02T00:00:00Z")).unwrap());
}

#[test]
fn contains_is_half_open() {
    let p = SyncPeriod::new(ts("2024-05-01T00:00:00Z"), ts("2024-05-02T00:00:00Z")).unwrap();
    assert!(p.contains(ts("2024-05-01T00:00:00Z")));
    assert!(p.contains(ts("2024-05-01T23:59:59.999999999Z")));
    assert!(!p.contains(ts("2024-05-02T00:00:00Z")));
    assert!(!p.contains(ts("2024-04-30T23:59:59Z")));
    let next = SyncPeriod::new(p.end, ts("2024-05-03T00:00:00Z")).unwrap();
    assert!(!p.overlaps(&next));
    assert!(p.overlaps(&SyncPeriod::new(ts("2024-05-01T12:00:00Z"), next.end).unwrap()));
}

#[test]
fn schedule_rejects_bad_hours_and_zones_and_defaults_to_utc() {
    let d = date(2024, 5, 1);
    assert_eq!(
        Schedule::new(d, 24, None, Frequency::Daily),
        Err(PeriodError::SyncHourOutOfRange(24))
    );
    assert_eq!(
        Schedule::new(d, -1, None, Frequency::Daily),
        Err(PeriodError::SyncHourOutOfRange(-1))
    );
    assert!(matches!(
        Schedule::new(d, 0, Some("Mars/Olympus"), Frequency::Daily),
        Err(PeriodError::UnknownTimeZone(_))
    ));
    let utc = Schedule::new(d, 5, None, Frequency::Daily).unwrap();
    assert_eq!(utc.first_start(), ts("2024-05-01T05:00:00Z"));
}

/// Independent oracle: the local clock shows `syncHour:00` (or that hour does not exist that
/// day), on the first of the month for monthly schedules.
fn strikes_sync_hour(s: &Schedule, t: Timestamp) -> bool {
    let local = t.to_zoned(s.time_zone().clone());
    let wanted = local.date().at(s.sync_hour(), 0, 0, 0);
    let in_gap = matches!(
        s.time_zone().to_ambiguous_timestamp(wanted).offset(),
        jiff::tz::AmbiguousOffset::Gap { .. }
    );
    let monthly_ok = s.frequency() == Frequency::Daily || local.day() == 1;
    monthly_ok && (local.datetime() == wanted || in_gap)
}

const ZONES: [&str; 6] = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Etc/UTC",
];

fn schedule_strategy() -> impl Strategy<Value = Schedule> {
    (0usize..ZONES.len(), 0i64..24, 0i32..3000, any::<bool>()).prop_map(|(z, h, days, monthly)| {
        let start = date(2019, 1, 1).checked_add(days.days()).unwrap();
        let f = if monthly {
            Frequency::Monthly
        } else {
            Frequency::Daily
        };
        Schedule::new(start, h, Some(ZONES[z]), f).unwrap()
    })
}

proptest! {
    #[test]
    fn consecutive_periods_tile_time_and_end_on_due_instants(s in schedule_strategy()) {
        let periods: Vec<SyncPeriod> = s.periods().take(400).collect();
        prop_assert_eq!(periods[0].start, s.first_start());
        for pair in periods.windows(2) {
            prop_assert_eq!(pair[0].end, pair[1].start);
            // The boundary instant belongs to the later period only.
            prop_assert!(!pair[0].contains(pair[0].end) && pair[1].contains(pair[1].start));
        }
        for p in &periods {
            prop_assert!(p.start < p.end);
            prop_assert!(s.is_due_instant(p.end).unwrap(), "end {} is not due", p.end);
            prop_assert!(strikes_sync_hour(&s, p.end), "end {} is not at syncHour", p.end);
            prop_assert!(!s.is_due_instant(p.end + SignedDuration::from_mins(30)).unwrap());
            let h = p.duration().as_secs() as f64 / 3600.0;
            match s.frequency() {
                Frequency::Daily => prop_assert!(h <= 25.0 && (p == &periods[0] || h >= 23.0)),
                Frequency::Monthly => prop_assert!(h <= 31.0 * 24.0 + 1.0),
            }
        }
    }

    #[test]
    fn every_instant_falls_in_exactly_one_period(
        s in schedule_strategy(),
        offset_secs in 0i64..(300 * 86_400),
        on_a_boundary in any::<bool>(),
    ) {
        let mut t = s.first_start().checked_add(SignedDuration::from_secs(offset_secs)).unwrap();
        if on_a_boundary {
            t = s.next_due_after(t).unwrap();
        }
        let holding: Vec<SyncPeriod> = s
            .periods()
            .take_while(|p| p.start <= t)
            .filter(|p| p.contains(t))
            .collect();
        prop_assert_eq!(holding.len(), 1);
        prop_assert_eq!(s.period_containing(t).unwrap(), Some(holding[0]));
        prop_assert!(s.next_due_after(t).unwrap() > t);
        prop_assert!(s.is_due_instant(s.next_due_after(t).unwrap()).unwrap());
    }
}

#[test]
fn dates_outside_the_supported_range_are_refused_not_panicked_on() {
    for d in [date(9999, 12, 30), date(2101, 1, 1), date(1999, 12, 31)] {
        assert!(matches!(
            Schedule::new(d, 23, Some("America/Los_Angeles"), Frequency::Daily),
            Err(PeriodError::OutOfRange(_))
        ));
    }
    assert!(check_date(LATEST_DATE).is_ok() && check_date(EARLIEST_DATE).is_ok());
    assert!(check_instant(ts("2100-12-31T23:00:00Z")).is_ok());
    assert!(check_instant(ts("9999-12-30T00:00:00Z")).is_err());
    assert!(check_instant(ts("2101-01-02T00:00:00Z")).is_err());
    assert!(check_instant(jiff::Timestamp::MIN).is_err());
}

#[test]
fn arithmetic_near_jiffs_limits_answers_errors() {
    let s = daily(date(2100, 12, 31), 23, "America/Los_Angeles");
    let last = jiff::Timestamp::MAX;
    assert!(s.next_due_after(last).is_err());
    assert!(s.last_due_at_or_before(last).is_err());
    assert!(s.period_containing(last).is_err());
    assert!(s.is_due_instant(last).is_err());
    assert!(s.sync_hour_on(date(9999, 12, 31)).is_err());
    let monthly = Schedule::new(LATEST_DATE, 0, None, Frequency::Monthly).unwrap();
    assert!(monthly.next_due_after(last).is_err());
}

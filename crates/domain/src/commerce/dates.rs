//! Codat date-time strings.
//!
//! Accepted: RFC 3339 / ISO 8601 with `Z` or an offset (`2023-02-14T10:00:00+01:00`), with an
//! IANA zone annotation (`…[Europe/Paris]`), and a bare date, meaning midnight **UTC**.
//! Refused: a time of day without `Z`, an offset or a zone (`2023-02-14T10:00:00`): which
//! instant it names depends on where it was written, and guessing UTC moves sales between days;
//! and a leap second (`23:59:60`), which jiff would quietly turn into `23:59:59`.
//! Emitted as RFC 3339 in UTC (`2023-02-14T09:00:00Z`): the instant is kept, the sender's
//! offset is not (the merchant's time zone decides the day).

use jiff::{Timestamp, Zoned, civil, tz::TimeZone};

/// Parses a Codat date-time string into an instant.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    if is_leap_second(text) {
        return Err(format!(
            "`{text}` is a leap second, which cannot be represented; use :59"
        ));
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(z) = text.parse::<Zoned>() {
        return Ok(z.timestamp());
    }
    // jiff reads a date out of a date-time too: only the ten characters of a date alone.
    if text.len() == 10
        && let Ok(day) = text.parse::<civil::Date>()
        && let Ok(zoned) = day.to_zoned(TimeZone::UTC)
    {
        return Ok(zoned.timestamp());
    }
    if !text.contains('[') && text.parse::<civil::DateTime>().is_ok() {
        return Err(format!(
            "`{text}` has no time zone: add `Z` for UTC or an offset such as +01:00"
        ));
    }
    Err(format!(
        "`{text}` is not an ISO 8601 date-time (e.g. 2023-02-14T10:00:00Z)"
    ))
}

/// `…THH:MM:60…`: the seconds of an RFC 3339 time are 60.
fn is_leap_second(text: &str) -> bool {
    let Some(t) = text.find(['T', 't', ' ']) else {
        return false;
    };
    let time = text.as_bytes().get(t + 1..t + 9);
    matches!(time, Some([_, _, b':', _, _, b':', b'6', b'0']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn zulu_offsets_and_zones_keep_the_instant() {
        assert_eq!(
            parse_timestamp("2023-02-14T10:00:00Z"),
            Ok(ts("2023-02-14T10:00:00Z"))
        );
        assert_eq!(
            parse_timestamp("2023-02-14T10:00:00+01:00"),
            Ok(ts("2023-02-14T09:00:00Z"))
        );
        assert_eq!(
            parse_timestamp("2023-02-14T10:00:00.123-05:30"),
            Ok(ts("2023-02-14T15:30:00.123Z"))
        );
        assert_eq!(
            parse_timestamp("2023-07-14T10:00:00[Europe/Paris]"),
            Ok(ts("2023-07-14T08:00:00Z"))
        );
    }

    #[test]
    fn a_bare_date_is_utc_midnight_but_a_time_needs_a_zone() {
        assert_eq!(
            parse_timestamp("2023-02-14"),
            Ok(ts("2023-02-14T00:00:00Z"))
        );
        for s in [
            "2023-02-14T23:59:59",
            "2023-02-14T23:59:59.5",
            "2023-02-14 10:00",
        ] {
            let e = parse_timestamp(s).unwrap_err();
            assert!(e.contains("no time zone"), "{s}: {e}");
        }
    }

    #[test]
    fn leap_seconds_are_refused() {
        for s in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5+00:00"] {
            let e = parse_timestamp(s).unwrap_err();
            assert!(e.contains("leap second"), "{s}: {e}");
        }
        assert!(parse_timestamp("2016-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn garbage_is_refused() {
        for s in [
            "",
            "yesterday",
            "14/02/2023",
            "2023-02-30T10:00:00Z",
            "2023-02-14T25:00:00",
            "2023-02-14T10:00:00[Nowhere/Land]",
        ] {
            assert!(parse_timestamp(s).is_err(), "{s}");
        }
    }
}

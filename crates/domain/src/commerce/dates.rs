//! Codat date-time strings.
//!
//! Accepted: RFC 3339 / ISO 8601 with `Z` or an offset (`2023-02-14T10:00:00+01:00`), with an
//! IANA zone annotation (`…[Europe/Paris]`), and *unqualified* local times
//! (`2023-02-14T10:00:00`, or a bare date meaning midnight) which are read as **UTC**, as Codat
//! documents for date-times without a zone. Emitted as RFC 3339 in UTC (`2023-02-14T09:00:00Z`):
//! the instant is kept, the sender's offset is not (the merchant's time zone decides the day).

use jiff::{Timestamp, Zoned, civil, tz::TimeZone};

/// Parses a Codat date-time string into an instant.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(z) = text.parse::<Zoned>() {
        return Ok(z.timestamp());
    }
    // A civil parse would silently drop a zone annotation it cannot honour.
    if !text.contains('[')
        && let Ok(local) = text.parse::<civil::DateTime>()
        && let Ok(zoned) = local.to_zoned(TimeZone::UTC)
    {
        return Ok(zoned.timestamp());
    }
    Err(format!(
        "`{text}` is not an ISO 8601 date-time (e.g. 2023-02-14T10:00:00Z)"
    ))
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
    fn unqualified_times_are_utc() {
        assert_eq!(
            parse_timestamp("2023-02-14T23:59:59"),
            Ok(ts("2023-02-14T23:59:59Z"))
        );
        assert_eq!(
            parse_timestamp("2023-02-14T23:59:59.5"),
            Ok(ts("2023-02-14T23:59:59.5Z"))
        );
        assert_eq!(
            parse_timestamp("2023-02-14"),
            Ok(ts("2023-02-14T00:00:00Z"))
        );
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

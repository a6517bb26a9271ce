//! Rules about changing a saved document, which need the stored one and the clock.
//!
//! - `startDate` cannot be back-dated: a start date that changes must not be before today in
//!   the merchant's time zone (an unchanged one may well be in the past by now).
//! - The output format (invoices or journal entries) is chosen once: after the document was
//!   configured it cannot change.

use super::document::{ConfigDocument, OutputFormat};
use super::error::{ConfigError, codes};
use super::validation::parse_start_date;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Problems with saving `new` over `stored` at `now`.
pub fn validate_change(
    stored: Option<&ConfigDocument>,
    new: &ConfigDocument,
    now: Timestamp,
) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    let start_of = |d: &ConfigDocument| d.schedule.as_ref().and_then(|s| s.start_date.clone());
    let new_start = start_of(new);
    if new_start != stored.and_then(start_of)
        && let Some(date) = new_start.as_deref().and_then(parse_start_date)
    {
        let zone = new.schedule.as_ref().and_then(|s| s.time_zone.as_deref());
        let zone = TimeZone::get(zone.unwrap_or("Etc/UTC")).unwrap_or(TimeZone::UTC);
        let today = now.to_zoned(zone).date();
        if date < today {
            errors.push(ConfigError::new(
                "/schedule/startDate",
                codes::START_DATE_BACKDATED,
                format!("The start date cannot be back-dated: choose {today} or later"),
            ));
        }
    }
    if let Some(stored) = stored.filter(|s| s.configured == Some(true)) {
        let (before, after) = (
            stored.configuration.output_format(),
            new.configuration.output_format(),
        );
        if before != after {
            let name = |f| match f {
                OutputFormat::Documents => "invoices",
                OutputFormat::JournalEntry => "journal entries",
            };
            errors.push(ConfigError::new(
                "/configuration/mapSettings/outputFormat",
                codes::OUTPUT_FORMAT_LOCKED,
                format!(
                    "Sales are written as {} for this company: the choice is made once and cannot be changed to {}",
                    name(before),
                    name(after)
                ),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::document::{MapSettings, ScheduleSettings};

    fn doc(start: &str, journal: bool, configured: bool) -> ConfigDocument {
        let mut d = ConfigDocument {
            configured: Some(configured),
            schedule: Some(ScheduleSettings {
                start_date: Some(start.into()),
                time_zone: Some("America/New_York".into()),
                ..ScheduleSettings::default()
            }),
            ..ConfigDocument::default()
        };
        if journal {
            d.configuration.map_settings = Some(MapSettings {
                output_format: Some("JournalEntry".into()),
            });
        }
        d
    }

    fn codes_of(errors: Vec<ConfigError>) -> Vec<(&'static str, String)> {
        errors.into_iter().map(|e| (e.code, e.pointer)).collect()
    }

    #[test]
    fn a_changed_start_date_cannot_be_in_the_past_of_the_merchant() {
        // 03:00 UTC on 2 May is still 1 May in New York.
        let now: Timestamp = "2024-05-02T03:00:00Z".parse().unwrap();
        let at = "/schedule/startDate".to_owned();
        assert_eq!(
            validate_change(None, &doc("2024-05-01", false, false), now),
            vec![]
        );
        let back = validate_change(None, &doc("2024-04-30", false, false), now);
        assert_eq!(codes_of(back), [(codes::START_DATE_BACKDATED, at)]);
        let stored = doc("2024-01-01", false, true);
        assert_eq!(validate_change(Some(&stored), &stored.clone(), now), vec![]);
    }

    #[test]
    fn the_output_format_is_chosen_once() {
        let now: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let stored = doc("2024-05-01", false, true);
        let errors = validate_change(Some(&stored), &doc("2024-05-01", true, true), now);
        let at = "/configuration/mapSettings/outputFormat".to_owned();
        assert_eq!(codes_of(errors), [(codes::OUTPUT_FORMAT_LOCKED, at)]);
        let draft = doc("2024-05-01", false, false);
        assert_eq!(
            validate_change(Some(&draft), &doc("2024-05-01", true, false), now),
            vec![]
        );
    }
}

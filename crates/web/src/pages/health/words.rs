//! What support reads: status codes with their meaning and what to do (DOMAIN.md, "Status
//! codes of a sync"), push item outcomes in plain words, times and durations.

use engine::status;
use jiff::{SignedDuration, Timestamp};
use maud::{Markup, html};
use store::{PushItem, PushStatus};

/// Every status code, in the order the chart stacks them.
pub const CODES: [u16; 12] = [
    status::DATA_WRITTEN,
    status::NOTHING_TO_WRITE,
    status::IN_PROGRESS,
    status::LONG_RUNNING,
    status::CONFIGURATION_ERROR,
    status::COMPANY_DELETED,
    status::DEAUTHORIZED,
    status::SUBSCRIPTION_EXPIRED,
    status::SERVER_ERROR,
    status::DUPLICATION_PROTECTION,
    status::DATA_PROCESSING_ERROR,
    status::DATA_WRITE_ERROR,
];

/// A status code's short name.
pub fn name(code: u16) -> &'static str {
    match code {
        status::IN_PROGRESS => "In progress",
        status::LONG_RUNNING => "In progress over ten minutes",
        status::DATA_WRITTEN => "Success, data written",
        status::NOTHING_TO_WRITE => "Success, nothing to write",
        status::CONFIGURATION_ERROR => "Configuration error",
        status::COMPANY_DELETED => "Company deleted",
        status::DEAUTHORIZED => "Accounting platform de-authorized",
        status::SUBSCRIPTION_EXPIRED => "Accounting subscription expired",
        status::SERVER_ERROR => "Server error",
        status::DUPLICATION_PROTECTION => "Refused: overlapping range",
        status::DATA_PROCESSING_ERROR => "Data processing error",
        status::DATA_WRITE_ERROR => "Data write error",
        _ => "Unknown status",
    }
}

/// What a status code means and what to do about it.
pub fn meaning(code: u16) -> &'static str {
    match code {
        status::IN_PROGRESS => "The sync is running. Nothing to do; look again in a few minutes.",
        status::LONG_RUNNING => {
            "The sync has run for over ten minutes, usually because the accounting platform limits how fast we may write. It carries on by itself; if it is still running in an hour, tell your operator."
        }
        status::DATA_WRITTEN => "Every document of the period was written to the books.",
        status::NOTHING_TO_WRITE => {
            "The sync ran and found nothing new to write (no sales in the period, or they were written already)."
        }
        status::CONFIGURATION_ERROR => {
            "The merchant's settings do not fit its books any more (for example an account was archived or deleted). The error names the setting: ask the merchant to choose again in the Sync Flow, or restore the account in the books, then retry."
        }
        status::COMPANY_DELETED => {
            "The company was deleted. Nothing will sync for it again; the merchant must start over."
        }
        status::DEAUTHORIZED => {
            "The accounting platform no longer accepts our access (the merchant disconnected us, or the access expired). The merchant must connect its books again; then retry."
        }
        status::SUBSCRIPTION_EXPIRED => {
            "The merchant's accounting subscription has lapsed, so the platform refuses writes. The merchant must renew it; then retry."
        }
        status::SERVER_ERROR => {
            "Something failed on our side. Retry; if it fails again, tell your operator the sync id."
        }
        status::DUPLICATION_PROTECTION => {
            "This sync was refused because its date range overlaps another sync, so nothing was written twice. Nothing to retry: request a range that does not overlap."
        }
        status::DATA_PROCESSING_ERROR => {
            "The merchant's sales could not be turned into accounting documents (for example a payment type with no account chosen). Read the error, correct the settings or data, then retry."
        }
        status::DATA_WRITE_ERROR => {
            "Some documents were refused by the accounting platform. Each failed item below says why; fix the cause (often in the books: a closed period, an archived account), then retry the failed items."
        }
        _ => "An unknown status code.",
    }
}

/// The tone of a code: `ok`, `running` or `bad` (a CSS class suffix).
pub fn tone(code: u16) -> &'static str {
    if store::SUCCESS_CODES.contains(&code) {
        "ok"
    } else if store::RUNNING_CODES.contains(&code) {
        "running"
    } else {
        "bad"
    }
}

/// The code as a badge: its number and name.
pub fn badge(code: u16) -> Markup {
    html! { span class={ "badge badge-" (tone(code)) } { (code) " " (name(code)) } }
}

/// A push item's outcome in plain words, with what to do.
pub fn item_outcome(item: &PushItem) -> String {
    let r = &item.result;
    match r.status {
        PushStatus::Success => "Written.".to_owned(),
        PushStatus::Pending if item.attempts == 0 => "Not written yet.".to_owned(),
        PushStatus::Pending => "Being written.".to_owned(),
        PushStatus::TimedOut => {
            "The platform did not answer in time; the retry first checks whether it arrived, so it is never written twice.".to_owned()
        }
        PushStatus::Failed => {
            let why = match r.status_code {
                400 | 422 => "The accounting platform refused this document",
                401 | 403 => "The accounting platform refused our access",
                429 => "The accounting platform asked us to slow down and the attempts ran out",
                500..=599 => "The accounting platform failed to answer",
                _ => "The document could not be written",
            };
            let mut text = why.to_owned();
            let details = item_errors(item);
            if !details.is_empty() {
                text.push_str(": ");
                text.push_str(&details.join("; "));
            }
            if !text.ends_with('.') {
                text.push('.');
            }
            text
        }
    }
}

/// The platform's own messages for an item: its error and each validation error.
pub fn item_errors(item: &PushItem) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(message) = &item.result.error_message {
        out.push(message.clone());
    }
    if let Some(errors) = item
        .result
        .validation
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(|e| e.as_array())
    {
        for e in errors {
            if let Some(m) = e.get("message").and_then(|m| m.as_str())
                && !out.iter().any(|o| o == m)
            {
                out.push(m.to_owned());
            }
        }
    }
    out
}

/// An instant as support reads it: UTC, to the minute.
pub fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// A span of time in the largest sensible unit: "3 days", "5 hours", "12 minutes".
pub fn duration(d: SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    let (n, unit) = if secs >= 2 * 86_400 {
        (secs / 86_400, "day")
    } else if secs >= 2 * 3_600 {
        (secs / 3_600, "hour")
    } else {
        ((secs / 60).max(1), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_name_and_a_meaning() {
        for code in CODES {
            assert_ne!(name(code), "Unknown status", "{code}");
            assert_ne!(meaning(code), "An unknown status code.", "{code}");
        }
        assert_eq!(tone(2040), "ok");
        assert_eq!(tone(1010), "running");
        assert_eq!(tone(5130), "bad");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(SignedDuration::from_secs(30)), "1 minute");
        assert_eq!(duration(SignedDuration::from_mins(90)), "90 minutes");
        assert_eq!(duration(SignedDuration::from_hours(5)), "5 hours");
        assert_eq!(duration(SignedDuration::from_hours(24 * 3)), "3 days");
    }
}

//! Xero's answers that are not successes, turned into [`PlatformError`]s: whether the caller may
//! retry, must look up first, must wait, or must tell the merchant (in their words, with
//! Xero's own kept).

use super::wire::ErrorBody;
use crate::error::PlatformError;
use reqwest::StatusCode;
use std::time::Duration;

pub const PLATFORM: &str = "Xero";

/// `Retry-After` in seconds (Xero never sends the date form); a minute when absent.
pub fn retry_after(header: Option<&str>) -> Duration {
    header
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(60))
}

/// Every validation message of a `ValidationException`, joined; else the body's message.
pub fn validation_messages(body: &ErrorBody) -> Vec<String> {
    let mut messages: Vec<String> = body
        .elements
        .iter()
        .flat_map(|e| e.validation_errors.iter().map(|v| v.message.clone()))
        .filter(|m| !m.is_empty())
        .collect();
    messages.dedup();
    if messages.is_empty()
        && let Some(m) = body.message.as_ref().or(body.detail.as_ref())
    {
        messages.push(m.clone());
    }
    messages
}

/// A non-success answer. `write` says whether the request could have changed the books, which
/// turns a server error into an unknown outcome.
pub fn from_status(
    status: StatusCode,
    body: &[u8],
    retry_after_header: Option<&str>,
    write: bool,
) -> PlatformError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let text = || {
        String::from_utf8_lossy(body)
            .chars()
            .take(500)
            .collect::<String>()
    };
    match status {
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: retry_after(retry_after_header),
        },
        StatusCode::UNAUTHORIZED => PlatformError::Unauthorized(text()),
        // Xero answers 403 when the tenant is no longer connected to our app.
        StatusCode::FORBIDDEN => PlatformError::Deauthorized {
            reason: format!(
                "Xero refused access to this organisation (it may have been disconnected): {}",
                parsed
                    .as_ref()
                    .and_then(|b| b.detail.clone())
                    .unwrap_or_else(text)
            ),
        },
        StatusCode::BAD_REQUEST => match parsed {
            Some(b) if !validation_messages(&b).is_empty() => {
                let messages = validation_messages(&b);
                // The first message decides the problem; all are kept for support.
                let mut e = PlatformError::validation(PLATFORM, messages[0].clone());
                if let PlatformError::Validation {
                    platform_message, ..
                } = &mut e
                {
                    *platform_message = messages.join(" ");
                }
                e
            }
            _ => PlatformError::Protocol(format!("400 Bad Request: {}", text())),
        },
        s if s.is_server_error() => {
            let m = format!("{s}: {}", text());
            if write {
                PlatformError::OutcomeUnknown(m)
            } else {
                PlatformError::Transient(m)
            }
        }
        s => PlatformError::Protocol(format!("{s}: {}", text())),
    }
}

/// A request that got no answer. A write that may have been sent has an unknown outcome; one
/// that never connected did nothing.
pub fn from_transport(e: &reqwest::Error, write: bool) -> PlatformError {
    let m = e.to_string();
    if e.is_connect() || !write {
        PlatformError::Transient(m)
    } else {
        PlatformError::OutcomeUnknown(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    #[test]
    fn a_validation_exception_becomes_a_merchant_message_with_xeros_words_kept() {
        let body = br#"{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
            "Elements":[{"ValidationErrors":[{"Message":"The document date cannot be before the period lock date (31 Oct 2026)."},
                                             {"Message":"Account code '250' has been archived, or has been deleted."}]}]}"#;
        let e = from_status(StatusCode::BAD_REQUEST, body, None, true);
        let PlatformError::Validation {
            problem,
            merchant_message,
            platform_message,
        } = e
        else {
            panic!("expected a validation error, got {e:?}");
        };
        assert_eq!(problem, Problem::LockDate);
        assert!(merchant_message.contains("locked"));
        assert!(platform_message.contains("31 Oct 2026"));
        assert!(platform_message.contains("Account code '250'"));
    }

    #[test]
    fn server_errors_on_writes_have_unknown_outcomes_and_429_waits() {
        let e = from_status(StatusCode::INTERNAL_SERVER_ERROR, b"{}", None, true);
        assert!(matches!(e, PlatformError::OutcomeUnknown(_)));
        let e = from_status(StatusCode::BAD_GATEWAY, b"", None, false);
        assert!(matches!(e, PlatformError::Transient(_)));
        let e = from_status(StatusCode::TOO_MANY_REQUESTS, b"", Some("7"), true);
        assert_eq!(
            e,
            PlatformError::RateLimited {
                retry_after: Duration::from_secs(7)
            }
        );
        let e = from_status(StatusCode::FORBIDDEN, b"{}", None, false);
        assert!(matches!(e, PlatformError::Deauthorized { .. }));
    }
}

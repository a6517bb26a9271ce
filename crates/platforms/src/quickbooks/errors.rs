//! QuickBooks' answers that are not successes, turned into [`PlatformError`]s. Validation
//! comes as `{"Fault": {"Error": [{"Message","Detail","code"}], "type": "ValidationFault"}}`:
//! the code says what went wrong where Intuit gives a specific one (6140 duplicate number,
//! 2500/610 a reference that is gone or inactive), the detail's words otherwise (books close
//! date, tax codes). The merchant reads our sentence; Intuit's own words are kept.

use super::wire::{FaultBody, FaultError};
use crate::error::{PlatformError, Problem};
use reqwest::StatusCode;
use std::time::Duration;

pub const PLATFORM: &str = "QuickBooks";

/// QuickBooks promises no `Retry-After` with its 429 (Fault 3001): the first wait after a
/// throttle; each further throttle in a row doubles it, up to [`MAX_THROTTLE_WAIT`].
pub const THROTTLE_WAIT: Duration = Duration::from_secs(5);
pub const MAX_THROTTLE_WAIT: Duration = Duration::from_secs(60);

/// The wait after the `in_a_row`-th consecutive throttle (1-based), unless QuickBooks said.
pub fn throttle_wait(retry_after_header: Option<&str>, in_a_row: u32) -> Duration {
    if let Some(secs) = retry_after_header.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(secs);
    }
    THROTTLE_WAIT
        .saturating_mul(1 << in_a_row.saturating_sub(1).min(8))
        .min(MAX_THROTTLE_WAIT)
}

/// The problem one fault error describes.
pub fn problem(e: &FaultError) -> Problem {
    let detail = e.detail.to_ascii_lowercase();
    let about = |w: &str| detail.contains(w);
    match e.code.as_str() {
        "6140" => Problem::DuplicateNumber,
        "2500" | "610" if about("taxcode") || about("tax code") => Problem::InvalidTaxRate,
        "2500" | "610" if about("account") => Problem::ArchivedAccount,
        "2500" | "610" if about("names") || about("customer") || about("vendor") => {
            Problem::ArchivedContact
        }
        // "Something you're trying to use has been made inactive or is not found".
        "610" => Problem::ArchivedAccount,
        _ if (about("tax code") || about("vat rate")) && !about("books close") => {
            Problem::InvalidTaxRate
        }
        _ => match Problem::classify(&e.detail) {
            Problem::Other => Problem::classify(&e.message),
            p => p,
        },
    }
}

/// Intuit's words for one error: `Message: Detail (code)`.
fn words(e: &FaultError) -> String {
    let mut s = e.message.clone();
    if !e.detail.is_empty() && e.detail != e.message {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&e.detail);
    }
    if !e.code.is_empty() {
        s.push_str(&format!(" (code {})", e.code));
    }
    s
}

/// A validation fault: the first recognised problem decides; every error's words are kept.
pub fn validation(errors: &[FaultError]) -> PlatformError {
    let problem = errors
        .iter()
        .map(problem)
        .find(|p| *p != Problem::Other)
        .unwrap_or(Problem::Other);
    let platform_message = errors.iter().map(words).collect::<Vec<_>>().join(" | ");
    let shown = errors
        .first()
        .map(|e| {
            if e.detail.is_empty() {
                e.message.clone()
            } else {
                e.detail.clone()
            }
        })
        .unwrap_or_default();
    PlatformError::Validation {
        problem,
        merchant_message: problem.merchant_message(PLATFORM, &shown),
        platform_message,
    }
}

/// A non-success answer. `write` says whether the request could have changed the books,
/// which turns a server error into an unknown outcome.
pub fn from_status(status: StatusCode, body: &[u8], write: bool) -> PlatformError {
    let errors = serde_json::from_slice::<FaultBody>(body)
        .ok()
        .and_then(|b| b.fault)
        .map(|f| f.errors)
        .unwrap_or_default();
    let text = || {
        String::from_utf8_lossy(body)
            .chars()
            .take(500)
            .collect::<String>()
    };
    match status {
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: THROTTLE_WAIT,
        },
        StatusCode::UNAUTHORIZED => PlatformError::Unauthorized(text()),
        StatusCode::FORBIDDEN => PlatformError::Deauthorized {
            reason: format!(
                "QuickBooks refused access to this company (the app may have been disconnected): {}",
                text()
            ),
        },
        StatusCode::BAD_REQUEST if !errors.is_empty() => {
            // A throttle can also come as a 400 fault with code 3001 on some endpoints.
            if errors.iter().any(|e| e.code == "3001") {
                return PlatformError::RateLimited {
                    retry_after: THROTTLE_WAIT,
                };
            }
            validation(&errors)
        }
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

/// A request that got no answer. A write that may have been sent has an unknown outcome.
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

    fn fault(code: &str, detail: &str) -> Vec<u8> {
        serde_json::json!({"Fault": {"Error": [{"Message": "A business validation error has occurred",
            "Detail": detail, "code": code, "element": ""}], "type": "ValidationFault"}})
        .to_string()
        .into_bytes()
    }

    fn problem_of(code: &str, detail: &str) -> Problem {
        match from_status(StatusCode::BAD_REQUEST, &fault(code, detail), true) {
            PlatformError::Validation { problem, .. } => problem,
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn fault_codes_and_details_become_problems() {
        let cases = [
            (
                "6140",
                "You must specify a different number. DocNumber=X",
                Problem::DuplicateNumber,
            ),
            (
                "2500",
                "Invalid Reference Id : Accounts element id 9 not found",
                Problem::ArchivedAccount,
            ),
            (
                "2500",
                "Invalid Reference Id : Account assigned to this transaction has been deleted.",
                Problem::ArchivedAccount,
            ),
            (
                "2500",
                "Invalid Reference Id : Names element id 77 not found",
                Problem::ArchivedContact,
            ),
            (
                "2500",
                "Invalid Reference Id : TaxCode element id 99 not found",
                Problem::InvalidTaxRate,
            ),
            (
                "610",
                "Object Not Found : Something you're trying to use has been made inactive or is not found",
                Problem::ArchivedAccount,
            ),
            (
                "6000",
                "Business Validation Error: You can't create or modify a transaction dated on or before the books close date (2026-11-30).",
                Problem::LockDate,
            ),
            (
                "6000",
                "Business Validation Error: Line[1]: tax code 'X' cannot be used; with automated sales tax mark lines TAX or NON.",
                Problem::InvalidTaxRate,
            ),
            (
                "6070",
                "Amount calculation incorrect in the request.",
                Problem::Other,
            ),
            (
                "5010",
                "Stale Object Error : You and another user were working on the same thing.",
                Problem::Other,
            ),
        ];
        for (code, detail, want) in cases {
            assert_eq!(problem_of(code, detail), want, "{code} {detail}");
        }
    }

    #[test]
    fn the_merchant_reads_our_words_and_intuits_are_kept() {
        let e = from_status(
            StatusCode::BAD_REQUEST,
            &fault("6140", "DocNumber=261125IN is taken"),
            true,
        );
        assert!(
            e.merchant_message()
                .contains("QuickBooks already has a document")
        );
        assert!(
            e.platform_message()
                .unwrap()
                .contains("DocNumber=261125IN is taken (code 6140)")
        );
        let other = from_status(
            StatusCode::BAD_REQUEST,
            &fault("6070", "Amount calculation incorrect"),
            true,
        );
        assert_eq!(
            other.merchant_message(),
            "QuickBooks refused the document: Amount calculation incorrect"
        );
    }

    #[test]
    fn throttles_back_off_exponentially_unless_told() {
        let waits: Vec<u64> = (1..=6).map(|n| throttle_wait(None, n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
        assert_eq!(throttle_wait(Some("3"), 4), Duration::from_secs(3));
    }

    #[test]
    fn throttles_wait_server_errors_on_writes_are_unknown_and_401_is_unauthorized() {
        let throttle = br#"{"Fault":{"Error":[{"Message":"message=ThrottleExceeded; errorCode=003001; statusCode=429","code":"3001"}],"type":"SERVICE"}}"#;
        assert_eq!(
            from_status(StatusCode::TOO_MANY_REQUESTS, throttle, true),
            PlatformError::RateLimited {
                retry_after: THROTTLE_WAIT
            }
        );
        assert!(matches!(
            from_status(StatusCode::INTERNAL_SERVER_ERROR, b"{}", true),
            PlatformError::OutcomeUnknown(_)
        ));
        assert!(matches!(
            from_status(StatusCode::SERVICE_UNAVAILABLE, b"", false),
            PlatformError::Transient(_)
        ));
        let auth = br#"{"fault":{"error":[{"message":"message=AuthenticationFailed","detail":"Token expired","code":"3200"}],"type":"AUTHENTICATION"}}"#;
        assert!(matches!(
            from_status(StatusCode::UNAUTHORIZED, auth, false),
            PlatformError::Unauthorized(_)
        ));
        assert!(matches!(
            from_status(StatusCode::FORBIDDEN, b"{}", false),
            PlatformError::Deauthorized { .. }
        ));
    }
}

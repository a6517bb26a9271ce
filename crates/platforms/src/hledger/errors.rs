//! hledger-web's answers that are not successes, turned into [`PlatformError`]s.
//!
//! hledger-web 1.25 has no rate limits and no authentication of its own: a 400 is a body it
//! could not read (our bug, not the merchant's), a 403 a server started without the `add`
//! capability, and a 5xx or a lost answer after `PUT /add` leaves the write's outcome unknown.

use crate::error::PlatformError;
use reqwest::StatusCode;

pub const PLATFORM: &str = "hledger";

/// A non-success answer. `write` says whether the request could have changed the journal.
pub fn from_status(status: StatusCode, body: &[u8], write: bool) -> PlatformError {
    // The answer's body goes to our log only: it may come from whatever the URL points at,
    // and a sync's messages are shown back through the API.
    let text = String::from_utf8_lossy(body)
        .chars()
        .take(500)
        .collect::<String>();
    tracing::warn!(%status, body = %text, "hledger-web answered with an error");
    match status {
        // Behind a proxy that authenticates, or hledger-web without the `add` capability: the
        // merchant has to change the server, not retry.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => PlatformError::Deauthorized {
            reason: format!(
                "hledger-web refused the request ({status}); it must be reachable and started \
                 with the add capability (hledger-web --serve-api --capabilities=view,add)"
            ),
        },
        StatusCode::TOO_MANY_REQUESTS => PlatformError::RateLimited {
            retry_after: std::time::Duration::from_secs(60),
        },
        s if s.is_server_error() => {
            let m = format!("hledger-web answered {s}");
            if write {
                PlatformError::OutcomeUnknown(m)
            } else {
                PlatformError::Transient(m)
            }
        }
        s => PlatformError::Protocol(format!("hledger-web refused the entry ({s})")),
    }
}

/// A request that got no answer. A write that may have been sent has an unknown outcome; one
/// that never connected did nothing.
pub fn from_transport(e: &reqwest::Error, write: bool) -> PlatformError {
    let m = format!("hledger-web: {e}");
    if e.is_connect() || !write {
        PlatformError::Transient(m)
    } else {
        PlatformError::OutcomeUnknown(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_on_writes_are_unknown_and_a_missing_capability_is_for_the_merchant() {
        let e = from_status(StatusCode::INTERNAL_SERVER_ERROR, b"boom", true);
        assert!(matches!(e, PlatformError::OutcomeUnknown(_)));
        let e = from_status(StatusCode::BAD_GATEWAY, b"", false);
        assert!(matches!(e, PlatformError::Transient(_)));
        let e = from_status(StatusCode::FORBIDDEN, b"no add", true);
        let PlatformError::Deauthorized { reason } = e else {
            panic!("expected Deauthorized, got {e:?}");
        };
        assert!(reason.contains("--capabilities=view,add") && !reason.contains("no add"));
        // The remote body is never in our message, only the status.
        let e = from_status(StatusCode::BAD_REQUEST, b"\"could not parse json\"", true);
        assert!(
            matches!(e, PlatformError::Protocol(m) if m.contains("400") && !m.contains("parse"))
        );
    }
}

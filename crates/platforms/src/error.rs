//! What can go wrong when talking to an accounting platform, sorted by what the caller should do
//! about it: wait (rate limited), retry (transient), look up before retrying (outcome unknown),
//! tell the merchant (validation), or ask the merchant to reconnect (deauthorized).

use std::time::Duration;

/// A validation problem the merchant can fix, recognised from the platform's own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// An account the document uses is archived or deleted.
    ArchivedAccount,
    /// The document's date falls in a closed period (lock date, books close date).
    LockDate,
    /// A tax rate does not exist, is archived, or cannot be used on this kind of line.
    InvalidTaxRate,
    /// The document number is already taken.
    DuplicateNumber,
    /// The customer or supplier is archived.
    ArchivedContact,
    /// Anything else: the platform's message is all we have.
    Other,
}

impl Problem {
    /// Recognises a problem from a platform's validation message. Matching is by meaning words
    /// rather than exact text, since the platforms reword messages over time.
    pub fn classify(platform_message: &str) -> Problem {
        let m = platform_message.to_ascii_lowercase();
        let has = |w: &str| m.contains(w);
        if has("lock date") || has("locked period") || has("closed period") || has("books close") {
            Problem::LockDate
        } else if (has("taxtype") || has("tax type") || has("tax rate") || has("taxcode"))
            && (has("does not exist")
                || has("cannot be used")
                || has("invalid")
                || has("not valid")
                || has("archived"))
        {
            Problem::InvalidTaxRate
        } else if has("account") && (has("archived") || has("deleted") || has("inactive")) {
            Problem::ArchivedAccount
        } else if has("contact") && has("archived") {
            Problem::ArchivedContact
        } else if has("must be unique") || has("duplicate") || has("already been used") {
            Problem::DuplicateNumber
        } else {
            Problem::Other
        }
    }

    /// What the merchant reads, naming `platform` ("Xero").
    pub fn merchant_message(self, platform: &str, platform_message: &str) -> String {
        match self {
            Problem::ArchivedAccount => format!(
                "An account chosen in your sync settings has been archived or deleted in {platform}. \
                 Restore it in {platform}, or choose another account in your sync settings, then retry."
            ),
            Problem::LockDate => format!(
                "{platform} is locked for this date: the period is closed (lock date). Move the lock \
                 date in {platform}'s settings, or ask your accountant to, then retry."
            ),
            Problem::InvalidTaxRate => format!(
                "A tax rate chosen in your sync settings no longer exists in {platform} or cannot be \
                 used for this transaction. Choose another tax rate in your sync settings, then retry."
            ),
            Problem::DuplicateNumber => format!(
                "{platform} already has a document with this number. Check for a document created by \
                 hand for this day, remove or renumber it, then retry."
            ),
            Problem::ArchivedContact => format!(
                "The customer or supplier chosen in your sync settings is archived in {platform}. \
                 Restore it, or choose another one in your sync settings, then retry."
            ),
            Problem::Other => format!("{platform} refused the document: {platform_message}"),
        }
    }
}

/// An error from an accounting platform connector.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlatformError {
    /// Over a rate limit; nothing was done. Try again after `retry_after`.
    #[error("rate limited by the accounting platform; retry after {}s", .retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    /// Failed before anything could have been written (5xx on a read, connection refused,
    /// timeout on a read): safe to retry as is.
    #[error("the accounting platform is unavailable: {0}")]
    Transient(String),
    /// A write may or may not have landed (5xx or timeout after sending it): look the document
    /// up by its key before writing it again.
    #[error("the accounting platform did not say whether the write succeeded: {0}")]
    OutcomeUnknown(String),
    /// The platform refused the document; retrying the same body cannot help.
    #[error("{merchant_message}")]
    Validation {
        problem: Problem,
        /// In the merchant's language.
        merchant_message: String,
        /// The platform's own words, kept for support.
        platform_message: String,
    },
    /// The access token was refused even after a refresh.
    #[error("the accounting platform refused the access token: {0}")]
    Unauthorized(String),
    /// The connection can no longer reach the books (refresh token dead, access revoked): the
    /// merchant must reconnect.
    #[error("the connection to the accounting platform is no longer authorized: {reason}")]
    Deauthorized { reason: String },
    /// The connector does not do this.
    #[error("not supported by this accounting platform: {0}")]
    Unsupported(String),
    /// An answer we could not understand (or a 4xx that is not a validation error).
    #[error("unexpected answer from the accounting platform: {0}")]
    Protocol(String),
}

impl PlatformError {
    /// A validation error from the platform's message, recognised and translated.
    pub fn validation(platform: &str, platform_message: impl Into<String>) -> Self {
        let platform_message = platform_message.into();
        let problem = Problem::classify(&platform_message);
        PlatformError::Validation {
            problem,
            merchant_message: problem.merchant_message(platform, &platform_message),
            platform_message,
        }
    }

    /// What to show the merchant.
    pub fn merchant_message(&self) -> String {
        match self {
            PlatformError::Validation {
                merchant_message, ..
            } => merchant_message.clone(),
            PlatformError::RateLimited { .. } => {
                "Your accounting software is busy; the sync will try again shortly.".into()
            }
            PlatformError::Transient(_) | PlatformError::OutcomeUnknown(_) => {
                "Your accounting software could not be reached; the sync will try again.".into()
            }
            PlatformError::Unauthorized(_) | PlatformError::Deauthorized { .. } => {
                "The connection to your accounting software has expired or was revoked. Please \
                 reconnect it."
                    .into()
            }
            PlatformError::Unsupported(what) => {
                format!("Your accounting software does not support {what}.")
            }
            PlatformError::Protocol(_) => {
                "Your accounting software gave an unexpected answer; support has the details."
                    .into()
            }
        }
    }

    /// The platform's own words, when it gave any.
    pub fn platform_message(&self) -> Option<&str> {
        match self {
            PlatformError::Validation {
                platform_message, ..
            } => Some(platform_message),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            PlatformError::RateLimited { .. }
                | PlatformError::Transient(_)
                | PlatformError::OutcomeUnknown(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_xero_messages() {
        let cases = [
            (
                "Account code '250' has been archived, or has been deleted. Each line item must reference a valid account.",
                Problem::ArchivedAccount,
            ),
            (
                "The document date cannot be before the period lock date (31 Oct 2026).",
                Problem::LockDate,
            ),
            (
                "The TaxType code 'OUTPUT9' does not exist or cannot be used with this type of transaction.",
                Problem::InvalidTaxRate,
            ),
            ("Invoice # must be unique.", Problem::DuplicateNumber),
            (
                "The contact has been archived and cannot be used.",
                Problem::ArchivedContact,
            ),
            ("Payment amount must be greater than zero.", Problem::Other),
        ];
        for (message, problem) in cases {
            assert_eq!(Problem::classify(message), problem, "{message}");
        }
    }

    #[test]
    fn validation_keeps_the_platform_message_and_speaks_to_the_merchant() {
        let e = PlatformError::validation("Xero", "Invoice # must be unique.");
        assert_eq!(e.platform_message(), Some("Invoice # must be unique."));
        assert!(e.merchant_message().contains("Xero already has a document"));
        assert!(!e.is_retryable());
        let other = PlatformError::validation("Xero", "Something odd");
        assert_eq!(
            other.merchant_message(),
            "Xero refused the document: Something odd"
        );
    }
}

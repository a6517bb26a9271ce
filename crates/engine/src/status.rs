//! A sync's status codes and words (DOMAIN.md, "Status codes of a sync"; Codat's table in
//! `config-schema.md` §7.1), and how each failure is phrased for the merchant.

use store::SyncOutcome;

pub const IN_PROGRESS: u16 = 1000;
pub const LONG_RUNNING: u16 = 1010;
pub const DATA_WRITTEN: u16 = 2000;
pub const NOTHING_TO_WRITE: u16 = 2040;
pub const CONFIGURATION_ERROR: u16 = 4000;
pub const COMPANY_DELETED: u16 = 4040;
pub const DEAUTHORIZED: u16 = 4220;
pub const SUBSCRIPTION_EXPIRED: u16 = 4260;
pub const SERVER_ERROR: u16 = 5000;
pub const DUPLICATION_PROTECTION: u16 = 5080;
pub const DATA_PROCESSING_ERROR: u16 = 5120;
pub const DATA_WRITE_ERROR: u16 = 5130;

/// A run goes over this and reports 1010.
pub const LONG_RUNNING_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

/// The word Codat's `syncStatus` carries for a code.
pub fn word(code: u16) -> &'static str {
    match code {
        IN_PROGRESS | LONG_RUNNING => "Pushing",
        DATA_WRITTEN | NOTHING_TO_WRITE => "Complete",
        DUPLICATION_PROTECTION => "DuplicationProtection",
        DATA_WRITE_ERROR => "PushError",
        CONFIGURATION_ERROR => "ConfigurationError",
        COMPANY_DELETED | DEAUTHORIZED => "Deauthorized",
        SUBSCRIPTION_EXPIRED => "SubscriptionExpired",
        _ => "Error",
    }
}

/// Success: 2000 when something was written, else 2040.
pub fn success(data_pushed: bool) -> SyncOutcome {
    let code = if data_pushed {
        DATA_WRITTEN
    } else {
        NOTHING_TO_WRITE
    };
    SyncOutcome {
        status_code: code,
        status: word(code).to_owned(),
        error_message: None,
        exception_message: None,
        data_pushed,
    }
}

/// A failure: `message` for the merchant, `detail` for support.
pub fn failure(
    code: u16,
    message: impl Into<String>,
    detail: Option<String>,
    data_pushed: bool,
) -> SyncOutcome {
    SyncOutcome {
        status_code: code,
        status: word(code).to_owned(),
        error_message: Some(message.into()),
        exception_message: detail,
        data_pushed,
    }
}

/// Still running, `code` 1000 or 1010.
pub fn running(code: u16) -> SyncOutcome {
    SyncOutcome {
        status_code: code,
        status: word(code).to_owned(),
        error_message: None,
        exception_message: None,
        data_pushed: false,
    }
}

pub fn is_success(code: u16) -> bool {
    store::SUCCESS_CODES.contains(&code)
}

//! Why a sync could not run or write, as its outcome: the status code (DOMAIN.md), a message
//! for the merchant with what to do, and the detail for support.

use crate::connectors::{ConnectError, live_accounting};
use crate::status::{self, failure};
use domain::mapping::MappingError;
use domain::{Connection, ConnectionStatus, PlatformKey};
use platforms::PlatformError;
use store::SyncOutcome;

/// The live accounting connection, or why the sync cannot run.
pub(crate) fn check_connections(connections: &[Connection]) -> Result<&Connection, SyncOutcome> {
    let accounting = live_accounting(connections);
    let Some(accounting) = accounting else {
        return Err(failure(
            status::CONFIGURATION_ERROR,
            "No accounting platform is connected: connect Xero, QuickBooks Online or hledger.",
            None,
            false,
        ));
    };
    let name = accounting.platform_key.integration().name;
    match accounting.status {
        ConnectionStatus::Linked => {}
        ConnectionStatus::Deauthorized => {
            return Err(failure(
                status::DEAUTHORIZED,
                format!("The connection to {name} is no longer authorized: reconnect it."),
                accounting.error.as_ref().map(|e| e.message.clone()),
                false,
            ));
        }
        _ => {
            return Err(failure(
                status::CONFIGURATION_ERROR,
                format!("The connection to {name} is not authorized yet: finish connecting it."),
                None,
                false,
            ));
        }
    }
    let commerce = connections
        .iter()
        .any(|c| c.platform_key == PlatformKey::Commerce && c.status == ConnectionStatus::Linked);
    if !commerce {
        return Err(failure(
            status::CONFIGURATION_ERROR,
            "The commerce connection is missing or unlinked: create it (platform key cmrc).",
            None,
            false,
        ));
    }
    Ok(accounting)
}

pub(crate) fn connect_failure(platform: PlatformKey, e: ConnectError) -> SyncOutcome {
    let name = platform.integration().name;
    match e {
        ConnectError::NoCredentials | ConnectError::Unreadable(_) => failure(
            status::DEAUTHORIZED,
            format!("The connection to {name} must be authorized again: reconnect it."),
            Some(e.to_string()),
            false,
        ),
        other => failure(status::SERVER_ERROR, other.to_string(), None, false),
    }
}

/// A platform error met before anything was written.
pub(crate) fn platform_failure(name: &str, e: &PlatformError, data_pushed: bool) -> SyncOutcome {
    match e {
        PlatformError::Deauthorized { reason } | PlatformError::Unauthorized(reason) => failure(
            status::DEAUTHORIZED,
            format!("{name} no longer accepts our connection: reconnect it."),
            Some(reason.clone()),
            data_pushed,
        ),
        _ if is_subscription_expired(e) => failure(
            status::SUBSCRIPTION_EXPIRED,
            format!("The {name} subscription has expired: renew it, then retry."),
            Some(e.to_string()),
            data_pushed,
        ),
        _ => failure(
            status::SERVER_ERROR,
            format!("{name} could not be reached; the next sync tries again."),
            Some(e.to_string()),
            data_pushed,
        ),
    }
}

/// Xero answers a lapsed organisation as read-only, QuickBooks names the subscription.
fn is_subscription_expired(e: &PlatformError) -> bool {
    let text = e.to_string().to_ascii_lowercase();
    text.contains("subscription") || text.contains("read-only") || text.contains("read only")
}

pub(crate) fn mapping_failure(e: &MappingError) -> SyncOutcome {
    match e {
        MappingError::Overflow { .. } => failure(
            status::DATA_PROCESSING_ERROR,
            "The day's amounts are too large to process; support has the detail.",
            Some(e.to_string()),
            false,
        ),
        other => failure(status::CONFIGURATION_ERROR, other.to_string(), None, false),
    }
}

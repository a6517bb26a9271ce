//! A connection: a company's link to one platform, accounting or commerce.

use crate::ids::{CompanyId, ConnectionId};
use crate::integration::PlatformKey;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Codat's connection statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectionStatus {
    /// Created; the merchant has not yet authorized access.
    PendingAuth,
    /// Authorized and usable.
    Linked,
    /// The client or merchant unlinked it; credentials are kept no longer.
    Unlinked,
    /// The platform refused our credentials (e.g. a refresh token expired or revoked).
    Deauthorized,
}

impl ConnectionStatus {
    pub const ALL: [ConnectionStatus; 4] = [
        Self::PendingAuth,
        Self::Linked,
        Self::Unlinked,
        Self::Deauthorized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingAuth => "PendingAuth",
            Self::Linked => "Linked",
            Self::Unlinked => "Unlinked",
            Self::Deauthorized => "Deauthorized",
        }
    }
}

impl fmt::Display for ConnectionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConnectionStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| {
                format!("unknown connection status {s:?}; expected one of PendingAuth, Linked, Unlinked, Deauthorized")
            })
    }
}

/// A company's connection as stored. Credentials live apart, encrypted, and never in this value.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub id: ConnectionId,
    pub company_id: CompanyId,
    pub platform_key: PlatformKey,
    pub status: ConnectionStatus,
    pub created: Timestamp,
    pub last_sync: Option<Timestamp>,
    /// Why the connection is `Deauthorized` or failing, in the merchant's language.
    pub error: Option<ConnectionError>,
}

/// The last error a platform gave for this connection.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionError {
    pub message: String,
    pub status_code: Option<String>,
    pub errored_on: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_text() {
        for status in ConnectionStatus::ALL {
            assert_eq!(status.as_str().parse::<ConnectionStatus>().unwrap(), status);
        }
        assert!("linked".parse::<ConnectionStatus>().is_err());
    }
}

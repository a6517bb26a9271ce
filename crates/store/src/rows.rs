//! Turning stored columns into domain values, the same for both databases.

use crate::StoreError;
use crate::time::{from_db, opt_from_db};
use domain::connection::ConnectionError;
use domain::{
    ClientId, Company, CompanyId, CompanyName, CompanyTags, Connection, ConnectionId,
    ConnectionStatus, PlatformKey,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A company's columns, as read from either database.
pub(crate) struct CompanyColumns {
    pub id: Uuid,
    pub client_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub tags: String,
    pub created: i64,
    pub last_sync: Option<i64>,
}

impl CompanyColumns {
    pub fn into_company(self) -> Result<Company, StoreError> {
        const T: &str = "companies";
        let tags: BTreeMap<String, String> =
            serde_json::from_str(&self.tags).map_err(|e| StoreError::corrupt(T, e))?;
        Ok(Company {
            id: CompanyId(self.id),
            client_id: ClientId(self.client_id),
            name: CompanyName::parse(&self.name).map_err(|e| StoreError::corrupt(T, e))?,
            description: self.description,
            tags: CompanyTags::parse(tags)
                .map_err(|e| StoreError::corrupt(T, format!("{} bad tags", e.len())))?,
            created: from_db(T, self.created)?,
            last_sync: opt_from_db(T, self.last_sync)?,
        })
    }
}

pub(crate) fn tags_to_db(tags: &CompanyTags) -> String {
    serde_json::to_string(tags.as_map()).expect("a string map always serializes")
}

/// A connection's columns, as read from either database.
pub(crate) struct ConnectionColumns {
    pub id: Uuid,
    pub company_id: Uuid,
    pub platform_key: String,
    pub status: String,
    pub created: i64,
    pub last_sync: Option<i64>,
    pub error_message: Option<String>,
    pub error_status_code: Option<String>,
    pub errored_on: Option<i64>,
}

impl ConnectionColumns {
    pub fn into_connection(self) -> Result<Connection, StoreError> {
        const T: &str = "connections";
        let error = match (self.error_message, self.errored_on) {
            (Some(message), Some(on)) => Some(ConnectionError {
                message,
                status_code: self.error_status_code,
                errored_on: from_db(T, on)?,
            }),
            _ => None,
        };
        Ok(Connection {
            id: ConnectionId(self.id),
            company_id: CompanyId(self.company_id),
            platform_key: self
                .platform_key
                .parse::<PlatformKey>()
                .map_err(|e| StoreError::corrupt(T, e))?,
            status: self
                .status
                .parse::<ConnectionStatus>()
                .map_err(|e| StoreError::corrupt(T, e))?,
            created: from_db(T, self.created)?,
            last_sync: opt_from_db(T, self.last_sync)?,
            error,
        })
    }
}

/// Parses a UUID kept as text (SQLite).
pub(crate) fn uuid_from_text(table: &'static str, text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::corrupt(table, e))
}

use super::datetime;
use domain::{Connection, ConnectionStatus, SourceType};
use serde::Serialize;
use std::collections::BTreeMap;
use store::StoredReferenceData;
use utoipa::ToSchema;

/// A company's connection (Codat `Connection`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionBody {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub integration_id: String,
    pub integration_key: &'static str,
    #[schema(value_type = String, format = Uuid)]
    pub source_id: String,
    #[schema(value_type = String, example = "Accounting")]
    pub source_type: SourceType,
    pub platform_name: &'static str,
    /// Where the merchant authorizes this connection; carries a grant valid for an hour.
    pub link_url: String,
    #[schema(value_type = String, example = "Linked")]
    pub status: ConnectionStatus,
    pub last_sync: Option<String>,
    pub created: String,
    pub data_connection_errors: Vec<ConnectionErrorBody>,
    /// The books reached, once read (Codat `connectionInfo`): `organisationId` (Xero tenant id,
    /// QuickBooks realm id, hledger base URL), `organisationName`, `baseCurrency`, `country`,
    /// `booksReadAt`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub connection_info: BTreeMap<&'static str, String>,
}

/// Codat `dataConnectionError`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionErrorBody {
    pub status_code: Option<String>,
    pub error_message: String,
    pub errored_on_utc: String,
    pub status: &'static str,
}

impl ConnectionBody {
    /// `link_url`: the connection's `linkUrl` (see `link_grant::link_url`).
    pub fn new(connection: Connection, link_url: String) -> Self {
        let integration = connection.platform_key.integration();
        Self {
            id: connection.id.to_string(),
            integration_id: integration.integration_id.to_string(),
            integration_key: integration.key,
            source_id: integration.source_id.to_string(),
            source_type: integration.source_type,
            platform_name: integration.name,
            link_url,
            status: connection.status,
            last_sync: connection.last_sync.map(datetime),
            created: datetime(connection.created),
            data_connection_errors: connection
                .error
                .into_iter()
                .map(|e| ConnectionErrorBody {
                    status_code: e.status_code,
                    error_message: e.message,
                    errored_on_utc: datetime(e.errored_on),
                    status: "Active",
                })
                .collect(),
            connection_info: BTreeMap::new(),
        }
    }

    /// The same body naming the books reached, when `books` were read through it.
    pub fn with_books(mut self, books: Option<&StoredReferenceData>) -> Self {
        let Some(books) =
            books.filter(|b| b.connection_id.is_some_and(|c| c.to_string() == self.id))
        else {
            return self;
        };
        let c = &books.data.company;
        let info = &mut self.connection_info;
        if let Some(id) = &c.platform_ref {
            info.insert("organisationId", id.clone());
        }
        info.insert("organisationName", c.name.clone());
        if !c.base_currency.is_empty() {
            info.insert("baseCurrency", c.base_currency.clone());
        }
        if let Some(country) = &c.country {
            info.insert("country", country.clone());
        }
        info.insert("booksReadAt", datetime(books.fetched));
        self
    }
}

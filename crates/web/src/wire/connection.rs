use super::datetime;
use domain::{Connection, ConnectionStatus, SourceType};
use serde::Serialize;
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
    /// Where the merchant authorizes this connection.
    pub link_url: String,
    #[schema(value_type = String, example = "Linked")]
    pub status: ConnectionStatus,
    pub last_sync: Option<String>,
    pub created: String,
    pub data_connection_errors: Vec<ConnectionErrorBody>,
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
    pub fn new(connection: Connection, public_url: &str) -> Self {
        let integration = connection.platform_key.integration();
        Self {
            id: connection.id.to_string(),
            integration_id: integration.integration_id.to_string(),
            integration_key: integration.key,
            source_id: integration.source_id.to_string(),
            source_type: integration.source_type,
            platform_name: integration.name,
            link_url: format!(
                "{public_url}/sync-flow/companies/{}/connections/{}/start",
                connection.company_id, connection.id
            ),
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
        }
    }
}

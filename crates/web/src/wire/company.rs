use super::connection::ConnectionBody;
use super::datetime;
use domain::Company;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A company (Codat `Company`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompanyBody {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Where to send the merchant to connect its platforms (our hosted Sync Flow).
    pub redirect: String,
    pub last_sync: Option<String>,
    pub created: String,
    pub created_by_user_name: Option<String>,
    pub products: Vec<String>,
    pub tags: BTreeMap<String, String>,
    pub reference_subsidiary_companies: Vec<serde_json::Value>,
    pub data_connections: Vec<ConnectionBody>,
}

impl CompanyBody {
    pub fn new(company: Company, connections: Vec<ConnectionBody>, public_url: &str) -> Self {
        Self {
            id: company.id.to_string(),
            redirect: format!("{public_url}/sync-flow/companies/{}", company.id),
            name: company.name.as_str().to_owned(),
            description: company.description,
            last_sync: company.last_sync.map(datetime),
            created: datetime(company.created),
            created_by_user_name: None,
            products: vec!["commerce".to_owned()],
            tags: company.tags.into_map(),
            reference_subsidiary_companies: Vec::new(),
            data_connections: connections,
        }
    }
}

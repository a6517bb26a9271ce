//! What an operator reads and changes from the command line, across every client: API keys,
//! companies and syncs by id. The client API never uses these (it sees one client's rows
//! through the client-scoped traits); the `commerce-sync` operator commands do.

use crate::{Client, StoreError, SyncRun};
use async_trait::async_trait;
use domain::{ClientId, Company, CompanyId};
use jiff::Timestamp;
use uuid::Uuid;

/// An API key as an operator sees it: its hash (the key itself is never stored) and owner.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyInfo {
    /// Hex SHA-256 of the key; its first characters name the key in `keys revoke`.
    pub key_hash: String,
    pub client_id: ClientId,
    pub client_name: String,
    pub created: Timestamp,
}

/// Which syncs to list, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncFilter {
    pub client: Option<ClientId>,
    pub company: Option<CompanyId>,
    pub status_code: Option<u16>,
    pub limit: u64,
}

#[async_trait]
pub trait OperatorStore {
    /// Every client, oldest first.
    async fn clients(&self) -> Result<Vec<Client>, StoreError>;

    /// API keys, of one client or all, oldest first.
    async fn api_keys(&self, client: Option<ClientId>) -> Result<Vec<ApiKeyInfo>, StoreError>;

    /// Deletes the key with this hash; `false` when there is none. Requests with it are
    /// refused from the next one on (keys are looked up per request, never cached).
    async fn revoke_api_key(&self, key_hash: &str) -> Result<bool, StoreError>;

    /// Companies of one client or all, oldest first, at most `limit`.
    async fn all_companies(
        &self,
        client: Option<ClientId>,
        limit: u64,
    ) -> Result<Vec<Company>, StoreError>;

    /// A company by id, whichever client owns it.
    async fn any_company(&self, id: CompanyId) -> Result<Option<Company>, StoreError>;

    /// Syncs matching `filter`, newest first.
    async fn find_syncs(&self, filter: &SyncFilter) -> Result<Vec<SyncRun>, StoreError>;

    /// A sync by id, whichever company it belongs to.
    async fn any_sync(&self, id: Uuid) -> Result<Option<SyncRun>, StoreError>;
}

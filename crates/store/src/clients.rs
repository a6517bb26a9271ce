//! Clients (the commerce platforms using this deployment) and their hashed API keys.

use crate::StoreError;
use async_trait::async_trait;
use domain::ClientId;
use jiff::Timestamp;

/// A client of this deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    pub created: Timestamp,
}

#[async_trait]
pub trait ClientStore {
    /// The client with this name, created if absent.
    async fn ensure_client(&self, name: &str) -> Result<Client, StoreError>;

    /// Adds an API key (by its hash) to a client. Adding a hash already held is a no-op
    /// when it belongs to the same client and a conflict otherwise.
    async fn add_api_key(&self, client: ClientId, key_hash: &str) -> Result<(), StoreError>;

    /// The client owning the key with this hash.
    async fn client_by_key_hash(&self, key_hash: &str) -> Result<Option<Client>, StoreError>;
}

//! Connections of a company to its platforms, with their sealed credentials.

use crate::StoreError;
use async_trait::async_trait;
use domain::connection::ConnectionError;
use domain::{ClientId, CompanyId, Connection, ConnectionId, ConnectionStatus, PlatformKey};

/// A change of a connection's state, applied in one write.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionUpdate {
    pub status: ConnectionStatus,
    /// New sealed credentials; `Some(None)` erases them, `None` keeps what is stored.
    pub credentials: Option<Option<Vec<u8>>>,
    /// The error to show; `Some(None)` clears it.
    pub error: Option<Option<ConnectionError>>,
}

/// Every method takes the owning client and company, so ids of other clients answer `None`.
#[async_trait]
pub trait ConnectionStore {
    async fn create_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        platform: PlatformKey,
        status: ConnectionStatus,
    ) -> Result<Option<Connection>, StoreError>;

    async fn connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Connection>, StoreError>;

    /// Every connection of the company, oldest first; `None` when the company is not the client's.
    async fn list_connections(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<Vec<Connection>>, StoreError>;

    async fn update_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        update: ConnectionUpdate,
    ) -> Result<Option<Connection>, StoreError>;

    /// The connections of several of the client's companies at once (for list pages).
    async fn connections_of(
        &self,
        client: ClientId,
        companies: &[CompanyId],
    ) -> Result<Vec<Connection>, StoreError>;

    /// The sealed credentials, if the connection exists and holds any.
    async fn connection_credentials(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    async fn delete_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<bool, StoreError>;
}

//! The accounting platform's reference data held for a company (accounts, tax rates,
//! customers, suppliers, company info): what the configuration's options are built from.
//!
//! One snapshot per company, replaced whole on each write (last write wins). The client may
//! store it through the API before any connector exists (no connection); a connector's refresh
//! names the connection it read. Deleting that connection keeps the data and forgets its source.

use crate::StoreError;
use async_trait::async_trait;
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId, ConnectionId};
use jiff::Timestamp;

/// A company's stored reference data and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReferenceData {
    pub company_id: CompanyId,
    /// The accounting connection it was read through; `None` when the client stored it.
    pub connection_id: Option<ConnectionId>,
    pub data: ReferenceData,
    /// When it was read from the accounting platform (microsecond precision).
    pub fetched: Timestamp,
}

/// Every method takes the owning client: another client's company answers `None`.
#[async_trait]
pub trait ReferenceDataStore {
    /// The company's reference data; `None` when none is stored or the company is not the
    /// client's.
    async fn reference_data(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredReferenceData>, StoreError>;

    /// Replaces the company's reference data. `None` when the company is not the client's, or
    /// `connection` is not one of the company's connections.
    async fn put_reference_data(
        &self,
        client: ClientId,
        company: CompanyId,
        connection: Option<ConnectionId>,
        data: ReferenceData,
        fetched: Timestamp,
    ) -> Result<Option<StoredReferenceData>, StoreError>;
}

//! Records written since an instant: the modifications, deletes and late arrivals a sync
//! must compare with what it posted before.

use crate::{StoreError, StoredRecord};
use async_trait::async_trait;
use domain::CompanyId;
use domain::commerce::DatasetKind;
use jiff::Timestamp;

#[async_trait]
pub trait RecordChanges {
    /// Current versions (deleted ones included) written at or after `since` whose creation
    /// date is before `created_before` or unknown, by id. Records created later belong to a
    /// later period and are read with it.
    async fn records_written_since(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        since: Timestamp,
        created_before: Timestamp,
    ) -> Result<Vec<StoredRecord>, StoreError>;
}

//! Turning stored dataset and record columns into values, the same for both databases.

use crate::StoreError;
use crate::datasets::{Dataset, DatasetCounts, DatasetId, DatasetStatus, Rejection};
use crate::records::StoredRecord;
use crate::time::{from_db, opt_from_db};
use domain::commerce::DatasetKind;
use domain::{CompanyId, ConnectionId};
use uuid::Uuid;

pub(crate) fn kind_from_db(table: &'static str, text: &str) -> Result<DatasetKind, StoreError> {
    DatasetKind::from_data_type(text)
        .ok_or_else(|| StoreError::corrupt(table, format!("unknown data type {text:?}")))
}

/// Counts are never negative; a negative stored count is corruption, not a wrap-around.
fn count(table: &'static str, n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|e| StoreError::corrupt(table, e))
}

/// Counts fit i64 for any dataset we could receive; saturate rather than wrap.
pub(crate) fn count_to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A dataset's columns, as read from either database.
pub(crate) struct DatasetColumns {
    pub id: Uuid,
    pub company_id: Uuid,
    pub connection_id: Option<Uuid>,
    pub data_type: String,
    pub status: String,
    pub error_message: Option<String>,
    pub received: i64,
    pub inserted: i64,
    pub modified: i64,
    pub unchanged: i64,
    pub deleted: i64,
    pub rejected: i64,
    pub rejections: String,
    pub requested: i64,
    pub completed: Option<i64>,
}

impl DatasetColumns {
    pub fn into_dataset(self) -> Result<Dataset, StoreError> {
        const T: &str = "datasets";
        let rejections: Vec<Rejection> =
            serde_json::from_str(&self.rejections).map_err(|e| StoreError::corrupt(T, e))?;
        Ok(Dataset {
            id: DatasetId(self.id),
            company_id: CompanyId(self.company_id),
            connection_id: self.connection_id.map(ConnectionId),
            kind: kind_from_db(T, &self.data_type)?,
            status: self
                .status
                .parse::<DatasetStatus>()
                .map_err(|e| StoreError::corrupt(T, e))?,
            error_message: self.error_message,
            counts: DatasetCounts {
                received: count(T, self.received)?,
                inserted: count(T, self.inserted)?,
                modified: count(T, self.modified)?,
                unchanged: count(T, self.unchanged)?,
                deleted: count(T, self.deleted)?,
                rejected: count(T, self.rejected)?,
            },
            rejections,
            requested: from_db(T, self.requested)?,
            completed: opt_from_db(T, self.completed)?,
        })
    }
}

/// One version of a record, as read from either database (current row or history).
pub(crate) struct RecordColumns {
    pub id: String,
    pub version: i64,
    pub created_date: Option<i64>,
    pub source_modified_date: Option<i64>,
    pub deleted: bool,
    pub body: String,
    pub dataset_id: Uuid,
    pub written: i64,
}

impl RecordColumns {
    pub fn into_record(self) -> Result<StoredRecord, StoreError> {
        const T: &str = "records";
        Ok(StoredRecord {
            id: self.id,
            version: count(T, self.version)?,
            created_date: opt_from_db(T, self.created_date)?,
            source_modified_date: opt_from_db(T, self.source_modified_date)?,
            deleted: self.deleted,
            canonical_json: self.body,
            dataset_id: DatasetId(self.dataset_id),
            written: from_db(T, self.written)?,
        })
    }
}

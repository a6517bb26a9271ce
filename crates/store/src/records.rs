//! Commerce records: the current version of each (company, data type, id) and its history.
//!
//! Pushes are idempotent by `id` + `sourceModifiedDate` (Codat's rule, `commerce-data-model.md`
//! §1): the same key again changes nothing; a new date makes the pushed body the current
//! version and moves the old one to the history, so a later sync can post the difference as
//! an adjustment. The last write of an id wins, even when its date is older than the stored
//! one: the client's latest word is the truth, and Codat compares the dates for equality only.

use crate::StoreError;
use crate::datasets::DatasetId;
use async_trait::async_trait;
use domain::CompanyId;
use domain::commerce::{CommerceRecord, DatasetKind, Parsed, RecordError};
use jiff::Timestamp;

/// One record of a push, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    pub id: String,
    /// Selects the sync period; `None` for deletes and models without one.
    pub created_date: Option<Timestamp>,
    pub source_modified_date: Option<Timestamp>,
    /// The canonical body, stored and returned byte for byte.
    pub canonical_json: String,
    pub delete: bool,
}

impl RecordChange {
    /// The change a parsed record asks for.
    pub fn from_parsed<T: CommerceRecord>(parsed: &Parsed<T>) -> Self {
        Self {
            id: parsed.id().to_owned(),
            created_date: parsed.created_date(),
            source_modified_date: parsed.source_modified_date(),
            canonical_json: parsed.canonical.to_string(),
            delete: parsed.record().is_none(),
        }
    }

    /// The same change from a record parsed with its canonical text, which it takes over.
    pub fn from_parsed_text<T: CommerceRecord>(parsed: Parsed<T, String>) -> Self {
        Self {
            id: parsed.id().to_owned(),
            created_date: parsed.created_date(),
            source_modified_date: parsed.source_modified_date(),
            delete: parsed.record().is_none(),
            canonical_json: parsed.canonical,
        }
    }
}

/// What one call of [`RecordStore::apply_changes`] did, one count per change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyCounts {
    /// Ids never stored before.
    pub inserted: u64,
    /// New versions of stored ids, including ids re-created after a delete.
    pub modified: u64,
    /// Nothing written: the same `id` + `sourceModifiedDate` again, a delete of an id
    /// already deleted, or a delete of an id never stored.
    pub unchanged: u64,
    /// Stored, live records now marked deleted.
    pub deleted: u64,
}

impl ApplyCounts {
    pub fn total(&self) -> u64 {
        self.inserted + self.modified + self.unchanged + self.deleted
    }
}

impl std::ops::AddAssign for ApplyCounts {
    fn add_assign(&mut self, other: Self) {
        self.inserted += other.inserted;
        self.modified += other.modified;
        self.unchanged += other.unchanged;
        self.deleted += other.deleted;
    }
}

/// One version of a record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: String,
    /// 1 for the first version, +1 for each change (a delete is a version too).
    pub version: u64,
    pub created_date: Option<Timestamp>,
    pub source_modified_date: Option<Timestamp>,
    pub deleted: bool,
    /// The canonical body; for a delete, the pushed `{"id": …}`.
    pub canonical_json: String,
    /// The push that wrote this version.
    pub dataset_id: DatasetId,
    pub written: Timestamp,
}

/// A record's current version and every version it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHistory {
    pub current: StoredRecord,
    /// Superseded versions, oldest first.
    pub previous: Vec<StoredRecord>,
}

#[async_trait]
pub trait RecordStore {
    /// Stores a push's records in one transaction: all or nothing. An id repeated within
    /// `changes` is applied in order. Deleting keeps the history and a tombstone with the
    /// last creation date; a deleted id pushed again comes back as a new version.
    async fn apply_changes(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        dataset: DatasetId,
        changes: Vec<RecordChange>,
    ) -> Result<ApplyCounts, StoreError>;

    /// Claims a `Queued` dataset, stores its records (as [`RecordStore::apply_changes`]) and
    /// finishes it `Complete` with what storing did and the rejected records' `errors`, in
    /// one transaction: one write instead of three, and no `Processing` dataset left behind
    /// by a failure. `None` (nothing written) when the dataset was not queued.
    async fn store_dataset(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        dataset: DatasetId,
        changes: Vec<RecordChange>,
        received: u64,
        errors: &[RecordError],
    ) -> Result<Option<ApplyCounts>, StoreError>;

    /// Current, live records created in `[start, end)`, by creation date then id.
    async fn records_created_between(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<StoredRecord>, StoreError>;

    /// One record with its history, deleted or not; `None` when never stored.
    async fn record(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        id: &str,
    ) -> Result<Option<RecordHistory>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::commerce::parse_payments;

    #[test]
    fn a_parsed_delete_becomes_a_delete_change() {
        let body = serde_json::json!([{ "id": "p1", "amount": null }]);
        let (parsed, errors) = parse_payments(&body, "/payments");
        assert!(errors.is_empty(), "{errors:?}");
        let change = RecordChange::from_parsed(&parsed[0]);
        assert_eq!(
            change,
            RecordChange {
                id: "p1".into(),
                created_date: None,
                source_modified_date: None,
                canonical_json: r#"{"id":"p1"}"#.into(),
                delete: true,
            }
        );
    }
}

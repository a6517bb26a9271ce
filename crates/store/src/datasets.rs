//! Datasets: one push of one data type for one company, and what became of its records.
//!
//! A dataset is created `Queued` when the push is accepted, claimed (`Processing`) by whoever
//! stores its records, and finished once: `Complete` or an error status with its reason.
//! Statuses and their names follow Codat's dataset status (`config-schema.md` §8).

use crate::StoreError;
use crate::records::ApplyCounts;
use async_trait::async_trait;
use domain::commerce::{DatasetKind, RecordError};
use domain::{ClientId, CompanyId, ConnectionId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A dataset's id, returned to the client as `datasetId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatasetId(pub Uuid);

impl DatasetId {
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }
}

impl Default for DatasetId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for DatasetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for DatasetId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// The subset of Codat's dataset statuses a pushed dataset can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatasetStatus {
    Queued,
    Processing,
    Complete,
    /// Nothing could be stored because the body itself was unacceptable.
    ValidationError,
    /// Storing the records failed.
    ProcessingError,
    /// A fault of ours (e.g. the worker gave up).
    InternalError,
}

impl DatasetStatus {
    pub const ALL: [DatasetStatus; 6] = [
        DatasetStatus::Queued,
        DatasetStatus::Processing,
        DatasetStatus::Complete,
        DatasetStatus::ValidationError,
        DatasetStatus::ProcessingError,
        DatasetStatus::InternalError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DatasetStatus::Queued => "Queued",
            DatasetStatus::Processing => "Processing",
            DatasetStatus::Complete => "Complete",
            DatasetStatus::ValidationError => "ValidationError",
            DatasetStatus::ProcessingError => "ProcessingError",
            DatasetStatus::InternalError => "InternalError",
        }
    }

    /// A final status: nothing changes the dataset afterwards.
    pub fn is_finished(self) -> bool {
        !matches!(self, DatasetStatus::Queued | DatasetStatus::Processing)
    }

    /// Codat's `isErrored`.
    pub fn is_errored(self) -> bool {
        self.is_finished() && self != DatasetStatus::Complete
    }
}

impl FromStr for DatasetStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown dataset status {s:?}"))
    }
}

/// What happened to a dataset's records. `received` is set when the dataset is created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DatasetCounts {
    pub received: u64,
    pub inserted: u64,
    pub modified: u64,
    pub unchanged: u64,
    pub deleted: u64,
    /// Records refused whole by validation (each may have several errors).
    pub rejected: u64,
}

/// One error of a rejected record, as stored with its dataset. `rule` is the domain's
/// `ErrorKind::as_str` (the API's `validatorName`), kept as text so old rows always read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub pointer: String,
    pub rule: String,
    pub message: String,
}

impl From<&RecordError> for Rejection {
    fn from(e: &RecordError) -> Self {
        Self {
            index: e.index,
            id: e.id.clone(),
            pointer: e.pointer.clone(),
            rule: e.kind.as_str().to_owned(),
            message: e.message.clone(),
        }
    }
}

/// A pushed dataset as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub id: DatasetId,
    pub company_id: CompanyId,
    /// The commerce connection the data came through, when known.
    pub connection_id: Option<ConnectionId>,
    pub kind: DatasetKind,
    pub status: DatasetStatus,
    /// Why the dataset errored; `None` unless `status.is_errored()`.
    pub error_message: Option<String>,
    pub counts: DatasetCounts,
    pub rejections: Vec<Rejection>,
    pub requested: Timestamp,
    pub completed: Option<Timestamp>,
}

/// A push just accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDataset {
    pub kind: DatasetKind,
    pub connection_id: Option<ConnectionId>,
    /// How many records the body held (good and bad).
    pub received: u64,
}

/// How a dataset ended. Counts other than `received` replace the stored ones.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetOutcome {
    /// Must be a finished status ([`DatasetStatus::is_finished`]).
    pub status: DatasetStatus,
    pub error_message: Option<String>,
    pub counts: DatasetCounts,
    pub rejections: Vec<Rejection>,
}

impl DatasetOutcome {
    /// A `Complete` outcome from what storing the good records did and the errors of the
    /// rejected ones (a record with several errors counts once).
    pub fn complete(applied: ApplyCounts, errors: &[RecordError]) -> Self {
        let rejected: BTreeSet<usize> = errors.iter().map(|e| e.index).collect();
        Self {
            status: DatasetStatus::Complete,
            error_message: None,
            counts: DatasetCounts {
                received: 0,
                inserted: applied.inserted,
                modified: applied.modified,
                unchanged: applied.unchanged,
                deleted: applied.deleted,
                rejected: rejected.len() as u64,
            },
            rejections: errors.iter().map(Rejection::from).collect(),
        }
    }

    /// [`DatasetOutcome::complete`] with the dataset's `received` count set.
    pub(crate) fn stored(applied: ApplyCounts, errors: &[RecordError], received: u64) -> Self {
        let mut outcome = Self::complete(applied, errors);
        outcome.counts.received = received;
        outcome
    }

    /// Refuses an outcome that is not final, before anything is written.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.status.is_finished() {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "a dataset cannot finish as {}",
                self.status.as_str()
            )))
        }
    }

    pub(crate) fn rejections_json(&self) -> String {
        rejections_to_db(&self.rejections)
    }
}

pub(crate) fn rejections_to_db(rejections: &[Rejection]) -> String {
    serde_json::to_string(rejections).expect("rejections always serialize")
}

/// Reads and status changes. Reads take the owning client like companies do; the status
/// changes are the worker's and go by dataset id alone.
#[async_trait]
pub trait DatasetStore {
    /// Records a push as `Queued`; `None` when the company is not the client's or the
    /// connection, if given, is not the company's.
    async fn create_dataset(
        &self,
        client: ClientId,
        company: CompanyId,
        new: NewDataset,
    ) -> Result<Option<Dataset>, StoreError>;

    /// [`DatasetStore::create_dataset`], keeping `body` durably in the same transaction until
    /// the dataset finishes, so an acknowledged push survives a crash.
    async fn create_dataset_with_body(
        &self,
        client: ClientId,
        company: CompanyId,
        new: NewDataset,
        body: &[u8],
    ) -> Result<Option<Dataset>, StoreError>;

    /// `Queued` datasets with a kept body requested before `requested_before`, oldest first:
    /// pushes acknowledged by a process that stopped before storing them.
    async fn queued_datasets(
        &self,
        requested_before: Timestamp,
        limit: u64,
    ) -> Result<Vec<Dataset>, StoreError>;

    /// The kept body of an unfinished dataset.
    async fn dataset_body(&self, id: DatasetId) -> Result<Option<Vec<u8>>, StoreError>;

    /// The company's newest datasets, if it is the client's (empty otherwise).
    async fn recent_datasets(
        &self,
        client: ClientId,
        company: CompanyId,
        limit: u64,
    ) -> Result<Vec<Dataset>, StoreError>;

    /// The dataset, if it belongs to this client's company.
    async fn dataset(
        &self,
        client: ClientId,
        company: CompanyId,
        id: DatasetId,
    ) -> Result<Option<Dataset>, StoreError>;

    /// Moves a `Queued` dataset to `Processing`. `true` for exactly one of several callers
    /// racing for it; `false` when it is not queued (claimed, finished or unknown).
    async fn claim_dataset(&self, id: DatasetId) -> Result<bool, StoreError>;

    /// Finishes a `Queued` or `Processing` dataset with `outcome` and the completion time.
    /// `false` when it was already finished (the first outcome stands) or is unknown.
    async fn finish_dataset(
        &self,
        id: DatasetId,
        outcome: DatasetOutcome,
    ) -> Result<bool, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::commerce::parse_orders;

    #[test]
    fn statuses_read_back_and_classify() {
        for status in DatasetStatus::ALL {
            assert_eq!(status.as_str().parse::<DatasetStatus>(), Ok(status));
        }
        assert!("complete".parse::<DatasetStatus>().is_err());
        let errored: Vec<_> = DatasetStatus::ALL
            .into_iter()
            .filter(|s| s.is_errored())
            .collect();
        assert_eq!(
            errored,
            [
                DatasetStatus::ValidationError,
                DatasetStatus::ProcessingError,
                DatasetStatus::InternalError
            ]
        );
        assert!(DatasetStatus::Complete.is_finished());
        assert!(!DatasetStatus::Processing.is_finished());
    }

    #[test]
    fn a_complete_outcome_counts_each_rejected_record_once() {
        let bad = serde_json::json!([{ "id": "o1", "totalAmount": "x", "currency": 5 }, 7]);
        let (_, errors) = parse_orders(&bad, "/orders");
        assert!(errors.len() > 2, "several errors for the first record");
        let applied = ApplyCounts {
            inserted: 3,
            modified: 1,
            unchanged: 2,
            deleted: 1,
        };
        let outcome = DatasetOutcome::complete(applied, &errors);
        assert_eq!(outcome.status, DatasetStatus::Complete);
        assert_eq!(outcome.counts.rejected, 2);
        assert_eq!(outcome.counts.inserted, 3);
        assert_eq!(outcome.counts.deleted, 1);
        assert_eq!(outcome.rejections.len(), errors.len());
        assert_eq!(outcome.rejections[0].rule, errors[0].kind.as_str());
    }
}

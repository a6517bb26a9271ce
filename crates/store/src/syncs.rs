//! Sync runs, their push items, what has been posted, and each company's schedule state.
//!
//! Exactly once on the books rests on three writes here:
//! 1. [`SyncStore::plan_sync`] stores, in one transaction, one push item per document to
//!    write and what those documents post per record (so the next run maps only what is new).
//!    A run interrupted after this point resumes from the stored items; it never maps again.
//! 2. [`SyncStore::push_item_started`] is committed before each remote write, and
//! 3. [`SyncStore::push_item_finished`] after it, with the platform's id or its errors.
//!
//! An item left started but unfinished (its worker died mid-call) has an unknown outcome:
//! the connector looks its key up in the books before writing it again.

use crate::StoreError;
use async_trait::async_trait;
use domain::CompanyId;
use domain::mapping::PostedRecord;
use jiff::Timestamp;
use serde_json::Value;
use uuid::Uuid;

/// Why a sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    /// The daily (or monthly) schedule.
    Scheduled,
    /// `POST …/sync/commerce/latest`.
    Latest,
    /// `POST …/sync/commerce/historic`: a range; refused when it overlaps another.
    Historic,
}

impl SyncKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Latest => "latest",
            Self::Historic => "historic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Scheduled, Self::Latest, Self::Historic]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A sync to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSync {
    pub id: Uuid,
    pub company_id: CompanyId,
    pub kind: SyncKind,
    pub period_start: Timestamp,
    pub period_end: Timestamp,
    pub requested: Timestamp,
}

/// A sync's status: its code and words (DOMAIN.md, "Status codes of a sync").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome {
    pub status_code: u16,
    pub status: String,
    /// For the merchant: what went wrong and what to do.
    pub error_message: Option<String>,
    /// For support: the technical detail.
    pub exception_message: Option<String>,
    pub data_pushed: bool,
}

/// A stored sync.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRun {
    pub id: Uuid,
    pub company_id: CompanyId,
    pub kind: SyncKind,
    pub period_start: Timestamp,
    pub period_end: Timestamp,
    pub outcome: SyncOutcome,
    pub requested: Timestamp,
    pub started: Option<Timestamp>,
    pub completed: Option<Timestamp>,
    /// Its push items and posted state are stored (the run is past mapping).
    pub planned: bool,
}

/// Codes of runs still going: 1000 in progress, 1010 over ten minutes.
pub const RUNNING_CODES: [u16; 2] = [1000, 1010];
/// Codes of successful runs.
pub const SUCCESS_CODES: [u16; 2] = [2000, 2040];

/// A push item's status (Codat's `PushOperationStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushStatus {
    Pending,
    Success,
    Failed,
    TimedOut,
}

impl PushStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Success => "Success",
            Self::Failed => "Failed",
            Self::TimedOut => "TimedOut",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Success, Self::Failed, Self::TimedOut]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A document to write, as planned.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPushItem {
    /// The `pushOperationKey`.
    pub key: Uuid,
    /// `DocumentKey::full()`: unique per company, the idempotency key.
    pub document_key: String,
    /// `DocumentKind::as_str()`.
    pub kind: String,
    /// The mapped document (JSON of `domain::documents::Document`).
    pub document: Value,
}

/// What became of a write.
#[derive(Debug, Clone, PartialEq)]
pub struct PushResult {
    pub status: PushStatus,
    /// HTTP-like: 200 written, 400 refused, 429/5xx not reached, 504 unknown.
    pub status_code: u16,
    pub platform_id: Option<String>,
    pub platform_number: Option<String>,
    pub platform_status: Option<String>,
    pub error_message: Option<String>,
    /// `{"errors": [...], "warnings": [...]}` in Codat's validation shape.
    pub validation: Option<Value>,
}

/// A stored push item.
#[derive(Debug, Clone, PartialEq)]
pub struct PushItem {
    pub key: Uuid,
    pub sync_id: Uuid,
    pub company_id: CompanyId,
    pub position: u32,
    pub document_key: String,
    pub kind: String,
    pub document: Value,
    pub result: PushResult,
    /// Remote writes begun (a started attempt whose result is missing has an unknown outcome).
    pub attempts: u32,
    pub requested: Timestamp,
    pub started: Option<Timestamp>,
    pub completed: Option<Timestamp>,
}

/// What a planned run posts: per record key (`orders/<id>`…), and the revision per period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostedChanges {
    pub records: Vec<(String, PostedRecord)>,
    pub revisions: Vec<(String, u32)>,
}

/// Where a company's schedule stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleState {
    /// End of the last successful period: the next one starts here.
    pub last_success_end: Option<Timestamp>,
    /// Failed due syncs in a row (31 disable the sync).
    pub consecutive_failures: u32,
    pub disabled_at: Option<Timestamp>,
    pub disabled_reason: Option<String>,
    /// The configuration version the schedule was disabled at: a newer one re-enables.
    pub config_version: Option<u64>,
    /// Records written after this instant may change what earlier runs posted.
    pub changes_since: Option<Timestamp>,
}

/// A page of a company's push items.
#[derive(Debug, Clone, PartialEq)]
pub struct PushItemPage {
    pub items: Vec<PushItem>,
    pub total: u64,
}

#[async_trait]
pub trait SyncStore {
    /// Creates a sync in progress (1000). With `refuse_overlap`, a range overlapping a
    /// running or successful sync of the company is stored as refused (5080, completed,
    /// naming the other sync) instead: both in one transaction, so two racing requests
    /// cannot both pass.
    async fn create_sync(&self, sync: NewSync, refuse_overlap: bool)
    -> Result<SyncRun, StoreError>;

    /// One of the company's syncs.
    async fn sync_run(&self, company: CompanyId, id: Uuid) -> Result<Option<SyncRun>, StoreError>;

    /// The company's syncs, newest first.
    async fn syncs(
        &self,
        company: CompanyId,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<SyncRun>, StoreError>;

    /// The newest sync, and the newest successful one.
    async fn latest_syncs(
        &self,
        company: CompanyId,
    ) -> Result<(Option<SyncRun>, Option<SyncRun>), StoreError>;

    /// Unfinished syncs requested before `requested_before` whose company has no queued or
    /// running job: nothing will ever finish them (e.g. the process died between creating the
    /// sync and queueing its job). Oldest first, at most `limit`.
    async fn orphaned_syncs(
        &self,
        requested_before: Timestamp,
        limit: u64,
    ) -> Result<Vec<SyncRun>, StoreError>;

    /// Marks the sync started (first time only) and sets its outcome to in progress.
    async fn start_sync(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError>;

    /// Sets a running sync's status code (e.g. 1010 when it runs long).
    async fn set_sync_status(&self, id: Uuid, outcome: SyncOutcome) -> Result<(), StoreError>;

    /// Stores the run's push items (in order) and what they post, and moves the company's
    /// `changes_since`, in one transaction. Does nothing when the sync is planned already.
    async fn plan_sync(
        &self,
        sync: Uuid,
        company: CompanyId,
        items: Vec<NewPushItem>,
        posted: PostedChanges,
        changes_since: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// What earlier runs posted for `record_keys`, and the last revision of `periods`.
    async fn posted_state(
        &self,
        company: CompanyId,
        record_keys: &[String],
        periods: &[String],
    ) -> Result<domain::mapping::SyncedState, StoreError>;

    /// The sync's push items in write order.
    async fn sync_push_items(&self, sync: Uuid) -> Result<Vec<PushItem>, StoreError>;

    /// The company's push items not written yet (pending, failed, timed out), oldest first.
    async fn unfinished_push_items(&self, company: CompanyId) -> Result<Vec<PushItem>, StoreError>;

    /// The company's push items, newest first.
    async fn push_items(
        &self,
        company: CompanyId,
        offset: u64,
        limit: u64,
    ) -> Result<PushItemPage, StoreError>;

    async fn push_item(
        &self,
        company: CompanyId,
        key: Uuid,
    ) -> Result<Option<PushItem>, StoreError>;

    /// Committed before a remote write: one more attempt, started now, status Pending.
    async fn push_item_started(&self, key: Uuid, now: Timestamp) -> Result<(), StoreError>;

    /// Committed after a remote write.
    async fn push_item_finished(
        &self,
        key: Uuid,
        result: PushResult,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Ends the sync with `outcome` and stores the company's schedule state, in one
    /// transaction (`schedule: None` leaves it alone).
    async fn finish_sync(
        &self,
        id: Uuid,
        outcome: SyncOutcome,
        schedule: Option<ScheduleState>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// The company's schedule state; the default when it never ran.
    async fn schedule_state(&self, company: CompanyId) -> Result<ScheduleState, StoreError>;

    /// Stores the schedule state alone (re-enable, disable).
    async fn put_schedule_state(
        &self,
        company: CompanyId,
        state: ScheduleState,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}

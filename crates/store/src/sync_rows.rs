//! Stored columns of jobs, syncs and push items into values, the same for both databases.

use crate::StoreError;
use crate::jobs::{Job, JobRecord};
use crate::syncs::{
    PushItem, PushResult, PushStatus, ScheduleState, SyncKind, SyncOutcome, SyncRun,
};
use crate::time::{from_db, opt_from_db};
use domain::CompanyId;
use domain::mapping::{PostedRecord, SyncedState};
use serde_json::Value;
use uuid::Uuid;

fn json(table: &'static str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(table, e))
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

pub(crate) struct JobColumns {
    pub id: Uuid,
    pub kind: String,
    pub company_id: Uuid,
    pub unique_key: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub lease_owner: Option<String>,
    pub lease_expires: Option<i64>,
    pub last_error: Option<String>,
    pub created: i64,
    pub updated: i64,
}

impl JobColumns {
    pub fn into_job(self) -> Result<Job, StoreError> {
        const T: &str = "jobs";
        Ok(Job {
            id: self.id,
            kind: self.kind,
            company_id: CompanyId(self.company_id),
            unique_key: self.unique_key,
            payload: json(T, &self.payload)?,
            attempts: count(self.attempts),
            lease_owner: self.lease_owner.unwrap_or_default(),
            lease_expires: from_db(T, self.lease_expires.unwrap_or_default())?,
        })
    }

    pub fn into_record(self) -> Result<JobRecord, StoreError> {
        Ok(JobRecord {
            id: self.id,
            kind: self.kind,
            company_id: CompanyId(self.company_id),
            unique_key: self.unique_key,
            payload: json("jobs", &self.payload)?,
            status: self.status,
            attempts: count(self.attempts),
            last_error: self.last_error,
            created: from_db("jobs", self.created)?,
            updated: from_db("jobs", self.updated)?,
        })
    }
}

pub(crate) struct SyncColumns {
    pub id: Uuid,
    pub company_id: Uuid,
    pub kind: String,
    pub period_start: i64,
    pub period_end: i64,
    pub status_code: i64,
    pub status: String,
    pub error_message: Option<String>,
    pub exception_message: Option<String>,
    pub data_pushed: bool,
    pub requested: i64,
    pub started: Option<i64>,
    pub completed: Option<i64>,
    pub planned: bool,
}

impl SyncColumns {
    pub fn into_sync(self) -> Result<SyncRun, StoreError> {
        const T: &str = "syncs";
        Ok(SyncRun {
            id: self.id,
            company_id: CompanyId(self.company_id),
            kind: SyncKind::parse(&self.kind)
                .ok_or_else(|| StoreError::corrupt(T, format!("kind {:?}", self.kind)))?,
            period_start: from_db(T, self.period_start)?,
            period_end: from_db(T, self.period_end)?,
            outcome: SyncOutcome {
                status_code: u16::try_from(self.status_code).unwrap_or(5000),
                status: self.status,
                error_message: self.error_message,
                exception_message: self.exception_message,
                data_pushed: self.data_pushed,
            },
            requested: from_db(T, self.requested)?,
            started: opt_from_db(T, self.started)?,
            completed: opt_from_db(T, self.completed)?,
            planned: self.planned,
        })
    }
}

pub(crate) struct PushItemColumns {
    pub key: Uuid,
    pub sync_id: Uuid,
    pub company_id: Uuid,
    pub position: i64,
    pub document_key: String,
    pub kind: String,
    pub document: String,
    pub status: String,
    pub status_code: i64,
    pub platform_id: Option<String>,
    pub platform_number: Option<String>,
    pub platform_status: Option<String>,
    pub error_message: Option<String>,
    pub validation: Option<String>,
    pub attempts: i64,
    pub requested: i64,
    pub started: Option<i64>,
    pub completed: Option<i64>,
}

impl PushItemColumns {
    pub fn into_item(self) -> Result<PushItem, StoreError> {
        const T: &str = "push_items";
        Ok(PushItem {
            key: self.key,
            sync_id: self.sync_id,
            company_id: CompanyId(self.company_id),
            position: count(self.position),
            document_key: self.document_key,
            kind: self.kind,
            document: json(T, &self.document)?,
            result: PushResult {
                status: PushStatus::parse(&self.status)
                    .ok_or_else(|| StoreError::corrupt(T, format!("status {:?}", self.status)))?,
                status_code: u16::try_from(self.status_code).unwrap_or(500),
                platform_id: self.platform_id,
                platform_number: self.platform_number,
                platform_status: self.platform_status,
                error_message: self.error_message,
                validation: self.validation.as_deref().map(|v| json(T, v)).transpose()?,
            },
            attempts: count(self.attempts),
            requested: from_db(T, self.requested)?,
            started: opt_from_db(T, self.started)?,
            completed: opt_from_db(T, self.completed)?,
        })
    }
}

pub(crate) struct ScheduleColumns {
    pub last_success_end: Option<i64>,
    pub consecutive_failures: i64,
    pub disabled_at: Option<i64>,
    pub disabled_reason: Option<String>,
    pub config_version: Option<i64>,
    pub changes_since: Option<i64>,
}

impl ScheduleColumns {
    pub fn into_state(self) -> Result<ScheduleState, StoreError> {
        const T: &str = "sync_schedules";
        Ok(ScheduleState {
            last_success_end: opt_from_db(T, self.last_success_end)?,
            consecutive_failures: count(self.consecutive_failures),
            disabled_at: opt_from_db(T, self.disabled_at)?,
            disabled_reason: self.disabled_reason,
            config_version: self.config_version.map(|v| v.max(0) as u64),
            changes_since: opt_from_db(T, self.changes_since)?,
        })
    }
}

/// Adds one stored `posted_records` row to `state`.
pub(crate) fn add_posted(
    state: &mut SyncedState,
    record_key: String,
    period: String,
    source_modified_date: Option<i64>,
    contribution: &str,
) -> Result<(), StoreError> {
    const T: &str = "posted_records";
    state.records.insert(
        record_key,
        PostedRecord {
            source_modified_date: opt_from_db(T, source_modified_date)?,
            period,
            contribution: serde_json::from_str(contribution)
                .map_err(|e| StoreError::corrupt(T, e))?,
        },
    );
    Ok(())
}

/// The JSON stored for a contribution.
pub(crate) fn contribution_json(posted: &PostedRecord) -> String {
    serde_json::to_string(&posted.contribution).expect("totals always serialize")
}

/// The text stored for a refused (5080) range: names the sync it overlaps.
pub(crate) fn overlap_outcome(other: &SyncRun) -> SyncOutcome {
    SyncOutcome {
        status_code: 5080,
        status: "DuplicationProtection".to_owned(),
        error_message: Some(format!(
            "This range overlaps sync {} ({} to {}), which is running or has written its data: \
             nothing was written twice. Request a range that does not overlap it.",
            other.id, other.period_start, other.period_end
        )),
        exception_message: None,
        data_pushed: false,
    }
}

/// The outcome of a sync just created.
pub(crate) fn started_outcome() -> SyncOutcome {
    SyncOutcome {
        status_code: 1000,
        status: "Started".to_owned(),
        error_message: None,
        exception_message: None,
        data_pushed: false,
    }
}

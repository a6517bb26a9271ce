//! Syncs asked for through the API: `latest` (from the last success up to `syncTo`) and
//! `historic` (a range, refused with 5080 when it overlaps a running or successful sync), and
//! the retry of a sync's failed push items.

use crate::sync_run::{SYNC_JOB, SyncJob};
use domain::CompanyId;
use domain::clock::Clock;
use domain::config::{ConfigDocument, typed_schedule};
use domain::period::check_instant;
use jiff::Timestamp;
use serde_json::Value;
use std::sync::Arc;
use store::{NewJob, NewSync, Store, StoreError, SyncKind, SyncRun};
use uuid::Uuid;

/// Why a request was refused before any sync was created.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The range is empty or reversed (`field` names the bad one).
    #[error("{message}")]
    BadRange {
        field: &'static str,
        message: String,
    },
    /// The company's configuration does not say where syncs start.
    #[error("{0}")]
    NotConfigured(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Requests {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

impl Requests {
    /// A sync from the last successful one (or the start date) up to `sync_to` (default now).
    pub async fn latest(
        &self,
        company: CompanyId,
        document: Option<&ConfigDocument>,
        sync_to: Option<Timestamp>,
    ) -> Result<SyncRun, RequestError> {
        let Some(document) = document else {
            return Err(RequestError::NotConfigured(
                "the company has no configuration: complete the Sync Flow first".into(),
            ));
        };
        let schedule = typed_schedule(document).map_err(|errors| {
            let list: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            RequestError::NotConfigured(list.join("; "))
        })?;
        let now = self.clock.now();
        let end = sync_to.unwrap_or(now);
        supported("/syncTo", end)?;
        let state = self.store.schedule_state(company).await?;
        let start = crate::scheduler::next_period_start(&state, &schedule);
        if end <= start {
            return Err(RequestError::BadRange {
                field: "/syncTo",
                message: format!(
                    "syncTo ({end}) must be after the start of the period to sync ({start}): \
                     everything before it is synced already"
                ),
            });
        }
        self.queue(company, SyncKind::Latest, start, end, false)
            .await
    }

    /// A sync of `[start, finish)`; refused (stored with 5080) when it overlaps another.
    pub async fn historic(
        &self,
        company: CompanyId,
        start: Timestamp,
        finish: Timestamp,
    ) -> Result<SyncRun, RequestError> {
        supported("/dateRange/start", start)?;
        supported("/dateRange/finish", finish)?;
        if finish <= start {
            return Err(RequestError::BadRange {
                field: "/dateRange/finish",
                message: format!("finish ({finish}) must be after start ({start})"),
            });
        }
        self.queue(company, SyncKind::Historic, start, finish, true)
            .await
    }

    /// Runs a sync again to write its failed push items (never what succeeded).
    pub async fn retry(&self, sync: &SyncRun) -> Result<(), StoreError> {
        let job = SyncJob {
            sync_id: sync.id,
            kind: sync.kind.as_str().to_owned(),
            period_start: sync.period_start,
            period_end: sync.period_end,
            retry: true,
        };
        let now = self.clock.now();
        self.store
            .enqueue_job(
                NewJob {
                    kind: SYNC_JOB.to_owned(),
                    company_id: sync.company_id,
                    unique_key: format!("retry:{}:{}", sync.id, Uuid::new_v4()),
                    payload: to_value(&job),
                    run_after: now,
                },
                now,
            )
            .await?;
        Ok(())
    }

    async fn queue(
        &self,
        company: CompanyId,
        kind: SyncKind,
        start: Timestamp,
        end: Timestamp,
        refuse_overlap: bool,
    ) -> Result<SyncRun, RequestError> {
        let now = self.clock.now();
        let new = NewSync {
            id: Uuid::new_v4(),
            company_id: company,
            kind,
            period_start: start,
            period_end: end,
            requested: now,
        };
        let sync = self.store.create_sync(new, refuse_overlap).await?;
        if sync.completed.is_some() {
            return Ok(sync); // refused: 5080
        }
        let job = SyncJob {
            sync_id: sync.id,
            kind: kind.as_str().to_owned(),
            period_start: start,
            period_end: end,
            retry: false,
        };
        self.store
            .enqueue_job(
                NewJob {
                    kind: SYNC_JOB.to_owned(),
                    company_id: company,
                    unique_key: format!("sync:{company}:{}:{}", kind.as_str(), sync.id),
                    payload: to_value(&job),
                    run_after: now,
                },
                now,
            )
            .await?;
        Ok(sync)
    }
}

/// Refuses an instant outside the supported dates before it reaches the schedule arithmetic.
fn supported(field: &'static str, t: Timestamp) -> Result<(), RequestError> {
    check_instant(t)
        .map(|_| ())
        .map_err(|e| RequestError::BadRange {
            field,
            message: format!("{}: {e}", &field[1..]),
        })
}

fn to_value(job: &SyncJob) -> Value {
    serde_json::to_value(job).expect("a job serializes")
}

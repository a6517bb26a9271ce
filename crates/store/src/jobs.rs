//! The durable job queue the workers share.
//!
//! A job is claimed with a lease (an owner and an expiry) that its worker renews while it
//! works. A worker that dies stops renewing; once the lease expires any worker claims the job
//! again, so no job is lost across crashes or restarts. Two rules are enforced by the
//! database, not by the workers: a `unique_key` is used once (enqueueing a scheduled due date
//! twice, from two schedulers, makes one job), and a company never has two jobs running.
//! PostgreSQL claims with `FOR UPDATE SKIP LOCKED`; SQLite through its single writer.

use crate::StoreError;
use async_trait::async_trait;
use domain::CompanyId;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use uuid::Uuid;

/// Work to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What the job does (`sync`): the worker dispatches on it.
    pub kind: String,
    pub company_id: CompanyId,
    /// At most one job ever carries this key.
    pub unique_key: String,
    pub payload: Value,
    /// Not claimed before this instant.
    pub run_after: Timestamp,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub company_id: CompanyId,
    pub unique_key: String,
    pub payload: Value,
    /// Claims so far, this one included: above one, an earlier worker died or gave up.
    pub attempts: u32,
    pub lease_owner: String,
    pub lease_expires: Timestamp,
}

/// How a worker leaves a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    Done,
    /// Given up; the reason stays on the job.
    Failed(String),
    /// Queued again, not before `at`.
    RetryAt(Timestamp, String),
}

/// The queue's columns a status page or a test reads.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub id: Uuid,
    pub kind: String,
    pub company_id: CompanyId,
    pub unique_key: String,
    pub payload: Value,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created: Timestamp,
    /// Last change: claimed, renewed, ended.
    pub updated: Timestamp,
}

#[async_trait]
pub trait JobStore {
    /// Queues `job`; `None` when its unique key was used before (nothing is queued).
    async fn enqueue_job(&self, job: NewJob, now: Timestamp) -> Result<Option<Uuid>, StoreError>;

    /// Claims the job due first: a queued one whose `run_after` has come, or a running one
    /// whose lease expired; never one of a company that has another job running. `None`
    /// when there is nothing to do.
    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<Option<Job>, StoreError>;

    /// Extends the lease; `false` when `worker` no longer holds it (it expired and another
    /// worker claimed the job): the worker must stop.
    async fn renew_lease(
        &self,
        job: Uuid,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<bool, StoreError>;

    /// Ends the job as `end` says; `false` when `worker` no longer holds its lease.
    async fn end_job(
        &self,
        job: Uuid,
        worker: &str,
        end: JobEnd,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The company's jobs, newest first (for status pages and tests).
    async fn company_jobs(&self, company: CompanyId) -> Result<Vec<JobRecord>, StoreError>;

    /// The company's newest `limit` jobs of `kind`, newest first.
    async fn company_jobs_of_kind(
        &self,
        company: CompanyId,
        kind: &str,
        limit: u32,
    ) -> Result<Vec<JobRecord>, StoreError>;
}

/// Job statuses as stored.
pub(crate) mod status {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
}

/// The columns `end_job` writes for `end`: (status, run_after, last_error).
pub(crate) fn end_columns(end: &JobEnd, now: Timestamp) -> (&'static str, Timestamp, Option<&str>) {
    match end {
        JobEnd::Done => (status::DONE, now, None),
        JobEnd::Failed(reason) => (status::FAILED, now, Some(reason.as_str())),
        JobEnd::RetryAt(at, reason) => (status::QUEUED, *at, Some(reason.as_str())),
    }
}

//! Reading the accounting platform's reference data (company info, accounts, tax rates,
//! customers, suppliers, tracking categories; hledger's accounts and commodities) into the
//! store, so the merchant's configuration can be built from its own books.
//!
//! A read is a job on the shared queue: queued when a connection becomes `Linked` (OAuth
//! callback or authorization handover) and on demand (`POST /companies/{id}/data/all`), run by
//! any worker, retried with backoff when the platform fails, and given up after
//! [`READ_ATTEMPTS`] with the platform's message kept on the job. Every sync reads the data
//! again before it maps (see `sync_run`), so the options never lag a run behind.

use crate::connectors::{ConnectError, Connectors};
use domain::clock::Clock;
use domain::{CompanyId, ConnectionId, ConnectionStatus};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use store::{JobEnd, JobRecord, NewJob, Store, StoreError};
use uuid::Uuid;

/// The job kind of reads.
pub const READ_JOB: &str = "read_reference_data";

/// Claims of a read before it is given up: about half an hour of backoff in all.
pub const READ_ATTEMPTS: u32 = 6;

/// The job of a read, as queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadJob {
    pub connection_id: ConnectionId,
}

/// Where a company's reference data stands, from its newest read job.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadState {
    /// No read was ever queued (the client stores the data itself, or nothing is linked).
    NeverRead,
    /// Queued, not yet claimed; `last_error` when an earlier attempt failed and it waits to retry.
    Queued(JobRecord),
    /// A worker is reading.
    Reading(JobRecord),
    /// The newest read finished.
    Complete(JobRecord),
    /// The newest read was given up; its error says why.
    Failed(JobRecord),
}

impl ReadState {
    pub fn job(&self) -> Option<&JobRecord> {
        match self {
            Self::NeverRead => None,
            Self::Queued(j) | Self::Reading(j) | Self::Complete(j) | Self::Failed(j) => Some(j),
        }
    }

    pub fn in_progress(&self) -> bool {
        matches!(self, Self::Queued(_) | Self::Reading(_))
    }

    fn of(job: JobRecord) -> Self {
        match job.status.as_str() {
            "queued" => Self::Queued(job),
            "running" => Self::Reading(job),
            "done" => Self::Complete(job),
            _ => Self::Failed(job),
        }
    }
}

/// The company's newest read.
pub async fn read_state(store: &dyn Store, company: CompanyId) -> Result<ReadState, StoreError> {
    let newest = store.company_jobs_of_kind(company, READ_JOB, 1).await?;
    Ok(newest
        .into_iter()
        .next()
        .map_or(ReadState::NeverRead, ReadState::of))
}

/// Queues a read of `connection`'s reference data, unless one is already waiting or running
/// (then that one answers). The job's id.
pub async fn queue_read(
    store: &dyn Store,
    company: CompanyId,
    connection: ConnectionId,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    if let Some(job) = read_state(store, company).await?.job().filter(|j| {
        matches!(j.status.as_str(), "queued" | "running")
            && serde_json::from_value::<ReadJob>(j.payload.clone())
                .is_ok_and(|r| r.connection_id == connection)
    }) {
        return Ok(job.id);
    }
    let id = Uuid::new_v4();
    let job = NewJob {
        kind: READ_JOB.to_owned(),
        company_id: company,
        unique_key: format!("{READ_JOB}:{connection}:{id}"),
        payload: serde_json::to_value(ReadJob {
            connection_id: connection,
        })
        .expect("a read job always serializes"),
        run_after: now,
    };
    let queued = store.enqueue_job(job, now).await?;
    tracing::info!(company_id = %company, connection_id = %connection, "reference data read queued");
    Ok(queued.unwrap_or(id))
}

/// Runs reads.
pub struct ReferenceReader {
    pub store: Arc<dyn Store>,
    pub connectors: Arc<Connectors>,
    pub clock: Arc<dyn Clock>,
}

impl ReferenceReader {
    /// Reads and stores; how the job ends. `attempts` counts this claim.
    pub async fn run(&self, company: CompanyId, job: &ReadJob, attempts: u32) -> JobEnd {
        match self.read(company, job).await {
            Ok(accounts) => {
                tracing::info!(company_id = %company, connection_id = %job.connection_id, accounts, "reference data read");
                JobEnd::Done
            }
            Err(ReadFailure::Final(reason)) => {
                tracing::warn!(company_id = %company, connection_id = %job.connection_id, %reason, "reference data cannot be read");
                JobEnd::Failed(reason)
            }
            Err(ReadFailure::Retry(reason)) if attempts >= READ_ATTEMPTS => {
                tracing::warn!(company_id = %company, connection_id = %job.connection_id, %reason, attempts, "reference data read given up");
                JobEnd::Failed(reason)
            }
            Err(ReadFailure::Retry(reason)) => {
                let wait = SignedDuration::from_secs(15 * 2_i64.pow(attempts.min(8)));
                tracing::warn!(company_id = %company, connection_id = %job.connection_id, %reason, retry_in_s = wait.as_secs(), "reference data read failed; retrying");
                JobEnd::RetryAt(self.clock.now() + wait, reason)
            }
        }
    }

    async fn read(&self, company: CompanyId, job: &ReadJob) -> Result<usize, ReadFailure> {
        let gone = || ReadFailure::Final("the company or its connection was deleted".into());
        let client = self.store.company_owner(company).await?.ok_or_else(gone)?;
        let connection = self
            .store
            .connection(client, company, job.connection_id)
            .await?
            .ok_or_else(gone)?;
        if connection.status != ConnectionStatus::Linked {
            return Err(ReadFailure::Final(format!(
                "the connection is {:?}, not Linked: link it again",
                connection.status
            )));
        }
        // A read right after linking must use the new credentials, not a cached connector's.
        self.connectors.forget(connection.id);
        let connector = self
            .connectors
            .connector(client, company, &connection)
            .await
            .map_err(|e| match e {
                ConnectError::Store(e) => ReadFailure::Retry(e.to_string()),
                other => ReadFailure::Final(other.to_string()),
            })?;
        let data = connector.reference_data().await.map_err(|e| {
            let message = format!("{} answered: {e}", connector.name());
            if e.is_retryable() {
                ReadFailure::Retry(message)
            } else {
                ReadFailure::Final(message)
            }
        })?;
        let accounts = data.accounts.len();
        self.store
            .put_reference_data(client, company, Some(connection.id), data, self.clock.now())
            .await?;
        Ok(accounts)
    }
}

enum ReadFailure {
    /// Worth trying again (rate limit, outage, the database).
    Retry(String),
    /// Trying again will not help until someone acts (deauthorized, deleted).
    Final(String),
}

impl From<StoreError> for ReadFailure {
    fn from(e: StoreError) -> Self {
        Self::Retry(e.to_string())
    }
}

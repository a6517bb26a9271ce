//! A worker: claims jobs from the shared queue, runs them while renewing their lease, and
//! ticks the scheduler. Start any number, in any number of processes, on one database.

use crate::panics;
use crate::reference_read::{READ_JOB, ReadJob, ReferenceReader};
use crate::scheduler::Scheduler;
use crate::status;
use crate::sync_run::{SYNC_JOB, SyncJob, SyncRunner};
use domain::clock::Clock;
use jiff::SignedDuration;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use store::{Job, JobEnd, Store, StoreError};
use tokio::sync::watch;
use tracing::Instrument;

/// Claims of one job before it is given up (each claim after the first means a worker died
/// or the database failed while it ran).
pub const MAX_ATTEMPTS: u32 = 20;

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Names the worker in leases and logs (host and pid by default).
    pub id: String,
    /// Jobs this process runs at once.
    pub concurrency: usize,
    /// A job not renewed for this long is claimed by another worker.
    pub lease: SignedDuration,
    /// How often a running job's lease is renewed (well under `lease`).
    pub heartbeat: Duration,
    /// How long to wait when the queue is empty.
    pub poll: Duration,
    /// How often the scheduler looks for due syncs.
    pub schedule_every: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            id: format!("worker-{}", std::process::id()),
            concurrency: 4,
            lease: SignedDuration::from_secs(60),
            heartbeat: Duration::from_secs(15),
            poll: Duration::from_secs(1),
            schedule_every: Duration::from_secs(30),
        }
    }
}

pub struct Worker {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub runner: Arc<SyncRunner>,
    pub settings: WorkerSettings,
}

impl Worker {
    /// Claims and runs jobs until nothing is due; the number run. For tests and `--once`.
    pub async fn run_until_idle(&self) -> Result<usize, StoreError> {
        let mut ran = 0;
        while let Some(job) = self.claim().await? {
            self.handle(job).await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs until `stop` turns true: the scheduler and `concurrency` job loops.
    pub async fn run(self: Arc<Self>, stop: watch::Receiver<bool>) {
        let mut tasks = tokio::task::JoinSet::new();
        {
            let me = self.clone();
            let mut stop = stop.clone();
            tasks.spawn(async move {
                let scheduler = Scheduler {
                    store: me.store.clone(),
                    clock: me.clock.clone(),
                };
                loop {
                    match panics::caught(scheduler.tick()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => tracing::error!(error = %e, "scheduler tick failed"),
                        Err(reason) => tracing::error!(%reason, "scheduler tick panicked"),
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(me.settings.schedule_every) => {}
                        _ = stop.changed() => break,
                    }
                }
            });
        }
        for _ in 0..self.settings.concurrency.max(1) {
            let me = self.clone();
            let mut stop = stop.clone();
            tasks.spawn(async move {
                loop {
                    if *stop.borrow() {
                        break;
                    }
                    let idle = match me.claim().await {
                        Ok(Some(job)) => {
                            let id = job.id;
                            match panics::caught(me.handle(job)).await {
                                Ok(Ok(())) => {}
                                Ok(Err(e)) => {
                                    tracing::error!(job_id = %id, error = %e, "job failed on the database")
                                }
                                // Only the bookkeeping around a run is left to panic here; the
                                // lease expires and the job is claimed again.
                                Err(reason) => {
                                    tracing::error!(job_id = %id, %reason, "a job panicked")
                                }
                            }
                            false
                        }
                        Ok(None) => true,
                        Err(e) => {
                            tracing::error!(error = %e, "claiming a job failed");
                            true
                        }
                    };
                    if idle {
                        tokio::select! {
                            _ = tokio::time::sleep(me.settings.poll) => {}
                            _ = stop.changed() => break,
                        }
                    }
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    }

    async fn claim(&self) -> Result<Option<Job>, StoreError> {
        self.store
            .claim_job(&self.settings.id, self.clock.now(), self.settings.lease)
            .await
    }

    /// Runs one claimed job inside a span carrying its ids, so every line logged while it
    /// runs (the sync's included) names the job, the company and, for a sync, the sync.
    async fn handle(&self, job: Job) -> Result<(), StoreError> {
        let span = tracing::info_span!(
            "job",
            job_id = %job.id,
            company_id = %job.company_id,
            sync_id = tracing::field::Empty,
            kind = %job.kind,
        );
        if job.kind == SYNC_JOB
            && let Some(sync) = job.payload.get("syncId").and_then(|v| v.as_str())
        {
            span.record("sync_id", sync);
        }
        self.run_job(job).instrument(span).await
    }

    /// Runs one claimed job with its heartbeat and ends it.
    async fn run_job(&self, job: Job) -> Result<(), StoreError> {
        let end = if job.attempts > MAX_ATTEMPTS {
            JobEnd::Failed(format!("given up after {} claims", job.attempts - 1))
        } else if job.kind == READ_JOB {
            match serde_json::from_value::<ReadJob>(job.payload.clone()) {
                Err(e) => JobEnd::Failed(format!("unreadable job: {e}")),
                Ok(read) => match panics::caught(self.run_read(&job, &read)).await {
                    Ok(end) => end,
                    Err(reason) => {
                        tracing::error!(company_id = %job.company_id, job_id = %job.id, %reason,
                            "a reference data read panicked; it is failed and the worker goes on");
                        JobEnd::Failed(format!("panicked: {reason}"))
                    }
                },
            }
        } else if job.kind != SYNC_JOB {
            JobEnd::Failed(format!("unknown job kind {:?}", job.kind))
        } else {
            match serde_json::from_value::<SyncJob>(job.payload.clone()) {
                Err(e) => JobEnd::Failed(format!("unreadable job: {e}")),
                // A panic in one company's sync fails that sync; the loop serves the others.
                Ok(sync) => match panics::caught(self.run_sync(&job, &sync)).await {
                    Ok(end) => end,
                    Err(reason) => self.panicked(&job, &sync, reason).await,
                },
            }
        };
        if !self
            .store
            .end_job(job.id, &self.settings.id, end, self.clock.now())
            .await?
        {
            tracing::warn!(job = %job.id, "lease lost before the job ended; another worker has it");
        }
        Ok(())
    }

    /// A read is short (a handful of calls): its lease outlives it without a heartbeat.
    async fn run_read(&self, job: &Job, read: &ReadJob) -> JobEnd {
        let reader = ReferenceReader {
            store: self.store.clone(),
            connectors: self.runner.connectors.clone(),
            clock: self.clock.clone(),
        };
        reader.run(job.company_id, read, job.attempts).await
    }

    /// Records a sync whose run panicked: status 5000 with the reason, an ERROR line; its job
    /// is not retried (the same input would panic again).
    async fn panicked(&self, job: &Job, sync: &SyncJob, reason: String) -> JobEnd {
        tracing::error!(
            company_id = %job.company_id, sync_id = %sync.sync_id, job_id = %job.id,
            %reason, "a sync panicked; it is failed and the worker goes on"
        );
        let outcome = status::failure(
            status::SERVER_ERROR,
            "The sync stopped on an internal error; support has the detail.",
            Some(format!("panic: {reason}")),
            false,
        );
        crate::metrics::global().sync_finished(outcome.status_code);
        if let Err(e) = self
            .store
            .finish_sync(sync.sync_id, outcome, None, self.clock.now())
            .await
        {
            tracing::error!(sync_id = %sync.sync_id, error = %e, "recording a panicked sync failed");
        }
        JobEnd::Failed(format!("panicked: {reason}"))
    }

    async fn run_sync(&self, job: &Job, sync: &SyncJob) -> JobEnd {
        let lost = AtomicBool::new(false);
        let work = self.runner.run(job.company_id, sync, &lost);
        let heartbeat = async {
            let started = self.clock.now();
            let mut long = false;
            loop {
                tokio::time::sleep(self.settings.heartbeat).await;
                let now = self.clock.now();
                match self
                    .store
                    .renew_lease(job.id, &self.settings.id, now, self.settings.lease)
                    .await
                {
                    Ok(true) => {}
                    Ok(false) => lost.store(true, Ordering::SeqCst),
                    Err(e) => tracing::warn!(error = %e, "renewing a lease failed"),
                }
                if !long && now.duration_since(started) > status::LONG_RUNNING_AFTER {
                    long = true;
                    let _ = self
                        .store
                        .set_sync_status(sync.sync_id, status::running(status::LONG_RUNNING))
                        .await;
                }
            }
        };
        let result = tokio::select! {
            r = work => r,
            _ = heartbeat => unreachable!("the heartbeat never ends"),
        };
        match result {
            Ok(()) => JobEnd::Done,
            Err(e) => {
                let backoff = SignedDuration::from_secs(5 * i64::from(job.attempts.min(60)));
                JobEnd::RetryAt(self.clock.now() + backoff, e.to_string())
            }
        }
    }
}

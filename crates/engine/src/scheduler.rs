//! Who is due: for every enabled, configured company, the last due instant of its schedule
//! (`syncHour` in its IANA zone, daily or monthly from `startDate`), and a sync queued for it
//! covering everything since the last success. Any number of schedulers may tick at once (one
//! per worker process): the job's unique key (company + due instant) makes one job per due.

use crate::status;
use crate::sync_run::{SYNC_JOB, SyncJob};
use domain::CompanyId;
use domain::clock::Clock;
use domain::period::Schedule;
use futures::FutureExt;
use jiff::{SignedDuration, Timestamp};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use store::{NewJob, NewSync, ScheduleState, ScheduledCompany, Store, StoreError, SyncKind};
use uuid::Uuid;

pub struct Scheduler {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Syncs queued.
    pub queued: Vec<CompanyId>,
    /// Companies whose sync was re-enabled since the last tick.
    pub re_enabled: Vec<CompanyId>,
    /// Orphaned syncs (no job would ever run them) queued again.
    pub requeued: Vec<Uuid>,
    /// Orphaned syncs that stayed orphaned after being queued again: failed with 5000.
    pub abandoned: Vec<Uuid>,
}

/// How long a sync may wait without a job before it counts as orphaned: far longer than the
/// moment between an API request storing the sync and queueing its job.
pub const ORPHAN_GRACE: SignedDuration = SignedDuration::from_mins(5);

/// Orphans handled per tick, so one tick stays short whatever piled up.
const ORPHANS_PER_TICK: u64 = 100;

/// Where the next period starts: the end of the last successful one, or the start date
/// (at `syncHour`) when none succeeded yet or the merchant moved it later.
pub fn next_period_start(state: &ScheduleState, schedule: &Schedule) -> Timestamp {
    let first = schedule.first_start();
    state.last_success_end.map_or(first, |t| t.max(first))
}

impl Scheduler {
    /// Queues the syncs due at the clock's now.
    pub async fn tick(&self) -> Result<Tick, StoreError> {
        let now = self.clock.now();
        let mut tick = Tick::default();
        for company in self.store.scheduled_companies().await? {
            // One company's bad data must not stop every other company's schedule.
            let considered = AssertUnwindSafe(self.consider(&company, now, &mut tick))
                .catch_unwind()
                .await;
            match considered {
                Ok(result) => result?,
                Err(panic) => tracing::error!(
                    company_id = %company.company_id,
                    reason = %crate::panics::reason(panic.as_ref()),
                    "scheduling the company panicked; it is skipped, the others go on"
                ),
            }
        }
        self.reap_orphans(now, &mut tick).await?;
        Ok(tick)
    }

    /// Finds syncs that nothing will ever run (their process died between storing the sync
    /// and queueing its job, or their job ended without finishing them): each is queued once
    /// more; one still orphaned after that is failed with a reason, never left at 1000.
    async fn reap_orphans(&self, now: Timestamp, tick: &mut Tick) -> Result<(), StoreError> {
        let before = now - ORPHAN_GRACE;
        for sync in self.store.orphaned_syncs(before, ORPHANS_PER_TICK).await? {
            let job = SyncJob {
                sync_id: sync.id,
                kind: sync.kind.as_str().to_owned(),
                period_start: sync.period_start,
                period_end: sync.period_end,
                retry: false,
            };
            let queued = self
                .store
                .enqueue_job(
                    NewJob {
                        kind: SYNC_JOB.to_owned(),
                        company_id: sync.company_id,
                        unique_key: format!("reap:{}", sync.id),
                        payload: serde_json::to_value(&job).expect("a job serializes"),
                        run_after: now,
                    },
                    now,
                )
                .await?;
            if queued.is_some() {
                tracing::warn!(company_id = %sync.company_id, sync_id = %sync.id,
                    "an orphaned sync (no job would run it) is queued again");
                tick.requeued.push(sync.id);
            } else {
                tracing::error!(company_id = %sync.company_id, sync_id = %sync.id,
                    "an orphaned sync stayed orphaned after being queued again; it is failed");
                let outcome = status::failure(
                    status::SERVER_ERROR,
                    "The sync was lost before it could finish; request it again.",
                    Some("orphaned: its job ended without finishing it".to_owned()),
                    false,
                );
                self.store.finish_sync(sync.id, outcome, None, now).await?;
                tick.abandoned.push(sync.id);
            }
        }
        Ok(())
    }

    async fn consider(
        &self,
        company: &ScheduledCompany,
        now: Timestamp,
        tick: &mut Tick,
    ) -> Result<(), StoreError> {
        let Some(schedule) = company.schedule() else {
            return Ok(());
        };
        let id = company.company_id;
        let mut state = self.store.schedule_state(id).await?;
        if state.disabled_at.is_some() {
            // Disabling set `enable` to false at `config_version`; a company listed here with
            // a newer document was enabled again by the merchant.
            if company.version <= state.config_version.unwrap_or(u64::MAX) {
                return Ok(());
            }
            state = ScheduleState {
                consecutive_failures: 0,
                disabled_at: None,
                disabled_reason: None,
                config_version: None,
                ..state
            };
            self.store
                .put_schedule_state(id, state.clone(), now)
                .await?;
            tick.re_enabled.push(id);
        }
        let due = match schedule.last_due_at_or_before(now) {
            Ok(Some(due)) => due,
            Ok(None) => return Ok(()),
            Err(e) => {
                tracing::error!(company_id = %id, error = %e, "the company's schedule cannot be computed");
                return Ok(());
            }
        };
        let start = next_period_start(&state, &schedule);
        if due <= start {
            return Ok(());
        }
        let sync_id = Uuid::new_v4();
        let job = SyncJob {
            sync_id,
            kind: SyncKind::Scheduled.as_str().to_owned(),
            period_start: start,
            period_end: due,
            retry: false,
        };
        let queued = self
            .store
            .enqueue_job(
                NewJob {
                    kind: SYNC_JOB.to_owned(),
                    company_id: id,
                    unique_key: format!("sync:{id}:due:{}", due.as_second()),
                    payload: serde_json::to_value(&job).expect("a job serializes"),
                    run_after: now,
                },
                now,
            )
            .await?;
        if queued.is_some() {
            let new = NewSync {
                id: sync_id,
                company_id: id,
                kind: SyncKind::Scheduled,
                period_start: start,
                period_end: due,
                requested: now,
            };
            self.store.create_sync(new, false).await?;
            tick.queued.push(id);
        }
        Ok(())
    }
}

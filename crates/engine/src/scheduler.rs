//! Who is due: for every enabled, configured company, the last due instant of its schedule
//! (`syncHour` in its IANA zone, daily or monthly from `startDate`), and a sync queued for it
//! covering everything since the last success. Any number of schedulers may tick at once (one
//! per worker process): the job's unique key (company + due instant) makes one job per due.

use crate::sync_run::{SYNC_JOB, SyncJob};
use domain::CompanyId;
use domain::clock::Clock;
use domain::period::Schedule;
use jiff::Timestamp;
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
}

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
            self.consider(&company, now, &mut tick).await?;
        }
        Ok(tick)
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
        let Some(due) = schedule.last_due_at_or_before(now) else {
            return Ok(());
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

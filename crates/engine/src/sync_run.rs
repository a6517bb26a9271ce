//! One sync, start to finish: pre-run checks, mapping, the plan, the writes, the status.
//!
//! The run is resumable at every point. Before the plan is stored, a run that dies leaves
//! nothing behind and the next claim starts over. After it, the next claim skips mapping and
//! writes the push items not yet written, looking up any whose outcome is unknown (started,
//! never finished) by its key before writing it again: the books get each document once.

use crate::connectors::Connectors;
use crate::events::{Event, Events};
use crate::period_records::{self, LoadError};
use crate::push_results::{error_result, posted_changes, push_failure, push_item, written};
use crate::status::{self, failure, success};
use crate::stored_document;
use crate::sync_failures::{check_connections, connect_failure, mapping_failure, platform_failure};
use crate::sync_timing::{Phase, SyncTimings};
use domain::clock::Clock;
use domain::config::{ConfigDocument, typed_schedule};
use domain::mapping::{MappingSettings, map_days, split_by_day};
use domain::period::{PeriodError, Schedule, check_instant};
use domain::preview::Platform;
use domain::{ClientId, CompanyId, Connection};
use jiff::{SignedDuration, Timestamp};
use platforms::AccountingPlatform;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use store::{
    NewSync, PushItem, PushResult, PushStatus, ScheduleState, Store, StoreError, SyncKind,
    SyncOutcome, SyncRun,
};
use uuid::Uuid;

/// Consecutive failing scheduled days that disable a company's sync.
pub const DISABLE_AFTER_FAILING_DAYS: u32 = 31;

/// Records pushed this long before a run read the store are read again by the next run: a
/// push that started before the read may commit after it. Re-reading is harmless (the
/// mapping skips what it posted already).
const CHANGES_MARGIN: SignedDuration = SignedDuration::from_mins(10);

/// The job of a sync, as queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncJob {
    pub sync_id: Uuid,
    pub kind: String,
    pub period_start: Timestamp,
    pub period_end: Timestamp,
    /// Run a finished sync again (retry of its failed push items).
    #[serde(default)]
    pub retry: bool,
}

/// Every finished sync logs one INFO line with its code, what it wrote and where its time
/// went (slow syncs are found by grepping one line); a failure adds a WARN line with its
/// reason, so support finds it by company or sync id.
fn log_outcome(sync: &SyncRun, outcome: &SyncOutcome, timings: &SyncTimings) {
    let (company, code) = (sync.company_id, outcome.status_code);
    crate::metrics::global().sync_finished(code);
    if outcome.status_code >= 4000 {
        tracing::warn!(company_id = %company, sync_id = %sync.id, status_code = code,
            reason = outcome.error_message.as_deref().unwrap_or(""),
            detail = outcome.exception_message.as_deref().unwrap_or(""), "sync failed");
    }
    let t = timings.summary(Instant::now());
    tracing::info!(company_id = %company, sync_id = %sync.id, status_code = code,
        documents_written = t.documents_written, total_ms = t.total_ms,
        mapping_ms = t.mapping_ms, planning_ms = t.planning_ms, writing_ms = t.writing_ms,
        "sync finished");
}

/// The job kind of syncs.
pub const SYNC_JOB: &str = "sync";

/// Runs syncs.
pub struct SyncRunner {
    pub store: Arc<dyn Store>,
    pub connectors: Arc<Connectors>,
    pub clock: Arc<dyn Clock>,
    pub events: Events,
}

/// What stops a run before its outcome is known: the database failed. The job is retried.
pub type RunError = StoreError;

impl SyncRunner {
    /// Runs the sync of `job` for `company`. `lost` turns true when this worker lost the
    /// job's lease: the run stops before its next write.
    pub async fn run(
        &self,
        company: CompanyId,
        job: &SyncJob,
        lost: &AtomicBool,
    ) -> Result<(), RunError> {
        let mut timings = SyncTimings::new(Instant::now());
        let kind = SyncKind::parse(&job.kind).unwrap_or(SyncKind::Scheduled);
        let sync = match self.store.sync_run(company, job.sync_id).await? {
            Some(s) => s,
            None => {
                let new = NewSync {
                    id: job.sync_id,
                    company_id: company,
                    kind,
                    period_start: job.period_start,
                    period_end: job.period_end,
                    requested: self.clock.now(),
                };
                self.store.create_sync(new, false).await?
            }
        };
        if sync.completed.is_some() && !job.retry {
            return Ok(());
        }
        self.store.start_sync(sync.id, self.clock.now()).await?;
        let (outcome, client) = self.execute(&sync, lost, &mut timings).await?;
        if lost.load(Ordering::SeqCst) {
            // Another worker owns the sync now; it finishes it.
            return Ok(());
        }
        let schedule = self.schedule_after(&sync, &outcome, client).await?;
        let disabled = schedule.as_ref().is_some_and(|s| {
            s.disabled_at.is_some() && s.consecutive_failures == DISABLE_AFTER_FAILING_DAYS
        });
        self.store
            .finish_sync(sync.id, outcome.clone(), schedule.clone(), self.clock.now())
            .await?;
        log_outcome(&sync, &outcome, &timings);
        if let Some(client) = client {
            let finished = SyncRun {
                outcome: outcome.clone(),
                completed: Some(self.clock.now()),
                ..sync.clone()
            };
            self.events.sync_finished(client, &finished).await;
            if disabled && let Some(s) = &schedule {
                self.events
                    .publish(client, Event::sync_disabled(company, s))
                    .await;
            }
        }
        Ok(())
    }

    /// The outcome, and the owning client when the company still exists.
    async fn execute(
        &self,
        sync: &SyncRun,
        lost: &AtomicBool,
        timings: &mut SyncTimings,
    ) -> Result<(SyncOutcome, Option<ClientId>), RunError> {
        let company = sync.company_id;
        let Some(client) = self.store.company_owner(company).await? else {
            let o = failure(
                status::COMPANY_DELETED,
                "The company was deleted.",
                None,
                false,
            );
            return Ok((o, None));
        };
        let connections = self
            .store
            .list_connections(client, company)
            .await?
            .unwrap_or_default();
        let accounting = match check_connections(&connections) {
            Ok(c) => c,
            Err(o) => return Ok((o, Some(client))),
        };
        let Some(config) = self.store.config(client, company).await? else {
            let o = failure(
                status::CONFIGURATION_ERROR,
                "The company has no configuration: complete the Sync Flow's mapping stages.",
                None,
                false,
            );
            return Ok((o, Some(client)));
        };
        // What this run maps by, kept for support: the merchant may change it afterwards.
        self.store
            .record_sync_configuration(
                sync.id,
                config.version,
                &domain::config::to_current_json(&config.document),
            )
            .await?;
        let connector = match self.connectors.connector(client, company, accounting).await {
            Ok(c) => c,
            Err(e) => return Ok((connect_failure(accounting.platform_key, e), Some(client))),
        };
        if !sync.planned
            && let Some(o) = self
                .plan(
                    sync,
                    client,
                    &config.document,
                    accounting,
                    connector.as_ref(),
                    timings,
                )
                .await?
        {
            return Ok((o, Some(client)));
        }
        let o = self
            .push(sync, connector.as_ref(), accounting, lost, timings)
            .await?;
        if o.status_code == status::DEAUTHORIZED {
            self.connectors.forget(accounting.id);
        }
        Ok((o, Some(client)))
    }

    /// Maps the period and stores the plan; `Some(outcome)` when the run stops here.
    async fn plan(
        &self,
        sync: &SyncRun,
        client: ClientId,
        document: &ConfigDocument,
        accounting: &Connection,
        connector: &dyn AccountingPlatform,
        timings: &mut SyncTimings,
    ) -> Result<Option<SyncOutcome>, RunError> {
        let company = sync.company_id;
        let mapping = Instant::now();
        let reference = match connector.reference_data().await {
            Ok(r) => r,
            Err(e) => return Ok(Some(platform_failure(connector.name(), &e, false))),
        };
        // Keep the Sync Flow's options as fresh as the last run.
        self.store
            .put_reference_data(
                client,
                company,
                Some(accounting.id),
                reference.clone(),
                self.clock.now(),
            )
            .await?;
        let mut settings = match MappingSettings::from_config(document, &reference) {
            Ok(s) => s,
            Err(errors) => {
                let list: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
                let o = failure(
                    status::CONFIGURATION_ERROR,
                    format!(
                        "The configuration no longer matches {}'s books: {}",
                        connector.name(),
                        list.join("; ")
                    ),
                    None,
                    false,
                );
                return Ok(Some(o));
            }
        };
        if let Some(p) = Platform::parse(accounting.platform_key.key()) {
            settings.rounding = p.rounding();
        }
        let schedule = match typed_schedule(document) {
            Ok(s) => s,
            Err(errors) => {
                let list: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
                let o = failure(status::CONFIGURATION_ERROR, list.join("; "), None, false);
                return Ok(Some(o));
            }
        };
        let state = self.store.schedule_state(company).await?;
        let read_at = self.clock.now();
        let loaded = match period_records::load(
            self.store.as_ref(),
            company,
            sync.period_start,
            sync.period_end,
            state.changes_since,
        )
        .await
        {
            Ok(l) => l,
            Err(LoadError::Store(e)) => return Err(e),
            Err(e @ LoadError::Unreadable { .. }) => {
                let o = failure(
                    status::DATA_PROCESSING_ERROR,
                    "Stored commerce data could not be read; support has the detail.",
                    Some(e.to_string()),
                    false,
                );
                return Ok(Some(o));
            }
        };
        let (first, last) = match period_days(&schedule, sync.period_start, sync.period_end) {
            Ok(days) => days,
            Err(e) => {
                let o = failure(
                    status::SERVER_ERROR,
                    "The sync's period is outside the dates commerce-sync supports.",
                    Some(e.to_string()),
                    false,
                );
                return Ok(Some(o));
            }
        };
        // Each merchant day of the period is mapped on its own, dated and keyed by that day
        // (inside a supported period every instant has a day; `first` is never used).
        let day_of = |t| merchant_day(&schedule, t).unwrap_or(first);
        let days = split_by_day(loaded.records, first, last, day_of);
        let labels: Vec<String> = days.iter().map(|(day, _)| day.to_string()).collect();
        let posted = self
            .store
            .posted_state(company, &loaded.record_keys, &labels)
            .await?;
        let output = map_days(&settings, &company.to_string(), &days, &posted);
        timings.since(Phase::Mapping, mapping);
        let output = match output {
            Ok(o) => o,
            Err(e) => return Ok(Some(mapping_failure(&e))),
        };
        if let Some(d) = output
            .documents
            .iter()
            .find(|d| !connector.supports(d.kind))
        {
            let o = failure(
                status::CONFIGURATION_ERROR,
                format!(
                    "{} cannot hold a {}: choose journal entries as the output format.",
                    connector.name(),
                    d.kind.as_str()
                ),
                None,
                false,
            );
            return Ok(Some(o));
        }
        for w in &output.warnings {
            tracing::info!(sync = %sync.id, code = %w.code, "{}", w.message);
        }
        let items = output.documents.iter().map(push_item).collect();
        let changes = posted_changes(&posted, &output.state);
        let changes_since = read_at - CHANGES_MARGIN;
        let planning = Instant::now();
        self.store
            .plan_sync(
                sync.id,
                company,
                items,
                changes,
                changes_since,
                self.clock.now(),
            )
            .await?;
        timings.since(Phase::Planning, planning);
        Ok(None)
    }

    /// Writes every push item of the company not written yet (this run's, and earlier runs'
    /// failures: they are owed to the books), then tells how this sync went.
    async fn push(
        &self,
        sync: &SyncRun,
        connector: &dyn AccountingPlatform,
        accounting: &Connection,
        lost: &AtomicBool,
        timings: &mut SyncTimings,
    ) -> Result<SyncOutcome, RunError> {
        let company = sync.company_id;
        let writing = Instant::now();
        let mut failed: Vec<(PushItem, PushResult)> = Vec::new();
        let mut deauthorized = None;
        for item in self.store.unfinished_push_items(company).await? {
            if lost.load(Ordering::SeqCst) {
                break;
            }
            let result = self.write_item(&item, connector).await?;
            if result.status == PushStatus::Success {
                timings.written();
            }
            if result.status_code == 401 {
                deauthorized = result.error_message.clone();
            }
            if result.status != PushStatus::Success {
                failed.push((item, result));
            }
            if deauthorized.is_some() {
                break;
            }
        }
        timings.since(Phase::Writing, writing);
        let items = self.store.sync_push_items(sync.id).await?;
        let written = items.iter().any(|i| i.result.status == PushStatus::Success);
        if let Some(reason) = deauthorized {
            return Ok(failure(
                status::DEAUTHORIZED,
                format!(
                    "{} no longer accepts our connection: reconnect it. Nothing is lost: \
                     the documents not written are written on the next sync.",
                    accounting.platform_key.integration().name
                ),
                Some(reason),
                written,
            ));
        }
        let unwritten: Vec<&PushItem> = items
            .iter()
            .filter(|i| i.result.status != PushStatus::Success)
            .collect();
        if failed.is_empty() && unwritten.is_empty() {
            return Ok(success(written));
        }
        let first = failed
            .first()
            .and_then(|(_, r)| r.error_message.clone())
            .or_else(|| {
                unwritten
                    .first()
                    .and_then(|i| i.result.error_message.clone())
            })
            .unwrap_or_else(|| "not written".to_owned());
        let count = failed.len().max(unwritten.len());
        Ok(failure(
            status::DATA_WRITE_ERROR,
            format!(
                "{count} document(s) could not be written to {}. First: {first}. \
                 Fix the cause and retry the failed items; nothing already written is written again.",
                accounting.platform_key.integration().name
            ),
            failed
                .first()
                .map(|(i, r)| format!("{} {}: {:?}", i.kind, i.document_key, r.validation)),
            written,
        ))
    }

    /// One item: committed as started, written (or found, when an earlier attempt's outcome
    /// is unknown), committed as finished.
    async fn write_item(
        &self,
        item: &PushItem,
        connector: &dyn AccountingPlatform,
    ) -> Result<PushResult, RunError> {
        let document = match stored_document::from_json(&item.document) {
            Ok(d) => d,
            Err(e) => {
                let r = push_failure(
                    500,
                    PushStatus::Failed,
                    format!("unreadable plan: {e}"),
                    None,
                );
                self.store
                    .push_item_finished(item.key, r.clone(), self.clock.now())
                    .await?;
                return Ok(r);
            }
        };
        let unknown = item.attempts > 0 && item.result.status != PushStatus::Failed;
        self.store
            .push_item_started(item.key, self.clock.now())
            .await?;
        let outcome = if unknown {
            match connector.find(&document.key).await {
                Ok(Some(found)) => Ok(found),
                Ok(None) => connector.write(&document).await,
                Err(e) => Err(e),
            }
        } else {
            connector.write(&document).await
        };
        let result = match outcome {
            Ok(w) => written(&w),
            Err(e) => error_result(&document, &e),
        };
        self.store
            .push_item_finished(item.key, result.clone(), self.clock.now())
            .await?;
        Ok(result)
    }

    /// The schedule after the run: a success moves the next period's start; a failed scheduled
    /// day counts toward the disable, which turns the company's sync off (its configuration's
    /// `enable` becomes false, so the merchant sees it and can turn it back on).
    async fn schedule_after(
        &self,
        sync: &SyncRun,
        outcome: &SyncOutcome,
        client: Option<ClientId>,
    ) -> Result<Option<ScheduleState>, RunError> {
        if sync.kind == SyncKind::Historic || client.is_none() {
            return Ok(None);
        }
        let mut state = self.store.schedule_state(sync.company_id).await?;
        if status::is_success(outcome.status_code) {
            state.last_success_end = Some(
                state
                    .last_success_end
                    .map_or(sync.period_end, |t| t.max(sync.period_end)),
            );
            state.consecutive_failures = 0;
            return Ok(Some(state));
        }
        if sync.kind != SyncKind::Scheduled {
            return Ok(None);
        }
        state.consecutive_failures = state.consecutive_failures.saturating_add(1);
        if state.consecutive_failures >= DISABLE_AFTER_FAILING_DAYS && state.disabled_at.is_none() {
            let reason = format!(
                "Disabled after {} consecutive days of failed syncs (last: {}), so that no \
                 bookkeeping done meanwhile by hand is duplicated. Fix the cause, then enable the \
                 sync again; it resumes from the last successful sync or a new start date.",
                state.consecutive_failures,
                outcome.error_message.as_deref().unwrap_or("unknown error")
            );
            state.disabled_at = Some(self.clock.now());
            state.disabled_reason = Some(reason);
            if let Some(client) = client {
                state.config_version = self.disable_config(client, sync.company_id).await?;
            }
        }
        Ok(Some(state))
    }

    /// Sets the configuration's `enable` to false; the version written.
    async fn disable_config(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<u64>, RunError> {
        for _ in 0..3 {
            let Some(stored) = self.store.config(client, company).await? else {
                return Ok(None);
            };
            let mut document = stored.document.clone();
            document.enable = Some(false);
            match self
                .store
                .put_config(client, company, document, Some(stored.version))
                .await
            {
                Ok(written) => return Ok(written.map(|w| w.version)),
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

/// The merchant's sales day holding `t`: day D runs from `syncHour` on D to `syncHour` on D+1.
pub fn merchant_day(schedule: &Schedule, t: Timestamp) -> Result<jiff::civil::Date, PeriodError> {
    let date = t.to_zoned(schedule.time_zone().clone()).date();
    if schedule.sync_hour_on(date)? <= t {
        Ok(date)
    } else {
        Ok(date.yesterday().unwrap_or(date))
    }
}

/// The merchant days a period covers; an error for a period outside the supported dates.
fn period_days(
    schedule: &Schedule,
    start: Timestamp,
    end: Timestamp,
) -> Result<(jiff::civil::Date, jiff::civil::Date), PeriodError> {
    check_instant(start)?;
    check_instant(end)?;
    let first = merchant_day(schedule, start)?;
    let last = merchant_day(schedule, end - SignedDuration::from_micros(1))?;
    Ok((first, last.max(first)))
}

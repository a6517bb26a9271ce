//! Adjustments: nothing already posted is rewritten; only differences are.
//!
//! [`SyncedState`] remembers, per record, what it contributed when posted. A record seen again
//! with the same `sourceModifiedDate` is skipped (the idempotency rule of the push API). A
//! record whose date changed (or has none) is recomputed, and only `now − posted` goes into
//! the run's documents, under a new revision of the current period's keys; a deleted record
//! contributes `− posted`. A re-run against the state it produced therefore finds nothing.

use super::PeriodRecords;
use super::aggregate::{self, Context};
use super::settings::{MappingError, MappingSettings};
use super::totals::Totals;
use crate::commerce::{CommerceRecord, DatasetKind};
use crate::documents::Warning;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one record contributed when it was last posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostedRecord {
    pub source_modified_date: Option<Timestamp>,
    /// The period whose run posted it last.
    pub period: String,
    pub contribution: Totals,
}

/// What was posted: per record (`orders/<id>`, `payments/<id>`, `transactions/<id>`), and the
/// last revision used per period label. Stored by the caller after a successful write.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncedState {
    pub records: BTreeMap<String, PostedRecord>,
    pub revisions: BTreeMap<String, u32>,
}

impl SyncedState {
    /// The key of a record in [`SyncedState::records`].
    pub fn record_key(kind: DatasetKind, id: &str) -> String {
        format!("{}/{id}", kind.json_key())
    }

    /// 0 for a period never written, else one more than the last revision written.
    pub fn next_revision(&self, period: &str) -> u32 {
        self.revisions
            .get(period)
            .map_or(0, |r| r.saturating_add(1))
    }
}

/// The run's net effect, the state after it, and the warnings met on the way.
pub fn delta(
    settings: &MappingSettings,
    period: &str,
    records: &PeriodRecords,
    posted: &SyncedState,
) -> Result<(Totals, SyncedState, Vec<Warning>), MappingError> {
    let mut ctx = Context::new(settings, &records.orders, &records.products);
    let mut run = Run {
        period,
        posted,
        state: posted.clone(),
        delta: Totals::default(),
    };
    for o in &records.orders {
        if let Some(key) = run.changed(o) {
            let c = aggregate::order_contribution(&mut ctx, o)?;
            run.post(key, o, c)?;
        }
    }
    for p in &records.payments {
        if let Some(key) = run.changed(p) {
            let c = aggregate::payment_contribution(&mut ctx, p)?;
            run.post(key, p, c)?;
        }
    }
    for t in &records.transactions {
        if let Some(key) = run.changed(t) {
            let c = aggregate::transaction_contribution(&mut ctx, t)?;
            run.post(key, t, c)?;
        }
    }
    for (kind, id) in &records.deleted {
        let key = SyncedState::record_key(*kind, id);
        if let Some(old) = run.state.records.remove(&key) {
            run.delta =
                run.delta
                    .minus(&old.contribution)
                    .ok_or_else(|| MappingError::Overflow {
                        record_id: id.clone(),
                    })?;
        }
    }
    Ok((run.delta, run.state, ctx.warnings))
}

struct Run<'a> {
    period: &'a str,
    posted: &'a SyncedState,
    state: SyncedState,
    delta: Totals,
}

impl Run<'_> {
    /// The record's state key, unless it was posted with this very `sourceModifiedDate`.
    fn changed<R: CommerceRecord>(&self, record: &R) -> Option<String> {
        let key = SyncedState::record_key(R::KIND, record.id());
        match self.posted.records.get(&key) {
            Some(p)
                if p.source_modified_date.is_some()
                    && p.source_modified_date == record.source_modified_date() =>
            {
                None
            }
            _ => Some(key),
        }
    }

    fn post<R: CommerceRecord>(
        &mut self,
        key: String,
        record: &R,
        now: Totals,
    ) -> Result<(), MappingError> {
        let overflow = || MappingError::Overflow {
            record_id: record.id().to_owned(),
        };
        let period = match self.state.records.get(&key) {
            Some(old) => {
                let difference = now.minus(&old.contribution).ok_or_else(overflow)?;
                self.delta.merge(&difference).ok_or_else(overflow)?;
                // A record whose effect did not change keeps the period it was posted in.
                if difference.is_empty() {
                    old.period.clone()
                } else {
                    self.period.to_owned()
                }
            }
            // First posting: the difference is the contribution itself (no copy needed).
            None => {
                self.delta.merge(&now).ok_or_else(overflow)?;
                self.period.to_owned()
            }
        };
        self.state.records.insert(
            key,
            PostedRecord {
                source_modified_date: record.source_modified_date(),
                period,
                contribution: now,
            },
        );
        Ok(())
    }
}

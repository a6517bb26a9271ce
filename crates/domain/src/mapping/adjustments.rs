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
use crate::commerce::{CommerceRecord, DatasetKind, Transaction};
use crate::documents::Warning;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
        let prefix = kind.json_key();
        let mut key = String::with_capacity(prefix.len() + 1 + id.len());
        key.push_str(prefix);
        key.push('/');
        key.push_str(id);
        key
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
    match delta_batched(settings, period, records, posted)? {
        Some(done) => Ok(done),
        // A record id twice in one run: the later one adjusts against the earlier one's
        // posting, which only the record-by-record state can show.
        None => delta_in_order(settings, period, records, posted),
    }
}

/// The usual run, each record's id once: postings are collected in a vector and the state
/// is built from it in one sorted pass, instead of one map insert (and key comparisons
/// along a path of the tree) per record. `None` when an id repeats within the run.
pub(crate) fn delta_batched(
    settings: &MappingSettings,
    period: &str,
    records: &PeriodRecords,
    posted: &SyncedState,
) -> Result<Option<(Totals, SyncedState, Vec<Warning>)>, MappingError> {
    let mut ctx = Context::new(settings, records);
    let count = records.orders.len() + records.payments.len() + records.transactions.len();
    let mut run = Batched {
        period,
        posted,
        postings: Vec::with_capacity(count),
        delta: Totals::default(),
    };
    for o in &records.orders {
        if let Some(key) = changed(posted, o) {
            let c = aggregate::order_contribution(&mut ctx, o)?;
            run.post(key, o, c)?;
        }
    }
    for p in &records.payments {
        if let Some(key) = changed(posted, p) {
            let c = aggregate::payment_contribution(&mut ctx, p)?;
            run.post(key, p, c)?;
        }
    }
    let touched = touched_payments(posted, records);
    for t in &records.transactions {
        if let Some(key) = changed_transaction(posted, t, &touched) {
            let c = aggregate::transaction_contribution(&mut ctx, t)?;
            run.post(key, t, c)?;
        }
    }
    let Batched {
        mut postings,
        mut delta,
        ..
    } = run;
    // Stable: already in key order when each kind's ids come sorted, as stores return them.
    postings.sort_by(|a, b| a.0.cmp(&b.0));
    if postings.windows(2).any(|w| w[0].0 == w[1].0) {
        return Ok(None);
    }
    let mut removed = BTreeSet::new();
    for (kind, id) in &records.deleted {
        let key = SyncedState::record_key(*kind, id);
        if postings
            .binary_search_by(|(k, _)| k.as_str().cmp(&key))
            .is_ok()
        {
            return Ok(None);
        }
        if removed.contains(&key) {
            continue; // deleted twice: reversed once
        }
        if let Some(old) = posted.records.get(&key) {
            delta = delta
                .minus(&old.contribution)
                .ok_or_else(|| MappingError::Overflow {
                    record_id: id.clone(),
                })?;
            removed.insert(key);
        }
    }
    let state = SyncedState {
        records: merge_sorted(&posted.records, postings, &removed),
        revisions: posted.revisions.clone(),
    };
    Ok(Some((delta, state, ctx.warnings)))
}

/// The posted records with this run's postings in place of theirs and `removed` left out,
/// built from sorted input in one pass (a map collected from a sorted sequence is built
/// bottom-up, without searching).
fn merge_sorted(
    posted: &BTreeMap<String, PostedRecord>,
    postings: Vec<(String, PostedRecord)>,
    removed: &BTreeSet<String>,
) -> BTreeMap<String, PostedRecord> {
    if posted.is_empty() {
        return postings.into_iter().collect();
    }
    let mut merged = Vec::with_capacity(posted.len() + postings.len());
    let mut old = posted.iter().peekable();
    for (key, record) in postings {
        while let Some((k, r)) = old.next_if(|(k, _)| k.as_str() < key.as_str()) {
            merged.push((k.clone(), r.clone()));
        }
        old.next_if(|(k, _)| **k == key);
        merged.push((key, record));
    }
    merged.extend(old.map(|(k, r)| (k.clone(), r.clone())));
    merged.retain(|(k, _)| !removed.contains(k));
    merged.into_iter().collect()
}

/// The record's state key, unless it was posted with this very `sourceModifiedDate`.
fn changed<R: CommerceRecord>(posted: &SyncedState, record: &R) -> Option<String> {
    let key = SyncedState::record_key(R::KIND, record.id());
    match posted.records.get(&key) {
        Some(p)
            if p.source_modified_date.is_some()
                && p.source_modified_date == record.source_modified_date() =>
        {
            None
        }
        _ => Some(key),
    }
}

/// Payments this run posts anew, changes or deletes. The account a fee leaves is its
/// payment's, so a fee naming one of these is recomputed with it even if the fee itself did
/// not change (a payment deleted, or its type changed, moves the fee).
fn touched_payments<'r>(posted: &SyncedState, records: &'r PeriodRecords) -> BTreeSet<&'r str> {
    let written = records
        .payments
        .iter()
        .filter(|p| changed(posted, *p).is_some())
        .map(|p| p.id.as_str());
    let deleted = records
        .deleted
        .iter()
        .filter(|(kind, _)| *kind == DatasetKind::Payments)
        .map(|(_, id)| id.as_str());
    written.chain(deleted).collect()
}

/// A transaction's state key when it changed, or when the payment it names did.
fn changed_transaction(
    posted: &SyncedState,
    t: &Transaction,
    touched: &BTreeSet<&str>,
) -> Option<String> {
    changed(posted, t).or_else(|| {
        let names_touched = t
            .transaction_source_ref
            .as_ref()
            .is_some_and(|r| touched.contains(r.id.as_str()));
        names_touched.then(|| SyncedState::record_key(DatasetKind::Transactions, &t.id))
    })
}

/// The record's posting: what it contributes now against what was posted for it.
fn posting<R: CommerceRecord>(
    period: &str,
    old: Option<&PostedRecord>,
    delta: &mut Totals,
    record: &R,
    now: Totals,
) -> Result<PostedRecord, MappingError> {
    let overflow = || MappingError::Overflow {
        record_id: record.id().to_owned(),
    };
    let period = match old {
        Some(old) => {
            let difference = now.minus(&old.contribution).ok_or_else(overflow)?;
            delta.merge(&difference).ok_or_else(overflow)?;
            // A record whose effect did not change keeps the period it was posted in.
            if difference.is_empty() {
                old.period.clone()
            } else {
                period.to_owned()
            }
        }
        // First posting: the difference is the contribution itself (no copy needed).
        None => {
            delta.merge(&now).ok_or_else(overflow)?;
            period.to_owned()
        }
    };
    Ok(PostedRecord {
        source_modified_date: record.source_modified_date(),
        period,
        contribution: now,
    })
}

struct Batched<'a> {
    period: &'a str,
    posted: &'a SyncedState,
    postings: Vec<(String, PostedRecord)>,
    delta: Totals,
}

impl Batched<'_> {
    fn post<R: CommerceRecord>(
        &mut self,
        key: String,
        record: &R,
        now: Totals,
    ) -> Result<(), MappingError> {
        let old = self.posted.records.get(&key);
        let p = posting(self.period, old, &mut self.delta, record, now)?;
        self.postings.push((key, p));
        Ok(())
    }
}

/// Record by record against the state as it grows: exact when an id repeats in one run.
pub(crate) fn delta_in_order(
    settings: &MappingSettings,
    period: &str,
    records: &PeriodRecords,
    posted: &SyncedState,
) -> Result<(Totals, SyncedState, Vec<Warning>), MappingError> {
    let mut ctx = Context::new(settings, records);
    let mut run = Run {
        period,
        posted,
        state: posted.clone(),
        delta: Totals::default(),
    };
    for o in &records.orders {
        if let Some(key) = changed(run.posted, o) {
            let c = aggregate::order_contribution(&mut ctx, o)?;
            run.post(key, o, c)?;
        }
    }
    for p in &records.payments {
        if let Some(key) = changed(run.posted, p) {
            let c = aggregate::payment_contribution(&mut ctx, p)?;
            run.post(key, p, c)?;
        }
    }
    let touched = touched_payments(posted, records);
    for t in &records.transactions {
        if let Some(key) = changed_transaction(run.posted, t, &touched) {
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
    fn post<R: CommerceRecord>(
        &mut self,
        key: String,
        record: &R,
        now: Totals,
    ) -> Result<(), MappingError> {
        let old = self.state.records.get(&key);
        let p = posting(self.period, old, &mut self.delta, record, now)?;
        self.state.records.insert(key, p);
        Ok(())
    }
}

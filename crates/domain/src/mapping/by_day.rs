//! A period of several days, mapped day by day. A sync whose period spans days (a `historic`
//! range, or failed days rolled into the next run) writes each merchant day's own documents,
//! dated that day and keyed by it, exactly as daily syncs would have. A re-run of any part of
//! the range then meets each day's postings under that day's keys and writes nothing twice.
//!
//! Decision: records created before the period's first day (modifications, deletes and late
//! arrivals for days synced earlier) are posted on the first day of the period, the earliest
//! day being written, so an adjustment lands as close as possible to the day it corrects.

use super::{MappingError, MappingOutput, PeriodRecords, PeriodRef, SyncedState, map_period};
use crate::commerce::CommerceRecord;
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

/// The period's records per merchant day, in date order. `day_of` names the merchant day of
/// an instant (its time zone and sync hour). Days without records are left out; products
/// (reference data, never posted) and the type of every payment the period names go with
/// every day.
pub fn split_by_day(
    records: PeriodRecords,
    first: Date,
    last: Date,
    day_of: impl Fn(Timestamp) -> Date,
) -> Vec<(Date, PeriodRecords)> {
    let last = last.max(first);
    // A fee may fall on another day than its payment: every day knows the type of each
    // payment a transaction of the period names.
    let named: BTreeSet<&str> = records
        .transactions
        .iter()
        .filter_map(|t| t.transaction_source_ref.as_ref())
        .map(|r| r.id.as_str())
        .collect();
    let mut payment_types = records.payment_types.clone();
    let listed = records.orders.iter().flat_map(|o| o.payments.iter());
    for (id, kind) in listed
        .map(|p| (&p.id, p.payment_type))
        .chain(records.payments.iter().map(|p| (&p.id, p.payment_type)))
    {
        if let Some(kind) = kind.filter(|_| named.contains(id.as_str())) {
            payment_types.insert(id.clone(), kind);
        }
    }
    drop(named);
    let place =
        |created: Option<Timestamp>| created.map_or(first, |t| day_of(t).clamp(first, last));
    let mut days: BTreeMap<Date, PeriodRecords> = BTreeMap::new();
    for o in records.orders {
        days.entry(place(o.created_date()))
            .or_default()
            .orders
            .push(o);
    }
    for p in records.payments {
        days.entry(place(p.created_date()))
            .or_default()
            .payments
            .push(p);
    }
    for t in records.transactions {
        days.entry(place(t.created_date()))
            .or_default()
            .transactions
            .push(t);
    }
    if !records.deleted.is_empty() {
        days.entry(first).or_default().deleted = records.deleted;
    }
    for day in days.values_mut() {
        day.products = records.products.clone();
        day.payment_types = payment_types.clone();
    }
    days.into_iter().collect()
}

/// Maps the days in order, each against the state the days before it left: the documents of
/// every day, the warnings of all, and the state after the last.
pub fn map_days(
    settings: &super::MappingSettings,
    company_id: &str,
    days: &[(Date, PeriodRecords)],
    posted: &SyncedState,
) -> Result<MappingOutput, MappingError> {
    let mut out = MappingOutput {
        documents: Vec::new(),
        warnings: Vec::new(),
        state: posted.clone(),
    };
    for (date, records) in days {
        let day = map_period(
            settings,
            &PeriodRef::day(company_id, *date),
            records,
            &out.state,
        )?;
        out.documents.extend(day.documents);
        out.warnings.extend(day.warnings);
        out.state = day.state;
    }
    out.warnings
        .sort_by(|a, b| (&a.code, &a.message).cmp(&(&b.code, &b.message)));
    out.warnings.dedup();
    Ok(out)
}

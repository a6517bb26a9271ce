//! What a sync maps: the records created in its period, plus every record written since the
//! last run read the store whose creation lies before the period (modifications, deletes, and
//! late arrivals of closed days). The mapping compares each with what was posted for it and
//! posts only the difference, so reading a record twice never posts it twice.

use domain::CompanyId;
use domain::commerce::{
    CommerceChange, DatasetKind, DatasetParse, Order, Payment, PaymentType, Product, Transaction,
    TransactionSourceType, parse_orders, parse_payments, parse_products, parse_transactions,
};
use domain::mapping::{PeriodRecords, SyncedState};
use jiff::Timestamp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use store::{Store, StoreError, StoredRecord};

/// A stored body that no longer parses: the data changed shape under us (a bug, never the
/// client's fault, since every record was validated when pushed).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored {kind} records no longer parse: {detail}")]
    Unreadable { kind: &'static str, detail: String },
}

/// The period's records and the record keys the mapping will look up in the posted state.
pub struct Loaded {
    pub records: PeriodRecords,
    pub record_keys: Vec<String>,
}

/// Loads `[start, end)` and the changes written since `changes_since`.
pub async fn load(
    store: &dyn Store,
    company: CompanyId,
    start: Timestamp,
    end: Timestamp,
    changes_since: Option<Timestamp>,
) -> Result<Loaded, LoadError> {
    let mut record_keys = Vec::new();
    let mut deleted = Vec::new();
    let orders: Vec<Order> = read(
        store,
        company,
        DatasetKind::Orders,
        (start, end),
        changes_since,
        parse_orders,
        &mut record_keys,
        &mut deleted,
    )
    .await?;
    let payments: Vec<Payment> = read(
        store,
        company,
        DatasetKind::Payments,
        (start, end),
        changes_since,
        parse_payments,
        &mut record_keys,
        &mut deleted,
    )
    .await?;
    let transactions: Vec<Transaction> = read(
        store,
        company,
        DatasetKind::Transactions,
        (start, end),
        changes_since,
        parse_transactions,
        &mut record_keys,
        &mut deleted,
    )
    .await?;
    let products = all_products(store, company).await?;
    let payment_types =
        payments_named_elsewhere(store, company, &orders, &payments, &transactions).await?;
    Ok(Loaded {
        records: PeriodRecords {
            orders,
            payments,
            transactions,
            products,
            deleted,
            payment_types,
        },
        record_keys,
    })
}

/// The types of the payments this period's transactions name but that are not among its
/// records (a fee charged days after its payment), read from the store one by one: a fee
/// leaves the account its payment went into. A payment never pushed, or deleted, is left out
/// (its fee falls back to the clearing account).
async fn payments_named_elsewhere(
    store: &dyn Store,
    company: CompanyId,
    orders: &[Order],
    payments: &[Payment],
    transactions: &[Transaction],
) -> Result<BTreeMap<String, PaymentType>, LoadError> {
    let known: BTreeSet<&str> = payments
        .iter()
        .map(|p| p.id.as_str())
        .chain(
            orders
                .iter()
                .flat_map(|o| o.payments.iter().map(|p| p.id.as_str())),
        )
        .collect();
    let wanted: BTreeSet<&str> = transactions
        .iter()
        .filter_map(|t| t.transaction_source_ref.as_ref())
        .filter(|r| {
            matches!(
                r.source_type,
                TransactionSourceType::Payment | TransactionSourceType::Unknown
            )
        })
        .map(|r| r.id.as_str())
        .filter(|id| !known.contains(id))
        .collect();
    let mut rows = Vec::new();
    for id in wanted {
        if let Some(history) = store.record(company, DatasetKind::Payments, id).await?
            && !history.current.deleted
        {
            rows.push(history.current);
        }
    }
    let rows: Vec<&StoredRecord> = rows.iter().collect();
    let found = parse_bodies(DatasetKind::Payments, &rows, parse_payments)?;
    Ok(found
        .into_iter()
        .filter_map(|p| Some((p.id, p.payment_type?)))
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn read<T: Clone>(
    store: &dyn Store,
    company: CompanyId,
    kind: DatasetKind,
    (start, end): (Timestamp, Timestamp),
    changes_since: Option<Timestamp>,
    parse: fn(&Value, &str) -> DatasetParse<T>,
    record_keys: &mut Vec<String>,
    deleted: &mut Vec<(DatasetKind, String)>,
) -> Result<Vec<T>, LoadError> {
    let mut rows = store
        .records_created_between(company, kind, start, end)
        .await?;
    if let Some(since) = changes_since {
        rows.extend(
            store
                .records_written_since(company, kind, since, start)
                .await?,
        );
    }
    let mut live = Vec::new();
    for row in &rows {
        record_keys.push(SyncedState::record_key(kind, &row.id));
        if row.deleted {
            deleted.push((kind, row.id.clone()));
        } else {
            live.push(row);
        }
    }
    parse_bodies(kind, &live, parse)
}

/// Every live product (gift cards and categories apply whenever a product sells).
async fn all_products(store: &dyn Store, company: CompanyId) -> Result<Vec<Product>, LoadError> {
    let rows = store
        .records_written_since(
            company,
            DatasetKind::Products,
            Timestamp::MIN,
            Timestamp::MAX,
        )
        .await?;
    let live: Vec<&StoredRecord> = rows.iter().filter(|r| !r.deleted).collect();
    parse_bodies(DatasetKind::Products, &live, parse_products)
}

fn parse_bodies<T>(
    kind: DatasetKind,
    rows: &[&StoredRecord],
    parse: fn(&Value, &str) -> DatasetParse<T>,
) -> Result<Vec<T>, LoadError> {
    let unreadable = |detail: String| LoadError::Unreadable {
        kind: kind.json_key(),
        detail,
    };
    let bodies = rows
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.canonical_json))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(e.to_string()))?;
    let (parsed, errors) = parse(&Value::Array(bodies), "");
    if let Some(first) = errors.first() {
        return Err(unreadable(format!(
            "{} errors, first: {first:?}",
            errors.len()
        )));
    }
    Ok(parsed
        .into_iter()
        .filter_map(|p| match p.change {
            CommerceChange::Upsert(r) => Some(r),
            CommerceChange::Delete(_) => None,
        })
        .collect())
}

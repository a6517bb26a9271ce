//! What the client pushed that shapes a merchant's configuration: the tax percentages its
//! orders carry, the payment types it takes, its tax components and product categories. The
//! configuration API and the Sync Flow pages both offer slots from it.
//!
//! Orders and payments are read from the last [`RECENT`] of pushes only: enough to see every
//! rate and payment type a merchant trades with, bounded however long it has been syncing.

use domain::CompanyId;
use domain::commerce::DatasetKind;
use domain::config::{ConfigOption, PushedFacts};
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;
use store::{Store, StoreError};

/// How far back pushed orders and payments are read.
pub const RECENT: SignedDuration = SignedDuration::from_hours(24 * 92);

/// The facts of `company`'s pushed data as of `now`.
pub async fn pushed_facts(
    store: &dyn Store,
    company: CompanyId,
    now: Timestamp,
) -> Result<PushedFacts, StoreError> {
    let recent = now.checked_sub(RECENT).unwrap_or(Timestamp::MIN);
    let bodies = |kind, since| async move {
        let rows = store
            .records_written_since(company, kind, since, Timestamp::MAX)
            .await?;
        Ok::<_, StoreError>(
            rows.into_iter()
                .filter(|r| !r.deleted)
                .filter_map(|r| serde_json::from_str::<Value>(&r.canonical_json).ok())
                .collect::<Vec<Value>>(),
        )
    };
    let mut facts = PushedFacts::default();
    for order in bodies(DatasetKind::Orders, recent).await? {
        for list in ["orderLineItems", "serviceCharges"] {
            for line in order[list].as_array().into_iter().flatten() {
                if let Some(p) = decimal(&line["taxPercentage"]) {
                    push_unique(&mut facts.tax_percentages, p.normalize());
                }
            }
        }
    }
    for payment in bodies(DatasetKind::Payments, recent).await? {
        if let Some(t) = payment["paymentType"].as_str().filter(|t| !t.is_empty()) {
            push_unique(&mut facts.payment_types, t.to_owned());
        }
    }
    for component in bodies(DatasetKind::TaxComponents, Timestamp::MIN).await? {
        facts.tax_components.extend(option(&component));
    }
    for category in bodies(DatasetKind::ProductCategories, Timestamp::MIN).await? {
        facts.product_categories.extend(option(&category));
    }
    Ok(facts)
}

fn option(body: &Value) -> Option<ConfigOption> {
    let id = body["id"].as_str().filter(|id| !id.is_empty())?;
    Some(ConfigOption {
        id: id.to_owned(),
        name: body["name"].as_str().map(str::to_owned),
    })
}

/// A stored number, read exactly (canonical bodies keep the pushed digits).
fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

//! What every QuickBooks entity checks: `{"value": id}` references to accounts, names, items
//! and tax codes (inactive counts as deleted), the books close date, and the envelope fields
//! every entity carries (`Id`, `SyncToken`, `MetaData`).

use crate::money::{dec, round2};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

pub fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|x| !x.is_empty())
}

pub fn business(detail: impl Into<String>) -> Issue {
    Issue::new(
        "6000",
        format!("Business Validation Error: {}", detail.into()),
    )
}

pub fn missing(field: &str) -> Issue {
    Issue::new(
        "2020",
        format!("Required parameter {field} is missing in the request"),
    )
}

/// The id in a `{"value": …}` reference.
pub fn ref_id(v: &Value, key: &str) -> Option<String> {
    match v.get(key)?.get("value")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Resolves `key` (e.g. `CustomerRef`) to an active entity of `kind`; `element` names the
/// list in Intuit's message ("Names", "Accounts", "Item").
pub fn entity(
    t: &Tenant,
    v: &Value,
    key: &str,
    kind: &str,
    element: &str,
    required: bool,
) -> Result<Option<Value>, Issue> {
    let Some(id) = ref_id(v, key) else {
        return if required {
            Err(missing(key))
        } else {
            Ok(None)
        };
    };
    let Some(e) = t.find(kind, "Id", &id) else {
        return Err(Issue::new(
            "2500",
            format!("Invalid Reference Id : {element} element id {id} not found"),
        ));
    };
    if e.get("Active").and_then(Value::as_bool) == Some(false) {
        let name = s(e, "Name").or(s(e, "DisplayName")).unwrap_or_default();
        return Err(Issue::new(
            "2500",
            format!(
                "Invalid Reference Id : {kind} assigned to this transaction has been deleted. Before you can modify this transaction, you must restore {name} (deleted)."
            ),
        ));
    }
    Ok(Some(e.clone()))
}

pub fn account(t: &Tenant, v: &Value, key: &str, required: bool) -> Result<Option<Value>, Issue> {
    entity(t, v, key, "Account", "Accounts", required)
}

/// Money may sit in a bank or other-current-asset account (Codat: "cash at bank and in hand").
pub fn is_cash(a: &Value) -> bool {
    matches!(s(a, "AccountType"), Some("Bank" | "Other Current Asset"))
}

/// A short `{"value","name"}` reference to an entity.
pub fn short(e: &Value) -> Value {
    let name = s(e, "Name")
        .or(s(e, "DisplayName"))
        .or(s(e, "FullyQualifiedName"))
        .unwrap_or_default();
    json!({"value": e["Id"], "name": name})
}

/// `TxnDate` (today if absent), refused on or before the books close date.
pub fn txn_date(t: &Tenant, v: &Value, now: Timestamp, issues: &mut Vec<Issue>) -> Date {
    let d = match v.get("TxnDate").and_then(crate::money::parse_date) {
        Some(d) => d,
        None if v.get("TxnDate").is_some() => {
            issues.push(Issue::new(
                "2070",
                "Invalid Date: TxnDate must be YYYY-MM-DD",
            ));
            return now.to_zoned(jiff::tz::TimeZone::UTC).date();
        }
        None => now.to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    if let Some(lock) = t.lock_date
        && d <= lock
    {
        issues.push(business(format!(
            "You can't create or modify a transaction dated on or before the books close date ({lock})."
        )));
    }
    d
}

/// Intuit's timestamps are Pacific time with an offset.
pub fn time(now: Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap_or(jiff::tz::TimeZone::UTC);
    now.to_zoned(tz)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Adds `Id`, `SyncToken`, `MetaData`, `domain`, `sparse` to a new entity.
pub fn stamp(t: &mut Tenant, mut m: Map<String, Value>, now: Timestamp) -> Value {
    let id = t.next("qbo-id") + 100;
    m.insert("Id".into(), json!(id.to_string()));
    m.insert("SyncToken".into(), json!("0"));
    m.insert(
        "MetaData".into(),
        json!({"CreateTime": time(now), "LastUpdatedTime": time(now)}),
    );
    m.insert("domain".into(), json!("QBO"));
    m.insert("sparse".into(), json!(false));
    Value::Object(m)
}

/// A line's `Amount`, checked against `Qty × UnitPrice` where both are given.
pub fn line_amount(
    l: &Value,
    detail: Option<&Value>,
    n: usize,
    issues: &mut Vec<Issue>,
) -> Decimal {
    let Some(amount) = l.get("Amount").and_then(dec) else {
        issues.push(missing(&format!("Line[{n}].Amount")));
        return Decimal::ZERO;
    };
    if let Some(d) = detail
        && let (Some(q), Some(p)) = (d.get("Qty").and_then(dec), d.get("UnitPrice").and_then(dec))
        && round2(q * p) != round2(amount)
    {
        issues.push(Issue::new(
            "6070",
            format!(
                "Amount calculation incorrect in the request. Supplied value:{amount}, Expected:{}",
                round2(q * p)
            ),
        ));
    }
    if round2(amount) != amount.normalize() && amount.scale() > 2 {
        issues.push(business(format!(
            "Line[{n}].Amount {amount} has more than 2 decimal places."
        )));
    }
    round2(amount)
}

/// Refuses a stated `TotalAmt` that disagrees with the lines.
pub fn check_total(v: &Value, computed: Decimal, issues: &mut Vec<Issue>) {
    if let Some(given) = v.get("TotalAmt").and_then(dec)
        && round2(given) != round2(computed)
    {
        issues.push(business(format!(
            "The TotalAmt supplied ({given}) does not equal the sum of the lines ({}).",
            round2(computed)
        )));
    }
}

pub fn currency(t: &Tenant) -> Value {
    json!({"value": t.currency, "name": if t.currency == "USD" { "United States Dollar" } else { "British Pound Sterling" }})
}

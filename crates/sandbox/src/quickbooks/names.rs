//! Accounts, customers and vendors: created with unique names, updated by `Id` + `SyncToken`
//! (a stale token is refused) — making an account inactive is how QuickBooks "deletes" it.

use super::refs::{self, s};
use super::seed;
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

const ACCOUNT_TYPES: [&str; 16] = [
    "Bank",
    "Accounts Receivable",
    "Other Current Asset",
    "Fixed Asset",
    "Other Asset",
    "Accounts Payable",
    "Credit Card",
    "Other Current Liability",
    "Long Term Liability",
    "Equity",
    "Income",
    "Cost of Goods Sold",
    "Expense",
    "Other Income",
    "Other Expense",
    "Non-Posting",
];

fn duplicate(name: &str) -> Issue {
    Issue::new(
        "6240",
        format!("Duplicate Name Exists Error: The name supplied already exists. : {name}"),
    )
}

/// Creates, or updates when the body carries an `Id`.
pub fn save(t: &mut Tenant, now: Timestamp, v: &Value, kind: &str) -> Result<Value, Vec<Issue>> {
    if let Some(id) = s(v, "Id") {
        return update(t, now, v, kind, id);
    }
    let name_key = if kind == "Account" {
        "Name"
    } else {
        "DisplayName"
    };
    let Some(name) = s(v, name_key) else {
        return Err(vec![refs::missing(name_key)]);
    };
    if t.find(kind, name_key, name).is_some() {
        return Err(vec![duplicate(name)]);
    }
    if kind != "Account" {
        let mut m = v.as_object().cloned().unwrap_or_default();
        m.insert("Active".into(), json!(true));
        m.insert("Balance".into(), json!(0));
        let doc = refs::stamp(t, m, now);
        t.push(kind, doc.clone());
        return Ok(doc);
    }
    let kind_name = s(v, "AccountType").unwrap_or_default();
    if !ACCOUNT_TYPES.contains(&kind_name) {
        return Err(vec![Issue::new(
            "2170",
            format!("Invalid Enumeration : AccountType {kind_name}"),
        )]);
    }
    if let Some(n) = s(v, "AcctNum")
        && t.find("Account", "AcctNum", n).is_some()
    {
        return Err(vec![duplicate(n)]);
    }
    let id = (t.next("qbo-id") + 100).to_string();
    let mut a = seed::account(
        t,
        &id,
        s(v, "AcctNum").unwrap_or_default(),
        name,
        kind_name,
        s(v, "AccountSubType").unwrap_or_default(),
        now,
    );
    if let Some(d) = s(v, "Description") {
        a["Description"] = json!(d);
    }
    t.push("Account", a.clone());
    Ok(a)
}

fn update(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    kind: &str,
    id: &str,
) -> Result<Value, Vec<Issue>> {
    let Some(e) = t.find_mut(kind, "Id", id) else {
        return Err(vec![Issue::new(
            "610",
            format!("Object Not Found : {kind} {id}"),
        )]);
    };
    let current = s(e, "SyncToken").unwrap_or("0").to_owned();
    if s(v, "SyncToken") != Some(current.as_str()) {
        return Err(vec![Issue::new(
            "5010",
            format!(
                "Stale Object Error : You and another user were working on the same thing. {kind} {id} has SyncToken {current}."
            ),
        )]);
    }
    let mut m: Map<String, Value> = e.as_object().cloned().unwrap_or_default();
    for (k, x) in v.as_object().into_iter().flatten() {
        if !matches!(k.as_str(), "Id" | "SyncToken" | "MetaData" | "sparse") {
            m.insert(k.clone(), x.clone());
        }
    }
    let next: u64 = current.parse().unwrap_or(0) + 1;
    m.insert("SyncToken".into(), json!(next.to_string()));
    m.insert(
        "MetaData".into(),
        json!({"CreateTime": e["MetaData"]["CreateTime"], "LastUpdatedTime": refs::time(now)}),
    );
    *e = Value::Object(m);
    Ok(e.clone())
}

//! Manual journals: debits positive, credits negative, and the lines must sum to zero.

use super::refs::{self, issue, s};
use crate::money::{dec, xero_date, xero_timestamp};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub fn save_manual_journal(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    if let Some(id) = id.or_else(|| s(v, "ManualJournalID")) {
        return status_change(t, now, v, id);
    }
    let mut issues = Vec::new();
    let narration = s(v, "Narration").unwrap_or_default().to_owned();
    if narration.trim().is_empty() {
        issues.push(issue("Narration must not be empty."));
    }
    let status = s(v, "Status").unwrap_or("DRAFT").to_owned();
    if !matches!(status.as_str(), "DRAFT" | "POSTED") {
        issues.push(issue(format!(
            "'{status}' is not a valid status for a new manual journal."
        )));
    }
    let date = refs::date(t, v, "Date", now, &mut issues);
    let types = refs::amount_types(v, "NoTax", &mut issues);
    let input = v
        .get("JournalLines")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if input.len() < 2 {
        issues.push(issue("A manual journal must have at least two lines."));
    }
    let lines = refs::lines(t, &input, &types, true, true, &mut issues);
    // Tax-exclusive lines carry their tax on top of LineAmount.
    let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
    for l in &lines.lines {
        let amount = l.get("LineAmount").and_then(dec).unwrap_or_default();
        let tax = l.get("TaxAmount").and_then(dec).unwrap_or_default();
        let gross = if types == "Exclusive" {
            amount + tax
        } else {
            amount
        };
        if gross >= Decimal::ZERO {
            debits += gross;
        } else {
            credits -= gross;
        }
    }
    if debits != credits {
        issues.push(issue(format!(
            "The total debits ({debits}) must equal total credits ({credits})."
        )));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut journal_lines = lines.lines;
    for l in &mut journal_lines {
        l["IsBlank"] = json!(false);
    }
    let mj = json!({
        "ManualJournalID": uuid::Uuid::new_v4().to_string(),
        "Date": xero_date(date),
        "Status": status,
        "Narration": narration,
        "LineAmountTypes": types,
        "JournalLines": journal_lines,
        "ShowOnCashBasisReports": v.get("ShowOnCashBasisReports").and_then(Value::as_bool).unwrap_or(true),
        "HasAttachments": false,
        "UpdatedDateUTC": xero_timestamp(now),
    });
    t.push("ManualJournals", mj.clone());
    Ok(mj)
}

/// Journals can be posted, voided (when posted) or deleted (when draft).
fn status_change(t: &mut Tenant, now: Timestamp, v: &Value, id: &str) -> Result<Value, Vec<Issue>> {
    let Some(mj) = t.find_mut("ManualJournals", "ManualJournalID", id) else {
        return Err(vec![issue(format!(
            "Manual journal '{id}' could not be found."
        ))]);
    };
    let from = s(mj, "Status").unwrap_or_default().to_owned();
    let to = s(v, "Status").unwrap_or(&from).to_owned();
    let ok = matches!(
        (from.as_str(), to.as_str()),
        ("DRAFT", "POSTED" | "DELETED" | "DRAFT") | ("POSTED", "VOIDED" | "POSTED")
    );
    if !ok {
        return Err(vec![issue(format!(
            "A {from} manual journal cannot become {to}."
        ))]);
    }
    mj["Status"] = json!(to);
    mj["UpdatedDateUTC"] = xero_timestamp(now);
    Ok(mj.clone())
}

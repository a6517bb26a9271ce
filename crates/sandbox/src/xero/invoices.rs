//! Invoices (ACCREC sales, ACCPAY bills) and credit notes (ACCRECCREDIT, ACCPAYCREDIT): built
//! from lines, numbered, and guarded the way Xero guards them (unique sales numbers, totals that
//! must match the lines, no edits once money is allocated).

use super::refs::{self, issue, s};
use crate::money::{dec, num, xero_timestamp};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// What differs between invoices and credit notes.
pub struct DocKind {
    pub coll: &'static str,
    pub id: &'static str,
    pub number: &'static str,
    pub types: [&'static str; 2],
    prefix: &'static str,
    /// "Invoice #", "Credit Note #" in messages.
    label: &'static str,
}

pub const INVOICE: DocKind = DocKind {
    coll: "Invoices",
    id: "InvoiceID",
    number: "InvoiceNumber",
    types: ["ACCREC", "ACCPAY"],
    prefix: "INV-",
    label: "Invoice",
};

pub const CREDIT_NOTE: DocKind = DocKind {
    coll: "CreditNotes",
    id: "CreditNoteID",
    number: "CreditNoteNumber",
    types: ["ACCRECCREDIT", "ACCPAYCREDIT"],
    prefix: "CN-",
    label: "Credit Note",
};

pub fn save_invoice(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    save(t, now, v, id, &INVOICE)
}

pub fn save_credit_note(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    save(t, now, v, id, &CREDIT_NOTE)
}

/// Whether money has been applied to a document (payments, allocations).
pub fn has_money(doc: &Value) -> bool {
    let paid = doc.get("AmountPaid").and_then(dec).unwrap_or_default();
    let credited = doc.get("AmountCredited").and_then(dec).unwrap_or_default();
    let allocated = doc
        .get("Allocations")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let refunded = doc
        .get("Payments")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    paid > Decimal::ZERO || credited > Decimal::ZERO || allocated || refunded
}

fn save(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
    k: &DocKind,
) -> Result<Value, Vec<Issue>> {
    let Some(id) = id.or_else(|| s(v, k.id)) else {
        let doc = build(t, now, v, k, None)?;
        t.push(k.coll, doc.clone());
        return Ok(doc);
    };
    let existing = t
        .find(k.coll, k.id, id)
        .or_else(|| t.find(k.coll, k.number, id))
        .cloned()
        .ok_or_else(|| vec![issue(format!("{} '{id}' could not be found.", k.label))])?;
    let status = s(&existing, "Status").unwrap_or_default().to_owned();
    let wanted = s(v, "Status").unwrap_or(&status).to_owned();
    if matches!(status.as_str(), "PAID" | "VOIDED" | "DELETED")
        || (has_money(&existing) && wanted != status)
    {
        return Err(vec![issue(format!(
            "This document cannot be edited as it has a payment or credit note allocated to it, or is {status}."
        ))]);
    }
    let doc_id = existing[k.id].as_str().unwrap_or_default().to_owned();
    let doc = match wanted.as_str() {
        "VOIDED" | "DELETED" => {
            let allowed = if wanted == "VOIDED" {
                status == "AUTHORISED"
            } else {
                status != "AUTHORISED"
            };
            if !allowed {
                return Err(vec![issue(format!(
                    "{} not of valid status for modification",
                    k.label
                ))]);
            }
            let mut d = existing.clone();
            d["Status"] = json!(wanted);
            d["AmountDue"] = num(Decimal::ZERO);
            d["UpdatedDateUTC"] = xero_timestamp(now);
            d
        }
        _ => {
            let mut merged = existing.as_object().cloned().unwrap_or_default();
            for (key, x) in v.as_object().into_iter().flatten() {
                merged.insert(key.clone(), x.clone());
            }
            build(t, now, &Value::Object(merged), k, Some(&doc_id))?
        }
    };
    if let Some(slot) = t.find_mut(k.coll, k.id, &doc_id) {
        *slot = doc.clone();
    }
    Ok(doc)
}

fn build(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    k: &DocKind,
    keep: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let kind = s(v, "Type").unwrap_or_default().to_owned();
    if !k.types.contains(&kind.as_str()) {
        issues.push(issue(format!(
            "{} Type must be {} or {}.",
            k.label, k.types[0], k.types[1]
        )));
    }
    let status = s(v, "Status").unwrap_or("DRAFT").to_owned();
    if !matches!(status.as_str(), "DRAFT" | "SUBMITTED" | "AUTHORISED") {
        issues.push(issue(format!(
            "'{status}' is not a valid status for a new {}.",
            k.label
        )));
    }
    let contact = refs::contact(t, v.get("Contact"), now)
        .map_err(|e| issues.push(e))
        .ok();
    let draft = status == "DRAFT";
    let mut date_issues = Vec::new();
    let date = refs::date(t, v, "Date", now, &mut date_issues);
    if !draft {
        issues.append(&mut date_issues);
    }
    let due = v
        .get("DueDate")
        .and_then(crate::money::parse_date)
        .unwrap_or(date);
    let currency = refs::currency(t, v, &mut issues);
    let types = refs::amount_types(v, "Exclusive", &mut issues);
    let input = v
        .get("LineItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if input.is_empty() && !draft {
        issues.push(issue("At least one line item is required."));
    }
    let lines = refs::lines(t, &input, &types, !draft, false, &mut issues);
    refs::check_totals(v, &lines, &mut issues);
    let sales = kind == "ACCREC" || kind == "ACCRECCREDIT";
    let given_number = s(v, k.number).map(str::to_owned);
    if let Some(n) = &given_number
        && sales
        && t.list(k.coll).iter().any(|d| {
            s(d, k.number) == Some(n.as_str())
                && s(d, k.id) != keep
                && !matches!(s(d, "Status"), Some("DELETED" | "VOIDED"))
        })
    {
        issues.push(issue(format!("{} # must be unique.", k.label)));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let number = match given_number {
        Some(n) => n,
        None if sales => loop {
            let n = format!("{}{:04}", k.prefix, t.next(k.coll));
            if t.find(k.coll, k.number, &n).is_none() {
                break n;
            }
        },
        None => String::new(),
    };
    let mut d = Map::new();
    d.insert("Type".into(), json!(kind));
    d.insert(
        k.id.into(),
        json!(
            keep.map(str::to_owned)
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
        ),
    );
    d.insert(k.number.into(), json!(number));
    d.insert(
        "Reference".into(),
        json!(s(v, "Reference").unwrap_or_default()),
    );
    d.insert("Contact".into(), contact.unwrap_or_default());
    refs::put_date(&mut d, "Date", date);
    if k.coll == "Invoices" {
        refs::put_date(&mut d, "DueDate", due);
    }
    d.insert("Status".into(), json!(status));
    d.insert("LineAmountTypes".into(), json!(types));
    d.insert("LineItems".into(), Value::Array(lines.lines));
    d.insert("SubTotal".into(), num(lines.sub_total));
    d.insert("TotalTax".into(), num(lines.total_tax));
    d.insert("Total".into(), num(lines.total));
    d.insert("CurrencyCode".into(), json!(currency));
    d.insert("CurrencyRate".into(), json!(1));
    d.insert("UpdatedDateUTC".into(), xero_timestamp(now));
    d.insert("HasAttachments".into(), json!(false));
    d.insert("HasErrors".into(), json!(false));
    d.insert("Payments".into(), json!([]));
    if k.coll == "Invoices" {
        d.insert("AmountDue".into(), num(lines.total));
        d.insert("AmountPaid".into(), num(Decimal::ZERO));
        d.insert("AmountCredited".into(), num(Decimal::ZERO));
        d.insert("CreditNotes".into(), json!([]));
        d.insert("Prepayments".into(), json!([]));
        d.insert("Overpayments".into(), json!([]));
        d.insert("IsDiscounted".into(), json!(false));
    } else {
        d.insert("RemainingCredit".into(), num(lines.total));
        d.insert("Allocations".into(), json!([]));
    }
    Ok(Value::Object(d))
}

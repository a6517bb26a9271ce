//! Payments against invoices (and cash refunds against credit notes) and credit-note
//! allocations. Money may only go to a BANK account or one with payments enabled, only against
//! AUTHORISED documents, and never beyond what is outstanding.

use super::invoices::{CREDIT_NOTE, DocKind, INVOICE};
use super::refs::{self, issue, s};
use crate::money::{dec, num, xero_timestamp};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// The document a payment or allocation points at: (kind, its id).
fn target(t: &Tenant, v: &Value) -> Result<(&'static DocKind, Value), Issue> {
    for (key, k) in [("Invoice", &INVOICE), ("CreditNote", &CREDIT_NOTE)] {
        if let Some(r) = v.get(key) {
            let doc = s(r, k.id)
                .and_then(|id| t.find(k.coll, k.id, id))
                .or_else(|| s(r, k.number).and_then(|n| t.find(k.coll, k.number, n)));
            return doc
                .cloned()
                .map(|d| (k, d))
                .ok_or_else(|| issue(format!("{key} could not be found")));
        }
    }
    Err(issue(
        "You must provide either an Invoice, CreditNote, Prepayment or Overpayment.",
    ))
}

fn outstanding(k: &DocKind, doc: &Value) -> Decimal {
    let key = if k.coll == "Invoices" {
        "AmountDue"
    } else {
        "RemainingCredit"
    };
    doc.get(key).and_then(dec).unwrap_or_default()
}

/// Reduces what is outstanding on a document by `amount`, marking it PAID at zero.
fn apply(
    t: &mut Tenant,
    k: &DocKind,
    id: &str,
    amount: Decimal,
    paid_key: &str,
    link: (&str, Value),
    date: &Value,
) {
    let Some(doc) = t.find_mut(k.coll, k.id, id) else {
        return;
    };
    let due_key = if k.coll == "Invoices" {
        "AmountDue"
    } else {
        "RemainingCredit"
    };
    let left = doc.get(due_key).and_then(dec).unwrap_or_default() - amount;
    doc[due_key] = num(left);
    if k.coll == "Invoices" {
        let before = doc.get(paid_key).and_then(dec).unwrap_or_default();
        doc[paid_key] = num(before + amount);
    }
    if let Some(a) = doc.get_mut(link.0).and_then(Value::as_array_mut) {
        a.push(link.1);
    }
    if left.is_zero() {
        doc["Status"] = json!("PAID");
        doc["FullyPaidOnDate"] = date.clone();
    }
}

pub fn save_payment(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    if let Some(id) = id.or_else(|| s(v, "PaymentID")) {
        return delete_payment(t, now, v, id);
    }
    let mut issues = Vec::new();
    let doc = target(t, v).map_err(|e| issues.push(e)).ok();
    let account = refs::account_ref(t, v.get("Account"))
        .map_err(|e| issues.push(e))
        .ok();
    if let Some(a) = &account
        && s(a, "Type") != Some("BANK")
        && a.get("EnablePaymentsToAccount").and_then(Value::as_bool) != Some(true)
    {
        issues.push(issue(format!(
            "Account code '{}' is not a bank account and does not have 'Enable payments to this account' turned on. Payments can only be made to such accounts.",
            s(a, "Code").unwrap_or_default()
        )));
    }
    let date = refs::date(t, v, "Date", now, &mut issues);
    let amount = v.get("Amount").and_then(dec).unwrap_or_default();
    if amount <= Decimal::ZERO {
        issues.push(issue("Payment amount must be greater than zero."));
    }
    if let Some((k, d)) = &doc {
        if s(d, "Status") != Some("AUTHORISED") {
            issues.push(issue(format!(
                "{} not of valid status for creation of a payment (it is {}; it must be AUTHORISED).",
                k.label_name(),
                s(d, "Status").unwrap_or_default()
            )));
        } else if amount > outstanding(k, d) {
            issues.push(issue(format!(
                "Payment amount ({amount}) exceeds the amount outstanding on this document ({}).",
                outstanding(k, d)
            )));
        }
    }
    let (Some((k, d)), Some(a), true) = (doc, account, issues.is_empty()) else {
        return Err(issues);
    };
    let payment_type = match s(&d, "Type") {
        Some("ACCREC") => "ACCRECPAYMENT",
        Some("ACCPAY") => "ACCPAYPAYMENT",
        Some("ACCRECCREDIT") => "ARCREDITPAYMENT",
        _ => "APCREDITPAYMENT",
    };
    let pid = uuid::Uuid::new_v4().to_string();
    let mut p = json!({
        "PaymentID": pid,
        "Date": crate::money::xero_date(date),
        "Amount": num(amount),
        "BankAmount": num(amount),
        "CurrencyRate": 1,
        "Reference": s(v, "Reference").unwrap_or_default(),
        "IsReconciled": v.get("IsReconciled").and_then(Value::as_bool).unwrap_or(false),
        "Status": "AUTHORISED",
        "PaymentType": payment_type,
        "UpdatedDateUTC": xero_timestamp(now),
        "HasAccount": true,
        "Account": {"AccountID": a["AccountID"], "Code": a["Code"]},
    });
    let key = if k.coll == "Invoices" {
        "Invoice"
    } else {
        "CreditNote"
    };
    p[key] = json!({
        k.id: d[k.id], k.number: d[k.number], "Type": d["Type"],
        "Contact": d["Contact"], "CurrencyCode": d["CurrencyCode"],
    });
    let doc_id = d[k.id].as_str().unwrap_or_default().to_owned();
    let link = json!({"PaymentID": pid, "Date": p["Date"], "Amount": p["Amount"], "Reference": p["Reference"]});
    apply(
        t,
        k,
        &doc_id,
        amount,
        "AmountPaid",
        ("Payments", link),
        &p["Date"],
    );
    t.push("Payments", p.clone());
    Ok(p)
}

impl DocKind {
    fn label_name(&self) -> &'static str {
        if self.coll == "Invoices" {
            "Invoice"
        } else {
            "Credit Note"
        }
    }
}

/// `PUT /CreditNotes/{id}/Allocations`: applies credit to an invoice of the same side.
pub fn allocate(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    let id = id.unwrap_or_default();
    let Some(cn) = t
        .find("CreditNotes", "CreditNoteID", id)
        .or_else(|| t.find("CreditNotes", "CreditNoteNumber", id))
        .cloned()
    else {
        return Err(vec![issue(format!(
            "Credit Note '{id}' could not be found."
        ))]);
    };
    let mut issues = Vec::new();
    let inv = s(v.get("Invoice").unwrap_or(&Value::Null), "InvoiceID")
        .and_then(|i| t.find("Invoices", "InvoiceID", i))
        .cloned();
    let amount = v.get("Amount").and_then(dec).unwrap_or_default();
    let date = refs::date(t, v, "Date", now, &mut issues);
    if s(&cn, "Status") != Some("AUTHORISED") {
        issues.push(issue(
            "Credit Note must be AUTHORISED before it can be allocated.",
        ));
    }
    if amount <= Decimal::ZERO {
        issues.push(issue("Allocation amount must be greater than zero."));
    } else if amount > outstanding(&CREDIT_NOTE, &cn) {
        issues.push(issue(
            "The amount allocated exceeds the remaining credit on the credit note.",
        ));
    }
    match &inv {
        None => issues.push(issue("Invoice could not be found")),
        Some(i) => {
            let same_side = matches!(
                (s(&cn, "Type"), s(i, "Type")),
                (Some("ACCRECCREDIT"), Some("ACCREC")) | (Some("ACCPAYCREDIT"), Some("ACCPAY"))
            );
            if !same_side {
                issues.push(issue(
                    "The credit note and invoice must be of the same type (sales or purchases).",
                ));
            }
            if s(i, "Status") != Some("AUTHORISED") {
                issues.push(issue(
                    "Invoice not of valid status for allocation (it must be AUTHORISED).",
                ));
            } else if amount > outstanding(&INVOICE, i) {
                issues.push(issue(
                    "The amount allocated exceeds the amount due on the invoice.",
                ));
            }
        }
    }
    let (Some(inv), true) = (inv, issues.is_empty()) else {
        return Err(issues);
    };
    let when = crate::money::xero_date(date);
    let alloc = json!({
        "AllocationID": uuid::Uuid::new_v4().to_string(),
        "Amount": num(amount),
        "Date": when,
        "Invoice": {"InvoiceID": inv["InvoiceID"], "InvoiceNumber": inv["InvoiceNumber"]},
        "CreditNote": {"CreditNoteID": cn["CreditNoteID"], "CreditNoteNumber": cn["CreditNoteNumber"]},
        "IsDeleted": false,
    });
    let cn_id = cn["CreditNoteID"].as_str().unwrap_or_default().to_owned();
    let inv_id = inv["InvoiceID"].as_str().unwrap_or_default().to_owned();
    apply(
        t,
        &CREDIT_NOTE,
        &cn_id,
        amount,
        "",
        ("Allocations", alloc.clone()),
        &when,
    );
    let cn_link = json!({"CreditNoteID": cn_id, "CreditNoteNumber": cn["CreditNoteNumber"], "AppliedAmount": num(amount)});
    apply(
        t,
        &INVOICE,
        &inv_id,
        amount,
        "AmountCredited",
        ("CreditNotes", cn_link),
        &when,
    );
    Ok(alloc)
}

/// `POST /Payments/{id}` with `{"Status": "DELETED"}`: the only change Xero allows to a
/// payment; the money goes back onto the document, which is AUTHORISED again.
fn delete_payment(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: &str,
) -> Result<Value, Vec<Issue>> {
    if s(v, "Status") != Some("DELETED") {
        return Err(vec![issue(
            "Payments can only be deleted (Status DELETED), not edited.",
        )]);
    }
    let Some(p) = t.find("Payments", "PaymentID", id).cloned() else {
        return Err(vec![issue(format!("Payment '{id}' could not be found."))]);
    };
    if s(&p, "Status") == Some("DELETED") {
        return Err(vec![issue("This payment has already been deleted.")]);
    }
    let mut issues = Vec::new();
    refs::date(t, &json!({"Date": p["Date"]}), "Date", now, &mut issues);
    if !issues.is_empty() {
        return Err(issues);
    }
    let amount = p.get("Amount").and_then(dec).unwrap_or_default();
    let (k, key) = if p.get("Invoice").is_some() {
        (&INVOICE, "Invoice")
    } else {
        (&CREDIT_NOTE, "CreditNote")
    };
    let doc_id = p[key][k.id].as_str().unwrap_or_default().to_owned();
    if let Some(doc) = t.find_mut(k.coll, k.id, &doc_id) {
        let due_key = if k.coll == "Invoices" {
            "AmountDue"
        } else {
            "RemainingCredit"
        };
        let due = doc.get(due_key).and_then(dec).unwrap_or_default();
        doc[due_key] = num(due + amount);
        if k.coll == "Invoices" {
            let paid = doc.get("AmountPaid").and_then(dec).unwrap_or_default();
            doc["AmountPaid"] = num(paid - amount);
        }
        if let Some(list) = doc.get_mut("Payments").and_then(Value::as_array_mut) {
            list.retain(|x| s(x, "PaymentID") != Some(id));
        }
        if s(doc, "Status") == Some("PAID") {
            doc["Status"] = json!("AUTHORISED");
            if let Some(m) = doc.as_object_mut() {
                m.remove("FullyPaidOnDate");
            }
        }
    }
    let Some(stored) = t.find_mut("Payments", "PaymentID", id) else {
        return Err(vec![issue(format!("Payment '{id}' could not be found."))]);
    };
    stored["Status"] = json!("DELETED");
    stored["UpdatedDateUTC"] = xero_timestamp(now);
    Ok(stored.clone())
}

//! Purchases: Bill and VendorCredit (account-based expense lines to a vendor) and BillPayment
//! (from a bank account by check, or a credit card), never beyond what is open.

use super::refs::{self, business, ref_id, s};
use super::sales;
use crate::money::{dec, num};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

pub fn create_bill(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    credit: bool,
) -> Result<Value, Vec<Issue>> {
    let name = if credit { "VendorCredit" } else { "Bill" };
    let mut issues = Vec::new();
    let vendor = refs::entity(t, v, "VendorRef", "Vendor", "Names", true)
        .map_err(|e| issues.push(e))
        .ok()
        .flatten();
    let date = refs::txn_date(t, v, now, &mut issues);
    if let Ok(Some(a)) = refs::account(t, v, "APAccountRef", false).map_err(|e| issues.push(e))
        && s(&a, "AccountType") != Some("Accounts Payable")
    {
        issues.push(business(
            "APAccountRef must be an Accounts Payable account.",
        ));
    }
    let taxed = sales::lines(t, v, true, &mut issues);
    refs::check_total(v, taxed.total, &mut issues);
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut m = Map::new();
    if let Some(n) = s(v, "DocNumber") {
        m.insert("DocNumber".into(), json!(n));
    }
    m.insert("TxnDate".into(), json!(date.to_string()));
    if !credit {
        let due = v
            .get("DueDate")
            .and_then(crate::money::parse_date)
            .unwrap_or(date);
        m.insert("DueDate".into(), json!(due.to_string()));
    }
    if let Some(vd) = &vendor {
        m.insert("VendorRef".into(), refs::short(vd));
    }
    m.insert(
        "APAccountRef".into(),
        json!({"value": "10", "name": "Accounts Payable (A/P)"}),
    );
    m.insert("CurrencyRef".into(), refs::currency(t));
    m.insert("Line".into(), Value::Array(taxed.lines));
    m.insert("TxnTaxDetail".into(), taxed.tax_detail);
    m.insert("TotalAmt".into(), num(taxed.total));
    m.insert("Balance".into(), num(taxed.total));
    if let Some(x) = v.get("PrivateNote") {
        m.insert("PrivateNote".into(), x.clone());
    }
    let doc = refs::stamp(t, m, now);
    t.push(name, doc.clone());
    Ok(doc)
}

/// Checks and applies `LinkedTxn` amounts to open balances; returns (linked sum, credits sum).
pub fn apply_links(
    t: &mut Tenant,
    v: &Value,
    debit_kinds: &[&str],
    credit_kinds: &[&str],
    issues: &mut Vec<Issue>,
    commit: bool,
) -> (Decimal, Decimal) {
    let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
    let lines = v
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, l) in lines.iter().enumerate() {
        let amount = refs::line_amount(l, None, i + 1, issues);
        for link in l
            .get("LinkedTxn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = s(link, "TxnType").unwrap_or_default();
            let id = match link.get("TxnId") {
                Some(Value::String(x)) => x.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            if !debit_kinds.contains(&kind) && !credit_kinds.contains(&kind) {
                issues.push(business(format!(
                    "LinkedTxn TxnType '{kind}' cannot be used here."
                )));
                continue;
            }
            let Some(doc) = t.find_mut(kind, "Id", &id) else {
                issues.push(Issue::new(
                    "2500",
                    format!("Invalid Reference Id : {kind} element id {id} not found"),
                ));
                continue;
            };
            if let Some(balance) = doc.get("Balance").and_then(dec) {
                if amount > balance {
                    issues.push(business(format!(
                        "The amount applied ({amount}) to {kind} {id} exceeds its open balance ({balance})."
                    )));
                    continue;
                }
                if commit {
                    doc["Balance"] = num(balance - amount);
                    if doc.get("RemainingCredit").is_some() {
                        doc["RemainingCredit"] = num(balance - amount);
                    }
                }
            }
            if credit_kinds.contains(&kind) {
                credits += amount;
            } else {
                debits += amount;
            }
        }
    }
    (debits, credits)
}

pub fn create_bill_payment(t: &mut Tenant, now: Timestamp, v: &Value) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let vendor = refs::entity(t, v, "VendorRef", "Vendor", "Names", true)
        .map_err(|e| issues.push(e))
        .ok()
        .flatten();
    let date = refs::txn_date(t, v, now, &mut issues);
    let pay_type = s(v, "PayType").unwrap_or_default().to_owned();
    let (holder, key, wanted) = match pay_type.as_str() {
        "Check" => ("CheckPayment", "BankAccountRef", "Bank"),
        "CreditCard" => ("CreditCardPayment", "CCAccountRef", "Credit Card"),
        _ => {
            issues.push(refs::missing("PayType"));
            ("CheckPayment", "BankAccountRef", "Bank")
        }
    };
    let from = v.get(holder).cloned().unwrap_or_else(|| json!({}));
    match refs::account(t, &from, key, true) {
        Ok(Some(a)) if s(&a, "AccountType") == Some(wanted) => {}
        Ok(Some(a)) => issues.push(business(format!(
            "{holder}.{key}: {} is not a {wanted} account.",
            s(&a, "Name").unwrap_or_default()
        ))),
        Ok(None) => {}
        Err(e) => issues.push(e),
    }
    let total = v.get("TotalAmt").and_then(dec);
    if total.is_none() {
        issues.push(refs::missing("TotalAmt"));
    }
    let mut draft = t.clone();
    let (bills, credits) = apply_links(
        &mut draft,
        v,
        &["Bill"],
        &["VendorCredit"],
        &mut issues,
        true,
    );
    if let Some(total) = total
        && bills - credits > total
    {
        issues.push(business(format!(
            "The amount applied ({}) is more than the payment amount ({total}).",
            bills - credits
        )));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    *t = draft;
    let mut m = v.as_object().cloned().unwrap_or_default();
    m.insert("TxnDate".into(), json!(date.to_string()));
    if let Some(vd) = &vendor {
        m.insert("VendorRef".into(), refs::short(vd));
    }
    m.insert("TotalAmt".into(), num(total.unwrap_or_default()));
    m.insert("CurrencyRef".into(), refs::currency(t));
    let _ = ref_id(v, "VendorRef");
    let doc = refs::stamp(t, m, now);
    t.push("BillPayment", doc.clone());
    Ok(doc)
}

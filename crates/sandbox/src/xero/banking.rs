//! Spend/receive money (bank transactions) and transfers between bank accounts: both sides must
//! be BANK accounts, as in Xero.

use super::refs::{self, issue, s};
use crate::money::{dec, num, xero_date, xero_timestamp};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn bank(t: &Tenant, r: Option<&Value>, what: &str, issues: &mut Vec<Issue>) -> Option<Value> {
    match refs::account_ref(t, r) {
        Ok(a) if s(&a, "Type") == Some("BANK") => Some(a),
        Ok(a) => {
            issues.push(issue(format!(
                "{what}: account code '{}' is not a bank account; it must be of type BANK.",
                s(&a, "Code").unwrap_or_default()
            )));
            None
        }
        Err(e) => {
            issues.push(e);
            None
        }
    }
}

fn short(a: &Value) -> Value {
    json!({"AccountID": a["AccountID"], "Code": a["Code"], "Name": a["Name"]})
}

pub fn save_bank_transaction(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    if id.is_some() || s(v, "BankTransactionID").is_some() {
        return Err(vec![issue(
            "Updating bank transactions is not supported by this sandbox.",
        )]);
    }
    let mut issues = Vec::new();
    let kind = s(v, "Type").unwrap_or_default().to_owned();
    if !matches!(kind.as_str(), "SPEND" | "RECEIVE") {
        issues.push(issue(format!(
            "'{kind}' is not a supported bank transaction Type (SPEND or RECEIVE)."
        )));
    }
    let contact = refs::contact(t, v.get("Contact"), now)
        .map_err(|e| issues.push(e))
        .ok();
    let account = bank(t, v.get("BankAccount"), "BankAccount", &mut issues);
    let date = refs::date(t, v, "Date", now, &mut issues);
    let currency = refs::currency(t, v, &mut issues);
    let types = refs::amount_types(v, "Exclusive", &mut issues);
    let input = v
        .get("LineItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if input.is_empty() {
        issues.push(issue("At least one line item is required."));
    }
    let lines = refs::lines(t, &input, &types, true, false, &mut issues);
    refs::check_totals(v, &lines, &mut issues);
    let (Some(contact), Some(account), true) = (contact, account, issues.is_empty()) else {
        return Err(issues);
    };
    let bt = json!({
        "BankTransactionID": uuid::Uuid::new_v4().to_string(),
        "Type": kind,
        "Contact": contact,
        "BankAccount": short(&account),
        "Date": xero_date(date),
        "DateString": crate::money::xero_date_string(date),
        "Reference": s(v, "Reference").unwrap_or_default(),
        "Status": "AUTHORISED",
        "IsReconciled": v.get("IsReconciled").and_then(Value::as_bool).unwrap_or(false),
        "LineAmountTypes": types,
        "LineItems": lines.lines,
        "SubTotal": num(lines.sub_total),
        "TotalTax": num(lines.total_tax),
        "Total": num(lines.total),
        "CurrencyCode": currency,
        "UpdatedDateUTC": xero_timestamp(now),
        "HasAttachments": false,
    });
    t.push("BankTransactions", bt.clone());
    Ok(bt)
}

pub fn save_bank_transfer(
    t: &mut Tenant,
    now: Timestamp,
    v: &Value,
    id: Option<&str>,
) -> Result<Value, Vec<Issue>> {
    if id.is_some() {
        return Err(vec![issue("Bank transfers cannot be edited.")]);
    }
    let mut issues = Vec::new();
    let from = bank(t, v.get("FromBankAccount"), "FromBankAccount", &mut issues);
    let to = bank(t, v.get("ToBankAccount"), "ToBankAccount", &mut issues);
    if let (Some(f), Some(x)) = (&from, &to)
        && f["AccountID"] == x["AccountID"]
    {
        issues.push(issue(
            "The FromBankAccount and ToBankAccount must be different.",
        ));
    }
    let amount = v.get("Amount").and_then(dec).unwrap_or_default();
    if amount <= Decimal::ZERO {
        issues.push(issue("Amount must be greater than zero."));
    }
    let date = refs::date(t, v, "Date", now, &mut issues);
    let (Some(from), Some(to), true) = (from, to, issues.is_empty()) else {
        return Err(issues);
    };
    let bt = json!({
        "BankTransferID": uuid::Uuid::new_v4().to_string(),
        "CreatedDateUTC": xero_timestamp(now),
        "Date": xero_date(date),
        "FromBankAccount": short(&from),
        "ToBankAccount": short(&to),
        "Amount": num(amount),
        "FromBankTransactionID": uuid::Uuid::new_v4().to_string(),
        "ToBankTransactionID": uuid::Uuid::new_v4().to_string(),
        "FromIsReconciled": false,
        "ToIsReconciled": false,
        "Reference": s(v, "Reference").unwrap_or_default(),
        "CurrencyRate": 1,
        "HasAttachments": false,
    });
    t.push("BankTransfers", bt.clone());
    Ok(bt)
}

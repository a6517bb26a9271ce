//! Money in and between accounts: Payment (applied to invoices, netted with credit memos — a
//! zero-value payment links a credit memo to a refund journal, as Codat does), Deposit and
//! Transfer. Money only lands in bank or other-current-asset accounts.

use super::purchases::apply_links;
use super::refs::{self, business, s};
use crate::money::{dec, num};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn cash_account(
    t: &Tenant,
    v: &Value,
    key: &str,
    required: bool,
    issues: &mut Vec<Issue>,
) -> Option<Value> {
    match refs::account(t, v, key, required) {
        Ok(Some(a)) if refs::is_cash(&a) => Some(a),
        Ok(Some(a)) => {
            issues.push(business(format!(
                "{key}: {} must be a bank or other current asset account.",
                s(&a, "Name").unwrap_or_default()
            )));
            None
        }
        Ok(None) => None,
        Err(e) => {
            issues.push(e);
            None
        }
    }
}

pub fn create_payment(t: &mut Tenant, now: Timestamp, v: &Value) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let customer = refs::entity(t, v, "CustomerRef", "Customer", "Names", true)
        .map_err(|e| issues.push(e))
        .ok()
        .flatten();
    let date = refs::txn_date(t, v, now, &mut issues);
    let deposit = cash_account(t, v, "DepositToAccountRef", false, &mut issues).or_else(|| {
        t.find("Account", "AccountSubType", "UndepositedFunds")
            .cloned()
    });
    let total = v.get("TotalAmt").and_then(dec);
    match total {
        None => issues.push(refs::missing("TotalAmt")),
        Some(x) if x < Decimal::ZERO => issues.push(business("TotalAmt cannot be negative.")),
        _ => {}
    }
    let mut draft = t.clone();
    let (debits, credits) = apply_links(
        &mut draft,
        v,
        &["Invoice", "JournalEntry"],
        &["CreditMemo"],
        &mut issues,
        true,
    );
    let total = total.unwrap_or_default();
    if debits - credits > total {
        issues.push(business(format!(
            "The amount applied ({}) is more than the payment amount ({total}).",
            debits - credits
        )));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    *t = draft;
    let mut m = v.as_object().cloned().unwrap_or_default();
    m.insert("TxnDate".into(), json!(date.to_string()));
    if let Some(c) = &customer {
        m.insert("CustomerRef".into(), refs::short(c));
    }
    if let Some(a) = &deposit {
        m.insert("DepositToAccountRef".into(), refs::short(a));
    }
    m.insert("TotalAmt".into(), num(total));
    m.insert("UnappliedAmt".into(), num(total - (debits - credits)));
    m.insert("ProcessPayment".into(), json!(false));
    m.insert("CurrencyRef".into(), refs::currency(t));
    let doc = refs::stamp(t, m, now);
    t.push("Payment", doc.clone());
    Ok(doc)
}

pub fn create_deposit(t: &mut Tenant, now: Timestamp, v: &Value) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let to = cash_account(t, v, "DepositToAccountRef", true, &mut issues);
    let date = refs::txn_date(t, v, now, &mut issues);
    let lines = v
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if lines.is_empty() {
        issues.push(refs::missing("Line"));
    }
    let mut total = Decimal::ZERO;
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let amount = refs::line_amount(l, None, i + 1, &mut issues);
        total += amount;
        let mut line = l.clone();
        if l.get("LinkedTxn").is_none() {
            let detail = l
                .get("DepositLineDetail")
                .cloned()
                .unwrap_or_else(|| json!({}));
            match refs::account(t, &detail, "AccountRef", true) {
                Ok(Some(a)) => line["DepositLineDetail"]["AccountRef"] = refs::short(&a),
                Ok(None) => {}
                Err(e) => issues.push(e),
            }
            line["DetailType"] = json!("DepositLineDetail");
        }
        line["Id"] = json!((i + 1).to_string());
        line["LineNum"] = json!(i + 1);
        line["Amount"] = num(amount);
        out.push(line);
    }
    refs::check_total(v, total, &mut issues);
    let mut draft = t.clone();
    apply_links(
        &mut draft,
        v,
        &["Payment", "SalesReceipt", "Transfer"],
        &[],
        &mut issues,
        false,
    );
    let (Some(to), true) = (to, issues.is_empty()) else {
        return Err(issues);
    };
    let mut m = v.as_object().cloned().unwrap_or_default();
    m.insert("TxnDate".into(), json!(date.to_string()));
    m.insert("DepositToAccountRef".into(), refs::short(&to));
    m.insert("Line".into(), Value::Array(out));
    m.insert("TotalAmt".into(), num(total));
    m.insert("CurrencyRef".into(), refs::currency(t));
    let doc = refs::stamp(t, m, now);
    t.push("Deposit", doc.clone());
    Ok(doc)
}

pub fn create_transfer(t: &mut Tenant, now: Timestamp, v: &Value) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut side = |key: &str| match refs::account(t, v, key, true) {
        Ok(Some(a))
            if matches!(
                s(&a, "Classification"),
                Some("Asset" | "Liability" | "Equity")
            ) =>
        {
            Some(a)
        }
        Ok(Some(a)) => {
            issues.push(business(format!(
                "{key}: transfers can only be made between balance sheet accounts ({} is not one).",
                s(&a, "Name").unwrap_or_default()
            )));
            None
        }
        Ok(None) => None,
        Err(e) => {
            issues.push(e);
            None
        }
    };
    let from = side("FromAccountRef");
    let to = side("ToAccountRef");
    if let (Some(f), Some(x)) = (&from, &to)
        && f["Id"] == x["Id"]
    {
        issues.push(business(
            "The from and to accounts of a transfer must be different.",
        ));
    }
    let amount = v.get("Amount").and_then(dec).unwrap_or_default();
    if amount <= Decimal::ZERO {
        issues.push(business("A transfer amount must be greater than zero."));
    }
    let date = refs::txn_date(t, v, now, &mut issues);
    let (Some(from), Some(to), true) = (from, to, issues.is_empty()) else {
        return Err(issues);
    };
    let mut m = v.as_object().cloned().unwrap_or_default();
    m.insert("TxnDate".into(), json!(date.to_string()));
    m.insert("FromAccountRef".into(), refs::short(&from));
    m.insert("ToAccountRef".into(), refs::short(&to));
    m.insert("Amount".into(), num(amount));
    m.insert("CurrencyRef".into(), refs::currency(t));
    let doc = refs::stamp(t, m, now);
    t.push("Transfer", doc.clone());
    Ok(doc)
}

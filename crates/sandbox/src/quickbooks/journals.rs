//! JournalEntry: positive amounts with a Debit/Credit posting type; debits must equal credits,
//! and receivable/payable lines must name a customer/vendor, as QuickBooks insists.

use super::refs::{self, business, s};
use crate::money::{dec, num};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub fn create(t: &mut Tenant, now: Timestamp, v: &Value) -> Result<Value, Vec<Issue>> {
    let mut issues = Vec::new();
    let date = refs::txn_date(t, v, now, &mut issues);
    let lines = v
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if lines.len() < 2 {
        issues.push(business("A journal entry must have at least two lines."));
    }
    let (mut debits, mut credits) = (Decimal::ZERO, Decimal::ZERO);
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        let amount = refs::line_amount(l, None, n, &mut issues);
        if amount < Decimal::ZERO {
            issues.push(business(format!(
                "Line[{n}]: amounts must be positive; use PostingType for the side."
            )));
        }
        let detail = l
            .get("JournalEntryLineDetail")
            .cloned()
            .unwrap_or_else(|| json!({}));
        match s(&detail, "PostingType") {
            Some("Debit") => debits += amount,
            Some("Credit") => credits += amount,
            _ => issues.push(refs::missing(&format!(
                "Line[{n}].JournalEntryLineDetail.PostingType"
            ))),
        }
        let mut line = l.clone();
        match refs::account(t, &detail, "AccountRef", true) {
            Ok(Some(a)) => {
                let entity = detail
                    .get("Entity")
                    .and_then(|e| s(e, "Type"))
                    .unwrap_or_default();
                match s(&a, "AccountType") {
                    Some("Accounts Receivable") if entity != "Customer" => issues.push(business(
                        "When you use Accounts Receivable, you must choose a customer in the Name field.",
                    )),
                    Some("Accounts Payable") if entity != "Vendor" => issues.push(business(
                        "When you use Accounts Payable, you must choose a vendor in the Name field.",
                    )),
                    _ => {}
                }
                line["JournalEntryLineDetail"]["AccountRef"] = refs::short(&a);
            }
            Ok(None) => {}
            Err(e) => issues.push(e),
        }
        line["Id"] = json!(i.to_string());
        line["Amount"] = num(amount);
        line["DetailType"] = json!("JournalEntryLineDetail");
        out.push(line);
    }
    if debits != credits {
        issues.push(Issue::new(
            "6000",
            format!("Business Validation Error: Transaction is not balanced. Debits ({debits}) must equal credits ({credits})."),
        ));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut m = v.as_object().cloned().unwrap_or_default();
    m.insert("TxnDate".into(), json!(date.to_string()));
    m.insert("Line".into(), Value::Array(out));
    m.insert("Adjustment".into(), json!(false));
    m.insert("TotalAmt".into(), num(debits));
    m.insert("CurrencyRef".into(), refs::currency(t));
    let _ = v.get("TotalAmt").and_then(dec);
    let doc = refs::stamp(t, m, now);
    t.push("JournalEntry", doc.clone());
    Ok(doc)
}

//! `POST /{entity}?operation=delete` with `{"Id", "SyncToken"}`: how a transaction is undone
//! before reposting. A document with money applied must lose its payments first; deleting a
//! payment puts its amounts back on the documents it was applied to.

use super::refs::{business, s};
use crate::money::{dec, num};
use crate::pipeline::Issue;
use crate::tenant::Tenant;
use serde_json::{Value, json};

const TRANSACTIONS: [&str; 10] = [
    "Invoice",
    "CreditMemo",
    "RefundReceipt",
    "Bill",
    "VendorCredit",
    "BillPayment",
    "Payment",
    "Deposit",
    "Transfer",
    "JournalEntry",
];

pub fn delete(t: &mut Tenant, name: &str, v: &Value) -> Result<Value, Vec<Issue>> {
    if !TRANSACTIONS.contains(&name) {
        return Err(vec![Issue::new(
            "500",
            format!("Unsupported Operation: delete {name}; make it inactive instead"),
        )]);
    }
    let id = s(v, "Id").unwrap_or_default().to_owned();
    let Some(doc) = t.find(name, "Id", &id).cloned() else {
        return Err(vec![Issue::new(
            "610",
            format!("Object Not Found : {name} {id}"),
        )]);
    };
    let token = s(&doc, "SyncToken").unwrap_or("0");
    if s(v, "SyncToken") != Some(token) {
        return Err(vec![Issue::new(
            "5010",
            format!("Stale Object Error : {name} {id} has SyncToken {token}."),
        )]);
    }
    let balance = doc.get("Balance").and_then(dec);
    let total = doc.get("TotalAmt").and_then(dec);
    if matches!(name, "Invoice" | "CreditMemo" | "Bill" | "VendorCredit") && balance != total {
        return Err(vec![business(format!(
            "This {name} has payments or credits applied; delete them before deleting the {name}."
        ))]);
    }
    // Give linked amounts back.
    for line in doc
        .get("Line")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let amount = line.get("Amount").and_then(dec).unwrap_or_default();
        for link in line
            .get("LinkedTxn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = s(link, "TxnType").unwrap_or_default().to_owned();
            let linked = match link.get("TxnId") {
                Some(Value::String(x)) => x.clone(),
                Some(other) => other.to_string(),
                None => continue,
            };
            if let Some(target) = t.find_mut(&kind, "Id", &linked)
                && let Some(b) = target.get("Balance").and_then(dec)
            {
                target["Balance"] = num(b + amount);
                if target.get("RemainingCredit").is_some() {
                    target["RemainingCredit"] = num(b + amount);
                }
            }
        }
    }
    t.remove(name, "Id", &id);
    Ok(json!({"Id": id, "status": "Deleted", "domain": "QBO"}))
}

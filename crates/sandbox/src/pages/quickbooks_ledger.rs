//! What QuickBooks posts for each transaction the sandbox holds (accrual basis): sales and
//! credit memos against Accounts Receivable, bills and vendor credits against Accounts Payable,
//! refund receipts, payments, deposits, bill payments and transfers against their bank (or
//! Undeposited Funds), journal entries as written. Deleted transactions are gone from the books,
//! so they post nothing. Tax goes to the tax payable account QuickBooks keeps.

use super::ledger::Entry;
use crate::money::{dec, round2};
use crate::tenant::Tenant;
use rust_decimal::Decimal;
use serde_json::Value;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn amount(v: &Value, key: &str) -> Decimal {
    v.get(key).and_then(dec).unwrap_or_default()
}

/// The id in a reference `{"value": "…", "name": "…"}` named `key` on `v`.
fn ref_id(v: &Value, key: &str) -> Option<String> {
    match v.get(key)?.get("value")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first account of an `AccountType` (Accounts Receivable, Accounts Payable).
fn account_of_type(t: &Tenant, kind: &str) -> Option<String> {
    t.find("Account", "AccountType", kind)
        .map(|a| text(a, "Id").to_owned())
}

/// Where QuickBooks collects tax: VAT Control (GB) or Sales Tax Payable (US).
fn tax_account(t: &Tenant) -> Option<String> {
    t.list("Account")
        .iter()
        .find(|a| {
            matches!(
                text(a, "AccountSubType"),
                "GlobalTaxPayable" | "SalesTaxPayable"
            )
        })
        .map(|a| text(a, "Id").to_owned())
}

/// The tax rate a line's tax code charges (its first rate), to match lines with `TaxLine`s.
fn rate_of_line(t: &Tenant, detail: &Value) -> Option<String> {
    let code = t.find("TaxCode", "Id", &ref_id(detail, "TaxCodeRef")?)?;
    code["SalesTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"]
        .as_str()
        .map(str::to_owned)
}

/// A sale's item lines (to the line's account, else the item's income account) or a
/// purchase's account lines, net of tax, times `sign`; the tax to the tax account.
fn post_lines(t: &Tenant, e: &mut Entry, doc: &Value, sign: Decimal) {
    let mut lines: Vec<(Option<String>, Option<String>, Decimal)> = Vec::new(); // account, rate, amount
    for line in doc
        .get("Line")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let detail_type = text(line, "DetailType");
        let Some(detail) = line.get(detail_type) else {
            continue;
        };
        let account = match detail_type {
            "SalesItemLineDetail" => ref_id(detail, "ItemAccountRef").or_else(|| {
                t.find("Item", "Id", &ref_id(detail, "ItemRef")?)
                    .and_then(|i| ref_id(i, "IncomeAccountRef"))
            }),
            "AccountBasedExpenseLineDetail" => ref_id(detail, "AccountRef"),
            _ => continue,
        };
        lines.push((account, rate_of_line(t, detail), amount(line, "Amount")));
    }
    let tax_lines: Vec<(Option<String>, Decimal)> = doc["TxnTaxDetail"]["TaxLine"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let rate = l["TaxLineDetail"]["TaxRateRef"]["value"]
                .as_str()
                .map(str::to_owned);
            (rate, amount(l, "Amount"))
        })
        .collect();
    let tax = amount(&doc["TxnTaxDetail"], "TotalTax");
    // Tax-inclusive lines hold their tax: take each rate's tax out of the lines at that rate,
    // in proportion; what rounding leaves goes on the last line, so the entry balances.
    let gross: Decimal = lines.iter().map(|l| l.2).sum();
    let mut left = gross + tax - amount(doc, "TotalAmt");
    if !left.is_zero() {
        for (rate, rate_tax) in &tax_lines {
            let at_rate: Decimal = lines.iter().filter(|l| &l.1 == rate).map(|l| l.2).sum();
            if at_rate.is_zero() {
                continue;
            }
            for l in lines.iter_mut().filter(|l| &l.1 == rate) {
                let share = round2(*rate_tax * l.2 / at_rate);
                l.2 -= share;
                left -= share;
            }
        }
        if let Some(last) = lines.last_mut() {
            last.2 -= left;
        }
    }
    for (account, _, net) in lines {
        e.post(account, sign * net);
    }
    e.post(tax_account(t), sign * tax);
}

/// Invoices, credit memos, refund receipts, bills and vendor credits: the control (or bank)
/// account on one side, lines and tax on the other.
fn documents(t: &Tenant, out: &mut Vec<Entry>) {
    let ar = account_of_type(t, "Accounts Receivable");
    let ap = account_of_type(t, "Accounts Payable");
    // (collection, control account, sign of the control posting: +1 debit)
    let kinds: [(&str, Option<String>, Decimal); 5] = [
        ("Invoice", ar.clone(), Decimal::ONE),
        ("CreditMemo", ar, Decimal::NEGATIVE_ONE),
        ("RefundReceipt", None, Decimal::NEGATIVE_ONE),
        ("Bill", ap.clone(), Decimal::NEGATIVE_ONE),
        ("VendorCredit", ap, Decimal::ONE),
    ];
    for (kind, control, sign) in kinds {
        for doc in t.list(kind) {
            let control = match kind {
                "RefundReceipt" => ref_id(doc, "DepositToAccountRef"),
                "Bill" | "VendorCredit" => ref_id(doc, "APAccountRef").or(control.clone()),
                _ => control.clone(),
            };
            let mut e = Entry::new(format!("{kind} {}", number(doc)));
            e.post(control, sign * amount(doc, "TotalAmt"));
            post_lines(t, &mut e, doc, -sign);
            out.push(e);
        }
    }
}

/// An id given as a JSON string or number.
fn plain(id: &Value) -> String {
    id.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| id.to_string())
}

fn number(doc: &Value) -> &str {
    Some(text(doc, "DocNumber"))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| text(doc, "Id"))
}

/// Money movements: customer payments, deposits, bill payments, transfers.
fn money(t: &Tenant, out: &mut Vec<Entry>) {
    let ar = account_of_type(t, "Accounts Receivable");
    let ap = account_of_type(t, "Accounts Payable");
    for p in t.list("Payment") {
        let a = amount(p, "TotalAmt");
        let mut e = Entry::new(format!("Payment {}", number(p)));
        e.post(ref_id(p, "DepositToAccountRef"), a);
        e.post(ar.clone(), -a);
        out.push(e);
    }
    let undeposited = t
        .find("Account", "AccountSubType", "UndepositedFunds")
        .map(|a| text(a, "Id").to_owned());
    for d in t.list("Deposit") {
        let mut e = Entry::new(format!("Deposit {}", number(d)));
        e.post(ref_id(d, "DepositToAccountRef"), amount(d, "TotalAmt"));
        for line in d
            .get("Line")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            // A line either banks a payment (out of where the payment went, usually
            // Undeposited Funds) or names its own account (fees, other income).
            let link = &line["LinkedTxn"][0];
            let from = match (text(link, "TxnType"), &link["TxnId"]) {
                (_, Value::Null) => ref_id(&line["DepositLineDetail"], "AccountRef"),
                ("Transfer", id) => t
                    .find("Transfer", "Id", &plain(id))
                    .and_then(|x| ref_id(x, "ToAccountRef")),
                (kind, id) => t
                    .find(kind, "Id", &plain(id))
                    .and_then(|x| ref_id(x, "DepositToAccountRef"))
                    .or_else(|| undeposited.clone()),
            };
            e.post(from, -amount(line, "Amount"));
        }
        out.push(e);
    }
    for bp in t.list("BillPayment") {
        let a = amount(bp, "TotalAmt");
        let from = ref_id(&bp["CheckPayment"], "BankAccountRef")
            .or_else(|| ref_id(&bp["CreditCardPayment"], "CCAccountRef"));
        let mut e = Entry::new(format!("Bill payment {}", number(bp)));
        e.post(ap.clone(), a);
        e.post(from, -a);
        out.push(e);
    }
    for tr in t.list("Transfer") {
        let a = amount(tr, "Amount");
        let mut e = Entry::new(format!("Transfer {}", number(tr)));
        e.post(ref_id(tr, "ToAccountRef"), a);
        e.post(ref_id(tr, "FromAccountRef"), -a);
        out.push(e);
    }
}

/// Every posting of the company's transactions.
pub fn entries(t: &Tenant) -> Vec<Entry> {
    let mut out = Vec::new();
    documents(t, &mut out);
    money(t, &mut out);
    for je in t.list("JournalEntry") {
        let mut e = Entry::new(format!("Journal entry {}", number(je)));
        for line in je
            .get("Line")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let detail = &line["JournalEntryLineDetail"];
            let side = match text(detail, "PostingType") {
                "Debit" => Decimal::ONE,
                "Credit" => Decimal::NEGATIVE_ONE,
                _ => continue,
            };
            e.post(ref_id(detail, "AccountRef"), side * amount(line, "Amount"));
        }
        out.push(e);
    }
    out
}

/// (sort key, label) of an account id: "4000 Sales", ordered by account number.
pub fn label(t: &Tenant, id: &str) -> (String, String) {
    match t.find("Account", "Id", id) {
        Some(a) => {
            let number = text(a, "AcctNum");
            (
                format!("{number}\u{0}{id}"),
                format!("{number} {}", text(a, "Name")),
            )
        }
        None => (format!("~{id}"), format!("(unknown account {id})")),
    }
}

//! What Xero posts for each document the sandbox holds, as Xero's own trial balance would show
//! it (accrual basis): approved invoices and credit notes against the receivables or payables
//! control account, payments and bank transactions against their bank account, transfers
//! between banks, posted manual journals. Drafts, submitted, voided and deleted documents post
//! nothing; credit note allocations move nothing (receivables to receivables).

use super::ledger::Entry;
use crate::money::dec;
use crate::tenant::Tenant;
use rust_decimal::Decimal;
use serde_json::Value;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn amount(v: &Value, key: &str) -> Decimal {
    v.get(key).and_then(dec).unwrap_or_default()
}

/// The code of the account Xero flags with `SystemAccount` (DEBTORS, CREDITORS, GST).
fn system(t: &Tenant, flag: &str) -> Option<String> {
    t.find("Accounts", "SystemAccount", flag)
        .map(|a| text(a, "Code").to_owned())
}

/// An account reference (`{"AccountID", "Code"}`) as the account's code.
fn code_of(t: &Tenant, r: &Value) -> Option<String> {
    let code = text(r, "Code");
    if !code.is_empty() {
        return Some(code.to_owned());
    }
    t.find("Accounts", "AccountID", text(r, "AccountID"))
        .map(|a| text(a, "Code").to_owned())
}

/// Each line's amount without tax to its account, and its tax to the tax control account,
/// times `sign` (+1 debits the lines).
fn post_lines(t: &Tenant, e: &mut Entry, doc: &Value, lines_key: &str, sign: Decimal) {
    let inclusive = text(doc, "LineAmountTypes") == "Inclusive";
    let tax_account = system(t, "GST");
    for line in doc
        .get(lines_key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let gross = amount(line, "LineAmount");
        let tax = amount(line, "TaxAmount");
        let net = if inclusive { gross - tax } else { gross };
        let account = line
            .get("AccountCode")
            .and_then(Value::as_str)
            .map(str::to_owned);
        e.post(account, sign * net);
        e.post(tax_account.clone(), sign * tax);
    }
}

/// Approved sales and purchase invoices and credit notes.
fn documents(t: &Tenant, out: &mut Vec<Entry>, coll: &str, number: &str) {
    for doc in t.list(coll) {
        if !matches!(text(doc, "Status"), "AUTHORISED" | "PAID") {
            continue;
        }
        // Which side the control account is on: a sale debits receivables, its credit note
        // credits them; a bill credits payables, a supplier credit debits them.
        let (control, sign) = match text(doc, "Type") {
            "ACCREC" => ("DEBTORS", Decimal::ONE),
            "ACCRECCREDIT" => ("DEBTORS", Decimal::NEGATIVE_ONE),
            "ACCPAY" => ("CREDITORS", Decimal::NEGATIVE_ONE),
            "ACCPAYCREDIT" => ("CREDITORS", Decimal::ONE),
            _ => continue,
        };
        let mut e = Entry::new(format!("{} {}", text(doc, "Type"), text(doc, number)));
        e.post(system(t, control), sign * amount(doc, "Total"));
        post_lines(t, &mut e, doc, "LineItems", -sign);
        out.push(e);
    }
}

/// Payments and refunds: money between a bank account and the control account.
fn payments(t: &Tenant, out: &mut Vec<Entry>) {
    for p in t.list("Payments") {
        if text(p, "Status") == "DELETED" {
            continue;
        }
        let doc_type = p
            .get("Invoice")
            .or_else(|| p.get("CreditNote"))
            .map(|d| text(d, "Type"))
            .unwrap_or_default();
        // +1: money comes into the bank.
        let (control, into_bank) = match doc_type {
            "ACCREC" => ("DEBTORS", Decimal::ONE),
            "ACCRECCREDIT" => ("DEBTORS", Decimal::NEGATIVE_ONE),
            "ACCPAY" => ("CREDITORS", Decimal::NEGATIVE_ONE),
            "ACCPAYCREDIT" => ("CREDITORS", Decimal::ONE),
            _ => continue,
        };
        let a = amount(p, "Amount");
        let mut e = Entry::new(format!("Payment {}", text(p, "PaymentID")));
        e.post(p.get("Account").and_then(|r| code_of(t, r)), into_bank * a);
        e.post(system(t, control), -into_bank * a);
        out.push(e);
    }
}

/// Spend and receive money straight from a bank account, and transfers between banks.
fn banking(t: &Tenant, out: &mut Vec<Entry>) {
    for bt in t.list("BankTransactions") {
        if text(bt, "Status") != "AUTHORISED" {
            continue;
        }
        let into_bank = match text(bt, "Type") {
            "RECEIVE" => Decimal::ONE,
            "SPEND" => Decimal::NEGATIVE_ONE,
            _ => continue,
        };
        let mut e = Entry::new(format!("{} {}", text(bt, "Type"), text(bt, "Reference")));
        e.post(
            bt.get("BankAccount").and_then(|r| code_of(t, r)),
            into_bank * amount(bt, "Total"),
        );
        post_lines(t, &mut e, bt, "LineItems", -into_bank);
        out.push(e);
    }
    for tr in t.list("BankTransfers") {
        let a = amount(tr, "Amount");
        let mut e = Entry::new(format!("Bank transfer {}", text(tr, "Reference")));
        e.post(tr.get("ToBankAccount").and_then(|r| code_of(t, r)), a);
        e.post(tr.get("FromBankAccount").and_then(|r| code_of(t, r)), -a);
        out.push(e);
    }
}

/// Every posting of the organisation's documents.
pub fn entries(t: &Tenant) -> Vec<Entry> {
    let mut out = Vec::new();
    documents(t, &mut out, "Invoices", "InvoiceNumber");
    documents(t, &mut out, "CreditNotes", "CreditNoteNumber");
    payments(t, &mut out);
    banking(t, &mut out);
    for mj in t.list("ManualJournals") {
        if text(mj, "Status") != "POSTED" {
            continue;
        }
        // Journal lines carry their own sign: positive debits, negative credits.
        let mut e = Entry::new(format!("Manual journal {}", text(mj, "Narration")));
        post_lines(t, &mut e, mj, "JournalLines", Decimal::ONE);
        out.push(e);
    }
    out
}

/// (sort key, label) of an account code: "200 Sales".
pub fn label(t: &Tenant, code: &str) -> (String, String) {
    let name = t
        .find("Accounts", "Code", code)
        .map(|a| text(a, "Name"))
        .unwrap_or("(unknown account)");
    (code.to_owned(), format!("{code} {name}"))
}

//! Domain documents → QuickBooks Online bodies (reference data is in `reference.rs`). Pure
//! functions: no I/O, so the contract tests can check every body against Intuit's XSDs.
//!
//! Every body carries our compact key (21 characters) in `DocNumber` — the field `find`
//! queries — and the full key in `PrivateNote`, which `find` compares exactly. Sales lines
//! are `SalesItemLineDetail` (QuickBooks posts through an item; `ItemAccountRef` names the
//! account); purchase lines are `AccountBasedExpenseLineDetail`. Tax is computed by
//! QuickBooks: US companies with automated sales tax mark lines `TAX`/`NON` and send no
//! `TxnTaxDetail`; elsewhere every line carries its `TaxCodeRef`.

use crate::error::PlatformError;
use domain::documents::{Document, DocumentKind, DocumentStatus, Line};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// The QuickBooks entity (JSON name; its path is the lower-cased name) a kind becomes.
/// Refunds are journal entries (linked to their credit memo by a zero-value payment);
/// bill refunds (fee refunds) and money received are deposits.
pub fn entity(kind: DocumentKind) -> &'static str {
    use DocumentKind::*;
    match kind {
        Invoice => "Invoice",
        CreditNote => "CreditMemo",
        Payment => "Payment",
        Refund => "JournalEntry",
        Bill => "Bill",
        BillCreditNote => "VendorCredit",
        BillPayment => "BillPayment",
        BillRefund | BankTransaction => "Deposit",
        Transfer => "Transfer",
        JournalEntry => "JournalEntry",
    }
}

/// Where a line's location goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationTracking {
    /// `ClassRef` on each line (the location id is a Class id).
    Class,
    /// `DepartmentRef` on the transaction (QuickBooks "Location"), from the first line.
    Department,
}

/// Options of the transformation that come from the connection, not the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// US companies: automated sales tax (lines `TAX`/`NON`, no `TxnTaxDetail`).
    pub automated_sales_tax: bool,
    pub location_tracking: Option<LocationTracking>,
    /// The item sales lines post through; none: QuickBooks' default item ("Services").
    pub item_id: Option<String>,
}

/// What the connector resolved before transforming: platform ids of other records.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The QuickBooks id of the invoice, bill or credit memo a payment or refund is for.
    pub applies_to: Option<String>,
    /// The customer or vendor, when the document does not name one (taken from `applies_to`).
    pub contact: Option<String>,
    /// The Accounts Receivable account (refund journals).
    pub receivable_account: Option<String>,
    /// Journal lines: which of their accounts are receivable or payable (QuickBooks wants
    /// the customer or vendor named on those lines).
    pub receivable_accounts: Vec<String>,
    pub payable_accounts: Vec<String>,
}

fn missing(kind: DocumentKind, what: &str) -> PlatformError {
    PlatformError::Protocol(format!("a {} document needs {what}", kind.as_str()))
}

fn reference(id: &str) -> Value {
    json!({ "value": id })
}

fn money(d: Decimal) -> Value {
    serde_json::to_value(d.round_dp(2)).expect("decimals serialize")
}

fn tax_code(line: &Line, options: &Options) -> Option<String> {
    if options.automated_sales_tax {
        let taxed = line.tax_rate_id.as_deref() == Some("TAX")
            || (line.tax_rate_id.as_deref() != Some("NON")
                && line.tax_amount.is_some_and(|t| !t.is_zero()));
        Some(if taxed { "TAX" } else { "NON" }.to_owned())
    } else {
        line.tax_rate_id.clone()
    }
}

fn class_ref(line: &Line, options: &Options) -> Option<Value> {
    match options.location_tracking {
        Some(LocationTracking::Class) => line
            .tracking
            .as_ref()
            .and_then(|t| t.location_id.as_deref())
            .map(reference),
        _ => None,
    }
}

fn sales_line(line: &Line, options: &Options) -> Value {
    let net = line.net_amount.unwrap_or_default();
    let mut detail = Map::new();
    if let Some(item) = &options.item_id {
        detail.insert("ItemRef".into(), reference(item));
    }
    detail.insert("ItemAccountRef".into(), reference(&line.account_id));
    detail.insert("Qty".into(), json!(1));
    detail.insert("UnitPrice".into(), money(net));
    if let Some(c) = class_ref(line, options) {
        detail.insert("ClassRef".into(), c);
    }
    if let Some(code) = tax_code(line, options) {
        detail.insert("TaxCodeRef".into(), reference(&code));
    }
    json!({"Description": line.description, "Amount": money(net),
        "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail})
}

fn expense_line(line: &Line, options: &Options) -> Value {
    let mut detail = Map::new();
    detail.insert("AccountRef".into(), reference(&line.account_id));
    if let Some(c) = class_ref(line, options) {
        detail.insert("ClassRef".into(), c);
    }
    // Purchases under automated sales tax carry no tax code.
    if !options.automated_sales_tax
        && let Some(code) = &line.tax_rate_id
    {
        detail.insert("TaxCodeRef".into(), reference(code));
    }
    json!({"Description": line.description, "Amount": money(line.net_amount.unwrap_or_default()),
        "DetailType": "AccountBasedExpenseLineDetail", "AccountBasedExpenseLineDetail": detail})
}

/// The header every transaction carries: our keys, the date, the department.
fn header(document: &Document, options: &Options) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("DocNumber".into(), json!(document.key.compact()));
    m.insert("PrivateNote".into(), json!(document.key.full()));
    m.insert("TxnDate".into(), json!(document.date.to_string()));
    if options.location_tracking == Some(LocationTracking::Department)
        && let Some(location) = document
            .lines
            .iter()
            .find_map(|l| l.tracking.as_ref()?.location_id.clone())
    {
        m.insert("DepartmentRef".into(), reference(&location));
    }
    m
}

/// The body that writes `document` (for a refund: its journal; see [`refund_link`]).
pub fn request(
    document: &Document,
    resolved: &Resolved,
    options: &Options,
) -> Result<Value, PlatformError> {
    use DocumentKind::*;
    let kind = document.kind;
    // QuickBooks Online has no draft invoices or bills: posting one would not be what the
    // merchant chose, so say so rather than post it.
    if document.status == Some(DocumentStatus::Draft)
        && matches!(kind, Invoice | CreditNote | Bill | BillCreditNote)
    {
        return Err(PlatformError::Unsupported(format!(
            "draft documents ({} in Draft status); choose Submitted in your sync settings",
            kind.as_str()
        )));
    }
    let mut m = header(document, options);
    let contact = || {
        document
            .contact_id
            .clone()
            .or_else(|| resolved.contact.clone())
            .ok_or_else(|| missing(kind, "a customer or supplier"))
    };
    let account = || {
        document
            .account_id
            .clone()
            .ok_or_else(|| missing(kind, "an account"))
    };
    let amount = || document.amount.ok_or_else(|| missing(kind, "an amount"));
    let target = || {
        resolved
            .applies_to
            .clone()
            .ok_or_else(|| missing(kind, "the document it applies to"))
    };
    let need_lines = || {
        if document.lines.is_empty() {
            Err(missing(kind, "at least one line"))
        } else {
            Ok(())
        }
    };
    match kind {
        Invoice | CreditNote => {
            need_lines()?;
            m.insert("CustomerRef".into(), reference(&contact()?));
            let lines: Vec<Value> = document
                .lines
                .iter()
                .map(|l| sales_line(l, options))
                .collect();
            m.insert("Line".into(), Value::Array(lines));
            if kind == Invoice {
                m.insert("DueDate".into(), json!(document.date.to_string()));
            }
            if !options.automated_sales_tax {
                m.insert("GlobalTaxCalculation".into(), json!("TaxExcluded"));
            }
        }
        Bill | BillCreditNote => {
            need_lines()?;
            m.insert("VendorRef".into(), reference(&contact()?));
            let lines: Vec<Value> = document
                .lines
                .iter()
                .map(|l| expense_line(l, options))
                .collect();
            m.insert("Line".into(), Value::Array(lines));
            if kind == Bill {
                m.insert("DueDate".into(), json!(document.date.to_string()));
            }
            if !options.automated_sales_tax {
                m.insert("GlobalTaxCalculation".into(), json!("TaxExcluded"));
            }
        }
        Payment => {
            let amount = amount()?;
            m.insert("CustomerRef".into(), reference(&contact()?));
            m.insert("DepositToAccountRef".into(), reference(&account()?));
            m.insert("TotalAmt".into(), money(amount));
            m.insert(
                "Line".into(),
                json!([linked(amount, &target()?, "Invoice")]),
            );
        }
        BillPayment => {
            let amount = amount()?;
            m.insert("VendorRef".into(), reference(&contact()?));
            m.insert("PayType".into(), json!("Check"));
            m.insert(
                "CheckPayment".into(),
                json!({"BankAccountRef": reference(&account()?)}),
            );
            m.insert("TotalAmt".into(), money(amount));
            m.insert("Line".into(), json!([linked(amount, &target()?, "Bill")]));
        }
        Refund => {
            // Money back to the customer: debit receivable (the credit memo's customer),
            // credit the account the money left from. The link payment ties it to the memo.
            let amount = amount()?;
            let receivable = resolved
                .receivable_account
                .clone()
                .ok_or_else(|| missing(kind, "an Accounts Receivable account"))?;
            let customer = contact()?;
            let line = |posting: &str, account: &str, entity: Option<&str>| {
                let mut d = json!({"PostingType": posting, "AccountRef": reference(account)});
                if let Some(c) = entity {
                    d["Entity"] = json!({"Type": "Customer", "EntityRef": reference(c)});
                }
                json!({"Description": "Refund", "Amount": money(amount),
                    "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": d})
            };
            m.insert(
                "Line".into(),
                json!([
                    line("Debit", &receivable, Some(customer.as_str())),
                    line("Credit", &account()?, None)
                ]),
            );
        }
        BillRefund | BankTransaction => {
            let amount = amount()?;
            if amount.is_sign_negative() {
                return Err(PlatformError::Unsupported(
                    "spend-money bank transactions (QuickBooks Purchase) in this connector".into(),
                ));
            }
            need_lines()?;
            m.insert("DepositToAccountRef".into(), reference(&account()?));
            let entity = document.contact_id.as_deref();
            let lines: Vec<Value> = document
                .lines
                .iter()
                .map(|l| {
                    let mut d = json!({"AccountRef": reference(&l.account_id)});
                    if let (Some(e), BillRefund) = (entity, kind) {
                        d["Entity"] = json!({"value": e, "type": "Vendor"});
                    }
                    if let Some(c) = class_ref(l, options) {
                        d["ClassRef"] = c;
                    }
                    json!({"Description": l.description, "Amount": money(l.net_amount.unwrap_or_default()),
                        "DetailType": "DepositLineDetail", "DepositLineDetail": d})
                })
                .collect();
            m.insert("Line".into(), Value::Array(lines));
        }
        Transfer => {
            let to = document
                .lines
                .first()
                .map(|l| l.account_id.clone())
                .ok_or_else(|| missing(kind, "a line naming the destination account"))?;
            m.insert("FromAccountRef".into(), reference(&account()?));
            m.insert("ToAccountRef".into(), reference(&to));
            m.insert("Amount".into(), money(amount()?));
        }
        JournalEntry => {
            if document.lines.len() < 2 {
                return Err(missing(kind, "at least two lines"));
            }
            let lines: Vec<Value> = document
                .lines
                .iter()
                .map(|l| {
                    let net = l.debit.unwrap_or_default() - l.credit.unwrap_or_default();
                    let posting = if net.is_sign_negative() {
                        "Credit"
                    } else {
                        "Debit"
                    };
                    let mut d =
                        json!({"PostingType": posting, "AccountRef": reference(&l.account_id)});
                    if let Some(c) = class_ref(l, options) {
                        d["ClassRef"] = c;
                    }
                    let ar = resolved.receivable_accounts.contains(&l.account_id);
                    if ar || resolved.payable_accounts.contains(&l.account_id) {
                        let name = document.contact_id.as_deref().ok_or_else(|| {
                            missing(
                                kind,
                                "a customer or supplier for its receivable or payable line",
                            )
                        })?;
                        let kind = if ar { "Customer" } else { "Vendor" };
                        d["Entity"] = json!({"Type": kind, "EntityRef": reference(name)});
                    }
                    if !options.automated_sales_tax
                        && let Some(code) = &l.tax_rate_id
                    {
                        d["TaxCodeRef"] = reference(code);
                    }
                    Ok(
                        json!({"Description": l.description, "Amount": money(net.abs()),
                        "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": d}),
                    )
                })
                .collect::<Result<_, PlatformError>>()?;
            m.insert("Line".into(), Value::Array(lines));
        }
    }
    Ok(Value::Object(m))
}

fn linked(amount: Decimal, id: &str, kind: &str) -> Value {
    json!({"Amount": money(amount), "LinkedTxn": [{"TxnId": id, "TxnType": kind}]})
}

/// The zero-value payment that applies a refund journal to its credit memo (as Codat does):
/// `amount` of the memo against `amount` of the journal. It carries the refund's keys.
pub fn refund_link(
    document: &Document,
    customer: &str,
    credit_memo_id: &str,
    journal_id: &str,
) -> Result<Value, PlatformError> {
    let amount = document
        .amount
        .ok_or_else(|| missing(document.kind, "an amount"))?;
    Ok(json!({
        "DocNumber": document.key.compact(),
        "PrivateNote": document.key.full(),
        "TxnDate": document.date.to_string(),
        "CustomerRef": reference(customer),
        "TotalAmt": money(Decimal::ZERO),
        "Line": [linked(amount, credit_memo_id, "CreditMemo"), linked(amount, journal_id, "JournalEntry")],
    }))
}

/// A decimal from a JSON number or string, exactly.
pub fn decimal(v: &Value) -> Option<Decimal> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

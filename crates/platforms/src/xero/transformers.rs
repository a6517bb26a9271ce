//! Domain documents → Xero bodies (reference data is in `reference.rs`). Pure functions: no I/O, so the contract tests can check
//! every body against Xero's published schemas.
//!
//! Where our key goes (so `find` can search for it): `Reference` on sales invoices and credit
//! notes, payments, bank transactions and transfers; `InvoiceNumber` / `CreditNoteNumber` on
//! bills and supplier credit notes (Xero's `Reference` is for sales only); `Narration` on
//! manual journals (they have no reference field).

use super::wire;
use crate::error::PlatformError;
use domain::documents::{Document, DocumentKind, DocumentStatus, Line};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

/// Where a kind lives in Xero and how our key is searched for there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// Collection path and envelope name (`Invoices`).
    pub collection: &'static str,
    /// The id field of its objects (`InvoiceID`).
    pub id_field: &'static str,
    /// The number field, when the object has one.
    pub number_field: Option<&'static str>,
    /// The field our key is stored in.
    pub key_field: &'static str,
    /// The Xero `Type` of the object, when the collection holds several.
    pub xero_type: Option<&'static str>,
    /// The schema in `xero_accounting.yaml` the request body follows.
    pub schema: &'static str,
}

pub fn endpoint(kind: DocumentKind) -> Endpoint {
    use DocumentKind::*;
    let invoices = |xero_type, key_field| Endpoint {
        collection: "Invoices",
        id_field: "InvoiceID",
        number_field: Some("InvoiceNumber"),
        key_field,
        xero_type: Some(xero_type),
        schema: "Invoices",
    };
    let credit_notes = |xero_type, key_field| Endpoint {
        collection: "CreditNotes",
        id_field: "CreditNoteID",
        number_field: Some("CreditNoteNumber"),
        key_field,
        xero_type: Some(xero_type),
        schema: "CreditNotes",
    };
    let plain = |collection, id_field, key_field| Endpoint {
        collection,
        id_field,
        number_field: None,
        key_field,
        xero_type: None,
        schema: collection,
    };
    match kind {
        Invoice => invoices("ACCREC", "Reference"),
        Bill => invoices("ACCPAY", "InvoiceNumber"),
        CreditNote => credit_notes("ACCRECCREDIT", "Reference"),
        BillCreditNote => credit_notes("ACCPAYCREDIT", "CreditNoteNumber"),
        Payment | Refund | BillPayment | BillRefund => plain("Payments", "PaymentID", "Reference"),
        BankTransaction => plain("BankTransactions", "BankTransactionID", "Reference"),
        Transfer => plain("BankTransfers", "BankTransferID", "Reference"),
        JournalEntry => plain("ManualJournals", "ManualJournalID", "Narration"),
    }
}

/// Options of the transformation that come from the connection, not the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Name of the tracking category a line's location goes to (e.g. `Location`); none: no
    /// tracking is sent.
    pub location_category: Option<String>,
}

/// A request body ready to send: `PUT /{collection}` with `{collection: [body]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub endpoint: Endpoint,
    pub body: Value,
}

/// The platform id of the document a payment applies to, resolved by the caller.
pub type AppliesTo<'a> = Option<&'a str>;

fn missing(kind: DocumentKind, what: &str) -> PlatformError {
    PlatformError::Protocol(format!("a {} document needs {what}", kind.as_str()))
}

fn envelope<T: Serialize>(name: &str, item: &T) -> Value {
    let item = serde_json::to_value(item).expect("wire types always serialize");
    serde_json::json!({ name: [item] })
}

fn status(document: &Document) -> &'static str {
    match document.status {
        Some(DocumentStatus::Draft) => "DRAFT",
        // Payments need it, and it is what the configuration offers by default.
        Some(DocumentStatus::Submitted) | None => "AUTHORISED",
    }
}

fn line_item(line: &Line, options: &Options) -> wire::LineItem {
    let net = line.net_amount.unwrap_or_default();
    wire::LineItem {
        description: line.description.clone(),
        quantity: Some(Decimal::ONE),
        unit_amount: Some(net),
        line_amount: Some(net),
        account_id: line.account_id.clone(),
        tax_type: line.tax_rate_id.clone(),
        tax_amount: line.tax_amount,
        tracking: tracking(line, options),
    }
}

fn tracking(line: &Line, options: &Options) -> Vec<wire::LineItemTracking> {
    match (&options.location_category, &line.tracking) {
        (Some(category), Some(t)) => t
            .location_id
            .iter()
            .map(|location| wire::LineItemTracking {
                name: category.clone(),
                option: location.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The request that writes `document`. `applies_to` is the Xero id of the invoice, bill or
/// credit note a payment or refund is for.
pub fn request(
    document: &Document,
    applies_to: AppliesTo<'_>,
    options: &Options,
) -> Result<Request, PlatformError> {
    use DocumentKind::*;
    let kind = document.kind;
    let endpoint = endpoint(kind);
    let key = document.key.full();
    let date = document.date.to_string();
    let contact = || {
        document
            .contact_id
            .clone()
            .map(|contact_id| wire::ContactRef { contact_id })
            .ok_or_else(|| missing(kind, "a customer or supplier"))
    };
    let account = || {
        document
            .account_id
            .clone()
            .map(|account_id| wire::AccountRef { account_id })
            .ok_or_else(|| missing(kind, "an account"))
    };
    let amount = || document.amount.ok_or_else(|| missing(kind, "an amount"));
    let lines = || -> Result<Vec<wire::LineItem>, PlatformError> {
        if document.lines.is_empty() {
            return Err(missing(kind, "at least one line"));
        }
        Ok(document
            .lines
            .iter()
            .map(|l| line_item(l, options))
            .collect())
    };
    let sales = matches!(kind, Invoice | CreditNote);
    let body = match kind {
        Invoice | Bill => envelope(
            endpoint.collection,
            &wire::Invoice {
                kind: endpoint.xero_type.expect("invoices have a type"),
                contact: contact()?,
                date: date.clone(),
                due_date: date,
                line_amount_types: "Exclusive",
                line_items: lines()?,
                invoice_number: (!sales).then(|| key.clone()),
                reference: sales.then(|| key.clone()),
                currency_code: document.currency.to_string(),
                status: status(document),
            },
        ),
        CreditNote | BillCreditNote => envelope(
            endpoint.collection,
            &wire::CreditNote {
                kind: endpoint.xero_type.expect("credit notes have a type"),
                contact: contact()?,
                date,
                line_amount_types: "Exclusive",
                line_items: lines()?,
                credit_note_number: (!sales).then(|| key.clone()),
                reference: sales.then(|| key.clone()),
                currency_code: document.currency.to_string(),
                status: status(document),
            },
        ),
        Payment | Refund | BillPayment | BillRefund => {
            let target = applies_to
                .map(str::to_owned)
                .ok_or_else(|| missing(kind, "the document it applies to"))?;
            let against_invoice = matches!(kind, Payment | BillPayment);
            envelope(
                endpoint.collection,
                &wire::Payment {
                    invoice: against_invoice.then(|| wire::InvoiceRef {
                        invoice_id: target.clone(),
                    }),
                    credit_note: (!against_invoice).then(|| wire::CreditNoteRef {
                        credit_note_id: target.clone(),
                    }),
                    account: account()?,
                    date,
                    amount: amount()?,
                    reference: key,
                },
            )
        }
        BankTransaction => {
            let amount = amount()?;
            envelope(
                endpoint.collection,
                &wire::BankTransaction {
                    // Spend money is negative; lines carry magnitudes.
                    kind: if amount.is_sign_negative() {
                        "SPEND"
                    } else {
                        "RECEIVE"
                    },
                    contact: contact()?,
                    bank_account: account()?,
                    date,
                    reference: key,
                    line_amount_types: "Exclusive",
                    line_items: lines()?,
                    currency_code: document.currency.to_string(),
                },
            )
        }
        Transfer => {
            let to = document
                .lines
                .first()
                .map(|l| l.account_id.clone())
                .ok_or_else(|| missing(kind, "a line naming the destination account"))?;
            envelope(
                endpoint.collection,
                &wire::BankTransfer {
                    from_bank_account: account()?,
                    to_bank_account: wire::AccountRef { account_id: to },
                    amount: amount()?,
                    date,
                    reference: key,
                },
            )
        }
        JournalEntry => {
            if document.lines.len() < 2 {
                return Err(missing(kind, "at least two lines"));
            }
            let journal_lines = document
                .lines
                .iter()
                .map(|l| wire::JournalLine {
                    description: l.description.clone(),
                    line_amount: l.debit.unwrap_or_default() - l.credit.unwrap_or_default(),
                    account_id: l.account_id.clone(),
                    tax_type: l.tax_rate_id.clone(),
                })
                .collect();
            envelope(
                endpoint.collection,
                &wire::ManualJournal {
                    narration: key,
                    date,
                    line_amount_types: "NoTax",
                    status: match document.status {
                        Some(DocumentStatus::Draft) => "DRAFT",
                        _ => "POSTED",
                    },
                    journal_lines,
                },
            )
        }
    };
    Ok(Request { endpoint, body })
}

/// The body of `PUT /CreditNotes/{id}/Allocations`: `amount` of a credit note applied to an
/// invoice.
pub fn allocation(invoice_id: &str, amount: Decimal, date: jiff::civil::Date) -> Value {
    envelope(
        "Allocations",
        &wire::Allocation {
            invoice: wire::InvoiceRef {
                invoice_id: invoice_id.to_owned(),
            },
            amount,
            date: date.to_string(),
        },
    )
}

/// A decimal from a JSON number or string, exactly (serde_json keeps the number's text).
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

#[cfg(test)]
#[path = "transformers_tests.rs"]
mod tests;

//! Xero's JSON, as far as we send and read it (PascalCase, schemas in `xero_accounting.yaml`).
//! Money goes out as JSON numbers written from exact decimals, never through floats.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod money {
    pub use rust_decimal::serde::arbitrary_precision_option as option;
}

/// `{"AccountID": …}`: accounts are referenced by id, which survives a code change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRef {
    #[serde(rename = "AccountID")]
    pub account_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactRef {
    #[serde(rename = "ContactID")]
    pub contact_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LineItemTracking {
    pub name: String,
    pub option: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LineItem {
    pub description: String,
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub unit_amount: Option<Decimal>,
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub line_amount: Option<Decimal>,
    #[serde(rename = "AccountID")]
    pub account_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_type: Option<String>,
    /// Our own per-line tax, so the books total exactly what the commerce data says.
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub tax_amount: Option<Decimal>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tracking: Vec<LineItemTracking>,
}

/// An invoice (ACCREC) or bill (ACCPAY): `PUT /Invoices`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Invoice {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub contact: ContactRef,
    pub date: String,
    pub due_date: String,
    pub line_amount_types: &'static str,
    pub line_items: Vec<LineItem>,
    /// Bills: our key (Xero's `Reference` is ACCREC only). Sales: left to Xero's numbering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// Sales invoices: our key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub currency_code: String,
    pub status: &'static str,
}

/// A credit note (ACCRECCREDIT, ACCPAYCREDIT): `PUT /CreditNotes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreditNote {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub contact: ContactRef,
    pub date: String,
    pub line_amount_types: &'static str,
    pub line_items: Vec<LineItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_note_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub currency_code: String,
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceRef {
    #[serde(rename = "InvoiceID")]
    pub invoice_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditNoteRef {
    #[serde(rename = "CreditNoteID")]
    pub credit_note_id: String,
}

/// Money received or paid against an invoice or bill, or refunded against a credit note:
/// `PUT /Payments`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Payment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_note: Option<CreditNoteRef>,
    pub account: AccountRef,
    pub date: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub reference: String,
}

/// Spend or receive money: `PUT /BankTransactions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BankTransaction {
    #[serde(rename = "Type")]
    pub kind: &'static str,
    pub contact: ContactRef,
    pub bank_account: AccountRef,
    pub date: String,
    pub reference: String,
    pub line_amount_types: &'static str,
    pub line_items: Vec<LineItem>,
    pub currency_code: String,
}

/// Money between two of the merchant's bank accounts: `PUT /BankTransfers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BankTransfer {
    pub from_bank_account: AccountRef,
    pub to_bank_account: AccountRef,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub date: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JournalLine {
    pub description: String,
    /// Debits positive, credits negative.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub line_amount: Decimal,
    #[serde(rename = "AccountID")]
    pub account_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_type: Option<String>,
}

/// `PUT /ManualJournals`. It has no reference field: the narration carries our key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManualJournal {
    pub narration: String,
    pub date: String,
    pub line_amount_types: &'static str,
    pub status: &'static str,
    pub journal_lines: Vec<JournalLine>,
}

/// `PUT /CreditNotes/{id}/Allocations`: credit applied to an invoice.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Allocation {
    pub invoice: InvoiceRef,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub date: String,
}

/// `PUT /Accounts`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewAccount {
    pub code: String,
    pub name: String,
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_account_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_type: Option<String>,
    pub enable_payments_to_account: bool,
}

// ---- What we read back (lenient: every field optional). ----

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Organisation {
    #[serde(rename = "OrganisationID")]
    pub organisation_id: Option<String>,
    pub name: String,
    pub base_currency: String,
    pub country_code: Option<String>,
    pub sales_tax_basis: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Account {
    #[serde(rename = "AccountID")]
    pub account_id: String,
    pub code: Option<String>,
    pub name: String,
    #[serde(rename = "Type")]
    pub kind: String,
    pub class: Option<String>,
    pub status: String,
    pub enable_payments_to_account: bool,
    pub currency_code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TaxComponent {
    pub name: Option<String>,
    #[serde(with = "money::option")]
    pub rate: Option<Decimal>,
    pub is_compound: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TaxRate {
    pub name: String,
    pub tax_type: String,
    pub status: String,
    #[serde(with = "money::option")]
    pub effective_rate: Option<Decimal>,
    pub tax_components: Vec<TaxComponent>,
    pub can_apply_to_revenue: Option<bool>,
    pub can_apply_to_expenses: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Contact {
    #[serde(rename = "ContactID")]
    pub contact_id: String,
    pub name: String,
    pub contact_status: String,
    pub is_customer: bool,
    pub is_supplier: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TrackingOption {
    #[serde(rename = "TrackingOptionID")]
    pub tracking_option_id: String,
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TrackingCategory {
    #[serde(rename = "TrackingCategoryID")]
    pub tracking_category_id: String,
    pub name: String,
    pub status: String,
    pub options: Vec<TrackingOption>,
}

/// Xero's error body (`Error` schema): `ValidationException` carries the rejected elements.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ErrorBody {
    pub error_number: Option<i64>,
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub message: Option<String>,
    pub elements: Vec<ErrorElement>,
    /// 401/403/429 come as problem documents.
    pub detail: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ErrorElement {
    pub validation_errors: Vec<ValidationError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ValidationError {
    pub message: String,
}

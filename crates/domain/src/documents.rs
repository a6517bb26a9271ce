//! Accounting documents: what the mapping engine asks the books to hold, platform-neutral.
//!
//! A connector turns each [`Document`] into its platform's body (Xero invoice, QuickBooks
//! JournalEntry, hledger transaction). The preview (`commerce-sync preview`) prints them as
//! `{"documents": [...], "warnings": [...]}` with amounts as strings carrying exactly the
//! currency's decimals, so that a reader never meets a float.

use crate::money::{Currency, Rounding};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The kinds of document the engine writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    /// Sales invoice to the sales customer.
    Invoice,
    /// Sales credit note (refunds).
    CreditNote,
    /// Money received against an invoice.
    Payment,
    /// Money paid back against a credit note.
    Refund,
    /// Supplier bill (payment fees).
    Bill,
    /// Payment of a bill from the clearing account.
    BillPayment,
    /// Supplier credit note (fee refunds).
    BillCreditNote,
    /// Money received back from the supplier against a bill credit note.
    BillRefund,
    /// Spend money (negative amount) or receive money (positive) in a bank account.
    BankTransaction,
    /// Money moved between two of the merchant's own accounts.
    Transfer,
    /// A balanced manual journal.
    JournalEntry,
}

impl DocumentKind {
    /// Every kind, in the order documents are emitted for a group.
    pub const ALL: [DocumentKind; 11] = [
        DocumentKind::Invoice,
        DocumentKind::CreditNote,
        DocumentKind::Payment,
        DocumentKind::Refund,
        DocumentKind::Bill,
        DocumentKind::BillPayment,
        DocumentKind::BillCreditNote,
        DocumentKind::BillRefund,
        DocumentKind::BankTransaction,
        DocumentKind::Transfer,
        DocumentKind::JournalEntry,
    ];

    /// The camelCase name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "creditNote",
            DocumentKind::Payment => "payment",
            DocumentKind::Refund => "refund",
            DocumentKind::Bill => "bill",
            DocumentKind::BillPayment => "billPayment",
            DocumentKind::BillCreditNote => "billCreditNote",
            DocumentKind::BillRefund => "billRefund",
            DocumentKind::BankTransaction => "bankTransaction",
            DocumentKind::Transfer => "transfer",
            DocumentKind::JournalEntry => "journalEntry",
        }
    }

    /// Two letters for the compact key.
    fn code(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "IN",
            DocumentKind::CreditNote => "CN",
            DocumentKind::Payment => "PM",
            DocumentKind::Refund => "RF",
            DocumentKind::Bill => "BL",
            DocumentKind::BillPayment => "BP",
            DocumentKind::BillCreditNote => "BC",
            DocumentKind::BillRefund => "BR",
            DocumentKind::BankTransaction => "BT",
            DocumentKind::Transfer => "TR",
            DocumentKind::JournalEntry => "JE",
        }
    }
}

/// Status of invoices, credit notes, bills and bill credit notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentStatus {
    /// Awaiting approval; cannot take payments.
    Draft,
    /// Approved (Xero AUTHORISED, QuickBooks posted).
    Submitted,
}

/// The deterministic identity of a document: the same inputs give the same key on every run,
/// so it serves as the platform's idempotency key and searchable reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentKey {
    pub company_id: String,
    /// The period's stable label (`2024-05-01`, or `2024-05-01..2024-05-03`).
    pub period: String,
    /// The group path: currency, then location or country when grouped, then a part such as
    /// the payment type (`GBP/loc=shop-1/type=Card`).
    pub group: String,
    pub kind: DocumentKind,
    /// 0 for a period's first documents; each later run of the period that writes adds one.
    pub revision: u32,
}

/// Xero's `Reference` allows 255 characters.
const MAX_KEY_LEN: usize = 255;
/// QuickBooks' `DocNumber` allows 21 characters.
pub const COMPACT_KEY_LEN: usize = 21;

impl DocumentKey {
    /// At most 255 characters; a group path too long to fit is replaced by its hash.
    pub fn full(&self) -> String {
        let text = self.text(&self.group);
        if text.len() <= MAX_KEY_LEN {
            return text;
        }
        let hashed = format!("h{}", base32(fnv1a64(self.group.as_bytes())));
        let text = self.text(&hashed);
        // Company ids and period labels are short; cut defensively anyway (ASCII only here).
        text.chars().take(MAX_KEY_LEN).collect()
    }

    fn text(&self, group: &str) -> String {
        format!(
            "cs:{}:{}:{}:{}:r{}",
            self.company_id,
            self.period,
            group,
            self.kind.as_str(),
            self.revision
        )
    }

    /// Exactly 21 characters for QuickBooks' DocNumber: the period's day (`YYMMDD`, from the
    /// label's first date, `000000` if it has none), the kind's two letters, and 13 base-32
    /// characters of a 64-bit hash of the full key.
    pub fn compact(&self) -> String {
        let digits: String = self
            .period
            .chars()
            .take(10)
            .filter(char::is_ascii_digit)
            .collect();
        let day = if digits.len() == 8 {
            digits[2..].to_owned()
        } else {
            "000000".to_owned()
        };
        let hash = base32(fnv1a64(self.text(&self.group).as_bytes()));
        format!("{day}{}{hash}", self.kind.code())
    }
}

impl fmt::Display for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full())
    }
}

impl Serialize for DocumentKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.full())
    }
}

/// FNV-1a, 64 bits: tiny, dependency-free and stable across Rust versions (unlike `Hash`).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// 13 characters of Crockford base 32 (no I, L, O, U: safe to read aloud or type).
fn base32(mut n: u64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = [b'0'; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    out.iter().map(|&b| b as char).collect()
}

/// Tracking of a line (a location, when the merchant groups by location).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
}

/// One line of a document. Invoice-like documents use `net_amount`/`tax_amount`; journals use
/// `debit` or `credit` (never both); transfers and bank transactions use `net_amount`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub account_id: String,
    pub tax_rate_id: Option<String>,
    pub description: String,
    pub net_amount: Option<Decimal>,
    pub tax_amount: Option<Decimal>,
    pub debit: Option<Decimal>,
    pub credit: Option<Decimal>,
    pub tracking: Option<Tracking>,
}

impl Line {
    /// Net plus tax (invoice-like lines).
    pub fn gross(&self) -> Decimal {
        self.net_amount.unwrap_or_default() + self.tax_amount.unwrap_or_default()
    }
}

/// An accounting document, platform-neutral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    pub key: DocumentKey,
    pub date: Date,
    pub currency: Currency,
    /// Customer (sales documents) or supplier (fee documents).
    pub contact_id: Option<String>,
    pub status: Option<DocumentStatus>,
    /// Invoice-like documents: Σ lines' net + tax. Journals: Σ debits.
    pub total: Option<Decimal>,
    pub lines: Vec<Line>,
    /// The bank or clearing account money moves through (payments, refunds, bank
    /// transactions, the source of a transfer).
    pub account_id: Option<String>,
    /// Money moved (payments, refunds, transfers); bank transactions: negative to spend.
    pub amount: Option<Decimal>,
    /// The document a payment or refund is allocated to.
    pub applies_to: Option<DocumentKey>,
}

/// Something the merchant or support should know, which did not stop the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// Stable, machine-readable (`gratuityToSales`, `unknownTransaction`, …).
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
}

/// Formats an amount with exactly the currency's decimals. Amounts reaching here are already
/// in minor units; the named rule only decides the (impossible) half case. `-0` prints `0`.
fn money(currency: Currency, amount: Decimal) -> String {
    let text = currency.format(amount, Rounding::HalfEven);
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => text,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireLine<'a> {
    account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_rate_id: Option<&'a str>,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    net_amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    debit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracking: Option<&'a Tracking>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireDocument<'a> {
    kind: DocumentKind,
    key: &'a DocumentKey,
    date: String,
    currency: Currency,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<DocumentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lines: Vec<WireLine<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applies_to: Option<&'a DocumentKey>,
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.currency;
        let fmt = |a: Option<Decimal>| a.map(|a| money(c, a));
        let lines = self
            .lines
            .iter()
            .map(|l| WireLine {
                account_id: &l.account_id,
                tax_rate_id: l.tax_rate_id.as_deref(),
                description: &l.description,
                net_amount: fmt(l.net_amount),
                tax_amount: fmt(l.tax_amount),
                debit: fmt(l.debit),
                credit: fmt(l.credit),
                tracking: l.tracking.as_ref(),
            })
            .collect();
        WireDocument {
            kind: self.kind,
            key: &self.key,
            date: self.date.to_string(),
            currency: c,
            contact_id: self.contact_id.as_deref(),
            status: self.status,
            total: fmt(self.total),
            lines,
            account_id: self.account_id.as_deref(),
            amount: fmt(self.amount),
            applies_to: self.applies_to.as_ref(),
        }
        .serialize(s)
    }
}

#[cfg(test)]
#[path = "documents_tests.rs"]
mod tests;

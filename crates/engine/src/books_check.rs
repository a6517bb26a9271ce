//! Reading a Xero sandbox tenant's books back to check a sync: totals to the penny against
//! what was pushed ([`DayTotals`]) and how often each of our keys appears. Used by the
//! end-to-end tests (and handy against the demo).

use crate::demo_data::DayTotals;
use serde_json::{Value, json};
use std::collections::HashMap;

fn pence(v: &Value) -> i64 {
    let d: rust_decimal::Decimal = v.to_string().trim_matches('"').parse().unwrap_or_default();
    (d * rust_decimal::Decimal::from(100))
        .round()
        .try_into()
        .unwrap()
}

fn sum(books: &Value, collection: &str, kind: Option<&str>, field: &str) -> i64 {
    books[collection]
        .as_array()
        .map(|docs| {
            docs.iter()
                .filter(|d| kind.is_none_or(|k| d["Type"] == json!(k)))
                .filter(|d| d["Status"] != json!("VOIDED") && d["Status"] != json!("DELETED"))
                .map(|d| pence(&d[field]))
                .sum()
        })
        .unwrap_or(0)
}

/// What the books say, in the terms of [`DayTotals`]: gross sales (net + VAT) in
/// `net_sales`. VAT alone is not compared: the mapping lets the ledger compute tax on each
/// day's line and adds an untaxed rounding line, so the VAT can differ from the sum of the
/// orders' rounded taxes by a penny while the total is exact (`domain::mapping::rounding`).
pub fn book_totals(books: &Value) -> DayTotals {
    let gross_sales = sum(books, "Invoices", Some("ACCREC"), "Total")
        - sum(books, "CreditNotes", Some("ACCRECCREDIT"), "Total");
    let fees = sum(books, "Invoices", Some("ACCPAY"), "Total")
        - sum(books, "CreditNotes", Some("ACCPAYCREDIT"), "Total");
    DayTotals {
        net_sales: gross_sales,
        vat: 0,
        card: 0,
        cash: 0,
        fees,
        payout: sum(books, "BankTransfers", None, "Amount"),
    }
}

/// Our keys on the books' documents, each with how often it appears (live documents only).
pub fn key_counts(books: &Value) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (collection, docs) in books.as_object().unwrap() {
        if [
            "Accounts",
            "Contacts",
            "TaxRates",
            "Organisations",
            "TrackingCategories",
        ]
        .contains(&collection.as_str())
        {
            continue;
        }
        for d in docs.as_array().into_iter().flatten() {
            if d["Status"] == json!("VOIDED") || d["Status"] == json!("DELETED") {
                continue;
            }
            for field in [
                "Reference",
                "Narration",
                "InvoiceNumber",
                "CreditNoteNumber",
            ] {
                if let Some(k) = d[field].as_str().filter(|k| k.starts_with("cs:")) {
                    *counts.entry(k.to_owned()).or_insert(0) += 1;
                    break;
                }
            }
        }
    }
    counts
}

/// Gross sales, fees and payouts as the books must show them (see [`book_totals`]).
pub fn expected(t: DayTotals) -> DayTotals {
    DayTotals {
        net_sales: t.net_sales + t.vat,
        vat: 0,
        card: 0,
        cash: 0,
        ..t
    }
}

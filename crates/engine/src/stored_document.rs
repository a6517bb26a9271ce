//! A mapped document as a push item keeps it, so a run resumed by another worker (or a retry
//! days later) writes exactly what was planned, without mapping again. Exact: amounts are
//! decimal strings, the key keeps its parts.

use domain::documents::{Document, DocumentKey, DocumentKind, DocumentStatus, Line, Tracking};
use domain::money::Currency;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredKey {
    company_id: String,
    period: String,
    group: String,
    kind: DocumentKind,
    revision: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredLine {
    account_id: String,
    tax_rate_id: Option<String>,
    description: String,
    #[serde(with = "rust_decimal::serde::str_option")]
    net_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    tax_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    debit: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    credit: Option<Decimal>,
    tracking: Option<Tracking>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredDocument {
    kind: DocumentKind,
    key: StoredKey,
    date: Date,
    currency: Currency,
    contact_id: Option<String>,
    status: Option<DocumentStatus>,
    #[serde(with = "rust_decimal::serde::str_option")]
    total: Option<Decimal>,
    lines: Vec<StoredLine>,
    account_id: Option<String>,
    #[serde(with = "rust_decimal::serde::str_option")]
    amount: Option<Decimal>,
    applies_to: Option<StoredKey>,
}

impl From<&DocumentKey> for StoredKey {
    fn from(k: &DocumentKey) -> Self {
        Self {
            company_id: k.company_id.clone(),
            period: k.period.clone(),
            group: k.group.clone(),
            kind: k.kind,
            revision: k.revision,
        }
    }
}

impl From<StoredKey> for DocumentKey {
    fn from(k: StoredKey) -> Self {
        Self {
            company_id: k.company_id,
            period: k.period,
            group: k.group,
            kind: k.kind,
            revision: k.revision,
        }
    }
}

/// The JSON a push item stores for `document`.
pub fn to_json(document: &Document) -> serde_json::Value {
    let stored = StoredDocument {
        kind: document.kind,
        key: (&document.key).into(),
        date: document.date,
        currency: document.currency,
        contact_id: document.contact_id.clone(),
        status: document.status,
        total: document.total,
        lines: document
            .lines
            .iter()
            .map(|l| StoredLine {
                account_id: l.account_id.clone(),
                tax_rate_id: l.tax_rate_id.clone(),
                description: l.description.clone(),
                net_amount: l.net_amount,
                tax_amount: l.tax_amount,
                debit: l.debit,
                credit: l.credit,
                tracking: l.tracking.clone(),
            })
            .collect(),
        account_id: document.account_id.clone(),
        amount: document.amount,
        applies_to: document.applies_to.as_ref().map(StoredKey::from),
    };
    serde_json::to_value(stored).expect("a document always serializes")
}

/// The document a push item stored.
pub fn from_json(value: &serde_json::Value) -> Result<Document, serde_json::Error> {
    let s: StoredDocument = serde_json::from_value(value.clone())?;
    Ok(Document {
        kind: s.kind,
        key: s.key.into(),
        date: s.date,
        currency: s.currency,
        contact_id: s.contact_id,
        status: s.status,
        total: s.total,
        lines: s
            .lines
            .into_iter()
            .map(|l| Line {
                account_id: l.account_id,
                tax_rate_id: l.tax_rate_id,
                description: l.description,
                net_amount: l.net_amount,
                tax_amount: l.tax_amount,
                debit: l.debit,
                credit: l.credit,
                tracking: l.tracking,
            })
            .collect(),
        account_id: s.account_id,
        amount: s.amount,
        applies_to: s.applies_to.map(DocumentKey::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_document_comes_back_exactly() {
        let key = DocumentKey {
            company_id: "c1".into(),
            period: "2024-05-01..2024-05-02".into(),
            group: "GBP/type=Card".into(),
            kind: DocumentKind::Payment,
            revision: 2,
        };
        let document = Document {
            kind: DocumentKind::Payment,
            key: key.clone(),
            date: jiff::civil::date(2024, 5, 2),
            currency: Currency::from_str("GBP").unwrap(),
            contact_id: Some("cust".into()),
            status: Some(DocumentStatus::Submitted),
            total: Some(Decimal::from_str("1234567890.1234567891").unwrap()),
            lines: vec![Line {
                account_id: "200".into(),
                tax_rate_id: Some("T20".into()),
                description: "Sales".into(),
                net_amount: Some(Decimal::from_str("0.10").unwrap()),
                tax_amount: Some(Decimal::from_str("-0.02").unwrap()),
                debit: None,
                credit: Some(Decimal::from_str("0.12").unwrap()),
                tracking: Some(Tracking {
                    location_id: Some("shop".into()),
                }),
            }],
            account_id: Some("090".into()),
            amount: Some(Decimal::from_str("12.30").unwrap()),
            applies_to: Some(DocumentKey {
                kind: DocumentKind::Invoice,
                ..key
            }),
        };
        let json = to_json(&document);
        assert_eq!(json["total"], serde_json::json!("1234567890.1234567891"));
        let back = from_json(&json).unwrap();
        assert_eq!(back, document);
        assert_eq!(back.lines[0].net_amount.unwrap().to_string(), "0.10");
    }
}

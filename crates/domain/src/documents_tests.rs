use super::*;
use jiff::civil::date;
use serde_json::json;
use std::str::FromStr;

fn key(group: &str, kind: DocumentKind, revision: u32) -> DocumentKey {
    DocumentKey {
        company_id: "0498e921-9b53-4396-a412-4f2f5983b0a2".into(),
        period: "2024-05-01".into(),
        group: group.into(),
        kind,
        revision,
    }
}

#[test]
fn keys_are_readable_and_stable() {
    let k = key("GBP/type=Card", DocumentKind::Payment, 2);
    assert_eq!(
        k.full(),
        "cs:0498e921-9b53-4396-a412-4f2f5983b0a2:2024-05-01:GBP/type=Card:payment:r2"
    );
    // Pinned (checked against an independent FNV-1a): a changed hash would duplicate every
    // document already written.
    assert_eq!(k.compact(), "240501PMC3D2TMWX2A4Q1");
    assert_eq!(k.compact().len(), COMPACT_KEY_LEN);
}

#[test]
fn compact_keys_differ_when_any_part_differs() {
    let base = key("GBP", DocumentKind::Invoice, 0);
    let others = [
        key("EUR", DocumentKind::Invoice, 0),
        key("GBP", DocumentKind::CreditNote, 0),
        key("GBP", DocumentKind::Invoice, 1),
        DocumentKey {
            company_id: "other".into(),
            ..base.clone()
        },
        DocumentKey {
            period: "2024-05-02".into(),
            ..base.clone()
        },
    ];
    for o in &others {
        assert_ne!(base.compact(), o.compact(), "{o}");
        assert_ne!(base.full(), o.full());
        assert_eq!(o.compact().len(), 21);
    }
}

#[test]
fn a_very_long_group_is_hashed_to_fit_xero_references() {
    let long = format!("GBP/loc={}", "x".repeat(400));
    let k = key(&long, DocumentKind::Invoice, 0);
    assert!(k.full().len() <= 255);
    assert!(k.full().contains(":h"), "{}", k.full());
    assert_ne!(
        k.full(),
        key(&format!("{long}y"), DocumentKind::Invoice, 0).full()
    );
}

#[test]
fn amounts_are_strings_with_the_currency_decimals_and_absent_fields_are_omitted() {
    let jpy = Currency::from_code("JPY").unwrap();
    let doc = Document {
        kind: DocumentKind::JournalEntry,
        key: key("JPY", DocumentKind::JournalEntry, 0),
        date: date(2024, 5, 1),
        currency: jpy,
        contact_id: None,
        status: None,
        total: Some(Decimal::from(1200)),
        lines: vec![
            Line {
                account_id: "1000".into(),
                description: "Cash".into(),
                debit: Some(Decimal::from(1200)),
                ..Line::default()
            },
            Line {
                account_id: "4000".into(),
                description: "Sales".into(),
                credit: Some(Decimal::from_str("1200.0").unwrap()),
                ..Line::default()
            },
        ],
        account_id: None,
        amount: None,
        applies_to: None,
    };
    assert_eq!(
        serde_json::to_value(&doc).unwrap(),
        json!({
            "kind": "journalEntry",
            "key": "cs:0498e921-9b53-4396-a412-4f2f5983b0a2:2024-05-01:JPY:journalEntry:r0",
            "date": "2024-05-01",
            "currency": "JPY",
            "total": "1200",
            "lines": [
                {"accountId": "1000", "description": "Cash", "debit": "1200"},
                {"accountId": "4000", "description": "Sales", "credit": "1200"}
            ]
        })
    );
}

#[test]
fn negative_zero_prints_as_zero() {
    let gbp = Currency::from_code("GBP").unwrap();
    assert_eq!(money(gbp, Decimal::from_str("-0.00").unwrap()), "0.00");
    assert_eq!(money(gbp, Decimal::from_str("-1.5").unwrap()), "-1.50");
    let kwd = Currency::from_code("KWD").unwrap();
    assert_eq!(money(kwd, Decimal::from_str("2.5").unwrap()), "2.500");
}

use super::*;
use domain::documents::{DocumentKey, Tracking};
use domain::money::Currency;
use jiff::civil::date;
use serde_json::json;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn journal(group: &str, lines: Vec<Line>) -> Document {
    Document {
        kind: DocumentKind::JournalEntry,
        key: DocumentKey {
            company_id: "acme".into(),
            period: "2024-05-01".into(),
            group: group.into(),
            kind: DocumentKind::JournalEntry,
            revision: 0,
        },
        date: date(2024, 5, 1),
        currency: Currency::from_code(group.get(..3).unwrap_or("GBP")).unwrap(),
        contact_id: None,
        status: None,
        total: None,
        lines,
        account_id: None,
        amount: None,
        applies_to: None,
    }
}

fn dr(account: &str, amount: &str) -> Line {
    Line {
        account_id: account.into(),
        description: "Payments received".into(),
        debit: Some(d(amount)),
        ..Line::default()
    }
}

fn cr(account: &str, amount: &str) -> Line {
    Line {
        account_id: account.into(),
        description: "Sales 20%".into(),
        credit: Some(d(amount)),
        ..Line::default()
    }
}

#[test]
fn a_journal_entry_becomes_a_tagged_transaction_with_exact_amounts() {
    let mut doc = journal(
        "GBP",
        vec![
            dr("assets:cash", "1220"),
            cr("income:sales", "1219.99"),
            cr("income:rounding", "0.01"),
        ],
    );
    doc.lines[0].tracking = Some(Tracking {
        location_id: Some("shop-1".into()),
    });
    let t = transaction(&doc).unwrap();
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["tdate"], "2024-05-01");
    assert_eq!(v["tdescription"], "Sales summary 2024-05-01 GBP");
    assert_eq!(
        v["tcomment"],
        "cs-key:cs:acme:2024-05-01:GBP:journalEntry:r0\n"
    );
    assert_eq!(
        v["ttags"],
        json!([["cs-key", "cs:acme:2024-05-01:GBP:journalEntry:r0"]])
    );
    let q = |i: usize| v["tpostings"][i]["pamount"][0]["aquantity"].clone();
    // 1220 is sent as 122000 hundredths, so the journal shows 1220.00 GBP.
    assert_eq!(q(0), json!({"decimalMantissa": 122000, "decimalPlaces": 2}));
    assert_eq!(
        q(1),
        json!({"decimalMantissa": -121999, "decimalPlaces": 2})
    );
    assert_eq!(q(2), json!({"decimalMantissa": -1, "decimalPlaces": 2}));
    assert_eq!(v["tpostings"][0]["pamount"][0]["acommodity"], "GBP");
    assert_eq!(v["tpostings"][0]["pamount"][0]["astyle"]["asprecision"], 2);
    assert_eq!(
        v["tpostings"][0]["pcomment"],
        "Payments received, location:shop-1\n"
    );
    assert_eq!(v["tpostings"][1]["paccount"], "income:sales");
    assert!(
        !v.to_string().contains("floatingPoint"),
        "no float is ever sent"
    );
}

#[test]
fn quantities_round_trip_exactly_and_keep_extra_places() {
    for (text, places) in [
        ("0.1", 2),
        ("-123456789012345678.25", 2),
        ("5", 0),
        ("1.005", 2),
        ("7", 3),
    ] {
        let a = amount_of("X", d(text), places);
        assert_eq!(decimal(&a.aquantity), Some(d(text)), "{text}");
        assert!(u32::from(a.aquantity.decimal_places) >= places);
    }
    assert_eq!(amount_of("JPY", d("1500"), 0).aquantity.decimal_places, 0);
    let huge = Quantity {
        decimal_mantissa: serde_json::from_str("123456789012345678901234567890123").unwrap(),
        decimal_places: 2,
    };
    assert_eq!(
        decimal(&huge),
        None,
        "too large for a decimal is None, not a panic"
    );
}

#[test]
fn keys_unsafe_in_a_tag_are_hashed_the_same_way_every_time() {
    let plain = "cs:acme:2024-05-01:GBP/loc=a b:journalEntry:r0";
    assert_eq!(key_tag_value(plain), plain);
    let comma = "cs:acme:2024-05-01:GBP/loc=a,b:journalEntry:r0";
    let hashed = key_tag_value(comma);
    assert!(hashed.starts_with("cs:sha256:") && !hashed.contains(','));
    assert_eq!(hashed, key_tag_value(comma));
    assert_ne!(hashed, key_tag_value(&comma.replace("r0", "r1")));
    assert!(key_tag_value("cs:x\ny").starts_with("cs:sha256:"));
}

#[test]
fn text_that_would_break_the_journal_stays_on_one_line() {
    let mut doc = journal(
        "GBP/loc=x;y|z",
        vec![dr("assets:cash", "1"), cr("income:sales", "1")],
    );
    doc.lines[1].description = "Sales\n2024-01-01 injected".into();
    let t = transaction(&doc).unwrap();
    assert_eq!(t.tdescription, "Sales summary 2024-05-01 GBP/loc=x y z");
    assert_eq!(t.tpostings[1].pcomment, "Sales 2024-01-01 injected\n");
}

#[test]
fn unbalanced_or_malformed_entries_are_refused_naming_every_problem() {
    let e = transaction(&journal(
        "GBP",
        vec![dr("assets:cash", "10"), cr("income:sales", "9.99")],
    ))
    .unwrap_err();
    let message = e.platform_message().unwrap().to_owned();
    assert!(
        message.contains("do not balance") || message.contains("does not balance"),
        "{message}"
    );

    let mut both = dr("assets:cash", "1");
    both.credit = Some(d("1"));
    let lines = vec![
        both,
        cr("bad  name", "1"),
        cr("", "1"),
        dr("assets\tx", "1"),
    ];
    let e = transaction(&journal("GBP", lines)).unwrap_err();
    let message = e.platform_message().unwrap();
    assert!(
        message.contains("line 1: a journal line needs exactly one"),
        "{message}"
    );
    assert!(
        message.contains("line 2: account \"bad  name\" holds two spaces"),
        "{message}"
    );
    assert!(
        message.contains("line 3: account \"\" is empty"),
        "{message}"
    );
    assert!(
        message.contains("line 4: account \"assets\\tx\" holds a control"),
        "{message}"
    );

    let e = transaction(&journal("GBP", vec![dr("assets:cash", "1")])).unwrap_err();
    assert!(matches!(e, PlatformError::Validation { .. }));

    let mut invoice = journal("GBP", vec![dr("assets:cash", "1"), cr("income:sales", "1")]);
    invoice.kind = DocumentKind::Invoice;
    assert!(matches!(
        transaction(&invoice),
        Err(PlatformError::Unsupported(_))
    ));
}

#[test]
fn the_total_is_the_sum_of_positive_postings() {
    let t: Listed = serde_json::from_value(json!({
        "tindex": 3,
        "ttags": [["cs-key", "k"]],
        "tpostings": [
            {"pamount": [{"acommodity": "GBP", "aquantity": {"decimalMantissa": 1000, "decimalPlaces": 2, "floatingPoint": 10}}]},
            {"pamount": [{"acommodity": "GBP", "aquantity": {"decimalMantissa": 25, "decimalPlaces": 1, "floatingPoint": 2.5}}]},
            {"pamount": [{"acommodity": "GBP", "aquantity": {"decimalMantissa": -1250, "decimalPlaces": 2, "floatingPoint": -12.5}}]}
        ]
    }))
    .unwrap();
    assert_eq!(total(&t), Some(d("12.50")));
    assert!(has_key(&t, "k") && !has_key(&t, "K"));
}

//! Worked days, written out by hand the way a bookkeeper would post them.

use super::fixtures::*;
use crate::mapping::*;
use serde_json::json;

const INV: &str = "cs:acme:2024-05-01:GBP:invoice:r0";
const CN: &str = "cs:acme:2024-05-01:GBP:creditNote:r0";

#[test]
fn a_cash_day_with_tax_and_tips() {
    // Two cash sales: a £12 coffee order (20% VAT) with a £1 tip, and a £6 cake (20%) with
    // a zero-rated £3.50 bag of beans. The customers paid £13 and £9.50 in cash.
    let records = PeriodRecords {
        orders: vec![
            order("o1", vec![line("l1", "20", "12.00", "2.00")], "1.00"),
            order(
                "o2",
                vec![
                    line("l2", "20", "6.00", "1.00"),
                    line("l3", "0", "3.50", "0"),
                ],
                "0",
            ),
        ],
        payments: vec![
            payment("p1", "Cash", "13.00"),
            payment("p2", "Cash", "9.50"),
        ],
        ..PeriodRecords::default()
    };
    assert_eq!(
        preview(&settings(), &records),
        json!({
            "documents": [
                {
                    "kind": "invoice", "key": INV, "date": "2024-05-01", "currency": "GBP",
                    "contactId": "c-daily", "status": "Submitted", "total": "22.50",
                    "lines": [
                        {"accountId": "4000", "taxRateId": "OUTPUT2", "description": "Sales 20%",
                         "netAmount": "15.00", "taxAmount": "3.00"},
                        {"accountId": "4000", "taxRateId": "ZERO", "description": "Sales 0%",
                         "netAmount": "3.50", "taxAmount": "0.00"},
                        {"accountId": "2300", "taxRateId": "ZERO", "description": "Gratuity",
                         "netAmount": "1.00", "taxAmount": "0.00"}
                    ]
                },
                {
                    "kind": "payment", "key": "cs:acme:2024-05-01:GBP/type=Cash:payment:r0",
                    "date": "2024-05-01", "currency": "GBP", "contactId": "c-daily",
                    "accountId": "1000", "amount": "22.50", "appliesTo": INV
                }
            ],
            "warnings": []
        })
    );
}

#[test]
fn a_day_of_invoice_sales_with_a_discount() {
    // A trade customer buys 2 × £50 net with £10 off: net 90, VAT 18, on account (Invoice).
    let mut sale = line("l1", "20", "108.00", "18.00");
    sale["quantity"] = json!(2);
    sale["unitPrice"] = json!(50);
    sale["discountAllocations"] = json!([{"name": "Trade", "totalAmount": 10}]);
    let records = PeriodRecords {
        orders: vec![order("o1", vec![sale], "0")],
        payments: vec![payment("p1", "Invoice", "108.00")],
        ..PeriodRecords::default()
    };
    assert_eq!(
        preview(&settings(), &records),
        json!({
            "documents": [
                {
                    "kind": "invoice", "key": INV, "date": "2024-05-01", "currency": "GBP",
                    "contactId": "c-daily", "status": "Submitted", "total": "108.00",
                    "lines": [
                        {"accountId": "4000", "taxRateId": "OUTPUT2", "description": "Sales 20%",
                         "netAmount": "90.00", "taxAmount": "18.00"}
                    ]
                },
                {
                    "kind": "payment", "key": "cs:acme:2024-05-01:GBP/type=Invoice:payment:r0",
                    "date": "2024-05-01", "currency": "GBP", "contactId": "c-daily",
                    "accountId": "1200", "amount": "108.00", "appliesTo": INV
                }
            ],
            "warnings": []
        })
    );
}

#[test]
fn a_cash_refund() {
    // A £24 item (20%) brought back and refunded in cash: nothing sold, money out.
    let records = PeriodRecords {
        orders: vec![order("r1", vec![line("l1", "20", "-24.00", "-4.00")], "0")],
        payments: vec![payment("p1", "Cash", "-24.00")],
        ..PeriodRecords::default()
    };
    assert_eq!(
        preview(&settings(), &records),
        json!({
            "documents": [
                {
                    "kind": "creditNote", "key": CN, "date": "2024-05-01", "currency": "GBP",
                    "contactId": "c-daily", "status": "Submitted", "total": "24.00",
                    "lines": [
                        {"accountId": "4010", "taxRateId": "OUTPUT2", "description": "Refunds 20%",
                         "netAmount": "20.00", "taxAmount": "4.00"}
                    ]
                },
                {
                    "kind": "refund", "key": "cs:acme:2024-05-01:GBP/type=Cash:refund:r0",
                    "date": "2024-05-01", "currency": "GBP", "contactId": "c-daily",
                    "accountId": "1000", "amount": "24.00", "appliesTo": CN
                }
            ],
            "warnings": []
        })
    );
}

#[test]
fn a_refund_as_credit_note_beside_the_days_sales() {
    // £60 sold by card (20%), and a £12 line of an earlier sale refunded to the card.
    let records = PeriodRecords {
        orders: vec![
            order("o1", vec![line("l1", "20", "60.00", "10.00")], "0"),
            order("o2", vec![line("l2", "20", "-12.00", "-2.00")], "0"),
        ],
        payments: vec![
            payment("p1", "Card", "60.00"),
            payment("p2", "Card", "-12.00"),
        ],
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    let kinds: Vec<_> = out["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].clone(), d["total"].clone(), d["amount"].clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (json!("invoice"), json!("60.00"), json!(null)),
            (json!("creditNote"), json!("12.00"), json!(null)),
            (json!("payment"), json!(null), json!("60.00")),
            (json!("refund"), json!(null), json!("12.00")),
        ]
    );
    assert_eq!(
        out["documents"][1]["lines"],
        json!([{"accountId": "4010", "taxRateId": "OUTPUT2", "description": "Refunds 20%",
                "netAmount": "10.00", "taxAmount": "2.00"}])
    );
    assert_eq!(out["documents"][2]["appliesTo"], json!(INV));
    assert_eq!(out["documents"][3]["appliesTo"], json!(CN));
    assert_eq!(out["documents"][3]["accountId"], json!("1100"));
}

#[test]
fn a_day_with_fees_fee_refunds_and_a_payout() {
    let records = PeriodRecords {
        transactions: vec![
            transaction("f1", "PaymentFee", "-1.50"),
            transaction("f2", "PaymentFee", "-0.75"),
            transaction("fr1", "PaymentFeeRefund", "0.30"),
            transaction("po1", "Payout", "-500.00"),
            // Repeats a payment record: adds nothing.
            transaction("p1", "Payment", "13.00"),
        ],
        ..PeriodRecords::default()
    };
    let bill = "cs:acme:2024-05-01:GBP:bill:r0";
    let credit = "cs:acme:2024-05-01:GBP:billCreditNote:r0";
    let common = json!({"date": "2024-05-01", "currency": "GBP"});
    let doc = |v: serde_json::Value| {
        let mut d = common.clone();
        d.as_object_mut()
            .unwrap()
            .extend(v.as_object().unwrap().clone());
        d
    };
    assert_eq!(
        preview(&settings(), &records),
        json!({
            "documents": [
                doc(json!({"kind": "bill", "key": bill, "contactId": "s-psp", "status": "Submitted",
                    "total": "2.25", "lines": [{"accountId": "6100", "description": "Payment fees",
                    "netAmount": "2.25", "taxAmount": "0.00"}]})),
                doc(json!({"kind": "billPayment", "key": "cs:acme:2024-05-01:GBP:billPayment:r0",
                    "contactId": "s-psp", "accountId": "1100", "amount": "2.25", "appliesTo": bill})),
                doc(json!({"kind": "billCreditNote", "key": credit, "contactId": "s-psp",
                    "status": "Submitted", "total": "0.30", "lines": [{"accountId": "6110",
                    "description": "Payment fee refunds", "netAmount": "0.30", "taxAmount": "0.00"}]})),
                doc(json!({"kind": "billRefund", "key": "cs:acme:2024-05-01:GBP:billRefund:r0",
                    "contactId": "s-psp", "accountId": "1100", "amount": "0.30", "appliesTo": credit})),
                doc(json!({"kind": "transfer", "key": "cs:acme:2024-05-01:GBP/payout:transfer:r0",
                    "accountId": "1100", "amount": "500.00", "lines": [{"accountId": "1300",
                    "description": "Payout", "netAmount": "500.00"}]}))
            ],
            "warnings": []
        })
    );
}

#[test]
fn fees_to_a_bank_account_are_spend_and_receive_money() {
    let mut s = settings();
    s.fees.as_mut().unwrap().fee_account_is_bank = true;
    let records = PeriodRecords {
        transactions: vec![
            transaction("f1", "PaymentFee", "-2.25"),
            transaction("fr1", "PaymentFeeRefund", "0.30"),
        ],
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    let docs = out["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["kind"], json!("bankTransaction"));
    assert_eq!(docs[0]["accountId"], json!("1100"));
    assert_eq!(docs[0]["amount"], json!("-2.25"));
    assert_eq!(docs[0]["lines"][0]["accountId"], json!("6100"));
    assert_eq!(docs[1]["amount"], json!("0.30"));
    assert_eq!(docs[1]["lines"][0]["accountId"], json!("6110"));
}

#[test]
fn a_multi_rate_day_needs_a_rounding_line() {
    // Three 20% items at £1.00 (0.83 + 0.17 VAT each): 0.51 VAT taken, but the ledger computes
    // 20% of 2.49 = 0.498 → 0.50. Three 5% items at £1.00 (0.95 + 0.05): 5% of 2.85 = 0.1425 →
    // 0.14. And a £10.00 zero-rated basket sold at £9.99 after an order discount the platform
    // rounded away: the order total is a cent under its lines. True total 3 + 3 + 9.99 = 15.99;
    // the lines make 2.99 + 2.99 + 10.00 = 15.98, so the rounding line is +0.01.
    let records = PeriodRecords {
        orders: vec![
            order(
                "o1",
                vec![
                    line("a", "20", "1.00", "0.17"),
                    line("b", "20", "1.00", "0.17"),
                    line("c", "20", "1.00", "0.17"),
                ],
                "0",
            ),
            order(
                "o2",
                vec![
                    line("d", "5", "1.00", "0.05"),
                    line("e", "5", "1.00", "0.05"),
                    line("f", "5", "1.00", "0.05"),
                ],
                "0",
            ),
            order_with_total(
                "o3",
                vec![
                    line("g", "0", "3.33", "0"),
                    line("h", "0", "3.33", "0"),
                    line("i", "0", "3.34", "0"),
                ],
                "9.99",
                "0",
            ),
        ],
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    assert_eq!(out["documents"].as_array().unwrap().len(), 1);
    assert_eq!(out["documents"][0]["total"], json!("15.99"));
    assert_eq!(
        out["documents"][0]["lines"],
        json!([
            {"accountId": "4000", "taxRateId": "OUTPUT2", "description": "Sales 20%",
             "netAmount": "2.49", "taxAmount": "0.50"},
            {"accountId": "4000", "taxRateId": "REDUCED", "description": "Sales 5%",
             "netAmount": "2.85", "taxAmount": "0.14"},
            {"accountId": "4000", "taxRateId": "ZERO", "description": "Sales 0%",
             "netAmount": "10.00", "taxAmount": "0.00"},
            {"accountId": "4000", "taxRateId": "ZERO", "description": "Rounding",
             "netAmount": "0.01", "taxAmount": "0.00"}
        ])
    );
}

#[test]
fn the_journal_example_of_the_docs() {
    // Codat's worked journal: cash sales £1000 net + £200 VAT + £50 tips; fees £60 and fee
    // refunds £30 on the cash payment, so taken from and paid into the cash account (the card
    // clearing account, 1100, is not touched).
    let s = journal_settings();
    let records = PeriodRecords {
        orders: vec![order(
            "o1",
            vec![line("l1", "20", "1200.00", "200.00")],
            "50.00",
        )],
        payments: vec![payment("p1", "Cash", "1250.00")],
        transactions: vec![
            fee_on("f1", "PaymentFee", "-60.00", "p1"),
            fee_on("fr1", "PaymentFeeRefund", "30.00", "p1"),
        ],
        ..PeriodRecords::default()
    };
    assert_eq!(
        preview(&s, &records),
        json!({
            "documents": [{
                "kind": "journalEntry", "key": "cs:acme:2024-05-01:GBP:journalEntry:r0",
                "date": "2024-05-01", "currency": "GBP", "total": "1280.00",
                "lines": [
                    {"accountId": "1000", "description": "Payments received, Payment fees, Payment fee refunds",
                     "debit": "1220.00"},
                    {"accountId": "6100", "description": "Payment fees", "debit": "60.00"},
                    {"accountId": "4000", "description": "Sales 20%", "credit": "1000.00"},
                    {"accountId": "2300", "description": "Gratuity", "credit": "50.00"},
                    {"accountId": "2200", "description": "Tax", "credit": "200.00"},
                    {"accountId": "6110", "description": "Payment fee refunds", "credit": "30.00"}
                ]
            }],
            "warnings": []
        })
    );
}

#[test]
fn a_journal_refund_debits_sales_and_tax_and_credits_cash() {
    let records = PeriodRecords {
        orders: vec![order("r1", vec![line("l1", "20", "-24.00", "-4.00")], "0")],
        payments: vec![payment("p1", "Cash", "-24.00")],
        ..PeriodRecords::default()
    };
    let out = preview(&journal_settings(), &records);
    assert_eq!(
        out["documents"][0]["lines"],
        json!([
            {"accountId": "4010", "description": "Refunds 20%", "debit": "20.00"},
            {"accountId": "2200", "description": "Tax refunded", "debit": "4.00"},
            {"accountId": "1000", "description": "Refunds paid", "credit": "24.00"}
        ])
    );
}

#[test]
fn an_unmapped_payment_type_is_a_named_configuration_error() {
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "0")],
        payments: vec![payment("p9", "Swish", "12.00")],
        ..PeriodRecords::default()
    };
    let err = map_period(&settings(), &day(), &records, &SyncedState::default()).unwrap_err();
    assert_eq!(
        err,
        MappingError::UnmappedPaymentType {
            payment_type: crate::commerce::PaymentType::Swish,
            record_id: "p9".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "payment type `Swish` (payment `p9`) has no account: map it in the payments settings"
    );
}

#[test]
fn an_unmapped_tax_rate_is_a_named_configuration_error() {
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "12.5", "11.25", "1.25")], "0")],
        ..PeriodRecords::default()
    };
    let err = map_period(&settings(), &day(), &records, &SyncedState::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "tax rate 12.5% on record `o1` has no accounting tax rate: map it in the sales tax settings"
    );
}

#[test]
fn gift_cards_sold_are_a_prepaid_liability() {
    let mut card = line("l1", "0", "25.00", "0");
    card["productRef"] = json!({"id": "gc"});
    let records = PeriodRecords {
        orders: vec![order("o1", vec![card], "0")],
        products: vec![gift_card("gc")],
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    assert_eq!(
        out["documents"][0]["lines"],
        json!([{"accountId": "2400", "taxRateId": "ZERO", "description": "Gift cards sold",
                "netAmount": "25.00", "taxAmount": "0.00"}])
    );
}

#[test]
fn absurd_amounts_are_an_error_not_a_panic() {
    let huge = "30000000000000000000000000000";
    let records = PeriodRecords {
        orders: vec![
            order_with_total("o1", vec![], huge, "0"),
            order_with_total("o2", vec![], huge, "0"),
            order_with_total("o3", vec![], huge, "0"),
        ],
        ..PeriodRecords::default()
    };
    for s in [settings(), journal_settings()] {
        let err = map_period(&s, &day(), &records, &SyncedState::default()).unwrap_err();
        assert!(matches!(err, MappingError::Overflow { .. }), "{err:?}");
    }
}

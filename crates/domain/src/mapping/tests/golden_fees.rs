//! Worked days with fees, written out by hand: each fee leaves the account of the payment it
//! was charged on (the transaction's `transactionSourceRef`); only a fee naming no payment is
//! taken from the card clearing account.

use super::fixtures::*;
use crate::commerce::PaymentType;
use crate::mapping::*;
use serde_json::{Value, json};

const INV: &str = "cs:acme:2024-05-01:GBP:invoice:r0";

/// Cash 1000, card clearing 1100, PayPal 1150.
fn with_paypal(s: MappingSettings) -> MappingSettings {
    s.with_payment_account(PaymentType::Paypal, "1150")
}

/// Three sales at 20 %: £60 by card (p1), £24 in cash (p2), £36 by PayPal (p3). Fees: £0.90
/// on the card payment, £0.10 on the cash one (a cash-handling charge), £1.25 on the PayPal
/// one, £0.50 naming no payment (the processor's monthly charge); PayPal refunds £0.40 of
/// its fee.
fn the_day() -> PeriodRecords {
    PeriodRecords {
        orders: vec![
            order("o1", vec![line("l1", "20", "60.00", "10.00")], "0"),
            order("o2", vec![line("l2", "20", "24.00", "4.00")], "0"),
            order("o3", vec![line("l3", "20", "36.00", "6.00")], "0"),
        ],
        payments: vec![
            payment("p1", "Card", "60.00"),
            payment("p2", "Cash", "24.00"),
            payment("p3", "Paypal", "36.00"),
        ],
        transactions: vec![
            fee_on("f1", "PaymentFee", "-0.90", "p1"),
            fee_on("f2", "PaymentFee", "-0.10", "p2"),
            fee_on("f3", "PaymentFee", "-1.25", "p3"),
            transaction("f4", "PaymentFee", "-0.50"),
            fee_on("fr1", "PaymentFeeRefund", "0.40", "p3"),
        ],
        ..PeriodRecords::default()
    }
}

fn doc(v: Value) -> Value {
    let mut d = json!({"date": "2024-05-01", "currency": "GBP"});
    d.as_object_mut()
        .unwrap()
        .extend(v.as_object().unwrap().clone());
    d
}

#[test]
fn card_cash_and_paypal_fees_each_leave_their_payment_s_account() {
    let bill = |part: &str| format!("cs:acme:2024-05-01:GBP{part}:bill:r0");
    let pay = |part: &str| format!("cs:acme:2024-05-01:GBP{part}:billPayment:r0");
    let fee_line = |amount: &str| {
        json!([{"accountId": "6100", "description": "Payment fees", "netAmount": amount,
                "taxAmount": "0.00"}])
    };
    let credit = "cs:acme:2024-05-01:GBP/from=1150:billCreditNote:r0";
    assert_eq!(
        preview(&with_paypal(settings()), &the_day()),
        json!({
            "documents": [
                doc(json!({"kind": "invoice", "key": INV, "contactId": "c-daily",
                    "status": "Submitted", "total": "120.00", "lines": [
                        {"accountId": "4000", "taxRateId": "OUTPUT2", "description": "Sales 20%",
                         "netAmount": "100.00", "taxAmount": "20.00"}]})),
                doc(json!({"kind": "payment", "key": "cs:acme:2024-05-01:GBP/type=Card:payment:r0",
                    "contactId": "c-daily", "accountId": "1100", "amount": "60.00", "appliesTo": INV})),
                doc(json!({"kind": "payment", "key": "cs:acme:2024-05-01:GBP/type=Cash:payment:r0",
                    "contactId": "c-daily", "accountId": "1000", "amount": "24.00", "appliesTo": INV})),
                doc(json!({"kind": "payment", "key": "cs:acme:2024-05-01:GBP/type=Paypal:payment:r0",
                    "contactId": "c-daily", "accountId": "1150", "amount": "36.00", "appliesTo": INV})),
                // One bill per account the fees left: cash, card clearing (the card fee and
                // the fee naming no payment), PayPal.
                doc(json!({"kind": "bill", "key": bill("/from=1000"), "contactId": "s-psp",
                    "status": "Submitted", "total": "0.10", "lines": fee_line("0.10")})),
                doc(json!({"kind": "bill", "key": bill(""), "contactId": "s-psp",
                    "status": "Submitted", "total": "1.40", "lines": fee_line("1.40")})),
                doc(json!({"kind": "bill", "key": bill("/from=1150"), "contactId": "s-psp",
                    "status": "Submitted", "total": "1.25", "lines": fee_line("1.25")})),
                doc(json!({"kind": "billPayment", "key": pay("/from=1000"), "contactId": "s-psp",
                    "accountId": "1000", "amount": "0.10", "appliesTo": bill("/from=1000")})),
                doc(json!({"kind": "billPayment", "key": pay(""), "contactId": "s-psp",
                    "accountId": "1100", "amount": "1.40", "appliesTo": bill("")})),
                doc(json!({"kind": "billPayment", "key": pay("/from=1150"), "contactId": "s-psp",
                    "accountId": "1150", "amount": "1.25", "appliesTo": bill("/from=1150")})),
                doc(json!({"kind": "billCreditNote", "key": credit, "contactId": "s-psp",
                    "status": "Submitted", "total": "0.40", "lines": [{"accountId": "6110",
                    "description": "Payment fee refunds", "netAmount": "0.40", "taxAmount": "0.00"}]})),
                doc(json!({"kind": "billRefund",
                    "key": "cs:acme:2024-05-01:GBP/from=1150:billRefund:r0", "contactId": "s-psp",
                    "accountId": "1150", "amount": "0.40", "appliesTo": credit})),
            ],
            "warnings": []
        })
    );
}

#[test]
fn the_same_day_as_a_journal() {
    // Each payment account is debited with what it received less the fees taken from it
    // (plus the fee refund paid into PayPal): card 60 − 0.90 − 0.50, cash 24 − 0.10, PayPal
    // 36 − 1.25 + 0.40.
    let s = with_paypal(journal_settings());
    assert_eq!(
        preview(&s, &the_day()),
        json!({
            "documents": [{
                "kind": "journalEntry", "key": "cs:acme:2024-05-01:GBP:journalEntry:r0",
                "date": "2024-05-01", "currency": "GBP", "total": "120.40",
                "lines": [
                    {"accountId": "1100", "description": "Payments received, Payment fees",
                     "debit": "58.60"},
                    {"accountId": "1000", "description": "Payments received, Payment fees",
                     "debit": "23.90"},
                    {"accountId": "1150",
                     "description": "Payments received, Payment fees, Payment fee refunds",
                     "debit": "35.15"},
                    {"accountId": "6100", "description": "Payment fees", "debit": "2.75"},
                    {"accountId": "4000", "description": "Sales 20%", "credit": "100.00"},
                    {"accountId": "2200", "description": "Tax", "credit": "20.00"},
                    {"accountId": "6110", "description": "Payment fee refunds", "credit": "0.40"}
                ]
            }],
            "warnings": []
        })
    );
}

#[test]
fn a_fee_on_an_earlier_day_s_payment_leaves_that_payment_s_account() {
    // The PayPal payment was posted yesterday; today only its fee arrives. The caller names
    // the payment's type; the fee comes out of PayPal.
    let records = PeriodRecords {
        transactions: vec![fee_on("f1", "PaymentFee", "-1.25", "p-yesterday")],
        payment_types: [("p-yesterday".to_owned(), PaymentType::Paypal)].into(),
        ..PeriodRecords::default()
    };
    let out = preview(&with_paypal(settings()), &records);
    let docs = out["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0]["key"],
        json!("cs:acme:2024-05-01:GBP/from=1150:bill:r0")
    );
    assert_eq!(docs[1]["accountId"], json!("1150"));
    // Unknown payment: the clearing account, silently (nothing says where else it went).
    let unknown = PeriodRecords {
        transactions: vec![fee_on("f1", "PaymentFee", "-1.25", "p-unknown")],
        ..PeriodRecords::default()
    };
    let out = preview(&with_paypal(settings()), &unknown);
    assert_eq!(out["documents"][1]["accountId"], json!("1100"));
    assert_eq!(out["warnings"], json!([]));
}

#[test]
fn a_fee_on_a_payment_type_with_no_account_falls_back_to_clearing_and_says_so() {
    let records = PeriodRecords {
        transactions: vec![fee_on("f1", "PaymentFee", "-1.25", "p9")],
        payment_types: [("p9".to_owned(), PaymentType::Paypal)].into(),
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    assert_eq!(out["documents"][1]["accountId"], json!("1100"));
    assert_eq!(out["warnings"][0]["code"], json!("feeFromClearing"));
    assert_eq!(out["warnings"][0]["recordId"], json!("f1"));
}

#[test]
fn fees_to_a_bank_fee_account_are_spent_from_each_payment_s_account() {
    let mut s = with_paypal(settings());
    s.fees.as_mut().unwrap().fee_account_is_bank = true;
    let out = preview(&s, &the_day());
    let fees: Vec<Value> = out["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == json!("bankTransaction"))
        .map(|d| json!([d["key"], d["accountId"], d["amount"]]))
        .collect();
    assert_eq!(
        fees,
        [
            json!([
                "cs:acme:2024-05-01:GBP/fees/from=1000:bankTransaction:r0",
                "1000",
                "-0.10"
            ]),
            json!([
                "cs:acme:2024-05-01:GBP/fees:bankTransaction:r0",
                "1100",
                "-1.40"
            ]),
            json!([
                "cs:acme:2024-05-01:GBP/fees/from=1150:bankTransaction:r0",
                "1150",
                "-1.25"
            ]),
            json!([
                "cs:acme:2024-05-01:GBP/feeRefunds/from=1150:bankTransaction:r0",
                "1150",
                "0.40"
            ]),
        ]
    );
}

#[test]
fn a_payment_whose_type_changes_later_moves_its_fee() {
    // Day one: £24 in cash with a £0.50 fee, posted from the cash account.
    let day_one = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "24.00", "4.00")], "0")],
        payments: vec![payment("p1", "Cash", "24.00")],
        transactions: vec![fee_on("f1", "PaymentFee", "-0.50", "p1")],
        ..PeriodRecords::default()
    };
    let s = settings();
    let first = map_period(&s, &day(), &day_one, &SyncedState::default()).unwrap();
    // The payment turns out to have been by card; the fee itself is unchanged.
    let mut card = payment("p1", "Card", "24.00");
    card.source_modified_date = Some("2024-05-02T09:00:00Z".parse().unwrap());
    let run = PeriodRecords {
        payments: vec![card],
        transactions: day_one.transactions.clone(),
        ..PeriodRecords::default()
    };
    let next = PeriodRef::day("acme", jiff::civil::date(2024, 5, 2));
    let out = map_period(&s, &next, &run, &first.state).unwrap();
    let fees: Vec<Value> = out
        .documents
        .iter()
        .filter(|d| d.kind.as_str().starts_with("bill"))
        .map(|d| {
            json!([
                d.kind.as_str(),
                d.key.full(),
                d.account_id,
                d.total.or(d.amount)
            ])
        })
        .collect();
    // The fee goes back into cash (a supplier credit note refunded there) and out of card
    // clearing (a bill paid from there).
    assert_eq!(
        fees,
        [
            json!(["bill", "cs:acme:2024-05-02:GBP:bill:r0", null, "0.50"]),
            json!([
                "billPayment",
                "cs:acme:2024-05-02:GBP:billPayment:r0",
                "1100",
                "0.50"
            ]),
            json!([
                "billCreditNote",
                "cs:acme:2024-05-02:GBP/from=1000:billCreditNote:r0",
                null,
                "0.50"
            ]),
            json!([
                "billRefund",
                "cs:acme:2024-05-02:GBP/from=1000:billRefund:r0",
                "1000",
                "0.50"
            ]),
        ]
    );
}

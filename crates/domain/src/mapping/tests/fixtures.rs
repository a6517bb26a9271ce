//! A GBP merchant's settings and records built from push JSON, as a client sends them.

use crate::commerce::{
    CommerceChange, CommerceRecord, Order, Payment, PaymentType, Product, Transaction, parse_record,
};
use crate::mapping::*;
use crate::money::Rounding;
use jiff::civil::date;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Sales 4000, refunds 4010, tips 2300 (liability), gift cards 2400; cash 1000, card clearing
/// 1100, receivable 1200, payouts to bank 1300; fees 6100 and fee refunds 6110 from "s-psp".
pub fn settings() -> MappingSettings {
    MappingSettings {
        output: OutputMode::Documents,
        sales_customer_id: "c-daily".into(),
        invoice_status: InvoiceStatus::Submitted,
        accounts: SalesAccounts {
            sales: "4000".into(),
            refund: "4010".into(),
            gratuity: Some("2300".into()),
            prepaid: Some("2400".into()),
            rounding: None,
        },
        categories: CategoryAccounts::default(),
        tax: TaxMapping {
            by_percentage: vec![
                (d("20"), "OUTPUT2".into()),
                (d("5"), "REDUCED".into()),
                (d("0"), "ZERO".into()),
            ],
            default_zero_rate: Some("ZERO".into()),
            ..TaxMapping::default()
        },
        sync_payments: true,
        payment_accounts: vec![
            (PaymentType::Cash, "1000".into()),
            (PaymentType::Card, "1100".into()),
            (PaymentType::Invoice, "1200".into()),
        ],
        clearing_account: "1100".into(),
        payout_account: Some("1300".into()),
        receivable_account: None,
        fees: Some(FeeSettings {
            supplier_id: "s-psp".into(),
            payment_fee_account: "6100".into(),
            payment_fee_refund_account: "6110".into(),
            fee_account_is_bank: false,
            tax_rate_id: None,
        }),
        grouping: Grouping::default(),
        rounding: Rounding::HalfUp,
    }
}

pub fn journal_settings() -> MappingSettings {
    let mut s = settings();
    s.output = OutputMode::Journal;
    s.tax.tax_liability_account = Some("2200".into());
    s
}

pub fn day() -> PeriodRef {
    PeriodRef::day("acme", date(2024, 5, 1))
}

pub fn record<T: CommerceRecord>(value: Value) -> T {
    match parse_record::<T>(&value, "").expect("valid record").change {
        CommerceChange::Upsert(r) => r,
        CommerceChange::Delete(id) => panic!("delete of {id}"),
    }
}

/// An order line: `[id, tax %, total incl. tax, tax]`.
pub fn line(id: &str, pct: &str, total: &str, tax: &str) -> Value {
    json!({
        "id": id,
        "quantity": if total.starts_with('-') { -1 } else { 1 },
        "taxPercentage": Value::Number(pct.parse().unwrap()),
        "totalAmount": Value::Number(total.parse().unwrap()),
        "totalTaxAmount": Value::Number(tax.parse().unwrap()),
    })
}

/// An order of `lines`, its total the lines' sum unless `total` says otherwise.
pub fn order(id: &str, lines: Vec<Value>, tips: &str) -> Order {
    let sum: Decimal = lines.iter().map(|l| d(&l["totalAmount"].to_string())).sum();
    order_with_total(id, lines, &sum.to_string(), tips)
}

pub fn order_with_total(id: &str, lines: Vec<Value>, total: &str, tips: &str) -> Order {
    record(order_json(id, lines, total, tips))
}

/// An order's push JSON, for tests that add fields.
pub fn order_json(id: &str, lines: Vec<Value>, total: &str, tips: &str) -> Value {
    json!({
        "id": id,
        "currency": "GBP",
        "createdDate": "2024-05-01T10:00:00Z",
        "sourceModifiedDate": "2024-05-01T10:00:00Z",
        "totalAmount": Value::Number(total.parse().unwrap()),
        "totalGratuity": Value::Number(tips.parse().unwrap()),
        "orderLineItems": lines,
    })
}

pub fn payment(id: &str, kind: &str, amount: &str) -> Payment {
    record(json!({
        "id": id,
        "currency": "GBP",
        "type": kind,
        "status": "Paid",
        "amount": Value::Number(amount.parse().unwrap()),
        "createdDate": "2024-05-01T10:00:00Z",
        "sourceModifiedDate": "2024-05-01T10:00:00Z",
    }))
}

pub fn transaction(id: &str, kind: &str, amount: &str) -> Transaction {
    record(json!({
        "id": id,
        "currency": "GBP",
        "type": kind,
        "totalAmount": Value::Number(amount.parse().unwrap()),
        "createdDate": "2024-05-01T18:00:00Z",
        "sourceModifiedDate": "2024-05-01T18:00:00Z",
    }))
}

/// A fee (`PaymentFee`) or fee refund (`PaymentFeeRefund`) charged on payment `payment`.
pub fn fee_on(id: &str, kind: &str, amount: &str, payment: &str) -> Transaction {
    record(json!({
        "id": id,
        "currency": "GBP",
        "type": kind,
        "totalAmount": Value::Number(amount.parse().unwrap()),
        "createdDate": "2024-05-01T18:00:00Z",
        "sourceModifiedDate": "2024-05-01T18:00:00Z",
        "transactionSourceRef": {"id": payment, "type": "Payment"},
    }))
}

pub fn gift_card(id: &str) -> Product {
    record(json!({ "id": id, "name": "Gift card", "isGiftCard": true }))
}

/// Maps the period's records on a fresh state and returns the preview JSON.
pub fn preview(settings: &MappingSettings, records: &PeriodRecords) -> Value {
    let out = map_period(settings, &day(), records, &SyncedState::default()).expect("maps");
    serde_json::to_value(&out).unwrap()
}

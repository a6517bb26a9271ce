//! Random days: orders with taxed, refunded and gift-card lines, tips and platform rounding,
//! settled and pending payments, fees, fee refunds, payouts, in currencies of 0, 2 and 3
//! decimals, at two shops.

use super::fixtures::{d, settings};
use crate::commerce::{
    CommerceChange, CommerceRecord, Order, Payment, Product, Transaction, parse_record,
};
use crate::mapping::*;
use crate::money::{Currency, Rounding, round_half_up, to_json_number};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub const CURRENCIES: [&str; 3] = ["GBP", "JPY", "KWD"];
const PERCENTAGES: [u32; 3] = [0, 5, 20];
const PAYMENT_TYPES: [&str; 3] = ["Cash", "Card", "Invoice"];
const TRANSACTIONS: [&str; 5] = [
    "PaymentFee",
    "PaymentFeeRefund",
    "Payout",
    "FailedPayout",
    "Payment",
];

#[derive(Debug, Clone)]
pub struct LineSpec {
    pub pct: usize,
    /// Net, in minor units; negative for a refunded line.
    pub net: i64,
    pub gift: bool,
}

#[derive(Debug, Clone)]
pub struct OrderSpec {
    pub currency: usize,
    pub shop: usize,
    pub lines: Vec<LineSpec>,
    /// The platform's own rounding of the order total: −1, 0 or +1 minor unit.
    pub residue: i64,
    pub tips: i64,
    /// A service charge (net, minor units) at 20%, if any.
    pub charge: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct PaySpec {
    pub currency: usize,
    pub kind: usize,
    pub amount: i64,
    pub paid: bool,
}

#[derive(Debug, Clone)]
pub struct TxSpec {
    pub currency: usize,
    pub kind: usize,
    pub amount: i64,
    /// The payment `p{i}` it names (`transactionSourceRef`), which may not exist.
    pub payment: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct DaySpec {
    pub orders: Vec<OrderSpec>,
    pub payments: Vec<PaySpec>,
    pub transactions: Vec<TxSpec>,
}

fn line() -> impl Strategy<Value = LineSpec> {
    (0..3usize, -20_000i64..100_000, prop::bool::weighted(0.1))
        .prop_map(|(pct, net, gift)| LineSpec { pct, net, gift })
}

pub fn order() -> impl Strategy<Value = OrderSpec> {
    (
        0..3usize,
        0..3usize,
        prop::collection::vec(line(), 1..5),
        -1i64..=1,
        prop_oneof![3 => Just(0i64), 1 => 0i64..2_000, 1 => -500i64..0],
        prop::option::weighted(0.2, -500i64..3_000),
    )
        .prop_map(|(currency, shop, lines, residue, tips, charge)| OrderSpec {
            currency,
            shop,
            lines,
            residue,
            tips,
            charge,
        })
}

pub fn payment() -> impl Strategy<Value = PaySpec> {
    (
        0..3usize,
        0..3usize,
        -20_000i64..120_000,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(currency, kind, amount, paid)| PaySpec {
            currency,
            kind,
            amount,
            paid,
        })
}

pub fn transaction() -> impl Strategy<Value = TxSpec> {
    (
        0..3usize,
        0..5usize,
        -50_000i64..50_000,
        prop::option::of(0..7usize),
    )
        .prop_map(|(currency, kind, amount, payment)| TxSpec {
            currency,
            kind,
            amount,
            payment,
        })
}

pub fn day() -> impl Strategy<Value = DaySpec> {
    (
        prop::collection::vec(order(), 0..6),
        prop::collection::vec(payment(), 0..6),
        prop::collection::vec(transaction(), 0..5),
    )
        .prop_map(|(orders, payments, transactions)| DaySpec {
            orders,
            payments,
            transactions,
        })
}

/// Settings varied where the mapping branches: output, rounding rule, grouping, fee mode.
pub fn any_settings() -> impl Strategy<Value = MappingSettings> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(journal, half_even, by_location, bank)| {
            let mut s = settings();
            if journal {
                s.output = OutputMode::Journal;
                s.tax.tax_liability_account = Some("2200".into());
            }
            s.rounding = if half_even {
                Rounding::HalfEven
            } else {
                Rounding::HalfUp
            };
            s.grouping.by_location = by_location;
            s.fees.as_mut().unwrap().fee_account_is_bank = bank;
            s
        },
    )
}

pub fn currency(i: usize) -> Currency {
    Currency::from_code(CURRENCIES[i]).unwrap()
}

fn money(which: usize, minor: i64) -> Decimal {
    Decimal::new(minor, currency(which).decimals())
}

fn num(x: Decimal) -> Value {
    Value::Number(to_json_number(x))
}

fn record<T: CommerceRecord>(value: Value) -> T {
    match parse_record::<T>(&value, "")
        .expect("generated records are valid")
        .change
    {
        CommerceChange::Upsert(r) => r,
        CommerceChange::Delete(id) => panic!("delete of {id}"),
    }
}

/// `(totalAmount, tax)` of a line: tax at its rate on the net, rounded per line.
pub fn line_amounts(o: &OrderSpec, l: &LineSpec) -> (Decimal, Decimal) {
    let net = money(o.currency, l.net);
    let pct = Decimal::from(PERCENTAGES[l.pct]);
    let tax = round_half_up(net * pct / d("100"), currency(o.currency).decimals());
    (net + tax, tax)
}

pub fn order_total(o: &OrderSpec) -> Decimal {
    let lines: Decimal = o.lines.iter().map(|l| line_amounts(o, l).0).sum();
    lines + charge_amounts(o).map_or(Decimal::ZERO, |c| c.0) + money(o.currency, o.residue)
}

/// `(totalAmount, tax)` of the order's service charge, taxed at 20%.
pub fn charge_amounts(o: &OrderSpec) -> Option<(Decimal, Decimal)> {
    let net = money(o.currency, o.charge?);
    let tax = round_half_up(net * d("0.2"), currency(o.currency).decimals());
    Some((net + tax, tax))
}

pub fn build_order(id: &str, o: &OrderSpec, modified: &str) -> Order {
    let lines: Vec<Value> = o
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (total, tax) = line_amounts(o, l);
            let mut v = json!({
                "id": format!("{id}-l{i}"),
                "quantity": if l.net < 0 { -1 } else { 1 },
                "taxPercentage": PERCENTAGES[l.pct],
                "totalAmount": num(total),
                "totalTaxAmount": num(tax),
            });
            if l.gift {
                v["productRef"] = json!({"id": "gift"});
            }
            v
        })
        .collect();
    let mut v = json!({
        "id": id,
        "currency": CURRENCIES[o.currency],
        "createdDate": "2024-05-01T10:00:00Z",
        "sourceModifiedDate": modified,
        "totalAmount": num(order_total(o)),
        "totalGratuity": num(money(o.currency, o.tips)),
        "orderLineItems": lines,
        // Payment `p<i>` belongs to order `o<i>`: it takes the order's shop as its group.
        "payments": [{"id": format!("p{}", &id[1..]), "type": "Card"}],
    });
    if let Some((total, tax)) = charge_amounts(o) {
        v["serviceCharges"] = json!([{
            "description": "Service", "type": "Generic", "quantity": 1,
            "taxPercentage": 20, "totalAmount": num(total), "taxAmount": num(tax),
        }]);
    }
    if o.shop > 0 {
        v["locationRef"] = json!({"id": format!("shop-{}", o.shop)});
    }
    record(v)
}

pub fn build_payment(id: &str, p: &PaySpec, modified: &str) -> Payment {
    record(json!({
        "id": id,
        "currency": CURRENCIES[p.currency],
        "type": PAYMENT_TYPES[p.kind],
        "status": if p.paid { "Paid" } else { "Pending" },
        "amount": num(money(p.currency, p.amount)),
        "createdDate": "2024-05-01T10:00:00Z",
        "sourceModifiedDate": modified,
    }))
}

pub fn build_transaction(id: &str, t: &TxSpec, modified: &str) -> Transaction {
    let mut body = json!({
        "id": id,
        "currency": CURRENCIES[t.currency],
        "type": TRANSACTIONS[t.kind],
        "totalAmount": num(money(t.currency, t.amount)),
        "createdDate": "2024-05-01T18:00:00Z",
        "sourceModifiedDate": modified,
    });
    if let Some(p) = t.payment {
        body["transactionSourceRef"] = json!({"id": format!("p{p}"), "type": "Payment"});
    }
    record(body)
}

pub fn gift_product() -> Product {
    record(json!({"id": "gift", "isGiftCard": true}))
}

pub const FIRST: &str = "2024-05-01T10:00:00Z";

/// The day's records, ids `o{i}`, `p{i}`, `t{i}`.
pub fn build(day: &DaySpec) -> PeriodRecords {
    PeriodRecords {
        orders: day
            .orders
            .iter()
            .enumerate()
            .map(|(i, o)| build_order(&format!("o{i}"), o, FIRST))
            .collect(),
        payments: day
            .payments
            .iter()
            .enumerate()
            .map(|(i, p)| build_payment(&format!("p{i}"), p, FIRST))
            .collect(),
        transactions: day
            .transactions
            .iter()
            .enumerate()
            .map(|(i, t)| build_transaction(&format!("t{i}"), t, FIRST))
            .collect(),
        products: vec![gift_product()],
        deleted: Vec::new(),
        payment_types: Default::default(),
    }
}

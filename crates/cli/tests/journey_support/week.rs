//! A week of a small shop as its point-of-sale pushes it: every day a card sale (in GB at 20 %
//! and 5 % VAT) with a tip, a cash sale, a PayPal sale; card and PayPal fees; the card money
//! less card fees paid out each evening; on Thursday a card refund. Amounts are chosen so each
//! order's tax is exact (in the US at the 8.875 % New York rate QuickBooks' automated sales tax
//! charges too), so the books' tax per rate must equal the pushed tax per rate to the cent.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const ZONE: &str = "Europe/London";
pub const US_ZONE: &str = "America/New_York";

/// Where the shop trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Gb,
    Us,
}

impl Region {
    pub fn zone(self) -> &'static str {
        match self {
            Region::Gb => ZONE,
            Region::Us => US_ZONE,
        }
    }
}
pub const FIRST_DAY: &str = "2026-11-02";
pub const DAYS: i32 = 7;

/// What the week amounts to.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WeekTotals {
    /// Per tax percentage: (net, tax).
    pub by_rate: BTreeMap<String, (Decimal, Decimal)>,
    pub gratuity: Decimal,
    /// Per payment type: money received less refunded, tips included.
    pub by_payment_type: BTreeMap<String, Decimal>,
    /// Per payment type: money received, refunds left out.
    pub received_by_payment_type: BTreeMap<String, Decimal>,
    pub fees: Decimal,
    pub payouts: Decimal,
}

pub struct Week {
    pub orders: Vec<Value>,
    pub payments: Vec<Value>,
    pub transactions: Vec<Value>,
    pub totals: WeekTotals,
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn num(v: Decimal) -> Value {
    serde_json::from_str(&v.round_dp(2).to_string()).unwrap()
}

/// A line at `percent` with `net`; its tax exact in pence.
fn line(id: String, percent: &str, net: Decimal, totals: &mut WeekTotals) -> Value {
    let tax = (net * d(percent) / d("100")).round_dp(2);
    let entry = totals.by_rate.entry(percent.to_owned()).or_default();
    entry.0 += net;
    entry.1 += tax;
    let quantity = if net < Decimal::ZERO { -1 } else { 1 };
    json!({"id": id, "quantity": quantity, "taxPercentage": serde_json::from_str::<Value>(percent).unwrap(),
        "unitPrice": num(net.abs()), "totalAmount": num(net + tax), "totalTaxAmount": num(tax)})
}

pub fn week() -> Week {
    week_in(Region::Gb)
}

pub fn week_in(region: Region) -> Week {
    let zone = TimeZone::get(region.zone()).unwrap();
    let (currency, country) = match region {
        Region::Gb => ("GBP", "GBR"),
        Region::Us => ("USD", "USA"),
    };
    let first: Date = FIRST_DAY.parse().unwrap();
    let mut w = Week {
        orders: Vec::new(),
        payments: Vec::new(),
        transactions: Vec::new(),
        totals: WeekTotals::default(),
    };
    for day in 0..DAYS {
        let date = first.checked_add(jiff::Span::new().days(day)).unwrap();
        let at = |hour: i8| {
            date.at(hour, 15, 0, 0)
                .to_zoned(zone.clone())
                .unwrap()
                .timestamp()
                .to_string()
        };
        let sale = |w: &mut Week,
                    tag: &str,
                    hour: i8,
                    lines: &[(&str, Decimal)],
                    tip: Decimal,
                    kind: &str| {
            let id = format!("{date}-{tag}");
            let items: Vec<Value> = lines
                .iter()
                .enumerate()
                .map(|(n, (p, net))| line(format!("{id}-l{n}"), p, *net, &mut w.totals))
                .collect();
            let total: Decimal = items
                .iter()
                .map(|l| l["totalAmount"].to_string().parse::<Decimal>().unwrap())
                .sum();
            let tax: Decimal = items
                .iter()
                .map(|l| l["totalTaxAmount"].to_string().parse::<Decimal>().unwrap())
                .sum();
            let paid = total + tip;
            let stamp = at(hour);
            let payment = format!("{id}-p");
            w.orders.push(json!({
                "id": id, "currency": currency, "country": country, "createdDate": stamp, "closedDate": stamp,
                "totalAmount": num(total), "totalTaxAmount": num(tax),
                "totalGratuity": if tip.is_zero() { Value::Null } else { num(tip) },
                "totalRefund": if total < Decimal::ZERO { num(total) } else { Value::Null },
                "orderLineItems": items,
                "payments": [{"id": payment, "amount": num(paid), "type": kind, "status": "Paid"}],
                "sourceModifiedDate": stamp,
            }));
            w.payments.push(
                json!({"id": payment, "amount": num(paid), "currency": currency, "type": kind,
                "status": "Paid", "createdDate": stamp, "sourceModifiedDate": stamp}),
            );
            w.totals.gratuity += tip;
            *w.totals.by_payment_type.entry(kind.to_owned()).or_default() += paid;
            if paid > Decimal::ZERO {
                *w.totals
                    .received_by_payment_type
                    .entry(kind.to_owned())
                    .or_default() += paid;
            }
            (payment, paid, stamp)
        };
        let fee = |w: &mut Week, payment: &str, amount: Decimal, stamp: &str| {
            w.transactions.push(json!({"id": format!("{payment}-fee"), "totalAmount": num(-amount),
                "currency": currency, "type": "PaymentFee", "createdDate": stamp, "sourceModifiedDate": stamp,
                "transactionSourceRef": {"id": payment, "type": "Payment"}}));
            w.totals.fees += amount;
        };
        // (card lines, cash lines, PayPal lines, refund lines)
        let lines =
            |gb: Vec<(&'static str, Decimal)>, us: Vec<(&'static str, Decimal)>| match region {
                Region::Gb => gb,
                Region::Us => us,
            };
        let step = Decimal::from(day);
        let card_lines = lines(
            vec![("20", d("10.00") + step), ("5", d("4.00"))],
            vec![("8.875", d("16.00") + d("8.00") * step)],
        );
        let (card, card_paid, stamp) = sale(&mut w, "card", 10, &card_lines, d("1.50"), "Card");
        fee(&mut w, &card, d("0.45"), &stamp);
        let cash_lines = lines(vec![("20", d("25.00"))], vec![("8.875", d("24.00"))]);
        sale(&mut w, "cash", 12, &cash_lines, Decimal::ZERO, "Cash");
        let paypal_lines = lines(vec![("5", d("8.00"))], vec![("8.875", d("8.00"))]);
        let (paypal, _, stamp) = sale(&mut w, "paypal", 14, &paypal_lines, Decimal::ZERO, "Paypal");
        fee(&mut w, &paypal, d("0.30"), &stamp);
        let mut payout = card_paid - d("0.45");
        if day == 3 {
            let refund_lines = lines(vec![("20", d("-10.00"))], vec![("8.875", d("-8.00"))]);
            let (_, refunded, _) = sale(&mut w, "refund", 16, &refund_lines, Decimal::ZERO, "Card");
            payout += refunded;
        }
        let stamp = at(19);
        w.transactions.push(json!({"id": format!("{date}-payout"), "totalAmount": num(payout),
            "currency": currency, "type": "Payout", "createdDate": stamp, "sourceModifiedDate": stamp}));
        w.totals.payouts += payout;
    }
    w
}

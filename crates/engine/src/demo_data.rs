//! A merchant's day of sales as a client would push it, for `serve --demo` and the engine's
//! end-to-end tests: orders with one or two lines at 20 % VAT, paid by card (70 %) or cash, a
//! processor fee per card payment, now and then a refund, and the day's payout of the card
//! money less fees. The same seed gives the same day; [`DayTotals`] says what the books must
//! show, to the penny.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// A day's push bodies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayPush {
    pub orders: Vec<Value>,
    pub payments: Vec<Value>,
    pub transactions: Vec<Value>,
    pub totals: DayTotals,
}

/// What the day amounts to (GBP, in pence).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    /// Sales net of VAT, refunds deducted.
    pub net_sales: i64,
    pub vat: i64,
    pub card: i64,
    pub cash: i64,
    /// Processor fees (positive).
    pub fees: i64,
    pub payout: i64,
}

impl std::ops::AddAssign for DayTotals {
    fn add_assign(&mut self, o: Self) {
        self.net_sales += o.net_sales;
        self.vat += o.vat;
        self.card += o.card;
        self.cash += o.cash;
        self.fees += o.fees;
        self.payout += o.payout;
    }
}

/// A small deterministic generator (SplitMix64): no dependency, stable across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn money(minor: i64) -> Value {
    // serde_json with arbitrary precision keeps the decimal text exactly.
    let d = Decimal::new(minor, 2);
    serde_json::from_str(&d.to_string()).expect("a decimal is a JSON number")
}

/// VAT on a net amount in pence, rounded half up (away from zero).
fn vat(net: i64) -> i64 {
    let x = net * 20;
    if x >= 0 {
        (x + 50) / 100
    } else {
        -((-x + 50) / 100)
    }
}

/// `orders` sales of merchant `prefix` on `date` in `zone`, trading from 09:00 to 17:00.
pub fn sales_day(prefix: &str, date: Date, zone: &TimeZone, orders: u32, seed: u64) -> DayPush {
    let mut rng = Rng(seed ^ fnv(prefix) ^ (date.day_of_year() as u64) << 32);
    let open = date
        .at(9, 0, 0, 0)
        .to_zoned(zone.clone())
        .expect("a trading day")
        .timestamp();
    let mut day = DayPush::default();
    let mut card_net = 0;
    for i in 0..orders {
        let at = open + SignedDuration::from_secs(i64::from(i) * 28_800 / i64::from(orders.max(1)));
        let id = format!("{prefix}-{date}-{i}");
        let refund = rng.chance(5);
        let lines = if refund { 1 } else { rng.range(1, 3) };
        let mut line_items = Vec::new();
        let (mut net_total, mut vat_total) = (0, 0);
        for n in 0..lines {
            let mut net = rng.range(150, 4_000);
            if refund {
                net = -net;
            }
            let tax = vat(net);
            net_total += net;
            vat_total += tax;
            line_items.push(json!({
                "id": format!("{id}-l{n}"),
                "quantity": if refund { -1 } else { 1 },
                "taxPercentage": 20,
                "totalAmount": money(net + tax),
                "totalTaxAmount": money(tax),
                "unitPrice": money(net.abs()),
            }));
        }
        let gross = net_total + vat_total;
        let card = rng.chance(70);
        let payment_id = format!("{id}-p");
        let stamp = at.to_string();
        day.orders.push(json!({
            "id": id,
            "currency": "GBP",
            "country": "GBR",
            "createdDate": stamp,
            "closedDate": stamp,
            "totalAmount": money(gross),
            "totalTaxAmount": money(vat_total),
            "totalRefund": if refund { money(gross) } else { Value::Null },
            "orderLineItems": line_items,
            "payments": [{"id": payment_id, "amount": money(gross), "type": if card {"Card"} else {"Cash"}, "status": "Paid"}],
            "sourceModifiedDate": stamp,
        }));
        day.payments.push(json!({
            "id": payment_id,
            "amount": money(gross),
            "currency": "GBP",
            "type": if card { "Card" } else { "Cash" },
            "status": "Paid",
            "createdDate": stamp,
            "sourceModifiedDate": stamp,
        }));
        day.totals.net_sales += net_total;
        day.totals.vat += vat_total;
        if card {
            day.totals.card += gross;
            card_net += gross;
            if gross > 0 {
                let fee = gross * 14 / 1_000 + 20;
                card_net -= fee;
                day.totals.fees += fee;
                day.transactions.push(json!({
                    "id": format!("{payment_id}-fee"),
                    "totalAmount": money(-fee),
                    "currency": "GBP",
                    "type": "PaymentFee",
                    "createdDate": stamp,
                    "sourceModifiedDate": stamp,
                    "transactionSourceRef": {"id": payment_id, "type": "Payment"},
                }));
            }
        } else {
            day.totals.cash += gross;
        }
    }
    if card_net > 0 {
        let at: Timestamp = open + SignedDuration::from_hours(9);
        day.totals.payout = card_net;
        day.transactions.push(json!({
            "id": format!("{prefix}-{date}-payout"),
            "totalAmount": money(card_net),
            "currency": "GBP",
            "type": "Payout",
            "createdDate": at.to_string(),
            "sourceModifiedDate": at.to_string(),
        }));
    }
    day
}

/// A complete configuration for a UK merchant on the sandboxes' demo chart of accounts (Xero's
/// seeded codes: 200 sales, 210 refunds, 091 card clearing, 092 cash, 090 bank, 404 fees, 270
/// fee refunds), in `Documents` or `JournalEntry` output, daily at `sync_hour` in `zone` from
/// `start`. `None` when the reference data lacks one of those accounts.
pub fn uk_configuration(
    reference: &domain::reference_data::ReferenceData,
    start: Date,
    zone: &str,
    sync_hour: i64,
    journal: bool,
) -> Option<domain::config::ConfigDocument> {
    let code = |c: &str| {
        reference
            .accounts
            .iter()
            .find(|a| a.nominal_code.as_deref() == Some(c))
            .map(|a| a.id.clone())
    };
    let account = |c: &str| -> Option<Value> { Some(json!({ "selectedAccountId": code(c)? })) };
    let rate = |percent: i64| {
        reference
            .tax_rates
            .iter()
            .find(|t| {
                t.effective_rate == Some(Decimal::from(percent)) && t.id.contains("OUTPUT")
                    || (percent == 0 && t.id == "ZERORATEDOUTPUT")
            })
            .map(|t| t.id.clone())
    };
    let customer = reference.customers.first()?.id.clone();
    let supplier = reference.suppliers.first()?.id.clone();
    let mut doc = json!({
        "enable": true,
        "configured": true,
        "schedule": {
            "selectedFrequency": "Daily",
            "startDate": start.to_string(),
            "syncHour": sync_hour,
            "timeZone": zone,
        },
        "configuration": {
            "countryCode": "GB",
            "sales": {
                "syncSales": true,
                "accounts": {"sales": account("200")?, "refund": account("210")?},
                "invoiceStatus": {"selectedInvoiceStatus": "Submitted"},
                "salesCustomer": {"selectedCustomerId": customer},
                "taxRates": {
                    "20": {"selectedTaxRateId": rate(20)?},
                    "0": {"selectedTaxRateId": rate(0)?},
                },
                "grouping": {"groupingPeriod": {"selectedGroupingPeriod": "Daily"}},
            },
            "payments": {
                "syncPayments": true,
                "accounts": {"card": account("091")?, "cash": account("092")?, "payout": account("090")?},
            },
            "newPayments": {"syncPayments": false},
            "fees": {
                "syncFees": true,
                "feesSupplier": {"selectedSupplierId": supplier},
                "accounts": {"paymentFee": account("404")?, "paymentFeeRefund": account("270")?},
            },
        },
    });
    if journal {
        doc["configuration"]["mapSettings"] = json!({"outputFormat": "JournalEntry"});
    }
    domain::config::parse_document(&doc)
        .ok()
        .map(|p| p.document)
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::commerce::{parse_orders, parse_payments, parse_transactions};

    #[test]
    fn a_generated_day_parses_and_adds_up() {
        let day = sales_day("m1", jiff::civil::date(2024, 5, 1), &TimeZone::UTC, 40, 7);
        let (orders, e) = parse_orders(&Value::Array(day.orders.clone()), "/orders");
        assert!(e.is_empty(), "{e:?}");
        let (payments, e) = parse_payments(&Value::Array(day.payments.clone()), "/payments");
        assert!(e.is_empty(), "{e:?}");
        let (transactions, e) =
            parse_transactions(&Value::Array(day.transactions.clone()), "/transactions");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!((orders.len(), payments.len()), (40, 40));
        assert!(!transactions.is_empty());
        let t = day.totals;
        assert_eq!(t.net_sales + t.vat, t.card + t.cash);
        assert_eq!(t.payout, t.card - t.fees);
        assert_eq!(
            day,
            sales_day("m1", jiff::civil::date(2024, 5, 1), &TimeZone::UTC, 40, 7)
        );
    }
}

//! A merchant's day of sales, generated from a seed: orders of 3 lines at 2 tax rates (20%
//! and 5%), a discount on some, tips on some, one card or cash payment each, a fee per card
//! payment, a few refunds (a negative order, its negative payment and, for cards, the
//! processor's refund transaction) and the day's payout of the card money less fees.
//!
//! Records are built as the push parser would leave them, so the engine sees what it sees in
//! production; the same seed and merchant number always give the same day.

use crate::rng::Rng;
use domain::commerce::{
    DiscountAllocation, Order, OrderLineItem, Payment, PaymentRef, PaymentStatus, PaymentType,
    Transaction, TransactionSourceRef, TransactionSourceType, TransactionType,
};
use domain::mapping::{PeriodRecords, PeriodRef};
use domain::money::Currency;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;

/// The day every generated record belongs to.
pub const DAY: Date = date(2024, 5, 1);

/// Tax rates of the three lines of a sale, in percent.
const LINE_RATES: [i64; 3] = [20, 20, 5];

/// One merchant's generated day.
pub struct MerchantDay {
    pub merchant: u32,
    pub period: PeriodRef,
    pub records: PeriodRecords,
}

/// The merchant's company id in document keys.
pub fn company_id(merchant: u32) -> String {
    format!("merchant-{merchant:05}")
}

/// `orders` orders of merchant number `merchant`, from `seed`.
pub fn merchant_day(seed: u64, merchant: u32, orders: u64) -> MerchantDay {
    let mut rng = Rng::new(seed ^ u64::from(merchant).wrapping_mul(0xA076_1D64_78BD_642F));
    // One merchant in ten trades in euros: the GROUP BY splits by currency too.
    let code = if rng.chance(10) { "EUR" } else { "GBP" };
    let currency = Currency::from_code(code).expect("a known currency");
    let mut day = Day {
        currency,
        prefix: format!("m{merchant}"),
        records: PeriodRecords::default(),
        card_net: 0,
    };
    let start = DAY
        .at(8, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a UTC instant")
        .timestamp();
    for i in 0..orders {
        // Spread over twelve trading hours.
        let at = start
            .checked_add(jiff::SignedDuration::from_secs(
                (i * 43_200 / orders.max(1)) as i64,
            ))
            .expect("within the day");
        if rng.chance(2) {
            day.refund(&mut rng, i, at);
        } else {
            day.sale(&mut rng, i, at);
        }
    }
    day.payout(start);
    MerchantDay {
        merchant,
        period: PeriodRef::day(&company_id(merchant), DAY),
        records: day.records,
    }
}

/// The day being built, and the card money the processor holds for the payout.
struct Day {
    currency: Currency,
    prefix: String,
    records: PeriodRecords,
    card_net: i64,
}

/// Minor units to an amount (both currencies used have 2 decimals).
fn money(minor: i64) -> Decimal {
    Decimal::new(minor, 2)
}

/// Tax on a net amount in minor units, rounded half up.
fn tax_on(net: i64, rate: i64) -> i64 {
    let x = net * rate;
    if x >= 0 {
        (x + 50) / 100
    } else {
        -((-x + 50) / 100)
    }
}

impl Day {
    fn sale(&mut self, rng: &mut Rng, i: u64, at: Timestamp) {
        let id = format!("{}-o{i}", self.prefix);
        let discounted = rng.chance(15);
        let mut lines = Vec::with_capacity(3);
        let mut discount_total = 0;
        for (n, rate) in LINE_RATES.iter().enumerate() {
            let list = rng.range(150, 4_000);
            let mut net = list;
            let mut discounts = Vec::new();
            if discounted && n == 0 {
                let off = list / 10;
                net -= off;
                discount_total += off;
                discounts.push(DiscountAllocation {
                    name: Some("10% off".to_owned()),
                    total_amount: money(off),
                });
            }
            lines.push(line(
                &format!("{id}-l{n}"),
                *rate,
                (list, net),
                1,
                discounts,
            ));
        }
        let tips = if rng.chance(20) {
            rng.range(50, 500)
        } else {
            0
        };
        let card = rng.chance(70);
        let mut order = self.order(&id, lines, tips, at);
        order.total_discount = (discount_total > 0).then(|| money(discount_total));
        let amount = minor(order.total_amount) + tips;
        self.pay(&mut order, card, amount, at);
        self.records.orders.push(order);
    }

    fn refund(&mut self, rng: &mut Rng, i: u64, at: Timestamp) {
        let id = format!("{}-r{i}", self.prefix);
        let rate = LINE_RATES[rng.range(0, 2) as usize];
        let net = -rng.range(150, 4_000);
        let lines = vec![line(&format!("{id}-l0"), rate, (-net, net), -1, Vec::new())];
        let card = rng.chance(70);
        let mut order = self.order(&id, lines, 0, at);
        order.total_refund = Some(order.total_amount);
        let amount = minor(order.total_amount);
        self.pay(&mut order, card, amount, at);
        self.records.orders.push(order);
    }

    /// An order of `lines`, its totals their sums.
    fn order(&self, id: &str, lines: Vec<OrderLineItem>, tips: i64, at: Timestamp) -> Order {
        let total: Decimal = lines.iter().map(|l| l.total_amount).sum();
        let tax: Decimal = lines.iter().filter_map(|l| l.total_tax_amount).sum();
        Order {
            id: id.to_owned(),
            order_number: None,
            country: Some("GBR".to_owned()),
            currency: self.currency,
            created_date: at,
            closed_date: Some(at),
            total_amount: total,
            total_refund: None,
            total_tax_amount: Some(tax),
            total_discount: None,
            total_gratuity: (tips != 0).then(|| money(tips)),
            order_line_items: lines,
            payments: Vec::new(),
            service_charges: Vec::new(),
            location_ref: None,
            customer_ref: None,
            supplemental_data: None,
            modified_date: Some(at),
            source_modified_date: Some(at),
        }
    }

    /// The order's one payment (negative for a refund), listed on it; a card payment's fee
    /// or a card refund's processor transaction.
    fn pay(&mut self, order: &mut Order, card: bool, amount: i64, at: Timestamp) {
        let payment_type = if card {
            PaymentType::Card
        } else {
            PaymentType::Cash
        };
        let id = format!("{}-p", order.id);
        order.payments.push(PaymentRef {
            id: id.clone(),
            amount: Some(money(amount)),
            currency: None,
            payment_type: Some(payment_type),
            status: Some(PaymentStatus::Paid),
            payment_provider: None,
            due_date: None,
            created_date: Some(at),
            modified_date: None,
            source_modified_date: None,
        });
        self.records.payments.push(Payment {
            id: id.clone(),
            amount: money(amount),
            currency: self.currency,
            payment_type: Some(payment_type),
            payment_method_ref: None,
            status: Some(PaymentStatus::Paid),
            payment_provider: card.then(|| "Acquirer".to_owned()),
            due_date: None,
            supplemental_data: None,
            created_date: at,
            modified_date: Some(at),
            source_modified_date: Some(at),
        });
        if !card {
            return;
        }
        self.card_net += amount;
        if amount < 0 {
            let t = self.transaction(format!("{id}-rf"), TransactionType::Refund, amount, at);
            self.records.transactions.push(t);
        } else {
            // 1.4% + 0.20, charged by the processor on every card payment.
            let fee = amount * 14 / 1_000 + 20;
            self.card_net -= fee;
            let mut t =
                self.transaction(format!("{id}-fee"), TransactionType::PaymentFee, -fee, at);
            t.transaction_source_ref = Some(TransactionSourceRef {
                id,
                source_type: TransactionSourceType::Payment,
            });
            self.records.transactions.push(t);
        }
    }

    /// The processor pays the day's card money less fees out to the bank.
    fn payout(&mut self, start: Timestamp) {
        if self.card_net <= 0 {
            return;
        }
        let at = start + jiff::SignedDuration::from_hours(14);
        let id = format!("{}-payout", self.prefix);
        let t = self.transaction(id, TransactionType::Payout, self.card_net, at);
        self.records.transactions.push(t);
    }

    fn transaction(
        &self,
        id: String,
        kind: TransactionType,
        amount: i64,
        at: Timestamp,
    ) -> Transaction {
        Transaction {
            id,
            total_amount: money(amount),
            currency: self.currency,
            transaction_type: kind,
            sub_type: None,
            transaction_source_ref: None,
            supplemental_data: None,
            created_date: at,
            source_created_date: Some(at),
            modified_date: Some(at),
            source_modified_date: Some(at),
        }
    }
}

/// A line of `net` (minor units, negative when refunded; `unit` the price before any
/// discount) at `rate`%, tax rounded per line.
fn line(
    id: &str,
    rate: i64,
    (unit, net): (i64, i64),
    quantity: i64,
    discounts: Vec<DiscountAllocation>,
) -> OrderLineItem {
    let tax = tax_on(net, rate);
    OrderLineItem {
        id: id.to_owned(),
        quantity: Some(Decimal::from(quantity)),
        tax_percentage: Some(Decimal::from(rate)),
        total_amount: money(net + tax),
        total_tax_amount: Some(money(tax)),
        unit_price: Some(money(unit)),
        taxes: Vec::new(),
        product_ref: None,
        product_variant_ref: None,
        discount_allocations: discounts,
    }
}

/// An amount in minor units (2 decimals).
pub fn minor(amount: Decimal) -> i64 {
    let scaled = amount * Decimal::ONE_HUNDRED;
    i64::try_from(scaled.trunc()).expect("a generated amount fits")
}

//! A record's contribution to the books: which buckets its amounts land in.
//!
//! Orders give sales amounts split by sign (a refunded line goes to the refunds side), by
//! account (sales, product category, prepaid, gratuity, refund) and by tax rate; the order's
//! total minus its parts (the platform's own rounding) is kept as a residue so the documents
//! add up to exactly what was sold. Payments give money received or paid back per payment
//! type. Fee, fee-refund and payout transactions give processor movements. `Payment` and
//! `Refund` transactions repeat payments already counted, so they add nothing.

use super::PeriodRecords;
use super::settings::{MappingError, MappingSettings, OutputMode};
use super::totals::{Amounts, Bucket, GroupKey, LineRole, Side, Totals};
use crate::commerce::{
    CommerceEnum, Order, Payment, PaymentStatus, PaymentType, Product, TaxAllocation, Transaction,
    TransactionSourceType, TransactionType,
};
use crate::documents::Warning;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What the contributions need besides the record itself.
pub struct Context<'a> {
    pub settings: &'a MappingSettings,
    /// Reference data: gift cards and product categories.
    pub products: BTreeMap<&'a str, &'a Product>,
    /// Payment id → (type, group) as listed on the period's orders.
    pub payment_refs: BTreeMap<&'a str, (Option<PaymentType>, GroupKey)>,
    /// Payment id → type, from every source that names one: the payment records first, then
    /// the orders' listings, then the types the caller looked up for other periods' payments.
    pub payment_types: BTreeMap<&'a str, PaymentType>,
    pub warnings: Vec<Warning>,
}

impl<'a> Context<'a> {
    pub fn new(settings: &'a MappingSettings, records: &'a PeriodRecords) -> Self {
        let mut payment_refs = BTreeMap::new();
        let mut payment_types: BTreeMap<&str, PaymentType> = records
            .payment_types
            .iter()
            .map(|(id, t)| (id.as_str(), *t))
            .collect();
        for o in &records.orders {
            for p in &o.payments {
                payment_refs.insert(p.id.as_str(), (p.payment_type, group_of(settings, o)));
                if let Some(t) = p.payment_type {
                    payment_types.insert(p.id.as_str(), t);
                }
            }
        }
        for p in &records.payments {
            if let Some(t) = p.payment_type {
                payment_types.insert(p.id.as_str(), t);
            }
        }
        Context {
            settings,
            products: records
                .products
                .iter()
                .map(|p| (p.id.as_str(), p))
                .collect(),
            payment_refs,
            payment_types,
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, code: &str, message: String, record_id: Option<&str>) {
        self.warnings.push(Warning {
            code: code.to_owned(),
            message,
            record_id: record_id.map(str::to_owned),
        });
    }
}

/// The order's group: its currency, plus location and country when the merchant chose so.
pub fn group_of(settings: &MappingSettings, order: &Order) -> GroupKey {
    GroupKey {
        currency: order.currency,
        location: settings
            .grouping
            .by_location
            .then(|| order.location_ref.as_ref().map(|l| l.id.clone()))
            .flatten(),
        country: settings
            .grouping
            .by_country
            .then(|| order.country.clone())
            .flatten(),
    }
}

/// One priced part of an order (line or service charge) before its bucket is chosen.
struct Part<'r> {
    total: Decimal,
    tax: Decimal,
    percentage: Option<Decimal>,
    taxes: &'r [TaxAllocation],
    role: LineRole,
    /// Borrowed from the settings: cloned once, into the bucket.
    account: &'r str,
}

pub fn order_contribution(ctx: &mut Context, order: &Order) -> Result<Totals, MappingError> {
    let s = ctx.settings;
    let group = group_of(s, order);
    let mut parts = Vec::new();
    for line in &order.order_line_items {
        let product = line
            .product_ref
            .as_ref()
            .and_then(|r| ctx.products.get(r.id.as_str()).copied());
        let gift_card = product.is_some_and(|p| p.is_gift_card == Some(true));
        let (role, account) = if gift_card {
            let prepaid = s
                .accounts
                .prepaid
                .as_deref()
                .ok_or(MappingError::MissingAccount {
                    role: "prepaid",
                    record_id: order.id.clone(),
                })?;
            (LineRole::Prepaid, prepaid)
        } else {
            (LineRole::Product, category_account(s, product))
        };
        parts.push(Part {
            total: line.total_amount,
            tax: line
                .total_tax_amount
                .unwrap_or_else(|| allocated(&line.taxes)),
            percentage: line.tax_percentage,
            taxes: &line.taxes,
            role,
            account,
        });
    }
    for charge in &order.service_charges {
        parts.push(Part {
            total: charge.total_amount,
            tax: charge
                .tax_amount
                .unwrap_or_else(|| allocated(&charge.taxes)),
            percentage: charge.tax_percentage,
            taxes: &charge.taxes,
            role: LineRole::ServiceCharge,
            account: &s.accounts.sales,
        });
    }
    if parts.is_empty() && !order.total_amount.is_zero() {
        // No lines: the order's totals are all we know.
        parts.push(Part {
            total: order.total_amount,
            tax: order.total_tax_amount.unwrap_or_default(),
            percentage: None,
            taxes: &[],
            role: LineRole::Product,
            account: &s.accounts.sales,
        });
    }
    let overflow = || MappingError::Overflow {
        record_id: order.id.clone(),
    };
    let mut totals = Totals::default();
    let mut sum = Decimal::ZERO;
    for part in &parts {
        sum = sum.checked_add(part.total).ok_or_else(overflow)?;
        if part.total.is_zero() && part.tax.is_zero() {
            continue;
        }
        add_part(ctx, &mut totals, &group, part, &order.id)?;
    }
    let order_side = side_of(order.total_amount);
    let residue = order.total_amount.checked_sub(sum).ok_or_else(overflow)?;
    if !residue.is_zero() {
        let bucket = untaxed(
            ctx,
            &group,
            order_side,
            LineRole::Residue,
            s.rounding_account(),
        );
        totals
            .add(bucket, Amounts::new(residue, Decimal::ZERO))
            .ok_or_else(overflow)?;
    }
    if let Some(tips) = order.total_gratuity.filter(|t| !t.is_zero()) {
        let account = match &s.accounts.gratuity {
            Some(a) => a.clone(),
            None => {
                ctx.warn(
                    "gratuityToSales",
                    "tips were booked to the sales account: no gratuity account is set".into(),
                    None,
                );
                s.accounts.sales.clone()
            }
        };
        let bucket = untaxed(ctx, &group, side_of(tips), LineRole::Gratuity, &account);
        totals
            .add(bucket, Amounts::new(tips, Decimal::ZERO))
            .ok_or_else(overflow)?;
    }
    Ok(totals)
}

fn side_of(amount: Decimal) -> Side {
    if amount.is_sign_negative() && !amount.is_zero() {
        Side::Refund
    } else {
        Side::Sale
    }
}

fn allocated(taxes: &[TaxAllocation]) -> Decimal {
    taxes
        .iter()
        .filter_map(|t| t.tax_amount)
        .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
        // Absurd allocations: an amount no net can be taken from, reported as an overflow.
        .unwrap_or(Decimal::MAX)
}

/// The income account of a product: its first mapped category, else the catch-all.
fn category_account<'s>(s: &'s MappingSettings, product: Option<&Product>) -> &'s str {
    if s.categories.by_category.is_empty() {
        return &s.accounts.sales;
    }
    product
        .into_iter()
        .flat_map(|p| p.product_category_refs.iter())
        .find_map(|c| s.categories.by_category.get(c))
        .or(s.categories.other_sales.as_ref())
        .unwrap_or(&s.accounts.sales)
}

/// A bucket for an amount without tax (tips, residue), at the zero rate in documents mode.
fn untaxed(ctx: &Context, group: &GroupKey, side: Side, role: LineRole, account: &str) -> Bucket {
    let s = ctx.settings;
    Bucket::Sales {
        group: group.clone(),
        side,
        role,
        account: account.to_owned(),
        tax_rate_id: match s.output {
            OutputMode::Documents => s.tax.default_zero_rate.clone(),
            OutputMode::Journal => None,
        },
        percentage: None,
    }
}

/// Adds one part: its sales bucket and, in journal mode, its tax liabilities.
fn add_part(
    ctx: &Context,
    totals: &mut Totals,
    group: &GroupKey,
    part: &Part,
    record_id: &str,
) -> Result<(), MappingError> {
    let s = ctx.settings;
    let overflow = || MappingError::Overflow {
        record_id: record_id.to_owned(),
    };
    let side = side_of(part.total);
    // Refunded products go to the refund account; refunded gift cards undo the liability.
    let account = match (side, part.role) {
        (Side::Refund, LineRole::Product | LineRole::ServiceCharge) => s.accounts.refund.clone(),
        _ => part.account.to_owned(),
    };
    let percentage = part.percentage.map(|p| p.normalize());
    let tax_rate_id = match s.output {
        OutputMode::Journal => None,
        OutputMode::Documents if s.tax.computed_by_platform => None,
        OutputMode::Documents => match tax_rate(s, part, percentage) {
            Some(id) => Some(id),
            None => {
                return Err(MappingError::UnmappedTaxRate {
                    percentage,
                    record_id: record_id.to_owned(),
                });
            }
        },
    };
    let net = part.total.checked_sub(part.tax).ok_or_else(overflow)?;
    let bucket = Bucket::Sales {
        group: group.clone(),
        side,
        role: part.role,
        account,
        tax_rate_id,
        percentage,
    };
    totals
        .add(bucket, Amounts::new(net, part.tax))
        .ok_or_else(overflow)?;
    if s.output == OutputMode::Journal && !part.tax.is_zero() {
        let mut rest = part.tax;
        for t in part.taxes {
            let mapped = t
                .tax_component_ref
                .as_ref()
                .and_then(|c| s.tax.component_liability_accounts.get(&c.id));
            if let (Some(account), Some(amount)) = (mapped, t.tax_amount) {
                let b = Bucket::TaxLiability {
                    group: group.clone(),
                    side,
                    account: account.clone(),
                };
                totals
                    .add(b, Amounts::new(amount, Decimal::ZERO))
                    .ok_or_else(overflow)?;
                rest = rest.checked_sub(amount).ok_or_else(overflow)?;
            }
        }
        if !rest.is_zero() {
            let Some(account) = s.tax.tax_liability_account.clone() else {
                return Err(MappingError::MissingAccount {
                    role: "tax liability",
                    record_id: record_id.to_owned(),
                });
            };
            let b = Bucket::TaxLiability {
                group: group.clone(),
                side,
                account,
            };
            totals
                .add(b, Amounts::new(rest, Decimal::ZERO))
                .ok_or_else(overflow)?;
        }
    }
    Ok(())
}

/// Components first (when they all agree), then the percentage, then the zero rate for
/// untaxed parts.
fn tax_rate(s: &MappingSettings, part: &Part, percentage: Option<Decimal>) -> Option<String> {
    // Every allocation's component mapped, and all to the same rate (no list collected).
    let mut by_component = part.taxes.iter().map(|t| {
        t.tax_component_ref
            .as_ref()
            .and_then(|c| s.tax.by_component.get(&c.id))
    });
    if let Some(Some(first)) = by_component.next()
        && by_component.all(|r| r == Some(first))
    {
        return Some(first.clone());
    }
    if let Some(id) = percentage.and_then(|p| s.tax.rate_for_percentage(p)) {
        return Some(id.to_owned());
    }
    if part.tax.is_zero() && percentage.is_none_or(|p| p.is_zero()) {
        return s.tax.default_zero_rate.clone();
    }
    None
}

/// Whether money was actually received (or paid back): pending, authorized, failed and
/// cancelled payments are not in the bank.
fn settled(status: Option<PaymentStatus>) -> bool {
    matches!(
        status,
        None | Some(PaymentStatus::Paid) | Some(PaymentStatus::Unknown)
    )
}

pub fn payment_contribution(ctx: &mut Context, payment: &Payment) -> Result<Totals, MappingError> {
    let s = ctx.settings;
    let mut totals = Totals::default();
    if !s.sync_payments || !settled(payment.status) || payment.amount.is_zero() {
        return Ok(totals);
    }
    let listed = ctx.payment_refs.get(payment.id.as_str());
    let payment_type = payment
        .payment_type
        .or_else(|| listed.and_then(|(t, _)| *t))
        .unwrap_or(PaymentType::Unknown);
    let mut group = listed
        .map(|(_, g)| g.clone())
        .unwrap_or_else(|| GroupKey::currency_only(payment.currency));
    // The payment's own currency decides; an order in another currency is not converted.
    group.currency = payment.currency;
    let account =
        s.payment_account(payment_type)
            .ok_or_else(|| MappingError::UnmappedPaymentType {
                payment_type,
                record_id: payment.id.clone(),
            })?;
    let bucket = Bucket::Payment {
        group,
        payment_type: payment_type.as_str().to_owned(),
        account: account.to_owned(),
        side: side_of(payment.amount),
    };
    totals
        .add(bucket, Amounts::new(payment.amount, Decimal::ZERO))
        .ok_or_else(|| MappingError::Overflow {
            record_id: payment.id.clone(),
        })?;
    Ok(totals)
}

pub fn transaction_contribution(
    ctx: &mut Context,
    t: &Transaction,
) -> Result<Totals, MappingError> {
    let s = ctx.settings;
    let group = GroupKey::currency_only(t.currency);
    // Processors disagree on signs for these; the type says which way the money went.
    let amount = t.total_amount.abs();
    let bucket = match t.transaction_type {
        TransactionType::PaymentFee | TransactionType::PaymentFeeRefund => {
            let Some(fees) = &s.fees else {
                return Ok(Totals::default());
            };
            let refund = t.transaction_type == TransactionType::PaymentFeeRefund;
            let account = if refund {
                fees.payment_fee_refund_account.clone()
            } else {
                fees.payment_fee_account.clone()
            };
            Bucket::Fee {
                group,
                refund,
                account,
                clearing: fee_money_account(ctx, t),
            }
        }
        TransactionType::Payout | TransactionType::Transfer | TransactionType::FailedPayout => {
            let Some(to) = &s.payout_account else {
                ctx.warn(
                    "payoutNotSynced",
                    "payouts were not written: no payout account is set".into(),
                    None,
                );
                return Ok(Totals::default());
            };
            Bucket::Payout {
                group,
                failed: t.transaction_type == TransactionType::FailedPayout,
                from: s.clearing_account.clone(),
                to: to.clone(),
            }
        }
        // Counted through the payment records they repeat.
        TransactionType::Payment | TransactionType::Refund => return Ok(Totals::default()),
        TransactionType::Unknown => {
            ctx.warn(
                "unknownTransaction",
                format!("transaction `{}` of unknown type was not written", t.id),
                Some(&t.id),
            );
            return Ok(Totals::default());
        }
    };
    let mut totals = Totals::default();
    totals
        .add(bucket, Amounts::new(amount, Decimal::ZERO))
        .ok_or_else(|| MappingError::Overflow {
            record_id: t.id.clone(),
        })?;
    Ok(totals)
}

/// The account a fee was taken from, or a fee refund paid into: the account of the payment
/// the transaction names (`transactionSourceRef`), where that payment's money went. A fee
/// naming no payment, or one whose type is unknown, falls back to the processor's clearing
/// account; a payment type with no account mapped does too, with a warning (fees may be
/// synced without payments, so this is not a configuration error).
fn fee_money_account(ctx: &mut Context, t: &Transaction) -> String {
    let s = ctx.settings;
    let payment = t.transaction_source_ref.as_ref().filter(|r| {
        matches!(
            r.source_type,
            TransactionSourceType::Payment | TransactionSourceType::Unknown
        )
    });
    let Some(payment) = payment else {
        return s.clearing_account.clone();
    };
    let Some(kind) = ctx.payment_types.get(payment.id.as_str()).copied() else {
        return s.clearing_account.clone();
    };
    match s.payment_account(kind) {
        Some(account) => account.to_owned(),
        None => {
            ctx.warn(
                "feeFromClearing",
                format!(
                    "the fee `{}` on a {kind} payment was taken from the clearing account: \
                     the {kind} payment type has no account",
                    t.id
                ),
                Some(&t.id),
            );
            s.clearing_account.clone()
        }
    }
}

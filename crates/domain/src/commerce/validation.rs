//! Rules across fields of a record, beyond what each field says on its own.

use super::orders::{Order, OrderLineItem};
use super::reader::{Obj, RecordReader};
use super::record::ErrorKind;
use rust_decimal::Decimal;

/// Order rules:
/// - `totalRefund` is zero or negative (the data model says "always negative").
/// - Lines and service charges add up to `totalAmount`: each line's total already includes its
///   discounts and tax, refund lines are negative, and gratuity is outside `totalAmount`, so
///   `Σ line.totalAmount + Σ serviceCharge.totalAmount = totalAmount`. Each line and charge may
///   have been rounded on its own, so up to one minor unit (one cent) per line or charge of
///   difference is tolerated. An order with neither lines nor charges is not checked
///   (the model makes lines optional).
pub fn check_order(r: &RecordReader, o: &Obj, order: &Order) {
    for (i, line) in order.order_line_items.iter().enumerate() {
        let at = |field: &str| format!("{}/{i}/{field}", o.at("orderLineItems"));
        check_line(r, &at, line, order.currency.minor_unit());
    }
    if let Some(tax) = order.total_tax_amount
        && tax.abs() > order.total_amount.abs()
    {
        r.error(
            o.at("totalTaxAmount"),
            ErrorKind::OutOfRange,
            format!(
                "`totalTaxAmount` {tax} is larger than the sale it is part of (`totalAmount` {})",
                order.total_amount
            ),
        );
    }
    if let Some(refund) = order.total_refund
        && refund.is_sign_positive()
        && !refund.is_zero()
    {
        r.error(
            o.at("totalRefund"),
            ErrorKind::SignConvention,
            format!("`totalRefund` {refund} must be zero or negative"),
        );
    }
    let parts = order.order_line_items.len() + order.service_charges.len();
    if parts == 0 {
        return;
    }
    let Some((sum, tolerance)) = order_parts_sum(order) else {
        r.error(
            o.at("totalAmount"),
            ErrorKind::OutOfRange,
            "lines plus service charges are too large to add up",
        );
        return;
    };
    let difference = sum - order.total_amount;
    if difference.abs() > tolerance {
        r.error(
            o.at("totalAmount"),
            ErrorKind::TotalsMismatch,
            format!(
                "`totalAmount` {} differs from lines plus service charges {sum} by {difference} \
                 (tolerance {tolerance}: one minor unit per line or charge)",
                order.total_amount
            ),
        );
    }
}

/// The sum of line and service-charge totals and the tolerance it is held to; `None` if the
/// sum overflows a decimal (absurd input must not panic).
pub fn order_parts_sum(order: &Order) -> Option<(Decimal, Decimal)> {
    let lines = order.order_line_items.iter().map(|l| l.total_amount);
    let charges = order.service_charges.iter().map(|c| c.total_amount);
    let sum = lines
        .chain(charges)
        .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x))?;
    let parts = order.order_line_items.len() + order.service_charges.len();
    let tolerance = order.currency.minor_unit() * Decimal::from(parts);
    // Both within ±7.9e28, so the difference can still overflow: check it too.
    sum.checked_sub(order.total_amount)?;
    Some((sum, tolerance))
}

/// Line rules (each bad field named; none applies to a field that is absent):
/// - `quantity` and `totalAmount` have the same sign (a refunded line is negative in both).
/// - `totalTaxAmount` is no larger than `totalAmount` and has its sign: tax is part of the sale.
/// - `totalAmount = quantity × unitPrice − Σ discountAllocations + totalTaxAmount` within one
///   minor unit of the currency (`unitPrice` and discounts exclude tax; `unitPrice` may carry
///   more decimals than the currency, so the product is rounded once).
fn check_line(r: &RecordReader, at: &dyn Fn(&str) -> String, line: &OrderLineItem, minor: Decimal) {
    let total = line.total_amount;
    if let Some(q) = line.quantity
        && !q.is_zero()
        && !total.is_zero()
        && q.is_sign_negative() != total.is_sign_negative()
    {
        r.error(
            at("quantity"),
            ErrorKind::SignConvention,
            format!("`quantity` {q} and the line's `totalAmount` {total} must have the same sign"),
        );
    }
    let tax = line.total_tax_amount.unwrap_or_default();
    if tax.abs() > total.abs()
        || (!tax.is_zero()
            && !total.is_zero()
            && tax.is_sign_negative() != total.is_sign_negative())
    {
        r.error(
            at("totalTaxAmount"),
            ErrorKind::OutOfRange,
            format!("`totalTaxAmount` {tax} is not part of the line's `totalAmount` {total}"),
        );
    }
    let (Some(q), Some(price)) = (line.quantity, line.unit_price) else {
        return;
    };
    let discounts = line
        .discount_allocations
        .iter()
        .try_fold(Decimal::ZERO, |acc, d| acc.checked_add(d.total_amount));
    let expected = q
        .checked_mul(price)
        .zip(discounts)
        .and_then(|(gross, d)| gross.checked_sub(d))
        .and_then(|net| net.checked_add(tax));
    let Some(expected) = expected else {
        r.error(
            at("totalAmount"),
            ErrorKind::OutOfRange,
            "quantity × unitPrice is too large to check",
        );
        return;
    };
    let difference = (total - expected).abs();
    if difference > minor {
        r.error(
            at("totalAmount"),
            ErrorKind::TotalsMismatch,
            format!(
                "the line's `totalAmount` {total} is not quantity × unitPrice − discounts + tax \
                 = {q} × {price} − {} + {tax} = {} (off by {difference})",
                discounts.unwrap_or_default(),
                expected.normalize()
            ),
        );
    }
}

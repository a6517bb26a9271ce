//! Rules across fields of a record, beyond what each field says on its own.

use super::orders::Order;
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

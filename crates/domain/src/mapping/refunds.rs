//! Refunds and reversals: which document a signed amount becomes.
//!
//! Sales are positive and go on an invoice; refunds are negative and go on a credit note, never
//! as a negative invoice. The same rule places adjustments: sales that shrank (an order edited
//! down, a sale deleted) become a credit note, refunds that shrank become an invoice. The
//! refund money itself is a `refund` document per payment type ([`super::payments`]).

use super::totals::{LineRole, Side};
use crate::documents::DocumentKind;
use rust_decimal::Decimal;

/// The document kind for one side's signed true total, and the factor that turns the side's
/// amounts into that document's (positive) amounts.
pub fn sales_kind(side: Side, true_total: Decimal) -> (DocumentKind, Decimal) {
    let credit = match side {
        Side::Sale => true_total.is_sign_negative() && !true_total.is_zero(),
        Side::Refund => true_total.is_sign_negative() || true_total.is_zero(),
    };
    if credit {
        (DocumentKind::CreditNote, Decimal::NEGATIVE_ONE)
    } else {
        (DocumentKind::Invoice, Decimal::ONE)
    }
}

/// The kind for money moved: received (`natural`) when positive, the other way when negative.
pub fn money_kind(amount: Decimal, natural: DocumentKind, opposite: DocumentKind) -> DocumentKind {
    if amount.is_sign_negative() && !amount.is_zero() {
        opposite
    } else {
        natural
    }
}

/// A line's words: what it is, whether refunded, at which rate.
pub fn describe(side: Side, role: LineRole, percentage: Option<Decimal>) -> String {
    let base = match (side, role) {
        (Side::Sale, LineRole::Product) => "Sales",
        (Side::Refund, LineRole::Product) => "Refunds",
        (Side::Sale, LineRole::ServiceCharge) => "Service charges",
        (Side::Refund, LineRole::ServiceCharge) => "Service charges refunded",
        (Side::Sale, LineRole::Gratuity) => "Gratuity",
        (Side::Refund, LineRole::Gratuity) => "Gratuity refunded",
        (Side::Sale, LineRole::Prepaid) => "Gift cards sold",
        (Side::Refund, LineRole::Prepaid) => "Gift cards refunded",
        (_, LineRole::Residue) => "Rounding",
    };
    // Tips and gift cards are not taxed sales: their rate says nothing to the reader.
    match (role, percentage) {
        (LineRole::Product | LineRole::ServiceCharge, Some(p)) => {
            format!("{base} {}%", p.normalize())
        }
        _ => base.to_owned(),
    }
}

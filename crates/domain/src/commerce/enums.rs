//! The closed vocabularies of the commerce model. Values are the same in the beta push and the
//! current Commerce API; input is matched ignoring ASCII case, output is always canonical.

use serde::{Serialize, Serializer};
use std::fmt;

/// A closed set of named values read from JSON strings.
pub trait CommerceEnum: Copy + Eq + fmt::Debug + 'static {
    /// The type's name in the data model, used in error messages.
    const NAME: &'static str;
    /// Every value, in the data model's order.
    fn all() -> &'static [Self];
    /// The canonical spelling.
    fn as_str(self) -> &'static str;
    /// Reads a value ignoring ASCII case (`"card"`, `"CARD"` → `Card`); no trimming.
    fn parse(text: &str) -> Option<Self> {
        Self::all()
            .iter()
            .copied()
            .find(|v| v.as_str().eq_ignore_ascii_case(text))
    }
    /// The canonical spellings joined for an error message.
    fn allowed() -> String {
        Self::all()
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! commerce_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl CommerceEnum for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                &[$($name::$variant),+]
            }
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant)),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

commerce_enum!(
    /// How a payment was made; selects the clearing account per payment type.
    PaymentType {
        Cash, Card, Invoice, OnlineCard, Swish, Vipps, Mobile, StoreCredit, Paypal, Custom,
        /// Gift card / voucher redemption.
        Prepaid,
        Unknown,
    }
);

commerce_enum!(
    /// Where a payment stands. Refunds only follow a `Paid` payment.
    PaymentStatus { Pending, Authorized, Paid, Failed, Cancelled, Unknown }
);

commerce_enum!(
    /// What moved money at the processor (`PlatformTransactionType` in the beta spec).
    /// There is no `Fee` or `PayoutReversal`: fees are `PaymentFee` / `PaymentFeeRefund`.
    TransactionType {
        /// A card payment.
        Payment,
        /// A refund to a customer's card.
        Refund,
        /// Transfer from the merchant account to the seller's bank.
        Payout,
        /// A payout that failed.
        FailedPayout,
        /// Secure transfer of funds to the seller's bank account.
        Transfer,
        /// The provider's fee on a card payment (negative amount).
        PaymentFee,
        /// A provider fee refunded to the seller.
        PaymentFeeRefund,
        Unknown,
    }
);

commerce_enum!(
    /// The kind of record a transaction arose from (`TransactionRefType` in the beta spec).
    TransactionSourceType { Fee, Order, Payment, ServiceCharge, Unknown }
);

commerce_enum!(
    /// The kind of a service charge on an order.
    ServiceChargeType { Generic, Shipping, Overpayment, Unknown }
);

commerce_enum!(
    /// The role of an address.
    AddressType { Billing, Delivery, Order, Inventory, Unknown }
);

commerce_enum!(
    /// Whether a product (partner push) or product variant is on sale.
    ProductStatus { Published, Unpublished, Unknown }
);

commerce_enum!(
    /// Whether a payment method is still in use.
    PaymentMethodStatus { Active, Archived, Unknown }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_ignores_case_and_emits_canonical() {
        assert_eq!(
            PaymentType::parse("onlinecard"),
            Some(PaymentType::OnlineCard)
        );
        assert_eq!(
            PaymentType::parse("STORECREDIT"),
            Some(PaymentType::StoreCredit)
        );
        assert_eq!(
            serde_json::to_value(TransactionType::parse("paymentfeerefund").unwrap()).unwrap(),
            serde_json::json!("PaymentFeeRefund")
        );
        assert_eq!(PaymentType::parse(" Card"), None);
        assert_eq!(TransactionType::parse("Fee"), None);
        assert_eq!(TransactionType::parse("PayoutReversal"), None);
    }

    #[test]
    fn every_value_of_the_data_model_is_present() {
        assert_eq!(
            PaymentType::allowed(),
            "Cash, Card, Invoice, OnlineCard, Swish, Vipps, Mobile, StoreCredit, Paypal, Custom, Prepaid, Unknown"
        );
        assert_eq!(PaymentStatus::all().len(), 6);
        assert_eq!(TransactionType::all().len(), 8);
        assert_eq!(
            TransactionSourceType::allowed(),
            "Fee, Order, Payment, ServiceCharge, Unknown"
        );
        assert_eq!(
            ServiceChargeType::allowed(),
            "Generic, Shipping, Overpayment, Unknown"
        );
        assert_eq!(AddressType::all().len(), 5);
        assert_eq!(ProductStatus::allowed(), "Published, Unpublished, Unknown");
        assert_eq!(PaymentMethodStatus::allowed(), "Active, Archived, Unknown");
    }
}

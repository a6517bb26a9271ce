//! What the merchant's own world says should be offered: the slots of the configuration
//! document come from the accounting platform's reference data and from the commerce data the
//! client pushed, never from a fixed list.
//!
//! Decisions where the reference is silent:
//! - Tax-rate slots (one per commerce percentage) are the union of the platform's rates that
//!   may apply to sales, the percentages of pushed order lines and service charges, and any
//!   percentage the merchant added before (a posted slot that is a valid percentage is kept).
//!   A platform that computes tax itself (QuickBooks US automated sales tax) or has no tax-rate
//!   objects (hledger) gets no tax-rate slots.
//! - Payment slots are every payment type of Codat's commerce model, the recommended `card`,
//!   `cash` and `payout` first; types seen in pushed payments are marked and required (a sync
//!   would stop on them otherwise).
//! - Product categories pushed by the client each get a sales account slot, with `sales-other`
//!   as the catch-all.

use super::document::{ConfigDocument, ConfigOption};
use super::options::OfferSpec;
use super::runtime::payment_account_key;
use crate::commerce::{CommerceEnum, PaymentType};
use crate::ids::CompanyId;
use crate::preview::Platform;
use crate::reference_data::{ReferenceData, TaxModel};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The payment slots recommended to every merchant, in the order shown.
pub const RECOMMENDED_PAYMENT_KEYS: [&str; 3] = ["card", "cash", "payout"];

/// What the client pushed that shapes the offer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PushedFacts {
    /// Tax percentages of pushed order lines and service charges.
    pub tax_percentages: Vec<Decimal>,
    /// Payment types of pushed payments, as pushed (`Card`, `Paypal`, …).
    pub payment_types: Vec<String>,
    /// Pushed tax components (mapped through `newTaxRates`, not percentage slots: a
    /// component is part of a line's rate, not the rate).
    pub tax_components: Vec<ConfigOption>,
    /// Pushed product categories.
    pub product_categories: Vec<ConfigOption>,
}

/// A percentage as a tax-rate slot key: `20`, `17.5`, `8.875` (no trailing zeros).
pub fn percentage_key(p: Decimal) -> String {
    p.normalize().to_string()
}

/// A slot key that is a percentage a merchant may add: 0 to 100.
pub fn is_percentage_key(key: &str) -> bool {
    Decimal::from_str(key).is_ok_and(|p| p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED)
}

impl OfferSpec {
    /// The slots this merchant needs, from its books (`reference`), the accounting platform,
    /// what the client pushed, and what the merchant chose before.
    pub fn for_merchant(
        company: CompanyId,
        reference: &ReferenceData,
        platform: Option<Platform>,
        pushed: &PushedFacts,
        previous: Option<&ConfigDocument>,
    ) -> OfferSpec {
        OfferSpec {
            company_id: Some(company),
            tax_rate_keys: tax_rate_keys(reference, pushed, previous),
            payment_keys: payment_keys(),
            payment_keys_seen: pushed
                .payment_types
                .iter()
                .map(|t| {
                    PaymentType::parse(t).map_or_else(
                        || payment_account_key(t),
                        |t| payment_account_key(t.as_str()),
                    )
                })
                .collect(),
            commerce_tax_components: pushed.tax_components.clone(),
            product_categories: pushed.product_categories.clone(),
            platform,
            tax_model: reference.tax_model(),
        }
    }
}

/// Every payment slot: the recommended ones, then Codat's other payment types in the data
/// model's order.
pub fn payment_keys() -> Vec<String> {
    let mut keys: Vec<String> = RECOMMENDED_PAYMENT_KEYS.map(String::from).to_vec();
    for t in PaymentType::all() {
        let key = payment_account_key(t.as_str());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn tax_rate_keys(
    reference: &ReferenceData,
    pushed: &PushedFacts,
    previous: Option<&ConfigDocument>,
) -> Vec<String> {
    if reference.tax_model() != TaxModel::PerRate {
        return Vec::new();
    }
    let from_books = reference
        .tax_rates
        .iter()
        .filter(|t| t.fits_sales())
        .filter_map(|t| t.effective_rate);
    let added = previous
        .and_then(|d| d.configuration.sales.as_ref())
        .and_then(|s| s.tax_rates.as_ref())
        .into_iter()
        .flat_map(|rates| rates.iter().map(|(k, _)| k.to_owned()))
        .filter(|k| is_percentage_key(k))
        .filter_map(|k| Decimal::from_str(&k).ok());
    let mut all: Vec<Decimal> = from_books
        .chain(pushed.tax_percentages.iter().copied())
        .chain(added)
        .filter(|p| *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED)
        .map(|p| p.normalize())
        .collect();
    all.sort();
    all.dedup();
    all.into_iter().map(percentage_key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn reference() -> ReferenceData {
        serde_json::from_str(include_str!("testdata/reference.json")).unwrap()
    }

    #[test]
    fn tax_slots_come_from_the_books_the_pushed_data_and_the_merchant() {
        let mut r = reference();
        // A purchases-only rate is never a sales slot.
        r.tax_rates[1].applies_to_sales = Some(false);
        let pushed = PushedFacts {
            tax_percentages: vec![dec("8.875"), dec("20.00"), dec("12.5")],
            ..PushedFacts::default()
        };
        let company = CompanyId::new();
        let spec = OfferSpec::for_merchant(company, &r, None, &pushed, None);
        // 17.5 is archived in the books; 5 applies to purchases only.
        assert_eq!(spec.tax_rate_keys, ["0", "8.875", "12.5", "20"]);
        let mut previous = crate::config::options::offer(&r, &spec, None);
        let rates = previous
            .configuration
            .sales
            .as_mut()
            .unwrap()
            .tax_rates
            .as_mut()
            .unwrap();
        rates.insert("7", Default::default());
        rates.insert("not a rate", Default::default());
        let again = OfferSpec::for_merchant(company, &r, None, &pushed, Some(&previous));
        assert_eq!(again.tax_rate_keys, ["0", "7", "8.875", "12.5", "20"]);
    }

    #[test]
    fn platforms_that_take_tax_otherwise_get_no_tax_slots() {
        let mut r = reference();
        r.company.automated_sales_tax = true;
        let pushed = PushedFacts {
            tax_percentages: vec![dec("8.875")],
            ..PushedFacts::default()
        };
        let spec = OfferSpec::for_merchant(CompanyId::new(), &r, None, &pushed, None);
        assert!(spec.tax_rate_keys.is_empty());
        assert_eq!(spec.tax_model, TaxModel::Automated);
        r.company.automated_sales_tax = false;
        r.tax_rates.clear();
        let spec = OfferSpec::for_merchant(CompanyId::new(), &r, None, &pushed, None);
        assert!(spec.tax_rate_keys.is_empty());
        assert_eq!(spec.tax_model, TaxModel::LiabilityAccount);
    }

    #[test]
    fn every_codat_payment_type_is_a_slot_recommended_first_and_seen_ones_marked() {
        let keys = payment_keys();
        assert_eq!(&keys[..3], ["card", "cash", "payout"]);
        for t in [
            "invoice",
            "onlineCard",
            "swish",
            "vipps",
            "mobile",
            "storeCredit",
            "paypal",
            "custom",
            "prepaidPayment",
            "unknown",
        ] {
            assert!(keys.iter().any(|k| k == t), "{t} missing from {keys:?}");
        }
        let pushed = PushedFacts {
            payment_types: vec!["PAYPAL".into(), "StoreCredit".into()],
            ..PushedFacts::default()
        };
        let spec = OfferSpec::for_merchant(CompanyId::new(), &reference(), None, &pushed, None);
        assert_eq!(spec.payment_keys_seen, ["paypal", "storeCredit"]);
    }
}

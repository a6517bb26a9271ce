//! Rounding: tax per invoice line as the ledger computes it, and the line that makes the
//! invoice add up to what was really taken.
//!
//! Ledgers compute a line's tax from its net and rate, rounded to the currency (Xero: per
//! line at 2 dp). The day's line at 20% is the sum of many order lines, each with its own
//! rounded tax, and discounts spread onto lines round too; so the ledger's tax on the summed
//! net can differ from the sum of taxes by a cent or so. We compute the tax the way the
//! ledger will (so the document we send is the document it stores) and add an explicit,
//! untaxed rounding line for the difference: the invoice total equals the day's true total.

use crate::money::{Currency, Rounding};
use rust_decimal::Decimal;

/// The tax a ledger computes on `net` at `percentage` (0–100). Without a percentage (a
/// component-mapped rate) the commerce tax is kept as it is.
pub fn ledger_tax(
    net: Decimal,
    percentage: Option<Decimal>,
    commerce_tax: Decimal,
    currency: Currency,
    rounding: Rounding,
) -> Decimal {
    // No ledger rate outside 0–100%: keep the platform's figure for anything else.
    let Some(p) = percentage.filter(|p| *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED) else {
        return commerce_tax;
    };
    match net
        .checked_mul(p)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
    {
        Some(tax) => currency.round(tax, rounding),
        // Absurd magnitudes: keep the platform's figure rather than fail.
        None => commerce_tax,
    }
}

/// What must be added so the lines add up to `true_total`; zero when they already do.
pub fn rounding_difference(true_total: Decimal, lines_total: Decimal) -> Decimal {
    true_total - lines_total
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn tax_is_recomputed_on_the_summed_net() {
        let gbp = Currency::from_code("GBP").unwrap();
        // Three lines of 0.83 net with 0.17 tax each: 0.51 taken, the ledger says 0.50.
        assert_eq!(
            ledger_tax(d("2.49"), Some(d("20")), d("0.51"), gbp, Rounding::HalfUp),
            d("0.50")
        );
        assert_eq!(
            ledger_tax(d("0.125"), Some(d("20")), d("0"), gbp, Rounding::HalfUp),
            d("0.03")
        );
        assert_eq!(
            ledger_tax(d("0.125"), Some(d("20")), d("0"), gbp, Rounding::HalfEven),
            d("0.02")
        );
        assert_eq!(
            ledger_tax(d("10"), None, d("1.23"), gbp, Rounding::HalfUp),
            d("1.23")
        );
        assert_eq!(rounding_difference(d("3.00"), d("2.99")), d("0.01"));
    }
}

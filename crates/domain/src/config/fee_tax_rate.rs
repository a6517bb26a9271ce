//! The tax rate of fee lines, chosen from the accounting platform's rates (no configuration slot).
//!
//! Fees and fee refunds carry no tax of their own (processors charge them VAT-exempt), but the
//! lines land on purchase documents (bills, supplier credit notes, spend money), on the fee
//! and fee-refund accounts. A ledger refuses a rate that cannot apply to a line's account
//! (Xero: `CanApplyToExpenses` / `CanApplyToRevenue` … for the account's class), so the
//! sales side's zero rate (Xero `ZERORATEDOUTPUT`, "Zero Rated Income") is wrong on a fee
//! bill. Rule: an active 0 % rate that applies to the classes of both fee accounts — the
//! merchant's own zero rate for untaxed sales when it qualifies (e.g. Xero `NONE`, QuickBooks
//! `0.0% Z`), else the platform's zero-rated expense rate (`ZERORATEDINPUT`), else an exempt
//! expense rate, else any qualifying 0 % rate. None qualifies: no rate is sent and the ledger
//! applies the account's default.
//!
//! Which classes a rate applies to comes from the reference data's flags (Xero's
//! `CanApplyToRevenue` / `CanApplyToExpenses`, read by the connector); a platform that does not
//! say is read by the rate's name and id (`OUTPUT`, `Income`, `Sales` → revenue only; `INPUT`,
//! `Expense`, `Purchase` → everything but revenue; else all), the naming Xero and QuickBooks use.

use crate::reference_data::{AccountType, ReferenceData, TaxRate};
use rust_decimal::Decimal;

/// Where a rate can be used, as far as its name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Revenue,
    Expenses,
    Both,
}

fn side(rate: &TaxRate) -> Side {
    match (rate.applies_to_sales, rate.applies_to_purchases) {
        (Some(true), Some(false)) => return Side::Revenue,
        (Some(false), Some(true)) => return Side::Expenses,
        (Some(true), Some(true)) => return Side::Both,
        _ => {}
    }
    let text = format!(
        "{} {} {}",
        rate.id,
        rate.name,
        rate.code.as_deref().unwrap_or_default()
    )
    .to_ascii_uppercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    match (
        has(&["OUTPUT", "INCOME", "SALES"]),
        has(&["INPUT", "EXPENSE", "PURCHASE"]),
    ) {
        (true, false) => Side::Revenue,
        (false, true) => Side::Expenses,
        _ => Side::Both,
    }
}

/// Whether `rate` can be used on a line of an account of `class` (Xero's `CanApplyTo…`:
/// revenue rates on revenue and liability accounts, expense rates on all others).
fn applies_to(rate: &TaxRate, class: AccountType) -> bool {
    match (side(rate), class) {
        (Side::Both, _) | (_, AccountType::Liability | AccountType::Unknown) => true,
        (Side::Revenue, AccountType::Income) => true,
        (Side::Revenue, _) => false,
        (Side::Expenses, AccountType::Income) => false,
        (Side::Expenses, _) => true,
    }
}

/// The rate for fee lines on `fee_account` and `refund_account` (ids), preferring
/// `sales_zero_rate` (the merchant's zero rate for untaxed sales) when it qualifies.
pub fn fee_tax_rate(
    reference: &ReferenceData,
    fee_account: &str,
    refund_account: &str,
    sales_zero_rate: Option<&str>,
) -> Option<String> {
    let classes: Vec<AccountType> = [fee_account, refund_account]
        .iter()
        .map(|id| {
            reference
                .account(id)
                .map_or(AccountType::Unknown, |a| a.account_type)
        })
        .collect();
    let qualifies = |r: &&TaxRate| {
        r.status.is_active()
            && r.effective_rate.is_some_and(|p| p == Decimal::ZERO)
            && classes.iter().all(|c| applies_to(r, *c))
    };
    let candidates: Vec<&TaxRate> = reference.tax_rates.iter().filter(qualifies).collect();
    let text = |r: &TaxRate| format!("{} {}", r.id, r.name).to_ascii_uppercase();
    let rank = |r: &TaxRate| {
        if Some(r.id.as_str()) == sales_zero_rate {
            0
        } else if side(r) == Side::Expenses && text(r).contains("ZERO") {
            1
        } else if side(r) == Side::Expenses && text(r).contains("EXEMPT") {
            2
        } else {
            3
        }
    };
    candidates
        .into_iter()
        .min_by_key(|r| rank(r))
        .map(|r| r.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference_data::RecordStatus;

    // Built from JSON, so fields added to the reference types later keep these compiling.
    fn rate(id: &str, name: &str, percent: i64) -> TaxRate {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "effectiveRate": percent, "status": "Active",
        }))
        .unwrap()
    }

    /// Xero GB's rates (as the sandbox seeds them) and a chart with the fee accounts.
    fn xero_gb(no_vat: bool) -> ReferenceData {
        let mut reference: ReferenceData = serde_json::from_value(serde_json::json!({
            "company": {"name": "Acme", "baseCurrency": "GBP", "country": "GB"},
            "accounts": [
                {"id": "fees", "name": "Fees", "type": "Expense", "status": "Active"},
                {"id": "fee-refunds-income", "name": "Fee refunds", "type": "Income", "status": "Active"},
                {"id": "clearing", "name": "Clearing", "type": "Asset", "status": "Active"},
            ],
            "taxRates": [],
            "customers": [],
            "suppliers": [],
        }))
        .unwrap();
        reference.tax_rates = vec![
            rate("OUTPUT2", "20% (VAT on Income)", 20),
            rate("ZERORATEDOUTPUT", "Zero Rated Income", 0),
            rate("EXEMPTOUTPUT", "Exempt Income", 0),
            rate("INPUT2", "20% (VAT on Expenses)", 20),
            rate("EXEMPTINPUT", "Exempt Expenses", 0),
            rate("ZERORATEDINPUT", "Zero Rated Expenses", 0),
        ];
        if no_vat {
            reference.tax_rates.push(rate("NONE", "No VAT", 0));
        }
        reference
    }

    #[test]
    fn a_fee_bill_never_gets_an_income_rate() {
        let r = xero_gb(true);
        let zero_income = Some("ZERORATEDOUTPUT");
        // Fees and their refunds both on the expense account: the zero-rated expense rate.
        assert_eq!(
            fee_tax_rate(&r, "fees", "fees", zero_income).as_deref(),
            Some("ZERORATEDINPUT")
        );
        // Refunds to an income account: only a rate for both sides will do.
        assert_eq!(
            fee_tax_rate(&r, "fees", "fee-refunds-income", zero_income).as_deref(),
            Some("NONE")
        );
        // Without one, nothing is sent (the accounts' defaults apply).
        assert_eq!(
            fee_tax_rate(&xero_gb(false), "fees", "fee-refunds-income", zero_income),
            None
        );
    }

    #[test]
    fn the_merchant_s_zero_rate_is_kept_when_it_can_apply_to_expenses() {
        let r = xero_gb(true);
        assert_eq!(
            fee_tax_rate(&r, "fees", "fees", Some("NONE")).as_deref(),
            Some("NONE")
        );
        // QuickBooks GB names its tax codes without a side: `0.0% Z` serves both.
        let mut qb = xero_gb(false);
        qb.tax_rates = vec![rate("3", "20.0% S", 20), rate("5", "0.0% Z", 0)];
        assert_eq!(
            fee_tax_rate(&qb, "fees", "fee-refunds-income", Some("5")).as_deref(),
            Some("5")
        );
    }

    #[test]
    fn exempt_expenses_when_there_is_no_zero_rated_expense_rate() {
        let mut r = xero_gb(false);
        r.tax_rates.retain(|t| t.id != "ZERORATEDINPUT");
        assert_eq!(
            fee_tax_rate(&r, "fees", "fees", None).as_deref(),
            Some("EXEMPTINPUT")
        );
        // An archived rate is never chosen.
        r.tax_rates
            .iter_mut()
            .for_each(|t| t.status = RecordStatus::Archived);
        assert_eq!(fee_tax_rate(&r, "fees", "fees", None), None);
    }
}

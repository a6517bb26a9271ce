//! Accepted means it will post: the rules that depend on the books the merchant linked, so a
//! configuration is refused now, next to its field and with what to do, rather than failing
//! at the platform on the first sync.
//!
//! The document's own rules (`validation`) already refuse a choice outside the options;
//! options only hold what fits (`options::account_options`). Here a refused choice is told
//! *why* it does not fit, and the cross-field rules of each platform are checked:
//! - QuickBooks US with automated sales tax computes tax itself: no tax rate may be mapped.
//! - hledger holds journal entries only.
//! - QuickBooks pays a bill only from a Bank account (`BillPayment` by cheque), so with fee
//!   bills the card clearing account, which pays them, must be a Bank account.

use super::document::{ConfigDocument, OutputFormat};
use super::error::{ConfigError, codes, pointer};
use crate::preview::Platform;
use crate::reference_data::{Account, AccountType, ReferenceData, TaxModel};

/// Every books rule the document breaks, and `errors` (from `validate`) with each refused
/// account or tax rate told why it does not fit.
pub fn check_books_fit(
    doc: &ConfigDocument,
    reference: &ReferenceData,
    platform: Option<Platform>,
    errors: Vec<ConfigError>,
) -> Vec<ConfigError> {
    let mut out: Vec<ConfigError> = errors
        .into_iter()
        .map(|e| explain(e, doc, reference, platform))
        .collect();
    let c = &doc.configuration;
    if reference.tax_model() == TaxModel::Automated {
        for (key, rate) in c
            .sales
            .iter()
            .flat_map(|s| s.tax_rates.iter())
            .flat_map(|r| r.iter())
        {
            if rate.selected_tax_rate_id.is_some() {
                let at = pointer([
                    "configuration",
                    "sales",
                    "taxRates",
                    key,
                    "selectedTaxRateId",
                ]);
                out.retain(|e| e.pointer != at);
                out.push(ConfigError::new(
                    at,
                    codes::TAX_COMPUTED_BY_PLATFORM,
                    "This QuickBooks company uses automated sales tax: QuickBooks works out the tax itself, so leave tax rates unmapped",
                ));
            }
        }
    }
    if platform.is_some_and(Platform::journal_only)
        && c.output_format() != OutputFormat::JournalEntry
    {
        out.push(ConfigError::new(
            "/configuration/mapSettings/outputFormat",
            codes::JOURNALS_ONLY,
            "hledger holds journal entries only: choose JournalEntry as the output format",
        ));
    }
    let fee_bills = c.output_format() == OutputFormat::Documents && c.sync_fees();
    if platform == Some(Platform::QuickBooks) && fee_bills {
        let card = c
            .payments_account("card")
            .and_then(|id| reference.account(id));
        if let Some(card) = card.filter(|a| !a.is_bank_account) {
            out.push(ConfigError::new(
                "/configuration/payments/accounts/card/selectedAccountId",
                codes::ACCOUNT_CANNOT_PAY_BILLS,
                format!(
                    "QuickBooks pays the daily fee bill from the card account, and pays bills only from a Bank account; {:?} is not one: choose a Bank account for card payments",
                    card.name
                ),
            ));
        }
    }
    out
}

/// `error` told why its choice does not fit, when the books say.
fn explain(
    mut error: ConfigError,
    doc: &ConfigDocument,
    reference: &ReferenceData,
    platform: Option<Platform>,
) -> ConfigError {
    let parts: Vec<&str> = error.pointer.split('/').collect();
    match (error.code, parts.as_slice()) {
        (codes::ACCOUNT_NOT_IN_OPTIONS, ["", "configuration", section, "accounts", key, _]) => {
            let id = selected_account(doc, section, key);
            if let Some(why) = id
                .and_then(|id| reference.account(id))
                .and_then(|a| account_unfit(a, section, key, reference, platform))
            {
                error.message = why;
            }
        }
        (codes::TAX_RATE_NOT_IN_OPTIONS, ["", "configuration", "sales", "taxRates", key, _]) => {
            let chosen = doc
                .configuration
                .tax_rate_for(key)
                .and_then(|id| reference.tax_rate(id));
            if let Some(rate) = chosen {
                if !rate.status.is_active() {
                    error.message = format!(
                        "Tax rate {:?} is archived in the books: choose an active one",
                        rate.name
                    );
                } else if rate.applies_to_sales == Some(false) {
                    error.message = format!(
                        "Tax rate {:?} cannot be used on sales in {}: choose a rate for sales (income)",
                        rate.name,
                        platform_name(platform)
                    );
                }
            }
        }
        _ => {}
    }
    error
}

fn selected_account<'d>(doc: &'d ConfigDocument, section: &str, key: &str) -> Option<&'d str> {
    let c = &doc.configuration;
    let accounts = match section {
        "sales" => c.sales.as_ref()?.accounts.as_ref(),
        "payments" => c.payments.as_ref()?.accounts.as_ref(),
        "newPayments" => c.new_payments.as_ref()?.accounts.as_ref(),
        "fees" => c.fees.as_ref()?.accounts.as_ref(),
        _ => None,
    }?;
    accounts.get(key)?.selected_account_id.as_deref()
}

/// Why `account` cannot fill slot `key` of `section`, in the merchant's words.
fn account_unfit(
    account: &Account,
    section: &str,
    key: &str,
    reference: &ReferenceData,
    platform: Option<Platform>,
) -> Option<String> {
    let name = &account.name;
    if !account.status.is_active() {
        return Some(format!(
            "Account {name:?} is archived in the books: choose an active account"
        ));
    }
    let base = &reference.company.base_currency;
    if let Some(currency) = account
        .currency
        .as_deref()
        .filter(|c| !c.eq_ignore_ascii_case(base))
    {
        return Some(format!(
            "Account {name:?} is held in {currency} and the books are in {base}: choose an account in {base}"
        ));
    }
    if matches!(section, "payments" | "newPayments") && !account.accepts_payments() {
        return Some(match platform {
            Some(Platform::QuickBooks) => format!(
                "QuickBooks records payments only into a Bank or Other Current Asset account, and {name:?} is neither: choose one of those"
            ),
            Some(Platform::Xero) => format!(
                "Xero does not allow payments to {name:?}: choose a bank account, or turn on \"Enable payments to this account\" for it in Xero"
            ),
            _ => format!("{name:?} cannot receive payments: choose a bank or clearing account"),
        });
    }
    let wanted = match (section, key) {
        ("sales", "gratuity") => "an income or liability",
        ("sales", "prepaid" | "taxLiability") => "a liability",
        ("sales", k) if k.starts_with(super::options::TAX_COMPONENT_SLOT) => "a liability",
        ("sales", _) => "an income",
        ("fees", "paymentFeeRefund") => "an expense, income or bank",
        ("fees", _) => "an expense or bank",
        _ => return None,
    };
    Some(format!(
        "Account {name:?} is {} account; this choice needs {wanted} account",
        article(account.account_type)
    ))
}

fn article(t: AccountType) -> &'static str {
    match t {
        AccountType::Asset => "an asset",
        AccountType::Liability => "a liability",
        AccountType::Income => "an income",
        AccountType::Expense => "an expense",
        AccountType::Equity => "an equity",
        AccountType::Unknown => "an unclassified",
    }
}

fn platform_name(platform: Option<Platform>) -> &'static str {
    match platform {
        Some(Platform::Xero) => "Xero",
        Some(Platform::QuickBooks) => "QuickBooks",
        Some(Platform::Hledger) => "hledger",
        None => "the accounting software",
    }
}

#[cfg(test)]
#[path = "books_fit_tests.rs"]
mod tests;

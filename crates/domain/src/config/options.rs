//! The choices offered to the merchant, built from the accounting platform's reference data,
//! and the merge of a posted document's selections into them.
//!
//! Decisions where the reference is silent: only `Active` records are offered; sales and refund
//! accounts are `Income`, gratuity `Income` or `Liability`, prepaid `Liability`; payment
//! accounts must accept payments (bank accounts, or Xero's "enable payments"); fee accounts are
//! `Expense` (fee refunds also `Income`) or a bank account (then bank transactions are written).
//! Invoice-level grouping offers `Location` and `Country`; line-level grouping offers nothing yet.

use super::document::*;
use crate::ids::CompanyId;
use crate::period::Frequency;
use crate::preview::Platform;
use crate::reference_data::{Account, AccountType, ReferenceData, TaxModel};
use rust_decimal::Decimal;

pub const INVOICE_STATUS_OPTIONS: [&str; 2] = ["Draft", "Submitted"];
pub const GROUPING_PERIOD_OPTIONS: [&str; 1] = ["Daily"];
pub const INVOICE_GROUP_BY_OPTIONS: [&str; 2] = ["Location", "Country"];
pub const INVOICE_LINE_GROUP_BY_OPTIONS: [&str; 0] = [];

/// What to offer beyond the reference data: which slots the merchant fills. Built for a real
/// merchant by [`OfferSpec::for_merchant`] (see `merchant_world`).
#[derive(Debug, Clone, PartialEq)]
pub struct OfferSpec {
    pub company_id: Option<CompanyId>,
    /// Commerce tax percentages traded, as text (`"20"`, `"17.5"`): the `sales.taxRates` keys.
    pub tax_rate_keys: Vec<String>,
    /// `payments.accounts` keys (see `payment_account_key`); `card` is always required.
    pub payment_keys: Vec<String>,
    /// Keys of payment types seen in pushed payments: marked and required.
    pub payment_keys_seen: Vec<String>,
    /// The commerce tax components pushed by the client.
    pub commerce_tax_components: Vec<ConfigOption>,
    /// Pushed product categories: a sales account slot each.
    pub product_categories: Vec<ConfigOption>,
    /// The accounting platform, when known: some only hold journals (hledger).
    pub platform: Option<Platform>,
    /// How the books take sales tax.
    pub tax_model: TaxModel,
}

impl Default for OfferSpec {
    /// No tax slots, every payment type, no pushed data.
    fn default() -> Self {
        Self {
            company_id: None,
            tax_rate_keys: Vec::new(),
            payment_keys: super::merchant_world::payment_keys(),
            payment_keys_seen: Vec::new(),
            commerce_tax_components: Vec::new(),
            product_categories: Vec::new(),
            platform: None,
            tax_model: TaxModel::PerRate,
        }
    }
}

/// `sales.accounts` key prefix of a commerce tax component's liability account (journal
/// mode): `taxComponent.<component id>`.
pub const TAX_COMPONENT_SLOT: &str = "taxComponent.";

/// The accounts fit for one slot of an `accounts` map.
pub fn account_options(reference: &ReferenceData, section: &str, key: &str) -> Vec<AccountOption> {
    let fits = |a: &Account| -> bool {
        use AccountType::*;
        match (section, key) {
            ("sales", "gratuity") => matches!(a.account_type, Income | Liability),
            ("sales", "prepaid" | "taxLiability") => a.account_type == Liability,
            ("sales", k) if k.starts_with(TAX_COMPONENT_SLOT) => a.account_type == Liability,
            ("sales", _) => a.account_type == Income,
            ("payments" | "newPayments", _) => a.accepts_payments(),
            ("fees", "paymentFeeRefund") => {
                a.is_bank_account || matches!(a.account_type, Expense | Income)
            }
            ("fees", _) => a.is_bank_account || a.account_type == Expense,
            _ => false,
        }
    };
    // Multi-currency is not synced yet: an account held in another currency than the books'
    // would be refused by the platform (or post at a made-up rate).
    let base = reference.company.base_currency.as_str();
    let same_currency = |a: &Account| {
        a.currency
            .as_deref()
            .is_none_or(|c| base.is_empty() || c.eq_ignore_ascii_case(base))
    };
    reference
        .accounts
        .iter()
        .filter(|a| a.status.is_active() && fits(a) && same_currency(a))
        .map(|a| AccountOption {
            id: a.id.clone(),
            name: Some(a.name.clone()),
            nominal_code: a.nominal_code.clone(),
            classification: Some(if a.is_bank_account { "bank" } else { "nominal" }.into()),
        })
        .collect()
}

/// Active tax rates that may apply to sales.
pub fn tax_rate_options(reference: &ReferenceData) -> Vec<ConfigOption> {
    let fit = reference.tax_rates.iter().filter(|t| t.fits_sales());
    fit.map(|t| option(&t.id, &t.name)).collect()
}

/// Active tax rates whose effective rate is zero (or unknown, since some platforms omit it).
pub fn zero_tax_rate_options(reference: &ReferenceData) -> Vec<ConfigOption> {
    let zero = |r: Option<Decimal>| r.is_none_or(|r| r.is_zero());
    let rates = reference.tax_rates.iter();
    let fit = rates.filter(|t| t.status.is_active() && zero(t.effective_rate));
    fit.map(|t| option(&t.id, &t.name)).collect()
}

/// Active customers.
pub fn customer_options(reference: &ReferenceData) -> Vec<ConfigOption> {
    let active = reference.customers.iter().filter(|c| c.status.is_active());
    active.map(|c| option(&c.id, &c.name)).collect()
}

/// Active suppliers.
pub fn supplier_options(reference: &ReferenceData) -> Vec<ConfigOption> {
    let active = reference.suppliers.iter().filter(|s| s.status.is_active());
    active.map(|s| option(&s.id, &s.name)).collect()
}

pub fn frequency_options() -> Vec<String> {
    Frequency::ALL
        .iter()
        .map(|f| f.as_str().to_owned())
        .collect()
}

fn option(id: &str, name: &str) -> ConfigOption {
    ConfigOption {
        id: id.to_owned(),
        name: Some(name.to_owned()),
    }
}

fn strings(values: &[&str]) -> Option<Vec<String>> {
    Some(values.iter().map(|s| (*s).to_owned()).collect())
}

/// A merchant-facing label for an account key: `onlineCard` → `Online card`.
fn label_of(key: &str) -> String {
    let mut out = String::new();
    for (i, ch) in key.chars().enumerate() {
        match (i, ch) {
            (0, c) => out.extend(c.to_uppercase()),
            (_, '-') => out.push(' '),
            (_, c) if c.is_uppercase() => {
                out.push(' ');
                out.extend(c.to_lowercase());
            }
            (_, c) => out.push(c),
        }
    }
    out
}

fn slots(
    reference: &ReferenceData,
    section: &str,
    keys: &[(&str, bool)],
) -> Option<KeyedMap<ConfigAccount>> {
    let slot = |(key, required): &(&str, bool)| {
        let account = ConfigAccount {
            label_text: Some(label_of(key)),
            description_text: None,
            selected_account_id: None,
            required: Some(*required),
            account_options: Some(account_options(reference, section, key)),
        };
        ((*key).to_owned(), account)
    };
    Some(keys.iter().map(slot).collect())
}

/// The GET document: every option built from `reference`, with `previous`'s selections (if
/// any) carried over so a returning merchant sees its choices.
pub fn offer(
    reference: &ReferenceData,
    spec: &OfferSpec,
    previous: Option<&ConfigDocument>,
) -> ConfigDocument {
    let rates = tax_rate_options(reference);
    let seen = |k: &str| spec.payment_keys_seen.iter().any(|s| s == k);
    let payment_keys: Vec<(&str, bool)> = std::iter::once(("card", true))
        .chain(
            spec.payment_keys
                .iter()
                .filter(|k| *k != "card")
                .map(|k| (k.as_str(), seen(k))),
        )
        .collect();
    let per_rate = spec.tax_model == TaxModel::PerRate;
    // Without tax-rate objects the day's tax is owed on a liability account.
    let liability_required = spec.tax_model == TaxModel::LiabilityAccount;
    let level = |options: &[&str]| GroupByLevel {
        selected_group_by_options: Some(Vec::new()),
        group_by_options: strings(options),
    };
    let sales = Sales {
        sync_sales: Some(false),
        accounts: slots(
            reference,
            "sales",
            &[
                ("sales", true),
                ("refund", true),
                ("gratuity", false),
                ("prepaid", false),
                // Journal entries only: where the day's sales tax is owed.
                ("taxLiability", liability_required),
            ],
        )
        .map(|mut accounts| {
            for category in &spec.product_categories {
                let name = category.name.as_deref().unwrap_or(&category.id);
                let account = ConfigAccount {
                    label_text: Some(format!("Sales: {name}")),
                    description_text: Some(
                        "Sales of products in this category; empty uses the sales account".into(),
                    ),
                    selected_account_id: None,
                    required: Some(false),
                    account_options: Some(account_options(reference, "sales", &category.id)),
                };
                accounts.insert(category.id.clone(), account);
            }
            if !spec.product_categories.is_empty() {
                let account = ConfigAccount {
                    label_text: Some("Sales: other products".into()),
                    description_text: Some(
                        "Products in no mapped category; empty uses the sales account".into(),
                    ),
                    selected_account_id: None,
                    required: Some(false),
                    account_options: Some(account_options(reference, "sales", "sales-other")),
                };
                accounts.insert("sales-other".to_owned(), account);
            }
            // Journal entries only: each pushed tax component may be owed on its own account.
            for component in &spec.commerce_tax_components {
                let key = format!("{TAX_COMPONENT_SLOT}{}", component.id);
                let name = component.name.as_deref().unwrap_or(&component.id);
                let account = ConfigAccount {
                    label_text: Some(format!("Tax: {name}")),
                    description_text: Some(
                        "Journal entries: the liability account this tax component is owed on"
                            .into(),
                    ),
                    selected_account_id: None,
                    required: Some(false),
                    account_options: Some(account_options(reference, "sales", &key)),
                };
                accounts.insert(key, account);
            }
            accounts
        }),
        invoice_status: Some(InvoiceStatus {
            selected_invoice_status: Some("Submitted".into()),
            invoice_status_options: strings(&INVOICE_STATUS_OPTIONS),
        }),
        sales_customer: Some(SalesCustomer {
            selected_customer_id: None,
            customer_options: Some(customer_options(reference)),
        }),
        tax_rates: per_rate.then(|| {
            spec.tax_rate_keys
                .iter()
                .map(|k| {
                    let amount = TaxRateAmount {
                        selected_tax_rate_id: None,
                        tax_rate_options: Some(rates.clone()),
                    };
                    (k.clone(), amount)
                })
                .collect()
        }),
        new_tax_rates: per_rate.then(|| NewTaxRates {
            accounting_tax_rate_options: Some(rates.clone()),
            commerce_tax_rate_options: Some(spec.commerce_tax_components.clone()),
            tax_rate_mappings: Some(Vec::new()),
            selected_default_zero_tax_rate_id: None,
            default_zero_tax_rate_options: Some(zero_tax_rate_options(reference)),
        }),
        grouping: Some(Grouping {
            grouping_period: Some(GroupingPeriod {
                selected_grouping_period: Some("Daily".into()),
                grouping_period_options: strings(&GROUPING_PERIOD_OPTIONS),
            }),
            grouping_levels: Some(GroupingLevels {
                invoice_level: Some(level(&INVOICE_GROUP_BY_OPTIONS)),
                invoice_line_level: Some(level(&INVOICE_LINE_GROUP_BY_OPTIONS)),
            }),
        }),
    };
    let fresh = ConfigDocument {
        company_id: spec.company_id,
        accounting_software_company_name: Some(reference.company.name.clone()),
        enable: Some(false),
        configured: Some(false),
        schedule: Some(ScheduleSettings {
            selected_frequency: Some(Frequency::Daily.as_str().into()),
            frequency_options: Some(frequency_options()),
            start_date: None,
            sync_hour: Some(0),
            time_zone: None,
        }),
        configuration: Configuration {
            country_code: reference.company.country.clone(),
            map_settings: spec
                .platform
                .is_some_and(Platform::journal_only)
                .then(|| MapSettings {
                    output_format: Some(OutputFormat::JOURNAL_ENTRY.to_owned()),
                }),
            sales: Some(sales),
            payments: Some(Payments {
                sync_payments: Some(false),
                accounts: slots(reference, "payments", &payment_keys).map(|mut accounts| {
                    for key in &spec.payment_keys_seen {
                        if let Some(slot) = accounts.get_mut(key) {
                            slot.description_text =
                                Some("Seen in your payments: choose where they go".into());
                        }
                    }
                    accounts
                }),
            }),
            new_payments: None,
            fees: Some(Fees {
                fees_supplier: Some(FeesSupplier {
                    selected_supplier_id: None,
                    supplier_options: Some(supplier_options(reference)),
                }),
                sync_fees: Some(false),
                accounts: slots(
                    reference,
                    "fees",
                    &[("paymentFee", false), ("paymentFeeRefund", false)],
                ),
            }),
        },
    };
    match previous {
        Some(previous) => {
            let mut merged = super::merge::apply_selections(&fresh, previous);
            merged.configured = previous.configured.or(fresh.configured);
            merged
        }
        None => fresh,
    }
}

pub use super::merge::apply_selections;

/// The account slots of `doc` in the visible-accounts vocabulary: `<section>-accounts-<key>`
/// (`sales-accounts-sales`, `payments-accounts-card`).
pub fn account_slot_keys(doc: &ConfigDocument) -> Vec<String> {
    let c = &doc.configuration;
    let sections = [
        ("sales", c.sales.as_ref().and_then(|s| s.accounts.as_ref())),
        (
            "payments",
            c.payments.as_ref().and_then(|p| p.accounts.as_ref()),
        ),
        ("fees", c.fees.as_ref().and_then(|f| f.accounts.as_ref())),
    ];
    sections
        .into_iter()
        .flat_map(|(section, accounts)| {
            accounts
                .into_iter()
                .flat_map(|a| a.iter())
                .map(move |(key, _)| format!("{section}-accounts-{key}"))
        })
        .collect()
}

/// Leaves only the account slots a client made visible (Codat's visible accounts), plus every
/// required slot and every slot already chosen: hiding must not make a configuration
/// impossible or lose a merchant's choice.
pub fn narrow_to_visible(doc: &mut ConfigDocument, visible: &[String]) {
    let c = &mut doc.configuration;
    let sections = [
        ("sales", c.sales.as_mut().and_then(|s| s.accounts.as_mut())),
        (
            "payments",
            c.payments.as_mut().and_then(|p| p.accounts.as_mut()),
        ),
        ("fees", c.fees.as_mut().and_then(|f| f.accounts.as_mut())),
    ];
    for (section, accounts) in sections {
        if let Some(accounts) = accounts {
            accounts.retain(|key, slot| {
                slot.required == Some(true)
                    || slot.selected_account_id.is_some()
                    || visible
                        .iter()
                        .any(|v| *v == format!("{section}-accounts-{key}"))
            });
        }
    }
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;

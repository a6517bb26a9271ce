//! The engine's resolved input: every choice of the configuration document, already validated
//! against the accounting platform's options and reduced to the ids the documents carry.
//! Building this from the Codat configuration document is the configuration module's job.

use crate::commerce::PaymentType;
use crate::money::Rounding;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Invoices and credit notes, or one journal per day (chosen once, never changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    Documents,
    Journal,
}

/// The status new sales documents get. Payments can only be allocated to `Submitted` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceStatus {
    Submitted,
    Draft,
}

/// Extra split of the day's documents beyond the currency, which always splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grouping {
    /// One set of sales documents per order location (`locationRef.id`).
    pub by_location: bool,
    /// One set per order country (as the platform sends it).
    pub by_country: bool,
}

/// Sales accounts (`sales.accounts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesAccounts {
    pub sales: String,
    pub refund: String,
    /// Tips; an income or a liability account. Absent: tips go to `sales` with a warning.
    pub gratuity: Option<String>,
    /// Gift cards sold (a liability). Absent while gift cards are sold: a configuration error.
    pub prepaid: Option<String>,
    /// Where rounding differences go; `sales` when absent.
    pub rounding: Option<String>,
}

/// Product categories mapped to income accounts. Empty: every sale goes to `sales`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CategoryAccounts {
    /// Commerce product category id → income account id.
    pub by_category: BTreeMap<String, String>,
    /// Catch-all for products in no mapped category; `sales` when absent.
    pub other_sales: Option<String>,
}

/// Commerce taxes → accounting tax rates (documents) and tax liability accounts (journal).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaxMapping {
    /// Commerce tax percentage (`20`, `5.5`; any scale) → accounting tax rate id (`sales.taxRates`).
    pub by_percentage: Vec<(Decimal, String)>,
    /// Commerce tax component id → accounting tax rate id (`sales.newTaxRates`); wins over
    /// the percentage when every component of a line maps to the same rate.
    pub by_component: BTreeMap<String, String>,
    /// Accounting rate for untaxed lines (tips, rounding, zero-tax sales).
    pub default_zero_rate: Option<String>,
    /// Journal mode: tax component id → its liability account (tax categorization).
    pub component_liability_accounts: BTreeMap<String, String>,
    /// Journal mode: liability account for tax not carried by a mapped component.
    pub tax_liability_account: Option<String>,
    /// The platform works the tax out itself (QuickBooks US automated sales tax): documents
    /// carry each line's tax amount and no tax rate, and none needs mapping.
    pub computed_by_platform: bool,
}

impl TaxMapping {
    /// The accounting rate mapped to a commerce percentage, comparing values (20 = 20.00).
    pub fn rate_for_percentage(&self, percentage: Decimal) -> Option<&str> {
        self.by_percentage
            .iter()
            .find(|(p, _)| *p == percentage)
            .map(|(_, id)| id.as_str())
    }
}

/// Payment-fee handling (`fees`); absent when fees are not synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeSettings {
    pub supplier_id: String,
    /// Expense account for payment fees.
    pub payment_fee_account: String,
    /// Account for fee refunds (often the same expense account).
    pub payment_fee_refund_account: String,
    /// The fee account is a bank account: write spend/receive-money bank transactions on the
    /// clearing account instead of bills and supplier credit notes.
    pub fee_account_is_bank: bool,
    /// Tax rate for fee lines (a zero or exempt rate), when the platform wants one.
    pub tax_rate_id: Option<String>,
}

/// The resolved configuration the mapping runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSettings {
    pub output: OutputMode,
    pub sales_customer_id: String,
    pub invoice_status: InvoiceStatus,
    pub accounts: SalesAccounts,
    pub categories: CategoryAccounts,
    pub tax: TaxMapping,
    /// Payments synced (`payments.syncPayments`).
    pub sync_payments: bool,
    /// Clearing or bank account per payment type (`payments.accounts`).
    pub payment_accounts: Vec<(PaymentType, String)>,
    /// The processor's clearing account: fees are paid from it and payouts leave it.
    pub clearing_account: String,
    /// Bank account receiving payouts; absent: payouts are not written (with a warning).
    pub payout_account: Option<String>,
    /// Journal mode: what was sold but not paid that day (or paid but not sold) goes here.
    /// Absent: the account of the `Invoice` payment type, else a configuration error.
    pub receivable_account: Option<String>,
    pub fees: Option<FeeSettings>,
    pub grouping: Grouping,
    /// How tax per invoice line is computed from its net, as the ledger will.
    pub rounding: Rounding,
}

impl MappingSettings {
    /// The account of a payment type, if mapped.
    pub fn payment_account(&self, t: PaymentType) -> Option<&str> {
        self.payment_accounts
            .iter()
            .find(|(p, _)| *p == t)
            .map(|(_, a)| a.as_str())
    }

    /// Maps a payment type to an account (builder style, for tests and the config module).
    pub fn with_payment_account(mut self, t: PaymentType, account: &str) -> Self {
        self.payment_accounts.retain(|(p, _)| *p != t);
        self.payment_accounts.push((t, account.to_owned()));
        self
    }

    pub(crate) fn rounding_account(&self) -> &str {
        self.accounts
            .rounding
            .as_deref()
            .unwrap_or(&self.accounts.sales)
    }
}

/// A configuration problem found while mapping: the sync stops with status 4000 and this
/// message, in the merchant's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error(
        "payment type `{payment_type}` (payment `{record_id}`) has no account: map it in the payments settings"
    )]
    UnmappedPaymentType {
        payment_type: PaymentType,
        record_id: String,
    },
    #[error(
        "tax rate {} on record `{record_id}` has no accounting tax rate: map it in the sales tax settings",
        percentage.map_or_else(|| "(none)".to_owned(), |p| format!("{}%", p.normalize()))
    )]
    UnmappedTaxRate {
        percentage: Option<Decimal>,
        record_id: String,
    },
    #[error("the {role} account is not set, but record `{record_id}` needs it")]
    MissingAccount {
        role: &'static str,
        record_id: String,
    },
    #[error("payments can only be allocated to Submitted invoices, but invoices are set to Draft")]
    PaymentsNeedSubmittedInvoices,
    #[error("the payout account must differ from the card clearing account")]
    PayoutAccountIsClearing,
    #[error("amounts of record `{record_id}` are too large to add up")]
    Overflow { record_id: String },
}

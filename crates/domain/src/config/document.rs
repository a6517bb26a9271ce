//! The configuration document, typed, in the current (2024) shape.
//!
//! Every field mirrors the reference (`config-schema.md` §2) and is optional, because the
//! document is both the GET answer (options) and the POST body (selections), and a field that
//! was absent must stay absent when the document is emitted again: the current shape
//! round-trips exactly (explicit `null`s are emitted as absent). Values the merchant writes
//! (hours, zones, dates, statuses) are kept as sent, not refused while parsing, so that
//! [`super::validation`] can report every bad one with its JSON pointer at once.
//!
//! Decisions: `configured` is read-only; a client's value is ignored and the server sets it to
//! `true` once a document passes validation ([`ConfigDocument::mark_configured`]). `enable` is
//! the merchant's switch and absent means "unchanged" (the interim flat shape carries none);
//! a merchant is ready to sync only when both are `true` ([`ConfigDocument::is_ready`]).

use crate::ids::CompanyId;
use serde::{Deserialize, Serialize};

pub use super::keyed_map::KeyedMap;

/// The whole document: wrapper, schedule and the configuration proper.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<CompanyId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_software_company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleSettings>,
    #[serde(default)]
    pub configuration: Configuration,
}

impl ConfigDocument {
    /// Switched on by the merchant and configured: the scheduler may run it.
    pub fn is_ready(&self) -> bool {
        self.enable == Some(true) && self.configured == Some(true)
    }

    /// Records that the document passed validation (the server's decision, never the client's).
    pub fn mark_configured(&mut self) {
        self.configured = Some(true);
    }
}

/// The `schedule` object. `syncHour` is kept as a plain integer so an out-of-range hour is a
/// validation error with a pointer rather than a parse failure.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_frequency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_options: Option<Vec<String>>,
    /// As sent: a date (`2024-05-01`) or a date-time; see [`super::validation::parse_start_date`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_hour: Option<i64>,
    /// IANA name; `None` means `Etc/UTC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// The `configuration` object (the whole document in the interim flat shape).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_settings: Option<MapSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales: Option<Sales>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payments: Option<Payments>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_payments: Option<Payments>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Fees>,
}

impl Configuration {
    pub fn sync_sales(&self) -> bool {
        self.sales.as_ref().and_then(|s| s.sync_sales) == Some(true)
    }

    pub fn sync_payments(&self) -> bool {
        self.payments.as_ref().and_then(|p| p.sync_payments) == Some(true)
    }

    pub fn sync_fees(&self) -> bool {
        self.fees.as_ref().and_then(|f| f.sync_fees) == Some(true)
    }

    /// How the books are written; absent means documents (invoices, credit notes, payments…).
    pub fn output_format(&self) -> OutputFormat {
        match self
            .map_settings
            .as_ref()
            .and_then(|m| m.output_format.as_deref())
        {
            Some(OutputFormat::JOURNAL_ENTRY) => OutputFormat::JournalEntry,
            _ => OutputFormat::Documents,
        }
    }

    /// The account chosen for a `sales.accounts` key (`sales`, `refund`, `gratuity`, `prepaid`…).
    pub fn sales_account(&self, key: &str) -> Option<&str> {
        Self::selected_account(self.sales.as_ref()?.accounts.as_ref(), key)
    }

    /// The account chosen for a `payments.accounts` key (`card`, `cash`, `payout`…).
    pub fn payments_account(&self, key: &str) -> Option<&str> {
        Self::selected_account(self.payments.as_ref()?.accounts.as_ref(), key)
    }

    /// The account a payment type's money goes to: its `payments.accounts` slot, else its
    /// `newPayments.accounts` slot (where payment types that start later are mapped).
    pub fn payment_type_account(&self, key: &str) -> Option<&str> {
        self.payments_account(key)
            .or_else(|| Self::selected_account(self.new_payments.as_ref()?.accounts.as_ref(), key))
    }

    /// The account chosen for a `fees.accounts` key (`paymentFee`, `paymentFeeRefund`…).
    pub fn fees_account(&self, key: &str) -> Option<&str> {
        Self::selected_account(self.fees.as_ref()?.accounts.as_ref(), key)
    }

    /// The accounting tax rate chosen for a commerce percentage key (`"20"`).
    pub fn tax_rate_for(&self, key: &str) -> Option<&str> {
        let rates = self.sales.as_ref()?.tax_rates.as_ref()?;
        rates.get(key)?.selected_tax_rate_id.as_deref()
    }

    pub fn sales_customer(&self) -> Option<&str> {
        let customer = self.sales.as_ref()?.sales_customer.as_ref()?;
        customer.selected_customer_id.as_deref()
    }

    pub fn fees_supplier(&self) -> Option<&str> {
        let supplier = self.fees.as_ref()?.fees_supplier.as_ref()?;
        supplier.selected_supplier_id.as_deref()
    }

    pub fn invoice_status(&self) -> Option<&str> {
        let status = self.sales.as_ref()?.invoice_status.as_ref()?;
        status.selected_invoice_status.as_deref()
    }

    /// The account selected for `key` in a section's `accounts` map.
    fn selected_account<'a>(
        accounts: Option<&'a KeyedMap<ConfigAccount>>,
        key: &str,
    ) -> Option<&'a str> {
        accounts?.get(key)?.selected_account_id.as_deref()
    }
}

/// Which kind of accounting output a merchant chose, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Sales invoices, credit notes, payments, bills (the default).
    Documents,
    /// One balanced journal entry per period.
    JournalEntry,
}

impl OutputFormat {
    pub const JOURNAL_ENTRY: &'static str = "JournalEntry";
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sales {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_sales: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<KeyedMap<ConfigAccount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_status: Option<InvoiceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_customer: Option<SalesCustomer>,
    /// Key = commerce tax percentage as text (`"20"`, `"17.5"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rates: Option<KeyedMap<TaxRateAmount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_tax_rates: Option<NewTaxRates>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping: Option<Grouping>,
}

/// `payments` and `newPayments` share this shape.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payments {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_payments: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<KeyedMap<ConfigAccount>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fees {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_supplier: Option<FeesSupplier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_fees: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<KeyedMap<ConfigAccount>>,
}

/// One entry of an `accounts` map: options offered and the account chosen.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_options: Option<Vec<AccountOption>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountOption {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal_code: Option<String>,
    /// `bank` or `nominal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
}

/// The generic `{id, name}` option (customers, suppliers, tax rates, tax components).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigOption {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRateAmount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_tax_rate_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_options: Option<Vec<ConfigOption>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTaxRates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_tax_rate_options: Option<Vec<ConfigOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commerce_tax_rate_options: Option<Vec<ConfigOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_mappings: Option<Vec<TaxRateMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_default_zero_tax_rate_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_zero_tax_rate_options: Option<Vec<ConfigOption>>,
}

/// Many commerce tax components to one accounting tax rate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRateMapping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_commerce_tax_rate_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_accounting_tax_rate_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_invoice_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_status_options: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SalesCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_options: Option<Vec<ConfigOption>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeesSupplier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_supplier_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_options: Option<Vec<ConfigOption>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grouping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping_period: Option<GroupingPeriod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping_levels: Option<GroupingLevels>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupingPeriod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_grouping_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping_period_options: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupingLevels {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_level: Option<GroupByLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_line_level: Option<GroupByLevel>,
}

/// Extra criteria splitting invoices (or their lines); mandatory ones (currency, tax rate) are
/// implicit and never listed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupByLevel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_group_by_options: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by_options: Option<Vec<String>>,
}

//! The configuration document's selections, resolved into the mapping engine's settings.
//!
//! [`MappingSettings::from_config`] reads every choice the engine needs (accounts per role, tax
//! rates, payment-type accounts, fee supplier, invoice status, grouping, output format) and
//! checks each chosen id against the accounting platform's reference data. Every choice it
//! cannot resolve is one named [`ConfigError`] with the pointer of the field to fix; all of
//! them are reported, not the first.
//!
//! Decisions where the reference is silent:
//! - Sales must be synced: the engine always writes the day's sales (payments and fees hang
//!   off them), so a document with `syncSales` off has nothing to map.
//! - `sales.accounts` keys other than `sales`, `refund`, `gratuity`, `prepaid`, `taxLiability`
//!   and `sales-other` are product category ids (the product-categories feature: one slot per
//!   category); `sales-other` is the catch-all.
//! - Journal mode's tax liability account is the `sales.accounts.taxLiability` slot (Codat's
//!   document has none; journals need one as soon as a sale carries tax).
//! - The card account is the processor's clearing account (fees are paid from it, payouts
//!   leave it); it is required once payments or fees are synced or a payout account is set.
//! - `payments.accounts` keys map to commerce payment types by `payment_account_key`; `payout`
//!   is the payout account; other keys (`paypalQr`, `manual`) name no payment type and are
//!   not used by the engine. A payment type with no `payments` slot chosen takes its
//!   `newPayments` slot (Codat's section for payment types that start later).
//! - Fee refunds go to the fee account when no refund account is chosen; fee lines use the
//!   zero tax rate (`newTaxRates.selectedDefaultZeroTaxRateId`, else the `0` tax rate).
//! - Invoice-level grouping `Location` / `Country` split documents; anything else is refused.
//! - Books that compute sales tax themselves (QuickBooks US automated sales tax) need no tax
//!   rate: documents carry each line's tax amount and the platform marks it taxable.
//! - Rounding defaults to half up (what Xero and QuickBooks do per line); the caller may
//!   override it for a platform.

use super::document::{ConfigDocument, Configuration, OutputFormat};
use super::error::{ConfigError, codes, pointer};
use super::runtime::{check_against_reference, payment_account_key};
use crate::commerce::{CommerceEnum, PaymentType};
use crate::mapping::{
    CategoryAccounts, FeeSettings, Grouping, InvoiceStatus, MappingSettings, OutputMode,
    SalesAccounts, TaxMapping,
};
use crate::money::Rounding;
use crate::reference_data::ReferenceData;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// `sales.accounts` keys with a fixed role; any other key is a product category id.
const SALES_ROLES: [&str; 6] = [
    "sales",
    "refund",
    "gratuity",
    "prepaid",
    "taxLiability",
    OTHER_SALES,
];
const OTHER_SALES: &str = "sales-other";

impl MappingSettings {
    /// The engine's settings from a configuration document, every chosen id checked against
    /// `reference` (it must exist there and be active).
    pub fn from_config(
        doc: &ConfigDocument,
        reference: &ReferenceData,
    ) -> Result<MappingSettings, Vec<ConfigError>> {
        let mut r = Resolver {
            c: &doc.configuration,
            errors: check_against_reference(doc, reference),
        };
        let mut settings = r.settings(reference);
        settings.tax.computed_by_platform =
            reference.tax_model() == crate::reference_data::TaxModel::Automated;
        if r.errors.is_empty() {
            Ok(settings)
        } else {
            Err(r.errors)
        }
    }
}

struct Resolver<'a> {
    c: &'a Configuration,
    errors: Vec<ConfigError>,
}

impl Resolver<'_> {
    fn settings(&mut self, reference: &ReferenceData) -> MappingSettings {
        let c = self.c;
        let output = match c.output_format() {
            OutputFormat::Documents => OutputMode::Documents,
            OutputFormat::JournalEntry => OutputMode::Journal,
        };
        let documents = output == OutputMode::Documents;
        if !c.sync_sales() {
            self.error(
                "/configuration/sales/syncSales",
                codes::SALES_NOT_SYNCED,
                "Sales are not synced: switch on syncSales so there is something to write",
            );
        }
        let sales_customer_id = self.required(
            c.sales_customer(),
            documents,
            "/configuration/sales/salesCustomer/selectedCustomerId",
            codes::CUSTOMER_MISSING,
            "Choose the customer the daily sales invoices are raised to",
        );
        let invoice_status = self.invoice_status(documents);
        let accounts = SalesAccounts {
            sales: self.sales_account("sales", true),
            refund: self.sales_account("refund", true),
            gratuity: c.sales_account("gratuity").map(str::to_owned),
            prepaid: c.sales_account("prepaid").map(str::to_owned),
            rounding: None,
        };
        let tax = self.tax(output);
        let (payment_accounts, payout_account) = self.payment_accounts();
        let needs_clearing = c.sync_payments() || c.sync_fees() || payout_account.is_some();
        let clearing_account = self.required(
            c.payments_account("card"),
            needs_clearing,
            "/configuration/payments/accounts/card/selectedAccountId",
            codes::ACCOUNT_REQUIRED,
            "Choose the card (clearing) account: payments, fees and payouts go through it",
        );
        let fees = self.fees(documents, reference, tax.default_zero_rate.clone());
        MappingSettings {
            output,
            sales_customer_id,
            invoice_status,
            accounts,
            categories: self.categories(),
            tax,
            sync_payments: c.sync_payments(),
            payment_accounts,
            clearing_account,
            payout_account,
            receivable_account: None,
            fees,
            grouping: self.grouping(),
            rounding: Rounding::HalfUp,
        }
    }

    fn error(&mut self, at: &str, code: &'static str, message: impl Into<String>) {
        self.errors.push(ConfigError::new(at, code, message));
    }

    /// A selection that must be there when `needed`; empty when it need not be.
    fn required(
        &mut self,
        value: Option<&str>,
        needed: bool,
        at: &str,
        code: &'static str,
        message: &str,
    ) -> String {
        match value {
            Some(v) => v.to_owned(),
            None => {
                if needed {
                    self.error(at, code, message);
                }
                String::new()
            }
        }
    }

    fn sales_account(&mut self, key: &str, needed: bool) -> String {
        let at = pointer([
            "configuration",
            "sales",
            "accounts",
            key,
            "selectedAccountId",
        ]);
        let message = format!("Choose an account for {key}: the sales documents need it");
        self.required(
            self.c.sales_account(key),
            needed,
            &at,
            codes::ACCOUNT_REQUIRED,
            &message,
        )
    }

    fn invoice_status(&mut self, documents: bool) -> InvoiceStatus {
        let at = "/configuration/sales/invoiceStatus/selectedInvoiceStatus";
        match self.c.invoice_status() {
            Some("Submitted") => InvoiceStatus::Submitted,
            Some("Draft") => InvoiceStatus::Draft,
            Some(other) => {
                let message = format!("Invoice status must be Submitted or Draft; got {other:?}");
                self.error(at, codes::INVOICE_STATUS_INVALID, message);
                InvoiceStatus::Submitted
            }
            None => {
                if documents {
                    let message = "Choose the status of the sales invoices: Submitted or Draft";
                    self.error(at, codes::INVOICE_STATUS_MISSING, message);
                }
                InvoiceStatus::Submitted
            }
        }
    }

    fn categories(&self) -> CategoryAccounts {
        let accounts = self.c.sales.as_ref().and_then(|s| s.accounts.as_ref());
        let by_category = accounts
            .iter()
            .flat_map(|a| a.iter())
            .filter(|(key, _)| !SALES_ROLES.contains(key))
            .filter_map(|(key, slot)| Some((key.to_owned(), slot.selected_account_id.clone()?)))
            .collect();
        CategoryAccounts {
            by_category,
            other_sales: self.c.sales_account(OTHER_SALES).map(str::to_owned),
        }
    }

    fn tax(&mut self, output: OutputMode) -> TaxMapping {
        let sales = self.c.sales.as_ref();
        let mut by_percentage = Vec::new();
        for (key, rate) in sales
            .and_then(|s| s.tax_rates.as_ref())
            .iter()
            .flat_map(|t| t.iter())
        {
            let Some(id) = rate.selected_tax_rate_id.clone() else {
                continue; // unmapped: the engine names it if a sale at that rate comes
            };
            match Decimal::from_str(key) {
                Ok(p) => by_percentage.push((p, id)),
                Err(_) => self.error(
                    &pointer(["configuration", "sales", "taxRates", key]),
                    codes::TAX_RATE_KEY_INVALID,
                    format!("Tax rate key {key:?} is not a percentage such as 20 or 17.5"),
                ),
            }
        }
        let new = sales.and_then(|s| s.new_tax_rates.as_ref());
        let mut by_component = BTreeMap::new();
        for (i, mapping) in new
            .and_then(|n| n.tax_rate_mappings.as_ref())
            .iter()
            .flat_map(|m| m.iter())
            .enumerate()
        {
            let Some(rate) = mapping.selected_accounting_tax_rate_id.clone() else {
                continue;
            };
            for (j, component) in mapping
                .selected_commerce_tax_rate_ids
                .iter()
                .flatten()
                .enumerate()
            {
                let before = by_component.insert(component.clone(), rate.clone());
                if before.is_some_and(|b| b != rate) {
                    let at = format!(
                        "/configuration/sales/newTaxRates/taxRateMappings/{i}/selectedCommerceTaxRateIds/{j}"
                    );
                    self.error(
                        &at,
                        codes::TAX_COMPONENT_MAPPED_TWICE,
                        format!("Commerce tax component {component:?} is mapped to two different accounting tax rates: keep one"),
                    );
                }
            }
        }
        let zero = new
            .and_then(|n| n.selected_default_zero_tax_rate_id.clone())
            .or_else(|| self.c.tax_rate_for("0").map(str::to_owned));
        TaxMapping {
            by_percentage,
            by_component,
            default_zero_rate: zero,
            component_liability_accounts: match output {
                OutputMode::Journal => self.component_accounts(),
                OutputMode::Documents => BTreeMap::new(),
            },
            tax_liability_account: match output {
                OutputMode::Journal => self.c.sales_account("taxLiability").map(str::to_owned),
                OutputMode::Documents => None,
            },
            computed_by_platform: false,
        }
    }

    /// `sales.accounts` slots `taxComponent.<id>` with an account chosen.
    fn component_accounts(&self) -> BTreeMap<String, String> {
        let accounts = self.c.sales.as_ref().and_then(|s| s.accounts.as_ref());
        accounts
            .iter()
            .flat_map(|a| a.iter())
            .filter_map(|(key, slot)| {
                let component = key.strip_prefix(super::options::TAX_COMPONENT_SLOT)?;
                Some((component.to_owned(), slot.selected_account_id.clone()?))
            })
            .collect()
    }

    fn payment_accounts(&mut self) -> (Vec<(PaymentType, String)>, Option<String>) {
        let mut mapped = Vec::new();
        for kind in PaymentType::all().iter().copied() {
            if let Some(id) = self
                .c
                .payment_type_account(&payment_account_key(kind.as_str()))
            {
                mapped.push((kind, id.to_owned()));
            }
        }
        (mapped, self.c.payments_account("payout").map(str::to_owned))
    }

    fn fees(
        &mut self,
        documents: bool,
        reference: &ReferenceData,
        zero_rate: Option<String>,
    ) -> Option<FeeSettings> {
        if !self.c.sync_fees() {
            return None;
        }
        let supplier_id = self.required(
            self.c.fees_supplier(),
            documents,
            "/configuration/fees/feesSupplier/selectedSupplierId",
            codes::SUPPLIER_MISSING,
            "Choose the supplier the daily fee bills are raised to",
        );
        let fee = self.required(
            self.c.fees_account("paymentFee"),
            true,
            "/configuration/fees/accounts/paymentFee/selectedAccountId",
            codes::ACCOUNT_REQUIRED,
            "Choose the account for payment fees: fees are synced",
        );
        let refund = self
            .c
            .fees_account("paymentFeeRefund")
            .map_or_else(|| fee.clone(), str::to_owned);
        let is_bank = reference.account(&fee).is_some_and(|a| a.is_bank_account);
        // Purchase-side lines: never the sales zero rate unless it can apply to expenses.
        let tax_rate_id =
            super::fee_tax_rate::fee_tax_rate(reference, &fee, &refund, zero_rate.as_deref());
        Some(FeeSettings {
            supplier_id,
            payment_fee_account: fee,
            payment_fee_refund_account: refund,
            fee_account_is_bank: is_bank,
            tax_rate_id,
        })
    }

    fn grouping(&mut self) -> Grouping {
        let mut grouping = Grouping::default();
        let levels = self
            .c
            .sales
            .as_ref()
            .and_then(|s| s.grouping.as_ref())
            .and_then(|g| g.grouping_levels.as_ref());
        let selected = levels
            .and_then(|l| l.invoice_level.as_ref())
            .and_then(|l| l.selected_group_by_options.as_ref());
        for (i, option) in selected.iter().flat_map(|s| s.iter()).enumerate() {
            match option.as_str() {
                "Location" => grouping.by_location = true,
                "Country" => grouping.by_country = true,
                other => self.error(
                    &format!("/configuration/sales/grouping/groupingLevels/invoiceLevel/selectedGroupByOptions/{i}"),
                    codes::OPTION_NOT_PROVIDED,
                    format!("Grouping {other:?} is not supported: use Location or Country"),
                ),
            }
        }
        grouping
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;

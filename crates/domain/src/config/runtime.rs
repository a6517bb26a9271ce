//! Checks made at the start of every run: the choices saved in the configuration must still
//! exist and be active in the accounting platform, and every payment type traded must be mapped.

use super::document::*;
use super::error::{ConfigError, codes, pointer};
use crate::reference_data::{RecordStatus, ReferenceData};

/// What kind of accounting record a selection refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectionKind {
    Account,
    TaxRate,
    Customer,
    Supplier,
}

/// One `selected…Id` of the document, with where it is and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub kind: SelectionKind,
    pub id: String,
    pub pointer: String,
    /// The merchant's name for the slot, e.g. `Card` or `20% tax rate`.
    pub label: String,
}

/// Every selection in the document, in document order.
pub fn selections(doc: &ConfigDocument) -> Vec<Selection> {
    let c = &doc.configuration;
    let mut out = Vec::new();
    let mut push = |kind, id: Option<&String>, pointer: String, label: String| {
        if let Some(id) = id {
            out.push(Selection {
                kind,
                id: id.clone(),
                pointer,
                label,
            });
        }
    };
    let sections = [
        ("sales", c.sales.as_ref().and_then(|s| s.accounts.as_ref())),
        (
            "payments",
            c.payments.as_ref().and_then(|p| p.accounts.as_ref()),
        ),
        (
            "newPayments",
            c.new_payments.as_ref().and_then(|p| p.accounts.as_ref()),
        ),
        ("fees", c.fees.as_ref().and_then(|f| f.accounts.as_ref())),
    ];
    for (section, accounts) in sections {
        for (key, account) in accounts.iter().flat_map(|a| a.iter()) {
            let at = pointer([
                "configuration",
                section,
                "accounts",
                key,
                "selectedAccountId",
            ]);
            let label = account.label_text.clone().unwrap_or_else(|| key.to_owned());
            push(
                SelectionKind::Account,
                account.selected_account_id.as_ref(),
                at,
                label,
            );
        }
    }
    if let Some(sales) = &c.sales {
        let customer = sales.sales_customer.as_ref();
        push(
            SelectionKind::Customer,
            customer.and_then(|x| x.selected_customer_id.as_ref()),
            "/configuration/sales/salesCustomer/selectedCustomerId".into(),
            "sales customer".into(),
        );
        for (key, rate) in sales.tax_rates.iter().flat_map(|t| t.iter()) {
            let at = pointer([
                "configuration",
                "sales",
                "taxRates",
                key,
                "selectedTaxRateId",
            ]);
            let label = format!("{key}% tax rate");
            push(
                SelectionKind::TaxRate,
                rate.selected_tax_rate_id.as_ref(),
                at,
                label,
            );
        }
        if let Some(new) = &sales.new_tax_rates {
            for (i, m) in new.tax_rate_mappings.iter().flatten().enumerate() {
                let at = format!(
                    "/configuration/sales/newTaxRates/taxRateMappings/{i}/selectedAccountingTaxRateId"
                );
                let label = format!("tax mapping {}", i + 1);
                push(
                    SelectionKind::TaxRate,
                    m.selected_accounting_tax_rate_id.as_ref(),
                    at,
                    label,
                );
            }
            push(
                SelectionKind::TaxRate,
                new.selected_default_zero_tax_rate_id.as_ref(),
                "/configuration/sales/newTaxRates/selectedDefaultZeroTaxRateId".into(),
                "zero tax rate".into(),
            );
        }
    }
    if let Some(fees) = &c.fees {
        push(
            SelectionKind::Supplier,
            fees.fees_supplier
                .as_ref()
                .and_then(|s| s.selected_supplier_id.as_ref()),
            "/configuration/fees/feesSupplier/selectedSupplierId".into(),
            "fees supplier".into(),
        );
    }
    out
}

/// Every selection must still exist and be active in the accounting platform; each one that is
/// not is named.
pub fn check_against_reference(
    doc: &ConfigDocument,
    reference: &ReferenceData,
) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    for s in selections(doc) {
        let (status, noun, missing, inactive) = match s.kind {
            SelectionKind::Account => (
                reference.account(&s.id).map(|a| a.status),
                "account",
                codes::ACCOUNT_NOT_FOUND,
                codes::ACCOUNT_INACTIVE,
            ),
            SelectionKind::TaxRate => (
                reference.tax_rate(&s.id).map(|t| t.status),
                "tax rate",
                codes::TAX_RATE_NOT_FOUND,
                codes::TAX_RATE_INACTIVE,
            ),
            SelectionKind::Customer => (
                reference.customer(&s.id).map(|c| c.status),
                "customer",
                codes::CUSTOMER_NOT_FOUND,
                codes::CUSTOMER_INACTIVE,
            ),
            SelectionKind::Supplier => (
                reference.supplier(&s.id).map(|x| x.status),
                "supplier",
                codes::SUPPLIER_NOT_FOUND,
                codes::SUPPLIER_INACTIVE,
            ),
        };
        let (id, label) = (&s.id, &s.label);
        match status {
            None => errors.push(ConfigError::new(
                s.pointer,
                missing,
                format!("The {noun} {id:?} chosen for {label} no longer exists in the accounting software: choose another"),
            )),
            Some(RecordStatus::Active) => {}
            Some(other) => errors.push(ConfigError::new(
                s.pointer,
                inactive,
                format!("The {noun} {id:?} chosen for {label} is {} in the accounting software: choose an active one", status_word(other)),
            )),
        }
    }
    errors
}

fn status_word(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Active => "active",
        RecordStatus::Archived => "archived",
        RecordStatus::Pending => "pending",
        RecordStatus::Unknown => "of unknown status",
    }
}

/// The `payments.accounts` key for a commerce payment type (`Card` → `card`,
/// `OnlineCard` → `onlineCard`, `Prepaid` → `prepaidPayment` as the UI names it).
pub fn payment_account_key(payment_type: &str) -> String {
    if payment_type.eq_ignore_ascii_case("prepaid") {
        return "prepaidPayment".into();
    }
    let mut chars = payment_type.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Each payment type seen in the period must have a payments account chosen; a new one stops
/// the sync until it is mapped.
pub fn check_payment_types<'a>(
    doc: &ConfigDocument,
    payment_types: impl IntoIterator<Item = &'a str>,
) -> Vec<ConfigError> {
    let mut seen: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for payment_type in payment_types {
        let key = payment_account_key(payment_type);
        if seen.contains(&key) || doc.configuration.payment_type_account(&key).is_some() {
            continue;
        }
        errors.push(ConfigError::new(
            pointer(["configuration", "payments", "accounts", &key, "selectedAccountId"]),
            codes::PAYMENT_TYPE_UNMAPPED,
            format!("Payments of type {payment_type} have no account: choose one in the payments settings before the sync can continue"),
        ));
        seen.push(key);
    }
    errors
}

#[cfg(test)]
#[path = "runtime_tests.rs"]
mod tests;

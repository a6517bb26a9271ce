//! Every configuration rule of `config-schema.md` §4 and DOMAIN.md "Validation", each failure
//! named with a pointer, a stable code and the merchant-facing wording; all failures are
//! reported, not the first.
//!
//! Decisions where the reference is silent:
//! - A section's "must be set" rules apply only when that section is synced (`syncSales`,
//!   `syncPayments`, `syncFees`); "must be one of the options" applies to whatever is selected.
//! - The sales customer, invoice status and fees supplier exist for documents output only; in
//!   journal-entry mode they are optional (a journal has no customer, supplier or status).
//! - `syncHour` absent means 0; `timeZone` absent means `Etc/UTC`; `startDate` is required.
//! - Fees need payments synced with at least one payment account chosen.

use super::document::*;
use super::error::{ConfigError, child, codes, pointer};
use crate::period::{Frequency, Schedule};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};

const ONLY_OPTIONS: &str = "only use the options provided by Codat";
pub const INVOICE_STATUSES: [&str; 2] = ["Submitted", "Draft"];

/// The document's own rules (everything that needs no outside data).
pub fn validate(doc: &ConfigDocument) -> Vec<ConfigError> {
    let mut errors = match typed_schedule(doc) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    let c = &doc.configuration;
    let documents = c.output_format() == OutputFormat::Documents;
    if let Some(format) = c
        .map_settings
        .as_ref()
        .and_then(|m| m.output_format.as_deref())
        && format != OutputFormat::JOURNAL_ENTRY
    {
        errors.push(ConfigError::new(
            "/configuration/mapSettings/outputFormat",
            codes::OUTPUT_FORMAT_INVALID,
            format!("Output format {format:?} is not supported: use JournalEntry, or leave it empty for invoices"),
        ));
    }
    if let Some(sales) = &c.sales {
        sales_rules(sales, c, documents, &mut errors);
    }
    for (key, section) in [("payments", &c.payments), ("newPayments", &c.new_payments)] {
        if let Some(p) = section {
            let synced = p.sync_payments == Some(true);
            accounts_rules(
                p.accounts.as_ref(),
                synced,
                &["configuration", key],
                &mut errors,
            );
        }
    }
    if c.sync_payments() && !c.sync_sales() {
        errors.push(ConfigError::new(
            "/configuration/payments/syncPayments",
            codes::PAYMENTS_WITHOUT_SALES,
            "Sales must be synced for payments to be synced",
        ));
    }
    distinct_accounts_rules(c, &mut errors);
    if let Some(fees) = &c.fees {
        fees_rules(fees, c, documents, &mut errors);
    }
    errors
}

/// The typed schedule, or every problem with the `schedule` object.
pub fn typed_schedule(doc: &ConfigDocument) -> Result<Schedule, Vec<ConfigError>> {
    let mut errors = Vec::new();
    let default = ScheduleSettings::default();
    let s = doc.schedule.as_ref().unwrap_or(&default);
    let frequency = match s.selected_frequency.as_deref() {
        None => {
            errors.push(ConfigError::new(
                "/schedule/selectedFrequency",
                codes::FREQUENCY_MISSING,
                "Choose how often to sync: a schedule frequency is required",
            ));
            None
        }
        Some(f) => {
            let offered = s
                .frequency_options
                .as_ref()
                .is_none_or(|o| o.iter().any(|x| x == f));
            let parsed = Frequency::parse(f).filter(|_| offered);
            if parsed.is_none() {
                errors.push(not_offered("/schedule/selectedFrequency", "Frequency", f));
            }
            parsed
        }
    };
    let start = match s.start_date.as_deref() {
        None => {
            errors.push(ConfigError::new(
                "/schedule/startDate",
                codes::START_DATE_MISSING,
                "Choose the date the first sync starts from",
            ));
            None
        }
        Some(text) => {
            let date = parse_start_date(text);
            match date.map(crate::period::check_date) {
                None => errors.push(ConfigError::new(
                    "/schedule/startDate",
                    codes::START_DATE_INVALID,
                    format!("Start date {text:?} is not a date such as 2024-05-01 or 2024-05-01T00:00:00Z"),
                )),
                Some(Err(e)) => errors.push(ConfigError::new(
                    "/schedule/startDate",
                    codes::DATE_OUT_OF_RANGE,
                    format!("Start date: {e}"),
                )),
                Some(Ok(_)) => {}
            }
            date
        }
    };
    let hour = s.sync_hour.unwrap_or(0);
    if !(0..=23).contains(&hour) {
        errors.push(ConfigError::new(
            "/schedule/syncHour",
            codes::SYNC_HOUR_OUT_OF_RANGE,
            format!("Sync hour must be a whole hour from 0 to 23; got {hour}"),
        ));
    }
    let zone = s.time_zone.as_deref();
    if let Some(name) = zone.filter(|z| jiff::tz::TimeZone::get(z).is_err()) {
        errors.push(ConfigError::new(
            "/schedule/timeZone",
            codes::TIME_ZONE_UNKNOWN,
            format!("Time zone {name:?} is unknown; use an IANA name such as Europe/London"),
        ));
    }
    if let (true, Some(start), Some(frequency)) = (errors.is_empty(), start, frequency) {
        return Schedule::new(start, hour, zone, frequency).map_err(|e| {
            vec![ConfigError::new(
                "/schedule",
                codes::INVALID_TYPE,
                e.to_string(),
            )]
        });
    }
    Err(errors)
}

/// `startDate` names a calendar day, read as written (the time and offset, if any, are checked
/// but not used: the time zone of the schedule applies, and the day starts at `syncHour`).
pub fn parse_start_date(text: &str) -> Option<Date> {
    let well_formed = text.parse::<Timestamp>().is_ok()
        || text.parse::<DateTime>().is_ok()
        || text.parse::<Date>().is_ok();
    well_formed.then(|| text.get(..10)?.parse::<Date>().ok())?
}

fn sales_rules(sales: &Sales, c: &Configuration, documents: bool, errors: &mut Vec<ConfigError>) {
    let synced = sales.sync_sales == Some(true);
    accounts_rules(
        sales.accounts.as_ref(),
        synced,
        &["configuration", "sales"],
        errors,
    );

    let status = sales.invoice_status.as_ref();
    let at = "/configuration/sales/invoiceStatus/selectedInvoiceStatus";
    match status.and_then(|s| s.selected_invoice_status.as_deref()) {
        None if synced && documents => errors.push(ConfigError::new(
            at,
            codes::INVOICE_STATUS_MISSING,
            "Choose the status of the sales invoices: Submitted or Draft",
        )),
        None => {}
        Some(selected) => {
            if !INVOICE_STATUSES.contains(&selected) {
                errors.push(ConfigError::new(
                    at,
                    codes::INVOICE_STATUS_INVALID,
                    format!("Invoice status must be Submitted or Draft; got {selected:?}"),
                ));
            } else if !status
                .and_then(|s| s.invoice_status_options.as_ref())
                .is_none_or(|o| o.iter().any(|x| x == selected))
            {
                errors.push(not_offered(at, "Invoice status", selected));
            }
            if selected == "Draft" && c.sync_payments() && documents {
                errors.push(ConfigError::new(
                    at,
                    codes::PAYMENTS_WITH_DRAFT_INVOICES,
                    "Payments can only be recorded against Submitted invoices: choose Submitted, or stop syncing payments",
                ));
            }
        }
    }

    let customer = sales.sales_customer.as_ref();
    let at = "/configuration/sales/salesCustomer/selectedCustomerId";
    match customer.and_then(|c| c.selected_customer_id.as_deref()) {
        None if synced && documents => errors.push(ConfigError::new(
            at,
            codes::CUSTOMER_MISSING,
            "Choose the customer the daily sales invoices are raised to",
        )),
        None => {}
        Some(id) if !has_id(customer.and_then(|c| c.customer_options.as_ref()), id) => {
            errors.push(ConfigError::new(
                at,
                codes::CUSTOMER_NOT_IN_OPTIONS,
                format!(
                    "Sales customer {id:?} is not one of the customers offered; {ONLY_OPTIONS}"
                ),
            ))
        }
        Some(_) => {}
    }

    for (key, rate) in sales.tax_rates.iter().flat_map(KeyedMap::iter) {
        let at = pointer([
            "configuration",
            "sales",
            "taxRates",
            key,
            "selectedTaxRateId",
        ]);
        let options = rate.tax_rate_options.as_ref().filter(|o| !o.is_empty());
        match (rate.selected_tax_rate_id.as_deref(), options) {
            (None, _) if synced => errors.push(ConfigError::new(
                at,
                codes::TAX_RATE_MISSING,
                format!("Choose the accounting tax rate for {key}% sales"),
            )),
            (None, _) => {}
            (Some(_), None) => errors.push(ConfigError::new(
                at,
                codes::TAX_RATE_NO_OPTIONS,
                format!("Selected tax rate id for `{key}%` tax-rate has no options"),
            )),
            (Some(id), options) if !has_id(options, id) => errors.push(ConfigError::new(
                at,
                codes::TAX_RATE_NOT_IN_OPTIONS,
                format!("Tax rate {id:?} chosen for {key}% is not one of the tax rates offered; {ONLY_OPTIONS}"),
            )),
            (Some(_), _) => {}
        }
    }
    if let Some(new) = &sales.new_tax_rates {
        new_tax_rate_rules(new, errors);
    }
    if let Some(grouping) = &sales.grouping {
        grouping_rules(grouping, errors);
    }
    let period = sales
        .grouping
        .as_ref()
        .and_then(|g| g.grouping_period.as_ref());
    if synced
        && period
            .and_then(|p| p.selected_grouping_period.as_ref())
            .is_none()
    {
        errors.push(ConfigError::new(
            "/configuration/sales/grouping/groupingPeriod/selectedGroupingPeriod",
            codes::GROUPING_MISSING,
            "Make sure to configure the grouping for all the features",
        ));
    }
}

fn new_tax_rate_rules(new: &NewTaxRates, errors: &mut Vec<ConfigError>) {
    let base = ["configuration", "sales", "newTaxRates"];
    for (i, mapping) in new.tax_rate_mappings.iter().flatten().enumerate() {
        let at = child(&pointer(base), "taxRateMappings");
        let at = child(&at, &i.to_string());
        if let Some(id) = mapping.selected_accounting_tax_rate_id.as_deref()
            && !has_id(new.accounting_tax_rate_options.as_ref(), id)
        {
            errors.push(ConfigError::new(
                child(&at, "selectedAccountingTaxRateId"),
                codes::TAX_RATE_NOT_IN_OPTIONS,
                format!(
                    "Tax rate {id:?} is not one of the accounting tax rates offered; {ONLY_OPTIONS}"
                ),
            ));
        }
        for (j, id) in mapping
            .selected_commerce_tax_rate_ids
            .iter()
            .flatten()
            .enumerate()
        {
            if !has_id(new.commerce_tax_rate_options.as_ref(), id) {
                let at = child(&child(&at, "selectedCommerceTaxRateIds"), &j.to_string());
                errors.push(not_offered(&at, "Commerce tax component", id));
            }
        }
    }
    if let Some(id) = new.selected_default_zero_tax_rate_id.as_deref()
        && !has_id(new.default_zero_tax_rate_options.as_ref(), id)
    {
        errors.push(ConfigError::new(
            child(&pointer(base), "selectedDefaultZeroTaxRateId"),
            codes::TAX_RATE_NOT_IN_OPTIONS,
            format!("Zero tax rate {id:?} is not one of the tax rates offered; {ONLY_OPTIONS}"),
        ));
    }
}

fn grouping_rules(grouping: &Grouping, errors: &mut Vec<ConfigError>) {
    let base = "/configuration/sales/grouping";
    if let Some(p) = &grouping.grouping_period
        && let Some(selected) = p.selected_grouping_period.as_deref()
        && !offered(p.grouping_period_options.as_ref(), selected)
    {
        let at = format!("{base}/groupingPeriod/selectedGroupingPeriod");
        errors.push(not_offered(&at, "Grouping period", selected));
    }
    let levels = grouping.grouping_levels.as_ref();
    let levels = [
        (
            "invoiceLevel",
            levels.and_then(|l| l.invoice_level.as_ref()),
        ),
        (
            "invoiceLineLevel",
            levels.and_then(|l| l.invoice_line_level.as_ref()),
        ),
    ];
    for (name, level) in levels {
        let Some(level) = level else { continue };
        for (i, selected) in level.selected_group_by_options.iter().flatten().enumerate() {
            if !offered(level.group_by_options.as_ref(), selected) {
                let at = format!("{base}/groupingLevels/{name}/selectedGroupByOptions/{i}");
                errors.push(not_offered(&at, "Grouping", selected));
            }
        }
    }
}

fn accounts_rules(
    accounts: Option<&KeyedMap<ConfigAccount>>,
    synced: bool,
    section: &[&str],
    errors: &mut Vec<ConfigError>,
) {
    for (key, account) in accounts.iter().flat_map(|a| a.iter()) {
        let segments = section
            .iter()
            .copied()
            .chain(["accounts", key, "selectedAccountId"]);
        let at = pointer(segments);
        let label = account.label_text.as_deref().unwrap_or(key);
        match account.selected_account_id.as_deref() {
            None if synced && account.required == Some(true) => errors.push(ConfigError::new(
                at,
                codes::ACCOUNT_REQUIRED,
                format!("Choose an account for {label}: it is required"),
            )),
            None => {}
            Some(id) => {
                let ids = account
                    .account_options
                    .iter()
                    .flatten()
                    .map(|o| o.id.as_str());
                if !ids.clone().any(|x| x == id) {
                    errors.push(ConfigError::new(
                        at,
                        codes::ACCOUNT_NOT_IN_OPTIONS,
                        format!("Account {id:?} chosen for {label} is not one of the accounts offered; {ONLY_OPTIONS}"),
                    ));
                }
            }
        }
    }
}

fn distinct_accounts_rules(c: &Configuration, errors: &mut Vec<ConfigError>) {
    let prepaid = c.sales_account("prepaid");
    let prepaid_payment = c.payments_account("prepaidPayment");
    if prepaid.is_some() && prepaid == prepaid_payment {
        errors.push(ConfigError::new(
            "/configuration/payments/accounts/prepaidPayment/selectedAccountId",
            codes::PREPAID_SAME_AS_PREPAID_PAYMENT,
            "The prepaid account (sales) must be different from the prepaid payment account (payments)",
        ));
    }
    let card = c.payments_account("card");
    if card.is_some() && card == c.payments_account("payout") {
        errors.push(ConfigError::new(
            "/configuration/payments/accounts/payout/selectedAccountId",
            codes::CARD_SAME_AS_PAYOUT,
            "The card account must be different from the payout account",
        ));
    }
}

fn fees_rules(fees: &Fees, c: &Configuration, documents: bool, errors: &mut Vec<ConfigError>) {
    let synced = fees.sync_fees == Some(true);
    accounts_rules(
        fees.accounts.as_ref(),
        synced,
        &["configuration", "fees"],
        errors,
    );
    if synced && !c.sync_payments() {
        errors.push(ConfigError::new(
            "/configuration/payments",
            codes::FEES_WITHOUT_PAYMENTS,
            "To sync fees: Payments section needs to exist",
        ));
    } else if synced {
        let accounts = c.payments.as_ref().and_then(|p| p.accounts.as_ref());
        if !accounts.is_some_and(|a| a.iter().any(|(_, x)| x.selected_account_id.is_some())) {
            errors.push(ConfigError::new(
                "/configuration/payments/accounts",
                codes::FEES_WITHOUT_PAYMENT_ACCOUNT,
                "To sync fees: account id needs to be set",
            ));
        }
    }
    let supplier = fees.fees_supplier.as_ref();
    let at = "/configuration/fees/feesSupplier/selectedSupplierId";
    match supplier.and_then(|s| s.selected_supplier_id.as_deref()) {
        None if synced && documents => errors.push(ConfigError::new(
            at,
            codes::SUPPLIER_MISSING,
            "Choose the supplier the daily fee bills are raised to",
        )),
        None => {}
        Some(id) if !has_id(supplier.and_then(|s| s.supplier_options.as_ref()), id) => {
            errors.push(ConfigError::new(
                at,
                codes::SUPPLIER_NOT_IN_OPTIONS,
                format!("Fees supplier {id:?} is not one of the suppliers offered; {ONLY_OPTIONS}"),
            ))
        }
        Some(_) => {}
    }
}

fn offered(options: Option<&Vec<String>>, selected: &str) -> bool {
    options.is_some_and(|o| o.iter().any(|x| x == selected))
}

fn has_id(options: Option<&Vec<ConfigOption>>, id: &str) -> bool {
    options.is_some_and(|o| o.iter().any(|x| x.id == id))
}

fn not_offered(at: &str, what: &str, selected: &str) -> ConfigError {
    ConfigError::new(
        at,
        codes::OPTION_NOT_PROVIDED,
        format!("{what} {selected:?} is not one of the options offered; {ONLY_OPTIONS}"),
    )
}

#[cfg(test)]
#[path = "validation_tests.rs"]
mod tests;

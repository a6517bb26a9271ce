//! One configuration problem, named: where it is (a JSON pointer into the current shape), a
//! stable code for programs, and a message for the merchant.

use serde::Serialize;

/// A problem with the configuration document (sync status 4000 when found at run time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} (at {pointer:?}, {code})")]
pub struct ConfigError {
    /// RFC 6901 pointer into the current shape; `""` is the whole document.
    pub pointer: String,
    /// Stable, from [`codes`].
    pub code: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(pointer: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            code,
            message: message.into(),
        }
    }
}

/// Builds a JSON pointer from path segments, escaping `~` and `/` as RFC 6901 says.
pub fn pointer<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    segments
        .into_iter()
        .fold(String::new(), |mut out, segment| {
            out.push('/');
            out.push_str(&segment.replace('~', "~0").replace('/', "~1"));
            out
        })
}

/// Appends one segment to an existing pointer.
pub fn child(parent: &str, segment: &str) -> String {
    format!("{parent}{}", pointer([segment]))
}

/// The stable error codes.
pub mod codes {
    // Shape
    pub const NOT_AN_OBJECT: &str = "document.not_an_object";
    pub const INVALID_TYPE: &str = "document.invalid_type";
    // Connections
    pub const CONNECTIONS_COUNT: &str = "connections.count";
    pub const CONNECTION_NOT_LINKED: &str = "connections.not_linked";
    // Schedule
    pub const FREQUENCY_MISSING: &str = "schedule.frequency_missing";
    pub const SYNC_HOUR_OUT_OF_RANGE: &str = "schedule.sync_hour_out_of_range";
    pub const TIME_ZONE_UNKNOWN: &str = "schedule.time_zone_unknown";
    pub const START_DATE_MISSING: &str = "schedule.start_date_missing";
    pub const START_DATE_INVALID: &str = "schedule.start_date_invalid";
    /// A date outside `period::EARLIEST_DATE..=period::LATEST_DATE`.
    pub const DATE_OUT_OF_RANGE: &str = "date.out_of_range";
    pub const START_DATE_BACKDATED: &str = "schedule.start_date_backdated";
    // Options: "only use the options provided by Codat"
    pub const OPTION_NOT_PROVIDED: &str = "option.not_provided";
    pub const OUTPUT_FORMAT_INVALID: &str = "map_settings.output_format_invalid";
    pub const OUTPUT_FORMAT_LOCKED: &str = "map_settings.output_format_locked";
    // Sales
    pub const CUSTOMER_MISSING: &str = "sales.customer_missing";
    pub const CUSTOMER_NOT_IN_OPTIONS: &str = "sales.customer_not_in_options";
    pub const GROUPING_MISSING: &str = "sales.grouping_missing";
    pub const INVOICE_STATUS_MISSING: &str = "sales.invoice_status_missing";
    pub const INVOICE_STATUS_INVALID: &str = "sales.invoice_status_invalid";
    pub const TAX_RATE_MISSING: &str = "tax_rate.missing";
    pub const TAX_RATE_NO_OPTIONS: &str = "tax_rate.no_options";
    pub const TAX_RATE_NOT_IN_OPTIONS: &str = "tax_rate.not_in_options";
    pub const TAX_RATE_KEY_INVALID: &str = "tax_rate.key_invalid";
    pub const TAX_COMPONENT_MAPPED_TWICE: &str = "tax_rate.component_mapped_twice";
    // Resolving the document into the engine's settings
    pub const SALES_NOT_SYNCED: &str = "sales.not_synced";
    // Accounts
    pub const ACCOUNT_REQUIRED: &str = "account.required";
    pub const ACCOUNT_NOT_IN_OPTIONS: &str = "account.not_in_options";
    pub const PREPAID_SAME_AS_PREPAID_PAYMENT: &str = "account.prepaid_same_as_prepaid_payment";
    pub const CARD_SAME_AS_PAYOUT: &str = "account.card_same_as_payout";
    // Payments
    pub const PAYMENTS_WITHOUT_SALES: &str = "payments.sales_not_synced";
    pub const PAYMENTS_WITH_DRAFT_INVOICES: &str = "payments.draft_invoices";
    pub const PAYMENT_TYPE_UNMAPPED: &str = "payments.type_unmapped";
    // Fees
    pub const FEES_WITHOUT_PAYMENTS: &str = "fees.payments_missing";
    pub const FEES_WITHOUT_PAYMENT_ACCOUNT: &str = "fees.payment_account_missing";
    pub const SUPPLIER_MISSING: &str = "fees.supplier_missing";
    pub const SUPPLIER_NOT_IN_OPTIONS: &str = "fees.supplier_not_in_options";
    // Run-time checks against the accounting platform's reference data
    pub const ACCOUNT_NOT_FOUND: &str = "reference.account_not_found";
    pub const ACCOUNT_INACTIVE: &str = "reference.account_inactive";
    pub const CUSTOMER_NOT_FOUND: &str = "reference.customer_not_found";
    pub const CUSTOMER_INACTIVE: &str = "reference.customer_inactive";
    pub const SUPPLIER_NOT_FOUND: &str = "reference.supplier_not_found";
    pub const SUPPLIER_INACTIVE: &str = "reference.supplier_inactive";
    pub const TAX_RATE_NOT_FOUND: &str = "reference.tax_rate_not_found";
    pub const TAX_RATE_INACTIVE: &str = "reference.tax_rate_inactive";
    // What the accounting platform would refuse later
    pub const TAX_COMPUTED_BY_PLATFORM: &str = "books.tax_computed_by_platform";
    pub const JOURNALS_ONLY: &str = "books.journals_only";
    pub const ACCOUNT_CANNOT_PAY_BILLS: &str = "books.account_cannot_pay_bills";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(
            pointer(["sales", "accounts", "a/b~c"]),
            "/sales/accounts/a~1b~0c"
        );
        assert_eq!(child("/x", "y"), "/x/y");
        assert_eq!(pointer([]), "");
    }
}

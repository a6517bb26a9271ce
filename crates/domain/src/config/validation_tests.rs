use super::*;
use crate::config::shapes::parse_document;
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("testdata/example.json");

fn example() -> Value {
    serde_json::from_str(EXAMPLE).unwrap()
}

fn doc(v: &Value) -> ConfigDocument {
    parse_document(v).unwrap().document
}

/// Validates the example after `edit`, as (code, pointer) pairs.
fn errors_after(edit: impl FnOnce(&mut Value)) -> Vec<(&'static str, String)> {
    let mut v = example();
    edit(&mut v);
    validate(&doc(&v))
        .into_iter()
        .map(|e| (e.code, e.pointer))
        .collect()
}

fn has(errors: &[(&'static str, String)], code: &str, pointer: &str) -> bool {
    errors.iter().any(|(c, p)| *c == code && p == pointer)
}

#[track_caller]
fn assert_only(errors: Vec<(&'static str, String)>, code: &str, pointer: &str) {
    assert_eq!(
        errors,
        vec![(code, pointer.to_owned())] as Vec<(&str, String)>
    );
}

fn documents_mode(v: &mut Value) {
    v["configuration"]
        .as_object_mut()
        .unwrap()
        .shift_remove("mapSettings");
}

const SALES: &str = "/configuration/sales";

#[test]
fn the_example_document_is_valid() {
    assert_eq!(errors_after(|_| {}), vec![]);
}

#[test]
fn fees_need_the_payments_section() {
    let errors = validate(&doc(&{
        let mut v = example();
        v["configuration"]
            .as_object_mut()
            .unwrap()
            .shift_remove("payments");
        v
    }));
    let e = errors
        .iter()
        .find(|e| e.code == codes::FEES_WITHOUT_PAYMENTS)
        .unwrap();
    assert_eq!(e.pointer, "/configuration/payments");
    assert_eq!(e.message, "To sync fees: Payments section needs to exist");
    let off = errors_after(|v| v["configuration"]["payments"]["syncPayments"] = json!(false));
    assert!(has(
        &off,
        codes::FEES_WITHOUT_PAYMENTS,
        "/configuration/payments"
    ));
}

#[test]
fn fees_need_a_payments_account_id() {
    let errors = validate(&doc(&{
        let mut v = example();
        for key in ["card", "cash", "payout"] {
            v["configuration"]["payments"]["accounts"][key]["selectedAccountId"] = Value::Null;
        }
        v["configuration"]["payments"]["accounts"]["card"]["required"] = json!(false);
        v
    }));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, codes::FEES_WITHOUT_PAYMENT_ACCOUNT);
    assert_eq!(errors[0].pointer, "/configuration/payments/accounts");
    assert_eq!(
        errors[0].message,
        "To sync fees: account id needs to be set"
    );
}

#[test]
fn prepaid_account_must_differ_from_prepaid_payment_account() {
    let errors = errors_after(|v| {
        v["configuration"]["payments"]["accounts"]["prepaidPayment"] = json!({
            "selectedAccountId": "a1-835",
            "accountOptions": [{"id": "a1-835"}]
        });
    });
    assert_only(
        errors,
        codes::PREPAID_SAME_AS_PREPAID_PAYMENT,
        "/configuration/payments/accounts/prepaidPayment/selectedAccountId",
    );
}

#[test]
fn card_account_must_differ_from_payout_account() {
    let errors = errors_after(|v| {
        v["configuration"]["payments"]["accounts"]["payout"]["selectedAccountId"] = json!("b1-090")
    });
    assert_only(
        errors,
        codes::CARD_SAME_AS_PAYOUT,
        "/configuration/payments/accounts/payout/selectedAccountId",
    );
}

#[test]
fn sales_customer_must_be_set_and_offered() {
    let at = "/configuration/sales/salesCustomer/selectedCustomerId";
    let missing = errors_after(|v| {
        documents_mode(v);
        v["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = Value::Null;
    });
    assert_only(missing, codes::CUSTOMER_MISSING, at);
    let unknown = errors_after(|v| {
        v["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = json!("c-999")
    });
    assert_only(unknown, codes::CUSTOMER_NOT_IN_OPTIONS, at);
}

#[test]
fn every_selected_account_must_be_offered() {
    let errors = errors_after(|v| {
        v["configuration"]["sales"]["accounts"]["gratuity"]["selectedAccountId"] = json!("zz");
        v["configuration"]["fees"]["accounts"]["paymentFee"]["selectedAccountId"] = json!("b1-090");
    });
    assert_eq!(errors.len(), 2);
    assert!(has(
        &errors,
        codes::ACCOUNT_NOT_IN_OPTIONS,
        "/configuration/sales/accounts/gratuity/selectedAccountId"
    ));
    assert!(has(
        &errors,
        codes::ACCOUNT_NOT_IN_OPTIONS,
        "/configuration/fees/accounts/paymentFee/selectedAccountId"
    ));
}

#[test]
fn required_accounts_must_be_selected_when_synced() {
    let at = "/configuration/payments/accounts/card/selectedAccountId";
    let errors = errors_after(|v| {
        v["configuration"]["payments"]["accounts"]["card"]["selectedAccountId"] = Value::Null
    });
    assert_only(errors, codes::ACCOUNT_REQUIRED, at);
    let not_synced = errors_after(|v| {
        v["configuration"]["sales"]["accounts"]["sales"]["selectedAccountId"] = Value::Null;
        v["configuration"]["sales"]["syncSales"] = json!(false);
        v["configuration"]["payments"]["syncPayments"] = json!(false);
        v["configuration"]["fees"]["syncFees"] = json!(false);
    });
    assert_eq!(not_synced, vec![]);
}

#[test]
fn selected_tax_rate_needs_options_and_must_be_among_them() {
    let at = "/configuration/sales/taxRates/5/selectedTaxRateId";
    let v = {
        let mut v = example();
        v["configuration"]["sales"]["taxRates"]["5"]["taxRateOptions"] = json!([]);
        v
    };
    let errors = validate(&doc(&v));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].code, errors[0].pointer.as_str()),
        (codes::TAX_RATE_NO_OPTIONS, at)
    );
    assert_eq!(
        errors[0].message,
        "Selected tax rate id for `5%` tax-rate has no options"
    );
    let wrong = errors_after(|v| {
        v["configuration"]["sales"]["taxRates"]["5"]["selectedTaxRateId"] = json!("X")
    });
    assert_only(wrong, codes::TAX_RATE_NOT_IN_OPTIONS, at);
    let missing = errors_after(|v| {
        v["configuration"]["sales"]["taxRates"]["5"]["selectedTaxRateId"] = Value::Null
    });
    assert_only(missing, codes::TAX_RATE_MISSING, at);
}

#[test]
fn component_tax_mappings_must_use_offered_ids() {
    let errors = errors_after(|v| {
        let n = &mut v["configuration"]["sales"]["newTaxRates"];
        n["taxRateMappings"][1]["selectedAccountingTaxRateId"] = json!("NOPE");
        n["taxRateMappings"][0]["selectedCommerceTaxRateIds"] = json!(["tc-vat20", "tc-x"]);
        n["selectedDefaultZeroTaxRateId"] = json!("OUTPUT2");
    });
    let base = "/configuration/sales/newTaxRates";
    assert_eq!(errors.len(), 3);
    assert!(has(
        &errors,
        codes::TAX_RATE_NOT_IN_OPTIONS,
        &format!("{base}/taxRateMappings/1/selectedAccountingTaxRateId")
    ));
    assert!(has(
        &errors,
        codes::OPTION_NOT_PROVIDED,
        &format!("{base}/taxRateMappings/0/selectedCommerceTaxRateIds/1")
    ));
    assert!(has(
        &errors,
        codes::TAX_RATE_NOT_IN_OPTIONS,
        &format!("{base}/selectedDefaultZeroTaxRateId")
    ));
}

#[test]
fn fees_supplier_must_be_set_and_offered() {
    let at = "/configuration/fees/feesSupplier/selectedSupplierId";
    let missing = errors_after(|v| {
        documents_mode(v);
        v["configuration"]["fees"]["feesSupplier"]["selectedSupplierId"] = Value::Null;
    });
    assert_only(missing, codes::SUPPLIER_MISSING, at);
    let unknown = errors_after(|v| {
        v["configuration"]["fees"]["feesSupplier"]["selectedSupplierId"] = json!("s-x")
    });
    assert_only(unknown, codes::SUPPLIER_NOT_IN_OPTIONS, at);
}

#[test]
fn grouping_must_be_configured_and_offered() {
    let at = format!("{SALES}/grouping/groupingPeriod/selectedGroupingPeriod");
    let v = {
        let mut v = example();
        v["configuration"]["sales"]
            .as_object_mut()
            .unwrap()
            .shift_remove("grouping");
        v
    };
    let errors = validate(&doc(&v));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].code, errors[0].pointer.as_str()),
        (codes::GROUPING_MISSING, at.as_str())
    );
    assert_eq!(
        errors[0].message,
        "Make sure to configure the grouping for all the features"
    );
    let weekly = errors_after(|v| {
        v["configuration"]["sales"]["grouping"]["groupingPeriod"]["selectedGroupingPeriod"] =
            json!("Weekly")
    });
    assert_only(weekly, codes::OPTION_NOT_PROVIDED, &at);
    let level = errors_after(|v| {
        v["configuration"]["sales"]["grouping"]["groupingLevels"]["invoiceLevel"]["selectedGroupByOptions"] =
            json!(["Location"])
    });
    assert_only(
        level,
        codes::OPTION_NOT_PROVIDED,
        &format!("{SALES}/grouping/groupingLevels/invoiceLevel/selectedGroupByOptions/0"),
    );
}

#[test]
fn invoice_status_must_be_submitted_or_draft_and_offered() {
    let at = format!("{SALES}/invoiceStatus/selectedInvoiceStatus");
    let paid = errors_after(|v| {
        v["configuration"]["sales"]["invoiceStatus"]["selectedInvoiceStatus"] = json!("Paid")
    });
    assert_only(paid, codes::INVOICE_STATUS_INVALID, &at);
    let missing = errors_after(|v| {
        v["configuration"]["mapSettings"] = json!({});
        v["configuration"]["sales"]["invoiceStatus"]["selectedInvoiceStatus"] = Value::Null;
    });
    assert_only(missing, codes::INVOICE_STATUS_MISSING, &at);
    let not_offered = errors_after(|v| {
        v["configuration"]["payments"]["syncPayments"] = json!(false);
        v["configuration"]["fees"]["syncFees"] = json!(false);
        v["configuration"]["sales"]["invoiceStatus"] =
            json!({"selectedInvoiceStatus": "Draft", "invoiceStatusOptions": ["Submitted"]});
    });
    assert_only(not_offered, codes::OPTION_NOT_PROVIDED, &at);
}

#[test]
fn payments_need_submitted_invoices_in_documents_mode() {
    let at = format!("{SALES}/invoiceStatus/selectedInvoiceStatus");
    let draft = |v: &mut Value| {
        v["configuration"]["sales"]["invoiceStatus"]["selectedInvoiceStatus"] = json!("Draft")
    };
    let documents = errors_after(|v| {
        draft(v);
        v["configuration"]
            .as_object_mut()
            .unwrap()
            .shift_remove("mapSettings");
    });
    assert_only(documents, codes::PAYMENTS_WITH_DRAFT_INVOICES, &at);
    assert_eq!(
        errors_after(draft),
        vec![],
        "journal mode writes no invoices"
    );
}

#[test]
fn payments_need_sales() {
    let errors = errors_after(|v| v["configuration"]["sales"]["syncSales"] = json!(false));
    assert_only(
        errors,
        codes::PAYMENTS_WITHOUT_SALES,
        "/configuration/payments/syncPayments",
    );
}

#[test]
fn output_format_must_be_journal_entry_or_absent() {
    let errors =
        errors_after(|v| v["configuration"]["mapSettings"]["outputFormat"] = json!("Invoice"));
    assert_only(
        errors,
        codes::OUTPUT_FORMAT_INVALID,
        "/configuration/mapSettings/outputFormat",
    );
}

#[test]
fn schedule_needs_a_frequency_among_the_options() {
    let missing = errors_after(|v| v["schedule"]["selectedFrequency"] = Value::Null);
    assert_only(
        missing,
        codes::FREQUENCY_MISSING,
        "/schedule/selectedFrequency",
    );
    let no_schedule = errors_after(|v| {
        v.as_object_mut().unwrap().shift_remove("schedule");
    });
    assert!(has(
        &no_schedule,
        codes::FREQUENCY_MISSING,
        "/schedule/selectedFrequency"
    ));
    assert!(has(
        &no_schedule,
        codes::START_DATE_MISSING,
        "/schedule/startDate"
    ));
    let weekly = errors_after(|v| v["schedule"]["selectedFrequency"] = json!("Weekly"));
    assert_only(
        weekly,
        codes::OPTION_NOT_PROVIDED,
        "/schedule/selectedFrequency",
    );
    let not_offered = errors_after(|v| {
        v["schedule"]["selectedFrequency"] = json!("Monthly");
        v["schedule"]["frequencyOptions"] = json!(["Daily"]);
    });
    assert_only(
        not_offered,
        codes::OPTION_NOT_PROVIDED,
        "/schedule/selectedFrequency",
    );
}

#[test]
fn schedule_hour_zone_and_start_date_are_checked_together() {
    let errors = errors_after(|v| {
        v["schedule"]["syncHour"] = json!(24);
        v["schedule"]["timeZone"] = json!("Europe/Londres");
        v["schedule"]["startDate"] = json!("01/05/2024");
    });
    assert_eq!(errors.len(), 3);
    assert!(has(
        &errors,
        codes::START_DATE_INVALID,
        "/schedule/startDate"
    ));
    assert!(has(
        &errors,
        codes::SYNC_HOUR_OUT_OF_RANGE,
        "/schedule/syncHour"
    ));
    let zone = errors_after(|v| v["schedule"]["timeZone"] = json!("Europe/Londres"));
    assert_only(zone, codes::TIME_ZONE_UNKNOWN, "/schedule/timeZone");
}

#[test]
fn start_dates_outside_the_supported_range_are_named() {
    for far in ["9999-12-31", "2101-01-01", "1999-12-31T23:00:00Z"] {
        let errors = errors_after(|v| {
            v["schedule"]["startDate"] = json!(far);
            v["schedule"]["timeZone"] = json!("America/Los_Angeles");
        });
        assert_only(errors, codes::DATE_OUT_OF_RANGE, "/schedule/startDate");
    }
}

#[test]
fn typed_schedule_reads_the_example() {
    let s = typed_schedule(&doc(&example())).unwrap();
    assert_eq!(s.start_date(), jiff::civil::date(2024, 5, 1));
    assert_eq!(s.first_start(), "2024-04-30T23:00:00Z".parse().unwrap());
    assert_eq!(s.frequency(), Frequency::Daily);
}

#[test]
fn start_dates_are_calendar_days_as_written() {
    let d = jiff::civil::date(2024, 5, 1);
    for ok in [
        "2024-05-01",
        "2024-05-01T00:00:00Z",
        "2024-05-01T23:30:00-05:00",
        "2024-05-01T08:00:00",
    ] {
        assert_eq!(parse_start_date(ok), Some(d), "{ok}");
    }
    for bad in ["2024-5-1", "tomorrow", "2024-02-30", ""] {
        assert_eq!(parse_start_date(bad), None, "{bad}");
    }
}

#[test]
fn all_failures_are_reported_not_just_the_first() {
    let errors = errors_after(|v| {
        v["schedule"]["syncHour"] = json!(-1);
        documents_mode(v);
        v["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = Value::Null;
        v["configuration"]["fees"]["feesSupplier"]["selectedSupplierId"] = Value::Null;
        v["configuration"]["payments"]["accounts"]["payout"]["selectedAccountId"] = json!("b1-090");
    });
    let codes: Vec<_> = errors.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        codes,
        [
            codes::SYNC_HOUR_OUT_OF_RANGE,
            codes::CUSTOMER_MISSING,
            codes::CARD_SAME_AS_PAYOUT,
            codes::SUPPLIER_MISSING
        ]
    );
}

#[test]
fn journal_mode_needs_no_customer_supplier_or_invoice_status() {
    let errors = errors_after(|v| {
        v["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = Value::Null;
        v["configuration"]["fees"]["feesSupplier"]["selectedSupplierId"] = Value::Null;
        v["configuration"]["sales"]["invoiceStatus"]["selectedInvoiceStatus"] = Value::Null;
    });
    assert_eq!(errors, vec![]);
}

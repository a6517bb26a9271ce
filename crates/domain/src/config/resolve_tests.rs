use super::*;
use crate::config::document::{ConfigAccount, GroupByLevel, MapSettings};
use crate::config::shapes::parse_document;

const EXAMPLE: &str = include_str!("testdata/example.json");
const REFERENCE: &str = include_str!("testdata/reference.json");

fn example() -> ConfigDocument {
    parse_document(&serde_json::from_str(EXAMPLE).unwrap())
        .unwrap()
        .document
}

fn reference() -> ReferenceData {
    serde_json::from_str(REFERENCE).unwrap()
}

fn errors_of(doc: &ConfigDocument) -> Vec<(&'static str, String)> {
    let errors = MappingSettings::from_config(doc, &reference()).unwrap_err();
    errors.into_iter().map(|e| (e.code, e.pointer)).collect()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn the_example_document_resolves_every_choice() {
    let s = MappingSettings::from_config(&example(), &reference()).unwrap();
    assert_eq!(s.output, OutputMode::Journal);
    assert_eq!(s.sales_customer_id, "c-001");
    assert_eq!(s.invoice_status, InvoiceStatus::Submitted);
    assert_eq!(
        s.accounts,
        SalesAccounts {
            sales: "a1-200".into(),
            refund: "a1-200".into(),
            gratuity: Some("a1-836".into()),
            prepaid: Some("a1-835".into()),
            rounding: None,
        }
    );
    assert_eq!(s.tax.rate_for_percentage(d("20.00")), Some("OUTPUT2"));
    assert_eq!(s.tax.rate_for_percentage(d("5")), Some("REDUCED"));
    assert_eq!(s.tax.rate_for_percentage(d("17.5")), None);
    assert_eq!(s.tax.by_component["tc-vat20"], "OUTPUT2");
    assert_eq!(s.tax.default_zero_rate.as_deref(), Some("ZERORATEDOUTPUT"));
    assert_eq!(s.payment_account(PaymentType::Card), Some("b1-090"));
    assert_eq!(s.payment_account(PaymentType::Cash), Some("b1-091"));
    assert_eq!(s.payment_account(PaymentType::Invoice), None);
    assert_eq!(s.clearing_account, "b1-090");
    assert_eq!(s.payout_account.as_deref(), Some("b1-092"));
    assert!(s.sync_payments);
    let fees = s.fees.unwrap();
    assert_eq!(fees.supplier_id, "s-psp");
    assert_eq!(fees.payment_fee_account, "a1-404");
    assert!(!fees.fee_account_is_bank);
    // The example books have no 0 % rate for expenses: none is sent (the fee account's
    // default applies), never the income rate of the sales side.
    assert_eq!(fees.tax_rate_id, None);
    assert_eq!(s.grouping, Grouping::default());
}

#[test]
fn documents_mode_needs_a_customer_and_a_known_status() {
    let mut doc = example();
    doc.configuration.map_settings = None;
    let sales = doc.configuration.sales.as_mut().unwrap();
    sales.sales_customer.as_mut().unwrap().selected_customer_id = None;
    sales
        .invoice_status
        .as_mut()
        .unwrap()
        .selected_invoice_status = Some("Paid".into());
    assert_eq!(
        errors_of(&doc),
        [
            (
                codes::CUSTOMER_MISSING,
                "/configuration/sales/salesCustomer/selectedCustomerId".to_owned()
            ),
            (
                codes::INVOICE_STATUS_INVALID,
                "/configuration/sales/invoiceStatus/selectedInvoiceStatus".to_owned()
            ),
        ]
    );
    // Journal entries need neither.
    doc.configuration.map_settings = Some(MapSettings {
        output_format: Some("JournalEntry".into()),
    });
    let sales = doc.configuration.sales.as_mut().unwrap();
    sales.invoice_status = None;
    let s = MappingSettings::from_config(&doc, &reference()).unwrap();
    assert_eq!(s.sales_customer_id, "");
}

#[test]
fn ids_missing_or_archived_in_the_books_are_named() {
    let mut doc = example();
    let sales = doc.configuration.sales.as_mut().unwrap();
    let accounts = sales.accounts.as_mut().unwrap();
    accounts.get_mut("sales").unwrap().selected_account_id = Some("a1-999".into());
    accounts.get_mut("refund").unwrap().selected_account_id = Some("nope".into());
    assert_eq!(
        errors_of(&doc),
        [
            (
                codes::ACCOUNT_INACTIVE,
                "/configuration/sales/accounts/sales/selectedAccountId".to_owned()
            ),
            (
                codes::ACCOUNT_NOT_FOUND,
                "/configuration/sales/accounts/refund/selectedAccountId".to_owned()
            ),
        ]
    );
}

#[test]
fn unresolvable_choices_are_each_named() {
    let mut doc = example();
    let c = &mut doc.configuration;
    let sales = c.sales.as_mut().unwrap();
    sales.sync_sales = Some(false);
    sales
        .accounts
        .as_mut()
        .unwrap()
        .get_mut("refund")
        .unwrap()
        .selected_account_id = None;
    let rates = sales.tax_rates.as_mut().unwrap();
    let twenty = rates.get("20").unwrap().clone();
    rates.insert("twenty", twenty);
    let new = sales.new_tax_rates.as_mut().unwrap();
    let mappings = new.tax_rate_mappings.as_mut().unwrap();
    mappings[1].selected_commerce_tax_rate_ids = Some(vec!["tc-vat20".into()]);
    let levels = sales.grouping.as_mut().unwrap().grouping_levels.as_mut();
    levels.unwrap().invoice_level = Some(GroupByLevel {
        selected_group_by_options: Some(vec!["Location".into(), "Weekday".into()]),
        group_by_options: None,
    });
    let payments = c.payments.as_mut().unwrap().accounts.as_mut().unwrap();
    payments.get_mut("card").unwrap().selected_account_id = None;
    let fees = c.fees.as_mut().unwrap().accounts.as_mut().unwrap();
    fees.get_mut("paymentFee").unwrap().selected_account_id = None;
    let at = |s: &str| s.to_owned();
    assert_eq!(
        errors_of(&doc),
        [
            (
                codes::SALES_NOT_SYNCED,
                at("/configuration/sales/syncSales")
            ),
            (
                codes::ACCOUNT_REQUIRED,
                at("/configuration/sales/accounts/refund/selectedAccountId")
            ),
            (
                codes::TAX_RATE_KEY_INVALID,
                at("/configuration/sales/taxRates/twenty")
            ),
            (
                codes::TAX_COMPONENT_MAPPED_TWICE,
                at(
                    "/configuration/sales/newTaxRates/taxRateMappings/1/selectedCommerceTaxRateIds/0"
                )
            ),
            (
                codes::ACCOUNT_REQUIRED,
                at("/configuration/payments/accounts/card/selectedAccountId")
            ),
            (
                codes::ACCOUNT_REQUIRED,
                at("/configuration/fees/accounts/paymentFee/selectedAccountId")
            ),
            (
                codes::OPTION_NOT_PROVIDED,
                at(
                    "/configuration/sales/grouping/groupingLevels/invoiceLevel/selectedGroupByOptions/1"
                )
            ),
        ]
    );
}

#[test]
fn categories_grouping_bank_fees_and_journal_tax_liability() {
    let mut doc = example();
    let sales = doc.configuration.sales.as_mut().unwrap();
    let accounts = sales.accounts.as_mut().unwrap();
    let slot = |id: &str| ConfigAccount {
        selected_account_id: Some(id.into()),
        ..ConfigAccount::default()
    };
    accounts.insert("cat-coffee", slot("a1-260"));
    accounts.insert("sales-other", slot("a1-200"));
    accounts.insert("taxLiability", slot("a1-836"));
    let levels = sales.grouping.as_mut().unwrap().grouping_levels.as_mut();
    levels.unwrap().invoice_level = Some(GroupByLevel {
        selected_group_by_options: Some(vec!["Country".into()]),
        group_by_options: None,
    });
    let fees = doc.configuration.fees.as_mut().unwrap();
    let fee_accounts = fees.accounts.as_mut().unwrap();
    fee_accounts
        .get_mut("paymentFee")
        .unwrap()
        .selected_account_id = Some("b1-092".into());
    fee_accounts
        .get_mut("paymentFeeRefund")
        .unwrap()
        .selected_account_id = None;
    let s = MappingSettings::from_config(&doc, &reference()).unwrap();
    assert_eq!(s.categories.by_category.len(), 1);
    assert_eq!(s.categories.by_category["cat-coffee"], "a1-260");
    assert_eq!(s.categories.other_sales.as_deref(), Some("a1-200"));
    assert_eq!(s.tax.tax_liability_account.as_deref(), Some("a1-836"));
    assert!(s.grouping.by_country && !s.grouping.by_location);
    let fees = s.fees.unwrap();
    assert!(fees.fee_account_is_bank);
    assert_eq!(fees.payment_fee_refund_account, "b1-092");
}

#[test]
fn a_payment_type_without_a_payments_account_takes_its_new_payments_account() {
    let reference = reference();
    let mut doc = example();
    let mut new = crate::config::document::Payments {
        sync_payments: Some(true),
        accounts: Some(Default::default()),
    };
    new.accounts.as_mut().unwrap().insert(
        "paypal",
        crate::config::document::ConfigAccount {
            selected_account_id: Some("b1-091".into()),
            ..Default::default()
        },
    );
    doc.configuration.new_payments = Some(new);
    assert!(crate::config::check_payment_types(&doc, ["Paypal"]).is_empty());
    let s = MappingSettings::from_config(&doc, &reference).unwrap();
    assert!(
        s.payment_accounts
            .contains(&(PaymentType::Paypal, "b1-091".to_owned())),
        "{:?}",
        s.payment_accounts
    );
    // A `payments` slot wins over `newPayments`.
    assert_eq!(
        doc.configuration.payment_type_account("card"),
        Some("b1-090")
    );
}

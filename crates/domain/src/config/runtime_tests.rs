use super::*;
use crate::config::connections::validate_connections;
use crate::config::shapes::parse_document;
use crate::connection::{Connection, ConnectionStatus};
use crate::ids::{CompanyId, ConnectionId};
use crate::integration::PlatformKey;
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("testdata/example.json");
const REFERENCE: &str = include_str!("testdata/reference.json");

fn example_with(edit: impl FnOnce(&mut Value)) -> ConfigDocument {
    let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
    edit(&mut v);
    parse_document(&v).unwrap().document
}

fn reference() -> ReferenceData {
    serde_json::from_str(REFERENCE).unwrap()
}

fn found(errors: &[ConfigError]) -> Vec<(&str, &str)> {
    errors
        .iter()
        .map(|e| (e.code, e.pointer.as_str()))
        .collect()
}

#[test]
fn selections_list_every_choice_with_its_pointer() {
    let all = selections(&example_with(|_| {}));
    let count = |k| all.iter().filter(|s| s.kind == k).count();
    assert_eq!(count(SelectionKind::Account), 9);
    assert_eq!(count(SelectionKind::TaxRate), 6);
    assert_eq!(count(SelectionKind::Customer), 1);
    assert_eq!(count(SelectionKind::Supplier), 1);
    assert_eq!(
        all[0].pointer,
        "/configuration/sales/accounts/sales/selectedAccountId"
    );
    assert_eq!(all[0].label, "Sales");
}

#[test]
fn run_time_check_names_each_missing_or_inactive_choice() {
    let mut r = reference();
    r.accounts.retain(|a| a.id != "b1-091");
    r.accounts
        .iter_mut()
        .find(|a| a.id == "a1-836")
        .unwrap()
        .status = RecordStatus::Archived;
    r.customers[0].status = RecordStatus::Archived;
    r.suppliers.clear();
    r.tax_rates.retain(|t| t.id != "REDUCED");
    let errors = check_against_reference(&example_with(|_| {}), &r);
    assert_eq!(
        found(&errors),
        [
            (
                codes::ACCOUNT_INACTIVE,
                "/configuration/sales/accounts/gratuity/selectedAccountId"
            ),
            (
                codes::ACCOUNT_NOT_FOUND,
                "/configuration/payments/accounts/cash/selectedAccountId"
            ),
            (
                codes::CUSTOMER_INACTIVE,
                "/configuration/sales/salesCustomer/selectedCustomerId"
            ),
            (
                codes::TAX_RATE_NOT_FOUND,
                "/configuration/sales/taxRates/5/selectedTaxRateId"
            ),
            (
                codes::TAX_RATE_NOT_FOUND,
                "/configuration/sales/newTaxRates/taxRateMappings/1/selectedAccountingTaxRateId"
            ),
            (
                codes::SUPPLIER_NOT_FOUND,
                "/configuration/fees/feesSupplier/selectedSupplierId"
            ),
        ]
    );
    assert_eq!(
        errors[0].message,
        "The account \"a1-836\" chosen for Gratuity is archived in the accounting software: choose an active one"
    );
}

#[test]
fn archived_tax_rate_is_named() {
    let doc = example_with(|v| {
        v["configuration"]["sales"]["taxRates"]["20"]["selectedTaxRateId"] = json!("OLD175")
    });
    let errors = check_against_reference(&doc, &reference());
    assert_eq!(
        found(&errors),
        [(
            codes::TAX_RATE_INACTIVE,
            "/configuration/sales/taxRates/20/selectedTaxRateId"
        )]
    );
}

#[test]
fn unmapped_payment_types_stop_the_sync() {
    let doc = example_with(|_| {});
    let errors = check_payment_types(&doc, ["Card", "Cash", "Swish", "Swish", "Prepaid"]);
    assert_eq!(
        found(&errors),
        [
            (
                codes::PAYMENT_TYPE_UNMAPPED,
                "/configuration/payments/accounts/swish/selectedAccountId"
            ),
            (
                codes::PAYMENT_TYPE_UNMAPPED,
                "/configuration/payments/accounts/prepaidPayment/selectedAccountId"
            ),
        ]
    );
    assert_eq!(payment_account_key("OnlineCard"), "onlineCard");
}

fn connection(platform_key: PlatformKey, status: ConnectionStatus) -> Connection {
    Connection {
        id: ConnectionId::new(),
        company_id: CompanyId::new(),
        platform_key,
        status,
        created: jiff::Timestamp::UNIX_EPOCH,
        last_sync: None,
        error: None,
    }
}

#[test]
fn exactly_one_linked_commerce_and_accounting_connection() {
    use ConnectionStatus::*;
    let ok = [
        connection(PlatformKey::Commerce, Linked),
        connection(PlatformKey::Xero, Linked),
    ];
    assert_eq!(validate_connections(&ok), vec![]);
    let with_history = [
        ok[0].clone(),
        ok[1].clone(),
        connection(PlatformKey::QuickBooksOnline, Unlinked),
    ];
    assert_eq!(validate_connections(&with_history), vec![]);

    let missing = validate_connections(&ok[..1]);
    assert_eq!(found(&missing), [(codes::CONNECTIONS_COUNT, "")]);
    let two_books = [
        ok[0].clone(),
        ok[1].clone(),
        connection(PlatformKey::Hledger, Linked),
    ];
    assert_eq!(
        found(&validate_connections(&two_books)),
        [(codes::CONNECTIONS_COUNT, "")]
    );

    let pending = [ok[0].clone(), connection(PlatformKey::Xero, Deauthorized)];
    let errors = validate_connections(&pending);
    assert_eq!(found(&errors), [(codes::CONNECTION_NOT_LINKED, "")]);
    assert!(
        errors[0].message.contains("Deauthorized"),
        "{}",
        errors[0].message
    );
}

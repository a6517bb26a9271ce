use super::*;
use crate::config::document::{ConfigAccount, KeyedMap, TaxRateAmount};
use crate::config::options::{OfferSpec, offer};
use crate::config::validation::validate;
use crate::ids::CompanyId;
use crate::reference_data::Account;

fn reference() -> ReferenceData {
    serde_json::from_str(include_str!("testdata/reference.json")).unwrap()
}

fn offered(reference: &ReferenceData, platform: Option<Platform>) -> ConfigDocument {
    let pushed = crate::config::PushedFacts::default();
    let spec = OfferSpec::for_merchant(CompanyId::new(), reference, platform, &pushed, None);
    offer(reference, &spec, None)
}

fn choose(doc: &mut ConfigDocument, section: &str, key: &str, id: &str) {
    let c = &mut doc.configuration;
    let accounts: &mut Option<KeyedMap<ConfigAccount>> = match section {
        "sales" => &mut c.sales.as_mut().unwrap().accounts,
        "payments" => &mut c.payments.as_mut().unwrap().accounts,
        _ => &mut c.fees.as_mut().unwrap().accounts,
    };
    let map = accounts.get_or_insert_with(KeyedMap::new);
    match map.get_mut(key) {
        Some(slot) => slot.selected_account_id = Some(id.into()),
        None => map.insert(
            key,
            ConfigAccount {
                selected_account_id: Some(id.into()),
                ..ConfigAccount::default()
            },
        ),
    }
}

fn checked(doc: &ConfigDocument, r: &ReferenceData, p: Option<Platform>) -> Vec<ConfigError> {
    check_books_fit(doc, r, p, validate(doc))
}

fn at<'e>(errors: &'e [ConfigError], pointer: &str) -> &'e ConfigError {
    errors
        .iter()
        .find(|e| e.pointer == pointer)
        .unwrap_or_else(|| panic!("no error at {pointer}: {errors:#?}"))
}

#[test]
fn a_payment_account_that_cannot_take_payments_is_refused_with_the_platforms_rule() {
    let r = reference();
    // Debtors is an asset the books do not let payments into.
    for (platform, words) in [
        (Some(Platform::QuickBooks), "Bank or Other Current Asset"),
        (Some(Platform::Xero), "Enable payments to this account"),
    ] {
        let mut doc = offered(&r, platform);
        choose(&mut doc, "payments", "paypal", "a1-100");
        let errors = checked(&doc, &r, platform);
        let e = at(
            &errors,
            "/configuration/payments/accounts/paypal/selectedAccountId",
        );
        assert_eq!(e.code, codes::ACCOUNT_NOT_IN_OPTIONS);
        assert!(e.message.contains(words), "{}", e.message);
    }
}

#[test]
fn an_account_in_another_currency_is_not_offered_and_refused_by_name() {
    let mut r = reference();
    r.accounts.push(Account {
        id: "eur-bank".into(),
        name: "Euro account".into(),
        nominal_code: None,
        account_type: AccountType::Asset,
        fully_qualified_category: None,
        is_bank_account: true,
        status: crate::reference_data::RecordStatus::Active,
        payments_allowed: true,
        currency: Some("EUR".into()),
    });
    let mut doc = offered(&r, Some(Platform::Xero));
    let payments = doc.configuration.payments.as_ref().unwrap();
    let card = payments.accounts.as_ref().unwrap().get("card").unwrap();
    let options = card.account_options.as_ref().unwrap();
    assert!(options.iter().all(|o| o.id != "eur-bank"));
    choose(&mut doc, "payments", "card", "eur-bank");
    let errors = checked(&doc, &r, Some(Platform::Xero));
    let e = at(
        &errors,
        "/configuration/payments/accounts/card/selectedAccountId",
    );
    assert!(e.message.contains("held in EUR"), "{}", e.message);
}

#[test]
fn a_purchases_only_tax_rate_is_refused_on_sales() {
    let mut r = reference();
    r.tax_rates[1].applies_to_sales = Some(false); // REDUCED 5%
    let mut doc = offered(&r, Some(Platform::Xero));
    let rates = doc
        .configuration
        .sales
        .as_mut()
        .unwrap()
        .tax_rates
        .as_mut()
        .unwrap();
    rates.insert(
        "20",
        TaxRateAmount {
            selected_tax_rate_id: Some("REDUCED".into()),
            tax_rate_options: rates.get("20").unwrap().tax_rate_options.clone(),
        },
    );
    let errors = checked(&doc, &r, Some(Platform::Xero));
    let e = at(
        &errors,
        "/configuration/sales/taxRates/20/selectedTaxRateId",
    );
    assert!(
        e.message.contains("cannot be used on sales in Xero"),
        "{}",
        e.message
    );
}

#[test]
fn automated_sales_tax_takes_no_tax_rates() {
    let mut r = reference();
    r.company.automated_sales_tax = true;
    let mut doc = offered(&r, Some(Platform::QuickBooks));
    assert!(
        doc.configuration
            .sales
            .as_ref()
            .unwrap()
            .tax_rates
            .is_none()
    );
    let sales = doc.configuration.sales.as_mut().unwrap();
    sales.tax_rates.get_or_insert_with(KeyedMap::new).insert(
        "8.875",
        TaxRateAmount {
            selected_tax_rate_id: Some("OUTPUT2".into()),
            tax_rate_options: None,
        },
    );
    let errors = checked(&doc, &r, Some(Platform::QuickBooks));
    let e = at(
        &errors,
        "/configuration/sales/taxRates/8.875/selectedTaxRateId",
    );
    assert_eq!(e.code, codes::TAX_COMPUTED_BY_PLATFORM);
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.pointer.contains("8.875"))
            .count(),
        1,
        "one error for the field, not two: {errors:#?}"
    );
}

#[test]
fn hledger_takes_journals_and_owes_tax_on_a_liability_account() {
    let mut r = reference();
    r.tax_rates.clear();
    let mut doc = offered(&r, Some(Platform::Hledger));
    assert_eq!(
        doc.configuration.output_format(),
        OutputFormat::JournalEntry
    );
    let sales = doc.configuration.sales.as_ref().unwrap();
    assert!(sales.tax_rates.is_none());
    let liability = sales
        .accounts
        .as_ref()
        .unwrap()
        .get("taxLiability")
        .unwrap();
    assert_eq!(liability.required, Some(true));
    assert!(
        checked(&doc, &r, Some(Platform::Hledger))
            .iter()
            .all(|e| e.code != codes::JOURNALS_ONLY)
    );
    doc.configuration.map_settings = None;
    let errors = checked(&doc, &r, Some(Platform::Hledger));
    assert_eq!(
        at(&errors, "/configuration/mapSettings/outputFormat").code,
        codes::JOURNALS_ONLY
    );
}

#[test]
fn quickbooks_pays_fee_bills_only_from_a_bank_account() {
    let mut r = reference();
    // Card clearing as QuickBooks' Other Current Asset: it takes payments, not bill payments.
    let card = r.accounts.iter_mut().find(|a| a.id == "b1-090").unwrap();
    card.is_bank_account = false;
    let mut doc = offered(&r, Some(Platform::QuickBooks));
    choose(&mut doc, "payments", "card", "b1-090");
    doc.configuration.fees.as_mut().unwrap().sync_fees = Some(true);
    let errors = checked(&doc, &r, Some(Platform::QuickBooks));
    let e = at(
        &errors,
        "/configuration/payments/accounts/card/selectedAccountId",
    );
    assert_eq!(e.code, codes::ACCOUNT_CANNOT_PAY_BILLS);
    // Xero pays bills from any account that takes payments.
    let errors = checked(&doc, &r, Some(Platform::Xero));
    assert!(
        errors
            .iter()
            .all(|e| e.code != codes::ACCOUNT_CANNOT_PAY_BILLS)
    );
}

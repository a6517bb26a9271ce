use super::*;
use crate::config::shapes::{parse_document, to_current_json};
use crate::config::validation::validate;
use crate::config::{codes, runtime::check_against_reference};
use serde_json::{Value, json};

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

fn spec() -> OfferSpec {
    OfferSpec {
        tax_rate_keys: ["0", "5", "20"].map(String::from).to_vec(),
        commerce_tax_components: vec![
            ConfigOption {
                id: "tc-vat20".into(),
                name: Some("VAT 20%".into()),
            },
            ConfigOption {
                id: "tc-vat5".into(),
                name: Some("VAT 5%".into()),
            },
        ],
        ..OfferSpec::default()
    }
}

fn ids(options: &[AccountOption]) -> Vec<&str> {
    options.iter().map(|o| o.id.as_str()).collect()
}

#[test]
fn account_options_fit_each_slot_and_skip_archived() {
    let r = reference();
    assert_eq!(
        ids(&account_options(&r, "sales", "sales")),
        ["a1-200", "a1-260"]
    );
    assert_eq!(
        ids(&account_options(&r, "sales", "gratuity")),
        ["a1-200", "a1-260", "a1-835", "a1-836"]
    );
    assert_eq!(
        ids(&account_options(&r, "sales", "prepaid")),
        ["a1-835", "a1-836"]
    );
    assert_eq!(
        ids(&account_options(&r, "payments", "card")),
        ["b1-090", "b1-091", "b1-092"]
    );
    assert_eq!(
        ids(&account_options(&r, "fees", "paymentFee")),
        ["b1-090", "b1-091", "b1-092", "a1-404"]
    );
    let card = &account_options(&r, "payments", "card")[0];
    assert_eq!(card.classification.as_deref(), Some("bank"));
    assert_eq!(card.nominal_code.as_deref(), Some("090"));
}

#[test]
fn contact_and_tax_options_are_the_active_ones() {
    let r = reference();
    let names = |o: Vec<ConfigOption>| o.into_iter().map(|x| x.id).collect::<Vec<_>>();
    assert_eq!(names(customer_options(&r)), ["c-001"]);
    assert_eq!(names(supplier_options(&r)), ["s-psp"]);
    assert_eq!(
        names(tax_rate_options(&r)),
        ["ZERORATEDOUTPUT", "REDUCED", "OUTPUT2"]
    );
    assert_eq!(names(zero_tax_rate_options(&r)), ["ZERORATEDOUTPUT"]);
    assert_eq!(frequency_options(), ["Daily", "Monthly"]);
}

#[test]
fn offered_document_has_options_and_no_selections() {
    let r = reference();
    let pushed = crate::config::PushedFacts::default();
    let spec = OfferSpec::for_merchant(crate::CompanyId::new(), &r, None, &pushed, None);
    let offered = offer(&r, &spec, None);
    let v = to_current_json(&offered);
    assert_eq!(v["accountingSoftwareCompanyName"], json!("Demo Coffee Ltd"));
    assert_eq!(v["configured"], json!(false));
    assert_eq!(v["configuration"]["countryCode"], json!("GB"));
    let card = &v["configuration"]["payments"]["accounts"]["card"];
    assert_eq!(card["required"], json!(true));
    assert_eq!(card["labelText"], json!("Card"));
    assert!(card.get("selectedAccountId").is_none());
    let keys: Vec<_> = v["configuration"]["sales"]["taxRates"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    // The books' active sales rates (17.5 % is archived).
    assert_eq!(keys, ["0", "5", "20"]);
    // Nothing chosen yet, so a synced document would be refused; unsynced it is valid.
    assert!(
        validate(&offered)
            .iter()
            .any(|e| e.pointer == "/schedule/startDate")
    );
}

#[test]
fn the_example_posted_over_our_offer_validates_and_keeps_its_selections() {
    let offered = offer(&reference(), &spec(), None);
    let merged = apply_selections(&offered, &example());
    assert_eq!(validate(&merged), vec![]);
    let c = &merged.configuration;
    assert_eq!(c.output_format(), OutputFormat::JournalEntry);
    assert_eq!(c.payments_account("payout"), Some("b1-092"));
    assert_eq!(merged.enable, Some(true));
    assert_eq!(
        merged.configured,
        Some(false),
        "configured is ours to set, not the client's"
    );
    assert_eq!(
        merged.schedule.unwrap().time_zone.as_deref(),
        Some("Europe/London")
    );
    assert_eq!(check_against_reference(&example(), &reference()), vec![]);
}

#[test]
fn a_client_cannot_widen_its_options() {
    let mut posted = to_current_json(&example());
    posted["configuration"]["sales"]["accounts"]["sales"]["accountOptions"] =
        json!([{"id": "evil"}]);
    posted["configuration"]["sales"]["accounts"]["sales"]["selectedAccountId"] = json!("evil");
    posted["configuration"]["sales"]["accounts"]["mystery"] =
        json!({"selectedAccountId": "a1-200"});
    let posted = parse_document(&posted).unwrap().document;
    let merged = apply_selections(&offer(&reference(), &spec(), None), &posted);
    let pointers: Vec<_> = validate(&merged)
        .into_iter()
        .map(|e| (e.code, e.pointer))
        .collect();
    assert_eq!(
        pointers,
        [
            (
                codes::ACCOUNT_NOT_IN_OPTIONS,
                "/configuration/sales/accounts/sales/selectedAccountId".to_owned()
            ),
            (
                codes::ACCOUNT_NOT_IN_OPTIONS,
                "/configuration/sales/accounts/mystery/selectedAccountId".to_owned()
            ),
        ]
    );
}

#[test]
fn a_flat_post_changes_only_what_it_carries() {
    let stored = apply_selections(&offer(&reference(), &spec(), None), &example());
    let flat: Value = json!({"payments": {"accounts": {"cash": {"selectedAccountId": "b1-092"}}}});
    let posted = parse_document(&flat).unwrap().document;
    let merged = apply_selections(&stored, &posted);
    assert_eq!(
        merged.configuration.payments_account("cash"),
        Some("b1-092")
    );
    assert_eq!(merged.schedule, stored.schedule);
    assert_eq!(merged.enable, Some(true));
    assert!(merged.configuration.sync_fees());
}

#[test]
fn offering_again_carries_the_previous_choices_over() {
    let mut previous = apply_selections(&offer(&reference(), &spec(), None), &example());
    previous.mark_configured();
    let again = offer(&reference(), &spec(), Some(&previous));
    assert_eq!(again, previous);
    assert!(again.is_ready());
}

#[test]
fn a_client_narrows_the_visible_slots_but_never_hides_a_required_or_chosen_one() {
    let r = reference();
    let mut doc = offer(&r, &OfferSpec::default(), None);
    let all = account_slot_keys(&doc);
    assert!(
        all.contains(&"payments-accounts-swish".to_owned()),
        "{all:?}"
    );
    doc.configuration
        .payments
        .as_mut()
        .unwrap()
        .accounts
        .as_mut()
        .unwrap()
        .get_mut("vipps")
        .unwrap()
        .selected_account_id = Some("b1-091".into());
    narrow_to_visible(&mut doc, &["payments-accounts-cash".to_owned()]);
    let left = account_slot_keys(&doc);
    assert_eq!(
        left,
        [
            "sales-accounts-sales",    // required
            "sales-accounts-refund",   // required
            "payments-accounts-card",  // required
            "payments-accounts-cash",  // visible
            "payments-accounts-vipps", // chosen already
        ]
    );
}

use super::*;
use serde_json::json;

pub(crate) const EXAMPLE: &str = include_str!("testdata/example.json");

fn example() -> Value {
    serde_json::from_str(EXAMPLE).unwrap()
}

/// The §6 recipe: beta renames `enable`/`syncHour` and has no `countryCode`/`mapSettings`.
fn as_beta(mut v: Value) -> Value {
    let root = v.as_object_mut().unwrap();
    let enable = root.shift_remove("enable").unwrap();
    root.insert("enabled".into(), enable);
    let schedule = root["schedule"].as_object_mut().unwrap();
    let hour = schedule.shift_remove("syncHour").unwrap();
    schedule.insert("syncHourUtc".into(), hour);
    let configuration = root["configuration"].as_object_mut().unwrap();
    configuration.shift_remove("countryCode");
    configuration.shift_remove("mapSettings");
    v
}

fn as_flat(v: Value) -> Value {
    let mut configuration = v["configuration"].clone();
    let c = configuration.as_object_mut().unwrap();
    c.shift_remove("countryCode");
    c.shift_remove("mapSettings");
    configuration
}

fn without_country_and_map_settings(mut d: ConfigDocument) -> ConfigDocument {
    d.configuration.country_code = None;
    d.configuration.map_settings = None;
    d
}

#[test]
fn current_example_round_trips_exactly_in_order() {
    let parsed = parse_document(&example()).unwrap();
    assert_eq!(parsed.shape, Shape::Current);
    let emitted = to_current_json(&parsed.document);
    assert_eq!(
        serde_json::to_string(&emitted).unwrap(),
        serde_json::to_string(&example()).unwrap()
    );
}

#[test]
fn current_example_reads_into_typed_fields() {
    let d = parse_document(&example()).unwrap().document;
    assert!(d.is_ready());
    assert_eq!(d.schedule.as_ref().unwrap().sync_hour, Some(0));
    let c = &d.configuration;
    assert!(c.sync_sales() && c.sync_payments() && c.sync_fees());
    assert_eq!(c.output_format(), OutputFormat::JournalEntry);
    let sales = c.sales.as_ref().unwrap();
    let keys: Vec<_> = sales.accounts.as_ref().unwrap().keys().collect();
    assert_eq!(keys, ["sales", "refund", "gratuity", "prepaid"]);
    assert_eq!(c.payments_account("card"), Some("b1-090"));
    assert_eq!(c.sales_account("prepaid"), Some("a1-835"));
    assert_eq!(c.fees_account("paymentFeeRefund"), Some("a1-404"));
    assert_eq!(c.payments_account("swish"), None);
    assert_eq!(c.tax_rate_for("5"), Some("REDUCED"));
    assert_eq!(c.sales_customer(), Some("c-001"));
    assert_eq!(c.fees_supplier(), Some("s-psp"));
    assert_eq!(c.invoice_status(), Some("Submitted"));
}

#[test]
fn beta_shape_parses_to_the_same_model() {
    let current = parse_document(&example()).unwrap().document;
    let beta = parse_document(&as_beta(example())).unwrap();
    assert_eq!(beta.shape, Shape::Beta);
    assert_eq!(beta.document, without_country_and_map_settings(current));
}

#[test]
fn flat_shape_parses_to_the_same_configuration() {
    let current = parse_document(&example()).unwrap().document;
    let flat = parse_document(&as_flat(example())).unwrap();
    assert_eq!(flat.shape, Shape::Flat);
    let expected = ConfigDocument {
        configuration: without_country_and_map_settings(current).configuration,
        ..ConfigDocument::default()
    };
    assert_eq!(flat.document, expected);
    assert_eq!(flat.document.enable, None);
}

#[test]
fn beta_emits_current_names() {
    let beta = parse_document(&as_beta(example())).unwrap().document;
    let out = to_current_json(&beta);
    assert_eq!(out["enable"], json!(true));
    assert!(out.get("enabled").is_none());
    assert_eq!(out["schedule"]["syncHour"], json!(0));
    assert!(out["schedule"].get("syncHourUtc").is_none());
}

#[test]
fn current_spelling_wins_when_both_are_sent() {
    let v = json!({"enable": false, "enabled": true,
                   "schedule": {"syncHour": 3, "syncHourUtc": 5}});
    let d = parse_document(&v).unwrap().document;
    assert_eq!(d.enable, Some(false));
    assert_eq!(d.schedule.unwrap().sync_hour, Some(3));
}

#[test]
fn unknown_fields_are_ignored_and_dropped() {
    let mut v = example();
    v["surprise"] = json!(1);
    v["configuration"]["sales"]["accounts"]["sales"]["colour"] = json!("red");
    let d = parse_document(&v).unwrap().document;
    assert_eq!(d, parse_document(&example()).unwrap().document);
}

#[test]
fn every_structural_error_is_reported_with_its_pointer() {
    let v = json!({
        "enable": "yes",
        "schedule": {"syncHour": "three"},
        "configuration": {
            "sales": {"syncSales": 1, "accounts": {"sales": {"required": "no"}, "a/b": 3}},
            "fees": []
        }
    });
    let errors = parse_document(&v).unwrap_err();
    let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/enable",
            "/schedule/syncHour",
            "/configuration/sales/syncSales",
            "/configuration/sales/accounts/sales",
            "/configuration/sales/accounts/a~1b",
            "/configuration/fees",
        ]
    );
    assert!(errors.iter().all(|e| e.code == codes::INVALID_TYPE));
}

#[test]
fn historical_hour_name_errors_point_at_the_current_name() {
    let errors = parse_document(&json!({"schedule": {"syncHourUtc": true}})).unwrap_err();
    assert_eq!(errors[0].pointer, "/schedule/syncHour");
}

#[test]
fn non_objects_and_bad_json_are_refused() {
    assert_eq!(
        parse_document(&json!([1])).unwrap_err()[0].code,
        codes::NOT_AN_OBJECT
    );
    assert_eq!(parse_str("{").unwrap_err()[0].pointer, "");
    assert_eq!(parse_str("{}").unwrap().shape, Shape::Current);
}

#[test]
fn company_id_must_be_a_uuid() {
    let errors = parse_document(&json!({"companyId": "not-a-uuid"})).unwrap_err();
    assert_eq!(errors[0].pointer, "/companyId");
}

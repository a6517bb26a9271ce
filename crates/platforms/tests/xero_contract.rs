//! Contract tests: every request body the Xero connector builds is validated against the
//! schemas of Xero's official OpenAPI document (`shared/reference/xero/xero_accounting.yaml`)
//! with a JSON-schema validator, not against hand-written expectations.
//!
//! Xero's schemas allow any extra property and list read-only ones, so as written they would
//! accept a misspelt field or a computed total. We tighten them the way the API behaves:
//! read-only properties are removed and unknown properties are refused
//! (`additionalProperties: false`). Which schema a body must follow is read from the spec's
//! `paths` too, so a connector sending invoices to the wrong endpoint fails here. Formats are
//! checked (draft 2020-12 semantics), so an account code where Xero wants an `AccountID` UUID
//! fails as well.

use domain::documents::{Document, DocumentKey, DocumentKind, DocumentStatus, Line, Tracking};
use domain::reference_data::AccountType;
use platforms::AccountPrototype;
use platforms::xero::transformers::{self, Options};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;

const ACCOUNT: &str = "5f0e4c3a-6b1d-4a2e-9c7f-0a1b2c3d4e5f";
const BANK: &str = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const CONTACT: &str = "0b5d8c2e-3a4f-4c6e-9d7a-1e2f3a4b5c6d";
const TARGET: &str = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f";

fn spec_path() -> PathBuf {
    testkit::shared::shared("reference/xero/xero_accounting.yaml")
}

/// The spec as JSON, with its schemas tightened (see the module comment).
fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(spec_path()).expect("xero_accounting.yaml is readable");
        let mut spec: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
        let schemas = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .expect("the spec has component schemas");
        for schema in schemas.values_mut() {
            tighten(schema);
        }
        spec
    })
}

fn tighten(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
        props.retain(|_, p| p.get("readOnly") != Some(&Value::Bool(true)));
        object
            .entry("additionalProperties")
            .or_insert(Value::Bool(false));
    }
}

/// The schema name the spec gives the request body of `PUT {path}`.
fn put_schema(path: &str) -> String {
    let pointer = format!(
        "/paths/{}/put/requestBody/content/application~1json/schema/$ref",
        path.replace('~', "~0").replace('/', "~1")
    );
    spec()
        .pointer(&pointer)
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .unwrap_or_else(|| panic!("the spec has no PUT {path} body"))
        .to_owned()
}

/// Every error of `body` against `components/schemas/{schema}`.
fn violations(schema: &str, body: &Value) -> Vec<String> {
    let root = json!({
        "$ref": format!("#/components/schemas/{schema}"),
        "components": spec()["components"].clone(),
    });
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .expect("the tightened schema compiles");
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid(schema: &str, body: &Value) {
    let errors = violations(schema, body);
    assert!(
        errors.is_empty(),
        "body does not follow {schema}:\n{}\n{body:#}",
        errors.join("\n")
    );
}

fn line(net: i64, tax: i64) -> Line {
    Line {
        account_id: ACCOUNT.into(),
        tax_rate_id: Some("OUTPUT2".into()),
        description: "Sales at 20%".into(),
        net_amount: Some(Decimal::new(net, 2)),
        tax_amount: Some(Decimal::new(tax, 2)),
        tracking: Some(Tracking {
            location_id: Some("High Street".into()),
        }),
        ..Line::default()
    }
}

fn document(kind: DocumentKind) -> Document {
    let mut d = Document {
        kind,
        key: DocumentKey {
            company_id: "2b7c1f1e-company".into(),
            period: "2026-11-25".into(),
            group: "GBP/loc=shop-1".into(),
            kind,
            revision: 0,
        },
        date: "2026-11-25".parse().unwrap(),
        currency: "GBP".parse().unwrap(),
        contact_id: Some(CONTACT.into()),
        status: Some(DocumentStatus::Submitted),
        total: Some(Decimal::new(12006, 2)),
        lines: vec![line(10005, 2001)],
        account_id: Some(BANK.into()),
        amount: Some(Decimal::new(12006, 2)),
        applies_to: None,
    };
    match kind {
        DocumentKind::BankTransaction => d.amount = Some(Decimal::new(-12006, 2)),
        DocumentKind::Transfer => {
            d.lines = vec![Line {
                account_id: ACCOUNT.into(),
                description: "Payout".into(),
                net_amount: Some(Decimal::new(12006, 2)),
                ..Line::default()
            }]
        }
        DocumentKind::JournalEntry => {
            d.lines = vec![
                Line {
                    account_id: BANK.into(),
                    description: "Cash".into(),
                    debit: Some(Decimal::new(12006, 2)),
                    ..Line::default()
                },
                Line {
                    account_id: ACCOUNT.into(),
                    description: "Sales".into(),
                    credit: Some(Decimal::new(12006, 2)),
                    ..Line::default()
                },
            ]
        }
        _ => {}
    }
    d
}

fn options() -> Options {
    Options {
        location_category: Some("Location".into()),
    }
}

#[test]
fn every_document_kind_follows_the_schema_of_its_endpoint() {
    for kind in DocumentKind::ALL {
        let doc = document(kind);
        let request = transformers::request(&doc, Some(TARGET), &options())
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let endpoint = request.endpoint;
        // The schema named by the spec's own PUT operation, not our idea of it.
        let schema = put_schema(&format!("/{}", endpoint.collection));
        assert_eq!(schema, endpoint.schema, "{kind:?}");
        assert_valid(&schema, &request.body);
        // One object per request, under the collection's name.
        assert_eq!(
            request.body[endpoint.collection].as_array().map(Vec::len),
            Some(1),
            "{kind:?}"
        );
    }
}

#[test]
fn drafts_and_every_bank_direction_follow_the_schema_too() {
    for kind in [
        DocumentKind::Invoice,
        DocumentKind::Bill,
        DocumentKind::JournalEntry,
    ] {
        let mut doc = document(kind);
        doc.status = Some(DocumentStatus::Draft);
        let request = transformers::request(&doc, None, &Options::default()).unwrap();
        assert_valid(request.endpoint.schema, &request.body);
    }
    let mut receive = document(DocumentKind::BankTransaction);
    receive.amount = Some(Decimal::new(500, 2));
    let request = transformers::request(&receive, None, &options()).unwrap();
    assert_valid("BankTransactions", &request.body);
}

#[test]
fn allocations_and_new_accounts_follow_their_schemas() {
    let body =
        transformers::allocation(TARGET, Decimal::new(1000, 2), "2026-11-25".parse().unwrap());
    assert_valid(
        &put_schema("/CreditNotes/{CreditNoteID}/Allocations"),
        &body,
    );
    for prototype in [
        AccountPrototype {
            name: "Card Clearing".into(),
            nominal_code: Some("091".into()),
            account_type: AccountType::Asset,
            is_bank_account: true,
            bank_account_number: Some("20-00-00 12345678".into()),
            currency: Some("GBP".into()),
            ..AccountPrototype::default()
        },
        AccountPrototype {
            name: "Tips".into(),
            account_type: AccountType::Liability,
            fully_qualified_category: Some("Liability.CurrentLiability".into()),
            description: Some("Gratuities owed to staff".into()),
            tax_rate_id: Some("NONE".into()),
            ..AccountPrototype::default()
        },
    ] {
        assert_valid(
            &put_schema("/Accounts"),
            &platforms::xero::reference::new_account(&prototype),
        );
    }
}

/// The validator really rejects what Xero would: without this the tests above prove nothing.
#[test]
fn the_tightened_schemas_reject_misspelt_read_only_and_mistyped_fields() {
    let doc = document(DocumentKind::Invoice);
    let good = transformers::request(&doc, None, &options()).unwrap().body;
    assert!(violations("Invoices", &good).is_empty());

    let mut misspelt = good.clone();
    misspelt["Invoices"][0]["Refrence"] = json!("x");
    assert!(!violations("Invoices", &misspelt).is_empty());

    let mut read_only = good.clone();
    read_only["Invoices"][0]["Total"] = json!(120.06);
    assert!(!violations("Invoices", &read_only).is_empty());

    let mut bad_enum = good.clone();
    bad_enum["Invoices"][0]["Type"] = json!("SALES");
    assert!(!violations("Invoices", &bad_enum).is_empty());

    let mut bad_id = good.clone();
    bad_id["Invoices"][0]["LineItems"][0]["AccountID"] = json!("200");
    assert!(
        !violations("Invoices", &bad_id).is_empty(),
        "AccountID must be a UUID"
    );

    let mut string_amount = good;
    string_amount["Invoices"][0]["LineItems"][0]["UnitAmount"] = json!("100.05");
    assert!(!violations("Invoices", &string_amount).is_empty());

    let transfer =
        json!({"BankTransfers": [{"FromBankAccount": {"AccountID": BANK}, "Amount": 1}]});
    assert!(
        !violations("BankTransfers", &transfer).is_empty(),
        "ToBankAccount is required"
    );
}

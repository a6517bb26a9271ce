//! Contract tests: every QuickBooks body the transformers build is checked against Intuit's
//! own XSDs (`/work/shared/reference/quickbooks`, or `QUICKBOOKS_XSD_DIR`): each element name
//! exists in the entity's complex type (following `complexContent/extension base` chains into
//! `IntuitBaseTypes.xsd`), nested objects against their element's type, references against
//! `ReferenceType`'s value and attributes, and every element the schema requires
//! (`minOccurs` ≠ 0 outside a choice) is present. Where the schema leaves an element optional but its
//! annotation states a business rule (an invoice needs a customer and a line), the rule's
//! words are found in the annotation before it is enforced.

use domain::documents::{Document, DocumentKey, DocumentKind, DocumentStatus, Line, Tracking};
use platforms::quickbooks::transformers::{self, LocationTracking, Options, Resolved};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Default)]
struct ComplexType {
    base: Option<String>,
    /// name → (type, minOccurs; 0 for the alternatives of a choice)
    elements: Vec<(String, Option<String>, u32)>,
    simple_content: bool,
    attributes: Vec<String>,
    annotation: String,
}

struct Schema {
    types: HashMap<String, ComplexType>,
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_owned()
}

fn xsd_dir() -> PathBuf {
    std::env::var_os("QUICKBOOKS_XSD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| testkit::shared::shared("reference/quickbooks"))
}

impl Schema {
    fn load() -> Schema {
        let mut types = HashMap::new();
        for file in ["Finance.xsd", "IntuitBaseTypes.xsd", "IntuitNamesTypes.xsd"] {
            let text = std::fs::read_to_string(xsd_dir().join(file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            let doc = roxmltree::Document::parse(&text).unwrap();
            for node in doc
                .root_element()
                .children()
                .filter(|n| n.has_tag_name((XS, "complexType")))
            {
                let name = node.attribute("name").unwrap().to_owned();
                let mut t = ComplexType::default();
                for d in node.descendants() {
                    match d.tag_name().name() {
                        "extension" => t.base = d.attribute("base").map(local),
                        "simpleContent" => t.simple_content = true,
                        "attribute" => t.attributes.extend(d.attribute("name").map(str::to_owned)),
                        "element" => {
                            if let Some(n) = d.attribute("name") {
                                let ty = d.attribute("type").map(local);
                                let stated =
                                    d.attribute("minOccurs").map_or(1, |m| m.parse().unwrap());
                                // Alternatives of a choice are each optional; Intuit's internal
                                // extension placeholders (`IntuitAnyType`) are never sent.
                                let in_choice =
                                    d.parent().is_some_and(|p| p.has_tag_name((XS, "choice")));
                                let placeholder = ty.as_deref() == Some("IntuitAnyType");
                                // (Annotations also say "Required: ALL", but of `Id` and
                                // `SyncToken` too, which only updates send: not used.)
                                let min = if in_choice || placeholder { 0 } else { stated };
                                t.elements.push((n.to_owned(), ty, min));
                            }
                        }
                        "documentation" if d.parent().and_then(|p| p.parent()) == Some(node) => {
                            t.annotation.push_str(d.text().unwrap_or_default());
                        }
                        _ => {}
                    }
                }
                types.insert(name, t);
            }
        }
        Schema { types }
    }

    /// A type and its bases, most derived first.
    fn chain(&self, name: &str) -> Vec<&ComplexType> {
        let mut out = Vec::new();
        let mut next = Some(name.to_owned());
        while let Some(n) = next {
            let Some(t) = self.types.get(&n) else { break };
            out.push(t);
            next = t.base.clone();
        }
        out
    }

    fn element(&self, ty: &str, name: &str) -> Option<(Option<String>, u32)> {
        self.chain(ty).into_iter().find_map(|t| {
            t.elements
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, ty, min)| (ty.clone(), *min))
        })
    }

    /// Everything wrong with `v` as a `ty`, by JSON path.
    fn check(&self, ty: &str, v: &Value, path: &str, errors: &mut Vec<String>) {
        let chain = self.chain(ty);
        if chain.is_empty() {
            return; // a simple type: any scalar
        }
        if chain.iter().any(|t| t.simple_content) {
            let allowed: Vec<&str> = chain
                .iter()
                .flat_map(|t| t.attributes.iter().map(String::as_str))
                .collect();
            match v {
                Value::Object(m) => {
                    for k in m
                        .keys()
                        .filter(|k| *k != "value" && !allowed.contains(&k.as_str()))
                    {
                        errors.push(format!("{path}.{k}: not an attribute of {ty}"));
                    }
                }
                Value::Array(_) => errors.push(format!("{path}: {ty} is not a list")),
                _ => {}
            }
            return;
        }
        let Value::Object(m) = v else {
            errors.push(format!("{path}: {ty} must be an object, got {v}"));
            return;
        };
        for (k, x) in m {
            match self.element(ty, k) {
                None => errors.push(format!("{path}.{k}: no such element in {ty}")),
                Some((Some(child), _)) => match x {
                    Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.check(&child, item, &format!("{path}.{k}[{i}]"), errors);
                        }
                    }
                    _ => self.check(&child, x, &format!("{path}.{k}"), errors),
                },
                Some((None, _)) => {}
            }
        }
        for t in &chain {
            for (name, _, min) in &t.elements {
                if *min > 0 && !m.contains_key(name) {
                    errors.push(format!("{path}.{name}: required by {ty} (minOccurs={min})"));
                }
            }
        }
    }
}

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// Business rules stated in an entity's annotation though its elements are optional:
/// (entity, element, words of the annotation).
const DOCUMENTED_RULES: [(&str, &str, &str); 2] = [
    (
        "Invoice",
        "CustomerRef",
        "must have a reference to a customer",
    ),
    ("Invoice", "Line", "must have at least one line"),
];

fn key(kind: DocumentKind) -> DocumentKey {
    DocumentKey {
        company_id: "company-1".into(),
        period: "2026-11-25".into(),
        group: "USD/loc=shop-1".into(),
        kind,
        revision: 0,
    }
}

fn line(account: &str, tax: Option<&str>, net: i64, tax_cents: i64) -> Line {
    Line {
        account_id: account.into(),
        tax_rate_id: tax.map(str::to_owned),
        description: "Sales".into(),
        net_amount: Some(Decimal::new(net, 2)),
        tax_amount: Some(Decimal::new(tax_cents, 2)),
        tracking: Some(Tracking {
            location_id: Some("1".into()),
        }),
        ..Line::default()
    }
}

/// One document of each kind, as the engine makes them.
fn documents() -> Vec<Document> {
    DocumentKind::ALL
        .iter()
        .map(|&kind| {
            use DocumentKind::*;
            let mut lines = vec![
                line("6", Some("3"), 10000, 2000),
                line("11", Some("7"), 500, 0),
            ];
            let contact = Some("1".to_owned());
            let (mut account, mut amount) = (None, None);
            match kind {
                Payment | Refund | BillPayment | Transfer => {
                    lines.truncate(if kind == Transfer { 1 } else { 0 });
                    account = Some("1".into());
                    amount = Some(Decimal::new(12500, 2));
                }
                BillRefund | BankTransaction => {
                    lines.truncate(1);
                    account = Some("1".into());
                    amount = Some(Decimal::new(3000, 2));
                }
                JournalEntry => {
                    // The receivable variant: QuickBooks wants the customer on the A/R line.
                    lines = vec![
                        Line {
                            account_id: "4".into(),
                            debit: Some(Decimal::new(12000, 2)),
                            ..Line::default()
                        },
                        Line {
                            account_id: "6".into(),
                            credit: Some(Decimal::new(10000, 2)),
                            ..Line::default()
                        },
                        Line {
                            account_id: "13".into(),
                            credit: Some(Decimal::new(2000, 2)),
                            ..Line::default()
                        },
                    ];
                }
                _ => {}
            }
            Document {
                kind,
                key: key(kind),
                date: "2026-11-25".parse().unwrap(),
                currency: "USD".parse().unwrap(),
                contact_id: contact,
                status: Some(DocumentStatus::Submitted),
                total: None,
                lines,
                account_id: account,
                amount,
                applies_to: None,
            }
        })
        .collect()
}

fn resolved() -> Resolved {
    Resolved {
        applies_to: Some("130".into()),
        contact: None,
        receivable_account: Some("4".into()),
        receivable_accounts: vec!["4".into()],
        payable_accounts: vec!["10".into()],
    }
}

fn bodies(options: &Options) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = documents()
        .iter()
        .map(|d| {
            let body = transformers::request(d, &resolved(), options)
                .unwrap_or_else(|e| panic!("{}: {e}", d.kind.as_str()));
            (transformers::entity(d.kind).to_owned(), body)
        })
        .collect();
    let refund = documents()
        .into_iter()
        .find(|d| d.kind == DocumentKind::Refund)
        .unwrap();
    out.push((
        "Payment".into(),
        transformers::refund_link(&refund, "1", "130", "131").unwrap(),
    ));
    out
}

fn option_sets() -> Vec<(&'static str, Options)> {
    vec![
        (
            "GB VAT codes, classes",
            Options {
                location_tracking: Some(LocationTracking::Class),
                item_id: Some("1".into()),
                ..Options::default()
            },
        ),
        (
            "US automated sales tax, departments",
            Options {
                automated_sales_tax: true,
                location_tracking: Some(LocationTracking::Department),
                item_id: None,
            },
        ),
    ]
}

#[test]
fn every_body_follows_intuits_schema() {
    let schema = Schema::load();
    let mut errors = Vec::new();
    for (name, options) in option_sets() {
        for (entity, body) in bodies(&options) {
            assert!(
                schema.types.contains_key(&entity),
                "{entity} is not in the XSDs"
            );
            let mut e = Vec::new();
            schema.check(&entity, &body, &entity, &mut e);
            errors.extend(e.into_iter().map(|e| format!("[{name}] {e}")));
        }
    }
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn documented_business_rules_are_met() {
    let schema = Schema::load();
    for (entity, element, words) in DOCUMENTED_RULES {
        let annotation = schema.types[entity]
            .annotation
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            annotation.contains(words),
            "{entity}'s annotation no longer says {words:?}"
        );
        for (_, options) in option_sets() {
            for (e, body) in bodies(&options).iter().filter(|(e, _)| e == entity) {
                let present = match &body[element] {
                    Value::Array(a) => !a.is_empty(),
                    Value::Null => false,
                    _ => true,
                };
                assert!(present, "{e} without {element}: {body}");
            }
        }
    }
}

#[test]
fn the_checker_catches_what_intuit_would_refuse() {
    let schema = Schema::load();
    let mut errors = Vec::new();
    let bad = serde_json::json!({"CustomerRef": {"value": "1", "nmae": "x"}, "Lines": [],
        "Line": [{"Amount": 1, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"AccountRef": {"value": "6"}}}]});
    schema.check("Invoice", &bad, "Invoice", &mut errors);
    let text = errors.join("\n");
    assert!(text.contains("Invoice.CustomerRef.nmae"), "{text}");
    assert!(text.contains("Invoice.Lines: no such element"), "{text}");
    assert!(
        text.contains("SalesItemLineDetail.AccountRef: no such element"),
        "{text}"
    );
    // Intuit requires little (minOccurs=1): a PaymentLineDetail's ItemRef is one of the few.
    let mut errors = Vec::new();
    let payment = serde_json::json!({"Line": [{"Amount": 1, "DetailType": "PaymentLineDetail",
        "PaymentLineDetail": {}}]});
    schema.check("Payment", &payment, "Payment", &mut errors);
    assert_eq!(
        errors,
        ["Payment.Line[0].PaymentLineDetail.ItemRef: required by PaymentLineDetail (minOccurs=1)"]
    );
}

#[test]
fn us_bodies_use_automated_sales_tax_and_gb_bodies_name_their_codes() {
    let us = &option_sets()[1].1;
    let invoice = transformers::request(&documents()[0], &resolved(), us).unwrap();
    assert!(invoice.get("TxnTaxDetail").is_none() && invoice.get("GlobalTaxCalculation").is_none());
    assert_eq!(
        invoice["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
        "TAX"
    );
    assert_eq!(
        invoice["Line"][1]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
        "NON"
    );
    assert_eq!(invoice["DepartmentRef"]["value"], "1");
    let gb = &option_sets()[0].1;
    let invoice = transformers::request(&documents()[0], &resolved(), gb).unwrap();
    assert_eq!(
        invoice["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
        "3"
    );
    assert_eq!(
        invoice["Line"][0]["SalesItemLineDetail"]["ClassRef"]["value"],
        "1"
    );
    assert_eq!(invoice["DocNumber"].as_str().unwrap().len(), 21);
    assert_eq!(invoice["PrivateNote"], key(DocumentKind::Invoice).full());
    let journal = documents().pop().unwrap();
    let body = transformers::request(&journal, &resolved(), gb).unwrap();
    let ar = &body["Line"][0]["JournalEntryLineDetail"]["Entity"];
    assert_eq!(
        (&ar["Type"], &ar["EntityRef"]["value"]),
        (&"Customer".into(), &"1".into())
    );
}

#[test]
fn drafts_are_refused_rather_than_posted() {
    let mut invoice = documents().remove(0);
    invoice.status = Some(DocumentStatus::Draft);
    let e = transformers::request(&invoice, &resolved(), &Options::default()).unwrap_err();
    assert!(
        matches!(e, platforms::PlatformError::Unsupported(_)),
        "{e:?}"
    );
    assert!(e.merchant_message().contains("draft"));
}

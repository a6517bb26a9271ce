//! Every field survives parse → canonical JSON → parse.

use super::fixtures::*;
use super::*;
use std::fmt::Debug;

/// Every member path of `value` (objects by key, arrays by index), skipping `null`s.
fn member_paths(value: &Value, prefix: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if v.is_null() {
                    continue;
                }
                let path = format!("{prefix}/{k}");
                out.push(path.clone());
                member_paths(v, path, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                member_paths(v, format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn round_trip<T: CommerceRecord + PartialEq + Debug>(
    input: Value,
    parse: fn(&Value, &str) -> DatasetParse<T>,
) {
    let (first, canonical) = accepted(parse(&Value::Array(vec![input.clone()]), "/x"));
    let (second, canonical_again) = accepted(parse(&Value::Array(vec![canonical.clone()]), "/x"));
    assert_eq!(first, second);
    // The push path writes the text straight from the record: the same bytes as the tree's.
    let (texts, errors) = parse_dataset_text::<T>(&Value::Array(vec![input.clone()]), "/x");
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(texts[0].canonical, canonical.to_string());
    assert_eq!(
        canonical, canonical_again,
        "canonical JSON is a fixed point"
    );
    // No member of the input is lost (the tax allocation's `rate` is renamed `taxAmount`).
    let mut paths = Vec::new();
    member_paths(&input, String::new(), &mut paths);
    for path in paths {
        let path = match path.strip_suffix("/rate") {
            Some(allocation) if allocation.contains("/taxes/") => format!("{allocation}/taxAmount"),
            _ => path,
        };
        assert!(
            canonical.pointer(&path).is_some(),
            "{path} lost in {canonical:#}"
        );
    }
}

#[test]
fn orders_round_trip() {
    round_trip(full_order(), parse_orders);
}

#[test]
fn payments_round_trip() {
    round_trip(full_payment(), parse_payments);
}

#[test]
fn transactions_round_trip() {
    round_trip(full_transaction(), parse_transactions);
}

#[test]
fn locations_round_trip() {
    round_trip(full_location(), parse_locations);
}

#[test]
fn products_round_trip() {
    round_trip(full_product(), parse_products);
}

#[test]
fn product_categories_round_trip() {
    round_trip(full_product_category(), parse_product_categories);
}

#[test]
fn customers_round_trip() {
    round_trip(full_customer(), parse_customers);
}

#[test]
fn payment_methods_round_trip() {
    round_trip(full_payment_method(), parse_payment_methods);
}

#[test]
fn tax_components_round_trip() {
    round_trip(full_tax_component(), parse_tax_components);
}

#[test]
fn the_round_trip_check_notices_a_dropped_member() {
    // Guard against a vacuous helper: an input member the model does not know is reported.
    let mut order = full_order();
    set(&mut order, "/notAField", serde_json::json!(1));
    let result = std::panic::catch_unwind(|| round_trip(order, parse_orders));
    assert!(result.is_err());
}

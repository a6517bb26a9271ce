mod fixtures;
mod orders;
mod props;
mod records;
mod roundtrip;

use super::*;
use serde_json::Value;

/// Parses `records` as the `/orders` array of a dataset body.
fn orders(records: Vec<Value>) -> DatasetParse<Order> {
    parse_orders(&Value::Array(records), "/orders")
}

/// The errors of a single order pushed alone, asserting it was rejected.
fn order_errors(record: Value) -> Vec<RecordError> {
    let (accepted, errors) = orders(vec![record]);
    assert!(accepted.is_empty(), "unexpectedly accepted");
    assert!(!errors.is_empty());
    errors
}

/// The only error of a single rejected order.
fn order_error(record: Value) -> RecordError {
    let errors = order_errors(record);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

/// The single accepted upsert of a dataset of one.
fn accepted<T: CommerceRecord + std::fmt::Debug>(parse: DatasetParse<T>) -> (T, Value) {
    let (mut accepted, errors) = parse;
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(accepted.len(), 1);
    let parsed = accepted.remove(0);
    match parsed.change {
        CommerceChange::Upsert(record) => (record, parsed.canonical),
        CommerceChange::Delete(id) => panic!("read as a delete of {id}"),
    }
}

fn dec(s: &str) -> rust_decimal::Decimal {
    rust_decimal::Decimal::from_str_exact(s).unwrap()
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

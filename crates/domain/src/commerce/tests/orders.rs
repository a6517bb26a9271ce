//! Each order rule, with the pointer of the error asserted.

use super::fixtures::{full_order, remove, set};
use super::*;
use serde_json::json;

#[test]
fn a_full_order_is_accepted_with_every_field_typed() {
    let (order, canonical) = accepted(orders(vec![full_order()]));
    assert_eq!(order.id, "order-1");
    assert_eq!(order.currency.code(), "GBP");
    assert_eq!(order.total_amount, dec("27.50"));
    assert_eq!(order.total_amount.to_string(), "27.50");
    assert_eq!(order.total_refund, Some(dec("-5.00")));
    assert_eq!(order.closed_date, Some(ts("2023-02-14T09:20:00Z")));
    assert_eq!(order.order_line_items[1].quantity, Some(dec("-1")));
    assert_eq!(order.order_line_items[0].unit_price, Some(dec("10.5000")));
    assert_eq!(
        order.order_line_items[0].taxes[0].tax_amount,
        Some(dec("4.00"))
    );
    assert_eq!(order.payments[0].payment_type, Some(PaymentType::Card));
    assert_eq!(order.payments[0].status, Some(PaymentStatus::Paid));
    assert_eq!(
        order.service_charges[0].charge_type,
        Some(ServiceChargeType::Shipping)
    );
    assert_eq!(order.service_charges[0].quantity, Some(1));
    // Canonical output: enum spellings, UTC dates, `taxAmount` for the Commerce API's `rate`.
    assert_eq!(canonical["payments"][0]["type"], json!("Card"));
    assert_eq!(canonical["payments"][0]["status"], json!("Paid"));
    assert_eq!(canonical["closedDate"], json!("2023-02-14T09:20:00Z"));
    assert_eq!(
        canonical["orderLineItems"][0]["taxes"][0]["taxAmount"].to_string(),
        "4.00"
    );
    assert!(
        canonical["orderLineItems"][0]["taxes"][0]
            .get("rate")
            .is_none()
    );
    assert_eq!(canonical["totalAmount"].to_string(), "27.50");
}

#[test]
fn identity_and_idempotency_key_come_from_id_and_source_modified_date() {
    let (accepted, _) = orders(vec![full_order()]);
    let parsed = &accepted[0];
    assert_eq!(parsed.id(), "order-1");
    assert_eq!(parsed.created_date(), Some(ts("2023-02-14T10:15:00Z")));
    // Unqualified in the fixture, so read as UTC.
    assert_eq!(
        parsed.source_modified_date(),
        Some(ts("2023-02-14T10:30:00Z"))
    );
    assert_eq!(
        parsed.idempotency_key(),
        IdempotencyKey {
            id: "order-1".into(),
            source_modified_date: Some(ts("2023-02-14T10:30:00Z"))
        }
    );
}

#[test]
fn missing_blank_or_non_string_id_is_refused() {
    for (id, kind) in [
        (None, ErrorKind::Required),
        (Some(json!("")), ErrorKind::Required),
        (Some(json!("   ")), ErrorKind::Required),
        (Some(json!(null)), ErrorKind::Required),
        (Some(json!(42)), ErrorKind::WrongType),
    ] {
        let mut order = full_order();
        match id {
            Some(v) => set(&mut order, "/id", v),
            None => remove(&mut order, "/id"),
        }
        let e = order_error(order);
        assert_eq!((e.pointer.as_str(), e.kind), ("/orders/0/id", kind));
        assert_eq!(e.id, None);
    }
}

#[test]
fn nested_ids_are_required() {
    let mut order = full_order();
    remove(&mut order, "/orderLineItems/1/id");
    set(&mut order, "/payments/0/id", json!(""));
    set(&mut order, "/locationRef", json!({ "name": "High Street" }));
    remove(&mut order, "/orderLineItems/0/productRef/id");
    let pointers: Vec<_> = order_errors(order).into_iter().map(|e| e.pointer).collect();
    assert_eq!(
        pointers,
        [
            "/orders/0/orderLineItems/0/productRef/id",
            "/orders/0/orderLineItems/1/id",
            "/orders/0/payments/0/id",
            "/orders/0/locationRef/id",
        ]
    );
}

#[test]
fn required_order_fields_are_named() {
    let mut order = full_order();
    remove(&mut order, "/currency");
    remove(&mut order, "/createdDate");
    remove(&mut order, "/totalAmount");
    remove(&mut order, "/serviceCharges/0/totalAmount");
    let errors = order_errors(order);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("/orders/0/currency", ErrorKind::Required),
            ("/orders/0/createdDate", ErrorKind::Required),
            ("/orders/0/totalAmount", ErrorKind::Required),
            (
                "/orders/0/serviceCharges/0/totalAmount",
                ErrorKind::Required
            ),
        ]
    );
    assert!(
        errors
            .iter()
            .all(|e| e.index == 0 && e.id.as_deref() == Some("order-1"))
    );
}

#[test]
fn unparseable_dates_are_refused_where_they_are() {
    let mut order = full_order();
    set(&mut order, "/createdDate", json!("yesterday"));
    set(
        &mut order,
        "/payments/0/dueDate",
        json!("2023-02-30T00:00:00Z"),
    );
    set(&mut order, "/sourceModifiedDate", json!(20230214));
    let errors = order_errors(order);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("/orders/0/createdDate", ErrorKind::InvalidDate),
            ("/orders/0/payments/0/dueDate", ErrorKind::InvalidDate),
            ("/orders/0/sourceModifiedDate", ErrorKind::WrongType),
        ]
    );
    assert!(errors[0].message.contains("yesterday"));
}

#[test]
fn unparseable_amounts_are_refused_where_they_are() {
    let mut order = full_order();
    set(&mut order, "/orderLineItems/0/totalAmount", json!("24,00"));
    set(&mut order, "/orderLineItems/1/quantity", json!(true));
    set(&mut order, "/totalGratuity", json!({ "value": 2 }));
    let got: Vec<_> = order_errors(order)
        .into_iter()
        .map(|e| (e.pointer, e.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/orders/0/orderLineItems/0/totalAmount".to_owned(),
                ErrorKind::InvalidAmount
            ),
            (
                "/orders/0/orderLineItems/1/quantity".to_owned(),
                ErrorKind::InvalidAmount
            ),
            (
                "/orders/0/totalGratuity".to_owned(),
                ErrorKind::InvalidAmount
            ),
        ]
    );
}

#[test]
fn numeric_strings_are_amounts_too() {
    let mut order = full_order();
    set(&mut order, "/totalAmount", json!("27.50"));
    let (order, canonical) = accepted(orders(vec![order]));
    assert_eq!(order.total_amount, dec("27.50"));
    assert!(canonical["totalAmount"].is_number());
}

#[test]
fn unknown_enum_values_list_the_allowed_ones() {
    let mut order = full_order();
    set(&mut order, "/payments/0/type", json!("Bitcoin"));
    set(&mut order, "/payments/0/status", json!("Settled"));
    set(&mut order, "/serviceCharges/0/type", json!("Tip"));
    let errors = order_errors(order);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("/orders/0/payments/0/type", ErrorKind::InvalidEnum),
            ("/orders/0/payments/0/status", ErrorKind::InvalidEnum),
            ("/orders/0/serviceCharges/0/type", ErrorKind::InvalidEnum),
        ]
    );
    assert_eq!(
        errors[0].message,
        "`Bitcoin` is not a valid PaymentType; allowed: Cash, Card, Invoice, OnlineCard, Swish, \
         Vipps, Mobile, StoreCredit, Paypal, Custom, Prepaid, Unknown"
    );
    assert!(
        errors[1]
            .message
            .ends_with("Pending, Authorized, Paid, Failed, Cancelled, Unknown")
    );
    assert!(
        errors[2]
            .message
            .ends_with("Generic, Shipping, Overpayment, Unknown")
    );
}

#[test]
fn unknown_currencies_are_refused() {
    let mut order = full_order();
    set(&mut order, "/currency", json!("GBX"));
    set(&mut order, "/payments/0/currency", json!("POUND"));
    let got: Vec<_> = order_errors(order)
        .into_iter()
        .map(|e| (e.pointer, e.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("/orders/0/currency".to_owned(), ErrorKind::UnknownCurrency),
            (
                "/orders/0/payments/0/currency".to_owned(),
                ErrorKind::UnknownCurrency
            ),
        ]
    );
}

#[test]
fn amounts_may_not_have_more_decimals_than_the_currency() {
    let mut order = full_order();
    set(
        &mut order,
        "/orderLineItems/0/totalAmount",
        serde_json::from_str("24.001").unwrap(),
    );
    set(
        &mut order,
        "/orderLineItems/0/discountAllocations/0/totalAmount",
        json!("0.005"),
    );
    set(
        &mut order,
        "/serviceCharges/0/taxes/0/taxAmount",
        json!("0.585"),
    );
    let errors = order_errors(order);
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/orders/0/orderLineItems/0/totalAmount",
                ErrorKind::TooManyDecimals
            ),
            (
                "/orders/0/orderLineItems/0/discountAllocations/0/totalAmount",
                ErrorKind::TooManyDecimals
            ),
            (
                "/orders/0/serviceCharges/0/taxes/0/taxAmount",
                ErrorKind::TooManyDecimals
            ),
        ]
    );
    assert!(
        errors[0].message.contains("GBP allows (2)"),
        "{}",
        errors[0].message
    );
}

#[test]
fn decimals_follow_the_currency_of_the_order_or_the_payment() {
    let jpy = json!({
        "id": "o", "currency": "jpy", "createdDate": "2023-02-14T10:00:00Z", "totalAmount": "1200.0",
        "orderLineItems": [ { "id": "l", "totalAmount": 1200, "unitPrice": "1090.909" } ],
        "payments": [ { "id": "p", "amount": "8.125", "currency": "KWD" } ]
    });
    let (order, canonical) = accepted(orders(vec![jpy.clone()]));
    assert_eq!(order.currency.code(), "JPY");
    assert_eq!(canonical["currency"], json!("JPY"));
    let mut bad = jpy;
    set(&mut bad, "/orderLineItems/0/totalAmount", json!("1199.5"));
    set(&mut bad, "/payments/0/amount", json!("8.1255"));
    let got: Vec<_> = order_errors(bad)
        .into_iter()
        .map(|e| (e.pointer, e.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/orders/0/orderLineItems/0/totalAmount".to_owned(),
                ErrorKind::TooManyDecimals
            ),
            (
                "/orders/0/payments/0/amount".to_owned(),
                ErrorKind::TooManyDecimals
            ),
        ]
    );
}

#[test]
fn lines_plus_service_charges_must_make_the_total_within_a_cent_per_part() {
    // 24.00 - 5.00 + 8.50 = 27.50 with three parts: ±0.03 is tolerated.
    for total in ["27.47", "27.53", "27.5"] {
        let mut order = full_order();
        set(&mut order, "/totalAmount", json!(total));
        accepted(orders(vec![order]));
    }
    for total in ["27.46", "27.54", "30.00"] {
        let mut order = full_order();
        set(&mut order, "/totalAmount", json!(total));
        let e = order_error(order);
        assert_eq!(
            (e.pointer.as_str(), e.kind),
            ("/orders/0/totalAmount", ErrorKind::TotalsMismatch)
        );
        assert!(e.message.contains("27.50"), "{}", e.message);
    }
}

#[test]
fn each_line_is_quantity_times_price_less_discounts_plus_tax() {
    // line-1: 2 × 10.50 − 1.00 + 4.00 = 24.00; within a cent of rounding is fine.
    let mut order = full_order();
    set(&mut order, "/orderLineItems/0/unitPrice", json!("10.505"));
    accepted(orders(vec![order]));
    let mut order = full_order();
    set(&mut order, "/orderLineItems/0/quantity", json!(3));
    let e = order_error(order);
    assert_eq!(
        (e.pointer.as_str(), e.kind),
        (
            "/orders/0/orderLineItems/0/totalAmount",
            ErrorKind::TotalsMismatch
        )
    );
    assert!(e.message.contains("3 × 10.5000"), "{}", e.message);
}

#[test]
fn signs_agree_and_tax_is_part_of_the_sale() {
    // A positive quantity on a negative (refund) line.
    let mut order = full_order();
    set(&mut order, "/orderLineItems/1/quantity", json!(1));
    set(&mut order, "/orderLineItems/1/unitPrice", json!(-5));
    let e = order_error(order);
    assert_eq!(
        (e.pointer.as_str(), e.kind),
        (
            "/orders/0/orderLineItems/1/quantity",
            ErrorKind::SignConvention
        )
    );
    // Tax larger than the line, and than the order.
    let mut order = full_order();
    set(&mut order, "/orderLineItems/1/totalTaxAmount", json!(-6));
    set(&mut order, "/orderLineItems/1/unitPrice", json!(-1));
    let got: Vec<_> = order_errors(order).into_iter().map(|e| e.pointer).collect();
    assert_eq!(got, ["/orders/0/orderLineItems/1/totalTaxAmount"]);
    let mut order = full_order();
    set(&mut order, "/totalTaxAmount", json!(30));
    let e = order_error(order);
    assert_eq!(
        (e.pointer.as_str(), e.kind),
        ("/orders/0/totalTaxAmount", ErrorKind::OutOfRange)
    );
}

#[test]
fn gratuity_is_outside_the_order_total() {
    // 27.50 plus the 2.00 tip is what the payment carries, not what the order totals.
    let mut order = full_order();
    set(&mut order, "/totalAmount", json!("29.50"));
    assert_eq!(order_error(order).kind, ErrorKind::TotalsMismatch);
}

#[test]
fn an_order_without_lines_or_charges_is_not_summed() {
    let order =
        json!({ "id": "o", "currency": "EUR", "createdDate": "2023-02-14", "totalAmount": 10 });
    let (order, _) = accepted(orders(vec![order]));
    assert!(order.order_line_items.is_empty());
}

#[test]
fn total_refund_is_never_positive() {
    let mut order = full_order();
    set(&mut order, "/totalRefund", json!("5.00"));
    let e = order_error(order);
    assert_eq!(
        (e.pointer.as_str(), e.kind),
        ("/orders/0/totalRefund", ErrorKind::SignConvention)
    );
    let mut zero = full_order();
    set(&mut zero, "/totalRefund", json!(0));
    accepted(orders(vec![zero]));
}

#[test]
fn wrong_shapes_are_reported_at_their_place() {
    let mut order = full_order();
    set(&mut order, "/serviceCharges", json!("none"));
    set(&mut order, "/orderLineItems/1", json!("line"));
    set(&mut order, "/payments/0/paymentProvider", json!(7));
    set(&mut order, "/customerRef", json!(["cust-1"]));
    let got: Vec<_> = order_errors(order)
        .into_iter()
        .map(|e| (e.pointer, e.kind))
        .collect();
    let expected = [
        "/orders/0/orderLineItems/1",
        "/orders/0/payments/0/paymentProvider",
        "/orders/0/serviceCharges",
        "/orders/0/customerRef",
    ];
    assert_eq!(got, expected.map(|p| (p.to_owned(), ErrorKind::WrongType)));
}

#[test]
fn service_charge_quantity_is_a_whole_number() {
    let mut order = full_order();
    set(&mut order, "/serviceCharges/0/quantity", json!("1.5"));
    let e = order_error(order);
    assert_eq!(
        (e.pointer.as_str(), e.kind),
        ("/orders/0/serviceCharges/0/quantity", ErrorKind::WrongType)
    );
    let mut whole = full_order();
    set(&mut whole, "/serviceCharges/0/quantity", json!("2.0"));
    assert_eq!(
        accepted(orders(vec![whole])).0.service_charges[0].quantity,
        Some(2)
    );
}

#[test]
fn pointer_prefix_is_the_callers() {
    let mut order = full_order();
    set(&mut order, "/currency", json!("???"));
    let (_, errors) = parse_orders(&Value::Array(vec![full_order(), order]), "/data/orders");
    assert_eq!(errors[0].pointer, "/data/orders/1/currency");
    assert_eq!(errors[0].index, 1);
}

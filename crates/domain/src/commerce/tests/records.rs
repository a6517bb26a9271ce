//! Dataset-level behaviour (deletes, rejection, duplicates) and the other record kinds' rules.

use super::fixtures::*;
use super::*;
use serde_json::json;

fn pointers_and_kinds(errors: &[RecordError]) -> Vec<(&str, ErrorKind)> {
    errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.kind))
        .collect()
}

#[test]
fn bad_records_are_rejected_whole_and_good_ones_kept() {
    let mut bad = full_order();
    set(&mut bad, "/id", json!("order-2"));
    set(&mut bad, "/orderLineItems/0/totalAmount", json!("x"));
    let mut good = full_order();
    set(&mut good, "/id", json!("order-3"));
    let (accepted, errors) = orders(vec![full_order(), bad, good]);
    let kept: Vec<_> = accepted
        .iter()
        .map(|p| (p.index, p.id().to_owned()))
        .collect();
    assert_eq!(kept, [(0, "order-1".to_owned()), (2, "order-3".to_owned())]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].index, 1);
    assert_eq!(errors[0].id.as_deref(), Some("order-2"));
}

#[test]
fn a_body_with_only_an_id_is_a_delete() {
    let (accepted, errors) = orders(vec![
        json!({ "id": "order-9" }),
        json!({ "id": "order-8", "totalAmount": null }),
    ]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(accepted[0].change, CommerceChange::Delete("order-9".into()));
    assert_eq!(accepted[0].canonical, json!({ "id": "order-9" }));
    assert_eq!(accepted[1].change, CommerceChange::Delete("order-8".into()));
    assert_eq!(accepted[0].created_date(), None);
    assert_eq!(accepted[0].idempotency_key().source_modified_date, None);
    // One more member makes it an (incomplete) upsert, not a delete.
    let errors = order_errors(json!({ "id": "order-7", "orderNumber": "7" }));
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/orders/0/currency", ErrorKind::Required),
            ("/orders/0/createdDate", ErrorKind::Required),
            ("/orders/0/totalAmount", ErrorKind::Required),
        ]
    );
}

#[test]
fn a_delete_still_needs_an_id() {
    let (_, errors) = orders(vec![json!({ "id": "" }), json!({})]);
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/orders/0/id", ErrorKind::Required),
            ("/orders/1/id", ErrorKind::Required)
        ]
    );
}

#[test]
fn a_repeated_id_is_refused_after_the_first() {
    let (accepted, errors) = orders(vec![
        full_order(),
        json!({ "id": "other" }),
        json!({ "id": "order-1" }),
    ]);
    assert_eq!(accepted.len(), 2);
    assert_eq!(
        pointers_and_kinds(&errors),
        [("/orders/2/id", ErrorKind::DuplicateId)]
    );
    assert!(errors[0].message.contains("/orders/0"));
}

#[test]
fn the_dataset_must_be_an_array_of_objects() {
    let (accepted, errors) = parse_orders(&json!({ "id": "x" }), "/orders");
    assert!(accepted.is_empty());
    assert_eq!(
        pointers_and_kinds(&errors),
        [("/orders", ErrorKind::WrongType)]
    );
    let (_, errors) = parse_payments(&json!([1, "p"]), "/payments");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/payments/0", ErrorKind::WrongType),
            ("/payments/1", ErrorKind::WrongType)
        ]
    );
}

#[test]
fn payments_keep_signs_and_need_amount_currency_and_date() {
    let mut refund = full_payment();
    set(&mut refund, "/amount", json!("-29.50"));
    set(&mut refund, "/type", json!("storecredit"));
    let (payment, canonical) = accepted(parse_payments(&json!([refund]), "/payments"));
    assert_eq!(payment.amount, dec("-29.50"));
    assert_eq!(canonical["type"], json!("StoreCredit"));
    assert_eq!(payment.payment_method_ref.unwrap().id, "pm-1");

    let mut bad = full_payment();
    remove(&mut bad, "/amount");
    set(&mut bad, "/currency", json!("eu"));
    remove(&mut bad, "/createdDate");
    set(&mut bad, "/paymentMethodRef", json!({ "id": " " }));
    let (_, errors) = parse_payments(&json!([bad]), "/payments");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/payments/0/currency", ErrorKind::UnknownCurrency),
            ("/payments/0/amount", ErrorKind::Required),
            ("/payments/0/createdDate", ErrorKind::Required),
            ("/payments/0/paymentMethodRef/id", ErrorKind::Required),
        ]
    );
}

#[test]
fn transactions_need_a_known_type_and_source_type() {
    let (fee, _) = accepted(parse_transactions(
        &json!([full_transaction()]),
        "/transactions",
    ));
    assert_eq!(fee.transaction_type, TransactionType::PaymentFee);
    assert_eq!(fee.total_amount, dec("-1.49"));
    assert_eq!(
        fee.transaction_source_ref,
        Some(TransactionSourceRef {
            id: "pay-1".into(),
            source_type: TransactionSourceType::Payment
        })
    );

    let mut bad = full_transaction();
    set(&mut bad, "/type", json!("Fee"));
    set(&mut bad, "/transactionSourceRef/type", json!("Invoice"));
    set(&mut bad, "/totalAmount", json!("-1.499"));
    let (_, errors) = parse_transactions(&json!([bad]), "/transactions");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/transactions/0/totalAmount", ErrorKind::TooManyDecimals),
            ("/transactions/0/type", ErrorKind::InvalidEnum),
            (
                "/transactions/0/transactionSourceRef/type",
                ErrorKind::InvalidEnum
            ),
        ]
    );
    assert!(
        errors[1]
            .message
            .contains("PaymentFee, PaymentFeeRefund, Unknown")
    );

    let mut untyped = full_transaction();
    remove(&mut untyped, "/type");
    remove(&mut untyped, "/transactionSourceRef/type");
    let (_, errors) = parse_transactions(&json!([untyped]), "/transactions");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/transactions/0/type", ErrorKind::Required),
            (
                "/transactions/0/transactionSourceRef/type",
                ErrorKind::Required
            ),
        ]
    );
}

#[test]
fn locations_check_their_address() {
    let mut bad = full_location();
    set(&mut bad, "/address/type", json!("Home"));
    set(&mut bad, "/address/postalCode", json!(12345));
    let (_, errors) = parse_locations(&json!([bad]), "/locations");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/locations/0/address/type", ErrorKind::InvalidEnum),
            ("/locations/0/address/postalCode", ErrorKind::WrongType),
        ]
    );
}

#[test]
fn products_check_variants_prices_and_inventory() {
    let mut bad = full_product();
    remove(&mut bad, "/variants/0/id");
    set(&mut bad, "/variants/0/prices/1/currency", json!("EURO"));
    set(
        &mut bad,
        "/variants/0/inventory/locations/0/locationRef",
        json!({}),
    );
    set(&mut bad, "/productCategoryRefs/1", json!(2));
    set(&mut bad, "/status", json!("Draft"));
    let (_, errors) = parse_products(&json!([bad]), "/products");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/products/0/variants/0/id", ErrorKind::Required),
            (
                "/products/0/variants/0/prices/1/currency",
                ErrorKind::UnknownCurrency
            ),
            (
                "/products/0/variants/0/inventory/locations/0/locationRef/id",
                ErrorKind::Required
            ),
            ("/products/0/productCategoryRefs/1", ErrorKind::WrongType),
            ("/products/0/status", ErrorKind::InvalidEnum),
        ]
    );
}

#[test]
fn partner_inventory_locations_are_read_as_references() {
    let mut product = full_product();
    set(
        &mut product,
        "/variants/0/inventory/locations",
        json!([{ "id": "loc-2", "name": "Depot", "address": { "type": "Inventory" } }]),
    );
    let (product, canonical) = accepted(parse_products(&json!([product]), "/products"));
    let location = &product.variants[0].inventory.as_ref().unwrap().locations[0];
    assert_eq!(
        location.location_ref,
        Some(RecordRef {
            id: "loc-2".into(),
            name: Some("Depot".into())
        })
    );
    assert_eq!(
        canonical["variants"][0]["inventory"]["locations"][0]["locationRef"]["id"],
        json!("loc-2")
    );
}

#[test]
fn product_categories_customers_and_payment_methods_check_their_fields() {
    let mut category = full_product_category();
    remove(&mut category, "/ancestorRefs/0/type");
    let (_, errors) = parse_product_categories(&json!([category]), "/productCategories");
    assert_eq!(
        pointers_and_kinds(&errors),
        [(
            "/productCategories/0/ancestorRefs/0/type",
            ErrorKind::Required
        )]
    );

    let mut customer = full_customer();
    set(&mut customer, "/defaultCurrency", json!("XYZ"));
    set(&mut customer, "/addresses/1/type", json!("Office"));
    let (_, errors) = parse_customers(&json!([customer]), "/customers");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/customers/0/defaultCurrency", ErrorKind::UnknownCurrency),
            ("/customers/0/addresses/1/type", ErrorKind::InvalidEnum),
        ]
    );

    let mut method = full_payment_method();
    set(&mut method, "/status", json!("Deleted"));
    let (_, errors) = parse_payment_methods(&json!([method]), "/paymentMethods");
    assert_eq!(
        pointers_and_kinds(&errors),
        [("/paymentMethods/0/status", ErrorKind::InvalidEnum)]
    );
    assert!(
        errors[0]
            .message
            .ends_with("allowed: Active, Archived, Unknown")
    );
}

#[test]
fn tax_components_need_a_name_and_a_fractional_rate() {
    let mut percent = full_tax_component();
    set(&mut percent, "/rate", json!(20));
    remove(&mut percent, "/name");
    let (_, errors) = parse_tax_components(&json!([percent]), "/taxComponents");
    assert_eq!(
        pointers_and_kinds(&errors),
        [
            ("/taxComponents/0/name", ErrorKind::Required),
            ("/taxComponents/0/rate", ErrorKind::OutOfRange)
        ]
    );
    for rate in ["0", "1", "0.075"] {
        let mut ok = full_tax_component();
        set(&mut ok, "/rate", json!(rate));
        accepted(parse_tax_components(&json!([ok]), "/taxComponents"));
    }
}

#[test]
fn dataset_kinds_name_their_wire_forms() {
    assert_eq!(
        DatasetKind::ProductCategories.json_key(),
        "productCategories"
    );
    assert_eq!(DatasetKind::Orders.data_type(), "commerce-orders");
    assert_eq!(
        <TaxComponent as CommerceRecord>::KIND.data_type(),
        "commerce-taxComponents"
    );
}

#[test]
fn a_stored_canonical_record_parses_on_its_own() {
    let (_, canonical) = accepted(orders(vec![full_order()]));
    let parsed = parse_record::<Order>(&canonical, "").unwrap();
    assert_eq!(parsed.id(), "order-1");
    assert_eq!(parsed.record().unwrap().order_line_items.len(), 2);
    assert!(
        parse_record::<Order>(&json!({ "id": "gone" }), "")
            .unwrap()
            .record()
            .is_none()
    );
    let errors =
        parse_record::<Order>(&json!({ "id": "x", "currency": 1 }), "/stored").unwrap_err();
    assert_eq!(errors[0].pointer, "/stored/currency");
}

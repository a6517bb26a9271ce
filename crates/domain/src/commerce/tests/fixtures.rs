//! Records with every field of the model filled in, as a client would push them.

use serde_json::Value;

/// Parsed from text, as a request body is: amounts keep their exact text, never an f64.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

pub fn full_order() -> Value {
    parse(
        r#"{
        "id": "order-1",
        "orderNumber": "1001",
        "country": "GBR",
        "currency": "GBP",
        "createdDate": "2023-02-14T10:15:00Z",
        "closedDate": "2023-02-14T10:20:00+01:00",
        "totalAmount": 27.50,
        "totalRefund": -5.00,
        "totalTaxAmount": 4.58,
        "totalDiscount": 1.00,
        "totalGratuity": 2.00,
        "orderLineItems": [
            {
                "id": "line-1",
                "quantity": 2,
                "taxPercentage": 20,
                "totalAmount": 24.00,
                "totalTaxAmount": 4.00,
                "unitPrice": 10.5000,
                "taxes": [
                    { "taxComponentRef": { "id": "vat-20", "name": "VAT 20%" }, "rate": 4.00 }
                ],
                "productRef": { "id": "prod-1", "name": "Coffee beans" },
                "productVariantRef": { "id": "var-1", "name": "1 kg" },
                "discountAllocations": [ { "name": "Loyalty", "totalAmount": 1.00 } ]
            },
            {
                "id": "line-2",
                "quantity": -1,
                "taxPercentage": 0,
                "totalAmount": -5.00,
                "totalTaxAmount": 0,
                "unitPrice": 5,
                "taxes": [],
                "productRef": { "id": "prod-2" },
                "discountAllocations": []
            }
        ],
        "payments": [
            {
                "id": "pay-1",
                "amount": 29.50,
                "currency": "GBP",
                "type": "card",
                "status": "PAID",
                "paymentProvider": "Adyen",
                "dueDate": "2023-02-14T10:15:00Z",
                "createdDate": "2023-02-14T10:16:00Z",
                "modifiedDate": "2023-02-14T10:17:00Z",
                "sourceModifiedDate": "2023-02-14T10:16:30Z"
            }
        ],
        "serviceCharges": [
            {
                "description": "Delivery",
                "totalAmount": 8.50,
                "taxPercentage": 20,
                "taxAmount": 0.58,
                "taxes": [ { "taxComponentRef": { "id": "vat-20", "name": "VAT 20%" }, "taxAmount": 0.58 } ],
                "quantity": 1,
                "type": "Shipping"
            }
        ],
        "locationRef": { "id": "loc-1", "name": "High Street" },
        "customerRef": { "id": "cust-1", "name": "Ada" },
        "supplementalData": { "content": { "orders": { "till": 3 } } },
        "modifiedDate": "2023-02-14T11:00:00Z",
        "sourceModifiedDate": "2023-02-14T10:30:00Z"
    }"#,
    )
}

pub fn full_payment() -> Value {
    parse(
        r#"{
        "id": "pay-1",
        "amount": 29.50,
        "currency": "GBP",
        "type": "Card",
        "paymentMethodRef": { "id": "pm-1", "name": "Visa" },
        "status": "Paid",
        "paymentProvider": "Adyen",
        "dueDate": "2023-02-14T10:15:00Z",
        "supplementalData": { "content": {} },
        "createdDate": "2023-02-14T10:16:00Z",
        "modifiedDate": "2023-02-14T10:17:00Z",
        "sourceModifiedDate": "2023-02-14T10:16:30Z"
    }"#,
    )
}

pub fn full_transaction() -> Value {
    parse(
        r#"{
        "id": "fee-1",
        "totalAmount": -1.49,
        "currency": "GBP",
        "type": "PaymentFee",
        "subType": "card_fee",
        "transactionSourceRef": { "id": "pay-1", "type": "Payment" },
        "supplementalData": { "content": { "x": { "y": 1 } } },
        "createdDate": "2023-02-14T10:16:00Z",
        "sourceCreatedDate": "2023-02-14T10:15:59Z",
        "modifiedDate": "2023-02-14T10:17:00Z",
        "sourceModifiedDate": "2023-02-14T10:16:30Z"
    }"#,
    )
}

pub fn full_location() -> Value {
    parse(
        r#"{
        "id": "loc-1",
        "name": "High Street",
        "address": { "type": "Billing", "line1": "1 High Street", "line2": "Unit 2", "city": "London", "region": "Greater London", "country": "GB", "postalCode": "N1 1AA" },
        "modifiedDate": "2023-02-14T10:17:00Z",
        "sourceModifiedDate": "2023-02-14T10:16:30Z"
    }"#,
    )
}

pub fn full_product() -> Value {
    parse(
        r#"{
        "id": "prod-1",
        "name": "Coffee beans",
        "description": "Single origin",
        "categorization": "Grocery",
        "productCategoryRefs": ["cat-1", "cat-2"],
        "isGiftCard": false,
        "status": "Published",
        "variants": [{
            "id": "var-1",
            "name": "1 kg",
            "quantity": 12,
            "isTaxEnabled": true,
            "sku": "CB-1KG",
            "barcode": "5012345678900",
            "unitOfMeasure": "kg",
            "vatPercentage": 20,
            "prices": [ { "currency": "GBP", "unitPrice": 20.8333 }, { "currency": "EUR", "unitPrice": 24 } ],
            "inventory": {
                "totalQuantity": 12.5,
                "locations": [ { "quantity": 12.5, "locationRef": { "id": "loc-1", "name": "High Street" } } ]
            },
            "shippingRequired": true,
            "status": "unpublished",
            "createdDate": "2023-01-01T00:00:00Z",
            "modifiedDate": "2023-01-02T00:00:00Z",
            "sourceModifiedDate": "2023-01-03T00:00:00Z"
        }],
        "supplementalData": { "content": {} },
        "createdDate": "2023-01-01T00:00:00Z",
        "modifiedDate": "2023-01-02T00:00:00Z",
        "sourceModifiedDate": "2023-01-03T00:00:00Z"
    }"#,
    )
}

pub fn full_product_category() -> Value {
    parse(
        r#"{
        "id": "cat-2",
        "name": "Coffee",
        "ancestorRefs": [ { "id": "cat-1", "type": "ProductCategory" } ],
        "hasChildren": false,
        "modifiedDate": "2023-01-02T00:00:00Z",
        "sourceModifiedDate": "2023-01-03T00:00:00Z"
    }"#,
    )
}

pub fn full_customer() -> Value {
    parse(
        r#"{
        "id": "cust-1",
        "customerName": "Ada Lovelace",
        "emailAddress": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "defaultCurrency": "gbp",
        "addresses": [ { "type": "Billing", "line1": "1 High Street", "line2": "Unit 2", "city": "London", "region": "Greater London", "country": "GB", "postalCode": "N1 1AA" }, { "type": "delivery", "line1": "1 High Street", "line2": "Unit 2", "city": "London", "region": "Greater London", "country": "GB", "postalCode": "N1 1AA" } ],
        "note": "Prefers email",
        "createdDate": "2023-01-01T00:00:00Z",
        "modifiedDate": "2023-01-02T00:00:00Z",
        "sourceModifiedDate": "2023-01-03T00:00:00Z"
    }"#,
    )
}

pub fn full_payment_method() -> Value {
    parse(
        r#"{
        "id": "pm-1",
        "name": "Visa",
        "status": "Active",
        "modifiedDate": "2023-01-02T00:00:00Z",
        "sourceModifiedDate": "2023-01-03T00:00:00Z"
    }"#,
    )
}

pub fn full_tax_component() -> Value {
    parse(
        r#"{
        "id": "vat-20",
        "name": "VAT 20%",
        "rate": 0.2,
        "isCompound": false,
        "modifiedDate": "2023-01-02T00:00:00Z",
        "sourceModifiedDate": "2023-01-03T00:00:00Z"
    }"#,
    )
}

/// Sets `value` at `pointer` (which must exist up to its parent).
pub fn set(record: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = record
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("{pointer} has no container"),
    }
}

/// Removes the member at `pointer`.
pub fn remove(record: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    record
        .pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap();
}

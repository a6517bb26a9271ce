//! Commerce records pushed by a client: orders, payments, transactions and their reference data.
//!
//! Each dataset arrives as a JSON array. [`parse_orders`] and its siblings read it into typed
//! records, reporting every bad field with its JSON pointer; a bad record is rejected whole and
//! the good ones are kept. The model is the union of Codat's beta push, Commerce API and partner
//! push shapes (see `reference/codat/commerce-data-model.md`). Amounts are exact decimals, dates
//! are instants (see [`dates`]), enum values are read ignoring case and emitted canonically.

pub mod customers;
pub mod dates;
pub mod enums;
pub mod locations;
pub mod orders;
pub mod payment_methods;
pub mod payments;
pub mod product_categories;
pub mod products;
pub mod reader;
pub mod record;
pub mod refs;
pub mod tax_components;
pub mod transactions;
pub mod validation;

pub use customers::Customer;
pub use enums::{
    AddressType, CommerceEnum, PaymentMethodStatus, PaymentStatus, PaymentType, ProductStatus,
    ServiceChargeType, TransactionSourceType, TransactionType,
};
pub use locations::Location;
pub use orders::{DiscountAllocation, Order, OrderLineItem, PaymentRef, ServiceCharge};
pub use payment_methods::PaymentMethod;
pub use payments::Payment;
pub use product_categories::ProductCategory;
pub use products::{Inventory, InventoryLocation, Product, ProductPrice, ProductVariant};
pub use record::{
    Canonical, CommerceChange, CommerceRecord, DatasetKind, DatasetParser, ErrorKind,
    IdempotencyKey, Parsed, RecordError, parse_dataset, parse_dataset_text, parse_record,
};
pub use refs::{Address, RecordRef, TaxAllocation, TransactionSourceRef, TypedRecordRef};
pub use tax_components::TaxComponent;
pub use transactions::Transaction;

use serde_json::Value;

/// The outcome of parsing one dataset: accepted records and every error of the rejected ones.
pub type DatasetParse<T> = (Vec<Parsed<T>>, Vec<RecordError>);

/// Orders from a dataset's array; `pointer_prefix` is where the array sits (e.g. `/orders`).
pub fn parse_orders(records: &Value, pointer_prefix: &str) -> DatasetParse<Order> {
    parse_dataset(records, pointer_prefix)
}

/// Payments from a dataset's array.
pub fn parse_payments(records: &Value, pointer_prefix: &str) -> DatasetParse<Payment> {
    parse_dataset(records, pointer_prefix)
}

/// Transactions from a dataset's array.
pub fn parse_transactions(records: &Value, pointer_prefix: &str) -> DatasetParse<Transaction> {
    parse_dataset(records, pointer_prefix)
}

/// Locations from a dataset's array.
pub fn parse_locations(records: &Value, pointer_prefix: &str) -> DatasetParse<Location> {
    parse_dataset(records, pointer_prefix)
}

/// Products from a dataset's array.
pub fn parse_products(records: &Value, pointer_prefix: &str) -> DatasetParse<Product> {
    parse_dataset(records, pointer_prefix)
}

/// Product categories from a dataset's array.
pub fn parse_product_categories(
    records: &Value,
    pointer_prefix: &str,
) -> DatasetParse<ProductCategory> {
    parse_dataset(records, pointer_prefix)
}

/// Customers from a dataset's array.
pub fn parse_customers(records: &Value, pointer_prefix: &str) -> DatasetParse<Customer> {
    parse_dataset(records, pointer_prefix)
}

/// Payment methods from a dataset's array.
pub fn parse_payment_methods(records: &Value, pointer_prefix: &str) -> DatasetParse<PaymentMethod> {
    parse_dataset(records, pointer_prefix)
}

/// Tax components from a dataset's array.
pub fn parse_tax_components(records: &Value, pointer_prefix: &str) -> DatasetParse<TaxComponent> {
    parse_dataset(records, pointer_prefix)
}

#[cfg(test)]
mod tests;

//! Products and their variants (prices, inventory). Gift cards matter to the books: selling
//! one is a liability (prepaid), not a sale.

use super::enums::ProductStatus;
use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::{RecordRef, read_all};
use crate::money::Currency;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

/// A product (Commerce API fields plus the partner push's `productCategoryRefs`, `status`
/// and `createdDate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Retail category as free text, e.g. `Hardware`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categorization: Option<String>,
    /// Ids of the product categories the product belongs to.
    pub product_category_refs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_gift_card: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ProductStatus>,
    pub variants: Vec<ProductVariant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

/// A sellable version of a product (size, colour, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductVariant {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Partner push only.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub quantity: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_tax_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_of_measure: Option<String>,
    /// A percentage (20 for 20 %).
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub vat_percentage: Option<Decimal>,
    pub prices: Vec<ProductPrice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ProductStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

/// A variant's price in one currency; a price, so not held to the currency's decimals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductPrice {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub unit_price: Option<Decimal>,
}

/// Stock of a variant, in total and per location.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_quantity: Option<Decimal>,
    pub locations: Vec<InventoryLocation>,
}

/// Stock at one location. The partner push sends a whole Location object here instead of
/// `{quantity, locationRef}`; its `id` and `name` are read as the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryLocation {
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub quantity: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_ref: Option<RecordRef>,
}

impl CommerceRecord for Product {
    const KIND: DatasetKind = DatasetKind::Products;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_date(&self) -> Option<Timestamp> {
        self.created_date
    }
    fn source_modified_date(&self) -> Option<Timestamp> {
        self.source_modified_date
    }

    fn read(r: &RecordReader, o: &Obj) -> Option<Self> {
        let id = r.id(o, "id");
        let variants = read_all(r, o, "variants", |v| read_variant(r, v));
        Some(Product {
            name: r.string(o, "name"),
            description: r.string(o, "description"),
            categorization: r.string(o, "categorization"),
            product_category_refs: r.strings(o, "productCategoryRefs"),
            is_gift_card: r.boolean(o, "isGiftCard"),
            status: r.enumeration(o, "status"),
            supplemental_data: r.free_object(o, "supplementalData"),
            created_date: r.date(o, "createdDate"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            variants: variants?,
        })
    }
}

fn read_variant(r: &RecordReader, o: &Obj) -> Option<ProductVariant> {
    let id = r.id(o, "id");
    let prices = r.objects(o, "prices");
    let prices = prices
        .iter()
        .map(|p| ProductPrice {
            currency: r.currency(p, "currency"),
            unit_price: r.decimal(p, "unitPrice"),
        })
        .collect();
    let inventory = match r.object(o, "inventory") {
        Some(i) => read_inventory(r, &i).map(Some),
        None => Some(None),
    };
    Some(ProductVariant {
        name: r.string(o, "name"),
        quantity: r.decimal(o, "quantity"),
        is_tax_enabled: r.boolean(o, "isTaxEnabled"),
        sku: r.string(o, "sku"),
        barcode: r.string(o, "barcode"),
        unit_of_measure: r.string(o, "unitOfMeasure"),
        vat_percentage: r.decimal(o, "vatPercentage"),
        prices,
        shipping_required: r.boolean(o, "shippingRequired"),
        status: r.enumeration(o, "status"),
        created_date: r.date(o, "createdDate"),
        modified_date: r.date(o, "modifiedDate"),
        source_modified_date: r.date(o, "sourceModifiedDate"),
        id: id?,
        inventory: inventory?,
    })
}

fn read_inventory(r: &RecordReader, o: &Obj) -> Option<Inventory> {
    let locations = read_all(r, o, "locations", |l| {
        let quantity = r.decimal(l, "quantity");
        let location_ref = if l.get("locationRef").is_none() && l.get("id").is_some() {
            RecordRef::read_obj(r, l).map(Some)
        } else {
            RecordRef::read(r, l, "locationRef")
        };
        Some(InventoryLocation {
            quantity,
            location_ref: location_ref?,
        })
    });
    Some(Inventory {
        total_quantity: r.decimal(o, "totalQuantity"),
        locations: locations?,
    })
}

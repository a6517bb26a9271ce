//! Orders: what was sold, with lines, discounts, service charges and the payments made.
//!
//! Sign conventions (Commerce API): refund lines have negative `quantity` and amounts;
//! `totalRefund` is zero or negative; discounts are positive when they reduce the amount;
//! `totalAmount` includes discounts, refunds and tax but **excludes gratuity**.

use super::enums::{PaymentStatus, PaymentType, ServiceChargeType};
use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::{RecordRef, TaxAllocation, read_all};
use super::validation::check_order;
use crate::money::Currency;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

/// A sale (or a refund of one) in the commerce platform.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    /// As provided by the platform (ISO 3166 alpha-3 expected, not normalised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Required here: groups the books and decides the decimals of every amount.
    pub currency: Currency,
    /// Required here: selects the sync period.
    pub created_date: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_date: Option<Timestamp>,
    /// Lines plus service charges, tax, discounts and refunds included; gratuity excluded.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total_amount: Decimal,
    /// Always zero or negative.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_refund: Option<Decimal>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_tax_amount: Option<Decimal>,
    /// Excluding tax; positive when it reduces the amount.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_discount: Option<Decimal>,
    /// Tips: not in `totalAmount`, but in the payments' `amount`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_gratuity: Option<Decimal>,
    pub order_line_items: Vec<OrderLineItem>,
    pub payments: Vec<PaymentRef>,
    pub service_charges: Vec<ServiceCharge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_ref: Option<RecordRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_ref: Option<RecordRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

/// One line of an order. Negative `quantity` (and amounts) for a refunded line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLineItem {
    pub id: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub quantity: Option<Decimal>,
    /// 0 to 100.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub tax_percentage: Option<Decimal>,
    /// Including discounts and tax. Required here: the order total is checked against it.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total_amount: Decimal,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub total_tax_amount: Option<Decimal>,
    /// Excluding discounts and tax. A price, not a settled amount: more decimals than the
    /// currency's are allowed (e.g. 8.333 net of VAT).
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub unit_price: Option<Decimal>,
    pub taxes: Vec<TaxAllocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_ref: Option<RecordRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_variant_ref: Option<RecordRef>,
    pub discount_allocations: Vec<DiscountAllocation>,
}

/// A discount applied to a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscountAllocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Excluding tax; positive when it reduces the amount.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total_amount: Decimal,
}

/// A payment as listed on its order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRef {
    pub id: String,
    /// Including gratuity; negative for a refund.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub amount: Option<Decimal>,
    /// The order's currency when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

/// A charge on the order that is not a product line (shipping, service, overpayment).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCharge {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Including tax. Required here: part of the order total.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub total_amount: Decimal,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub tax_percentage: Option<Decimal>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub tax_amount: Option<Decimal>,
    pub taxes: Vec<TaxAllocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub charge_type: Option<ServiceChargeType>,
}

impl CommerceRecord for Order {
    const KIND: DatasetKind = DatasetKind::Orders;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_date(&self) -> Option<Timestamp> {
        Some(self.created_date)
    }
    fn source_modified_date(&self) -> Option<Timestamp> {
        self.source_modified_date
    }

    fn read(r: &RecordReader, o: &Obj) -> Option<Self> {
        let id = r.id(o, "id");
        let currency = r.currency(o, "currency");
        let currency = r.require(o, "currency", currency);
        let created_date = r.date(o, "createdDate");
        let created_date = r.require(o, "createdDate", created_date);
        let total_amount = r.amount(o, "totalAmount", currency);
        let total_amount = r.require(o, "totalAmount", total_amount);
        let lines = read_all(r, o, "orderLineItems", |l| read_line(r, l, currency));
        let payments = read_all(r, o, "payments", |p| read_payment_ref(r, p, currency));
        let charges = read_all(r, o, "serviceCharges", |c| {
            read_service_charge(r, c, currency)
        });
        let location_ref = RecordRef::read(r, o, "locationRef");
        let customer_ref = RecordRef::read(r, o, "customerRef");
        let order = Order {
            order_number: r.string(o, "orderNumber"),
            country: r.string(o, "country"),
            closed_date: r.date(o, "closedDate"),
            total_refund: r.amount(o, "totalRefund", currency),
            total_tax_amount: r.amount(o, "totalTaxAmount", currency),
            total_discount: r.amount(o, "totalDiscount", currency),
            total_gratuity: r.amount(o, "totalGratuity", currency),
            supplemental_data: r.free_object(o, "supplementalData"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            currency: currency?,
            created_date: created_date?,
            total_amount: total_amount?,
            order_line_items: lines?,
            payments: payments?,
            service_charges: charges?,
            location_ref: location_ref?,
            customer_ref: customer_ref?,
        };
        check_order(r, o, &order);
        Some(order)
    }
}

fn read_line(r: &RecordReader, o: &Obj, currency: Option<Currency>) -> Option<OrderLineItem> {
    let id = r.id(o, "id");
    let total_amount = r.amount(o, "totalAmount", currency);
    let total_amount = r.require(o, "totalAmount", total_amount);
    let taxes = read_all(r, o, "taxes", |t| TaxAllocation::read_obj(r, t, currency));
    let discounts = read_all(r, o, "discountAllocations", |d| {
        let name = r.string(d, "name");
        let amount = r.amount(d, "totalAmount", currency);
        let amount = r.require(d, "totalAmount", amount);
        Some(DiscountAllocation {
            name,
            total_amount: amount?,
        })
    });
    let product_ref = RecordRef::read(r, o, "productRef");
    let product_variant_ref = RecordRef::read(r, o, "productVariantRef");
    Some(OrderLineItem {
        quantity: r.decimal(o, "quantity"),
        tax_percentage: r.decimal(o, "taxPercentage"),
        total_tax_amount: r.amount(o, "totalTaxAmount", currency),
        unit_price: r.decimal(o, "unitPrice"),
        id: id?,
        total_amount: total_amount?,
        taxes: taxes?,
        product_ref: product_ref?,
        product_variant_ref: product_variant_ref?,
        discount_allocations: discounts?,
    })
}

fn read_payment_ref(
    r: &RecordReader,
    o: &Obj,
    order_currency: Option<Currency>,
) -> Option<PaymentRef> {
    let id = r.id(o, "id");
    let currency = r.currency(o, "currency");
    let amount = r.amount(o, "amount", currency.or(order_currency));
    Some(PaymentRef {
        payment_type: r.enumeration(o, "type"),
        status: r.enumeration(o, "status"),
        payment_provider: r.string(o, "paymentProvider"),
        due_date: r.date(o, "dueDate"),
        created_date: r.date(o, "createdDate"),
        modified_date: r.date(o, "modifiedDate"),
        source_modified_date: r.date(o, "sourceModifiedDate"),
        id: id?,
        amount,
        currency,
    })
}

fn read_service_charge(
    r: &RecordReader,
    o: &Obj,
    currency: Option<Currency>,
) -> Option<ServiceCharge> {
    let total_amount = r.amount(o, "totalAmount", currency);
    let total_amount = r.require(o, "totalAmount", total_amount);
    let taxes = read_all(r, o, "taxes", |t| TaxAllocation::read_obj(r, t, currency));
    Some(ServiceCharge {
        description: r.string(o, "description"),
        tax_percentage: r.decimal(o, "taxPercentage"),
        tax_amount: r.amount(o, "taxAmount", currency),
        quantity: r.integer(o, "quantity"),
        charge_type: r.enumeration(o, "type"),
        total_amount: total_amount?,
        taxes: taxes?,
    })
}

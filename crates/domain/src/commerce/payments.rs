//! Payments: money received for orders. A refund is a separate payment with a **negative**
//! `amount`, issued only after a `Paid` payment; `amount` **includes** gratuity.

use super::enums::{PaymentStatus, PaymentType};
use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::RecordRef;
use crate::money::Currency;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

/// A payment (beta push, partner push and Commerce API fields together).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub id: String,
    /// Including gratuity; negative for a refund.
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    pub currency: Currency,
    /// Beta and partner push: selects the clearing account per payment type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<PaymentType>,
    /// Commerce API: the payment method record instead of `type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method_ref: Option<RecordRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental_data: Option<Map<String, Value>>,
    /// Required here: selects the sync period.
    pub created_date: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for Payment {
    const KIND: DatasetKind = DatasetKind::Payments;

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
        let amount = r.amount(o, "amount", currency);
        let amount = r.require(o, "amount", amount);
        let created_date = r.date(o, "createdDate");
        let created_date = r.require(o, "createdDate", created_date);
        let payment_method_ref = RecordRef::read(r, o, "paymentMethodRef");
        Some(Payment {
            payment_type: r.enumeration(o, "type"),
            status: r.enumeration(o, "status"),
            payment_provider: r.string(o, "paymentProvider"),
            due_date: r.date(o, "dueDate"),
            supplemental_data: r.free_object(o, "supplementalData"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            amount: amount?,
            currency: currency?,
            payment_method_ref: payment_method_ref?,
            created_date: created_date?,
        })
    }
}

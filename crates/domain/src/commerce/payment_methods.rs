//! Payment methods: the Commerce API's replacement for the beta `Payment.type`.

use super::enums::PaymentMethodStatus;
use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use jiff::Timestamp;
use serde::Serialize;

/// A way of paying offered by the platform (e.g. "Visa via Adyen").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethod {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentMethodStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for PaymentMethod {
    const KIND: DatasetKind = DatasetKind::PaymentMethods;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_date(&self) -> Option<Timestamp> {
        None
    }
    fn source_modified_date(&self) -> Option<Timestamp> {
        self.source_modified_date
    }

    fn read(r: &RecordReader, o: &Obj) -> Option<Self> {
        let id = r.id(o, "id");
        Some(PaymentMethod {
            name: r.string(o, "name"),
            status: r.enumeration(o, "status"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
        })
    }
}

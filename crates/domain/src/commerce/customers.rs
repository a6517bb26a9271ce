//! Customers of the merchant (who placed an order).

use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::Address;
use crate::money::Currency;
use jiff::Timestamp;
use serde::Serialize;

/// A customer of the merchant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<Currency>,
    pub addresses: Vec<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for Customer {
    const KIND: DatasetKind = DatasetKind::Customers;

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
        let addresses = r.objects(o, "addresses");
        Some(Customer {
            customer_name: r.string(o, "customerName"),
            email_address: r.string(o, "emailAddress"),
            phone: r.string(o, "phone"),
            default_currency: r.currency(o, "defaultCurrency"),
            addresses: addresses.iter().map(|a| Address::read_obj(r, a)).collect(),
            note: r.string(o, "note"),
            created_date: r.date(o, "createdDate"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
        })
    }
}

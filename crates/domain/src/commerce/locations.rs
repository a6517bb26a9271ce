//! Locations: the shops and sites orders are placed at (a grouping key for invoices).

use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::Address;
use jiff::Timestamp;
use serde::Serialize;

/// A shop or site of the merchant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for Location {
    const KIND: DatasetKind = DatasetKind::Locations;

    fn id(&self) -> &str {
        &self.id
    }
    /// Locations have no creation date in the model.
    fn created_date(&self) -> Option<Timestamp> {
        None
    }
    fn source_modified_date(&self) -> Option<Timestamp> {
        self.source_modified_date
    }

    fn read(r: &RecordReader, o: &Obj) -> Option<Self> {
        let id = r.id(o, "id");
        Some(Location {
            name: r.string(o, "name"),
            address: r.object(o, "address").map(|a| Address::read_obj(r, &a)),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
        })
    }
}

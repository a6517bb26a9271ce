//! Tax components: the rates that make up a line's tax (e.g. state + county), for mapping tax
//! per component in journal mode.

use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind, ErrorKind};
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;

/// One tax rate component of the source software.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxComponent {
    pub id: String,
    /// Required by both the Commerce API and the partner push.
    pub name: String,
    /// A fraction of the net price, 0 to 1 inclusive (0.2 for 20 %), enforced as the partner
    /// push spec declares.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub rate: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_compound: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for TaxComponent {
    const KIND: DatasetKind = DatasetKind::TaxComponents;

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
        let name = r.id(o, "name");
        let rate = r.decimal(o, "rate");
        if let Some(rate) = rate
            && (rate < Decimal::ZERO || rate > Decimal::ONE)
        {
            r.error(
                o.at("rate"),
                ErrorKind::OutOfRange,
                format!("`rate` {rate} must be a fraction from 0 to 1 (0.2 for 20 %)"),
            );
        }
        Some(TaxComponent {
            is_compound: r.boolean(o, "isCompound"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            name: name?,
            rate,
        })
    }
}

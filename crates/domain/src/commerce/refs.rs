//! Small shared shapes: references to other records, addresses, tax allocations.

use super::enums::{AddressType, TransactionSourceType};
use super::reader::{Obj, RecordReader};
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::Serialize;

/// A reference to another record by id, with its name for display
/// (`locationRef`, `customerRef`, `productRef`, `paymentMethodRef`, `taxComponentRef`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordRef {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl RecordRef {
    /// Reads an optional reference at `key`; when present its `id` is required.
    pub fn read(r: &RecordReader, obj: &Obj, key: &str) -> Option<Option<Self>> {
        let Some(o) = r.object(obj, key) else {
            return Some(None);
        };
        Self::read_obj(r, &o).map(Some)
    }

    pub(crate) fn read_obj(r: &RecordReader, o: &Obj) -> Option<Self> {
        let name = r.string(o, "name");
        Some(Self {
            id: r.id(o, "id")?,
            name,
        })
    }
}

/// A reference with the referenced record's type as free text (`ancestorRefs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypedRecordRef {
    pub id: String,
    #[serde(rename = "type")]
    pub record_type: String,
}

impl TypedRecordRef {
    pub(crate) fn read_obj(r: &RecordReader, o: &Obj) -> Option<Self> {
        let record_type = r.string(o, "type");
        let record_type = r.require(o, "type", record_type);
        Some(Self {
            id: r.id(o, "id")?,
            record_type: record_type?,
        })
    }
}

/// The record a transaction arose from (an order for a payment, a payment for its fee).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionSourceRef {
    pub id: String,
    #[serde(rename = "type")]
    pub source_type: TransactionSourceType,
}

impl TransactionSourceRef {
    pub(crate) fn read_obj(r: &RecordReader, o: &Obj) -> Option<Self> {
        let source_type = r.enumeration(o, "type");
        let source_type = r.require(o, "type", source_type);
        Some(Self {
            id: r.id(o, "id")?,
            source_type: source_type?,
        })
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub address_type: Option<AddressType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// As the platform sends it (ISO 3166 alpha-2 or alpha-3, or a name); not normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

impl Address {
    pub(crate) fn read_obj(r: &RecordReader, o: &Obj) -> Self {
        Self {
            address_type: r.enumeration(o, "type"),
            line1: r.string(o, "line1"),
            line2: r.string(o, "line2"),
            city: r.string(o, "city"),
            region: r.string(o, "region"),
            country: r.string(o, "country"),
            postal_code: r.string(o, "postalCode"),
        }
    }
}

/// The share of a line's (or service charge's) tax owed to one tax component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxAllocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_component_ref: Option<RecordRef>,
    /// An amount, not a rate. The Commerce API names it `rate` (but describes an amount), the
    /// partner push `taxAmount`; both are read, `taxAmount` is emitted.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::arbitrary_precision_option"
    )]
    pub tax_amount: Option<Decimal>,
}

impl TaxAllocation {
    pub(crate) fn read_obj(r: &RecordReader, o: &Obj, currency: Option<Currency>) -> Option<Self> {
        let key = if o.get("taxAmount").is_some() {
            "taxAmount"
        } else {
            "rate"
        };
        let tax_amount = r.amount(o, key, currency);
        let tax_component_ref = RecordRef::read(r, o, "taxComponentRef")?;
        Some(Self {
            tax_component_ref,
            tax_amount,
        })
    }
}

/// Reads every object of the array at `key` with `read`; `None` if any item is bad.
pub(crate) fn read_all<T>(
    r: &RecordReader,
    obj: &Obj<'_>,
    key: &str,
    mut read: impl FnMut(&Obj<'_>) -> Option<T>,
) -> Option<Vec<T>> {
    let before = r.error_count();
    let items = r.objects(obj, key);
    // A non-array or a non-object item leaves the list incomplete: do not build on it.
    let mut ok = r.error_count() == before;
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        match read(item) {
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

//! Product categories: sales can be mapped to an account per category.

use super::reader::{Obj, RecordReader};
use super::record::{CommerceRecord, DatasetKind};
use super::refs::{TypedRecordRef, read_all};
use jiff::Timestamp;
use serde::Serialize;

/// A category of products. The Commerce API makes `id` optional; a pushed category needs one
/// (it is how products refer to it and how a later push updates or deletes it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductCategory {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Parents, the immediate parent last (kept, although the sync treats categories flat).
    pub ancestor_refs: Vec<TypedRecordRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_children: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_modified_date: Option<Timestamp>,
}

impl CommerceRecord for ProductCategory {
    const KIND: DatasetKind = DatasetKind::ProductCategories;

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
        let ancestors = read_all(r, o, "ancestorRefs", |a| TypedRecordRef::read_obj(r, a));
        Some(ProductCategory {
            name: r.string(o, "name"),
            has_children: r.boolean(o, "hasChildren"),
            modified_date: r.date(o, "modifiedDate"),
            source_modified_date: r.date(o, "sourceModifiedDate"),
            id: id?,
            ancestor_refs: ancestors?,
        })
    }
}

//! What every pushed record shares: its change kind, its errors, its canonical JSON, and
//! the dataset-level parse that keeps good records and rejects bad ones whole.

use super::reader::{Obj, Pointer, RecordReader};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// The rule a bad field broke; `as_str` is stable and suits an API's `validatorName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Required,
    WrongType,
    InvalidDate,
    InvalidAmount,
    InvalidEnum,
    UnknownCurrency,
    TooManyDecimals,
    OutOfRange,
    SignConvention,
    TotalsMismatch,
    DuplicateId,
    /// Text no database can keep (NUL).
    InvalidText,
}

impl ErrorKind {
    /// A stable name for the rule.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Required => "Required",
            ErrorKind::WrongType => "WrongType",
            ErrorKind::InvalidDate => "InvalidDate",
            ErrorKind::InvalidAmount => "InvalidAmount",
            ErrorKind::InvalidEnum => "InvalidEnum",
            ErrorKind::UnknownCurrency => "UnknownCurrency",
            ErrorKind::TooManyDecimals => "TooManyDecimals",
            ErrorKind::OutOfRange => "OutOfRange",
            ErrorKind::SignConvention => "SignConvention",
            ErrorKind::TotalsMismatch => "TotalsMismatch",
            ErrorKind::DuplicateId => "DuplicateId",
            ErrorKind::InvalidText => "InvalidText",
        }
    }
}

/// One bad field of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Position of the record in the dataset's array.
    pub index: usize,
    /// The record's id, when it could be read.
    pub id: Option<String>,
    /// JSON pointer relative to the dataset body, e.g. `/orders/3/orderLineItems/0/totalAmount`.
    pub pointer: String,
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// What a pushed record asks for: a body with only `id` (other members absent or `null`)
/// deletes, anything else creates or replaces.
#[derive(Debug, Clone, PartialEq)]
pub enum CommerceChange<T> {
    Upsert(T),
    Delete(String),
}

/// The dataset a record belongs to, with its names on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatasetKind {
    Orders,
    Payments,
    Transactions,
    Locations,
    Products,
    ProductCategories,
    Customers,
    PaymentMethods,
    TaxComponents,
}

impl DatasetKind {
    /// The key of the records' array in a dataset body (`orders`, `productCategories`).
    pub fn json_key(self) -> &'static str {
        match self {
            DatasetKind::Orders => "orders",
            DatasetKind::Payments => "payments",
            DatasetKind::Transactions => "transactions",
            DatasetKind::Locations => "locations",
            DatasetKind::Products => "products",
            DatasetKind::ProductCategories => "productCategories",
            DatasetKind::Customers => "customers",
            DatasetKind::PaymentMethods => "paymentMethods",
            DatasetKind::TaxComponents => "taxComponents",
        }
    }

    /// The Codat data type (`commerce-orders`), as in the push paths.
    pub fn data_type(self) -> String {
        format!("commerce-{}", self.json_key())
    }

    /// Every dataset kind.
    pub const ALL: [DatasetKind; 9] = [
        DatasetKind::Orders,
        DatasetKind::Payments,
        DatasetKind::Transactions,
        DatasetKind::Locations,
        DatasetKind::Products,
        DatasetKind::ProductCategories,
        DatasetKind::Customers,
        DatasetKind::PaymentMethods,
        DatasetKind::TaxComponents,
    ];

    /// The kind named by a push path's data type (`commerce-paymentMethods`), exact case.
    pub fn from_data_type(data_type: &str) -> Option<Self> {
        let key = data_type.strip_prefix("commerce-")?;
        Self::ALL.into_iter().find(|k| k.json_key() == key)
    }
}

/// A commerce record type: readable from JSON, serializable to canonical JSON.
pub trait CommerceRecord: Serialize + Sized {
    const KIND: DatasetKind;
    fn id(&self) -> &str;
    /// When the sale or event happened; selects the sync period.
    fn created_date(&self) -> Option<Timestamp>;
    /// Last change in the source system; with `id`, the idempotency key.
    fn source_modified_date(&self) -> Option<Timestamp>;
    /// Reads the record, reporting every bad field to `r`; `None` when something required
    /// is missing or bad (the errors say what).
    fn read(r: &RecordReader, obj: &Obj) -> Option<Self>;
}

/// `id` + `sourceModifiedDate`: the same key again is a no-op, a new date a modification.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey {
    pub id: String,
    pub source_modified_date: Option<Timestamp>,
}

/// A record accepted from a dataset, with its canonical JSON for storage: a [`Value`], or
/// (`C = String`, from [`parse_dataset_text`]) its text, written straight from the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T, C = Value> {
    /// Position in the dataset's array.
    pub index: usize,
    pub change: CommerceChange<T>,
    /// The record as we store and echo it: canonical enum spellings, UTC dates, exact amounts.
    pub canonical: C,
}

/// How a parsed record's canonical JSON is produced: as a tree or as text.
pub trait Canonical: Sized {
    fn of<T: Serialize>(record: &T) -> serde_json::Result<Self>;
    /// The body of a delete: `{"id": …}`.
    fn delete(id: &str) -> Self;
}

impl Canonical for Value {
    fn of<T: Serialize>(record: &T) -> serde_json::Result<Self> {
        serde_json::to_value(record)
    }
    fn delete(id: &str) -> Self {
        serde_json::json!({ "id": id })
    }
}

/// The same bytes as the [`Value`]'s `to_string()` (maps keep the fields' order), without
/// building the tree: the push path stores only the text.
impl Canonical for String {
    fn of<T: Serialize>(record: &T) -> serde_json::Result<Self> {
        // Room for a typical record up front instead of growing from nothing.
        let mut text = Vec::with_capacity(1024);
        serde_json::to_writer(&mut text, record)?;
        // serde_json writes only valid UTF-8.
        String::from_utf8(text).map_err(serde::ser::Error::custom)
    }
    fn delete(id: &str) -> Self {
        serde_json::json!({ "id": id }).to_string()
    }
}

impl<T: CommerceRecord, C> Parsed<T, C> {
    /// The record, unless this is a delete.
    pub fn record(&self) -> Option<&T> {
        match &self.change {
            CommerceChange::Upsert(r) => Some(r),
            CommerceChange::Delete(_) => None,
        }
    }

    pub fn id(&self) -> &str {
        match &self.change {
            CommerceChange::Upsert(r) => r.id(),
            CommerceChange::Delete(id) => id,
        }
    }

    /// `None` for deletes and for records whose model has no creation date.
    pub fn created_date(&self) -> Option<Timestamp> {
        match &self.change {
            CommerceChange::Upsert(r) => r.created_date(),
            CommerceChange::Delete(_) => None,
        }
    }

    pub fn source_modified_date(&self) -> Option<Timestamp> {
        match &self.change {
            CommerceChange::Upsert(r) => r.source_modified_date(),
            CommerceChange::Delete(_) => None,
        }
    }

    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey {
            id: self.id().to_owned(),
            source_modified_date: self.source_modified_date(),
        }
    }
}

/// Parses one record (e.g. a stored canonical body) on its own; pointers start at `pointer`.
pub fn parse_record<T: CommerceRecord>(
    value: &Value,
    pointer: &str,
) -> Result<Parsed<T>, Vec<RecordError>> {
    parse_at(0, value, Pointer::text(pointer))
}

/// Parses a dataset's array of records. Every bad field of every record is reported; a bad
/// record is rejected whole, good ones are kept. A later record repeating an earlier id is
/// rejected (ids are unique within a connection, and one push must not say two things).
pub fn parse_dataset<T: CommerceRecord>(
    records: &Value,
    pointer_prefix: &str,
) -> (Vec<Parsed<T>>, Vec<RecordError>) {
    parse_dataset_as(records, pointer_prefix)
}

/// [`parse_dataset`] with each record's canonical JSON as text (what the store keeps).
pub fn parse_dataset_text<T: CommerceRecord>(
    records: &Value,
    pointer_prefix: &str,
) -> (Vec<Parsed<T, String>>, Vec<RecordError>) {
    parse_dataset_as(records, pointer_prefix)
}

fn parse_dataset_as<T: CommerceRecord, C: Canonical>(
    records: &Value,
    pointer_prefix: &str,
) -> (Vec<Parsed<T, C>>, Vec<RecordError>) {
    let Value::Array(items) = records else {
        let error = RecordError {
            index: 0,
            id: None,
            pointer: pointer_prefix.to_owned(),
            kind: ErrorKind::WrongType,
            message: format!("`{}` must be an array of records", T::KIND.json_key()),
        };
        return (Vec::new(), vec![error]);
    };
    let mut dataset = DatasetParser::new(pointer_prefix);
    for value in items {
        dataset.push(value);
    }
    dataset.finish()
}

/// A dataset's records parsed one at a time, as they are read from the body: each record's
/// JSON can be dropped as soon as it is parsed, while it is still in the cache, instead of
/// holding the whole dataset's tree. Same rules and errors as [`parse_dataset`].
pub struct DatasetParser<T, C = Value> {
    prefix: String,
    next: usize,
    parsed: Vec<Parsed<T, C>>,
    errors: Vec<RecordError>,
    first_seen: HashMap<String, usize>,
}

impl<T: CommerceRecord, C: Canonical> DatasetParser<T, C> {
    /// A parser for the records' array at `pointer_prefix` (e.g. `/orders`).
    pub fn new(pointer_prefix: &str) -> Self {
        Self {
            prefix: pointer_prefix.to_owned(),
            next: 0,
            parsed: Vec::new(),
            errors: Vec::new(),
            first_seen: HashMap::new(),
        }
    }

    /// Parses the next record of the array.
    pub fn push(&mut self, value: &Value) {
        let index = self.next;
        self.next += 1;
        let prefix = self.prefix.as_str();
        match parse_at::<T, C>(index, value, Pointer::item(prefix, index)) {
            Ok(record) => match self.first_seen.get(record.id()) {
                Some(&first) => self.errors.push(RecordError {
                    index,
                    id: Some(record.id().to_owned()),
                    pointer: format!("{prefix}/{index}/id"),
                    kind: ErrorKind::DuplicateId,
                    message: format!("id `{}` already used at {prefix}/{first}", record.id()),
                }),
                None => {
                    self.first_seen.insert(record.id().to_owned(), index);
                    self.parsed.push(record);
                }
            },
            Err(mut e) => self.errors.append(&mut e),
        }
    }

    /// How many records were pushed.
    pub fn received(&self) -> usize {
        self.next
    }

    /// The accepted records and every error of the rejected ones.
    pub fn finish(self) -> (Vec<Parsed<T, C>>, Vec<RecordError>) {
        (self.parsed, self.errors)
    }
}

fn parse_at<T: CommerceRecord, C: Canonical>(
    index: usize,
    value: &Value,
    pointer: Pointer<'_>,
) -> Result<Parsed<T, C>, Vec<RecordError>> {
    let Value::Object(map) = value else {
        let r = RecordReader::new(index, None);
        r.error(
            pointer.to_string(),
            ErrorKind::WrongType,
            "a record must be a JSON object",
        );
        return Err(r.into_errors());
    };
    let raw_id_text = map.get("id").and_then(Value::as_str);
    let unstorable = crate::json_strict::nul_pointers(value, &pointer.to_string());
    if !unstorable.is_empty() {
        // Refused by name here, so one bad record never fails its whole dataset in the store.
        let id = raw_id_text
            .filter(|id| !id.contains('\0'))
            .map(str::to_owned);
        let r = RecordReader::new(index, id);
        for at in unstorable {
            r.error(at, ErrorKind::InvalidText, crate::json_strict::NUL_MESSAGE);
        }
        return Err(r.into_errors());
    }
    let obj = Obj::root(map, pointer);
    let raw_id = map
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.trim().is_empty())
        .map(str::to_owned);
    let r = RecordReader::new(index, raw_id);
    let only_id = map.iter().all(|(k, v)| k == "id" || v.is_null());
    if only_id {
        return match r.id(&obj, "id") {
            Some(id) if r.is_clean() => Ok(Parsed {
                index,
                canonical: C::delete(&id),
                change: CommerceChange::Delete(id),
            }),
            _ => Err(r.into_errors()),
        };
    }
    let record = T::read(&r, &obj);
    match record {
        Some(record) if r.is_clean() => match C::of(&record) {
            Ok(canonical) => Ok(Parsed {
                index,
                canonical,
                change: CommerceChange::Upsert(record),
            }),
            Err(e) => {
                r.error(obj.pointer.to_string(), ErrorKind::WrongType, e.to_string());
                Err(r.into_errors())
            }
        },
        _ => {
            if r.is_clean() {
                // Defensive: a reader must explain every refusal.
                r.error(
                    obj.pointer.to_string(),
                    ErrorKind::Required,
                    "the record is incomplete",
                );
            }
            Err(r.into_errors())
        }
    }
}

//! Reading one record's fields from JSON while collecting every problem, not only the first.
//!
//! `null` is treated as absent everywhere (every field of the beta spec is nullable).
//! Unknown fields are ignored: they are not part of the model and are dropped from the
//! canonical JSON.

use super::dates::parse_timestamp;
use super::enums::CommerceEnum;
use super::record::{ErrorKind, RecordError};
use crate::money::{Currency, parse_amount};
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// A JSON object being read, with its JSON pointer relative to the dataset body.
#[derive(Debug, Clone)]
pub struct Obj<'a> {
    pub map: &'a Map<String, Value>,
    pub pointer: Pointer<'a>,
}

impl<'a> Obj<'a> {
    /// The object at the root of a record, whose pointer is `pointer` (`/orders/3`).
    pub fn root(map: &'a Map<String, Value>, pointer: Pointer<'a>) -> Self {
        Self { map, pointer }
    }

    /// The pointer of a member (`/orders/3` + `totalAmount`).
    pub fn at(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape(key))
    }

    /// The member's value, `None` when absent or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }
}

/// Where an object sits, written out only when an error names it: most records have
/// none, and formatting a pointer for every nested object was a good part of reading one.
#[derive(Debug, Clone, Copy)]
pub struct Pointer<'a> {
    parent: Option<&'a Pointer<'a>>,
    step: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    /// Written as is: `/orders` (a dataset's prefix) or a record's own pointer.
    Text(&'a str),
    /// Item `i` of the array at a written-as-is prefix: `/orders/3`.
    TextItem(&'a str, usize),
    /// A member: `/productRef`.
    Key(&'a str),
    /// Item `i` of the array member `key`: `/orderLineItems/0`.
    KeyItem(&'a str, usize),
}

impl<'a> Pointer<'a> {
    /// A pointer written as is (`""`, `/orders/3`).
    pub fn text(text: &'a str) -> Self {
        Self {
            parent: None,
            step: Step::Text(text),
        }
    }

    /// Item `index` of the array at `prefix` (`/orders` + 3).
    pub fn item(prefix: &'a str, index: usize) -> Self {
        Self {
            parent: None,
            step: Step::TextItem(prefix, index),
        }
    }

    fn key(&'a self, key: &'a str) -> Self {
        Self {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    fn key_item(&'a self, key: &'a str, index: usize) -> Self {
        Self {
            parent: Some(self),
            step: Step::KeyItem(key, index),
        }
    }
}

impl fmt::Display for Pointer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Text(text) => f.write_str(text),
            Step::TextItem(prefix, i) => write!(f, "{prefix}/{i}"),
            Step::Key(key) => write!(f, "/{}", escape(key)),
            Step::KeyItem(key, i) => write!(f, "/{}/{i}", escape(key)),
        }
    }
}

/// Escapes a reference token as RFC 6901 requires.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Collects the errors of one record while its fields are read.
#[derive(Debug)]
pub struct RecordReader {
    index: usize,
    id: Option<String>,
    errors: RefCell<Vec<RecordError>>,
}

impl RecordReader {
    /// A reader for the record at `index` of the dataset, whose id (if readable) is `id`.
    pub fn new(index: usize, id: Option<String>) -> Self {
        Self {
            index,
            id,
            errors: RefCell::new(Vec::new()),
        }
    }

    /// Records a problem at `pointer`.
    pub fn error(&self, pointer: String, kind: ErrorKind, message: impl Into<String>) {
        self.errors.borrow_mut().push(RecordError {
            index: self.index,
            id: self.id.clone(),
            pointer,
            kind,
            message: message.into(),
        });
    }

    /// Whether nothing was wrong so far.
    pub fn is_clean(&self) -> bool {
        self.errors.borrow().is_empty()
    }

    /// How many errors were found so far.
    pub fn error_count(&self) -> usize {
        self.errors.borrow().len()
    }

    /// The errors found.
    pub fn into_errors(self) -> Vec<RecordError> {
        self.errors.into_inner()
    }

    /// Demands a value: reports `Required` if the member is absent (a present but bad value
    /// was already reported by the reading function).
    pub fn require<T>(&self, obj: &Obj, key: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && obj.get(key).is_none() {
            self.error(
                obj.at(key),
                ErrorKind::Required,
                format!("`{key}` is required"),
            );
        }
        value
    }

    fn wrong_type(&self, obj: &Obj, key: &str, expected: &str) {
        self.error(
            obj.at(key),
            ErrorKind::WrongType,
            format!("`{key}` must be {expected}"),
        );
    }

    /// An optional string.
    pub fn string(&self, obj: &Obj, key: &str) -> Option<String> {
        self.text(obj, key).map(str::to_owned)
    }

    /// An optional string, borrowed: for values parsed further (dates, codes, enums), which
    /// need no copy of their text.
    fn text<'a>(&self, obj: &Obj<'a>, key: &str) -> Option<&'a str> {
        match obj.get(key)? {
            Value::String(s) => Some(s),
            _ => {
                self.wrong_type(obj, key, "a string");
                None
            }
        }
    }

    /// A required identifier: a string that is not blank.
    pub fn id(&self, obj: &Obj, key: &str) -> Option<String> {
        let value = self.string(obj, key);
        match value {
            Some(s) if s.trim().is_empty() => {
                self.error(
                    obj.at(key),
                    ErrorKind::Required,
                    format!("`{key}` must not be empty"),
                );
                None
            }
            other => self.require(obj, key, other),
        }
    }

    /// An optional boolean.
    pub fn boolean(&self, obj: &Obj, key: &str) -> Option<bool> {
        match obj.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(obj, key, "true or false");
                None
            }
        }
    }

    /// An exact decimal with no currency rule (quantities, percentages, unit prices).
    pub fn decimal(&self, obj: &Obj, key: &str) -> Option<Decimal> {
        let value = obj.get(key)?;
        match parse_amount(value) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(
                    obj.at(key),
                    ErrorKind::InvalidAmount,
                    format!("`{key}`: {e}"),
                );
                None
            }
        }
    }

    /// A money amount: an exact decimal with no more decimals than `currency` allows
    /// (unchecked when the currency is unknown, which is reported on its own).
    pub fn amount(&self, obj: &Obj, key: &str, currency: Option<Currency>) -> Option<Decimal> {
        let amount = self.decimal(obj, key)?;
        match currency {
            Some(c) if !c.allows(amount) => {
                self.error(
                    obj.at(key),
                    ErrorKind::TooManyDecimals,
                    format!(
                        "`{key}` {amount} has more decimals than {} allows ({})",
                        c.code(),
                        c.decimals()
                    ),
                );
                None
            }
            _ => Some(amount),
        }
    }

    /// A whole number (`2` or `2.0`).
    pub fn integer(&self, obj: &Obj, key: &str) -> Option<i64> {
        let d = self.decimal(obj, key)?;
        let whole = if d.fract().is_zero() {
            i64::try_from(d.trunc()).ok()
        } else {
            None
        };
        if whole.is_none() {
            self.wrong_type(obj, key, "a whole number");
        }
        whole
    }

    /// An optional date-time (see [`parse_timestamp`] for the accepted forms).
    pub fn date(&self, obj: &Obj, key: &str) -> Option<Timestamp> {
        let text = self.text(obj, key)?;
        match parse_timestamp(text) {
            Ok(t) => Some(t),
            Err(message) => {
                self.error(
                    obj.at(key),
                    ErrorKind::InvalidDate,
                    format!("`{key}`: {message}"),
                );
                None
            }
        }
    }

    /// An optional ISO 4217 currency code.
    pub fn currency(&self, obj: &Obj, key: &str) -> Option<Currency> {
        let text = self.text(obj, key)?;
        match Currency::from_code(text) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(obj.at(key), ErrorKind::UnknownCurrency, e.to_string());
                None
            }
        }
    }

    /// An optional enumerated value; the message of a bad one lists the allowed values.
    pub fn enumeration<E: CommerceEnum>(&self, obj: &Obj, key: &str) -> Option<E> {
        let text = self.text(obj, key)?;
        let value = E::parse(text);
        if value.is_none() {
            self.error(
                obj.at(key),
                ErrorKind::InvalidEnum,
                format!(
                    "`{text}` is not a valid {}; allowed: {}",
                    E::NAME,
                    E::allowed()
                ),
            );
        }
        value
    }

    /// An optional nested object.
    pub fn object<'o>(&self, obj: &'o Obj<'_>, key: &'o str) -> Option<Obj<'o>> {
        match obj.get(key)? {
            Value::Object(map) => Some(Obj {
                map,
                pointer: obj.pointer.key(key),
            }),
            _ => {
                self.wrong_type(obj, key, "an object");
                None
            }
        }
    }

    /// An optional free-form object, kept as is (`supplementalData`).
    pub fn free_object(&self, obj: &Obj, key: &str) -> Option<Map<String, Value>> {
        self.object(obj, key).map(|o| o.map.clone())
    }

    /// An optional array of objects; absent reads as empty.
    pub fn objects<'o>(&self, obj: &'o Obj<'_>, key: &'o str) -> Vec<Obj<'o>> {
        let Some(items) = self.array(obj, key) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Object(map) => out.push(Obj {
                    map,
                    pointer: obj.pointer.key_item(key, i),
                }),
                _ => self.error(
                    format!("{}/{i}", obj.at(key)),
                    ErrorKind::WrongType,
                    format!("items of `{key}` must be objects"),
                ),
            }
        }
        out
    }

    /// An optional array of strings; absent reads as empty.
    pub fn strings(&self, obj: &Obj, key: &str) -> Vec<String> {
        let Some(items) = self.array(obj, key) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.clone()),
                _ => self.error(
                    format!("{}/{i}", obj.at(key)),
                    ErrorKind::WrongType,
                    format!("items of `{key}` must be strings"),
                ),
            }
        }
        out
    }

    fn array<'a>(&self, obj: &Obj<'a>, key: &str) -> Option<&'a Vec<Value>> {
        match obj.get(key)? {
            Value::Array(items) => Some(items),
            _ => {
                self.wrong_type(obj, key, "an array");
                None
            }
        }
    }
}

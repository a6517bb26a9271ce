//! A pushed dataset's body read in one pass: the envelope (`{"contractVersion", "orders":
//! […]}` or a bare array) and each record parsed into its domain type as soon as it is read,
//! its JSON dropped while still in the cache. No tree of the whole body is built (that tree,
//! built on one thread, walked and freed on another, was the largest cost of a push).
//! The answers are those of [`records_of`](crate::ingest::records_of) followed by
//! [`parse`](crate::ingest::parse) over the whole body's `Value`.

use crate::ingest::MAX_RECORDS_PER_DATASET;
use domain::commerce::{
    CommerceRecord, Customer, DatasetKind, DatasetParser, Location, Order, Payment, PaymentMethod,
    Product, ProductCategory, RecordError, TaxComponent, Transaction,
};
use domain::json_strict::{DUPLICATE_KEY, DUPLICATE_MESSAGE, Strict, duplicate_pointer};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use store::RecordChange;

/// serde_json (with `arbitrary_precision`) hands a number over as a map with this one key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A dataset body's records, parsed.
#[derive(Debug)]
pub struct ParsedBody {
    pub changes: Vec<RecordChange>,
    pub errors: Vec<RecordError>,
    /// Records in the body, good and bad.
    pub received: usize,
}

/// Reads `body` as a dataset of `kind`; `Err` holds each (JSON pointer, message) when the
/// body is not a dataset (not JSON, no records' array, too many records).
pub fn parse_body(kind: DatasetKind, body: &[u8]) -> Result<ParsedBody, Vec<(String, String)>> {
    match kind {
        DatasetKind::Orders => parse_as::<Order>(body),
        DatasetKind::Payments => parse_as::<Payment>(body),
        DatasetKind::Transactions => parse_as::<Transaction>(body),
        DatasetKind::Locations => parse_as::<Location>(body),
        DatasetKind::Products => parse_as::<Product>(body),
        DatasetKind::ProductCategories => parse_as::<ProductCategory>(body),
        DatasetKind::Customers => parse_as::<Customer>(body),
        DatasetKind::PaymentMethods => parse_as::<PaymentMethod>(body),
        DatasetKind::TaxComponents => parse_as::<TaxComponent>(body),
    }
}

fn parse_as<T: CommerceRecord>(body: &[u8]) -> Result<ParsedBody, Vec<(String, String)>> {
    let key = T::KIND.json_key();
    let one = |pointer: String, message: String| Err(vec![(pointer, message)]);
    let top = serde_json::from_slice::<Top<T>>(body).map_err(|e| {
        let message = e.to_string();
        match duplicate_pointer(&message) {
            Some(pointer) => vec![(pointer, DUPLICATE_MESSAGE.to_owned())],
            None => vec![(
                String::new(),
                format!("the request body is not valid JSON: {message}"),
            )],
        }
    })?;
    let (records, pointer) = match top {
        Top::Array(records) => (records, String::new()),
        Top::Object {
            lower,
            upper,
            version_ok,
        } => {
            if !version_ok {
                return one(
                    "/contractVersion".into(),
                    "contractVersion must be a string".into(),
                );
            }
            let capitalised = format!("{}{}", key[..1].to_uppercase(), &key[1..]);
            match (lower, upper) {
                (Some(records), _) => (records, format!("/{key}")),
                (None, Some(records)) => (records, format!("/{capitalised}")),
                (None, None) => {
                    return one(
                        format!("/{key}"),
                        format!("{key} is required: the array of records to push"),
                    );
                }
            }
        }
        Top::Other => {
            return one(
                String::new(),
                format!("the body must be {{\"{key}\": [...]}} or an array of records"),
            );
        }
    };
    let Records::Array { parser, count } = records else {
        return one(pointer, format!("{key} must be an array of records"));
    };
    if count > MAX_RECORDS_PER_DATASET {
        return one(
            pointer,
            format!(
                "a dataset holds at most {MAX_RECORDS_PER_DATASET} records; this one has {count} — split it"
            ),
        );
    }
    let (parsed, errors) = parser.finish();
    Ok(ParsedBody {
        changes: parsed
            .into_iter()
            .map(RecordChange::from_parsed_text)
            .collect(),
        errors,
        received: count,
    })
}

/// What the body is.
enum Top<T> {
    Array(Records<T>),
    /// An object: the records under the key (`orders`) and its capitalised form (`Orders`),
    /// and whether `contractVersion` (or `ContractVersion`) is absent, null or a string.
    Object {
        lower: Option<Records<T>>,
        upper: Option<Records<T>>,
        version_ok: bool,
    },
    Other,
}

/// The value under the records' key.
enum Records<T> {
    /// An array: its records parsed (only the first [`MAX_RECORDS_PER_DATASET`]) and counted.
    Array {
        parser: DatasetParser<T, String>,
        count: usize,
    },
    NotArray,
}

impl<'de, T: CommerceRecord> Deserialize<'de> for Top<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TopVisitor(PhantomData))
    }
}

struct TopVisitor<T>(PhantomData<T>);

impl<'de, T: CommerceRecord> Visitor<'de> for TopVisitor<T> {
    type Value = Top<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top<T>, A::Error> {
        Ok(Top::Array(records(seq, String::new())?))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<T>, A::Error> {
        let key = T::KIND.json_key();
        let capitalised = format!("{}{}", key[..1].to_uppercase(), &key[1..]);
        let (mut lower, mut upper) = (None, None);
        let (mut version, mut other_version) = (None, None);
        let mut number = false;
        let mut seen = std::collections::HashSet::new();
        while let Some(k) = map.next_key::<String>()? {
            // A second `orders` must not silently replace the first.
            if k != NUMBER_TOKEN && !seen.insert(k.clone()) {
                let pointer = format!("/{}", domain::company::escape_pointer(&k));
                return Err(de::Error::custom(format!("{DUPLICATE_KEY}{pointer}")));
            }
            if k == key {
                lower = Some(map.next_value_seed(RecordsSeed::new(format!("/{k}")))?);
            } else if k == capitalised {
                upper = Some(map.next_value_seed(RecordsSeed::new(format!("/{k}")))?);
            } else if k == "contractVersion" {
                version = Some(map.next_value::<VersionIsText>()?.0);
            } else if k == "ContractVersion" {
                other_version = Some(map.next_value::<VersionIsText>()?.0);
            } else {
                number |= k == NUMBER_TOKEN;
                map.next_value::<IgnoredAny>()?;
            }
        }
        if number {
            return Ok(Top::Other);
        }
        Ok(Top::Object {
            lower,
            upper,
            version_ok: version.or(other_version).unwrap_or(true),
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Top<T>, E> {
        Ok(Top::Other)
    }
}

/// Parses each item of the records' array as it is read.
fn records<'de, A: SeqAccess<'de>, T: CommerceRecord>(
    mut seq: A,
    prefix: String,
) -> Result<Records<T>, A::Error> {
    let mut parser = DatasetParser::new(&prefix);
    let mut count = 0;
    while count < MAX_RECORDS_PER_DATASET {
        let at = format!("{prefix}/{count}");
        let Some(record) = seq.next_element_seed(Strict::at(&at))? else {
            return Ok(Records::Array { parser, count });
        };
        parser.push(&record);
        count += 1;
    }
    // Too many: only counted, for the error that says how many.
    while seq.next_element::<IgnoredAny>()?.is_some() {
        count += 1;
    }
    Ok(Records::Array { parser, count })
}

struct RecordsSeed<T> {
    prefix: String,
    kind: PhantomData<T>,
}

impl<T> RecordsSeed<T> {
    fn new(prefix: String) -> Self {
        Self {
            prefix,
            kind: PhantomData,
        }
    }
}

impl<'de, T: CommerceRecord> DeserializeSeed<'de> for RecordsSeed<T> {
    type Value = Records<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Records<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: CommerceRecord> Visitor<'de> for RecordsSeed<T> {
    type Value = Records<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Records<T>, A::Error> {
        records(seq, self.prefix)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Records<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Records::NotArray)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
    fn visit_none<E: de::Error>(self) -> Result<Records<T>, E> {
        Ok(Records::NotArray)
    }
}

/// Whether `contractVersion` is a string or null (anything else is refused).
struct VersionIsText(bool);

impl<'de> Deserialize<'de> for VersionIsText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(Self(value.is_string() || value.is_null()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse, records_of};

    type Outcome = Result<(Vec<RecordChange>, Vec<RecordError>, usize), Vec<(String, String)>>;

    /// The answer of the whole-body path: a `Value`, its records' array, then each record.
    fn through_a_value(kind: DatasetKind, body: &str) -> Outcome {
        let value: Value = domain::json_strict::from_slice(body.as_bytes()).map_err(|e| {
            let message = e.to_string();
            match duplicate_pointer(&message) {
                Some(pointer) => vec![(pointer, DUPLICATE_MESSAGE.to_owned())],
                None => vec![(
                    String::new(),
                    format!("the request body is not valid JSON: {message}"),
                )],
            }
        })?;
        let (records, prefix) = records_of(kind, value)?;
        let count = records.as_array().map_or(0, Vec::len);
        let (changes, errors) = parse(kind, &records, &prefix);
        Ok((changes, errors, count))
    }

    fn in_one_pass(kind: DatasetKind, body: &str) -> Outcome {
        parse_body(kind, body.as_bytes()).map(|p| (p.changes, p.errors, p.received))
    }

    const PAYMENT: &str = r#"{"id": "p1", "amount": 10.50, "currency": "GBP", "createdDate": "2026-01-01T10:00:00Z", "type": "card", "status": "Paid", "sourceModifiedDate": "2026-01-01T10:05:00+01:00"}"#;

    #[test]
    fn every_shape_gets_the_answer_of_the_whole_body_path() {
        let bad = r#"{"id": "p2", "amount": "ten", "currency": "GBP", "createdDate": "2026-01-01T10:00:00Z"}"#;
        let delete = r#"{"id": "p3", "amount": null}"#;
        let records = format!("[{PAYMENT}, {bad}, {delete}, 7, {PAYMENT}, {{\"id\": \"\"}}]");
        let bodies = [
            format!(r#"{{"contractVersion": "1", "payments": {records}}}"#),
            records.clone(),
            format!(r#"{{"ContractVersion": "9.3.1", "Payments": {records}}}"#),
            format!(r#"{{"Payments": [{PAYMENT}], "payments": {records}}}"#),
            format!(r#"{{"payments": [{PAYMENT}], "payments": {records}}}"#),
            format!(r#"{{"payments": {records}, "contractVersion": 3}}"#),
            format!(r#"{{"payments": {records}, "contractVersion": null}}"#),
            format!(r#"{{"payments": {records}, "contractVersion": "1", "ContractVersion": 2}}"#),
            format!(r#"{{"payments": {records}, "extra": {{"a": [1, 2.50, "x"]}}}}"#),
            r#"{"orders": []}"#.into(),
            r#"{"payments": {}}"#.into(),
            r#"{"payments": 5}"#.into(),
            r#"{"payments": 5.25e3}"#.into(),
            r#"{"payments": "x"}"#.into(),
            r#"{"payments": null}"#.into(),
            r#"{"payments": true}"#.into(),
            "[]".into(),
            "5".into(),
            "-1.5".into(),
            r#""text""#.into(),
            "true".into(),
            "null".into(),
            "{}".into(),
            "[1, 2".into(),
            r#"{"payments": [] } x"#.into(),
            r#"{"payments": [{"id": "a", "amount": 01}]}"#.into(),
            r#"{"pay\u006dents": [{"id": "\u0070\u0031"}]}"#.into(),
        ];
        for body in &bodies {
            assert_eq!(
                in_one_pass(DatasetKind::Payments, body),
                through_a_value(DatasetKind::Payments, body),
                "{body}"
            );
        }
        // The first case stores two records, rejects three, and counts six.
        let (changes, errors, received) = in_one_pass(DatasetKind::Payments, &bodies[0]).unwrap();
        assert_eq!((changes.len(), received), (2, 6));
        assert!(
            errors.iter().any(|e| e.pointer == "/payments/4/id"),
            "{errors:?}"
        );
    }

    #[test]
    fn too_many_records_are_counted_and_refused() {
        let items = vec![r#"{"id": "x"}"#; MAX_RECORDS_PER_DATASET + 1].join(",");
        for body in [format!("[{items}]"), format!(r#"{{"orders": [{items}]}}"#)] {
            let got = in_one_pass(DatasetKind::Orders, &body);
            assert_eq!(got, through_a_value(DatasetKind::Orders, &body));
            assert!(got.unwrap_err()[0].1.contains("this one has 5001"));
        }
    }
}

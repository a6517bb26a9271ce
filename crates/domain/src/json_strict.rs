//! JSON read strictly: an object with the same key twice is refused (JSON parsers disagree on
//! which copy wins, so a second `"orders"` silently replacing the first is a trap), and text
//! no database can keep (NUL, `\u0000`) is found by pointer so it can be refused by name.
//!
//! serde_json keeps the last duplicate; this reader builds the same [`Value`] (numbers keep
//! their exact text under `arbitrary_precision`) but fails at the first duplicate with an
//! error whose message starts with [`DUPLICATE_KEY`] followed by the key's JSON pointer.

use crate::company::escape_pointer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;
use std::str::FromStr;

/// The start of the error message for a duplicate key; the key's pointer follows.
pub const DUPLICATE_KEY: &str = "duplicate key ";

/// Why a duplicate key is refused, for the client.
pub const DUPLICATE_MESSAGE: &str = "this key appears twice in its object; JSON readers disagree on which copy wins, so send it once";

/// The message for a string holding NUL.
pub const NUL_MESSAGE: &str = "text must not contain the NUL character (\\u0000)";

/// serde_json (with `arbitrary_precision`) hands a number over as a map with this one key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Parses `bytes` as one JSON document, refusing duplicate keys.
pub fn from_slice(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict::at("").deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The pointer of the duplicate key an error of this module names, if it is one.
pub fn duplicate_pointer(message: &str) -> Option<String> {
    let rest = message.strip_prefix(DUPLICATE_KEY)?;
    let end = rest.find(" at line ").unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// The pointers (under `prefix`) of every string and key holding NUL, in document order.
pub fn nul_pointers(value: &Value, prefix: &str) -> Vec<String> {
    fn walk(value: &Value, at: &Path<'_>, found: &mut Vec<String>) {
        match value {
            Value::String(s) if s.contains('\0') => found.push(at.pointer()),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &Path::Index(at, i), found);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    let here = Path::Key(at, k);
                    if k.contains('\0') {
                        found.push(here.pointer());
                    }
                    walk(v, &here, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &Path::Root(prefix), &mut found);
    found
}

/// Where a value is, built only when an error needs the pointer.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        match self {
            Path::Root(prefix) => (*prefix).to_owned(),
            Path::Key(parent, key) => format!("{}/{}", parent.pointer(), escape_pointer(key)),
            Path::Index(parent, i) => format!("{}/{i}", parent.pointer()),
        }
    }
}

/// A seed reading one JSON value strictly; errors name pointers under its prefix.
pub struct Strict<'a> {
    path: Path<'a>,
}

impl<'a> Strict<'a> {
    /// Reads the value found at `prefix` (e.g. `/orders/3`).
    pub fn at(prefix: &'a str) -> Self {
        Self {
            path: Path::Root(prefix),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict {
            path: Path::Index(&self.path, items.len()),
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == NUMBER_TOKEN && object.is_empty() {
                let text: String = map.next_value()?;
                return Number::from_str(&text)
                    .map(Value::Number)
                    .map_err(de::Error::custom);
            }
            let here = Path::Key(&self.path, &key);
            if object.contains_key(&key) {
                let pointer = here.pointer();
                return Err(de::Error::custom(format!("{DUPLICATE_KEY}{pointer}")));
            }
            let value = map.next_value_seed(Strict { path: here })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, 2.50, -3, "x", null, true, {"b": {}}], "n": 12.3400}"#;
        let strict = from_slice(text.as_bytes()).unwrap();
        assert_eq!(strict, serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(
            strict["n"].to_string(),
            "12.3400",
            "numbers keep their text"
        );
        assert!(from_slice(b"{\"a\": 1} x").is_err());
        assert!(from_slice(b"{\"a\": ").is_err());
    }

    #[test]
    fn a_duplicate_key_is_named_by_pointer() {
        let e = from_slice(br#"{"orders": [], "orders": [1]}"#).unwrap_err();
        assert_eq!(
            duplicate_pointer(&e.to_string()).as_deref(),
            Some("/orders")
        );
        let e = from_slice(br#"{"x": [{"id": 1}, {"id": 2, "a/b": 1, "a/b": 2}]}"#).unwrap_err();
        assert_eq!(
            duplicate_pointer(&e.to_string()).as_deref(),
            Some("/x/1/a~1b")
        );
        assert_eq!(duplicate_pointer("expected value at line 1 column 2"), None);
    }

    #[test]
    fn nul_is_found_in_values_and_keys() {
        let v = json!({"a": "ok", "b": ["x\u{0}y"], "c\u{0}": {"d": "\u{0}"}});
        assert_eq!(
            nul_pointers(&v, "/p"),
            ["/p/b/0", "/p/c\u{0}", "/p/c\u{0}/d"]
        );
        assert!(nul_pointers(&json!({"a": ["fine"]}), "").is_empty());
    }
}

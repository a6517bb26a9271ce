//! Reading request bodies so that every bad field is reported, not only the first.
//!
//! Bodies are read as bytes (so the size limit answers 413 in our error shape), parsed as
//! JSON, then walked field by field with [`Fields`], which collects a [`ValidationItem`]
//! per problem instead of stopping at serde's first error.

use crate::error::{ApiError, ValidationItem};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The largest body the API accepts (data pushes are the largest: 5,000 records).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

use domain::json_strict::{self, DUPLICATE_MESSAGE, NUL_MESSAGE};

/// A request body that is valid JSON.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let BodyBytes(bytes) = BodyBytes::from_request(req, state).await?;
        let value = json_strict::from_slice(&bytes).map_err(|e| {
            let message = e.to_string();
            let item = match json_strict::duplicate_pointer(&message) {
                Some(pointer) => ValidationItem::at(pointer, DUPLICATE_MESSAGE),
                None => {
                    ValidationItem::at("", format!("the request body is not valid JSON: {message}"))
                }
            };
            ApiError::invalid(vec![item])
        })?;
        // Checked once for the whole body, so no handler can pass NUL on to a database.
        let unstorable = json_strict::nul_pointers(&value, "");
        if !unstorable.is_empty() {
            let items = unstorable
                .into_iter()
                .map(|at| ValidationItem::at(at, NUL_MESSAGE))
                .collect();
            return Err(ApiError::invalid(items));
        }
        Ok(JsonBody(value))
    }
}

/// A request body within the size limit and not empty, left unparsed for a handler that
/// reads it its own way (a data push reads records as it parses them); the same answers
/// as [`JsonBody`] for a body too large or empty.
pub struct BodyBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for BodyBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // No Content-Type is read as JSON (curl and older clients omit it); another type is
        // refused rather than guessed at.
        if let Some(value) = req.headers().get(CONTENT_TYPE)
            && !is_json(value.to_str().unwrap_or(""))
        {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "The request body must be JSON: send Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    format!("The request body is larger than the limit of {MAX_BODY_BYTES} bytes"),
                )
            } else {
                ApiError::new(rejection.status(), "unreadable_body", rejection.body_text())
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid(vec![ValidationItem::at(
                "",
                "the request body is empty; a JSON document is required",
            )]));
        }
        Ok(Self(bytes))
    }
}

/// `application/json` or a `+json` type, parameters (charset) aside.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The JSON type's name, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object being read field by field, collecting errors.
pub struct Fields<'a> {
    object: Option<&'a Map<String, Value>>,
    pointer: String,
    pub errors: Vec<ValidationItem>,
}

impl<'a> Fields<'a> {
    /// Starts reading `value`, which must be an object (the body root when `pointer` is "").
    pub fn of(value: &'a Value, pointer: &str) -> Self {
        let mut fields = Self {
            object: value.as_object(),
            pointer: pointer.to_owned(),
            errors: Vec::new(),
        };
        if fields.object.is_none() {
            fields.errors.push(ValidationItem::at(
                pointer,
                format!("expected a JSON object, found {}", kind(value)),
            ));
        }
        fields
    }

    fn at(&self, name: &str) -> String {
        format!("{}/{}", self.pointer, domain::company::escape_pointer(name))
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        let pointer = self.at(name);
        self.errors.push(ValidationItem::at(pointer, message));
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.object.and_then(|o| o.get(name))
    }

    /// `s`, unless it holds a NUL character, which no database column can keep.
    fn text(&mut self, name: &str, s: &'a str) -> Option<&'a str> {
        if s.contains('\0') {
            self.error(name, NUL_MESSAGE);
            None
        } else {
            Some(s)
        }
    }

    /// A string that must be present.
    pub fn required_string(&mut self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(Value::String(s)) => self.text(name, s),
            None | Some(Value::Null) => {
                // A non-object body was reported once already; do not pile errors on it.
                if self.object.is_some() {
                    self.error(name, format!("{name} is required"));
                }
                None
            }
            Some(other) => {
                let found = kind(other);
                self.error(name, format!("{name} must be a string, found {found}"));
                None
            }
        }
    }

    /// A string that may be absent (`None`) or null (`Some(None)`).
    pub fn optional_string(&mut self, name: &str) -> Option<Option<&'a str>> {
        match self.get(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => self.text(name, s).map(Some),
            Some(other) => {
                let found = kind(other);
                self.error(name, format!("{name} must be a string, found {found}"));
                None
            }
        }
    }

    /// An object of string values that may be absent or null (`None`).
    pub fn optional_string_map(&mut self, name: &str) -> Option<BTreeMap<String, String>> {
        match self.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => {
                let mut out = BTreeMap::new();
                for (key, value) in map {
                    match value {
                        Value::String(s) if key.contains('\0') || s.contains('\0') => {
                            let pointer = format!(
                                "{}/{}",
                                self.at(name),
                                domain::company::escape_pointer(key)
                            );
                            self.errors.push(ValidationItem::at(pointer, NUL_MESSAGE));
                        }
                        Value::String(s) => {
                            out.insert(key.clone(), s.clone());
                        }
                        other => {
                            let pointer = format!(
                                "{}/{}",
                                self.at(name),
                                domain::company::escape_pointer(key)
                            );
                            let found = kind(other);
                            self.errors.push(ValidationItem::at(
                                pointer,
                                format!("{name} values must be strings, found {found}"),
                            ));
                        }
                    }
                }
                Some(out)
            }
            Some(other) => {
                let found = kind(other);
                self.error(
                    name,
                    format!("{name} must be an object of strings, found {found}"),
                );
                None
            }
        }
    }

    /// Adds errors found elsewhere (e.g. by a domain parser) under this object's pointer.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = (String, String)>) {
        for (relative_pointer, message) in errors {
            let pointer = format!("{}{relative_pointer}", self.pointer);
            self.errors.push(ValidationItem::at(pointer, message));
        }
    }

    /// The collected errors as a 400, or `Ok` when there were none.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_every_bad_field() {
        let body = json!({"name": 5, "description": [], "tags": {"a": 1, "b": "ok"}});
        let mut fields = Fields::of(&body, "");
        assert_eq!(fields.required_string("name"), None);
        assert_eq!(fields.optional_string("description"), None);
        let tags = fields.optional_string_map("tags").unwrap();
        assert_eq!(tags.len(), 1);
        let pointers: Vec<_> = fields
            .errors
            .iter()
            .map(|e| e.pointer.clone().unwrap())
            .collect();
        assert_eq!(pointers, ["/name", "/description", "/tags/a"]);
    }

    #[test]
    fn a_non_object_is_one_error_not_many() {
        let body = json!([1]);
        let mut fields = Fields::of(&body, "");
        assert_eq!(fields.required_string("name"), None);
        assert_eq!(fields.errors.len(), 1);
        assert!(fields.errors[0].message.contains("an array"));
    }

    #[test]
    fn missing_and_null_required_fields_are_named() {
        let body = json!({"name": null});
        let mut fields = Fields::of(&body, "/x");
        fields.required_string("name");
        fields.required_string("other");
        let messages: Vec<_> = fields.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["name is required", "other is required"]);
        assert_eq!(fields.errors[0].pointer.as_deref(), Some("/x/name"));
    }
}

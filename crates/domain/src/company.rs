//! A company: one merchant of a client, the unit every sync, configuration and dataset belongs to.

use crate::ids::{ClientId, CompanyId};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// A merchant as the client registered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub id: CompanyId,
    pub client_id: ClientId,
    pub name: CompanyName,
    pub description: Option<String>,
    pub tags: CompanyTags,
    pub created: Timestamp,
    pub last_sync: Option<Timestamp>,
}

/// What a client sends to create or replace a company.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCompany {
    pub name: CompanyName,
    pub description: Option<String>,
    pub tags: CompanyTags,
}

/// Why a company field was refused; the message is shown to the client as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CompanyFieldError {
    /// JSON pointer of the bad field, relative to the company object.
    pub pointer: String,
    pub message: String,
}

impl CompanyFieldError {
    fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Longest company name we store.
pub const MAX_NAME_CHARS: usize = 255;
/// Longest description we store.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A company name: Codat's character rule (letters, digits, spaces and `-',&@.?!`), widened to
/// letters and digits of every script so that "Café Müller" is a valid merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyName(String);

impl CompanyName {
    pub fn parse(raw: &str) -> Result<Self, CompanyFieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(CompanyFieldError::new("/name", "name must not be empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(CompanyFieldError::new(
                "/name",
                format!("name must be at most {MAX_NAME_CHARS} characters"),
            ));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_alphanumeric() || c.is_whitespace() || "-',&@.?!".contains(*c)))
        {
            return Err(CompanyFieldError::new(
                "/name",
                format!(
                    "name may hold letters, digits, spaces and - ' , & @ . ? ! only; found {bad:?}"
                ),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a description's length; `None` stays `None`.
pub fn parse_description(raw: Option<&str>) -> Result<Option<String>, CompanyFieldError> {
    match raw {
        Some(d) if d.chars().count() > MAX_DESCRIPTION_CHARS => Err(CompanyFieldError::new(
            "/description",
            format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// User-defined metadata: at most 10 tags, keys of 1 to 27 characters, values up to 100.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyTags(BTreeMap<String, String>);

/// Codat's published tag limits.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_KEY_CHARS: usize = 27;
pub const MAX_TAG_VALUE_CHARS: usize = 100;

impl CompanyTags {
    /// Validates every tag and reports every bad one, not only the first.
    pub fn parse(tags: BTreeMap<String, String>) -> Result<Self, Vec<CompanyFieldError>> {
        let mut errors = Vec::new();
        if tags.len() > MAX_TAGS {
            errors.push(CompanyFieldError::new(
                "/tags",
                format!("at most {MAX_TAGS} tags are allowed; found {}", tags.len()),
            ));
        }
        for (key, value) in &tags {
            let pointer = format!("/tags/{}", escape_pointer(key));
            let key_len = key.chars().count();
            if key_len == 0 || key_len > MAX_TAG_KEY_CHARS {
                errors.push(CompanyFieldError::new(
                    pointer.clone(),
                    format!("tag names must be 1 to {MAX_TAG_KEY_CHARS} characters"),
                ));
            }
            if value.chars().count() > MAX_TAG_VALUE_CHARS {
                errors.push(CompanyFieldError::new(
                    pointer,
                    format!("tag values must be at most {MAX_TAG_VALUE_CHARS} characters"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self(tags))
        } else {
            Err(errors)
        }
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }
}

/// Escapes a key for use as one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_codat_rule_widened_to_all_scripts() {
        assert!(CompanyName::parse("Bank of Dave").is_ok());
        assert!(CompanyName::parse("Café Müller & Söhne").is_ok());
        assert_eq!(
            CompanyName::parse("  Trimmed  ").unwrap().as_str(),
            "Trimmed"
        );
        assert!(CompanyName::parse("").is_err());
        assert!(CompanyName::parse("   ").is_err());
        let err = CompanyName::parse("Semi;colon").unwrap_err();
        assert_eq!(err.pointer, "/name");
        assert!(err.message.contains("';'"), "{}", err.message);
        assert!(CompanyName::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn tags_report_every_bad_entry() {
        let mut tags = BTreeMap::new();
        tags.insert("a/b".to_owned(), "x".repeat(101));
        tags.insert("k".repeat(28), "ok".to_owned());
        tags.insert("fine".to_owned(), "ok".to_owned());
        let errors = CompanyTags::parse(tags).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            vec!["/tags/a~1b", &format!("/tags/{}", "k".repeat(28))]
        );
        let many = (0..11).map(|i| (format!("t{i}"), String::new())).collect();
        assert_eq!(CompanyTags::parse(many).unwrap_err()[0].pointer, "/tags");
    }

    #[test]
    fn descriptions_are_limited() {
        assert_eq!(parse_description(None).unwrap(), None);
        assert!(parse_description(Some(&"d".repeat(4001))).is_err());
    }
}

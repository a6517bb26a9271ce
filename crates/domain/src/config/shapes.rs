//! The three historical shapes of the document, parsed into one typed model; the current shape
//! emitted.
//!
//! - Beta (`CompanyConfiguration`, Feb–Mar 2023): wrapper with `enabled` and `schedule.syncHourUtc`.
//! - Interim flat (`Configuration`, Mar 2023 – Apr 2024): only `{sales, payments, newPayments, fees}`.
//! - Current (since Apr 2024): wrapper with `enable`, `schedule.syncHour`, and
//!   `configuration{countryCode, mapSettings, …}`.
//!
//! Decisions: both spellings are accepted in any wrapper; when both are sent the current one wins.
//! `syncHourUtc` is read as `syncHour` (the reference's recommendation: one hour, read in
//! `timeZone`, which is `Etc/UTC` when absent, so beta documents without a zone keep their
//! meaning). Unknown fields are ignored and not kept: every object in every version is
//! `additionalProperties: false`, so nothing legitimate is lost. Structural errors (a string
//! where a boolean belongs) are reported per field with the pointer of the smallest part that
//! failed, all of them, not just the first.

use super::document::*;
use super::error::{ConfigError, child, codes};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Which historical shape a document arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Beta,
    Flat,
    Current,
}

/// A parsed document and the shape it came in (a flat one carries no wrapper or schedule, so
/// the caller merges it into the stored document rather than replacing it).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub document: ConfigDocument,
    pub shape: Shape,
}

const WRAPPER_KEYS: [&str; 7] = [
    "companyId",
    "accountingSoftwareCompanyName",
    "enable",
    "enabled",
    "configured",
    "schedule",
    "configuration",
];

/// Parses any of the three shapes.
pub fn parse_document(value: &Value) -> Result<Parsed, Vec<ConfigError>> {
    let Some(root) = value.as_object() else {
        return Err(vec![ConfigError::new(
            "",
            codes::NOT_AN_OBJECT,
            "the configuration document must be a JSON object",
        )]);
    };
    let mut errors = Vec::new();
    let (document, shape) = if WRAPPER_KEYS.iter().any(|k| root.contains_key(*k)) {
        let document = wrapper(root, &mut errors);
        (document, wrapper_shape(root))
    } else {
        let configuration = configuration(root, "", &mut errors);
        let document = ConfigDocument {
            configuration,
            ..ConfigDocument::default()
        };
        let shape = if root.is_empty() {
            Shape::Current
        } else {
            Shape::Flat
        };
        (document, shape)
    };
    if errors.is_empty() {
        Ok(Parsed { document, shape })
    } else {
        Err(errors)
    }
}

/// Parses JSON text in any of the three shapes.
pub fn parse_str(text: &str) -> Result<Parsed, Vec<ConfigError>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![ConfigError::new(
            "",
            codes::NOT_AN_OBJECT,
            format!("the configuration document is not valid JSON: {e}"),
        )]
    })?;
    parse_document(&value)
}

/// Emits the document in the current shape.
pub fn to_current_json(document: &ConfigDocument) -> Value {
    serde_json::to_value(document).expect("the document always serializes")
}

fn wrapper_shape(root: &Map<String, Value>) -> Shape {
    let schedule = root.get("schedule").and_then(Value::as_object);
    let has = |m: Option<&Map<String, Value>>, k: &str| m.is_some_and(|m| m.contains_key(k));
    let configuration = root.get("configuration").and_then(Value::as_object);
    let beta = root.contains_key("enabled") || has(schedule, "syncHourUtc");
    let current = root.contains_key("enable")
        || has(schedule, "syncHour")
        || has(configuration, "countryCode")
        || has(configuration, "mapSettings");
    if beta && !current {
        Shape::Beta
    } else {
        Shape::Current
    }
}

fn wrapper(root: &Map<String, Value>, errors: &mut Vec<ConfigError>) -> ConfigDocument {
    // Fields are read in document order so errors come out in that order too.
    let mut document = ConfigDocument {
        company_id: field(root, "companyId", "", errors),
        accounting_software_company_name: field(root, "accountingSoftwareCompanyName", "", errors),
        enable: either(root, "enable", "enabled", "", errors),
        configured: field(root, "configured", "", errors),
        schedule: object(root, "schedule", "", errors).map(|s| {
            let at = "/schedule";
            ScheduleSettings {
                selected_frequency: field(s, "selectedFrequency", at, errors),
                frequency_options: field(s, "frequencyOptions", at, errors),
                start_date: field(s, "startDate", at, errors),
                sync_hour: either(s, "syncHour", "syncHourUtc", at, errors),
                time_zone: field(s, "timeZone", at, errors),
            }
        }),
        configuration: Configuration::default(),
    };
    if let Some(c) = object(root, "configuration", "", errors) {
        document.configuration = configuration(c, "/configuration", errors);
    }
    document
}

fn configuration(c: &Map<String, Value>, at: &str, errors: &mut Vec<ConfigError>) -> Configuration {
    Configuration {
        country_code: field(c, "countryCode", at, errors),
        map_settings: field(c, "mapSettings", at, errors),
        sales: object(c, "sales", at, errors).map(|s| {
            let at = &child(at, "sales");
            Sales {
                sync_sales: field(s, "syncSales", at, errors),
                accounts: keyed(s, "accounts", at, errors),
                invoice_status: field(s, "invoiceStatus", at, errors),
                sales_customer: field(s, "salesCustomer", at, errors),
                tax_rates: keyed(s, "taxRates", at, errors),
                new_tax_rates: field(s, "newTaxRates", at, errors),
                grouping: field(s, "grouping", at, errors),
            }
        }),
        payments: payments(c, "payments", at, errors),
        new_payments: payments(c, "newPayments", at, errors),
        fees: object(c, "fees", at, errors).map(|f| {
            let at = &child(at, "fees");
            Fees {
                fees_supplier: field(f, "feesSupplier", at, errors),
                sync_fees: field(f, "syncFees", at, errors),
                accounts: keyed(f, "accounts", at, errors),
            }
        }),
    }
}

fn payments(
    c: &Map<String, Value>,
    key: &str,
    at: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<Payments> {
    object(c, key, at, errors).map(|p| {
        let at = &child(at, key);
        Payments {
            sync_payments: field(p, "syncPayments", at, errors),
            accounts: keyed(p, "accounts", at, errors),
        }
    })
}

/// A field of any leaf type; absent and `null` are `None`; a wrong type is reported.
fn field<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    key: &str,
    at: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(value) => T::deserialize(value)
            .map_err(|e| {
                errors.push(ConfigError::new(
                    child(at, key),
                    codes::INVALID_TYPE,
                    format!("{key}: {e}"),
                ))
            })
            .ok(),
    }
}

/// The current spelling if present, else the historical one; reported under the current name.
fn either<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    current: &str,
    historical: &str,
    at: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    match obj.get(current) {
        None | Some(Value::Null) => {
            let value = obj.get(historical)?;
            let mut renamed = Map::new();
            renamed.insert(current.to_owned(), value.clone());
            field(&renamed, current, at, errors)
        }
        Some(_) => field(obj, current, at, errors),
    }
}

fn object<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    at: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<&'a Map<String, Value>> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(inner)) => Some(inner),
        Some(_) => {
            errors.push(ConfigError::new(
                child(at, key),
                codes::INVALID_TYPE,
                format!("{key}: expected an object"),
            ));
            None
        }
    }
}

/// A keyed map whose entries are checked one by one, so a bad entry is named by its key.
fn keyed<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    key: &str,
    at: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<KeyedMap<T>> {
    let entries = object(obj, key, at, errors)?;
    let at = &child(at, key);
    Some(
        entries
            .iter()
            .filter_map(|(k, v)| {
                let parsed = T::deserialize(v).map_err(|e| {
                    errors.push(ConfigError::new(
                        child(at, k),
                        codes::INVALID_TYPE,
                        format!("{key}.{k}: {e}"),
                    ))
                });
                parsed.ok().map(|t| (k.clone(), t))
            })
            .collect(),
    )
}

#[cfg(test)]
#[path = "shapes_tests.rs"]
mod tests;

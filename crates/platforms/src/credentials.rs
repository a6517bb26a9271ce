//! What a connection needs to reach its platform, as handed over through
//! `PUT …/connections/{id}/authorization` or obtained by OAuth.

use domain::PlatformKey;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// OAuth tokens of Xero and QuickBooks Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: Timestamp,
}

/// A connection's credentials, per platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "platform", rename_all = "camelCase")]
pub enum Credentials {
    Xero {
        #[serde(flatten)]
        tokens: OAuthTokens,
        tenant_id: String,
    },
    #[serde(rename = "quickBooksOnline")]
    QuickBooks {
        #[serde(flatten)]
        tokens: OAuthTokens,
        realm_id: String,
    },
    Hledger {
        base_url: String,
    },
}

/// A bad field of an authorization body: (JSON pointer, message).
pub type FieldError = (String, String);

impl Credentials {
    /// Reads the authorization body for `platform`, reporting every bad field.
    pub fn from_authorization(
        platform: PlatformKey,
        body: &Value,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let Some(object) = body.as_object() else {
            return Err(vec![(
                String::new(),
                "the authorization body must be a JSON object of strings".into(),
            )]);
        };
        let mut text = |name: &str| -> Option<String> {
            match object.get(name) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Some(Value::String(_)) | None | Some(Value::Null) => {
                    errors.push((
                        format!("/{name}"),
                        format!("{name} is required for {}", platform.integration().name),
                    ));
                    None
                }
                Some(_) => {
                    errors.push((format!("/{name}"), format!("{name} must be a string")));
                    None
                }
            }
        };
        let credentials = match platform {
            PlatformKey::Xero | PlatformKey::QuickBooksOnline => {
                let access_token = text("accessToken");
                let refresh_token = text("refreshToken");
                let expires_at = text("expiresAt");
                let tenant = text(if platform == PlatformKey::Xero { "tenantId" } else { "realmId" });
                let expires_at = expires_at.and_then(|raw| match raw.parse::<Timestamp>() {
                    Ok(ts) => Some(ts),
                    Err(_) => {
                        errors.push((
                            "/expiresAt".into(),
                            format!("expiresAt must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z, found {raw:?}"),
                        ));
                        None
                    }
                });
                let tenant = tenant.and_then(|id| check_tenant(platform, id, &mut errors));
                match (access_token, refresh_token, expires_at, tenant) {
                    (Some(access_token), Some(refresh_token), Some(expires_at), Some(tenant)) => {
                        let tokens = OAuthTokens {
                            access_token,
                            refresh_token,
                            expires_at,
                        };
                        Some(if platform == PlatformKey::Xero {
                            Credentials::Xero { tokens, tenant_id: tenant }
                        } else {
                            Credentials::QuickBooks { tokens, realm_id: tenant }
                        })
                    }
                    _ => None,
                }
            }
            PlatformKey::Hledger => text("baseUrl").and_then(|url| {
                let well_formed = (url.starts_with("http://") || url.starts_with("https://"))
                    && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
                if well_formed {
                    Some(Credentials::Hledger {
                        base_url: url.trim_end_matches('/').to_owned(),
                    })
                } else {
                    errors.push((
                        "/baseUrl".into(),
                        format!("baseUrl must be an http:// or https:// URL of hledger-web, found {url:?}"),
                    ));
                    None
                }
            }),
            PlatformKey::Commerce => {
                errors.push((
                    String::new(),
                    "the commerce connection needs no authorization: the client pushes its data".into(),
                ));
                None
            }
        };
        match credentials {
            Some(credentials) if errors.is_empty() => Ok(credentials),
            _ => Err(errors),
        }
    }

    /// Serialized form, to be sealed.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("credentials always serialize")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// Xero tenants are UUIDs; QuickBooks realms are numbers.
fn check_tenant(platform: PlatformKey, id: String, errors: &mut Vec<FieldError>) -> Option<String> {
    let ok = match platform {
        PlatformKey::Xero => uuid_like(&id),
        _ => id.chars().all(|c| c.is_ascii_digit()),
    };
    if ok {
        return Some(id);
    }
    let (field, rule) = match platform {
        PlatformKey::Xero => ("tenantId", "a Xero tenant id (a UUID)"),
        _ => ("realmId", "a QuickBooks realm id (digits only)"),
    };
    errors.push((
        format!("/{field}"),
        format!("{field} must be {rule}, found {id:?}"),
    ));
    None
}

fn uuid_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn xero_credentials_parse_and_round_trip() {
        let body = json!({"accessToken": "a", "refreshToken": "r", "expiresAt": "2026-01-31T12:00:00Z",
                          "tenantId": "0b5d8c2e-3a4f-4c6e-9d7a-1e2f3a4b5c6d"});
        let credentials = Credentials::from_authorization(PlatformKey::Xero, &body).unwrap();
        assert_eq!(
            Credentials::from_bytes(&credentials.to_bytes()).unwrap(),
            credentials
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let body = json!({"accessToken": "", "refreshToken": 5, "expiresAt": "tomorrow", "realmId": "abc"});
        let errors =
            Credentials::from_authorization(PlatformKey::QuickBooksOnline, &body).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/accessToken", "/refreshToken", "/expiresAt", "/realmId"]
        );
    }

    #[test]
    fn hledger_needs_an_http_url_and_commerce_needs_nothing() {
        let ok = Credentials::from_authorization(
            PlatformKey::Hledger,
            &json!({"baseUrl": "http://127.0.0.1:5000/"}),
        );
        assert_eq!(
            ok.unwrap(),
            Credentials::Hledger {
                base_url: "http://127.0.0.1:5000".into()
            }
        );
        assert!(
            Credentials::from_authorization(PlatformKey::Hledger, &json!({"baseUrl": "ftp://x"}))
                .is_err()
        );
        assert!(Credentials::from_authorization(PlatformKey::Commerce, &json!({})).is_err());
        assert!(Credentials::from_authorization(PlatformKey::Xero, &json!([])).is_err());
    }
}

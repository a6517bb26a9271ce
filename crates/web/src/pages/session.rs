//! A merchant's browser session in the Sync Flow: a random token in an `HttpOnly` cookie,
//! stored only as its hash, bound to the one company its start code was issued for, expiring
//! after [`SESSION_LIFETIME`] without use. Every form carries the session's CSRF token.

use crate::AppState;
use crate::auth::hash_key;
use axum::http::{HeaderMap, HeaderValue, header};
use domain::{ClientId, CompanyId};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::PageSession;

use super::secrets::token;
use super::text::Locale;

pub const COOKIE: &str = "cs_flow";
/// How long a session lives without use.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(2);
const KIND: &str = "flow";

/// What the pages keep between requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowData {
    pub csrf: String,
    pub locale: String,
    /// The client's name, as the merchant knows it.
    pub client_name: String,
    /// Where to send the merchant at the end (a registered origin, checked at the start).
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// The merchant's choices so far (current shape), before the whole is saved.
    #[serde(default)]
    pub draft: Option<Value>,
    /// A message to show once on the next page (after a redirect).
    #[serde(default)]
    pub notice: Option<String>,
}

/// A session found from its cookie.
#[derive(Debug, Clone)]
pub struct FlowSession {
    pub id: String,
    pub client: ClientId,
    pub company: CompanyId,
    pub data: FlowData,
}

impl FlowSession {
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.data.locale).unwrap_or_default()
    }

    /// Stores the data back, extending the session's life.
    pub async fn save(&self, state: &AppState) -> Result<(), store::StoreError> {
        let data = serde_json::to_value(&self.data).unwrap_or_default();
        state
            .store
            .update_page_session(&self.id, &data, state.clock.now() + SESSION_LIFETIME)
            .await
            .map(|_| ())
    }

    /// Whether a form's `csrf` field is this session's token.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        super::secrets::same(sent, &self.data.csrf)
    }
}

/// Starts a session for `company`; answers the `Set-Cookie` value.
pub async fn open(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    data: FlowData,
) -> Result<HeaderValue, store::StoreError> {
    let secret = token();
    let now = state.clock.now();
    let data = FlowData {
        csrf: token(),
        ..data
    };
    state
        .store
        .create_page_session(&PageSession {
            id: hash_key(&secret),
            kind: KIND.into(),
            client,
            company: Some(company),
            data: serde_json::to_value(&data).unwrap_or_default(),
            created: now,
            expires: now + SESSION_LIFETIME,
        })
        .await?;
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    Ok(HeaderValue::from_str(&format!(
        "{COOKIE}={secret}; Path=/sync-flow; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("a cookie of URL-safe characters"))
}

/// The session named by the request's cookie, if it exists and has not expired.
pub async fn find(
    state: &AppState,
    headers: &HeaderMap,
    now: Timestamp,
) -> Result<Option<FlowSession>, store::StoreError> {
    let Some(secret) = cookie(headers, COOKIE) else {
        return Ok(None);
    };
    let Some(found) = state.store.page_session(&hash_key(&secret), now).await? else {
        return Ok(None);
    };
    let (Some(company), true) = (found.company, found.kind == KIND) else {
        return Ok(None);
    };
    let Ok(data) = serde_json::from_value(found.data) else {
        return Ok(None);
    };
    Ok(Some(FlowSession {
        id: found.id,
        client: found.client,
        company,
        data,
    }))
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

//! A support user's browser session in Sync Health: a random token in an `HttpOnly`,
//! `SameSite=Strict` cookie scoped to `/health`, stored only as its hash, bound to the user's
//! client. It ends after [`IDLE_LIFETIME`] without use, after [`MAX_LIFETIME`] in any case, and
//! on sign-out. Every form carries the session's CSRF token.
//!
//! The merchant's Sync Flow session (`session.rs`) is a different kind with a different cookie:
//! neither is ever accepted in place of the other.

use crate::AppState;
use crate::auth::hash_key;
use axum::http::{HeaderMap, HeaderValue};
use domain::ClientId;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use store::PageSession;
use uuid::Uuid;

pub use super::secrets::{same, token};
use super::session::cookie;

pub const COOKIE: &str = "cs_support";
/// The sign-in form's own token (double-submit), before any session exists: a page of another
/// site cannot post a sign-in into our origin with the attacker's account.
pub const SIGN_IN_COOKIE: &str = "cs_support_signin";
/// How long a session lives without use: a working day.
pub const IDLE_LIFETIME: SignedDuration = SignedDuration::from_hours(8);
/// How long a session lives at most, used or not.
pub const MAX_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
const KIND: &str = "support";

/// What the pages keep between requests.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportData {
    pub csrf: String,
    pub user_id: Uuid,
    pub email: String,
    pub client_name: String,
    /// A message to show once on the next page (after a redirect).
    #[serde(default)]
    pub notice: Option<String>,
}

/// A signed-in support user.
#[derive(Debug, Clone)]
pub struct SupportSession {
    pub id: String,
    pub client: ClientId,
    pub data: SupportData,
}

impl SupportSession {
    /// Stores the data back, extending the session's life.
    pub async fn save(&self, state: &AppState) -> Result<(), store::StoreError> {
        let data = serde_json::to_value(&self.data).unwrap_or_default();
        state
            .store
            .update_page_session(&self.id, &data, state.clock.now() + IDLE_LIFETIME)
            .await
            .map(|_| ())
    }

    /// Whether a form's `csrf` field is this session's token.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        same(sent, &self.data.csrf)
    }
}

fn secure(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

/// A `Set-Cookie` value for `/health` (the value must be URL-safe).
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age.map_or(String::new(), |s| format!("; Max-Age={s}"));
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/health; HttpOnly; SameSite=Strict{age}{}",
        secure(state)
    ))
    .expect("a cookie of URL-safe characters")
}

/// Starts a session for a verified user; answers the `Set-Cookie` value.
pub async fn open(
    state: &AppState,
    client: ClientId,
    data: SupportData,
) -> Result<HeaderValue, store::StoreError> {
    let secret = token();
    let now = state.clock.now();
    let data = SupportData {
        csrf: token(),
        ..data
    };
    state
        .store
        .create_page_session(&PageSession {
            id: hash_key(&secret),
            kind: KIND.into(),
            client,
            company: None,
            data: serde_json::to_value(&data).unwrap_or_default(),
            created: now,
            expires: now + IDLE_LIFETIME,
        })
        .await?;
    Ok(set_cookie(state, COOKIE, &secret, None))
}

/// Ends the request's session, if any; answers the `Set-Cookie` value that clears it.
pub async fn close(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<HeaderValue, store::StoreError> {
    if let Some(secret) = cookie(headers, COOKIE) {
        state.store.delete_page_session(&hash_key(&secret)).await?;
    }
    Ok(set_cookie(state, COOKIE, "", Some(0)))
}

/// The session named by the request's cookie, if it is a live support session.
pub async fn find(
    state: &AppState,
    headers: &HeaderMap,
    now: Timestamp,
) -> Result<Option<SupportSession>, store::StoreError> {
    let Some(secret) = cookie(headers, COOKIE) else {
        return Ok(None);
    };
    let Some(found) = state.store.page_session(&hash_key(&secret), now).await? else {
        return Ok(None);
    };
    if found.kind != KIND || found.created + MAX_LIFETIME <= now {
        return Ok(None);
    }
    let Ok(data) = serde_json::from_value(found.data) else {
        return Ok(None);
    };
    Ok(Some(SupportSession {
        id: found.id,
        client: found.client,
        data,
    }))
}

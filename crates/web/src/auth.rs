//! API keys: how they are made, stored (SHA-256, never the key itself) and checked.
//!
//! Clients send `Authorization: Basic base64(key)`, as Codat's clients do, or
//! `Authorization: Bearer key`. A missing or wrong key is a 401; the key is never logged.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use sha2::{Digest, Sha256};
use std::time::Instant;
use store::Client;

/// Prefix of every key we issue, so a leaked one is recognisable in scanners.
const KEY_PREFIX: &str = "cs_";
const KEY_RANDOM_CHARS: usize = 40;

/// A new random API key (shown once to whoever asked for it).
pub fn generate_key() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let random: String = (0..KEY_RANDOM_CHARS)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{KEY_PREFIX}{random}")
}

/// What we store for a key.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The key in an `Authorization` header value, if it holds one.
pub fn key_from_header(value: &str) -> Option<String> {
    let (scheme, credential) = value.trim().split_once(' ')?;
    let credential = credential.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return (!credential.is_empty()).then(|| credential.to_owned());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD.decode(credential).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        // Codat encodes the bare key; HTTP Basic proper encodes `user:password`. Accept the
        // key as the user name with an empty password too, which is what curl -u key: sends.
        let key = decoded.strip_suffix(':').unwrap_or(&decoded);
        return (!key.is_empty()).then(|| key.to_owned());
    }
    None
}

/// The authenticated client of a request.
pub struct AuthClient(pub Client);

impl FromRequestParts<AppState> for AuthClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let address = crate::serve::peer(&parts.extensions).map(|p| p.ip());
        if let Some(ip) = address
            && let Some(wait) = state.throttle.blocked(&ip, Instant::now())
        {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_wrong_keys",
                format!(
                    "Too many wrong API keys from this address; try again in {} s",
                    wait.as_secs().max(1)
                ),
            ));
        }
        let wrong = |message: &str| {
            if let Some(ip) = address {
                let attempts = state.throttle.failed(ip, Instant::now());
                tracing::warn!(client_address = %ip, attempts, "wrong API key");
            }
            ApiError::unauthorized(message)
        };
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("An Authorization header with your API key is required: `Authorization: Basic base64(API key)`"))?;
        let key = header
            .to_str()
            .ok()
            .and_then(key_from_header)
            .ok_or_else(|| {
                wrong(
                    "The Authorization header must be `Basic base64(API key)` or `Bearer API key`",
                )
            })?;
        let client = state
            .store
            .client_by_key_hash(&hash_key(&key))
            .await?
            .ok_or_else(|| wrong("The API key is not valid"))?;
        tracing::Span::current().record("client_id", tracing::field::display(client.id));
        Ok(AuthClient(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_prefixed_and_hash_stably() {
        let a = generate_key();
        assert!(a.starts_with("cs_") && a.len() == 43);
        assert_ne!(a, generate_key());
        assert_eq!(hash_key(&a), hash_key(&a));
        assert_eq!(hash_key("abc").len(), 64);
        assert!(!hash_key(&a).contains(&a));
    }

    #[test]
    fn headers_in_every_accepted_form() {
        let b64 = STANDARD.encode("cs_key");
        assert_eq!(
            key_from_header(&format!("Basic {b64}")).as_deref(),
            Some("cs_key")
        );
        let with_colon = STANDARD.encode("cs_key:");
        assert_eq!(
            key_from_header(&format!("basic {with_colon}")).as_deref(),
            Some("cs_key")
        );
        assert_eq!(key_from_header("Bearer cs_key").as_deref(), Some("cs_key"));
        assert_eq!(key_from_header("Basic !!!"), None);
        assert_eq!(key_from_header("Bearer "), None);
        assert_eq!(key_from_header("Digest x"), None);
        assert_eq!(key_from_header("cs_key"), None);
    }
}

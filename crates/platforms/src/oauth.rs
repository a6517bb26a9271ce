//! The OAuth 2.0 refresh grant over HTTP (RFC 6749 §6), as Xero's and Intuit's token endpoints
//! take it: client credentials in HTTP Basic, form body, JSON answer.

use crate::credentials::OAuthTokens;
use crate::limits::Timer;
use crate::tokens::{RefreshError, TokenRefresher};
use async_trait::async_trait;
use jiff::SignedDuration;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// A token endpoint and the app's client credentials.
pub struct HttpRefresher {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: String,
    timer: Arc<dyn Timer>,
}

impl HttpRefresher {
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        timer: Arc<dyn Timer>,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            // A token endpoint never redirects; following one could leak the credentials.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a TLS client can be built");
        Self {
            http,
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            timer,
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: i64,
}

#[derive(Deserialize)]
struct TokenFailure {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

#[async_trait]
impl TokenRefresher for HttpRefresher {
    async fn refresh(&self, refresh_token: &str) -> Result<OAuthTokens, RefreshError> {
        let sent_at = self.timer.now();
        let response = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ])
            .send()
            .await
            .map_err(|e| RefreshError::Transient(e.to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| RefreshError::Transient(e.to_string()))?;
        if status.is_success() {
            let answer: TokenAnswer = serde_json::from_slice(&body)
                .map_err(|e| RefreshError::Transient(format!("unreadable token answer: {e}")))?;
            return Ok(OAuthTokens {
                access_token: answer.access_token,
                // Without rotation the old refresh token stays valid.
                refresh_token: answer
                    .refresh_token
                    .unwrap_or_else(|| refresh_token.to_owned()),
                // Measured from when we asked, so clock skew errs on the early side.
                expires_at: sent_at + SignedDuration::from_secs(answer.expires_in),
            });
        }
        let failure: Option<TokenFailure> = serde_json::from_slice(&body).ok();
        match failure {
            Some(f) if status.is_client_error() && f.error == "invalid_grant" => Err(
                RefreshError::InvalidGrant(f.error_description.unwrap_or(f.error)),
            ),
            // A wrong client id or secret is ours to fix, not the merchant's: the refresh
            // token was not consumed, so the connection must not be written off.
            Some(f) if f.error == "invalid_client" => Err(RefreshError::Transient(format!(
                "our OAuth client was refused ({}); check the client id and secret",
                f.error_description.unwrap_or_default()
            ))),
            _ => Err(RefreshError::Transient(format!(
                "token endpoint answered {status}: {}",
                String::from_utf8_lossy(&body)
            ))),
        }
    }
}

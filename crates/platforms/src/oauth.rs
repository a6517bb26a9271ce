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
        Self {
            http: token_client(),
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            timer,
        }
    }
}

/// An HTTP client for token endpoints.
pub(crate) fn token_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        // A token endpoint never redirects; following one could leak the credentials.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a TLS client can be built")
}

/// One call of a token endpoint: client credentials in HTTP Basic, a form body. Answers the
/// status and the body.
pub(crate) async fn call_token_endpoint(
    http: &reqwest::Client,
    url: &str,
    (client_id, client_secret): (&str, &str),
    form: &[(&str, &str)],
) -> Result<(reqwest::StatusCode, Vec<u8>), reqwest::Error> {
    let response = http
        .post(url)
        .basic_auth(client_id, Some(client_secret))
        .form(form)
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.bytes().await?.to_vec()))
}

/// A token endpoint's successful answer.
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: i64,
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
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        let credentials = (self.client_id.as_str(), self.client_secret.as_str());
        let (status, body) = call_token_endpoint(&self.http, &self.token_url, credentials, &form)
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

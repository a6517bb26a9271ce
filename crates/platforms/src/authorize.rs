//! The OAuth 2.0 authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636), as Xero and
//! Intuit run it: the merchant is sent to the platform's consent page, comes back with a code,
//! and we exchange it for tokens, then learn which organisation (Xero tenant, QuickBooks
//! realm) was connected.

use crate::credentials::{Credentials, OAuthTokens};
use crate::oauth::{TokenAnswer, call_token_endpoint, token_client};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::PlatformKey;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Our registered app at one platform, and where its endpoints are.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub platform: PlatformKey,
    pub client_id: String,
    pub client_secret: String,
    pub authorize_url: String,
    pub token_url: String,
    /// Xero's list of the tenants a token may use; QuickBooks names its realm on the callback.
    pub connections_url: Option<String>,
    pub scopes: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    #[error("the platform refused the authorization code: {0}")]
    Refused(String),
    #[error("the platform could not be reached: {0}")]
    Unreachable(String),
    #[error("no organisation was connected: {0}")]
    NoTenant(String),
}

/// A PKCE pair: the verifier we keep, the challenge we send.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let mut bytes = [0u8; 48];
        rand::rng().fill_bytes(&mut bytes);
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Deserialize)]
struct XeroTenant {
    #[serde(rename = "tenantId")]
    tenant_id: String,
}

impl OAuthApp {
    /// Xero's production endpoints.
    pub fn xero(client_id: &str, client_secret: &str) -> Self {
        Self {
            platform: PlatformKey::Xero,
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            authorize_url: "https://login.xero.com/identity/connect/authorize".into(),
            token_url: "https://identity.xero.com/connect/token".into(),
            connections_url: Some("https://api.xero.com/connections".into()),
            scopes: "openid offline_access accounting.transactions accounting.settings accounting.contacts".into(),
        }
    }

    /// Intuit's production endpoints.
    pub fn quickbooks(client_id: &str, client_secret: &str) -> Self {
        Self {
            platform: PlatformKey::QuickBooksOnline,
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            authorize_url: "https://appcenter.intuit.com/connect/oauth2".into(),
            token_url: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer".into(),
            connections_url: None,
            scopes: "com.intuit.quickbooks.accounting".into(),
        }
    }

    /// The same app pointed at our local sandboxes mounted at `sandbox_base` (…/sandbox).
    pub fn sandbox(platform: PlatformKey, sandbox_base: &str) -> Option<Self> {
        let base = sandbox_base.trim_end_matches('/');
        let (client_id, client_secret) = ("commerce-sync-sandbox", "sandbox-secret");
        match platform {
            PlatformKey::Xero => Some(Self {
                authorize_url: format!("{base}/xero/identity/connect/authorize"),
                token_url: format!("{base}/xero/identity/connect/token"),
                connections_url: Some(format!("{base}/xero/connections")),
                ..Self::xero(client_id, client_secret)
            }),
            PlatformKey::QuickBooksOnline => Some(Self {
                authorize_url: format!("{base}/quickbooks/connect/oauth2"),
                token_url: format!("{base}/quickbooks/oauth2/v1/tokens/bearer"),
                ..Self::quickbooks(client_id, client_secret)
            }),
            _ => None,
        }
    }

    /// Where to send the merchant.
    pub fn authorize_url(&self, redirect_uri: &str, state: &str, pkce: &Pkce) -> String {
        let params = [
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("scope", self.scopes.as_str()),
            ("state", state),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        reqwest::Url::parse_with_params(&self.authorize_url, &params)
            .map(String::from)
            .unwrap_or_else(|_| self.authorize_url.clone())
    }

    /// Exchanges the callback's code for the connection's credentials. `realm_id` is the
    /// QuickBooks callback's `realmId`; Xero's tenant is asked for with the new token.
    pub async fn complete(
        &self,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
        realm_id: Option<&str>,
    ) -> Result<Credentials, AuthorizeError> {
        let http = token_client();
        let asked_at = Timestamp::now();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let credentials = (self.client_id.as_str(), self.client_secret.as_str());
        let (status, body) = call_token_endpoint(&http, &self.token_url, credentials, &form)
            .await
            .map_err(|e| AuthorizeError::Unreachable(e.to_string()))?;
        if !status.is_success() {
            let body = String::from_utf8_lossy(&body);
            return Err(AuthorizeError::Refused(format!("{status}: {body}")));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| AuthorizeError::Refused(format!("unreadable token answer: {e}")))?;
        let tokens = OAuthTokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token.ok_or_else(|| {
                AuthorizeError::Refused(
                    "no refresh token was granted (offline access refused?)".into(),
                )
            })?,
            expires_at: asked_at + SignedDuration::from_secs(answer.expires_in),
        };
        match self.platform {
            PlatformKey::QuickBooksOnline => {
                let realm_id = realm_id.filter(|r| !r.is_empty()).ok_or_else(|| {
                    AuthorizeError::NoTenant("the callback named no realmId".into())
                })?;
                Ok(Credentials::QuickBooks {
                    tokens,
                    realm_id: realm_id.to_owned(),
                })
            }
            _ => {
                let tenant_id = self.first_tenant(&http, &tokens.access_token).await?;
                Ok(Credentials::Xero { tokens, tenant_id })
            }
        }
    }

    /// The organisation the merchant just connected: Xero lists the newest connection last.
    async fn first_tenant(
        &self,
        http: &reqwest::Client,
        access_token: &str,
    ) -> Result<String, AuthorizeError> {
        let url = self
            .connections_url
            .as_deref()
            .ok_or_else(|| AuthorizeError::NoTenant("no connections endpoint".into()))?;
        let response = http
            .get(url)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| AuthorizeError::Unreachable(e.to_string()))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| AuthorizeError::Unreachable(e.to_string()))?;
        if !status.is_success() {
            return Err(AuthorizeError::NoTenant(format!("{status}: {body}")));
        }
        let tenants: Vec<XeroTenant> = serde_json::from_str(&body)
            .map_err(|e| AuthorizeError::NoTenant(format!("unreadable connections: {e}")))?;
        tenants
            .into_iter()
            .next_back()
            .map(|t| t.tenant_id)
            .ok_or_else(|| {
                AuthorizeError::NoTenant("the merchant connected no organisation".into())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_the_s256_of_the_verifier() {
        let pkce = Pkce::new();
        assert!(pkce.verifier.len() >= 43, "RFC 7636 minimum");
        assert_eq!(
            pkce.challenge,
            URL_SAFE_NO_PAD.encode(Sha256::digest(pkce.verifier.as_bytes()))
        );
        assert_ne!(Pkce::new().verifier, pkce.verifier);
    }

    #[test]
    fn authorize_urls_carry_every_parameter_encoded() {
        let app = OAuthApp::xero("id", "secret");
        let pkce = Pkce {
            verifier: "v".into(),
            challenge: "c".into(),
        };
        let url =
            reqwest::Url::parse(&app.authorize_url("https://x.test/cb?a=1", "s t", &pkce)).unwrap();
        let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs["redirect_uri"], "https://x.test/cb?a=1");
        assert_eq!(pairs["state"], "s t");
        assert_eq!(pairs["code_challenge_method"], "S256");
        assert!(pairs["scope"].contains("offline_access"));
        assert!(OAuthApp::sandbox(PlatformKey::Hledger, "http://x").is_none());
    }
}

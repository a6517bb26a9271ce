//! What every connector is configured with: where the platform is, our OAuth app, timeouts,
//! the retry policy, and the connector's own options. One struct for all platforms; each
//! connector names its default URLs and its options type.

use crate::outbound::Outbound;
use crate::retry::RetryPolicy;
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ConnectorConfig<Options> {
    /// The API's base URL (the tenant or realm follows where the platform wants it).
    pub api_base: String,
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Per request; a write that times out has an unknown outcome.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Where `api_base` may point. Operator-configured URLs (Xero, QuickBooks) may point
    /// anywhere; a user-given one (hledger's `baseUrl`) gets the deployment's policy.
    pub outbound: Outbound,
    pub options: Options,
}

impl<Options: Default> ConnectorConfig<Options> {
    /// Our app at the platform's real endpoints.
    pub(crate) fn with_defaults(
        (api_base, token_url): (&str, &str),
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            api_base: api_base.into(),
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            outbound: Outbound::ANYWHERE,
            options: Options::default(),
        }
    }
}

impl<Options> ConnectorConfig<Options> {
    /// Points the connector elsewhere (e.g. the sandboxes under `{base}/sandbox/…`).
    pub fn with_base_urls(mut self, api_base: &str, token_url: &str) -> Self {
        self.api_base = api_base.trim_end_matches('/').to_owned();
        self.token_url = token_url.to_owned();
        self
    }
}

/// An idempotency key the platform accepts: our key itself when it fits in `max` characters,
/// else `prefix` and the key's SHA-256 in hex, cut to `max`.
pub(crate) fn fitted_key(key: &str, max: usize, prefix: &str) -> String {
    if key.len() <= max {
        return key.to_owned();
    }
    let hashed = format!("{prefix}{}", hex::encode(Sha256::digest(key.as_bytes())));
    hashed[..hashed.len().min(max)].to_owned()
}

#[cfg(test)]
mod tests {
    use super::fitted_key;

    #[test]
    fn keys_that_fit_stay_and_long_ones_hash_stably_within_the_limit() {
        assert_eq!(fitted_key("short", 50, "cs-"), "short");
        let long = "k".repeat(60);
        let fitted = fitted_key(&long, 50, "cs-");
        assert_eq!(fitted.len(), 50);
        assert!(fitted.starts_with("cs-"));
        assert_eq!(fitted, fitted_key(&long, 50, "cs-"));
        assert_ne!(fitted, fitted_key(&"j".repeat(60), 50, "cs-"));
    }
}

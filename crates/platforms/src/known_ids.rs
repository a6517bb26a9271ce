//! What connectors share around writing: the platform ids of documents already written or
//! found (so a payment names its invoice without another look-up), and the per-connection
//! token source and rate limiter every connector is built from.

use crate::limits::{RateLimiter, Timer};
use crate::oauth::HttpRefresher;
use crate::platform::{AccountingPlatform, PlatformLimits};
use crate::tokens::{TokenSource, TokenStore};
use crate::{OAuthTokens, PlatformError};
use domain::documents::DocumentKey;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Platform ids by our document key.
#[derive(Default)]
pub(crate) struct KnownIds(Mutex<HashMap<String, String>>);

impl KnownIds {
    pub fn remember(&self, key: &DocumentKey, platform_id: &str) {
        self.0
            .lock()
            .expect("id cache lock")
            .insert(key.full(), platform_id.to_owned());
    }

    /// The platform id of the document `key` names: remembered, else found on the platform.
    pub async fn platform_id_of<P: AccountingPlatform + ?Sized>(
        &self,
        platform: &P,
        key: &DocumentKey,
    ) -> Result<String, PlatformError> {
        let known = self
            .0
            .lock()
            .expect("id cache lock")
            .get(&key.full())
            .cloned();
        if let Some(id) = known {
            return Ok(id);
        }
        match platform.find(key).await? {
            Some(found) => {
                self.remember(key, &found.platform_id);
                Ok(found.platform_id)
            }
            None => Err(PlatformError::Protocol(format!(
                "the {} {} must be written to {} before what applies to it",
                key.kind.as_str(),
                key.full(),
                platform.name()
            ))),
        }
    }
}

/// A connection's token source (refreshing at `token_url` with our app's credentials) and
/// its rate limiter.
pub(crate) fn token_source_and_limiter(
    (token_url, client_id, client_secret): (&str, &str, &str),
    limits: PlatformLimits,
    tokens: OAuthTokens,
    store: Arc<dyn TokenStore>,
    timer: Arc<dyn Timer>,
) -> (Arc<TokenSource>, Arc<RateLimiter>) {
    let refresher = Arc::new(HttpRefresher::new(
        token_url,
        client_id,
        client_secret,
        timer.clone(),
    ));
    let source = Arc::new(TokenSource::new(tokens, refresher, store, timer.clone()));
    (source, Arc::new(RateLimiter::new(limits, timer)))
}

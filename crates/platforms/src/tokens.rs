//! Access tokens for one connection, refreshed exactly once however many tasks ask at once.
//!
//! Xero and QuickBooks rotate refresh tokens: each works once, so two concurrent refreshes
//! invalidate each other and the connection dies. A [`TokenSource`] holds the connection's
//! tokens behind an async mutex; whoever finds them stale refreshes while holding it, saves the
//! new pair through the [`TokenStore`] before anyone uses it, and everyone queued behind
//! re-checks and takes the fresh token. A refresh the platform refuses (`invalid_grant`) makes
//! the connection Deauthorized for good, with the reason.

use crate::credentials::OAuthTokens;
use crate::error::PlatformError;
use crate::limits::Timer;
use async_trait::async_trait;
use jiff::SignedDuration;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Why a refresh failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    /// The refresh token is dead (used, expired, revoked): only the merchant can fix this.
    #[error("the platform refused the refresh token: {0}")]
    InvalidGrant(String),
    /// Could not reach the token endpoint, or it failed: try again later.
    #[error("token refresh failed: {0}")]
    Transient(String),
}

/// Calls the platform's token endpoint.
#[async_trait]
pub trait TokenRefresher: Send + Sync {
    async fn refresh(&self, refresh_token: &str) -> Result<OAuthTokens, RefreshError>;
}

/// Where a connection's tokens live (sealed, in the store). Called with the connection's
/// refresh lock held, so an implementation may also lock the credentials row.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// The newest tokens saved by anyone (another process may have refreshed); `None` to keep
    /// what is in memory.
    async fn latest(&self) -> Option<OAuthTokens> {
        None
    }
    /// Persists rotated tokens. Called before the new access token is used: a rotated refresh
    /// token that is not saved is lost.
    async fn save(&self, tokens: &OAuthTokens) -> Result<(), PlatformError>;
    /// The connection can no longer refresh.
    async fn deauthorized(&self, reason: &str) {
        let _ = reason;
    }
}

enum State {
    Live(OAuthTokens),
    Dead(String),
}

/// One connection's tokens. Share one per connection (behind an `Arc`).
pub struct TokenSource {
    state: Mutex<State>,
    refresher: Arc<dyn TokenRefresher>,
    store: Arc<dyn TokenStore>,
    timer: Arc<dyn Timer>,
    /// Refresh this long before the access token expires, so a call never carries a token
    /// that dies in flight.
    margin: SignedDuration,
}

impl TokenSource {
    pub fn new(
        tokens: OAuthTokens,
        refresher: Arc<dyn TokenRefresher>,
        store: Arc<dyn TokenStore>,
        timer: Arc<dyn Timer>,
    ) -> Self {
        Self {
            state: Mutex::new(State::Live(tokens)),
            refresher,
            store,
            timer,
            margin: SignedDuration::from_secs(60),
        }
    }

    /// A usable access token, refreshing first if it is (nearly) expired.
    pub async fn access_token(&self) -> Result<String, PlatformError> {
        let mut state = self.state.lock().await;
        let stale = match &*state {
            State::Dead(reason) => {
                return Err(PlatformError::Deauthorized {
                    reason: reason.clone(),
                });
            }
            State::Live(t) if t.expires_at - self.margin > self.timer.now() => {
                return Ok(t.access_token.clone());
            }
            State::Live(t) => t.clone(),
        };
        self.refresh_locked(&mut state, stale).await
    }

    /// The platform refused `rejected` (401): refresh, unless someone already has since that
    /// token was handed out, in which case the newer token is returned.
    pub async fn refresh_after_rejection(&self, rejected: &str) -> Result<String, PlatformError> {
        let mut state = self.state.lock().await;
        let current = match &*state {
            State::Dead(reason) => {
                return Err(PlatformError::Deauthorized {
                    reason: reason.clone(),
                });
            }
            State::Live(t) if t.access_token != rejected => return Ok(t.access_token.clone()),
            State::Live(t) => t.clone(),
        };
        self.refresh_locked(&mut state, current).await
    }

    /// Refreshes with the lock held: first adopts tokens another process may have saved.
    async fn refresh_locked(
        &self,
        state: &mut State,
        stale: OAuthTokens,
    ) -> Result<String, PlatformError> {
        if let Some(latest) = self.store.latest().await
            && latest.refresh_token != stale.refresh_token
            && latest.expires_at - self.margin > self.timer.now()
        {
            let token = latest.access_token.clone();
            *state = State::Live(latest);
            return Ok(token);
        }
        match self.refresher.refresh(&stale.refresh_token).await {
            Ok(fresh) => {
                // Saved before use: if saving fails, the old pair is dead and the new one
                // would be lost, so the connection has to be re-authorized either way; keep
                // the fresh pair in memory so this process at least goes on working.
                let saved = self.store.save(&fresh).await;
                let token = fresh.access_token.clone();
                *state = State::Live(fresh);
                saved.map(|()| token)
            }
            Err(RefreshError::InvalidGrant(detail)) => {
                let reason = format!(
                    "the refresh token was refused ({detail}); the merchant must reconnect"
                );
                self.store.deauthorized(&reason).await;
                *state = State::Dead(reason.clone());
                Err(PlatformError::Deauthorized { reason })
            }
            Err(RefreshError::Transient(m)) => Err(PlatformError::Transient(m)),
        }
    }
}

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tests;

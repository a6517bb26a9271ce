//! Single-flight refresh with a fake token endpoint that, like Xero's, honours each refresh
//! token once.
use super::*;
use crate::limits::ManualTimer;
use std::collections::HashSet;
use std::sync::Mutex as SyncMutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Default)]
struct Endpoint {
    used: SyncMutex<HashSet<String>>,
    calls: AtomicUsize,
    dead: bool,
}

#[async_trait]
impl TokenRefresher for Endpoint {
    async fn refresh(&self, refresh_token: &str) -> Result<OAuthTokens, RefreshError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        // Yield so concurrent callers would interleave here if they could.
        tokio::time::sleep(Duration::from_millis(5)).await;
        if self.dead || !self.used.lock().unwrap().insert(refresh_token.to_owned()) {
            return Err(RefreshError::InvalidGrant(
                "refresh token already used".into(),
            ));
        }
        Ok(OAuthTokens {
            access_token: format!("access-{n}"),
            refresh_token: format!("refresh-{n}"),
            expires_at: "2026-11-26T11:00:00Z".parse().unwrap(),
        })
    }
}

#[derive(Default)]
struct Saved {
    saved: SyncMutex<Vec<OAuthTokens>>,
    reasons: SyncMutex<Vec<String>>,
}

#[async_trait]
impl TokenStore for Saved {
    async fn save(&self, tokens: &OAuthTokens) -> Result<(), PlatformError> {
        self.saved.lock().unwrap().push(tokens.clone());
        Ok(())
    }
    async fn deauthorized(&self, reason: &str) {
        self.reasons.lock().unwrap().push(reason.to_owned());
    }
}

fn expired() -> OAuthTokens {
    OAuthTokens {
        access_token: "old".into(),
        refresh_token: "refresh-0".into(),
        expires_at: "2026-11-26T09:59:00Z".parse().unwrap(),
    }
}

fn source(endpoint: Arc<Endpoint>, store: Arc<Saved>) -> Arc<TokenSource> {
    let timer = ManualTimer::new("2026-11-26T10:00:00Z".parse().unwrap());
    Arc::new(TokenSource::new(
        expired(),
        endpoint,
        store,
        Arc::new(timer),
    ))
}

#[tokio::test]
async fn ten_tasks_asking_at_once_cause_one_refresh() {
    let endpoint = Arc::new(Endpoint::default());
    let store = Arc::new(Saved::default());
    let tokens = source(endpoint.clone(), store.clone());
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let t = tokens.clone();
            tokio::spawn(async move { t.access_token().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "access-1");
    }
    assert_eq!(endpoint.calls.load(Ordering::SeqCst), 1);
    assert_eq!(store.saved.lock().unwrap().len(), 1);
    assert_eq!(store.saved.lock().unwrap()[0].refresh_token, "refresh-1");
}

#[tokio::test]
async fn rejections_of_the_same_token_refresh_once() {
    let endpoint = Arc::new(Endpoint::default());
    let store = Arc::new(Saved::default());
    let tokens = source(endpoint.clone(), store.clone());
    let first = tokens.access_token().await.unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let t = tokens.clone();
            let rejected = first.clone();
            tokio::spawn(async move { t.refresh_after_rejection(&rejected).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "access-2");
    }
    assert_eq!(endpoint.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_refresh_token_deauthorizes_for_good() {
    let endpoint = Arc::new(Endpoint {
        dead: true,
        ..Endpoint::default()
    });
    let store = Arc::new(Saved::default());
    let tokens = source(endpoint.clone(), store.clone());
    let e = tokens.access_token().await.unwrap_err();
    assert!(
        matches!(e, PlatformError::Deauthorized { ref reason } if reason.contains("already used"))
    );
    // No second attempt with a dead token.
    assert!(matches!(
        tokens.access_token().await,
        Err(PlatformError::Deauthorized { .. })
    ));
    assert_eq!(endpoint.calls.load(Ordering::SeqCst), 1);
    assert_eq!(store.reasons.lock().unwrap().len(), 1);
}

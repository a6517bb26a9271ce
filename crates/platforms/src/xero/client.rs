//! The HTTP layer of the Xero connector: every call takes a rate-limit slot and a fresh
//! token, carries `xero-tenant-id` (and `Idempotency-Key` on writes), refreshes once after a
//! 401, and has its failure classified (`errors.rs`) so the retry policy knows what to do.

use super::{XeroConnector, errors};
use crate::error::PlatformError;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

impl XeroConnector {
    /// One HTTP call: a rate-limit slot, a fresh token (refreshed once more after a 401), and
    /// the answer classified. `body` present means a write.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        idempotency_key: Option<&str>,
    ) -> Result<Value, PlatformError> {
        let write = body.is_some();
        let url = format!("{}/{path}", self.config.api_base);
        let _permit = self.limiter.acquire().await?;
        let mut token = self.tokens.access_token().await?;
        let mut refreshed = false;
        loop {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(&token)
                .header("xero-tenant-id", &self.tenant_id)
                .header(reqwest::header::ACCEPT, "application/json")
                .query(query);
            if let Some(b) = body {
                request = request.json(b);
            }
            if let Some(k) = idempotency_key {
                request = request.header("Idempotency-Key", k);
            }
            let started = std::time::Instant::now();
            let response = request.send().await;
            let status = response.as_ref().ok().map(|r| r.status().as_u16());
            crate::observe::finished("xero", started, status);
            let response = response.map_err(|e| errors::from_transport(&e, write))?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let bytes = response
                .bytes()
                .await
                .map_err(|e| errors::from_transport(&e, write))?;
            if status.is_success() {
                return serde_json::from_slice(&bytes).map_err(|e| {
                    let m = format!("unreadable answer from Xero: {e}");
                    if write {
                        PlatformError::OutcomeUnknown(m)
                    } else {
                        PlatformError::Protocol(m)
                    }
                });
            }
            // A token can expire early (revoked, clock skew): refresh once and try again.
            if status == reqwest::StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                token = self.tokens.refresh_after_rejection(&token).await?;
                // The second request counts against Xero's limits too.
                self.limiter.admit().await?;
                continue;
            }
            let error = errors::from_status(status, &bytes, retry_after.as_deref(), write);
            if let PlatformError::RateLimited { retry_after } = &error {
                self.limiter.pause(*retry_after);
            }
            return Err(error);
        }
    }

    /// A read, retried as the policy allows.
    pub(super) async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Value, PlatformError> {
        self.config
            .retry
            .run(&*self.timer, || {
                self.call(Method::GET, path, query, None, None)
            })
            .await
    }

    /// The objects of a collection's envelope (`{"Accounts": [...]}`).
    pub(super) async fn list<T: DeserializeOwned>(
        &self,
        collection: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, PlatformError> {
        let v = self.get(collection, query).await?;
        items(&v, collection)
    }
}

pub(super) fn items<T: DeserializeOwned>(
    v: &Value,
    collection: &str,
) -> Result<Vec<T>, PlatformError> {
    let list = v
        .get(collection)
        .cloned()
        .ok_or_else(|| PlatformError::Protocol(format!("Xero's answer has no {collection}")))?;
    serde_json::from_value(list)
        .map_err(|e| PlatformError::Protocol(format!("unreadable {collection}: {e}")))
}

pub(super) fn first<'a>(v: &'a Value, collection: &str) -> Result<&'a Value, PlatformError> {
    v.get(collection)
        .and_then(|l| l.get(0))
        .ok_or_else(|| PlatformError::Protocol(format!("Xero's answer has no {collection}")))
}

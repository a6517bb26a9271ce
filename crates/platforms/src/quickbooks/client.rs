//! The HTTP layer of the QuickBooks connector: every call takes a rate-limit slot and a fresh
//! token, is addressed to the company (`/{realmId}/…`) with `minorversion`, carries
//! `requestid` on writes, refreshes once after a 401, and has its failure classified
//! (`errors.rs`) so the retry policy knows what to do. Throttles in a row wait longer and
//! longer (QuickBooks promises no `Retry-After`); any success resets the count.

use super::{MINOR_VERSION, QuickBooksConnector, errors};
use crate::error::PlatformError;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::atomic::Ordering;

/// Rows per query page (QuickBooks' maximum).
const PAGE: usize = 1000;

impl QuickBooksConnector {
    /// One HTTP call. `body` present means a write, sent with `requestid`.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        request_id: Option<&str>,
    ) -> Result<Value, PlatformError> {
        let write = body.is_some();
        let url = format!("{}/{}/{path}", self.config.api_base, self.realm_id);
        let mut params: Vec<(&str, String)> = query.to_vec();
        params.push(("minorversion", MINOR_VERSION.to_owned()));
        if let Some(r) = request_id {
            params.push(("requestid", r.to_owned()));
        }
        let _permit = self.limiter.acquire().await?;
        let mut token = self.tokens.access_token().await?;
        let mut refreshed = false;
        loop {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(&token)
                .header(reqwest::header::ACCEPT, "application/json")
                .query(&params);
            if let Some(b) = body {
                request = request.json(b);
            }
            let started = std::time::Instant::now();
            let response = request.send().await;
            let status = response.as_ref().ok().map(|r| r.status().as_u16());
            crate::observe::finished("quickbooks", started, status);
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
                self.throttled.store(0, Ordering::Relaxed);
                return serde_json::from_slice(&bytes).map_err(|e| {
                    let m = format!("unreadable answer from QuickBooks: {e}");
                    if write {
                        PlatformError::OutcomeUnknown(m)
                    } else {
                        PlatformError::Protocol(m)
                    }
                });
            }
            if status == reqwest::StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                token = self.tokens.refresh_after_rejection(&token).await?;
                // The second request counts against the limits too.
                self.limiter.admit().await?;
                continue;
            }
            let mut error = errors::from_status(status, &bytes, write);
            if let PlatformError::RateLimited { retry_after: wait } = &mut error {
                let in_a_row = self.throttled.fetch_add(1, Ordering::Relaxed) + 1;
                *wait = errors::throttle_wait(retry_after.as_deref(), in_a_row);
                self.limiter.pause(*wait);
            }
            return Err(error);
        }
    }

    /// `select * from {entity} [where …]`, every page, retried as the policy allows.
    pub(super) async fn query(
        &self,
        entity: &str,
        filter: Option<&str>,
    ) -> Result<Vec<Value>, PlatformError> {
        let mut all = Vec::new();
        let mut start = 1;
        loop {
            let text = format!(
                "select * from {entity}{} startposition {start} maxresults {PAGE}",
                filter.map(|f| format!(" where {f}")).unwrap_or_default()
            );
            let params = [("query", text)];
            let v = self
                .config
                .retry
                .run(&*self.timer, || {
                    self.call(Method::GET, "query", &params, None, None)
                })
                .await?;
            let rows = v
                .pointer(&format!("/QueryResponse/{entity}"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let done = rows.len() < PAGE;
            all.extend(rows);
            if done {
                return Ok(all);
            }
            start += PAGE;
        }
    }

    /// Every `entity`, typed. Lists (accounts, names, tax codes, classes) are asked for
    /// inactive records too — QuickBooks leaves them out by default — so that a re-check can
    /// say a chosen one was made inactive rather than that it vanished.
    pub(super) async fn list<T: DeserializeOwned>(
        &self,
        entity: &str,
    ) -> Result<Vec<T>, PlatformError> {
        let filter = !matches!(entity, "CompanyInfo" | "Preferences");
        let filter = filter.then_some("Active IN (true, false)");
        self.query(entity, filter)
            .await?
            .into_iter()
            .map(|v| {
                serde_json::from_value(v)
                    .map_err(|e| PlatformError::Protocol(format!("unreadable {entity}: {e}")))
            })
            .collect()
    }

    /// `GET {entity}/{id}`.
    pub(super) async fn read(&self, entity: &str, id: &str) -> Result<Value, PlatformError> {
        let path = format!("{}/{id}", entity.to_ascii_lowercase());
        let v = self
            .config
            .retry
            .run(&*self.timer, || {
                self.call(Method::GET, &path, &[], None, None)
            })
            .await?;
        v.get(entity)
            .cloned()
            .ok_or_else(|| PlatformError::Protocol(format!("QuickBooks' answer has no {entity}")))
    }
}

/// A string for QuickBooks' query language: quotes escaped with a backslash.
pub(super) fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "\\'"))
}

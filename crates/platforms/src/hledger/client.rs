//! The HTTP layer of the hledger connector: every call takes a slot of the connection's
//! limiter (one at a time: every write appends to the same file) and has its failure
//! classified (`errors.rs`) so the retry policy knows what to do.

use super::{HledgerConnector, errors};
use crate::error::PlatformError;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

impl HledgerConnector {
    /// One HTTP call to `{base}/{path}`; `body` present means a write. The answer's bytes.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Vec<u8>, PlatformError> {
        let write = body.is_some();
        let url = format!("{}/{path}", self.config.api_base);
        let _permit = self.limiter.acquire().await?;
        let mut request = self
            .http
            .request(method, &url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = request
            .send()
            .await
            .map_err(|e| errors::from_transport(&e, write))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| errors::from_transport(&e, write))?;
        if status.is_success() {
            Ok(bytes.to_vec())
        } else {
            Err(errors::from_status(status, &bytes, write))
        }
    }

    /// A read of JSON, retried as the policy allows.
    pub(super) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, PlatformError> {
        let bytes = self
            .config
            .retry
            .run(&*self.timer, || self.call(Method::GET, path, None))
            .await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            PlatformError::Protocol(format!("unreadable answer from hledger-web /{path}: {e}"))
        })
    }
}

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
        // An address literal never reaches the resolver: checked here, never sent.
        if let Err(e) = self.config.outbound.check_url(&url).await {
            return Err(PlatformError::Deauthorized {
                reason: format!("hledger-web's baseUrl is not allowed: {e}"),
            });
        }
        let _permit = self.limiter.acquire().await?;
        let mut request = self
            .http
            .request(method, &url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            request = request.json(b);
        }
        let started = std::time::Instant::now();
        let response = request.send().await;
        let status = response.as_ref().ok().map(|r| r.status().as_u16());
        crate::observe::finished("hledger", started, status);
        let response = response.map_err(|e| errors::from_transport(&e, write))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hledger::HledgerConfig;
    use crate::outbound::Outbound;
    use std::sync::Arc;

    /// A baseUrl stored before the policy (or by a name that moved) is never called.
    #[tokio::test]
    async fn a_private_base_url_is_not_called_under_the_default_policy() {
        for base in ["http://127.0.0.1:9", "http://localhost:9"] {
            let mut config = HledgerConfig::new(base);
            config.outbound = Outbound::default();
            let connector = HledgerConnector::connect(config, Arc::new(crate::SystemTimer));
            let e = connector.version().await.unwrap_err();
            assert!(
                matches!(&e, PlatformError::Deauthorized { reason } if reason.contains("not a public address")),
                "{base}: {e:?}"
            );
        }
    }
}

//! A client's own settings, each a JSON value under a name (`visibleAccounts.gbol`): what it
//! tailors for its merchants without code.

use crate::StoreError;
use async_trait::async_trait;
use domain::ClientId;
use jiff::Timestamp;
use serde_json::Value;

#[async_trait]
pub trait ClientSettingsStore {
    /// The value set under `name`, if any.
    async fn client_setting(
        &self,
        client: ClientId,
        name: &str,
    ) -> Result<Option<Value>, StoreError>;

    /// Sets `name` to `value`, replacing what was there.
    async fn put_client_setting(
        &self,
        client: ClientId,
        name: &str,
        value: &Value,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}

pub(crate) fn parse(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt("client_settings", e))
}

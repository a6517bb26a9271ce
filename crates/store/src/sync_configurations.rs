//! The configuration each sync ran with (the store keeps only the current one otherwise).

use crate::StoreError;
use async_trait::async_trait;
use serde_json::Value;
use uuid::Uuid;

#[async_trait]
pub trait SyncConfigurationStore {
    /// Records the configuration version and document (current shape) `sync` runs with; a run
    /// resumed after a crash keeps what it first recorded.
    async fn record_sync_configuration(
        &self,
        sync: Uuid,
        version: u64,
        document: &Value,
    ) -> Result<(), StoreError>;

    /// What `sync` ran with: (version, document).
    async fn sync_configuration(&self, sync: Uuid) -> Result<Option<(u64, Value)>, StoreError>;
}

pub(crate) fn parse(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt("sync_configurations", e))
}

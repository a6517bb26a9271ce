use super::SqliteStore;
use crate::StoreError;
use crate::sync_configurations::{SyncConfigurationStore, parse};
use async_trait::async_trait;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

#[async_trait]
impl SyncConfigurationStore for SqliteStore {
    async fn record_sync_configuration(
        &self,
        sync: Uuid,
        version: u64,
        document: &Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO sync_configurations (sync_id, version, document) VALUES (?, ?, ?)
             ON CONFLICT (sync_id) DO NOTHING",
        )
        .bind(sync.to_string())
        .bind(version as i64)
        .bind(document.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sync_configuration(&self, sync: Uuid) -> Result<Option<(u64, Value)>, StoreError> {
        let row =
            sqlx::query("SELECT version, document FROM sync_configurations WHERE sync_id = ?")
                .bind(sync.to_string())
                .fetch_optional(&self.reader)
                .await?;
        row.map(|r| Ok((r.get::<i64, _>("version") as u64, parse(r.get("document"))?)))
            .transpose()
    }
}

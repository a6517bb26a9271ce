use super::PostgresStore;
use crate::StoreError;
use crate::sync_configurations::{SyncConfigurationStore, parse};
use async_trait::async_trait;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

#[async_trait]
impl SyncConfigurationStore for PostgresStore {
    async fn record_sync_configuration(
        &self,
        sync: Uuid,
        version: u64,
        document: &Value,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sync_configurations (sync_id, version, document) VALUES ($1, $2, $3)
             ON CONFLICT (sync_id) DO NOTHING",
        )
        .bind(sync)
        .bind(version as i64)
        .bind(document.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn sync_configuration(&self, sync: Uuid) -> Result<Option<(u64, Value)>, StoreError> {
        let row =
            sqlx::query("SELECT version, document FROM sync_configurations WHERE sync_id = $1")
                .bind(sync)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| Ok((r.get::<i64, _>("version") as u64, parse(r.get("document"))?)))
            .transpose()
    }
}

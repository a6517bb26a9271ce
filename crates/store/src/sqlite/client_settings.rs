use super::SqliteStore;
use crate::StoreError;
use crate::client_settings::{ClientSettingsStore, parse};
use crate::time::to_db;
use async_trait::async_trait;
use domain::ClientId;
use jiff::Timestamp;
use serde_json::Value;
use sqlx::Row;

#[async_trait]
impl ClientSettingsStore for SqliteStore {
    async fn client_setting(
        &self,
        client: ClientId,
        name: &str,
    ) -> Result<Option<Value>, StoreError> {
        let row = sqlx::query("SELECT value FROM client_settings WHERE client_id = ? AND name = ?")
            .bind(client.to_string())
            .bind(name)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| parse(r.get("value"))).transpose()
    }

    async fn put_client_setting(
        &self,
        client: ClientId,
        name: &str,
        value: &Value,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO client_settings (client_id, name, value, updated) VALUES (?, ?, ?, ?)
             ON CONFLICT (client_id, name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
        )
        .bind(client.to_string())
        .bind(name)
        .bind(value.to_string())
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

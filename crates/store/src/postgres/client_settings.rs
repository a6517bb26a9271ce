use super::PostgresStore;
use crate::StoreError;
use crate::client_settings::{ClientSettingsStore, parse};
use crate::time::to_db;
use async_trait::async_trait;
use domain::ClientId;
use jiff::Timestamp;
use serde_json::Value;
use sqlx::Row;

#[async_trait]
impl ClientSettingsStore for PostgresStore {
    async fn client_setting(
        &self,
        client: ClientId,
        name: &str,
    ) -> Result<Option<Value>, StoreError> {
        let row =
            sqlx::query("SELECT value FROM client_settings WHERE client_id = $1 AND name = $2")
                .bind(client.0)
                .bind(name)
                .fetch_optional(&self.pool)
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
        sqlx::query(
            "INSERT INTO client_settings (client_id, name, value, updated) VALUES ($1, $2, $3, $4)
             ON CONFLICT (client_id, name) DO UPDATE SET value = EXCLUDED.value, updated = EXCLUDED.updated",
        )
        .bind(client.0)
        .bind(name)
        .bind(value.to_string())
        .bind(to_db(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

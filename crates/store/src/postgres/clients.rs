use super::PostgresStore;
use crate::time::{from_db, now, to_db};
use crate::{Client, ClientStore, StoreError};
use async_trait::async_trait;
use domain::ClientId;
use sqlx::Row;
use uuid::Uuid;

#[async_trait]
impl ClientStore for PostgresStore {
    async fn ensure_client(&self, name: &str) -> Result<Client, StoreError> {
        let candidate = Client {
            id: ClientId::new(),
            name: name.to_owned(),
            created: now(),
        };
        // The no-op update makes RETURNING answer the existing row when the name is taken.
        let row = sqlx::query(
            "INSERT INTO clients (id, name, created) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
             RETURNING id, created",
        )
        .bind(candidate.id.0)
        .bind(name)
        .bind(to_db(candidate.created))
        .fetch_one(&self.pool)
        .await?;
        Ok(Client {
            id: ClientId(row.get("id")),
            name: name.to_owned(),
            created: from_db("clients", row.get("created"))?,
        })
    }

    async fn add_api_key(&self, client: ClientId, key_hash: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_keys (key_hash, client_id, created) VALUES ($1, $2, $3)
             ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(key_hash)
        .bind(client.0)
        .bind(to_db(now()))
        .execute(&self.pool)
        .await?;
        let owner: Uuid = sqlx::query_scalar("SELECT client_id FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_one(&self.pool)
            .await?;
        if owner == client.0 {
            Ok(())
        } else {
            Err(StoreError::Conflict(
                "this API key already belongs to another client".into(),
            ))
        }
    }

    async fn client_by_key_hash(&self, key_hash: &str) -> Result<Option<Client>, StoreError> {
        let row = sqlx::query(
            "SELECT c.id, c.name, c.created FROM api_keys k JOIN clients c ON c.id = k.client_id
             WHERE k.key_hash = $1",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Client {
                id: ClientId(row.get("id")),
                name: row.get("name"),
                created: from_db("clients", row.get("created"))?,
            })
        })
        .transpose()
    }
}

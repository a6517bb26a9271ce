use super::SqliteStore;
use crate::rows::uuid_from_text;
use crate::time::{from_db, now, to_db};
use crate::{Client, ClientStore, StoreError};
use async_trait::async_trait;
use domain::ClientId;
use sqlx::Row;

#[async_trait]
impl ClientStore for SqliteStore {
    async fn ensure_client(&self, name: &str) -> Result<Client, StoreError> {
        let mut tx = self.write().await?;
        let existing = sqlx::query("SELECT id, created FROM clients WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let client = match existing {
            Some(row) => Client {
                id: ClientId(uuid_from_text("clients", row.get("id"))?),
                name: name.to_owned(),
                created: from_db("clients", row.get("created"))?,
            },
            None => {
                let client = Client {
                    id: ClientId::new(),
                    name: name.to_owned(),
                    created: now(),
                };
                sqlx::query("INSERT INTO clients (id, name, created) VALUES (?, ?, ?)")
                    .bind(client.id.to_string())
                    .bind(name)
                    .bind(to_db(client.created))
                    .execute(&mut *tx)
                    .await?;
                client
            }
        };
        tx.commit().await?;
        Ok(client)
    }

    async fn add_api_key(&self, client: ClientId, key_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let owner: Option<String> =
            sqlx::query_scalar("SELECT client_id FROM api_keys WHERE key_hash = ?")
                .bind(key_hash)
                .fetch_optional(&mut *tx)
                .await?;
        match owner {
            Some(owner) if owner == client.to_string() => {}
            Some(_) => {
                return Err(StoreError::Conflict(
                    "this API key already belongs to another client".into(),
                ));
            }
            None => {
                sqlx::query("INSERT INTO api_keys (key_hash, client_id, created) VALUES (?, ?, ?)")
                    .bind(key_hash)
                    .bind(client.to_string())
                    .bind(to_db(now()))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn client_by_key_hash(&self, key_hash: &str) -> Result<Option<Client>, StoreError> {
        let row = sqlx::query(
            "SELECT c.id, c.name, c.created FROM api_keys k JOIN clients c ON c.id = k.client_id
             WHERE k.key_hash = ?",
        )
        .bind(key_hash)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|row| {
            Ok(Client {
                id: ClientId(uuid_from_text("clients", row.get("id"))?),
                name: row.get("name"),
                created: from_db("clients", row.get("created"))?,
            })
        })
        .transpose()
    }
}

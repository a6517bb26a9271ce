use super::SqliteStore;
use super::companies::{COLUMNS as COMPANY_COLUMNS, company};
use super::syncs::{SYNC_COLUMNS, sync};
use crate::operator::{ApiKeyInfo, OperatorStore, SyncFilter};
use crate::rows::uuid_from_text;
use crate::time::from_db;
use crate::{Client, StoreError, SyncRun};
use async_trait::async_trait;
use domain::{ClientId, Company, CompanyId};
use sqlx::Row;
use uuid::Uuid;

/// SQLite's LIMIT is signed.
fn limit(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl OperatorStore for SqliteStore {
    async fn clients(&self) -> Result<Vec<Client>, StoreError> {
        sqlx::query("SELECT id, name, created FROM clients ORDER BY created, id")
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|row| {
                Ok(Client {
                    id: ClientId(uuid_from_text("clients", row.get("id"))?),
                    name: row.get("name"),
                    created: from_db("clients", row.get("created"))?,
                })
            })
            .collect()
    }

    async fn api_keys(&self, client: Option<ClientId>) -> Result<Vec<ApiKeyInfo>, StoreError> {
        sqlx::query(
            "SELECT k.key_hash, k.client_id, c.name, k.created
             FROM api_keys k JOIN clients c ON c.id = k.client_id
             WHERE ? IS NULL OR k.client_id = ?
             ORDER BY k.created, k.key_hash",
        )
        .bind(client.map(|c| c.to_string()))
        .bind(client.map(|c| c.to_string()))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| {
            Ok(ApiKeyInfo {
                key_hash: row.get("key_hash"),
                client_id: ClientId(uuid_from_text("api_keys", row.get("client_id"))?),
                client_name: row.get("name"),
                created: from_db("api_keys", row.get("created"))?,
            })
        })
        .collect()
    }

    async fn revoke_api_key(&self, key_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let removed = sqlx::query("DELETE FROM api_keys WHERE key_hash = ?")
            .bind(key_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(removed > 0)
    }

    async fn all_companies(
        &self,
        client: Option<ClientId>,
        max: u64,
    ) -> Result<Vec<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies WHERE ? IS NULL OR client_id = ?
             ORDER BY created, id LIMIT ?"
        ))
        .bind(client.map(|c| c.to_string()))
        .bind(client.map(|c| c.to_string()))
        .bind(limit(max))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(company)
        .collect()
    }

    async fn any_company(&self, id: CompanyId) -> Result<Option<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies WHERE id = ?"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.reader)
        .await?
        .map(company)
        .transpose()
    }

    async fn find_syncs(&self, filter: &SyncFilter) -> Result<Vec<SyncRun>, StoreError> {
        let client = filter.client.map(|c| c.to_string());
        let company = filter.company.map(|c| c.to_string());
        let code = filter.status_code.map(i64::from);
        sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs
             WHERE (? IS NULL OR company_id IN (SELECT id FROM companies WHERE client_id = ?))
               AND (? IS NULL OR company_id = ?)
               AND (? IS NULL OR status_code = ?)
             ORDER BY requested DESC, id DESC LIMIT ?"
        ))
        .bind(&client)
        .bind(&client)
        .bind(&company)
        .bind(&company)
        .bind(code)
        .bind(code)
        .bind(limit(filter.limit))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(sync)
        .collect()
    }

    async fn any_sync(&self, id: Uuid) -> Result<Option<SyncRun>, StoreError> {
        sqlx::query(&format!("SELECT {SYNC_COLUMNS} FROM syncs WHERE id = ?"))
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(sync)
            .transpose()
    }
}

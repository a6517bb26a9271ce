use super::PostgresStore;
use super::companies::{COLUMNS as COMPANY_COLUMNS, company};
use super::syncs::{SYNC_COLUMNS, sync};
use crate::operator::{ApiKeyInfo, OperatorStore, SyncFilter};
use crate::time::from_db;
use crate::{Client, StoreError, SyncRun};
use async_trait::async_trait;
use domain::{ClientId, Company, CompanyId};
use sqlx::Row;
use uuid::Uuid;

fn limit(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl OperatorStore for PostgresStore {
    async fn clients(&self) -> Result<Vec<Client>, StoreError> {
        sqlx::query("SELECT id, name, created FROM clients ORDER BY created, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(Client {
                    id: ClientId(row.get("id")),
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
             WHERE $1::uuid IS NULL OR k.client_id = $1
             ORDER BY k.created, k.key_hash",
        )
        .bind(client.map(|c| c.0))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ApiKeyInfo {
                key_hash: row.get("key_hash"),
                client_id: ClientId(row.get("client_id")),
                client_name: row.get("name"),
                created: from_db("api_keys", row.get("created"))?,
            })
        })
        .collect()
    }

    async fn revoke_api_key(&self, key_hash: &str) -> Result<bool, StoreError> {
        let removed = sqlx::query("DELETE FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    async fn all_companies(
        &self,
        client: Option<ClientId>,
        max: u64,
    ) -> Result<Vec<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies WHERE $1::uuid IS NULL OR client_id = $1
             ORDER BY created, id LIMIT $2"
        ))
        .bind(client.map(|c| c.0))
        .bind(limit(max))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(company)
        .collect()
    }

    async fn any_company(&self, id: CompanyId) -> Result<Option<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .map(company)
        .transpose()
    }

    async fn find_syncs(&self, filter: &SyncFilter) -> Result<Vec<SyncRun>, StoreError> {
        sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs
             WHERE ($1::uuid IS NULL OR company_id IN (SELECT id FROM companies WHERE client_id = $1))
               AND ($2::uuid IS NULL OR company_id = $2)
               AND ($3::bigint IS NULL OR status_code = $3)
             ORDER BY requested DESC, id DESC LIMIT $4"
        ))
        .bind(filter.client.map(|c| c.0))
        .bind(filter.company.map(|c| c.0))
        .bind(filter.status_code.map(i64::from))
        .bind(limit(filter.limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(sync)
        .collect()
    }

    async fn any_sync(&self, id: Uuid) -> Result<Option<SyncRun>, StoreError> {
        sqlx::query(&format!("SELECT {SYNC_COLUMNS} FROM syncs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(sync)
            .transpose()
    }
}

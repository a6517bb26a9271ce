use super::SqliteStore;
use crate::rows::{ConnectionColumns, uuid_from_text};
use crate::time::{now, to_db};
use crate::{ConnectionStore, ConnectionUpdate, StoreError};
use async_trait::async_trait;
use domain::{ClientId, CompanyId, Connection, ConnectionId, ConnectionStatus, PlatformKey};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

pub(super) const COLUMNS: &str = "n.id, n.company_id, n.platform_key, n.status, n.created, n.last_sync, \
                       n.error_message, n.error_status_code, n.errored_on";

/// Joins a connection to its company so every query is scoped by the owning client.
const OWNED: &str = "connections n JOIN companies c ON c.id = n.company_id";

pub(super) fn connection(row: SqliteRow) -> Result<Connection, StoreError> {
    ConnectionColumns {
        id: uuid_from_text("connections", row.get("id"))?,
        company_id: uuid_from_text("connections", row.get("company_id"))?,
        platform_key: row.get("platform_key"),
        status: row.get("status"),
        created: row.get("created"),
        last_sync: row.get("last_sync"),
        error_message: row.get("error_message"),
        error_status_code: row.get("error_status_code"),
        errored_on: row.get("errored_on"),
    }
    .into_connection()
}

impl SqliteStore {
    async fn owned_connection<'e, E>(
        executor: E,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Connection>, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
    {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {OWNED} WHERE n.id = ? AND n.company_id = ? AND c.client_id = ?"
        ))
        .bind(id.to_string())
        .bind(company.to_string())
        .bind(client.to_string())
        .fetch_optional(executor)
        .await?
        .map(connection)
        .transpose()
    }
}

#[async_trait]
impl ConnectionStore for SqliteStore {
    async fn create_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        platform: PlatformKey,
        status: ConnectionStatus,
    ) -> Result<Option<Connection>, StoreError> {
        let connection = Connection {
            id: ConnectionId::new(),
            company_id: company,
            platform_key: platform,
            status,
            created: now(),
            last_sync: None,
            error: None,
        };
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO connections (id, company_id, platform_key, status, created)
             SELECT ?, id, ?, ?, ? FROM companies WHERE id = ? AND client_id = ?",
        )
        .bind(connection.id.to_string())
        .bind(platform.key())
        .bind(status.as_str())
        .bind(to_db(connection.created))
        .bind(company.to_string())
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok((inserted > 0).then_some(connection))
    }

    async fn connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Connection>, StoreError> {
        Self::owned_connection(&self.reader, client, company, id).await
    }

    async fn list_connections(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<Vec<Connection>>, StoreError> {
        let owned: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM companies WHERE id = ? AND client_id = ?")
                .bind(company.to_string())
                .bind(client.to_string())
                .fetch_optional(&self.reader)
                .await?;
        if owned.is_none() {
            return Ok(None);
        }
        Ok(Some(self.connections_of(client, &[company]).await?))
    }

    async fn connections_of(
        &self,
        client: ClientId,
        companies: &[CompanyId],
    ) -> Result<Vec<Connection>, StoreError> {
        let ids: Vec<String> = companies.iter().map(ToString::to_string).collect();
        let ids = serde_json::to_string(&ids).expect("strings serialize");
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {OWNED}
             WHERE c.client_id = ? AND n.company_id IN (SELECT value FROM json_each(?))
             ORDER BY n.created, n.id"
        ))
        .bind(client.to_string())
        .bind(ids)
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(connection)
        .collect()
    }

    async fn update_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        update: ConnectionUpdate,
    ) -> Result<Option<Connection>, StoreError> {
        let mut tx = self.write().await?;
        let Some(mut current) = Self::owned_connection(&mut *tx, client, company, id).await? else {
            return Ok(None);
        };
        current.status = update.status;
        if let Some(error) = update.error {
            current.error = error;
        }
        let error = current.error.as_ref();
        sqlx::query(
            "UPDATE connections SET status = ?, error_message = ?, error_status_code = ?,
                    errored_on = ?, credentials = CASE WHEN ? THEN ? ELSE credentials END
             WHERE id = ?",
        )
        .bind(current.status.as_str())
        .bind(error.map(|e| e.message.clone()))
        .bind(error.and_then(|e| e.status_code.clone()))
        .bind(error.map(|e| to_db(e.errored_on)))
        .bind(update.credentials.is_some())
        .bind(update.credentials.flatten())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(current))
    }

    async fn connection_credentials(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar(&format!(
            "SELECT n.credentials FROM {OWNED} WHERE n.id = ? AND n.company_id = ? AND c.client_id = ?"
        ))
        .bind(id.to_string())
        .bind(company.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?;
        Ok(sealed.flatten())
    }

    async fn delete_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query(
            "DELETE FROM connections WHERE id = ? AND company_id IN
                (SELECT id FROM companies WHERE id = ? AND client_id = ?)",
        )
        .bind(id.to_string())
        .bind(company.to_string())
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }
}

use super::PostgresStore;
use crate::rows::ConnectionColumns;
use crate::time::{now, to_db};
use crate::{ConnectionStore, ConnectionUpdate, StoreError};
use async_trait::async_trait;
use domain::{ClientId, CompanyId, Connection, ConnectionId, ConnectionStatus, PlatformKey};
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

pub(super) const COLUMNS: &str = "n.id, n.company_id, n.platform_key, n.status, n.created, n.last_sync, \
                       n.error_message, n.error_status_code, n.errored_on";

/// Joins a connection to its company so every query is scoped by the owning client.
const OWNED: &str = "connections n JOIN companies c ON c.id = n.company_id";

pub(super) fn connection(row: PgRow) -> Result<Connection, StoreError> {
    ConnectionColumns {
        id: row.get("id"),
        company_id: row.get("company_id"),
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

impl PostgresStore {
    async fn owned_connection<'e, E>(
        executor: E,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        lock: bool,
    ) -> Result<Option<Connection>, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Postgres>,
    {
        let lock = if lock { "FOR UPDATE OF n" } else { "" };
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {OWNED}
             WHERE n.id = $1 AND n.company_id = $2 AND c.client_id = $3 {lock}"
        ))
        .bind(id.0)
        .bind(company.0)
        .bind(client.0)
        .fetch_optional(executor)
        .await?
        .map(connection)
        .transpose()
    }
}

#[async_trait]
impl ConnectionStore for PostgresStore {
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
        let inserted = sqlx::query(
            "INSERT INTO connections (id, company_id, platform_key, status, created)
             SELECT $1, id, $2, $3, $4 FROM companies WHERE id = $5 AND client_id = $6",
        )
        .bind(connection.id.0)
        .bind(platform.key())
        .bind(status.as_str())
        .bind(to_db(connection.created))
        .bind(company.0)
        .bind(client.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((inserted > 0).then_some(connection))
    }

    async fn connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<Option<Connection>, StoreError> {
        Self::owned_connection(&self.pool, client, company, id, false).await
    }

    async fn list_connections(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<Vec<Connection>>, StoreError> {
        let owned: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM companies WHERE id = $1 AND client_id = $2")
                .bind(company.0)
                .bind(client.0)
                .fetch_optional(&self.pool)
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
        let ids: Vec<Uuid> = companies.iter().map(|c| c.0).collect();
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {OWNED}
             WHERE c.client_id = $1 AND n.company_id = ANY($2)
             ORDER BY n.created, n.id"
        ))
        .bind(client.0)
        .bind(ids)
        .fetch_all(&self.pool)
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
        let mut tx = self.pool.begin().await?;
        let Some(mut current) = Self::owned_connection(&mut *tx, client, company, id, true).await?
        else {
            return Ok(None);
        };
        current.status = update.status;
        if let Some(error) = update.error {
            current.error = error;
        }
        let error = current.error.as_ref();
        sqlx::query(
            "UPDATE connections SET status = $1, error_message = $2, error_status_code = $3,
                    errored_on = $4, credentials = CASE WHEN $5 THEN $6 ELSE credentials END
             WHERE id = $7",
        )
        .bind(current.status.as_str())
        .bind(error.map(|e| e.message.clone()))
        .bind(error.and_then(|e| e.status_code.clone()))
        .bind(error.map(|e| to_db(e.errored_on)))
        .bind(update.credentials.is_some())
        .bind(update.credentials.flatten())
        .bind(id.0)
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
            "SELECT n.credentials FROM {OWNED} WHERE n.id = $1 AND n.company_id = $2 AND c.client_id = $3"
        ))
        .bind(id.0)
        .bind(company.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(sealed.flatten())
    }

    async fn delete_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> Result<bool, StoreError> {
        let deleted = sqlx::query(
            "DELETE FROM connections WHERE id = $1 AND company_id IN
                (SELECT id FROM companies WHERE id = $2 AND client_id = $3)",
        )
        .bind(id.0)
        .bind(company.0)
        .bind(client.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(deleted > 0)
    }
}

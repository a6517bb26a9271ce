use super::PostgresStore;
use crate::StoreError;
use crate::page_sessions::{PageSession, PageSessionStore, parse};
use crate::time::{from_db, to_db};
use async_trait::async_trait;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use serde_json::Value;
use sqlx::Row;

#[async_trait]
impl PageSessionStore for PostgresStore {
    async fn create_page_session(&self, session: &PageSession) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Expired sessions go as new ones come, so the table stays the size of its users.
        sqlx::query("DELETE FROM page_sessions WHERE expires < $1")
            .bind(to_db(session.created))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO page_sessions (id, kind, client_id, company_id, data, created, expires)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&session.id)
        .bind(&session.kind)
        .bind(session.client.0)
        .bind(session.company.map(|c| c.0))
        .bind(session.data.to_string())
        .bind(to_db(session.created))
        .bind(to_db(session.expires))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn page_session(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<PageSession>, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, client_id, company_id, data, created, expires
             FROM page_sessions WHERE id = $1 AND expires > $2",
        )
        .bind(id)
        .bind(to_db(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let company: Option<uuid::Uuid> = row.get("company_id");
        Ok(Some(PageSession {
            id: row.get("id"),
            kind: row.get("kind"),
            client: ClientId(row.get("client_id")),
            company: company.map(CompanyId),
            data: parse(row.get("data"))?,
            created: from_db("page_sessions", row.get("created"))?,
            expires: from_db("page_sessions", row.get("expires"))?,
        }))
    }

    async fn update_page_session(
        &self,
        id: &str,
        data: &Value,
        expires: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE page_sessions SET data = $1, expires = $2 WHERE id = $3")
            .bind(data.to_string())
            .bind(to_db(expires))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_page_session(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM page_sessions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn spend_code(
        &self,
        id: &str,
        expires: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM spent_codes WHERE expires < $1")
            .bind(to_db(now))
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "INSERT INTO spent_codes (id, expires) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(to_db(expires))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}

use super::SqliteStore;
use crate::StoreError;
use crate::page_sessions::{PageSession, PageSessionStore, parse};
use crate::rows::uuid_from_text;
use crate::time::{from_db, to_db};
use async_trait::async_trait;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use serde_json::Value;
use sqlx::Row;

#[async_trait]
impl PageSessionStore for SqliteStore {
    async fn create_page_session(&self, session: &PageSession) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        // Expired sessions go as new ones come, so the table stays the size of its users.
        sqlx::query("DELETE FROM page_sessions WHERE expires < ?")
            .bind(to_db(session.created))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO page_sessions (id, kind, client_id, company_id, data, created, expires)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&session.id)
        .bind(&session.kind)
        .bind(session.client.to_string())
        .bind(session.company.map(|c| c.to_string()))
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
             FROM page_sessions WHERE id = ? AND expires > ?",
        )
        .bind(id)
        .bind(to_db(now))
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let company: Option<String> = row.get("company_id");
        Ok(Some(PageSession {
            id: row.get("id"),
            kind: row.get("kind"),
            client: ClientId(uuid_from_text("page_sessions", row.get("client_id"))?),
            company: company
                .map(|c| uuid_from_text("page_sessions", &c).map(CompanyId))
                .transpose()?,
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
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE page_sessions SET data = ?, expires = ? WHERE id = ?")
            .bind(data.to_string())
            .bind(to_db(expires))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_page_session(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM page_sessions WHERE id = ?")
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
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM spent_codes WHERE expires < ?")
            .bind(to_db(now))
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "INSERT INTO spent_codes (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(to_db(expires))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}

use super::SqliteStore;
use crate::StoreError;
use crate::rows::uuid_from_text;
use crate::support_users::{
    SupportUser, SupportUserStore, email_taken, is_unique_violation, normalize_email,
};
use crate::time::{from_db, now, to_db};
use async_trait::async_trait;
use domain::ClientId;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

const COLUMNS: &str = "id, client_id, email, password_hash, created";

fn user(row: &SqliteRow) -> Result<SupportUser, StoreError> {
    const T: &str = "support_users";
    Ok(SupportUser {
        id: uuid_from_text(T, row.get("id"))?,
        client_id: ClientId(uuid_from_text(T, row.get("client_id"))?),
        email: row.get("email"),
        password_hash: row.get("password_hash"),
        created: from_db(T, row.get("created"))?,
    })
}

#[async_trait]
impl SupportUserStore for SqliteStore {
    async fn create_support_user(
        &self,
        client: ClientId,
        email: &str,
        password_hash: &str,
    ) -> Result<SupportUser, StoreError> {
        let user = SupportUser {
            id: Uuid::new_v4(),
            client_id: client,
            email: normalize_email(email),
            password_hash: password_hash.to_owned(),
            created: now(),
        };
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO support_users (id, client_id, email, password_hash, created)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user.id.to_string())
        .bind(client.to_string())
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(to_db(user.created))
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(email_taken(&user.email)),
            other => other?,
        };
        tx.commit().await?;
        Ok(user)
    }

    async fn remove_support_user(&self, client: ClientId, email: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let removed = sqlx::query("DELETE FROM support_users WHERE client_id = ? AND email = ?")
            .bind(client.to_string())
            .bind(normalize_email(email))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(removed > 0)
    }

    async fn support_users(&self, client: ClientId) -> Result<Vec<SupportUser>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM support_users WHERE client_id = ? ORDER BY email"
        ))
        .bind(client.to_string())
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(user)
        .collect()
    }

    async fn support_user_for_sign_in(
        &self,
        email: &str,
    ) -> Result<Option<SupportUser>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM support_users WHERE email = ?"
        ))
        .bind(normalize_email(email))
        .fetch_optional(&self.reader)
        .await?
        .as_ref()
        .map(user)
        .transpose()
    }
}

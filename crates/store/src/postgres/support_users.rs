use super::PostgresStore;
use crate::StoreError;
use crate::support_users::{
    SupportUser, SupportUserStore, email_taken, is_unique_violation, normalize_email,
};
use crate::time::{from_db, now, to_db};
use async_trait::async_trait;
use domain::ClientId;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

const COLUMNS: &str = "id, client_id, email, password_hash, created";

fn user(row: &PgRow) -> Result<SupportUser, StoreError> {
    Ok(SupportUser {
        id: row.get("id"),
        client_id: ClientId(row.get("client_id")),
        email: row.get("email"),
        password_hash: row.get("password_hash"),
        created: from_db("support_users", row.get("created"))?,
    })
}

#[async_trait]
impl SupportUserStore for PostgresStore {
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
        let inserted = sqlx::query(
            "INSERT INTO support_users (id, client_id, email, password_hash, created)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.id)
        .bind(client.0)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(to_db(user.created))
        .execute(&self.pool)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => Err(email_taken(&user.email)),
            Err(e) => Err(e.into()),
            Ok(_) => Ok(user),
        }
    }

    async fn remove_support_user(&self, client: ClientId, email: &str) -> Result<bool, StoreError> {
        let removed = sqlx::query("DELETE FROM support_users WHERE client_id = $1 AND email = $2")
            .bind(client.0)
            .bind(normalize_email(email))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    async fn support_users(&self, client: ClientId) -> Result<Vec<SupportUser>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM support_users WHERE client_id = $1 ORDER BY email"
        ))
        .bind(client.0)
        .fetch_all(&self.pool)
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
            "SELECT {COLUMNS} FROM support_users WHERE email = $1"
        ))
        .bind(normalize_email(email))
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(user)
        .transpose()
    }
}

use super::PostgresStore;
use crate::rows::{CompanyColumns, tags_to_db};
use crate::time::{now, to_db};
use crate::{CompanyStore, CompanyUpdate, StoreError};
use async_trait::async_trait;
use domain::{ClientId, Company, CompanyId, NewCompany, Page, PageRequest};
use sqlx::Row;
use sqlx::postgres::PgRow;

pub(super) const COLUMNS: &str =
    "id, client_id, name, description, tags::text AS tags, created, last_sync";

pub(super) fn company(row: PgRow) -> Result<Company, StoreError> {
    CompanyColumns {
        id: row.get("id"),
        client_id: row.get("client_id"),
        name: row.get("name"),
        description: row.get("description"),
        tags: row.get("tags"),
        created: row.get("created"),
        last_sync: row.get("last_sync"),
    }
    .into_company()
}

#[async_trait]
impl CompanyStore for PostgresStore {
    async fn create_company(
        &self,
        client: ClientId,
        new: NewCompany,
    ) -> Result<Company, StoreError> {
        let company = Company {
            id: CompanyId::new(),
            client_id: client,
            name: new.name,
            description: new.description,
            tags: new.tags,
            created: now(),
            last_sync: None,
        };
        sqlx::query(
            "INSERT INTO companies (id, client_id, name, description, tags, created)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
        )
        .bind(company.id.0)
        .bind(client.0)
        .bind(company.name.as_str())
        .bind(&company.description)
        .bind(tags_to_db(&company.tags))
        .bind(to_db(company.created))
        .execute(&self.pool)
        .await?;
        Ok(company)
    }

    async fn company(
        &self,
        client: ClientId,
        id: CompanyId,
    ) -> Result<Option<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE id = $1 AND client_id = $2"
        ))
        .bind(id.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
        .await?
        .map(company)
        .transpose()
    }

    async fn list_companies(
        &self,
        client: ClientId,
        page: PageRequest,
    ) -> Result<Page<Company>, StoreError> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies WHERE client_id = $1")
            .bind(client.0)
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE client_id = $1
             ORDER BY created, id LIMIT $2 OFFSET $3"
        ))
        .bind(client.0)
        .bind(i64::from(page.page_size))
        .bind(page.offset() as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            items: rows.into_iter().map(company).collect::<Result<_, _>>()?,
            request: page,
            total: total as u64,
        })
    }

    async fn update_company(
        &self,
        client: ClientId,
        id: CompanyId,
        update: CompanyUpdate,
    ) -> Result<Option<Company>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let Some(current) = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE id = $1 AND client_id = $2 FOR UPDATE"
        ))
        .bind(id.0)
        .bind(client.0)
        .fetch_optional(&mut *tx)
        .await?
        .map(company)
        .transpose()?
        else {
            return Ok(None);
        };
        let updated = update.apply(current);
        sqlx::query(
            "UPDATE companies SET name = $1, description = $2, tags = $3::jsonb WHERE id = $4",
        )
        .bind(updated.name.as_str())
        .bind(&updated.description)
        .bind(tags_to_db(&updated.tags))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(updated))
    }

    async fn company_owner(&self, id: CompanyId) -> Result<Option<ClientId>, StoreError> {
        let owner: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT client_id FROM companies WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(owner.map(ClientId))
    }

    async fn delete_company(&self, client: ClientId, id: CompanyId) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM companies WHERE id = $1 AND client_id = $2")
            .bind(id.0)
            .bind(client.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }
}

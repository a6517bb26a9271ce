use super::SqliteStore;
use crate::rows::{CompanyColumns, tags_to_db, uuid_from_text};
use crate::time::{now, to_db};
use crate::{CompanyStore, CompanyUpdate, StoreError};
use async_trait::async_trait;
use domain::{ClientId, Company, CompanyId, NewCompany, Page, PageRequest};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

pub(super) const COLUMNS: &str = "id, client_id, name, description, tags, created, last_sync";

pub(super) fn company(row: SqliteRow) -> Result<Company, StoreError> {
    CompanyColumns {
        id: uuid_from_text("companies", row.get("id"))?,
        client_id: uuid_from_text("companies", row.get("client_id"))?,
        name: row.get("name"),
        description: row.get("description"),
        tags: row.get("tags"),
        created: row.get("created"),
        last_sync: row.get("last_sync"),
    }
    .into_company()
}

#[async_trait]
impl CompanyStore for SqliteStore {
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
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO companies (id, client_id, name, description, tags, created)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(company.id.to_string())
        .bind(client.to_string())
        .bind(company.name.as_str())
        .bind(&company.description)
        .bind(tags_to_db(&company.tags))
        .bind(to_db(company.created))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(company)
    }

    async fn company(
        &self,
        client: ClientId,
        id: CompanyId,
    ) -> Result<Option<Company>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE id = ? AND client_id = ?"
        ))
        .bind(id.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        .map(company)
        .transpose()
    }

    async fn list_companies(
        &self,
        client: ClientId,
        page: PageRequest,
    ) -> Result<Page<Company>, StoreError> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies WHERE client_id = ?")
            .bind(client.to_string())
            .fetch_one(&self.reader)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE client_id = ?
             ORDER BY created, id LIMIT ? OFFSET ?"
        ))
        .bind(client.to_string())
        .bind(i64::from(page.page_size))
        .bind(page.offset() as i64)
        .fetch_all(&self.reader)
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
        let mut tx = self.write().await?;
        let Some(current) = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM companies WHERE id = ? AND client_id = ?"
        ))
        .bind(id.to_string())
        .bind(client.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .map(company)
        .transpose()?
        else {
            return Ok(None);
        };
        let updated = update.apply(current);
        sqlx::query("UPDATE companies SET name = ?, description = ?, tags = ? WHERE id = ?")
            .bind(updated.name.as_str())
            .bind(&updated.description)
            .bind(tags_to_db(&updated.tags))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(updated))
    }

    async fn company_owner(&self, id: CompanyId) -> Result<Option<ClientId>, StoreError> {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT client_id FROM companies WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.reader)
                .await?;
        owner
            .map(|o| uuid_from_text("companies", &o).map(ClientId))
            .transpose()
    }

    async fn delete_company(&self, client: ClientId, id: CompanyId) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM companies WHERE id = ? AND client_id = ?")
            .bind(id.to_string())
            .bind(client.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }
}

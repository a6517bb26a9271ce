use super::PostgresStore;
use crate::StoreError;
use crate::merchants::MerchantStore;
use async_trait::async_trait;
use domain::{ClientId, CompanyId};

#[async_trait]
impl MerchantStore for PostgresStore {
    async fn merchant_company(
        &self,
        client: ClientId,
        identifier: &str,
    ) -> Result<Option<CompanyId>, StoreError> {
        let id: Option<uuid::Uuid> = sqlx::query_scalar(
            "SELECT company_id FROM merchant_companies WHERE client_id = $1 AND merchant_identifier = $2",
        )
        .bind(client.0)
        .bind(identifier)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(CompanyId))
    }

    async fn bind_merchant(
        &self,
        client: ClientId,
        identifier: &str,
        company: CompanyId,
    ) -> Result<CompanyId, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO merchant_companies (client_id, merchant_identifier, company_id)
             VALUES ($1, $2, $3) ON CONFLICT (client_id, merchant_identifier) DO NOTHING",
        )
        .bind(client.0)
        .bind(identifier)
        .bind(company.0)
        .execute(&mut *tx)
        .await?;
        let bound: uuid::Uuid = sqlx::query_scalar(
            "SELECT company_id FROM merchant_companies WHERE client_id = $1 AND merchant_identifier = $2",
        )
        .bind(client.0)
        .bind(identifier)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(CompanyId(bound))
    }
}

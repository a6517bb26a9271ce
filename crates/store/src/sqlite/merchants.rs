use super::SqliteStore;
use crate::StoreError;
use crate::merchants::MerchantStore;
use crate::rows::uuid_from_text;
use async_trait::async_trait;
use domain::{ClientId, CompanyId};

#[async_trait]
impl MerchantStore for SqliteStore {
    async fn merchant_company(
        &self,
        client: ClientId,
        identifier: &str,
    ) -> Result<Option<CompanyId>, StoreError> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT company_id FROM merchant_companies WHERE client_id = ? AND merchant_identifier = ?",
        )
        .bind(client.to_string())
        .bind(identifier)
        .fetch_optional(&self.reader)
        .await?;
        id.map(|id| uuid_from_text("merchant_companies", &id).map(CompanyId))
            .transpose()
    }

    async fn bind_merchant(
        &self,
        client: ClientId,
        identifier: &str,
        company: CompanyId,
    ) -> Result<CompanyId, StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO merchant_companies (client_id, merchant_identifier, company_id)
             VALUES (?, ?, ?) ON CONFLICT (client_id, merchant_identifier) DO NOTHING",
        )
        .bind(client.to_string())
        .bind(identifier)
        .bind(company.to_string())
        .execute(&mut *tx)
        .await?;
        let bound: String = sqlx::query_scalar(
            "SELECT company_id FROM merchant_companies WHERE client_id = ? AND merchant_identifier = ?",
        )
        .bind(client.to_string())
        .bind(identifier)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        uuid_from_text("merchant_companies", &bound).map(CompanyId)
    }
}

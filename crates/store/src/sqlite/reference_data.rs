use super::SqliteStore;
use crate::config_rows::{ReferenceColumns, reference_to_db};
use crate::rows::uuid_from_text;
use crate::time::{from_db, to_db};
use crate::{ReferenceDataStore, StoreError, StoredReferenceData};
use async_trait::async_trait;
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId, ConnectionId};
use jiff::Timestamp;
use sqlx::Row;

const T: &str = "reference_data";

#[async_trait]
impl ReferenceDataStore for SqliteStore {
    async fn reference_data(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredReferenceData>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT r.company_id, r.connection_id, r.data, r.fetched
             FROM reference_data r JOIN companies c ON c.id = r.company_id
             WHERE r.company_id = ? AND c.client_id = ?",
        )
        .bind(company.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        else {
            return Ok(None);
        };
        let connection_id: Option<String> = row.get("connection_id");
        ReferenceColumns {
            company_id: uuid_from_text(T, row.get("company_id"))?,
            connection_id: connection_id.map(|id| uuid_from_text(T, &id)).transpose()?,
            data: row.get("data"),
            fetched: row.get("fetched"),
        }
        .into_stored()
        .map(Some)
    }

    async fn put_reference_data(
        &self,
        client: ClientId,
        company: CompanyId,
        connection: Option<ConnectionId>,
        data: ReferenceData,
        fetched: Timestamp,
    ) -> Result<Option<StoredReferenceData>, StoreError> {
        let fetched = from_db(T, to_db(fetched))?;
        let connection_text = connection.map(|id| id.to_string());
        let mut tx = self.write().await?;
        // Only into the client's company, and only from one of that company's connections.
        let written = sqlx::query(
            "INSERT INTO reference_data (company_id, connection_id, data, fetched)
             SELECT c.id, ?, ?, ? FROM companies c
             WHERE c.id = ? AND c.client_id = ? AND (? IS NULL OR EXISTS
                 (SELECT 1 FROM connections n WHERE n.id = ? AND n.company_id = c.id))
             ON CONFLICT (company_id) DO UPDATE SET connection_id = excluded.connection_id,
                 data = excluded.data, fetched = excluded.fetched",
        )
        .bind(&connection_text)
        .bind(reference_to_db(&data))
        .bind(to_db(fetched))
        .bind(company.to_string())
        .bind(client.to_string())
        .bind(&connection_text)
        .bind(&connection_text)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok((written > 0).then_some(StoredReferenceData {
            company_id: company,
            connection_id: connection,
            data,
            fetched,
        }))
    }
}

use super::PostgresStore;
use crate::config_rows::{ReferenceColumns, reference_to_db};
use crate::time::{from_db, to_db};
use crate::{ReferenceDataStore, StoreError, StoredReferenceData};
use async_trait::async_trait;
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId, ConnectionId};
use jiff::Timestamp;
use sqlx::Row;

const T: &str = "reference_data";

#[async_trait]
impl ReferenceDataStore for PostgresStore {
    async fn reference_data(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredReferenceData>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT r.company_id, r.connection_id, r.data::text AS data, r.fetched
             FROM reference_data r JOIN companies c ON c.id = r.company_id
             WHERE r.company_id = $1 AND c.client_id = $2",
        )
        .bind(company.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        ReferenceColumns {
            company_id: row.get("company_id"),
            connection_id: row.get("connection_id"),
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
        // Only into the client's company, and only from one of that company's connections.
        let written = sqlx::query(
            "INSERT INTO reference_data (company_id, connection_id, data, fetched)
             SELECT c.id, $1, $2::jsonb, $3 FROM companies c
             WHERE c.id = $4 AND c.client_id = $5 AND ($1::uuid IS NULL OR EXISTS
                 (SELECT 1 FROM connections n WHERE n.id = $1 AND n.company_id = c.id))
             ON CONFLICT (company_id) DO UPDATE SET connection_id = excluded.connection_id,
                 data = excluded.data, fetched = excluded.fetched",
        )
        .bind(connection.map(|id| id.0))
        .bind(reference_to_db(&data))
        .bind(to_db(fetched))
        .bind(company.0)
        .bind(client.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((written > 0).then_some(StoredReferenceData {
            company_id: company,
            connection_id: connection,
            data,
            fetched,
        }))
    }
}

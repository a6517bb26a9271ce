use super::PostgresStore;
use crate::config_rows::{ConfigColumns, ScheduledColumns, StoredConfigColumns, version_to_db};
use crate::configuration::version_conflict;
use crate::time::{now, to_db};
use crate::{ConfigStore, ScheduledCompany, StoreError, StoredConfig};
use async_trait::async_trait;
use domain::config::ConfigDocument;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use sqlx::postgres::PgArguments;
use sqlx::{Postgres, Row};

// Each statement writes only the client's company, and only if the stored version is the
// expected one; a concurrent first write loses on the primary key and does nothing.
const INSERT: &str = "INSERT INTO configurations (document, version, updated, enabled,
        configured, sync_hour, time_zone, start_date, frequency, output_format, company_id)
    SELECT $1::json, $2, $3, $4, $5, $6, $7, $8, $9, $10, id FROM companies
    WHERE id = $11 AND client_id = $12
    ON CONFLICT (company_id) DO NOTHING";

const UPDATE: &str = "UPDATE configurations SET document = $1::json, version = $2, updated = $3,
        enabled = $4, configured = $5, sync_hour = $6, time_zone = $7, start_date = $8,
        frequency = $9, output_format = $10
    WHERE company_id IN (SELECT id FROM companies WHERE id = $11 AND client_id = $12)
      AND version = $13";

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// Binds the columns [`INSERT`] and [`UPDATE`] set, in their order.
fn bind_columns<'q>(
    query: PgQuery<'q>,
    columns: &'q ConfigColumns,
    version: u64,
    updated: Timestamp,
) -> PgQuery<'q> {
    query
        .bind(&columns.document)
        .bind(version_to_db(version))
        .bind(to_db(updated))
        .bind(columns.enabled)
        .bind(columns.configured)
        .bind(columns.sync_hour)
        .bind(&columns.time_zone)
        .bind(&columns.start_date)
        .bind(&columns.frequency)
        .bind(columns.output_format)
}

#[async_trait]
impl ConfigStore for PostgresStore {
    async fn config(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredConfig>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT g.company_id, g.document::text AS document, g.version, g.updated
             FROM configurations g JOIN companies c ON c.id = g.company_id
             WHERE g.company_id = $1 AND c.client_id = $2",
        )
        .bind(company.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        StoredConfigColumns {
            company_id: row.get("company_id"),
            document: row.get("document"),
            version: row.get("version"),
            updated: row.get("updated"),
        }
        .into_stored()
        .map(Some)
    }

    async fn put_config(
        &self,
        client: ClientId,
        company: CompanyId,
        document: ConfigDocument,
        expected: Option<u64>,
    ) -> Result<Option<StoredConfig>, StoreError> {
        let columns = ConfigColumns::of(&document);
        let updated = now();
        let version = expected.map_or(1, |v| v.saturating_add(1));
        let query = match expected {
            None => bind_columns(sqlx::query(INSERT), &columns, version, updated)
                .bind(company.0)
                .bind(client.0),
            Some(expected) => bind_columns(sqlx::query(UPDATE), &columns, version, updated)
                .bind(company.0)
                .bind(client.0)
                .bind(version_to_db(expected)),
        };
        if query.execute(&self.pool).await?.rows_affected() == 1 {
            return Ok(Some(StoredConfig {
                company_id: company,
                document,
                version,
                updated,
            }));
        }
        // Nothing written: either not the client's company, or another version is stored.
        let row = sqlx::query(
            "SELECT g.version FROM companies c
             LEFT JOIN configurations g ON g.company_id = c.id
             WHERE c.id = $1 AND c.client_id = $2",
        )
        .bind(company.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let current: Option<i64> = row.get("version");
        Err(version_conflict(
            company,
            expected,
            current.map(|v| v.max(0) as u64),
        ))
    }

    async fn scheduled_companies(&self) -> Result<Vec<ScheduledCompany>, StoreError> {
        sqlx::query(
            "SELECT g.company_id, c.client_id, g.sync_hour, g.time_zone, g.start_date,
                    g.frequency, g.output_format, g.version
             FROM configurations g JOIN companies c ON c.id = g.company_id
             WHERE g.enabled AND g.configured
             ORDER BY g.company_id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| {
            ScheduledColumns {
                company_id: row.get("company_id"),
                client_id: row.get("client_id"),
                sync_hour: row.get("sync_hour"),
                time_zone: row.get("time_zone"),
                start_date: row.get("start_date"),
                frequency: row.get("frequency"),
                output_format: row.get("output_format"),
                version: row.get("version"),
            }
            .into_scheduled()
        })
        .collect()
    }
}

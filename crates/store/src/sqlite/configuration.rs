use super::SqliteStore;
use crate::config_rows::{ConfigColumns, ScheduledColumns, StoredConfigColumns, version_to_db};
use crate::configuration::version_conflict;
use crate::rows::uuid_from_text;
use crate::time::{now, to_db};
use crate::{ConfigStore, ScheduledCompany, StoreError, StoredConfig};
use async_trait::async_trait;
use domain::config::ConfigDocument;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Row, Sqlite};

const T: &str = "configurations";

const INSERT: &str = "INSERT INTO configurations (document, version, updated, enabled,
        configured, sync_hour, time_zone, start_date, frequency, output_format, company_id)
    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, id FROM companies WHERE id = ? AND client_id = ?
    ON CONFLICT (company_id) DO NOTHING";

const UPDATE: &str = "UPDATE configurations SET document = ?, version = ?, updated = ?,
        enabled = ?, configured = ?, sync_hour = ?, time_zone = ?, start_date = ?,
        frequency = ?, output_format = ?
    WHERE company_id IN (SELECT id FROM companies WHERE id = ? AND client_id = ?)
      AND version = ?";

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

/// Binds the columns [`INSERT`] and [`UPDATE`] set, in their order.
fn bind_columns<'q>(
    query: SqliteQuery<'q>,
    columns: &'q ConfigColumns,
    version: u64,
    updated: Timestamp,
) -> SqliteQuery<'q> {
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
impl ConfigStore for SqliteStore {
    async fn config(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> Result<Option<StoredConfig>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT g.company_id, g.document, g.version, g.updated
             FROM configurations g JOIN companies c ON c.id = g.company_id
             WHERE g.company_id = ? AND c.client_id = ?",
        )
        .bind(company.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        else {
            return Ok(None);
        };
        StoredConfigColumns {
            company_id: uuid_from_text(T, row.get("company_id"))?,
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
        let mut tx = self.write().await?;
        // Insert or update only what is the client's and still at the expected version.
        let query = match expected {
            None => bind_columns(sqlx::query(INSERT), &columns, version, updated)
                .bind(company.to_string())
                .bind(client.to_string()),
            Some(expected) => bind_columns(sqlx::query(UPDATE), &columns, version, updated)
                .bind(company.to_string())
                .bind(client.to_string())
                .bind(version_to_db(expected)),
        };
        let written = query.execute(&mut *tx).await?.rows_affected();
        if written == 1 {
            tx.commit().await?;
            return Ok(Some(StoredConfig {
                company_id: company,
                document,
                version,
                updated,
            }));
        }
        // Nothing written: either not the client's company, or another version is stored.
        let owned: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM companies WHERE id = ? AND client_id = ?")
                .bind(company.to_string())
                .bind(client.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if owned.is_none() {
            return Ok(None);
        }
        let current: Option<i64> =
            sqlx::query_scalar("SELECT version FROM configurations WHERE company_id = ?")
                .bind(company.to_string())
                .fetch_optional(&mut *tx)
                .await?;
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
             WHERE g.enabled = 1 AND g.configured = 1
             ORDER BY g.company_id",
        )
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(|row| {
            ScheduledColumns {
                company_id: uuid_from_text(T, row.get("company_id"))?,
                client_id: uuid_from_text(T, row.get("client_id"))?,
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

//! The raw-insert baseline that push speed is measured against: the fastest plain write of
//! the same rows into the same `records` table, with no lookups, no history, no validation.
//! One transaction per batch; on SQLite multi-row INSERTs of 250 rows (the store's own
//! statement size and settings), on PostgreSQL one UNNEST INSERT per batch.
//! Used by `commerce-sync bench ingest` and the store's `bulk_rate` measurement.

use crate::records::RecordChange;
use crate::time::to_db;
use crate::{Backend, StoreError};
use domain::CompanyId;
use domain::commerce::DatasetKind;
use sqlx::{Connection, PgConnection, SqliteConnection};

/// Rows per multi-row INSERT on SQLite (10 parameters each, far below the limit).
const ROWS_PER_INSERT: usize = 250;

/// One connection writing rows straight into `records`.
pub enum RawInserter {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl RawInserter {
    /// Connects to an already migrated database (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let mut conn = SqliteConnection::connect(url).await?;
            // The store's own settings, so raw is not slowed by a stricter sync.
            sqlx::query("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
                .execute(&mut conn)
                .await?;
            Ok(Self::Sqlite(conn))
        } else {
            Ok(Self::Postgres(PgConnection::connect(url).await?))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Inserts the batch as version 1 of each id, in one transaction.
    pub async fn insert(
        &mut self,
        company: CompanyId,
        kind: DatasetKind,
        batch: &[RecordChange],
    ) -> Result<(), StoreError> {
        let data_type = kind.data_type();
        match self {
            Self::Sqlite(conn) => sqlite(conn, &company.to_string(), &data_type, batch).await,
            Self::Postgres(conn) => postgres(conn, company, &data_type, batch).await,
        }
    }
}

async fn sqlite(
    conn: &mut SqliteConnection,
    company: &str,
    data_type: &str,
    batch: &[RecordChange],
) -> Result<(), StoreError> {
    let mut tx = conn.begin().await?;
    for chunk in batch.chunks(ROWS_PER_INSERT) {
        let values = vec!["(?, ?, ?, 1, ?, ?, 0, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO records (company_id, data_type, id, version, created_date,
                source_modified_date, deleted, body, dataset_id, written) VALUES {values}"
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(company)
                .bind(data_type)
                .bind(&c.id)
                .bind(c.created_date.map(to_db))
                .bind(c.source_modified_date.map(to_db))
                .bind(&c.canonical_json)
                .bind("00000000-0000-0000-0000-000000000000")
                .bind(0i64);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn postgres(
    conn: &mut PgConnection,
    company: CompanyId,
    data_type: &str,
    batch: &[RecordChange],
) -> Result<(), StoreError> {
    let mut tx = conn.begin().await?;
    sqlx::query(
        "INSERT INTO records (company_id, data_type, id, version, created_date,
             source_modified_date, deleted, body, dataset_id, written)
         SELECT $1, $2, u.id, 1, u.created, u.smd, false, u.body, $3, 0
         FROM UNNEST($4::text[], $5::int8[], $6::int8[], $7::text[]) AS u(id, created, smd, body)",
    )
    .bind(company.0)
    .bind(data_type)
    .bind(uuid::Uuid::nil())
    .bind(batch.iter().map(|c| c.id.as_str()).collect::<Vec<_>>())
    .bind(
        batch
            .iter()
            .map(|c| c.created_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        batch
            .iter()
            .map(|c| c.source_modified_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        batch
            .iter()
            .map(|c| c.canonical_json.as_str())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

//! Records on SQLite. Every call runs in one `BEGIN IMMEDIATE` transaction on the single
//! writer, so nothing else writes between reading the current rows and writing the plan:
//! concurrent pushes queue and each sees the previous one's result.

use super::SqliteStore;
use super::datasets::{claim, finish};
use crate::StoreError;
use crate::datasets::{DatasetId, DatasetOutcome};
use crate::push_rows::RecordColumns;
use crate::record_plan::{Current, Plan, segments};
use crate::records::{ApplyCounts, RecordChange, RecordHistory, RecordStore, StoredRecord};
use crate::rows::uuid_from_text;
use crate::time::{now, to_db};
use async_trait::async_trait;
use domain::CompanyId;
use domain::commerce::{DatasetKind, RecordError};
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;

/// Rows per multi-row INSERT: 4 parameters each stays far below SQLite's 32,766, and
/// larger statements stop paying off.
const ROWS_PER_INSERT: usize = 250;

pub(super) const COLUMNS: &str = "id, version, created_date, source_modified_date, deleted, body, \
    dataset_id, written";

pub(super) fn record(row: SqliteRow) -> Result<StoredRecord, StoreError> {
    RecordColumns {
        id: row.get("id"),
        version: row.get("version"),
        created_date: row.get("created_date"),
        source_modified_date: row.get("source_modified_date"),
        deleted: row.get("deleted"),
        body: row.get("body"),
        dataset_id: uuid_from_text("records", row.get("dataset_id"))?,
        written: row.get("written"),
    }
    .into_record()
}

/// The (company, data type) every statement of one call is about, and what it writes.
struct Scope {
    company: String,
    data_type: String,
    dataset: String,
    written: i64,
}

impl Scope {
    fn new(company: CompanyId, kind: DatasetKind, dataset: DatasetId) -> Self {
        Self {
            company: company.to_string(),
            data_type: kind.data_type(),
            dataset: dataset.to_string(),
            written: to_db(now()),
        }
    }
}

fn ids_json(changes: &[&RecordChange]) -> String {
    let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    serde_json::to_string(&ids).expect("strings always serialize")
}

/// The current rows of the segment's ids; one statement, ids passed as one JSON array.
async fn current_rows(
    conn: &mut SqliteConnection,
    scope: &Scope,
    segment: &[&RecordChange],
) -> Result<HashMap<String, Current>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, source_modified_date, deleted,
                CASE WHEN source_modified_date IS NULL THEN body END AS undated_body
         FROM records
         WHERE company_id = ?1 AND data_type = ?2 AND id IN (SELECT value FROM json_each(?3))",
    )
    .bind(&scope.company)
    .bind(&scope.data_type)
    .bind(ids_json(segment))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let current = Current {
                source_modified_date: row.get("source_modified_date"),
                deleted: row.get("deleted"),
                undated_body: row.get("undated_body"),
            };
            (row.get("id"), current)
        })
        .collect())
}

/// Copies the current rows of `replaced` to the history, then overwrites them in place.
async fn replace(
    conn: &mut SqliteConnection,
    scope: &Scope,
    replaced: &[&RecordChange],
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO record_versions (company_id, data_type, {COLUMNS})
         SELECT company_id, data_type, {COLUMNS} FROM records
         WHERE company_id = ?1 AND data_type = ?2 AND id IN (SELECT value FROM json_each(?3))"
    ))
    .bind(&scope.company)
    .bind(&scope.data_type)
    .bind(ids_json(replaced))
    .execute(&mut *conn)
    .await?;
    // One prepared statement, reused; replacements are the rare case.
    for change in replaced {
        sqlx::query(
            "UPDATE records SET version = version + 1,
                 created_date = CASE WHEN ?1 THEN created_date ELSE ?2 END,
                 source_modified_date = ?3, deleted = ?1, body = ?4, dataset_id = ?5,
                 written = ?6
             WHERE company_id = ?7 AND data_type = ?8 AND id = ?9",
        )
        .bind(change.delete)
        .bind(change.created_date.map(to_db))
        .bind(change.source_modified_date.map(to_db))
        .bind(&change.canonical_json)
        .bind(&scope.dataset)
        .bind(scope.written)
        .bind(&scope.company)
        .bind(&scope.data_type)
        .bind(&change.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inserts new ids as version 1, many rows per statement. Parameters are anonymous (`?`):
/// sqlx asks SQLite the name of every numbered one (`?NNN`), a linear search, which made
/// binding a 1,000-parameter statement quadratic.
async fn insert(
    conn: &mut SqliteConnection,
    scope: &Scope,
    inserted: &[&RecordChange],
) -> Result<(), StoreError> {
    for chunk in inserted.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO records (company_id, data_type, dataset_id, written, id, version,
                                  created_date, source_modified_date, deleted, body)
             SELECT ?, ?, ?, ?, column1, 1, column2, column3, 0, column4
             FROM (VALUES {})",
            vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(&scope.company)
            .bind(&scope.data_type)
            .bind(&scope.dataset)
            .bind(scope.written);
        for change in chunk {
            query = query
                .bind(&change.id)
                .bind(change.created_date.map(to_db))
                .bind(change.source_modified_date.map(to_db))
                .bind(&change.canonical_json);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn apply(
    tx: &mut Transaction<'static, Sqlite>,
    scope: &Scope,
    changes: &[RecordChange],
) -> Result<ApplyCounts, StoreError> {
    let mut counts = ApplyCounts::default();
    for segment in segments(changes) {
        let current = current_rows(tx, scope, &segment).await?;
        let plan = Plan::new(&segment, &current);
        if !plan.replaces.is_empty() {
            replace(tx, scope, &plan.replaces).await?;
        }
        insert(tx, scope, &plan.inserts).await?;
        counts += plan.counts;
        counts.inserted += plan.inserts.len() as u64;
    }
    Ok(counts)
}

#[async_trait]
impl RecordStore for SqliteStore {
    async fn apply_changes(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        dataset: DatasetId,
        changes: Vec<RecordChange>,
    ) -> Result<ApplyCounts, StoreError> {
        if changes.is_empty() {
            return Ok(ApplyCounts::default());
        }
        let scope = Scope::new(company, kind, dataset);
        let mut tx = self.write().await?;
        let counts = apply(&mut tx, &scope, &changes).await?;
        tx.commit().await?;
        Ok(counts)
    }

    async fn store_dataset(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        dataset: DatasetId,
        changes: Vec<RecordChange>,
        received: u64,
        errors: &[RecordError],
    ) -> Result<Option<ApplyCounts>, StoreError> {
        let scope = Scope::new(company, kind, dataset);
        let mut tx = self.write().await?;
        if !claim(&mut tx, dataset).await? {
            return Ok(None); // dropping the transaction rolls it back
        }
        let counts = apply(&mut tx, &scope, &changes).await?;
        finish(
            &mut tx,
            dataset,
            &DatasetOutcome::stored(counts, errors, received),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(counts))
    }

    async fn records_created_between(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM records
             WHERE company_id = ? AND data_type = ? AND created_date >= ? AND created_date < ?
               AND deleted = 0
             ORDER BY created_date, id"
        ))
        .bind(company.to_string())
        .bind(kind.data_type())
        .bind(to_db(start))
        .bind(to_db(end))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(record)
        .collect()
    }

    async fn record(
        &self,
        company: CompanyId,
        kind: DatasetKind,
        id: &str,
    ) -> Result<Option<RecordHistory>, StoreError> {
        let Some(current) = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM records WHERE company_id = ? AND data_type = ? AND id = ?"
        ))
        .bind(company.to_string())
        .bind(kind.data_type())
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .map(record)
        .transpose()?
        else {
            return Ok(None);
        };
        // Versions below the current one: a push landing between the two reads cannot
        // make the history repeat the current version.
        let previous = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM record_versions
             WHERE company_id = ? AND data_type = ? AND id = ? AND version < ?
             ORDER BY version"
        ))
        .bind(company.to_string())
        .bind(kind.data_type())
        .bind(id)
        .bind(current.version as i64)
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(record)
        .collect::<Result<_, _>>()?;
        Ok(Some(RecordHistory { current, previous }))
    }
}

//! Records on PostgreSQL, where several processes push at once. Per call, one transaction:
//! lock the current rows of the pushed ids (`FOR UPDATE`, in id order), plan against them,
//! copy the replaced rows to the history and update them, then insert new ids with
//! `ON CONFLICT DO NOTHING`. An insert that lost a race to a concurrent push (its row was
//! committed meanwhile) is planned again against that row, now lockable. Rows are locked and
//! inserted in id order so concurrent pushes queue rather than deadlock; a deadlock that still
//! happens (three-way races) rolls the call back and runs it again.

use super::PostgresStore;
use super::datasets::{claim, finish};
use crate::StoreError;
use crate::datasets::{DatasetId, DatasetOutcome};
use crate::push_rows::RecordColumns;
use crate::record_plan::{Current, Plan, segments};
use crate::records::{ApplyCounts, RecordChange, RecordHistory, RecordStore, StoredRecord};
use crate::time::{now, to_db};
use async_trait::async_trait;
use domain::CompanyId;
use domain::commerce::{DatasetKind, RecordError};
use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub(super) const COLUMNS: &str = "id, version, created_date, source_modified_date, deleted, body, \
    dataset_id, written";

/// Attempts of a whole call when PostgreSQL aborts it to break a deadlock.
const ATTEMPTS: usize = 5;

/// Rounds of "insert, find it taken, plan again" per segment. A pushed row is never removed
/// by another push, so the second round always finds it; more means something else is wrong.
const ROUNDS: usize = 3;

pub(super) fn record(row: PgRow) -> Result<StoredRecord, StoreError> {
    RecordColumns {
        id: row.get("id"),
        version: row.get("version"),
        created_date: row.get("created_date"),
        source_modified_date: row.get("source_modified_date"),
        deleted: row.get("deleted"),
        body: row.get("body"),
        dataset_id: row.get("dataset_id"),
        written: row.get("written"),
    }
    .into_record()
}

struct Scope {
    company: Uuid,
    data_type: String,
    dataset: Uuid,
    written: i64,
}

impl Scope {
    fn new(company: CompanyId, kind: DatasetKind, dataset: DatasetId) -> Self {
        Self {
            company: company.0,
            data_type: kind.data_type(),
            dataset: dataset.0,
            written: to_db(now()),
        }
    }
}

fn ids(changes: &[&RecordChange]) -> Vec<String> {
    changes.iter().map(|c| c.id.clone()).collect()
}

/// Locks and reads the current rows of `pending` in the given (sorted) order: one index
/// lookup per id. The LATERAL subquery with `FOR UPDATE` cannot be flattened, so even a
/// generic plan without statistics looks each id up instead of scanning the company's rows.
async fn lock_current(
    conn: &mut PgConnection,
    scope: &Scope,
    pending: &[&RecordChange],
) -> Result<HashMap<String, Current>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.source_modified_date, r.deleted, r.undated_body
         FROM UNNEST($3::text[]) WITH ORDINALITY AS u(id, n)
         CROSS JOIN LATERAL (
             SELECT id, source_modified_date, deleted,
                    CASE WHEN source_modified_date IS NULL THEN body END AS undated_body
             FROM records
             WHERE company_id = $1 AND data_type = $2 AND id = u.id
             FOR UPDATE
         ) r
         ORDER BY u.n",
    )
    .bind(scope.company)
    .bind(&scope.data_type)
    .bind(ids(pending))
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

/// Copies the (locked) current rows of `replaced` to the history and overwrites them, in
/// one statement. Rows are found per id through a LATERAL subquery that cannot be flattened
/// (`OFFSET 0`), then updated by their `ctid`: a nested loop of TID lookups, never a scan of
/// the company's rows, even before the table has statistics.
async fn replace(
    conn: &mut PgConnection,
    scope: &Scope,
    replaced: &[&RecordChange],
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "WITH u AS (
             SELECT * FROM UNNEST($5::text[], $6::int8[], $7::int8[], $8::text[], $9::bool[])
                 AS u(id, created, smd, body, del)
         ),
         old AS (
             SELECT r.* FROM u CROSS JOIN LATERAL (
                 SELECT ctid AS locator, company_id, data_type, {COLUMNS} FROM records
                 WHERE company_id = $1 AND data_type = $2 AND id = u.id
                 OFFSET 0
             ) r
         ),
         saved AS (
             INSERT INTO record_versions (company_id, data_type, {COLUMNS})
             SELECT company_id, data_type, {COLUMNS} FROM old
         )
         UPDATE records r SET version = r.version + 1,
             created_date = CASE WHEN u.del THEN r.created_date ELSE u.created END,
             source_modified_date = u.smd, deleted = u.del, body = u.body,
             dataset_id = $3, written = $4
         FROM old JOIN u ON u.id = old.id
         WHERE r.ctid = old.locator"
    ))
    .bind(scope.company)
    .bind(&scope.data_type)
    .bind(scope.dataset)
    .bind(scope.written)
    .bind(ids(replaced))
    .bind(
        replaced
            .iter()
            .map(|c| c.created_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        replaced
            .iter()
            .map(|c| c.source_modified_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        replaced
            .iter()
            .map(|c| c.canonical_json.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(replaced.iter().map(|c| c.delete).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts new ids as version 1 in one statement, in the given (sorted) order; answers
/// the ids that landed.
async fn insert(
    conn: &mut PgConnection,
    scope: &Scope,
    inserted: &[&RecordChange],
) -> Result<HashSet<String>, StoreError> {
    if inserted.is_empty() {
        return Ok(HashSet::new());
    }
    let landed: Vec<String> = sqlx::query_scalar(
        "INSERT INTO records (company_id, data_type, id, version, created_date,
                              source_modified_date, deleted, body, dataset_id, written)
         SELECT $1, $2, u.id, 1, u.created, u.smd, false, u.body, $3, $4
         FROM UNNEST($5::text[], $6::int8[], $7::int8[], $8::text[])
              WITH ORDINALITY AS u(id, created, smd, body, n)
         ORDER BY u.n
         ON CONFLICT (company_id, data_type, id) DO NOTHING
         RETURNING id",
    )
    .bind(scope.company)
    .bind(&scope.data_type)
    .bind(scope.dataset)
    .bind(scope.written)
    .bind(ids(inserted))
    .bind(
        inserted
            .iter()
            .map(|c| c.created_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        inserted
            .iter()
            .map(|c| c.source_modified_date.map(to_db))
            .collect::<Vec<_>>(),
    )
    .bind(
        inserted
            .iter()
            .map(|c| c.canonical_json.as_str())
            .collect::<Vec<_>>(),
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(landed.into_iter().collect())
}

async fn apply(
    conn: &mut PgConnection,
    scope: &Scope,
    changes: &[RecordChange],
) -> Result<ApplyCounts, StoreError> {
    let mut counts = ApplyCounts::default();
    for mut segment in segments(changes) {
        // Every push locks and inserts in the same (byte) order of ids, so two pushes of
        // overlapping records queue on the first shared id instead of deadlocking.
        segment.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut pending = segment;
        for round in 1.. {
            let current = lock_current(conn, scope, &pending).await?;
            let plan = Plan::new(&pending, &current);
            if !plan.replaces.is_empty() {
                replace(conn, scope, &plan.replaces).await?;
            }
            let landed = insert(conn, scope, &plan.inserts).await?;
            counts += plan.counts;
            counts.inserted += landed.len() as u64;
            pending = plan
                .inserts
                .into_iter()
                .filter(|c| !landed.contains(&c.id))
                .collect();
            if pending.is_empty() {
                break;
            }
            if round == ROUNDS {
                return Err(StoreError::Conflict(format!(
                    "{} records kept conflicting with concurrent pushes",
                    pending.len()
                )));
            }
        }
    }
    Ok(counts)
}

/// Runs `attempt` (one whole transaction) again when PostgreSQL rolled it back to break a
/// deadlock, up to [`ATTEMPTS`] times.
async fn retried<T, F, Fut>(mut attempt: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(e) if tries < ATTEMPTS && retryable(&e) => {
                tracing::debug!(attempt = tries, error = %e, "record push retried");
                tries += 1;
            }
            other => return other,
        }
    }
}

/// Deadlock or serialization failure: the transaction was rolled back and may run again.
fn retryable(error: &StoreError) -> bool {
    match error {
        StoreError::Database(sqlx::Error::Database(e)) => {
            matches!(e.code().as_deref(), Some("40P01" | "40001"))
        }
        _ => false,
    }
}

#[async_trait]
impl RecordStore for PostgresStore {
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
        retried(|| async {
            let mut tx = self.pool.begin().await?;
            let counts = apply(&mut tx, &scope, &changes).await?;
            tx.commit().await?;
            Ok(counts)
        })
        .await
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
        retried(|| async {
            let mut tx = self.pool.begin().await?;
            // The dataset's row stays locked to the end: a racing claimer waits, then finds
            // it finished.
            if !claim(&mut tx, dataset).await? {
                return Ok(None); // dropping the transaction rolls it back
            }
            let counts = apply(&mut tx, &scope, &changes).await?;
            let outcome = DatasetOutcome::stored(counts, errors, received);
            finish(&mut tx, dataset, &outcome).await?;
            tx.commit().await?;
            Ok(Some(counts))
        })
        .await
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
             WHERE company_id = $1 AND data_type = $2 AND created_date >= $3
               AND created_date < $4 AND NOT deleted
             ORDER BY created_date, id"
        ))
        .bind(company.0)
        .bind(kind.data_type())
        .bind(to_db(start))
        .bind(to_db(end))
        .fetch_all(&self.pool)
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
            "SELECT {COLUMNS} FROM records WHERE company_id = $1 AND data_type = $2 AND id = $3"
        ))
        .bind(company.0)
        .bind(kind.data_type())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(record)
        .transpose()?
        else {
            return Ok(None);
        };
        // Only versions below the current one: a push landing between the two reads must not
        // make the history repeat the current version.
        let previous = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM record_versions
             WHERE company_id = $1 AND data_type = $2 AND id = $3 AND version < $4
             ORDER BY version"
        ))
        .bind(company.0)
        .bind(kind.data_type())
        .bind(id)
        .bind(current.version as i64)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(record)
        .collect::<Result<_, _>>()?;
        Ok(Some(RecordHistory { current, previous }))
    }
}

use super::SqliteStore;
use crate::StoreError;
use crate::jobs::{Job, JobEnd, JobRecord, JobStore, NewJob, end_columns, status};
use crate::rows::uuid_from_text;
use crate::sync_rows::JobColumns;
use crate::time::to_db;
use async_trait::async_trait;
use domain::CompanyId;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use uuid::Uuid;

const T: &str = "jobs";
const COLUMNS: &str = "id, kind, company_id, unique_key, payload, status, attempts, lease_owner, \
    lease_expires, last_error, created, updated";

fn columns(row: &SqliteRow) -> Result<JobColumns, StoreError> {
    Ok(JobColumns {
        id: uuid_from_text(T, row.get("id"))?,
        kind: row.get("kind"),
        company_id: uuid_from_text(T, row.get("company_id"))?,
        unique_key: row.get("unique_key"),
        payload: row.get("payload"),
        status: row.get("status"),
        attempts: row.get("attempts"),
        lease_owner: row.get("lease_owner"),
        lease_expires: row.get("lease_expires"),
        last_error: row.get("last_error"),
        created: row.get("created"),
        updated: row.get("updated"),
    })
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn enqueue_job(&self, job: NewJob, now: Timestamp) -> Result<Option<Uuid>, StoreError> {
        let id = Uuid::new_v4();
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO jobs (id, kind, company_id, unique_key, payload, status, run_after,
                created, updated)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unique_key) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(&job.kind)
        .bind(job.company_id.to_string())
        .bind(&job.unique_key)
        .bind(job.payload.to_string())
        .bind(status::QUEUED)
        .bind(to_db(job.run_after))
        .bind(to_db(now))
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok((inserted == 1).then_some(id))
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<Option<Job>, StoreError> {
        let expires = now.checked_add(lease).unwrap_or(now);
        // The single writer serialises claims: the select and the update see the same state.
        let mut tx = self.write().await?;
        let Some(row) = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs j
             WHERE ((j.status = ?1 AND j.run_after <= ?3) OR (j.status = ?2 AND j.lease_expires < ?3))
               AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.company_id = j.company_id
                               AND r.status = ?2 AND r.id <> j.id)
             ORDER BY j.run_after, j.created LIMIT 1"
        ))
        .bind(status::QUEUED)
        .bind(status::RUNNING)
        .bind(to_db(now))
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let mut c = columns(&row)?;
        sqlx::query(
            "UPDATE jobs SET status = ?, attempts = attempts + 1, lease_owner = ?,
                lease_expires = ?, updated = ? WHERE id = ?",
        )
        .bind(status::RUNNING)
        .bind(worker)
        .bind(to_db(expires))
        .bind(to_db(now))
        .bind(c.id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        c.attempts += 1;
        c.lease_owner = Some(worker.to_owned());
        c.lease_expires = Some(to_db(expires));
        c.into_job().map(Some)
    }

    async fn renew_lease(
        &self,
        job: Uuid,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<bool, StoreError> {
        let expires = now.checked_add(lease).unwrap_or(now);
        let mut tx = self.write().await?;
        let n = sqlx::query(
            "UPDATE jobs SET lease_expires = ?, updated = ?
             WHERE id = ? AND status = ? AND lease_owner = ?",
        )
        .bind(to_db(expires))
        .bind(to_db(now))
        .bind(job.to_string())
        .bind(status::RUNNING)
        .bind(worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    async fn end_job(
        &self,
        job: Uuid,
        worker: &str,
        end: JobEnd,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let (new_status, run_after, error) = end_columns(&end, now);
        let mut tx = self.write().await?;
        let n = sqlx::query(
            "UPDATE jobs SET status = ?, run_after = ?, last_error = ?, lease_owner = NULL,
                lease_expires = NULL, updated = ?
             WHERE id = ? AND status = ? AND lease_owner = ?",
        )
        .bind(new_status)
        .bind(to_db(run_after))
        .bind(error)
        .bind(to_db(now))
        .bind(job.to_string())
        .bind(status::RUNNING)
        .bind(worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    async fn company_jobs(&self, company: CompanyId) -> Result<Vec<JobRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE company_id = ? ORDER BY created DESC, id"
        ))
        .bind(company.to_string())
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| columns(row)?.into_record())
        .collect()
    }

    async fn company_jobs_of_kind(
        &self,
        company: CompanyId,
        kind: &str,
        limit: u32,
    ) -> Result<Vec<JobRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE company_id = ? AND kind = ?
             ORDER BY created DESC, id LIMIT {limit}"
        ))
        .bind(company.to_string())
        .bind(kind)
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| columns(row)?.into_record())
        .collect()
    }
}

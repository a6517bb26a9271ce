use super::PostgresStore;
use crate::StoreError;
use crate::jobs::{Job, JobEnd, JobRecord, JobStore, NewJob, end_columns, status};
use crate::sync_rows::JobColumns;
use crate::time::to_db;
use async_trait::async_trait;
use domain::CompanyId;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

const COLUMNS: &str = "id, kind, company_id, unique_key, payload, status, attempts, lease_owner, \
    lease_expires, last_error, created, updated";

fn columns(row: &PgRow) -> JobColumns {
    JobColumns {
        id: row.get("id"),
        kind: row.get("kind"),
        company_id: row.get("company_id"),
        unique_key: row.get("unique_key"),
        payload: row.get("payload"),
        status: row.get("status"),
        attempts: row.get("attempts"),
        lease_owner: row.get("lease_owner"),
        lease_expires: row.get("lease_expires"),
        last_error: row.get("last_error"),
        created: row.get("created"),
        updated: row.get("updated"),
    }
}

/// A unique index refused the write: here, another worker started a job of the same company.
fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23505"))
}

#[async_trait]
impl JobStore for PostgresStore {
    async fn enqueue_job(&self, job: NewJob, now: Timestamp) -> Result<Option<Uuid>, StoreError> {
        let id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO jobs (id, kind, company_id, unique_key, payload, status, run_after,
                created, updated)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (unique_key) DO NOTHING",
        )
        .bind(id)
        .bind(&job.kind)
        .bind(job.company_id.0)
        .bind(&job.unique_key)
        .bind(job.payload.to_string())
        .bind(status::QUEUED)
        .bind(to_db(job.run_after))
        .bind(to_db(now))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((inserted == 1).then_some(id))
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<Option<Job>, StoreError> {
        let expires = now.checked_add(lease).unwrap_or(now);
        // SKIP LOCKED: workers claiming at once take different jobs instead of waiting. Two
        // jobs of one company claimed at once: the second update fails on
        // jobs_one_running_per_company, and that worker finds nothing this time.
        let claimed = sqlx::query(&format!(
            "UPDATE jobs SET status = $2, attempts = attempts + 1, lease_owner = $4,
                lease_expires = $5, updated = $3
             WHERE id = (
                SELECT j.id FROM jobs j
                WHERE ((j.status = $1 AND j.run_after <= $3)
                       OR (j.status = $2 AND j.lease_expires < $3))
                  AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.company_id = j.company_id
                                  AND r.status = $2 AND r.id <> j.id)
                ORDER BY j.run_after, j.created
                LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING {COLUMNS}"
        ))
        .bind(status::QUEUED)
        .bind(status::RUNNING)
        .bind(to_db(now))
        .bind(worker)
        .bind(to_db(expires))
        .fetch_optional(&self.pool)
        .await;
        match claimed {
            Ok(Some(row)) => columns(&row).into_job().map(Some),
            Ok(None) => Ok(None),
            Err(e) if is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn renew_lease(
        &self,
        job: Uuid,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<bool, StoreError> {
        let expires = now.checked_add(lease).unwrap_or(now);
        let n = sqlx::query(
            "UPDATE jobs SET lease_expires = $1, updated = $2
             WHERE id = $3 AND status = $4 AND lease_owner = $5",
        )
        .bind(to_db(expires))
        .bind(to_db(now))
        .bind(job)
        .bind(status::RUNNING)
        .bind(worker)
        .execute(&self.pool)
        .await?
        .rows_affected();
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
        let n = sqlx::query(
            "UPDATE jobs SET status = $1, run_after = $2, last_error = $3, lease_owner = NULL,
                lease_expires = NULL, updated = $4
             WHERE id = $5 AND status = $6 AND lease_owner = $7",
        )
        .bind(new_status)
        .bind(to_db(run_after))
        .bind(error)
        .bind(to_db(now))
        .bind(job)
        .bind(status::RUNNING)
        .bind(worker)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn company_jobs(&self, company: CompanyId) -> Result<Vec<JobRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE company_id = $1 ORDER BY created DESC, id"
        ))
        .bind(company.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| columns(row).into_record())
        .collect()
    }

    async fn company_jobs_of_kind(
        &self,
        company: CompanyId,
        kind: &str,
        limit: u32,
    ) -> Result<Vec<JobRecord>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE company_id = $1 AND kind = $2
             ORDER BY created DESC, id LIMIT {limit}"
        ))
        .bind(company.0)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| columns(row).into_record())
        .collect()
    }
}

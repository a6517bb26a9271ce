use super::PostgresStore;
use crate::StoreError;
use crate::gauges::{GaugeStore, Gauges, count, sql};
use crate::time::{opt_from_db, to_db};
use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::Row;

impl PostgresStore {
    /// `(label, count)` rows of a `SELECT label, n` statement.
    async fn counted(&self, statement: &str) -> Result<Vec<(String, u64)>, StoreError> {
        Ok(sqlx::query(statement)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| (row.get::<String, _>(0), count(row.get("n"))))
            .collect())
    }
}

#[async_trait]
impl GaugeStore for PostgresStore {
    async fn gauges(&self, now: Timestamp) -> Result<Gauges, StoreError> {
        let syncs_by_status = sqlx::query(sql::SYNCS)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let code: i64 = row.get("status_code");
                (u16::try_from(code).unwrap_or(0), count(row.get("n")))
            })
            .collect();
        let push_items = sqlx::query(sql::PUSH_ITEMS)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| (row.get("platform"), row.get("status"), count(row.get("n"))))
            .collect();
        let due = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(run_after) AS oldest FROM jobs
             WHERE status = 'queued' AND run_after <= $1",
        )
        .bind(to_db(now))
        .fetch_one(&self.pool)
        .await?;
        Ok(Gauges {
            syncs_by_status,
            push_items,
            jobs_by_status: self.counted(sql::JOBS).await?,
            due_jobs: count(due.get("n")),
            oldest_due_job: opt_from_db("jobs", due.get("oldest"))?,
            datasets_by_status: self.counted(sql::DATASETS).await?,
            webhook_deliveries_by_status: self.counted(sql::DELIVERIES).await?,
        })
    }
}

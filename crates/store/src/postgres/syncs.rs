use super::PostgresStore;
use crate::StoreError;
use crate::sync_rows::{
    PushItemColumns, ScheduleColumns, SyncColumns, add_posted, contribution_json, overlap_outcome,
    started_outcome,
};
use crate::syncs::{
    NewPushItem, NewSync, PostedChanges, PushItem, PushItemPage, PushResult, PushStatus,
    RUNNING_CODES, SUCCESS_CODES, ScheduleState, SyncOutcome, SyncRun, SyncStore,
};
use crate::time::to_db;
use async_trait::async_trait;
use domain::CompanyId;
use domain::mapping::SyncedState;
use jiff::Timestamp;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

pub(super) const SYNC_COLUMNS: &str = "id, company_id, kind, period_start, period_end, status_code, status, \
    error_message, exception_message, data_pushed, requested, started, completed, planned";
const ITEM_COLUMNS: &str = "key, sync_id, company_id, position, document_key, kind, document, \
    status, status_code, platform_id, platform_number, platform_status, error_message, \
    validation, attempts, requested, started, completed";

pub(super) fn sync(row: &PgRow) -> Result<SyncRun, StoreError> {
    SyncColumns {
        id: row.get("id"),
        company_id: row.get("company_id"),
        kind: row.get("kind"),
        period_start: row.get("period_start"),
        period_end: row.get("period_end"),
        status_code: row.get("status_code"),
        status: row.get("status"),
        error_message: row.get("error_message"),
        exception_message: row.get("exception_message"),
        data_pushed: row.get("data_pushed"),
        requested: row.get("requested"),
        started: row.get("started"),
        completed: row.get("completed"),
        planned: row.get("planned"),
    }
    .into_sync()
}

fn item(row: &PgRow) -> Result<PushItem, StoreError> {
    PushItemColumns {
        key: row.get("key"),
        sync_id: row.get("sync_id"),
        company_id: row.get("company_id"),
        position: row.get("position"),
        document_key: row.get("document_key"),
        kind: row.get("kind"),
        document: row.get("document"),
        status: row.get("status"),
        status_code: row.get("status_code"),
        platform_id: row.get("platform_id"),
        platform_number: row.get("platform_number"),
        platform_status: row.get("platform_status"),
        error_message: row.get("error_message"),
        validation: row.get("validation"),
        attempts: row.get("attempts"),
        requested: row.get("requested"),
        started: row.get("started"),
        completed: row.get("completed"),
    }
    .into_item()
}

fn codes(codes: &[u16]) -> String {
    codes
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn insert_sync(
    conn: &mut PgConnection,
    new: &NewSync,
    outcome: &SyncOutcome,
    completed: Option<Timestamp>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO syncs (id, company_id, kind, period_start, period_end, status_code, status,
            error_message, exception_message, data_pushed, requested, completed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new.id)
    .bind(new.company_id.0)
    .bind(new.kind.as_str())
    .bind(to_db(new.period_start))
    .bind(to_db(new.period_end))
    .bind(i64::from(outcome.status_code))
    .bind(&outcome.status)
    .bind(&outcome.error_message)
    .bind(&outcome.exception_message)
    .bind(outcome.data_pushed)
    .bind(to_db(new.requested))
    .bind(completed.map(to_db))
    .execute(conn)
    .await?;
    Ok(())
}

async fn put_schedule(
    conn: &mut PgConnection,
    company: CompanyId,
    s: &ScheduleState,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sync_schedules (company_id, last_success_end, consecutive_failures,
            disabled_at, disabled_reason, config_version, changes_since, updated)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (company_id) DO UPDATE SET last_success_end = excluded.last_success_end,
            consecutive_failures = excluded.consecutive_failures,
            disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason,
            config_version = excluded.config_version, changes_since = excluded.changes_since,
            updated = excluded.updated",
    )
    .bind(company.0)
    .bind(s.last_success_end.map(to_db))
    .bind(i64::from(s.consecutive_failures))
    .bind(s.disabled_at.map(to_db))
    .bind(&s.disabled_reason)
    .bind(s.config_version.map(|v| v as i64))
    .bind(s.changes_since.map(to_db))
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl SyncStore for PostgresStore {
    async fn create_sync(&self, new: NewSync, refuse_overlap: bool) -> Result<SyncRun, StoreError> {
        let mut tx = self.pool.begin().await?;
        let overlapping = if refuse_overlap {
            // Two requests for one company wait for each other here, so the second sees the
            // first's range (READ COMMITTED alone would let both pass).
            sqlx::query("SELECT 1 FROM companies WHERE id = $1 FOR UPDATE")
                .bind(new.company_id.0)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query(&format!(
                "SELECT {SYNC_COLUMNS} FROM syncs
                 WHERE company_id = $1 AND period_start < $2 AND period_end > $3
                   AND status_code IN ({}, {})
                 ORDER BY requested LIMIT 1",
                codes(&RUNNING_CODES),
                codes(&SUCCESS_CODES)
            ))
            .bind(new.company_id.0)
            .bind(to_db(new.period_end))
            .bind(to_db(new.period_start))
            .fetch_optional(&mut *tx)
            .await?;
            row.as_ref().map(sync).transpose()?
        } else {
            None
        };
        let (outcome, completed) = match &overlapping {
            Some(other) => (overlap_outcome(other), Some(new.requested)),
            None => (started_outcome(), None),
        };
        insert_sync(&mut tx, &new, &outcome, completed).await?;
        tx.commit().await?;
        Ok(SyncRun {
            id: new.id,
            company_id: new.company_id,
            kind: new.kind,
            period_start: new.period_start,
            period_end: new.period_end,
            outcome,
            requested: new.requested,
            started: None,
            completed,
            planned: false,
        })
    }

    async fn sync_run(&self, company: CompanyId, id: Uuid) -> Result<Option<SyncRun>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = $1 AND id = $2"
        ))
        .bind(company.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(sync).transpose()
    }

    async fn syncs(
        &self,
        company: CompanyId,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<SyncRun>, StoreError> {
        sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = $1
             ORDER BY requested DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(company.0)
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(sync)
        .collect()
    }

    async fn latest_syncs(
        &self,
        company: CompanyId,
    ) -> Result<(Option<SyncRun>, Option<SyncRun>), StoreError> {
        let latest = sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = $1
             ORDER BY requested DESC, id DESC LIMIT 1"
        ))
        .bind(company.0)
        .fetch_optional(&self.pool)
        .await?;
        let success = sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = $1 AND status_code IN ({})
             ORDER BY completed DESC, id DESC LIMIT 1",
            codes(&SUCCESS_CODES)
        ))
        .bind(company.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok((
            latest.as_ref().map(sync).transpose()?,
            success.as_ref().map(sync).transpose()?,
        ))
    }

    async fn orphaned_syncs(
        &self,
        requested_before: Timestamp,
        limit: u64,
    ) -> Result<Vec<SyncRun>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs s WHERE s.completed IS NULL AND s.requested < $1
               AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.company_id = s.company_id
                               AND j.status IN ('queued', 'running'))
             ORDER BY s.requested, s.id LIMIT $2"
        ))
        .bind(to_db(requested_before))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sync).collect()
    }

    async fn start_sync(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE syncs SET started = COALESCE(started, $1), status_code = 1000,
                status = 'Started', completed = NULL WHERE id = $2",
        )
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_sync_status(&self, id: Uuid, outcome: SyncOutcome) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE syncs SET status_code = $1, status = $2, error_message = $3,
                exception_message = $4, data_pushed = $5 WHERE id = $6",
        )
        .bind(i64::from(outcome.status_code))
        .bind(&outcome.status)
        .bind(&outcome.error_message)
        .bind(&outcome.exception_message)
        .bind(outcome.data_pushed)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn plan_sync(
        &self,
        sync_id: Uuid,
        company: CompanyId,
        items: Vec<NewPushItem>,
        posted: PostedChanges,
        changes_since: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let planned: Option<bool> = sqlx::query_scalar("SELECT planned FROM syncs WHERE id = $1")
            .bind(sync_id)
            .fetch_optional(&mut *tx)
            .await?;
        if planned != Some(false) {
            return Ok(());
        }
        for (position, i) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO push_items (key, sync_id, company_id, position, document_key, kind,
                    document, status, status_code, requested)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 202, $9)",
            )
            .bind(i.key)
            .bind(sync_id)
            .bind(company.0)
            .bind(position as i64)
            .bind(&i.document_key)
            .bind(&i.kind)
            .bind(i.document.to_string())
            .bind(PushStatus::Pending.as_str())
            .bind(to_db(now))
            .execute(&mut *tx)
            .await?;
        }
        for (key, p) in &posted.records {
            sqlx::query(
                "INSERT INTO posted_records (company_id, record_key, period, source_modified_date,
                    contribution) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (company_id, record_key) DO UPDATE SET period = excluded.period,
                    source_modified_date = excluded.source_modified_date,
                    contribution = excluded.contribution",
            )
            .bind(company.0)
            .bind(key)
            .bind(&p.period)
            .bind(p.source_modified_date.map(to_db))
            .bind(contribution_json(p))
            .execute(&mut *tx)
            .await?;
        }
        for (period, revision) in &posted.revisions {
            sqlx::query(
                "INSERT INTO posted_revisions (company_id, period, revision) VALUES ($1, $2, $3)
                 ON CONFLICT (company_id, period) DO UPDATE SET revision = excluded.revision",
            )
            .bind(company.0)
            .bind(period)
            .bind(i64::from(*revision))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO sync_schedules (company_id, changes_since, updated) VALUES ($1, $2, $3)
             ON CONFLICT (company_id) DO UPDATE SET changes_since = excluded.changes_since,
                updated = excluded.updated",
        )
        .bind(company.0)
        .bind(to_db(changes_since))
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE syncs SET planned = TRUE WHERE id = $1")
            .bind(sync_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn posted_state(
        &self,
        company: CompanyId,
        record_keys: &[String],
        periods: &[String],
    ) -> Result<SyncedState, StoreError> {
        let mut state = SyncedState::default();
        let rows = sqlx::query(
            "SELECT record_key, period, source_modified_date, contribution FROM posted_records
             WHERE company_id = $1 AND record_key = ANY($2)",
        )
        .bind(company.0)
        .bind(record_keys)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            add_posted(
                &mut state,
                row.get("record_key"),
                row.get("period"),
                row.get("source_modified_date"),
                row.get::<&str, _>("contribution"),
            )?;
        }
        let rows = sqlx::query(
            "SELECT period, revision FROM posted_revisions WHERE company_id = $1 AND period = ANY($2)",
        )
        .bind(company.0)
        .bind(periods)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let revision: i64 = row.get("revision");
            state.revisions.insert(
                row.get("period"),
                u32::try_from(revision).unwrap_or(u32::MAX),
            );
        }
        Ok(state)
    }

    async fn sync_push_items(&self, sync_id: Uuid) -> Result<Vec<PushItem>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE sync_id = $1 ORDER BY position"
        ))
        .bind(sync_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(item)
        .collect()
    }

    async fn unfinished_push_items(&self, company: CompanyId) -> Result<Vec<PushItem>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = $1 AND status <> $2
             ORDER BY requested, sync_id, position"
        ))
        .bind(company.0)
        .bind(PushStatus::Success.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(item)
        .collect()
    }

    async fn push_items(
        &self,
        company: CompanyId,
        offset: u64,
        limit: u64,
    ) -> Result<PushItemPage, StoreError> {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM push_items WHERE company_id = $1")
                .bind(company.0)
                .fetch_one(&self.pool)
                .await?;
        let items = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = $1
             ORDER BY requested DESC, position DESC LIMIT $2 OFFSET $3"
        ))
        .bind(company.0)
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(item)
        .collect::<Result<_, _>>()?;
        Ok(PushItemPage {
            items,
            total: total.max(0) as u64,
        })
    }

    async fn push_item(
        &self,
        company: CompanyId,
        key: Uuid,
    ) -> Result<Option<PushItem>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = $1 AND key = $2"
        ))
        .bind(company.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(item).transpose()
    }

    async fn push_item_started(&self, key: Uuid, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE push_items SET attempts = attempts + 1, started = $1, status = $2,
                status_code = 202, completed = NULL WHERE key = $3",
        )
        .bind(to_db(now))
        .bind(PushStatus::Pending.as_str())
        .bind(key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn push_item_finished(
        &self,
        key: Uuid,
        r: PushResult,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE push_items SET status = $1, status_code = $2, platform_id = $3,
                platform_number = $4, platform_status = $5, error_message = $6, validation = $7,
                completed = $8 WHERE key = $9",
        )
        .bind(r.status.as_str())
        .bind(i64::from(r.status_code))
        .bind(&r.platform_id)
        .bind(&r.platform_number)
        .bind(&r.platform_status)
        .bind(&r.error_message)
        .bind(r.validation.as_ref().map(|v| v.to_string()))
        .bind(to_db(now))
        .bind(key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn finish_sync(
        &self,
        id: Uuid,
        outcome: SyncOutcome,
        schedule: Option<ScheduleState>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let company: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT company_id FROM syncs WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(company) = company else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE syncs SET status_code = $1, status = $2, error_message = $3,
                exception_message = $4, data_pushed = $5, completed = $6 WHERE id = $7",
        )
        .bind(i64::from(outcome.status_code))
        .bind(&outcome.status)
        .bind(&outcome.error_message)
        .bind(&outcome.exception_message)
        .bind(outcome.data_pushed)
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if SUCCESS_CODES.contains(&outcome.status_code) {
            sqlx::query("UPDATE companies SET last_sync = $1 WHERE id = $2")
                .bind(to_db(now))
                .bind(company)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(s) = schedule {
            let company = CompanyId(company);
            put_schedule(&mut tx, company, &s, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn schedule_state(&self, company: CompanyId) -> Result<ScheduleState, StoreError> {
        let row = sqlx::query(
            "SELECT last_success_end, consecutive_failures, disabled_at, disabled_reason,
                config_version, changes_since FROM sync_schedules WHERE company_id = $1",
        )
        .bind(company.0)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(ScheduleState::default()),
            Some(row) => ScheduleColumns {
                last_success_end: row.get("last_success_end"),
                consecutive_failures: row.get("consecutive_failures"),
                disabled_at: row.get("disabled_at"),
                disabled_reason: row.get("disabled_reason"),
                config_version: row.get("config_version"),
                changes_since: row.get("changes_since"),
            }
            .into_state(),
        }
    }

    async fn put_schedule_state(
        &self,
        company: CompanyId,
        state: ScheduleState,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        put_schedule(&mut tx, company, &state, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

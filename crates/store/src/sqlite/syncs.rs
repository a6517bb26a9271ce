use super::SqliteStore;
use crate::StoreError;
use crate::rows::uuid_from_text;
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
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use uuid::Uuid;

pub(super) const SYNC_COLUMNS: &str = "id, company_id, kind, period_start, period_end, status_code, status, \
    error_message, exception_message, data_pushed, requested, started, completed, planned";
const ITEM_COLUMNS: &str = "key, sync_id, company_id, position, document_key, kind, document, \
    status, status_code, platform_id, platform_number, platform_status, error_message, \
    validation, attempts, requested, started, completed";
/// Keys per `IN (…)` list, well below SQLite's parameter limit.
const CHUNK: usize = 500;

pub(super) fn sync(row: &SqliteRow) -> Result<SyncRun, StoreError> {
    const T: &str = "syncs";
    SyncColumns {
        id: uuid_from_text(T, row.get("id"))?,
        company_id: uuid_from_text(T, row.get("company_id"))?,
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

fn item(row: &SqliteRow) -> Result<PushItem, StoreError> {
    const T: &str = "push_items";
    PushItemColumns {
        key: uuid_from_text(T, row.get("key"))?,
        sync_id: uuid_from_text(T, row.get("sync_id"))?,
        company_id: uuid_from_text(T, row.get("company_id"))?,
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
    conn: &mut SqliteConnection,
    new: &NewSync,
    outcome: &SyncOutcome,
    completed: Option<Timestamp>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO syncs (id, company_id, kind, period_start, period_end, status_code, status,
            error_message, exception_message, data_pushed, requested, completed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.id.to_string())
    .bind(new.company_id.to_string())
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
    conn: &mut SqliteConnection,
    company: CompanyId,
    s: &ScheduleState,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sync_schedules (company_id, last_success_end, consecutive_failures,
            disabled_at, disabled_reason, config_version, changes_since, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (company_id) DO UPDATE SET last_success_end = excluded.last_success_end,
            consecutive_failures = excluded.consecutive_failures,
            disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason,
            config_version = excluded.config_version, changes_since = excluded.changes_since,
            updated = excluded.updated",
    )
    .bind(company.to_string())
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
impl SyncStore for SqliteStore {
    async fn create_sync(&self, new: NewSync, refuse_overlap: bool) -> Result<SyncRun, StoreError> {
        let mut tx = self.write().await?;
        let overlapping = if refuse_overlap {
            let row = sqlx::query(&format!(
                "SELECT {SYNC_COLUMNS} FROM syncs
                 WHERE company_id = ? AND period_start < ? AND period_end > ?
                   AND status_code IN ({}, {})
                 ORDER BY requested LIMIT 1",
                codes(&RUNNING_CODES),
                codes(&SUCCESS_CODES)
            ))
            .bind(new.company_id.to_string())
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
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = ? AND id = ?"
        ))
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_optional(&self.reader)
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
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = ?
             ORDER BY requested DESC, id DESC LIMIT ? OFFSET ?"
        ))
        .bind(company.to_string())
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.reader)
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
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = ?
             ORDER BY requested DESC, id DESC LIMIT 1"
        ))
        .bind(company.to_string())
        .fetch_optional(&self.reader)
        .await?;
        let success = sqlx::query(&format!(
            "SELECT {SYNC_COLUMNS} FROM syncs WHERE company_id = ? AND status_code IN ({})
             ORDER BY completed DESC, id DESC LIMIT 1",
            codes(&SUCCESS_CODES)
        ))
        .bind(company.to_string())
        .fetch_optional(&self.reader)
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
            "SELECT {SYNC_COLUMNS} FROM syncs s WHERE s.completed IS NULL AND s.requested < ?
               AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.company_id = s.company_id
                               AND j.status IN ('queued', 'running'))
             ORDER BY s.requested, s.id LIMIT ?"
        ))
        .bind(to_db(requested_before))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(sync).collect()
    }

    async fn start_sync(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE syncs SET started = COALESCE(started, ?), status_code = 1000,
                status = 'Started', completed = NULL WHERE id = ?",
        )
        .bind(to_db(now))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_sync_status(&self, id: Uuid, outcome: SyncOutcome) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE syncs SET status_code = ?, status = ?, error_message = ?,
                exception_message = ?, data_pushed = ? WHERE id = ?",
        )
        .bind(i64::from(outcome.status_code))
        .bind(&outcome.status)
        .bind(&outcome.error_message)
        .bind(&outcome.exception_message)
        .bind(outcome.data_pushed)
        .bind(id.to_string())
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
        let mut tx = self.write().await?;
        let planned: Option<bool> = sqlx::query_scalar("SELECT planned FROM syncs WHERE id = ?")
            .bind(sync_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if planned != Some(false) {
            return Ok(());
        }
        for (position, i) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO push_items (key, sync_id, company_id, position, document_key, kind,
                    document, status, status_code, requested)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 202, ?)",
            )
            .bind(i.key.to_string())
            .bind(sync_id.to_string())
            .bind(company.to_string())
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
                    contribution) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (company_id, record_key) DO UPDATE SET period = excluded.period,
                    source_modified_date = excluded.source_modified_date,
                    contribution = excluded.contribution",
            )
            .bind(company.to_string())
            .bind(key)
            .bind(&p.period)
            .bind(p.source_modified_date.map(to_db))
            .bind(contribution_json(p))
            .execute(&mut *tx)
            .await?;
        }
        for (period, revision) in &posted.revisions {
            sqlx::query(
                "INSERT INTO posted_revisions (company_id, period, revision) VALUES (?, ?, ?)
                 ON CONFLICT (company_id, period) DO UPDATE SET revision = excluded.revision",
            )
            .bind(company.to_string())
            .bind(period)
            .bind(i64::from(*revision))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO sync_schedules (company_id, changes_since, updated) VALUES (?, ?, ?)
             ON CONFLICT (company_id) DO UPDATE SET changes_since = excluded.changes_since,
                updated = excluded.updated",
        )
        .bind(company.to_string())
        .bind(to_db(changes_since))
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE syncs SET planned = 1 WHERE id = ?")
            .bind(sync_id.to_string())
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
        for chunk in record_keys.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT record_key, period, source_modified_date, contribution FROM posted_records
                 WHERE company_id = ? AND record_key IN ({marks})"
            );
            let mut q = sqlx::query(&sql).bind(company.to_string());
            for k in chunk {
                q = q.bind(k);
            }
            for row in q.fetch_all(&self.reader).await? {
                add_posted(
                    &mut state,
                    row.get("record_key"),
                    row.get("period"),
                    row.get("source_modified_date"),
                    row.get::<&str, _>("contribution"),
                )?;
            }
        }
        for chunk in periods.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT period, revision FROM posted_revisions
                 WHERE company_id = ? AND period IN ({marks})"
            );
            let mut q = sqlx::query(&sql).bind(company.to_string());
            for p in chunk {
                q = q.bind(p);
            }
            for row in q.fetch_all(&self.reader).await? {
                let revision: i64 = row.get("revision");
                state.revisions.insert(
                    row.get("period"),
                    u32::try_from(revision).unwrap_or(u32::MAX),
                );
            }
        }
        Ok(state)
    }

    async fn sync_push_items(&self, sync_id: Uuid) -> Result<Vec<PushItem>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE sync_id = ? ORDER BY position"
        ))
        .bind(sync_id.to_string())
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(item)
        .collect()
    }

    async fn unfinished_push_items(&self, company: CompanyId) -> Result<Vec<PushItem>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = ? AND status <> ?
             ORDER BY requested, sync_id, position"
        ))
        .bind(company.to_string())
        .bind(PushStatus::Success.as_str())
        .fetch_all(&self.reader)
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
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_items WHERE company_id = ?")
            .bind(company.to_string())
            .fetch_one(&self.reader)
            .await?;
        let items = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = ?
             ORDER BY requested DESC, position DESC LIMIT ? OFFSET ?"
        ))
        .bind(company.to_string())
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.reader)
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
            "SELECT {ITEM_COLUMNS} FROM push_items WHERE company_id = ? AND key = ?"
        ))
        .bind(company.to_string())
        .bind(key.to_string())
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(item).transpose()
    }

    async fn push_item_started(&self, key: Uuid, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE push_items SET attempts = attempts + 1, started = ?, status = ?,
                status_code = 202, completed = NULL WHERE key = ?",
        )
        .bind(to_db(now))
        .bind(PushStatus::Pending.as_str())
        .bind(key.to_string())
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
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE push_items SET status = ?, status_code = ?, platform_id = ?,
                platform_number = ?, platform_status = ?, error_message = ?, validation = ?,
                completed = ? WHERE key = ?",
        )
        .bind(r.status.as_str())
        .bind(i64::from(r.status_code))
        .bind(&r.platform_id)
        .bind(&r.platform_number)
        .bind(&r.platform_status)
        .bind(&r.error_message)
        .bind(r.validation.as_ref().map(|v| v.to_string()))
        .bind(to_db(now))
        .bind(key.to_string())
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
        let mut tx = self.write().await?;
        let company: Option<String> =
            sqlx::query_scalar("SELECT company_id FROM syncs WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(company) = company else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE syncs SET status_code = ?, status = ?, error_message = ?,
                exception_message = ?, data_pushed = ?, completed = ? WHERE id = ?",
        )
        .bind(i64::from(outcome.status_code))
        .bind(&outcome.status)
        .bind(&outcome.error_message)
        .bind(&outcome.exception_message)
        .bind(outcome.data_pushed)
        .bind(to_db(now))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if SUCCESS_CODES.contains(&outcome.status_code) {
            sqlx::query("UPDATE companies SET last_sync = ? WHERE id = ?")
                .bind(to_db(now))
                .bind(&company)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(s) = schedule {
            let company = CompanyId(uuid_from_text("syncs", &company)?);
            put_schedule(&mut tx, company, &s, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn schedule_state(&self, company: CompanyId) -> Result<ScheduleState, StoreError> {
        let row = sqlx::query(
            "SELECT last_success_end, consecutive_failures, disabled_at, disabled_reason,
                config_version, changes_since FROM sync_schedules WHERE company_id = ?",
        )
        .bind(company.to_string())
        .fetch_optional(&self.reader)
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
        let mut tx = self.write().await?;
        put_schedule(&mut tx, company, &state, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

use super::SqliteStore;
use super::connections::{COLUMNS as CONNECTION_COLUMNS, connection};
use super::syncs::{SYNC_COLUMNS, sync};
use crate::health::{
    Arg, DailyStatusCount, DisabledCompany, FAILED, FailingCompany, HealthStore, ListedSync,
    RelinkNeeded, SUCCEEDED, SyncSearch, SyncSearchPage, search_where, sync_columns_of_s,
};
use crate::rows::uuid_from_text;
use crate::time::{from_db, to_db};
use crate::{StoreError, SyncRun};
use async_trait::async_trait;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::sqlite::{Sqlite, SqliteArguments};
use uuid::Uuid;

fn limit(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

fn bind<'q>(
    mut query: sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>,
    args: &[Arg],
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
    for arg in args {
        query = match arg {
            Arg::Id(id) => query.bind(id.to_string()),
            Arg::Int(n) => query.bind(*n),
        };
    }
    query
}

#[async_trait]
impl HealthStore for SqliteStore {
    async fn sync_counts(
        &self,
        client: ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<DailyStatusCount>, StoreError> {
        sqlx::query(
            "SELECT s.requested / 86400000000 AS day, s.status_code AS code, COUNT(*) AS n
             FROM syncs s JOIN companies c ON c.id = s.company_id
             WHERE c.client_id = ? AND s.requested >= ? AND s.requested < ?
             GROUP BY 1, 2 ORDER BY 1, 2",
        )
        .bind(client.to_string())
        .bind(to_db(from))
        .bind(to_db(to))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| {
            Ok(DailyStatusCount {
                day: row.get("day"),
                status_code: u16::try_from(row.get::<i64, _>("code")).unwrap_or(5000),
                count: count(row.get("n")),
            })
        })
        .collect()
    }

    async fn failing_companies(
        &self,
        client: ClientId,
        max: u64,
    ) -> Result<Vec<FailingCompany>, StoreError> {
        let columns = sync_columns_of_s(SYNC_COLUMNS);
        sqlx::query(&format!(
            "WITH failing AS (
                SELECT s.company_id, COUNT(*) AS failed, MIN(s.requested) AS since,
                       (SELECT l.id FROM syncs l WHERE l.company_id = s.company_id
                        ORDER BY l.requested DESC, l.id DESC LIMIT 1) AS newest_id
                FROM syncs s JOIN companies c ON c.id = s.company_id
                WHERE c.client_id = ? AND {FAILED}
                  AND s.requested > COALESCE((SELECT MAX(ok.requested) FROM syncs ok
                       WHERE ok.company_id = s.company_id AND {SUCCEEDED}), -1)
                GROUP BY s.company_id
             )
             SELECT {columns}, c.name AS company_name, f.failed, f.since,
                    CAST(COALESCE(sch.consecutive_failures, 0) AS BIGINT) AS consecutive
             FROM failing f
             JOIN companies c ON c.id = f.company_id
             JOIN syncs s ON s.id = f.newest_id
             LEFT JOIN sync_schedules sch ON sch.company_id = f.company_id
             WHERE s.status_code >= 4000
             ORDER BY f.since, c.id LIMIT ?"
        ))
        .bind(client.to_string())
        .bind(limit(max))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| {
            let latest = sync(row)?;
            Ok(FailingCompany {
                company_id: latest.company_id,
                company_name: row.get("company_name"),
                failed_syncs: count(row.get("failed")),
                failing_since: from_db("syncs", row.get("since"))?,
                consecutive_failures: u32::try_from(row.get::<i64, _>("consecutive"))
                    .unwrap_or_default(),
                latest,
            })
        })
        .collect()
    }

    async fn disabled_companies(
        &self,
        client: ClientId,
        max: u64,
    ) -> Result<Vec<DisabledCompany>, StoreError> {
        sqlx::query(
            "SELECT c.id, c.name, sch.disabled_at, sch.disabled_reason,
                    CAST(sch.consecutive_failures AS BIGINT) AS consecutive_failures
             FROM sync_schedules sch JOIN companies c ON c.id = sch.company_id
             WHERE c.client_id = ? AND sch.disabled_at IS NOT NULL
             ORDER BY sch.disabled_at DESC, c.id LIMIT ?",
        )
        .bind(client.to_string())
        .bind(limit(max))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(|row| {
            Ok(DisabledCompany {
                company_id: CompanyId(uuid_from_text("companies", row.get("id"))?),
                company_name: row.get("name"),
                disabled_at: from_db("sync_schedules", row.get("disabled_at"))?,
                reason: row.get("disabled_reason"),
                consecutive_failures: u32::try_from(row.get::<i64, _>("consecutive_failures"))
                    .unwrap_or_default(),
            })
        })
        .collect()
    }

    async fn relink_needed(
        &self,
        client: ClientId,
        max: u64,
    ) -> Result<Vec<RelinkNeeded>, StoreError> {
        sqlx::query(&format!(
            "SELECT {CONNECTION_COLUMNS}, c.name AS company_name
             FROM connections n JOIN companies c ON c.id = n.company_id
             WHERE c.client_id = ? AND n.status = 'Deauthorized'
             ORDER BY n.errored_on DESC, n.id LIMIT ?"
        ))
        .bind(client.to_string())
        .bind(limit(max))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(|row| {
            let company_name = row.get("company_name");
            Ok(RelinkNeeded {
                company_name,
                connection: connection(row)?,
            })
        })
        .collect()
    }

    async fn search_syncs(
        &self,
        client: ClientId,
        search: &SyncSearch,
    ) -> Result<SyncSearchPage, StoreError> {
        let (clauses, args) = search_where(client, search, |_| "?".to_owned());
        const FROM: &str = "syncs s JOIN companies c ON c.id = s.company_id";
        let total: i64 = bind(
            sqlx::query(&format!("SELECT COUNT(*) AS n FROM {FROM} WHERE {clauses}")),
            &args,
        )
        .fetch_one(&self.reader)
        .await?
        .get("n");
        let columns = sync_columns_of_s(SYNC_COLUMNS);
        let sql = format!(
            "SELECT {columns}, c.name AS company_name FROM {FROM} WHERE {clauses}
             ORDER BY {} LIMIT ? OFFSET ?",
            search.sort.order_by()
        );
        let rows = bind(sqlx::query(&sql), &args)
            .bind(limit(search.limit))
            .bind(limit(search.offset))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(|row| {
                Ok(ListedSync {
                    sync: sync(row)?,
                    company_name: row.get("company_name"),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SyncSearchPage {
            rows,
            total: count(total),
        })
    }

    async fn client_sync(&self, client: ClientId, id: Uuid) -> Result<Option<SyncRun>, StoreError> {
        let columns = sync_columns_of_s(SYNC_COLUMNS);
        sqlx::query(&format!(
            "SELECT {columns} FROM syncs s JOIN companies c ON c.id = s.company_id
             WHERE s.id = ? AND c.client_id = ?"
        ))
        .bind(id.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        .as_ref()
        .map(sync)
        .transpose()
    }
}

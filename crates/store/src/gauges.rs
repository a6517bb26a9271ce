//! The state of the database as `/metrics` reports it: counted at scrape time, so every
//! process (API or worker) reports the same numbers and none keeps them in memory.

use crate::StoreError;
use async_trait::async_trait;
use jiff::Timestamp;

/// Rows per status, as counted now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gauges {
    /// Syncs per status code (DOMAIN.md).
    pub syncs_by_status: Vec<(u16, u64)>,
    /// Push items per accounting platform key (`gbol`, `qhyg`, `hldg`; `none` when the
    /// company has no accounting connection any more) and status.
    pub push_items: Vec<(String, String, u64)>,
    /// Jobs per status (`queued`, `running`, `done`, `failed`).
    pub jobs_by_status: Vec<(String, u64)>,
    /// Queued jobs whose time has come: what the workers have yet to pick up.
    pub due_jobs: u64,
    /// When the longest-waiting due job became due.
    pub oldest_due_job: Option<Timestamp>,
    /// Datasets per status (`Complete`, `ValidationError`, …).
    pub datasets_by_status: Vec<(String, u64)>,
    /// Webhook deliveries per status (`pending`, `delivered`, `failed`).
    pub webhook_deliveries_by_status: Vec<(String, u64)>,
}

#[async_trait]
pub trait GaugeStore {
    /// Counts everything in [`Gauges`]; `now` decides which queued jobs are due.
    async fn gauges(&self, now: Timestamp) -> Result<Gauges, StoreError>;
}

/// Statements shared by both databases (the one parameter, `now`, is bound by position).
pub(crate) mod sql {
    pub const SYNCS: &str =
        "SELECT status_code, COUNT(*) AS n FROM syncs GROUP BY status_code ORDER BY status_code";
    /// Counted per company first, so the join touches one row per company and status.
    pub const PUSH_ITEMS: &str = "SELECT COALESCE(a.platform_key, 'none') AS platform, p.status,
            CAST(SUM(p.n) AS BIGINT) AS n
        FROM (SELECT company_id, status, COUNT(*) AS n FROM push_items
              GROUP BY company_id, status) p
        LEFT JOIN (SELECT company_id, MIN(platform_key) AS platform_key FROM connections
                   WHERE platform_key <> 'cmrc' GROUP BY company_id) a
          ON a.company_id = p.company_id
        GROUP BY COALESCE(a.platform_key, 'none'), p.status
        ORDER BY 1, 2";
    pub const JOBS: &str = "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status";
    pub const DATASETS: &str =
        "SELECT status, COUNT(*) AS n FROM datasets GROUP BY status ORDER BY status";
    pub const DELIVERIES: &str =
        "SELECT status, COUNT(*) AS n FROM webhook_deliveries GROUP BY status ORDER BY status";
}

/// A count as read (never negative).
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

//! What the Sync Health pages read about one client's merchants: syncs counted by day and
//! status, the merchants failing now, the ones whose sync stopped, connections to re-link, and
//! the history searched and paged on the server.
//!
//! Every method takes the client and answers only its companies' rows: the pages never filter
//! another client's rows out after reading them, so a missing check cannot leak them.

use crate::{StoreError, SyncRun};
use async_trait::async_trait;
use domain::{ClientId, CompanyId, Connection};
use jiff::Timestamp;
use uuid::Uuid;

/// Syncs requested on one UTC day with one status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyStatusCount {
    /// Days since the Unix epoch (UTC) of `requested`.
    pub day: i64,
    pub status_code: u16,
    pub count: u64,
}

/// A company whose latest finished sync failed.
#[derive(Debug, Clone, PartialEq)]
pub struct FailingCompany {
    pub company_id: CompanyId,
    pub company_name: String,
    /// Failed syncs since the last successful one.
    pub failed_syncs: u64,
    /// The first of those: how long the merchant has been failing.
    pub failing_since: Timestamp,
    /// The newest failed sync, whose error is the one to read.
    pub latest: SyncRun,
    /// Failed due days in a row, as the schedule counts them (31 disable the sync).
    pub consecutive_failures: u32,
}

/// A company whose sync the schedule stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct DisabledCompany {
    pub company_id: CompanyId,
    pub company_name: String,
    pub disabled_at: Timestamp,
    pub reason: Option<String>,
    pub consecutive_failures: u32,
}

/// A connection the platform refused, so the merchant must link it again.
#[derive(Debug, Clone, PartialEq)]
pub struct RelinkNeeded {
    pub company_name: String,
    pub connection: Connection,
}

/// How the history is sorted. Each order has an index behind it (migration 0010).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncSort {
    #[default]
    NewestFirst,
    OldestFirst,
    /// By status code, worst (highest) first, then newest.
    Status,
}

impl SyncSort {
    pub const ALL: [SyncSort; 3] = [Self::NewestFirst, Self::OldestFirst, Self::Status];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewestFirst => "newest",
            Self::OldestFirst => "oldest",
            Self::Status => "status",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The `ORDER BY` of the history query (the same on both databases).
    pub(crate) fn order_by(self) -> &'static str {
        match self {
            Self::NewestFirst => "s.requested DESC, s.id DESC",
            Self::OldestFirst => "s.requested ASC, s.id ASC",
            Self::Status => "s.status_code DESC, s.requested DESC, s.id DESC",
        }
    }
}

/// Which of the client's syncs to list. Every filter is optional; the caller has resolved a
/// merchant identifier to its company already.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncSearch {
    pub sync_id: Option<Uuid>,
    pub company: Option<CompanyId>,
    /// Requested at or after.
    pub from: Option<Timestamp>,
    /// Requested before.
    pub to: Option<Timestamp>,
    pub status_code: Option<u16>,
    pub sort: SyncSort,
    pub offset: u64,
    pub limit: u64,
}

/// A sync as the history lists it: with its company's name.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedSync {
    pub sync: SyncRun,
    pub company_name: String,
}

/// One page of the history, and how many syncs match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncSearchPage {
    pub rows: Vec<ListedSync>,
    pub total: u64,
}

#[async_trait]
pub trait HealthStore {
    /// The client's syncs requested in `[from, to)`, counted per UTC day and status code.
    async fn sync_counts(
        &self,
        client: ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<DailyStatusCount>, StoreError>;

    /// The client's companies whose latest finished sync failed, longest failing first.
    async fn failing_companies(
        &self,
        client: ClientId,
        limit: u64,
    ) -> Result<Vec<FailingCompany>, StoreError>;

    /// The client's companies whose schedule is disabled, most recently first.
    async fn disabled_companies(
        &self,
        client: ClientId,
        limit: u64,
    ) -> Result<Vec<DisabledCompany>, StoreError>;

    /// The client's `Deauthorized` connections, most recently refused first.
    async fn relink_needed(
        &self,
        client: ClientId,
        limit: u64,
    ) -> Result<Vec<RelinkNeeded>, StoreError>;

    /// The client's syncs matching `search`, one page of them, and the total.
    async fn search_syncs(
        &self,
        client: ClientId,
        search: &SyncSearch,
    ) -> Result<SyncSearchPage, StoreError>;

    /// One of the client's syncs, whichever company it belongs to; `None` for another client's.
    async fn client_sync(&self, client: ClientId, id: Uuid) -> Result<Option<SyncRun>, StoreError>;
}

/// A value bound into the history query; each database binds ids its own way.
pub(crate) enum Arg {
    Id(Uuid),
    Int(i64),
}

/// The history query's `WHERE`, built from the filters present only: an absent filter adds no
/// `? IS NULL OR …` term, which would keep the planner from using the indexes. `mark(n)` is
/// the database's n-th placeholder (1-based).
pub(crate) fn search_where(
    client: ClientId,
    search: &SyncSearch,
    mark: impl Fn(usize) -> String,
) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Id(client.0)];
    let mut clauses = vec![format!("c.client_id = {}", mark(1))];
    let mut add = |clause: &str, arg: Arg| {
        args.push(arg);
        clauses.push(format!("{clause} {}", mark(args.len())));
    };
    if let Some(id) = search.sync_id {
        add("s.id =", Arg::Id(id));
    }
    if let Some(company) = search.company {
        add("s.company_id =", Arg::Id(company.0));
    }
    if let Some(from) = search.from {
        add("s.requested >=", Arg::Int(crate::time::to_db(from)));
    }
    if let Some(to) = search.to {
        add("s.requested <", Arg::Int(crate::time::to_db(to)));
    }
    if let Some(code) = search.status_code {
        add("s.status_code =", Arg::Int(i64::from(code)));
    }
    (clauses.join(" AND "), args)
}

/// `SYNC_COLUMNS` with each column taken from the alias `s`, for queries that join.
pub(crate) fn sync_columns_of_s(columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("s.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Failed syncs: refusals of an overlapping range (5080) wrote nothing and are the client's
/// request being refused, not the merchant failing, so they do not count.
pub(crate) const FAILED: &str =
    "s.status_code >= 4000 AND s.status_code <> 5080 AND s.completed IS NOT NULL";
/// Successful syncs (`SUCCESS_CODES`).
pub(crate) const SUCCEEDED: &str = "ok.status_code IN (2000, 2040)";

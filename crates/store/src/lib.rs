//! Persistence for commerce-sync, behind one trait per concern.
//!
//! Two implementations share every trait and one test suite: SQLite (the default: a file,
//! WAL, a single writer connection, every write in `BEGIN IMMEDIATE`) and PostgreSQL (the
//! scale-out path for several API and worker processes). Each has its own migrations,
//! embedded in the binary and applied by [`open`] and `commerce-sync migrate`.
//! Queries use sqlx's runtime API, not its macros, so no database is needed to build.

pub mod baseline;
mod client_settings;
mod clients;
mod companies;
mod config_rows;
mod configuration;
mod connections;
mod datasets;
mod error;
mod gauges;
mod health;
mod jobs;
mod merchants;
mod operator;
mod page_sessions;
pub mod postgres;
mod push_rows;
mod readiness;
mod record_changes;
mod record_plan;
mod records;
mod reference_data;
mod rows;
pub mod sqlite;
mod support_users;
mod sync_configurations;
mod sync_rows;
mod syncs;
pub mod testing;
mod time;
mod webhooks;

pub use client_settings::ClientSettingsStore;
pub use clients::{Client, ClientStore};
pub use companies::{CompanyStore, CompanyUpdate};
pub use configuration::{ConfigStore, ScheduledCompany, StoredConfig};
pub use connections::{ConnectionStore, ConnectionUpdate};
pub use datasets::{
    Dataset, DatasetCounts, DatasetId, DatasetOutcome, DatasetStatus, DatasetStore, NewDataset,
    Rejection,
};
pub use error::StoreError;
pub use gauges::{GaugeStore, Gauges};
pub use health::{
    DailyStatusCount, DisabledCompany, FailingCompany, HealthStore, ListedSync, RelinkNeeded,
    SyncSearch, SyncSearchPage, SyncSort,
};
pub use jobs::{Job, JobEnd, JobRecord, JobStore, NewJob};
pub use merchants::MerchantStore;
pub use operator::{ApiKeyInfo, OperatorStore, SyncFilter};
pub use page_sessions::{PageSession, PageSessionStore};
pub use readiness::{Readiness, ReadinessCheck};
pub use record_changes::RecordChanges;
pub use records::{ApplyCounts, RecordChange, RecordHistory, RecordStore, StoredRecord};
pub use reference_data::{ReferenceDataStore, StoredReferenceData};
pub use support_users::{SupportUser, SupportUserStore, normalize_email};
pub use sync_configurations::SyncConfigurationStore;
pub use syncs::{
    NewPushItem, NewSync, PostedChanges, PushItem, PushItemPage, PushResult, PushStatus,
    RUNNING_CODES, SUCCESS_CODES, ScheduleState, SyncKind, SyncOutcome, SyncRun, SyncStore,
};
pub use time::now;
pub use webhooks::{
    AttemptOutcome, ClaimedDelivery, DeliveryAttempt, DeliveryFilter, DeliveryNext, DeliveryStatus,
    NewWebhookEndpoint, NewWebhookEvent, WebhookDelivery, WebhookDeliveryId, WebhookEndpoint,
    WebhookEndpointId, WebhookEndpointUpdate, WebhookEvent, WebhookEventId, WebhookStore,
};

use std::sync::Arc;

/// Everything the service persists. Each concern is its own trait so a reader finds the
/// queries for companies in one place; `Store` is what the rest of the service holds.
pub trait Store:
    ClientStore
    + ClientSettingsStore
    + CompanyStore
    + ConnectionStore
    + ConfigStore
    + ReferenceDataStore
    + DatasetStore
    + RecordStore
    + RecordChanges
    + JobStore
    + SyncStore
    + SyncConfigurationStore
    + WebhookStore
    + PageSessionStore
    + MerchantStore
    + ReadinessCheck
    + SupportUserStore
    + OperatorStore
    + GaugeStore
    + HealthStore
    + Send
    + Sync
    + 'static
{
    /// Which database this is, for logs and `/healthz`.
    fn backend(&self) -> Backend;
}

/// The database behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Opens the database named by `url` (`sqlite://path` or `postgres://…`), creating a SQLite
/// file (and its folder) when missing, and applies pending migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PostgresStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redact(url)))
    }
}

/// A database URL fit for logs: the password, if any, replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            super::redact("sqlite://./data/x.db"),
            "sqlite://./data/x.db"
        );
    }
}

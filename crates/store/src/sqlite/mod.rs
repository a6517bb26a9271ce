//! The SQLite store: one file, WAL, readers in a pool and exactly one writer connection.
//!
//! SQLite allows one writer at a time. Funnelling every write through a single connection
//! and opening each write with `BEGIN IMMEDIATE` (which takes the write lock up front) means
//! writes queue in our process instead of failing with SQLITE_BUSY, which a deferred
//! read-then-write transaction does at once, ignoring `busy_timeout`.

mod client_settings;
mod clients;
mod companies;
mod configuration;
mod connections;
mod datasets;
mod gauges;
mod health;
mod jobs;
mod merchants;
mod operator;
mod page_sessions;
mod record_changes;
mod records;
mod reference_data;
mod support_users;
mod sync_configurations;
mod syncs;
mod webhooks;

use crate::{Backend, Store, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Readers that may run beside the writer.
const READERS: u32 = 8;

pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
}

/// Creates the database file readable by its owner only (0600) before SQLite opens it, so
/// customers' sales are never world-readable; SQLite gives its `-wal` and `-shm` files the
/// database file's mode. An existing file is left as the operator set it.
fn create_private(path: &Path) -> Result<(), StoreError> {
    if path.as_os_str().is_empty() || path.to_str() == Some(":memory:") || path.exists() {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    match file.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::File {
            path: path.display().to_string(),
            source,
        }),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file named by a `sqlite://PATH` URL and migrates it.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(folder) = Path::new(options.get_filename()).parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.display().to_string(),
                source,
            })?;
        }
        create_private(Path::new(options.get_filename()))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { reader, writer })
    }

    /// A write transaction holding the database's write lock from its first statement.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
}

#[async_trait::async_trait]
impl crate::readiness::ReadinessCheck for SqliteStore {
    async fn readiness(&self) -> Result<crate::readiness::Readiness, StoreError> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.reader)
                .await?;
        Ok(crate::readiness::Readiness {
            applied: applied.unwrap_or(0),
            expected: crate::readiness::newest(&MIGRATOR),
        })
    }
}

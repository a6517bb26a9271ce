//! Fresh databases for tests: a SQLite file in a temporary folder, and a new PostgreSQL
//! database per test on the server named by `COMMERCE_SYNC_TEST_POSTGRES`
//! (default `postgres://postgres@127.0.0.1:5432`), dropped when the test ends.
//!
//! When no PostgreSQL answers, tests say so loudly and skip that backend; under `CI=true`
//! a skip is a failure, so CI cannot pass by testing less.

use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::sync::atomic::{AtomicU32, Ordering};

/// The server tests create their databases on.
pub fn postgres_server() -> String {
    std::env::var("COMMERCE_SYNC_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// Says loudly that something was skipped, or fails the test under `CI=true`.
pub fn skip_or_fail(what: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{what} is required under CI=true but {why}");
    }
    eprintln!("\n!!! SKIPPED {what}: {why} !!!\n");
}

/// A throw-away database: its URL, and a guard that removes it.
pub struct TestDatabase {
    pub url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    SqliteFolder(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server, name } = self {
            let (server, name) = (server.clone(), name.clone());
            // Drop runs outside async; a short-lived thread with its own runtime does the I/O.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    if let Ok(mut admin) =
                        PgConnection::connect(&format!("{server}/postgres")).await
                    {
                        let _ = sqlx::query(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .execute(&mut admin)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

impl TestDatabase {
    /// A new SQLite file in its own temporary folder.
    pub fn sqlite() -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/test.db", folder.path().display());
        Self {
            url,
            _cleanup: Cleanup::SqliteFolder(folder),
        }
    }

    /// A new, empty PostgreSQL database; `None` (after a loud skip) when no server answers.
    pub async fn postgres() -> Option<Self> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let server = postgres_server();
        let mut admin = match PgConnection::connect(&format!("{server}/postgres")).await {
            Ok(admin) => admin,
            Err(e) => {
                skip_or_fail(
                    "the PostgreSQL half of this test",
                    &format!("no PostgreSQL at {}: {e}", crate::redact(&server)),
                );
                return None;
            }
        };
        let name = format!(
            "cs_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            uuid::Uuid::new_v4().simple()
        );
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .expect("CREATE DATABASE on the test server");
        Some(Self {
            url: format!("{server}/{name}"),
            _cleanup: Cleanup::Postgres { server, name },
        })
    }

    /// SQLite always, and PostgreSQL when a server answers.
    pub async fn both() -> Vec<Self> {
        let mut all = vec![Self::sqlite()];
        all.extend(Self::postgres().await);
        all
    }
}

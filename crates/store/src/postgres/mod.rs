//! The PostgreSQL store: the scale-out path, shared by any number of API and worker processes.

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
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections per process; several processes share one server, so keep it modest.
const POOL_SIZE: u32 = 10;

pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database named by `url` and applies pending migrations. Migrations
    /// take PostgreSQL's advisory lock, so processes starting together migrate once.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
}

#[async_trait::async_trait]
impl crate::readiness::ReadinessCheck for PostgresStore {
    async fn readiness(&self) -> Result<crate::readiness::Readiness, StoreError> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(crate::readiness::Readiness {
            applied: applied.unwrap_or(0),
            expected: crate::readiness::newest(&MIGRATOR),
        })
    }
}

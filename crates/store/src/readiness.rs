//! Whether the database can serve this process: it answers, and its schema is the one this
//! build expects (every migration embedded in the binary applied).

use crate::StoreError;
use async_trait::async_trait;

/// The schema as found against the one this build carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// The newest migration applied to the database.
    pub applied: i64,
    /// The newest migration this build carries.
    pub expected: i64,
}

impl Readiness {
    pub fn is_current(&self) -> bool {
        self.applied == self.expected
    }
}

#[async_trait]
pub trait ReadinessCheck {
    /// Asks the database; an error when it does not answer.
    async fn readiness(&self) -> Result<Readiness, StoreError>;
}

/// The newest version among `migrator`'s migrations.
pub(crate) fn newest(migrator: &sqlx::migrate::Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

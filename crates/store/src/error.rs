//! The store's one error type.

/// What can go wrong below the store's traits. "Not found" is not an error: lookups answer
/// `Option`, so the caller decides (the API answers 404 for another client's ids too).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("could not create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("could not create the database file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    /// A stored row that no longer parses: a bug or a hand edit, never the client's fault.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
    /// A unique rule refused the write (e.g. a client name taken).
    #[error("{0}")]
    Conflict(String),
}

impl StoreError {
    pub(crate) fn corrupt(table: &'static str, detail: impl ToString) -> Self {
        Self::Corrupt {
            table,
            detail: detail.to_string(),
        }
    }
}

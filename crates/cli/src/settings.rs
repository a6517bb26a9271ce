//! Settings shared by the subcommands: the database, the secret key, logging.

use anyhow::{Context, bail};
use platforms::SecretKey;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::Store;
use tracing_subscriber::EnvFilter;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/commerce-sync.db";

#[derive(clap::Args, Clone)]
pub struct DatabaseArgs {
    /// `sqlite://PATH` (default, created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "COMMERCE_SYNC_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

impl DatabaseArgs {
    /// Opens and migrates the database.
    pub async fn open(&self) -> anyhow::Result<Arc<dyn Store>> {
        store::open(&self.database_url)
            .await
            .with_context(|| format!("opening the database {}", store::redact(&self.database_url)))
    }

    /// The folder a SQLite database lives in, where single-node files (the secret key) go.
    pub fn sqlite_folder(&self) -> Option<PathBuf> {
        let path = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = path.split('?').next().unwrap_or(path);
        Some(
            Path::new(path)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        )
    }
}

/// The key that seals connection credentials: `COMMERCE_SYNC_SECRET_KEY`, or, in
/// single-node SQLite mode only, a key generated once into the database's folder. Several
/// PostgreSQL processes must share one key, so there it has to be given.
pub fn secret_key(database: &DatabaseArgs, from_env: Option<&str>) -> anyhow::Result<SecretKey> {
    if let Some(text) = from_env {
        return SecretKey::from_base64(text).context("COMMERCE_SYNC_SECRET_KEY");
    }
    let Some(folder) = database.sqlite_folder() else {
        bail!(
            "COMMERCE_SYNC_SECRET_KEY is required with PostgreSQL, so that every process seals and opens credentials with the same key (make one with `openssl rand -base64 32`)"
        );
    };
    let file = folder.join("secret.key");
    if file.exists() {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        return SecretKey::from_base64(&text)
            .with_context(|| format!("the key in {}", file.display()));
    }
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let key = SecretKey::generate();
    write_private(&file, &key.to_base64())?;
    tracing::info!(file = %file.display(), "generated a secret key for credentials at rest; back it up with the database");
    Ok(key)
}

/// Writes a file only its owner can read.
fn write_private(file: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut handle = options
        .open(file)
        .with_context(|| format!("creating {}", file.display()))?;
    handle
        .write_all(contents.as_bytes())
        .with_context(|| format!("writing {}", file.display()))?;
    Ok(())
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Logging to stderr; RUST_LOG, when set, wins over `default_filter`.
pub fn init_logging(format: LogFormat, default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // Colour only for a person at a terminal: files and log collectors get plain text.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
    }
}

//! `commerce-sync keys create --client NAME`: a new API key, printed once. `keys list` and
//! `keys revoke` are operator commands (`ops/keys.rs`).

use crate::settings::DatabaseArgs;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create the client if it does not exist and print a new API key for it (shown once).
    Create {
        /// The client's name, e.g. the commerce platform's.
        #[arg(long)]
        client: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List API keys by their id (the key itself is never stored) and client.
    List {
        /// Only this client's (its id or name).
        #[arg(long)]
        client: Option<String>,
        #[command(flatten)]
        format: crate::ops::Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke an API key: requests with it are refused from then on.
    Revoke {
        /// The key's id as `keys list` prints it (a unique prefix of at least 8 characters).
        key_id: Option<String>,
        /// Read the API key itself from standard input instead.
        #[arg(long, conflicts_with = "key_id")]
        key_stdin: bool,
        #[command(flatten)]
        format: crate::ops::Format,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub async fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create { client, database } => {
            let name = client.trim();
            anyhow::ensure!(!name.is_empty(), "--client must name the client");
            let store = database.open().await?;
            let client = store.ensure_client(name).await?;
            let key = web::auth::generate_key();
            store
                .add_api_key(client.id, &web::auth::hash_key(&key))
                .await?;
            eprintln!(
                "API key for client {name:?} ({}); it is shown once, store it now:",
                client.id
            );
            println!("{key}");
            Ok(())
        }
        KeysCommand::List {
            client,
            format,
            database,
        } => crate::ops::keys::list(&database, client.as_deref(), format).await,
        KeysCommand::Revoke {
            key_id,
            key_stdin,
            format,
            database,
        } => crate::ops::keys::revoke(&database, key_id.as_deref(), key_stdin, format).await,
    }
}

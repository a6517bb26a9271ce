//! `commerce-sync keys create --client NAME`: a new API key, printed once.

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
    }
}

//! `commerce-sync`: the one binary. Each subcommand lives in its own module.

mod bench;
mod demo;
mod keys;
mod metrics_listener;
mod ops;
mod preview;
mod sandbox;
mod serve;
mod settings;

use clap::{Parser, Subcommand};
use settings::DatabaseArgs;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: pushes allocate and free many small JSON
/// values, and glibc's malloc took about a third of the ingest's CPU (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "commerce-sync",
    version,
    about = "Carries merchants' sales into their accounting software"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        global = true,
        env = "COMMERCE_SYNC_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: settings::LogFormat,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service.
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Run only the accounting-platform sandboxes (local Xero and QuickBooks Online).
    Sandbox(sandbox::SandboxArgs),
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Operators: companies (merchants) of every client.
    Companies {
        #[command(subcommand)]
        command: ops::companies::CompaniesCommand,
    },
    /// Operators: syncs of every client; retry a failed one.
    Syncs {
        #[command(subcommand)]
        command: ops::syncs::SyncsCommand,
    },
    /// Operators: a client's support users, who sign in to the Sync Health pages.
    SupportUsers {
        #[command(subcommand)]
        command: ops::support_users::SupportUsersCommand,
    },
    /// Dry run: print, as JSON, the accounting documents the sync would write for some data.
    Preview(preview::PreviewArgs),
    /// Benchmark scenarios, each against a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        scenario: bench::Scenario,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bench runs the server in-process: its INFO line per request would bury the progress
    // and the report, so benches log warnings only unless RUST_LOG asks for more.
    let default_filter = match cli.command {
        Command::Bench { .. } => "warn",
        _ => "info,sqlx=warn",
    };
    settings::init_logging(cli.log_format, default_filter);
    // Pure and offline: no runtime, no database.
    let cli = match cli.command {
        Command::Preview(args) => return preview::run(args),
        command => Cli { command, ..cli },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate { database } => {
                let store = database.open().await?;
                println!("migrations applied ({})", store.backend().as_str());
                Ok(())
            }
            Command::Keys { command } => keys::run(command).await,
            Command::Companies { command } => ops::companies::run(command).await,
            Command::Syncs { command } => ops::syncs::run(command).await,
            Command::SupportUsers { command } => ops::support_users::run(command).await,
            Command::Sandbox(args) => sandbox::run(args).await,
            Command::Preview(_) => unreachable!("answered before the runtime starts"),
            Command::Bench { scenario } => bench::run(scenario).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

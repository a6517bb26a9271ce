//! `commerce-sync serve`: the HTTP service.

use crate::settings::{DatabaseArgs, secret_key};
use anyhow::Context;
use domain::PlatformKey;
use platforms::TokenCipher;
use platforms::authorize::OAuthApp;
use std::io::Write;
use std::sync::Arc;
use store::Store;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "COMMERCE_SYNC_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Base of the links we hand out; defaults to http://LISTEN.
    #[arg(long, env = "COMMERCE_SYNC_PUBLIC_URL")]
    public_url: Option<String>,
    /// 32-byte base64 key sealing connection credentials (generated into the data folder with SQLite).
    #[arg(long, env = "COMMERCE_SYNC_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Creates a client named "bootstrap" holding exactly this API key (for scripts and tests).
    #[arg(long, env = "COMMERCE_SYNC_BOOTSTRAP_API_KEY", hide_env_values = true)]
    bootstrap_api_key: Option<String>,
    /// Also serve the accounting-platform sandboxes under /sandbox, and link merchants' Xero
    /// and QuickBooks connections to them instead of the real platforms.
    #[arg(long)]
    sandbox: bool,
    /// Our Xero OAuth app (from developer.xero.com), for merchants linking Xero.
    #[arg(long, env = "COMMERCE_SYNC_XERO_CLIENT_ID")]
    xero_client_id: Option<String>,
    #[arg(long, env = "COMMERCE_SYNC_XERO_CLIENT_SECRET", hide_env_values = true)]
    xero_client_secret: Option<String>,
    /// Our Intuit OAuth app, for merchants linking QuickBooks Online.
    #[arg(long, env = "COMMERCE_SYNC_QUICKBOOKS_CLIENT_ID")]
    quickbooks_client_id: Option<String>,
    #[arg(
        long,
        env = "COMMERCE_SYNC_QUICKBOOKS_CLIENT_SECRET",
        hide_env_values = true
    )]
    quickbooks_client_secret: Option<String>,
    /// What this process does: the HTTP API, the sync workers (scheduler and job queue), or
    /// both. Any number of `api` and `worker` processes may share one PostgreSQL database.
    #[arg(long, env = "COMMERCE_SYNC_ROLE", value_enum, default_value = "all")]
    role: Role,
    /// Seed a demo merchant on the Xero sandbox with a week of sales (implies --sandbox).
    #[arg(long)]
    demo: bool,
    /// Also serve `/metrics` and `/healthz` on this address (port 0 picks a free one): how a
    /// `--role worker` process, which has no API listener, is scraped.
    #[arg(long, env = "COMMERCE_SYNC_METRICS_LISTEN")]
    metrics_listen: Option<String>,
    #[command(flatten)]
    worker: WorkerArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    All,
    Api,
    Worker,
}

impl Role {
    /// As given on the command line.
    fn name(self) -> &'static str {
        match self {
            Role::All => "all",
            Role::Api => "api",
            Role::Worker => "worker",
        }
    }
}

/// How the workers of this process claim and run jobs.
#[derive(clap::Args)]
pub struct WorkerArgs {
    /// Jobs run at once by this process.
    #[arg(long, env = "COMMERCE_SYNC_WORKER_CONCURRENCY", default_value_t = 4)]
    worker_concurrency: usize,
    /// Seconds a claimed job stays leased without a heartbeat before another worker takes it.
    #[arg(long, env = "COMMERCE_SYNC_LEASE_SECONDS", default_value_t = 60)]
    lease_seconds: u32,
    /// Seconds between scheduler ticks.
    #[arg(long, env = "COMMERCE_SYNC_SCHEDULE_SECONDS", default_value_t = 30)]
    schedule_seconds: u32,
    /// Milliseconds to wait when the queue is empty.
    #[arg(long, env = "COMMERCE_SYNC_POLL_MILLISECONDS", default_value_t = 1000)]
    poll_milliseconds: u64,
}

impl WorkerArgs {
    fn settings(&self) -> engine::WorkerSettings {
        let lease = u64::from(self.lease_seconds.max(1));
        engine::WorkerSettings {
            id: format!(
                "{}-{}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into()),
                std::process::id()
            ),
            concurrency: self.worker_concurrency.max(1),
            lease: jiff::SignedDuration::from_secs(lease as i64),
            heartbeat: std::time::Duration::from_millis(lease * 1000 / 4),
            poll: std::time::Duration::from_millis(self.poll_milliseconds.max(10)),
            schedule_every: std::time::Duration::from_secs(u64::from(self.schedule_seconds.max(1))),
        }
    }
}

impl ServeArgs {
    /// Where the connectors write: the sandboxes, or the real platforms with our apps.
    fn connector_settings(&self, public_url: &str) -> engine::ConnectorSettings {
        if self.sandbox {
            return engine::ConnectorSettings::sandbox(public_url);
        }
        engine::ConnectorSettings {
            outbound: platforms::outbound::Outbound::from_env(),
            xero: self
                .xero_client_id
                .as_ref()
                .zip(self.xero_client_secret.as_ref())
                .map(|(id, secret)| platforms::XeroConfig::new(id, secret)),
            quickbooks: self
                .quickbooks_client_id
                .as_ref()
                .zip(self.quickbooks_client_secret.as_ref())
                .map(|(id, secret)| platforms::QuickBooksConfig::new(id, secret)),
        }
    }

    /// The OAuth apps merchants link through: the sandboxes' with `--sandbox`, else those configured.
    fn oauth_apps(&self, public_url: &str) -> Vec<OAuthApp> {
        if self.sandbox {
            let base = format!("{public_url}/sandbox");
            return [PlatformKey::Xero, PlatformKey::QuickBooksOnline]
                .into_iter()
                .filter_map(|p| OAuthApp::sandbox(p, &base))
                .collect();
        }
        let mut apps = Vec::new();
        if let (Some(id), Some(secret)) = (&self.xero_client_id, &self.xero_client_secret) {
            apps.push(OAuthApp::xero(id, secret));
        }
        if let (Some(id), Some(secret)) =
            (&self.quickbooks_client_id, &self.quickbooks_client_secret)
        {
            apps.push(OAuthApp::quickbooks(id, secret));
        }
        apps
    }
}

pub async fn run(mut args: ServeArgs) -> anyhow::Result<()> {
    args.sandbox |= args.demo;
    let store = args.database.open().await?;
    let key = secret_key(&args.database, args.secret_key.as_deref())?;
    let mut bootstrap_client = None;
    if let Some(api_key) = &args.bootstrap_api_key {
        bootstrap_client = Some(bootstrap(&store, api_key).await?);
    }
    let cipher = Arc::new(TokenCipher::new(&key));
    let clock: Arc<dyn domain::clock::Clock> = Arc::new(domain::clock::SystemClock);
    // Pushes acknowledged by a process that died before storing them (this one, earlier, or
    // another sharing the database) are stored now and checked for every little while.
    engine::Ingest::new(store.clone()).spawn_resumer(clock.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let listener = match args.role {
        Role::Worker => None,
        Role::Api | Role::All => Some(
            tokio::net::TcpListener::bind(&args.listen)
                .await
                .with_context(|| format!("listening on {}", args.listen))?,
        ),
    };
    let address = listener.as_ref().map(|l| l.local_addr()).transpose()?;
    let public_url = args
        .public_url
        .clone()
        .or_else(|| address.map(|a| format!("http://{a}")))
        .unwrap_or_else(|| format!("http://{}", args.listen));
    // User-given URLs reach public addresses only, unless the operator allows private ones;
    // the sandboxes (and so the demo) are on this machine.
    let mut outbound = platforms::outbound::Outbound::from_env();
    outbound.allow_private |= args.sandbox;
    // Workers deliver webhooks too; on PostgreSQL their claims keep each attempt to one process.
    let webhooks = engine::webhooks::WebhookDispatcher::new(
        store.clone(),
        clock.clone(),
        cipher.clone(),
        engine::webhooks::DispatcherSettings {
            outbound,
            ..Default::default()
        },
    )?;
    let start_worker = |quiet: bool| {
        webhooks.clone().spawn();
        let w = Arc::new(workers(&args, &store, &cipher, &clock, &public_url));
        if !quiet {
            println!("commerce-sync worker {} started", w.settings.id);
        }
        tracing::info!(worker = %w.settings.id, "worker started");
        tokio::spawn(w.run(stop_rx.clone()))
    };
    let mut metrics_address = None;
    if let Some(address) = &args.metrics_listen {
        let mut stop = stop_rx.clone();
        let shutdown = async move {
            let _ = stop.changed().await;
        };
        metrics_address = Some(
            crate::metrics_listener::start(address, store.clone(), args.role.name(), shutdown)
                .await?,
        );
    }
    let print_metrics_address = || {
        if let Some(bound) = metrics_address {
            let _ = writeln!(
                std::io::stdout(),
                "commerce-sync metrics on http://{bound}/metrics"
            );
            tracing::info!(%bound, "metrics listener");
        }
    };
    let Some(listener) = listener else {
        // A worker's first line names its metrics address, for scripts that start one.
        print_metrics_address();
        let worker = Some(start_worker(false));
        shutdown_signal().await;
        let _ = stop_tx.send(true);
        if let Some(w) = worker {
            let _ = w.await;
        }
        return Ok(());
    };
    let address = listener.local_addr()?;
    let state = web::AppState::new(store.clone(), TokenCipher::new(&key), &public_url)
        .with_oauth(args.oauth_apps(&public_url))
        .with_connectors(args.connector_settings(&public_url))
        .with_outbound(outbound);
    // Printed on stdout (logs go to stderr) so scripts can find a port chosen with :0.
    println!(
        "commerce-sync listening on http://{address} ({} database)",
        store.backend().as_str()
    );
    // The client id names the client in `/clients/{clientId}/…` paths; after the address line,
    // which scripts read first.
    if let Some(client) = bootstrap_client {
        // A script that read the address and closed our stdout must not stop the service.
        let _ = writeln!(
            std::io::stdout(),
            "bootstrap API key installed for client {client}"
        );
    }
    print_metrics_address();
    tracing::info!(%address, database = store.backend().as_str(), "serving");
    let worker = (args.role == Role::All).then(|| start_worker(true));
    let mut app = web::router(state);
    if args.sandbox {
        app = app.merge(crate::sandbox::router(&public_url));
        tracing::info!(
            "sandboxes at {public_url}/sandbox/xero and {public_url}/sandbox/quickbooks"
        );
    }
    if args.demo {
        let store = store.clone();
        let cipher = cipher.clone();
        let settings = args.connector_settings(&public_url);
        let url = public_url.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::demo::seed(store, cipher, settings, &url, bootstrap_client).await
            {
                eprintln!("the demo could not be seeded: {e:#}");
            }
        });
    }
    let served = web::serve::serve(
        listener,
        app,
        web::serve::ServeSettings::default(),
        shutdown_signal(),
    )
    .await
    .context("serving HTTP");
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = w.await;
    }
    served
}

/// The worker of this process: the scheduler and the job loops.
fn workers(
    args: &ServeArgs,
    store: &Arc<dyn Store>,
    cipher: &Arc<TokenCipher>,
    clock: &Arc<dyn domain::clock::Clock>,
    public_url: &str,
) -> engine::Worker {
    let connectors = Arc::new(engine::Connectors::new(
        store.clone(),
        cipher.clone(),
        args.connector_settings(public_url),
        Arc::new(platforms::SystemTimer),
    ));
    let runner = Arc::new(engine::SyncRunner {
        store: store.clone(),
        connectors,
        clock: clock.clone(),
        events: engine::Events::new(store.clone(), clock.clone()),
    });
    engine::Worker {
        store: store.clone(),
        clock: clock.clone(),
        runner,
        settings: args.worker.settings(),
    }
}

async fn bootstrap(store: &Arc<dyn Store>, api_key: &str) -> anyhow::Result<domain::ClientId> {
    anyhow::ensure!(
        api_key.trim().len() >= 16,
        "COMMERCE_SYNC_BOOTSTRAP_API_KEY must be at least 16 characters"
    );
    let client = store.ensure_client("bootstrap").await?;
    store
        .add_api_key(client.id, &web::auth::hash_key(api_key))
        .await?;
    tracing::info!(client_id = %client.id, "bootstrap API key installed");
    Ok(client.id)
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

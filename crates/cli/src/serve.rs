//! `commerce-sync serve`: the HTTP service.

use crate::settings::{DatabaseArgs, secret_key};
use anyhow::Context;
use domain::PlatformKey;
use platforms::TokenCipher;
use platforms::authorize::OAuthApp;
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
}

impl ServeArgs {
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

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let store = args.database.open().await?;
    let key = secret_key(&args.database, args.secret_key.as_deref())?;
    if let Some(api_key) = &args.bootstrap_api_key {
        bootstrap(&store, api_key).await?;
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    let state = web::AppState::new(store.clone(), TokenCipher::new(&key), &public_url)
        .with_oauth(args.oauth_apps(&public_url));
    // Every serving process delivers webhooks; on PostgreSQL their claims keep them apart.
    engine::webhooks::WebhookDispatcher::new(
        store.clone(),
        Arc::new(domain::clock::SystemClock),
        state.cipher.clone(),
        engine::webhooks::DispatcherSettings::default(),
    )?
    .spawn();
    // Printed on stdout (logs go to stderr) so scripts can find a port chosen with :0.
    println!(
        "commerce-sync listening on http://{address} ({} database)",
        store.backend().as_str()
    );
    tracing::info!(%address, database = store.backend().as_str(), "serving");
    let mut app = web::router(state);
    if args.sandbox {
        app = app.merge(crate::sandbox::router(&public_url));
        tracing::info!(
            "sandboxes at {public_url}/sandbox/xero and {public_url}/sandbox/quickbooks"
        );
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")
}

async fn bootstrap(store: &Arc<dyn Store>, api_key: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        api_key.trim().len() >= 16,
        "COMMERCE_SYNC_BOOTSTRAP_API_KEY must be at least 16 characters"
    );
    let client = store.ensure_client("bootstrap").await?;
    store
        .add_api_key(client.id, &web::auth::hash_key(api_key))
        .await?;
    tracing::info!(client_id = %client.id, "bootstrap API key installed");
    Ok(())
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

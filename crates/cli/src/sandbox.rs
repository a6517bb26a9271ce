//! `commerce-sync sandbox`: only the local Xero and QuickBooks Online stand-ins, under `/sandbox`.

use anyhow::Context;

#[derive(clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: String,
    /// Base of the links the sandboxes hand out; defaults to http://LISTEN.
    #[arg(long)]
    public_url: Option<String>,
}

/// The sandboxes' router, nested under `/sandbox` as CONTRACT.md places them.
pub fn router(public_url: &str) -> axum::Router {
    let state = sandbox::SandboxState::new(sandbox::SandboxOptions::new(format!(
        "{}/sandbox",
        public_url.trim_end_matches('/')
    )));
    axum::Router::new().nest("/sandbox", sandbox::router(state))
}

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    let public_url = args
        .public_url
        .unwrap_or_else(|| format!("http://{address}"));
    println!("commerce-sync sandboxes listening on http://{address}/sandbox (xero, quickbooks)");
    axum::serve(listener, router(&public_url))
        .with_graceful_shutdown(crate::serve::shutdown_signal())
        .await
        .context("serving the sandboxes")
}

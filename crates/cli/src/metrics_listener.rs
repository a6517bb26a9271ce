//! A worker's own small HTTP listener (`--metrics-listen`): `/metrics` for Prometheus and
//! `/healthz` for the orchestrator. A `--role worker` process serves no API, yet its platform
//! calls, 429s and finished syncs are counted in its memory: only it can report them.

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use std::sync::Arc;
use store::Store;

/// Binds `address` and serves until `shutdown` completes; the address bound (port 0 picks one).
/// `/healthz` names the process's `role` (`worker`, `api`, `all`).
pub async fn start(
    address: &str,
    store: Arc<dyn Store>,
    role: &'static str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("listening for metrics on {address}"))?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state((store, role));
    tokio::spawn(async move {
        let served = web::serve::serve(
            listener,
            app,
            web::serve::ServeSettings::default(),
            shutdown,
        )
        .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(bound)
}

async fn metrics(State((store, _)): State<(Arc<dyn Store>, &'static str)>) -> Response {
    let now = domain::clock::Clock::now(&domain::clock::SystemClock);
    web::routes::metrics::respond(store.as_ref(), now).await
}

async fn healthz(State((store, role)): State<(Arc<dyn Store>, &'static str)>) -> Response {
    axum::Json(json!({
        "status": "ok",
        "role": role,
        "database": store.backend().as_str(),
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

//! `GET /metrics`: Prometheus' text format, unauthenticated like `/healthz` so a scraper needs
//! no client key. It holds counts only, never a client's or merchant's data; operators who
//! expose the API publicly keep `/metrics` to their network at the proxy (docs/running.md).

use crate::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use store::Store;

/// The content type of the text format Prometheus scrapes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub async fn metrics(State(state): State<AppState>) -> Response {
    respond(state.store.as_ref(), state.clock.now()).await
}

/// The page, or 503 when the database does not answer; shared with the workers' listener.
pub async fn respond(store: &dyn Store, now: Timestamp) -> Response {
    match engine::metrics::render(store, now).await {
        Ok(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        Err(e) => {
            // The scrape fails visibly; the reason stays in our log.
            tracing::warn!(error = %e, "metrics: the database did not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database did not answer; see the service's log\n",
            )
                .into_response()
        }
    }
}

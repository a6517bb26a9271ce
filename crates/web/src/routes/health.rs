//! `/healthz` for load balancers and `/openapi.json` for client generators.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// Liveness and the database this process uses.
pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    Json(
        json!({"status": "ok", "database": state.store.backend().as_str(), "version": env!("CARGO_PKG_VERSION")}),
    )
}

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}

//! `/healthz` (alive) and `/readyz` (the database answers, its schema current) for load
//! balancers and orchestrators, and `/openapi.json` for client generators.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Liveness and the database this process uses.
pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    Json(
        json!({"status": "ok", "database": state.store.backend().as_str(), "version": env!("CARGO_PKG_VERSION")}),
    )
}

/// Ready to serve: the database answers and every migration this build carries is applied.
/// `503` otherwise, saying which.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = state.store.backend().as_str();
    match state.store.readiness().await {
        Ok(r) if r.is_current() => (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": database, "migration": r.applied})),
        ),
        Ok(r) => {
            tracing::warn!(
                applied = r.applied,
                expected = r.expected,
                "not ready: migrations not current"
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "migrations_pending", "database": database,
                    "migration": r.applied, "expected": r.expected})),
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "database_unavailable", "database": database})),
            )
        }
    }
}

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}

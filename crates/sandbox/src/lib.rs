//! Local stand-ins for Xero and QuickBooks Online: OAuth consent page, token endpoint and the
//! endpoints our connectors call, enforcing the platforms' documented validation rules, rate
//! limits and error shapes, with switchable faults. Used by tests, the demo and benchmarks,
//! never by production code paths.

mod clock;
mod control;
mod faults;
mod limits;
mod money;
mod oauth;
mod pipeline;
mod quickbooks;
mod state;
mod tenant;
mod xero;

pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::FaultSettings;
pub use state::{OAuthClient, PlatformKind, SandboxOptions, SandboxState};

/// The sandboxes' routes, relative: `/xero/...` and `/quickbooks/...` (nest under `/sandbox`).
pub fn router(state: SandboxState) -> axum::Router {
    axum::Router::new()
        .nest("/xero", xero::routes())
        .nest("/quickbooks", quickbooks::routes())
        .with_state(state)
}

/// Serves the sandboxes alone on `listener` (at its root) until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: SandboxState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

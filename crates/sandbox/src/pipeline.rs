//! The path every API call takes, in the platforms' order: bearer token, tenant, rate limits,
//! injected faults, then the operation on the tenant's books under its lock, with the
//! idempotency memory consulted and updated in the same critical section so a write is
//! committed whole or not at all.

use crate::faults::Fault;
use crate::limits::{Limited, Remaining};
use crate::oauth::TokenProblem;
use crate::state::{PlatformKind, SandboxState};
use crate::tenant::{Tenant, TenantCell, lock};
use jiff::Timestamp;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// One problem with one submitted element. `code` is QuickBooks' error code (Xero ignores it).
#[derive(Debug, Clone)]
pub struct Issue {
    pub code: &'static str,
    pub message: String,
}

impl Issue {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Why a call failed; each platform renders it in its own shape.
#[derive(Debug, Clone)]
pub enum ApiError {
    Token(TokenProblem),
    /// The token does not reach this tenant, or the tenant does not exist.
    Forbidden,
    MissingTenant,
    Limited(Limited),
    ServerError,
    GatewayTimeout,
    NotFound(String),
    /// Unreadable body or query.
    BadRequest(String),
    /// Rejected elements, each echoed back with its problems.
    Validation(Vec<(Value, Vec<Issue>)>),
}

/// The outcome of a call plus what the limiter said (for the remaining-calls headers).
pub struct Answer {
    pub result: Result<Value, ApiError>,
    pub remaining: Option<Remaining>,
}

/// Who is calling, on which tenant, with which idempotency key (already scoped by operation).
pub struct Call<'a> {
    pub kind: PlatformKind,
    pub token: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub idempotency_key: Option<String>,
}

struct InFlight(Arc<TenantCell>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn fail(e: ApiError) -> Answer {
    Answer {
        result: Err(e),
        remaining: None,
    }
}

/// Runs `op` on the tenant's books if the call gets through; see the module comment.
pub async fn run<F>(s: &SandboxState, call: Call<'_>, op: F) -> Answer
where
    F: FnOnce(&mut Tenant, Timestamp) -> Result<Value, ApiError>,
{
    let platform = s.platform(call.kind);
    let now = s.now();
    let grant_tenants = match lock(&platform.auth).check(call.token, now) {
        Ok(g) => g.tenants.clone(),
        Err(p) => return fail(ApiError::Token(p)),
    };
    let Some(tenant_id) = call.tenant else {
        return fail(ApiError::MissingTenant);
    };
    let cell = match platform.tenant(tenant_id) {
        Some(c) if grant_tenants.iter().any(|t| t == tenant_id) => c,
        _ => return fail(ApiError::Forbidden),
    };
    let limits = call.kind.limits();
    if cell.in_flight.fetch_add(1, Ordering::SeqCst) >= limits.concurrent {
        cell.in_flight.fetch_sub(1, Ordering::SeqCst);
        return fail(ApiError::Limited(Limited::Concurrent));
    }
    let _slot = InFlight(cell.clone());
    let remaining = match lock(&cell.limiter).admit(now, limits) {
        Ok(r) => r,
        Err(l) => return fail(ApiError::Limited(l)),
    };
    let (fault, latency, hold) = {
        let mut own = lock(&cell.faults);
        let mut shared = lock(&platform.faults);
        match own.as_mut().or(shared.as_mut()) {
            Some(f) => (f.draw(), f.settings.latency_ms, f.settings.timeout()),
            None => (Fault::None, 0, std::time::Duration::ZERO),
        }
    };
    platform.injected.record(fault);
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let answer = |result| Answer {
        result,
        remaining: Some(remaining),
    };
    match fault {
        Fault::TooManyRequests => {
            return answer(Err(ApiError::Limited(Limited::Minute { retry_after: 1 })));
        }
        Fault::ServerErrorBeforeCommit => return answer(Err(ApiError::ServerError)),
        Fault::TimeoutBeforeCommit => {
            // A client that gives up drops this future here: nothing was written.
            tokio::time::sleep(hold).await;
            return answer(Err(ApiError::GatewayTimeout));
        }
        _ => {}
    }
    let result = {
        let mut books = lock(&cell.books);
        let replay = call
            .idempotency_key
            .as_deref()
            .and_then(|k| books.reply_for(k).cloned());
        match replay {
            Some(v) => Ok(v),
            None => {
                let r = op(&mut books, now);
                if let (Some(k), Ok(v)) = (call.idempotency_key, &r) {
                    books.remember_reply(k, v.clone());
                }
                r
            }
        }
    };
    match fault {
        Fault::ServerErrorAfterCommit => answer(Err(ApiError::ServerError)),
        Fault::TimeoutAfterCommit => {
            tokio::time::sleep(hold).await;
            answer(result)
        }
        _ => answer(result),
    }
}

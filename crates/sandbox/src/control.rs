//! `_control` endpoints (CONTRACT.md, "Sandboxes"): create a seeded tenant with tokens, read a
//! tenant's books back, set faults. Plus one extension: `PATCH _control/tenants/{id}` with
//! `{"lockDate": "YYYY-MM-DD" | null}` to close a period. No authentication: sandbox only.

use crate::faults::{FaultSettings, Faults};
use crate::oauth::Tokens;
use crate::state::{PlatformKind, SandboxState};
use crate::tenant::{TenantCell, lock};
use crate::{quickbooks, xero};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct NewTenant {
    name: Option<String>,
    country: Option<String>,
}

/// What a control-made grant may do: everything, offline included.
fn full_scope(kind: PlatformKind) -> &'static str {
    match kind {
        PlatformKind::Xero => {
            "openid profile email accounting.transactions accounting.settings accounting.contacts offline_access"
        }
        PlatformKind::QuickBooks => "com.intuit.quickbooks.accounting openid",
    }
}

/// Creates a seeded tenant and a grant reaching it; returns its id and tokens.
pub fn new_tenant(
    s: &SandboxState,
    kind: PlatformKind,
    name: Option<String>,
    country: Option<String>,
) -> (String, Tokens) {
    let tenant = match kind {
        PlatformKind::Xero => xero::seed::tenant(name, country, s.now()),
        PlatformKind::QuickBooks => quickbooks::seed::tenant(name, country, s.now()),
    };
    let id = tenant.id.clone();
    let platform = s.platform(kind);
    platform.add_tenant(id.clone(), TenantCell::new(tenant));
    let now = s.now();
    let mut auth = lock(&platform.auth);
    let grant = auth.new_grant(vec![id.clone()], full_scope(kind), now);
    let tokens = auth.issue(&grant, kind, now);
    (id, tokens)
}

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// An optional JSON body: empty means all defaults.
fn parse_body<T: for<'de> Deserialize<'de> + Default>(body: &Bytes) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

async fn create(s: SandboxState, kind: PlatformKind, body: Bytes) -> Response {
    let req: NewTenant = match parse_body(&body) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e),
    };
    if let Some(c) = &req.country
        && c != "GB"
        && c != "US"
    {
        return problem(StatusCode::BAD_REQUEST, "country must be GB or US");
    }
    let (id, t) = new_tenant(&s, kind, req.name, req.country);
    let id_field = match kind {
        PlatformKind::Xero => "tenantId",
        PlatformKind::QuickBooks => "realmId",
    };
    let mut out = serde_json::Map::new();
    out.insert(id_field.into(), json!(id));
    out.insert("accessToken".into(), json!(t.access_token));
    out.insert("refreshToken".into(), json!(t.refresh_token));
    out.insert("expiresAt".into(), json!(t.expires_at.to_string()));
    (StatusCode::CREATED, Json(Value::Object(out))).into_response()
}

async fn books(s: SandboxState, kind: PlatformKind, id: String) -> Response {
    match s.platform(kind).tenant(&id) {
        Some(cell) => Json(lock(&cell.books).books()).into_response(),
        None => problem(StatusCode::NOT_FOUND, "no such tenant"),
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TenantPatch {
    #[serde(default)]
    lock_date: Option<String>,
}

async fn patch(s: SandboxState, kind: PlatformKind, id: String, body: Bytes) -> Response {
    let req: TenantPatch = match parse_body(&body) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e),
    };
    let Some(cell) = s.platform(kind).tenant(&id) else {
        return problem(StatusCode::NOT_FOUND, "no such tenant");
    };
    let date = match req
        .lock_date
        .as_deref()
        .map(str::parse::<jiff::civil::Date>)
    {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return problem(StatusCode::BAD_REQUEST, "lockDate must be YYYY-MM-DD"),
    };
    lock(&cell.books).lock_date = date;
    Json(json!({"lockDate": date.map(|d| d.to_string())})).into_response()
}

async fn faults(s: SandboxState, kind: PlatformKind, body: Bytes) -> Response {
    let settings: FaultSettings = match parse_body(&body) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e),
    };
    if let Err(e) = settings.check() {
        return problem(StatusCode::BAD_REQUEST, e);
    }
    let platform = s.platform(kind);
    if settings.expire_tokens {
        lock(&platform.auth).expire_all(settings.tenant_id.as_deref(), s.now());
    }
    let mut stored = settings.clone();
    stored.expire_tokens = false;
    let faults = Faults::new(stored, s.inner.seed);
    match &settings.tenant_id {
        Some(id) => match platform.tenant(id) {
            Some(cell) => *lock(&cell.faults) = Some(faults),
            None => return problem(StatusCode::NOT_FOUND, "no such tenant"),
        },
        None => *lock(&platform.faults) = Some(faults),
    }
    Json(settings).into_response()
}

/// The `_control` routes of one platform, with the books' HTML pages.
pub fn routes(kind: PlatformKind) -> axum::Router<SandboxState> {
    crate::pages::routes(kind)
        .route(
            "/_control/tenants",
            post(move |State(s): State<SandboxState>, b: Bytes| create(s, kind, b)),
        )
        .route(
            "/_control/tenants/{id}",
            axum::routing::patch(
                move |State(s): State<SandboxState>, Path(id): Path<String>, b: Bytes| {
                    patch(s, kind, id, b)
                },
            ),
        )
        .route(
            "/_control/tenants/{id}/books",
            get(move |State(s): State<SandboxState>, Path(id): Path<String>| books(s, kind, id)),
        )
        .route(
            "/_control/faults",
            post(move |State(s): State<SandboxState>, b: Bytes| faults(s, kind, b)).get(
                move |State(s): State<SandboxState>| async move {
                    Json(json!({"injected": s.platform(kind).injected.snapshot()}))
                },
            ),
        )
}

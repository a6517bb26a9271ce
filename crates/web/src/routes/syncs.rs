//! Syncs through the API (Codat's names): start one now (`latest`), for a range (`historic`,
//! refused with 5080 when it overlaps a running or successful sync), read their status, and
//! retry a sync's failed push items (beyond Codat).

use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody};
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::paging::PageQuery;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::{ClientId, CompanyId};
use engine::{RequestError, Requests};
use jiff::Timestamp;
use serde_json::{Value, json};
use store::SyncRun;
use uuid::Uuid;

/// The company, if it is the client's.
pub(crate) async fn owned(
    state: &AppState,
    client: ClientId,
    raw: &str,
) -> Result<CompanyId, ApiError> {
    let company = company_id(raw)?;
    state
        .store
        .company(client, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    Ok(company)
}

fn requests(state: &AppState) -> Requests {
    Requests {
        store: state.store.clone(),
        clock: state.clock.clone(),
    }
}

fn request_error(e: RequestError) -> ApiError {
    match e {
        RequestError::BadRange { field, message } => {
            ApiError::invalid(vec![ValidationItem::at(field, message)])
        }
        RequestError::NotConfigured(message) => {
            ApiError::new(StatusCode::CONFLICT, "not_configured", message)
        }
        RequestError::Store(e) => e.into(),
    }
}

/// A date-time field; a bare date means its midnight UTC.
fn instant(fields: &mut Fields, name: &str, required: bool) -> Option<Timestamp> {
    let text = if required {
        fields.required_string(name)?
    } else {
        fields.optional_string(name).flatten()?
    };
    let parsed = text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .or_else(|| {
                text.parse::<jiff::civil::Date>()
                    .ok()
                    .map(|d| d.at(0, 0, 0, 0))
            })
            .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    });
    if parsed.is_none() {
        fields.error(
            name,
            format!(
                "{name} must be an ISO 8601 date-time such as 2024-05-01T00:00:00Z, found {text:?}"
            ),
        );
    }
    // Refused here, with the field's name, before any schedule arithmetic sees it.
    if let Some(Err(e)) = parsed.map(domain::period::check_instant) {
        fields.error(name, format!("{name}: {e}"));
        return None;
    }
    parsed
}

/// Start a sync from the last successful one up to `syncTo` (default: now).
#[utoipa::path(post, path = "/companies/{companyId}/sync/commerce/latest", tag = "Sync",
    operation_id = "request-sync", params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{syncTo?}`"),
    responses((status = 200, description = "SyncSummary", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn latest(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let company = owned(&state, client.id, &company).await?;
    // The body is optional: none, `null` or `{}` all mean "up to now".
    let raw: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::invalid(vec![ValidationItem::at(
                "",
                format!("the body is not JSON: {e}"),
            )])
        })?
    };
    let raw = if raw.is_null() { json!({}) } else { raw };
    let mut fields = Fields::of(&raw, "");
    let sync_to = instant(&mut fields, "syncTo", false);
    fields.finish()?;
    let config = state.store.config(client.id, company).await?;
    let sync = requests(&state)
        .latest(company, config.as_ref().map(|c| &c.document), sync_to)
        .await
        .map_err(request_error)?;
    Ok(Json(engine::sync_status::to_json(&sync)))
}

/// Start a sync of a date range.
#[utoipa::path(post, path = "/meta/companies/{companyId}/sync/commerce/historic", tag = "Sync",
    operation_id = "request-sync-for-date-range", params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{dateRange: {start, finish}}`"),
    responses((status = 200, description = "SyncSummary (5080 when the range overlaps another sync)", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn historic(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let company = owned(&state, client.id, &company).await?;
    let range = raw.get("dateRange").cloned().unwrap_or(Value::Null);
    if !range.is_object() {
        return Err(ApiError::invalid(vec![ValidationItem::at(
            "/dateRange",
            "dateRange is required: {\"start\": …, \"finish\": …}",
        )]));
    }
    let mut fields = Fields::of(&range, "/dateRange");
    let start = instant(&mut fields, "start", true);
    let finish = instant(&mut fields, "finish", true);
    fields.finish()?;
    let (Some(start), Some(finish)) = (start, finish) else {
        return Err(ApiError::invalid(vec![ValidationItem::at(
            "/dateRange",
            "incomplete range",
        )]));
    };
    let sync = requests(&state)
        .historic(company, start, finish)
        .await
        .map_err(request_error)?;
    Ok(Json(engine::sync_status::to_json(&sync)))
}

/// The latest sync with the company's connections and where its schedule stands.
#[utoipa::path(get, path = "/meta/companies/{companyId}/sync/commerce/status", tag = "Sync",
    operation_id = "get-sync-status", params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, description = "SyncStatus, plus `schedule`", body = Object),
        (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let company = owned(&state, client.id, &company).await?;
    let (latest, last_success) = state.store.latest_syncs(company).await?;
    let schedule = state.store.schedule_state(company).await?;
    let connections = state
        .store
        .list_connections(client.id, company)
        .await?
        .unwrap_or_default();
    let mut body = match &latest {
        Some(s) => engine::sync_status::to_json(s),
        None => {
            json!({ "companyId": company.to_string(), "syncStatus": "NotStarted", "dataPushed": false })
        }
    };
    body["dataConnections"] = serde_json::to_value(
        connections
            .iter()
            .map(|c| {
                crate::wire::connection::ConnectionBody::new(
                    c.clone(),
                    crate::link_grant::link_url(&state, c, state.clock.now()),
                )
            })
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    body["schedule"] = json!({
        "enabled": schedule.disabled_at.is_none(),
        "disabledUtc": schedule.disabled_at.map(|t| t.to_string()),
        "disabledReason": schedule.disabled_reason,
        "consecutiveFailures": schedule.consecutive_failures,
        "syncedUpToUtc": schedule.last_success_end.map(|t| t.to_string()),
        "lastSuccessfulSyncId": last_success.map(|s| s.id.to_string()),
    });
    Ok(Json(body))
}

async fn one(
    state: &AppState,
    client: ClientId,
    company: &str,
    which: &str,
) -> Result<SyncRun, ApiError> {
    let company = owned(state, client, company).await?;
    let not_found = |what: &str| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "sync_not_found",
            format!("{what} for company {company}"),
        )
    };
    match which {
        "latest" => state
            .store
            .latest_syncs(company)
            .await?
            .0
            .ok_or_else(|| not_found("No sync yet")),
        "lastSuccessful" => state
            .store
            .latest_syncs(company)
            .await?
            .1
            .ok_or_else(|| not_found("No successful sync yet")),
        id => {
            let id: Uuid = id.parse().map_err(|_| {
                ApiError::invalid(vec![ValidationItem::parameter(
                    "syncId",
                    format!("syncId must be a UUID, latest or lastSuccessful, found {id:?}"),
                )])
            })?;
            state
                .store
                .sync_run(company, id)
                .await?
                .ok_or_else(|| not_found(&format!("No sync {id}")))
        }
    }
}

/// `syncs/latest/status`, `syncs/lastSuccessful/status` and `syncs/{syncId}/status`.
#[utoipa::path(get, path = "/companies/{companyId}/sync/commerce/syncs/{syncId}/status", tag = "Sync",
    operation_id = "get-sync-by-id",
    params(("companyId" = String, Path, format = Uuid), ("syncId" = String, Path, description = "a sync id, `latest` or `lastSuccessful`")),
    responses((status = 200, description = "CompanySyncStatus", body = Object), (status = 404, body = ErrorBody)))]
pub async fn sync_status(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, which)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let sync = one(&state, client.id, &company, &which).await?;
    Ok(Json(engine::sync_status::to_json(&sync)))
}

/// Every sync of the company, newest first.
#[utoipa::path(get, path = "/companies/{companyId}/sync/commerce/syncs/list/status", tag = "Sync",
    operation_id = "list-syncs", params(("companyId" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, description = "CompanySyncStatus[]", body = Object), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let page = query.parse()?;
    let company = owned(&state, client.id, &company).await?;
    let offset = u64::from(page.page - 1) * u64::from(page.page_size);
    let syncs = state
        .store
        .syncs(company, offset, u64::from(page.page_size))
        .await?;
    Ok(Json(Value::Array(
        syncs.iter().map(engine::sync_status::to_json).collect(),
    )))
}

/// Write a sync's failed push items again (what succeeded is never written twice).
#[utoipa::path(post, path = "/companies/{companyId}/sync/commerce/syncs/{syncId}/retry", tag = "Sync",
    operation_id = "retry-sync",
    params(("companyId" = String, Path, format = Uuid), ("syncId" = String, Path, format = Uuid)),
    responses((status = 202, description = "CompanySyncStatus; the retry is queued", body = Object),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, which)): Path<(String, String)>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let sync = one(&state, client.id, &company, &which).await?;
    retry_sync(&state, &sync).await
}

pub(crate) async fn retry_sync(
    state: &AppState,
    sync: &SyncRun,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if sync.outcome.status_code == engine::status::DUPLICATION_PROTECTION {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "sync_refused",
            "This sync was refused (5080) and wrote nothing: request a range that does not overlap",
        ));
    }
    if sync.completed.is_none() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "sync_running",
            "This sync is still running: retry its failed items once it has finished",
        ));
    }
    requests(state).retry(sync).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(engine::sync_status::to_json(sync)),
    ))
}

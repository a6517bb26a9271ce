//! `GET/POST /config/companies/{companyId}/sync/commerce`: the configuration document.
//!
//! GET answers the current shape: options built fresh from the company's reference data, with
//! the stored selections merged in. POST accepts any of the three historical shapes (`enabled`
//! or `enable`, `syncHourUtc` or `syncHour`), merges its selections into the options, checks
//! every rule (the document's own, the change rules, the connections rule) and answers 400
//! listing each failure with its pointer and the rule's stable code as `validatorName`.
//! A valid document is stored with `configured: true`, over the version it was merged with
//! (a concurrent write answers 409; so does an `If-Match` naming another version), and
//! answered with its version as `ETag`.
//!
//! Options come from the company's books (see `books`): with none read yet both methods answer
//! 409 saying why (Codat's 409 is "dataset not requested or still syncing") and what to do.
//! Beyond the document's own rules, a POST is checked against the books it will post to
//! (`check_books_fit`): what the platform would refuse later is refused now, by field.

use super::books::{books_of, offered};
use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::config::{
    ConfigDocument, ConfigError, apply_selections, check_books_fit, parse_document,
    to_current_json, validate, validate_change, validate_connections,
};
use domain::{ClientId, CompanyId};
use serde_json::Value;
use store::StoredConfig;

fn answer(document: &ConfigDocument, version: Option<u64>) -> Response {
    let mut response = Json(to_current_json(document)).into_response();
    if let Some(tag) = version.and_then(|v| HeaderValue::from_str(&format!("\"{v}\"")).ok()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// A configuration problem as a validation item: its pointer, and its code as validatorName.
pub fn item(e: ConfigError) -> ValidationItem {
    ValidationItem {
        item_id: None,
        pointer: Some(e.pointer),
        message: e.message,
        validator_name: e.code.to_owned(),
    }
}

/// Get the company's configuration: every option, and the choices made so far.
#[utoipa::path(get, path = "/config/companies/{companyId}/sync/commerce", tag = "Configuration",
    operation_id = "get-configuration",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, description = "The configuration document, current shape; `ETag` is its version", body = Object),
        (status = 404, body = ErrorBody), (status = 409, description = "The books are not read yet: being read (`Retry-After`), the read failed, or no platform is linked", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Response, ApiError> {
    let company = company_id(&company)?;
    let books = books_of(&state, client.id, company).await?;
    let stored = state.store.config(client.id, company).await?;
    let document = offered(&state, client.id, company, &books, stored.as_ref()).await?;
    Ok(answer(&document, stored.map(|s| s.version)))
}

/// Set the company's configuration. Any of the three historical shapes; only selections are
/// read (options, labels and `configured` are ours). Every rule is checked; a valid document
/// is stored with `configured: true`.
#[utoipa::path(post, path = "/config/companies/{companyId}/sync/commerce", tag = "Configuration",
    operation_id = "set-configuration",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "A configuration document: beta, interim flat or current shape"),
    responses((status = 200, description = "The stored document, current shape; `ETag` is its version", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The books are not read yet, or the configuration was written meanwhile", body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    headers: HeaderMap,
    JsonBody(raw): JsonBody,
) -> Result<Response, ApiError> {
    let company = company_id(&company)?;
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
    let saved = save(&state, client.id, company, &raw, if_match).await?;
    Ok(answer(&saved.document, Some(saved.version)))
}

/// A posted document merged into the options offered now, with every rule's verdict: what
/// both the API and the Sync Flow pages check before anything is stored.
pub struct Checked {
    pub document: ConfigDocument,
    /// Empty when the document may be stored.
    pub errors: Vec<ConfigError>,
    /// The version the document was merged with.
    pub version: Option<u64>,
}

/// Checks `raw` (any of the three shapes) against the company's books without storing it.
pub async fn check(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    raw: &Value,
) -> Result<Checked, ApiError> {
    let books = books_of(state, client, company).await?;
    let posted = parse_document(raw)
        .map_err(|errors| ApiError::invalid(errors.into_iter().map(item).collect()))?;
    let stored = state.store.config(client, company).await?;
    let document = apply_selections(
        &offered(state, client, company, &books, stored.as_ref()).await?,
        &posted.document,
    );
    let mut errors = check_books_fit(
        &document,
        &books.reference,
        books.platform,
        validate(&document),
    );
    errors.extend(validate_change(
        stored.as_ref().map(|s| &s.document),
        &document,
        jiff::Timestamp::now(),
    ));
    let connections = state
        .store
        .list_connections(client, company)
        .await?
        .unwrap_or_default();
    errors.extend(validate_connections(&connections));
    Ok(Checked {
        document,
        errors,
        version: stored.map(|s| s.version),
    })
}

/// Checks `raw` and stores it when every rule passes (400 naming each failure otherwise).
/// `if_match`, when given, must name the current version (or be `*`).
pub async fn save(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    raw: &Value,
    if_match: Option<&str>,
) -> Result<StoredConfig, ApiError> {
    let Checked {
        mut document,
        errors,
        version,
    } = check(state, client, company, raw).await?;
    if let Some(expected) = if_match {
        let current = version.map_or_else(String::new, |v| format!("\"{v}\""));
        if expected != "*" && expected != current {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "If-Match {expected} does not name the current version ({}): read the configuration again",
                    if current.is_empty() { "none" } else { &current }
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors.into_iter().map(item).collect()));
    }
    document.mark_configured();
    let saved = state
        .store
        .put_config(client, company, document, version)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    tracing::info!(company_id = %company, version = saved.version, "configuration saved");
    Ok(saved)
}

/// Switches the company's sync on or off: its stored configuration saved again with `enable`
/// set, through [`save`] (every rule checked). `None` when it has no configuration yet. A
/// newer version is also what lets the scheduler restart a sync that stopped itself.
pub async fn set_enabled(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    enabled: bool,
) -> Result<Option<StoredConfig>, ApiError> {
    let Some(stored) = state.store.config(client, company).await? else {
        return Ok(None);
    };
    let mut document = to_current_json(&stored.document);
    document["enable"] = Value::Bool(enabled);
    save(state, client, company, &document, None)
        .await
        .map(Some)
}

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
//! Decision: with no reference data held for the company yet there are no options to offer or
//! validate against, so both methods answer 409 `reference_data_missing` (Codat's 409 is
//! "dataset not requested or still syncing"); store it with `PUT /companies/{id}/reference-data`.

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
    ConfigDocument, ConfigError, ConfigOption, OfferSpec, apply_selections, offer, parse_document,
    to_current_json, validate, validate_change, validate_connections,
};
use domain::reference_data::ReferenceData;
use domain::{ClientId, CompanyId};
use store::StoredConfig;

/// The company's reference data, or 404 (unknown company) / 409 (none held yet).
pub async fn reference_of(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
) -> Result<ReferenceData, ApiError> {
    state
        .store
        .company(client, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let stored = state.store.reference_data(client, company).await?;
    stored.map(|s| s.data).ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "reference_data_missing",
            format!(
                "No accounting reference data (accounts, tax rates, customers, suppliers) is held for company {company} yet, so there are no options to choose from; store it with PUT /companies/{company}/reference-data"
            ),
        )
    })
}

/// The options offered from `reference` and the pushed tax components, with `stored`'s
/// selections carried over.
fn offered(
    company: CompanyId,
    reference: &ReferenceData,
    components: Vec<ConfigOption>,
    stored: Option<&StoredConfig>,
) -> ConfigDocument {
    let spec = OfferSpec {
        company_id: Some(company),
        commerce_tax_components: components,
        ..OfferSpec::default()
    };
    offer(reference, &spec, stored.map(|s| &s.document))
}

/// The commerce tax components the client pushed (`PUT …/data/commerce-taxComponents`), live ones.
async fn tax_components(
    state: &AppState,
    company: CompanyId,
) -> Result<Vec<ConfigOption>, ApiError> {
    let kind = domain::commerce::DatasetKind::TaxComponents;
    let rows = state
        .store
        .records_written_since(company, kind, jiff::Timestamp::MIN, jiff::Timestamp::MAX)
        .await?;
    Ok(rows
        .iter()
        .filter(|r| !r.deleted)
        .filter_map(|r| serde_json::from_str::<serde_json::Value>(&r.canonical_json).ok())
        .map(|body| ConfigOption {
            id: body["id"].as_str().unwrap_or_default().to_owned(),
            name: body["name"].as_str().map(str::to_owned),
        })
        .filter(|o| !o.id.is_empty())
        .collect())
}

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
        (status = 404, body = ErrorBody), (status = 409, description = "No reference data held yet", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Response, ApiError> {
    let company = company_id(&company)?;
    let reference = reference_of(&state, client.id, company).await?;
    let stored = state.store.config(client.id, company).await?;
    let components = tax_components(&state, company).await?;
    let document = offered(company, &reference, components, stored.as_ref());
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
        (status = 409, description = "No reference data held yet, or written meanwhile", body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    headers: HeaderMap,
    JsonBody(raw): JsonBody,
) -> Result<Response, ApiError> {
    let company = company_id(&company)?;
    let reference = reference_of(&state, client.id, company).await?;
    let posted = parse_document(&raw)
        .map_err(|errors| ApiError::invalid(errors.into_iter().map(item).collect()))?;
    let stored = state.store.config(client.id, company).await?;
    let version = stored.as_ref().map(|s| s.version);
    if let Some(expected) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
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
    let components = tax_components(&state, company).await?;
    let mut document = apply_selections(
        &offered(company, &reference, components, stored.as_ref()),
        &posted.document,
    );
    let mut errors = validate(&document);
    errors.extend(validate_change(
        stored.as_ref().map(|s| &s.document),
        &document,
        jiff::Timestamp::now(),
    ));
    let connections = state
        .store
        .list_connections(client.id, company)
        .await?
        .unwrap_or_default();
    errors.extend(validate_connections(&connections));
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors.into_iter().map(item).collect()));
    }
    document.mark_configured();
    let saved = state
        .store
        .put_config(client.id, company, document, version)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    tracing::info!(company_id = %company, version = saved.version, shape = ?posted.shape, "configuration saved");
    Ok(answer(&saved.document, Some(saved.version)))
}

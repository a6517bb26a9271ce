//! `PUT/GET /companies/{companyId}/reference-data` (beyond Codat): the accounting platform's
//! reference data held for a company, which the configuration's options are built from.
//!
//! A linked Xero, QuickBooks or hledger connection has it read by the service (see
//! `engine::reference_read` and `GET /companies/{id}/dataStatus`); this endpoint stays only
//! for a source we cannot connect to. The body is the snapshot, replaced whole:
//! `{company{name, baseCurrency, country?}, accounts[], taxRates[], customers[], suppliers[]}`
//! (see `docs/configuration.md`); every bad part is named by pointer.

use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::reference_data::{ReferenceData, parse_reference_data};

/// Store the company's reference data (replacing what was held).
#[utoipa::path(put, path = "/companies/{companyId}/reference-data", tag = "Configuration",
    operation_id = "put-reference-data",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{company{name, baseCurrency, country?}, accounts[], taxRates[], customers[], suppliers[]}`"),
    responses((status = 200, description = "The stored reference data", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<ReferenceData>, ApiError> {
    let company = company_id(&company)?;
    let data = parse_reference_data(&raw).map_err(|errors| {
        let items = errors
            .into_iter()
            .map(|(at, message)| ValidationItem::at(at, message));
        ApiError::invalid(items.collect())
    })?;
    let stored = state
        .store
        .put_reference_data(client.id, company, None, data, jiff::Timestamp::now())
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    tracing::info!(company_id = %company, accounts = stored.data.accounts.len(), "reference data stored");
    Ok(Json(stored.data))
}

/// The company's reference data.
#[utoipa::path(get, path = "/companies/{companyId}/reference-data", tag = "Configuration",
    operation_id = "get-reference-data",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Json<ReferenceData>, ApiError> {
    let company = company_id(&company)?;
    state
        .store
        .company(client.id, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let stored = state.store.reference_data(client.id, company).await?;
    stored.map(|s| Json(s.data)).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "reference_data_not_found",
            format!("No reference data is held for company {company}"),
        )
    })
}

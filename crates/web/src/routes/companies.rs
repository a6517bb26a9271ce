//! `/companies` (current) and `/meta/companies` (v1): a client's merchants.

use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody};
use crate::error::{ApiError, ErrorBody};
use crate::wire::{CompanyBody, ConnectionBody, PageQuery, Paged};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::company::{CompanyFieldError, parse_description};
use domain::{ClientId, Company, CompanyName, CompanyTags, NewCompany};
use serde_json::Value;
use store::CompanyUpdate;

/// The value, or its errors added to `fields`.
fn checked<T>(fields: &mut Fields<'_>, result: Result<T, Vec<CompanyFieldError>>) -> Option<T> {
    result
        .map_err(|errors| fields.extend(errors.into_iter().map(|e| (e.pointer, e.message))))
        .ok()
}

/// Reads a company body. With `partial`, every field is optional (PATCH).
fn read_company(body: &Value, partial: bool) -> Result<CompanyUpdate, ApiError> {
    let mut fields = Fields::of(body, "");
    // Each field is checked by the domain right after it is read, so errors come in field order.
    let name = if partial {
        fields.optional_string("name").map(|n| n.unwrap_or(""))
    } else {
        fields.required_string("name")
    };
    let name = name.and_then(|n| checked(&mut fields, CompanyName::parse(n).map_err(|e| vec![e])));
    let description = fields.optional_string("description");
    let description =
        description.and_then(|d| checked(&mut fields, parse_description(d).map_err(|e| vec![e])));
    let tags = fields.optional_string_map("tags");
    let tags = tags.and_then(|t| checked(&mut fields, CompanyTags::parse(t)));
    fields.finish()?;
    Ok(CompanyUpdate {
        name,
        description,
        tags: if partial {
            tags
        } else {
            Some(tags.unwrap_or_default())
        },
    })
}

fn new_company(body: &Value) -> Result<NewCompany, ApiError> {
    let update = read_company(body, false)?;
    Ok(NewCompany {
        name: update.name.expect("a full read requires the name"),
        description: update.description.flatten(),
        tags: update.tags.unwrap_or_default(),
    })
}

/// The company as the API shows it, with its connections.
pub(crate) async fn company_body(
    state: &AppState,
    client: ClientId,
    company: Company,
) -> Result<CompanyBody, ApiError> {
    let connections = state.store.connections_of(client, &[company.id]).await?;
    let connections = connections
        .into_iter()
        .map(|c| {
            ConnectionBody::new(
                c.clone(),
                crate::link_grant::link_url(state, &c, state.clock.now()),
            )
        })
        .collect();
    Ok(CompanyBody::new(company, connections, &state.public_url))
}

/// List companies.
#[utoipa::path(get, path = "/companies", tag = "Companies", operation_id = "list-companies",
    params(PageQuery),
    responses((status = 200, body = Paged<CompanyBody>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Query(query): Query<PageQuery>,
) -> Result<Json<Paged<CompanyBody>>, ApiError> {
    let request = query.parse()?;
    let page = state.store.list_companies(client.id, request).await?;
    let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
    let mut connections = state.store.connections_of(client.id, &ids).await?;
    Ok(Json(Paged::new(page, "/companies", |company| {
        let (mine, rest): (Vec<_>, Vec<_>) = connections
            .drain(..)
            .partition(|c| c.company_id == company.id);
        connections = rest;
        let mine = mine
            .into_iter()
            .map(|c| {
                ConnectionBody::new(
                    c.clone(),
                    crate::link_grant::link_url(&state, &c, state.clock.now()),
                )
            })
            .collect();
        CompanyBody::new(company, mine, &state.public_url)
    })))
}

/// Create a company.
#[utoipa::path(post, path = "/companies", tag = "Companies", operation_id = "create-company",
    request_body(content = Object, description = "`{name, description?, tags?}`"),
    responses((status = 200, body = CompanyBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    JsonBody(body): JsonBody,
) -> Result<Json<CompanyBody>, ApiError> {
    let new = new_company(&body)?;
    let company = state.store.create_company(client.id, new).await?;
    tracing::info!(company_id = %company.id, "company created");
    Ok(Json(CompanyBody::new(
        company,
        Vec::new(),
        &state.public_url,
    )))
}

/// Get a company.
#[utoipa::path(get, path = "/companies/{companyId}", tag = "Companies", operation_id = "get-company",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, body = CompanyBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<Json<CompanyBody>, ApiError> {
    let id = company_id(&id)?;
    let company = state
        .store
        .company(client.id, id)
        .await?
        .ok_or_else(|| ApiError::company_not_found(id))?;
    Ok(Json(company_body(&state, client.id, company).await?))
}

async fn apply_update(
    state: AppState,
    client: ClientId,
    id: &str,
    update: CompanyUpdate,
) -> Result<Json<CompanyBody>, ApiError> {
    let id = company_id(id)?;
    let company = state
        .store
        .update_company(client, id, update)
        .await?
        .ok_or_else(|| ApiError::company_not_found(id))?;
    Ok(Json(company_body(&state, client, company).await?))
}

/// Replace a company's name, description and tags.
#[utoipa::path(put, path = "/companies/{companyId}", tag = "Companies", operation_id = "replace-company",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{name, description?, tags?}`"),
    responses((status = 200, body = CompanyBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<CompanyBody>, ApiError> {
    let update = CompanyUpdate::replace_with(new_company(&body)?);
    apply_update(state, client.id, &id, update).await
}

/// Update some of a company's fields.
#[utoipa::path(patch, path = "/companies/{companyId}", tag = "Companies", operation_id = "update-company",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{name?, description?, tags?}`"),
    responses((status = 200, body = CompanyBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<CompanyBody>, ApiError> {
    let update = read_company(&body, true)?;
    apply_update(state, client.id, &id, update).await
}

/// Delete a company and everything it owns.
#[utoipa::path(delete, path = "/companies/{companyId}", tag = "Companies", operation_id = "delete-company",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = company_id(&id)?;
    if state.store.delete_company(client.id, id).await? {
        tracing::info!(company_id = %id, "company deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::company_not_found(id))
    }
}

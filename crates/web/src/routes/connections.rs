//! `/companies/{companyId}/connections` (current) and `/meta/companies/{companyId}/connections` (v1).

use super::{company_id, connection_id};
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody, kind};
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::{ConnectionBody, PageQuery, Paged};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::{ClientId, CompanyId, Connection, ConnectionStatus, Page, PlatformKey, SourceType};
use platforms::Credentials;
use serde_json::Value;
use store::ConnectionUpdate;

fn body(state: &AppState, connection: Connection) -> Json<ConnectionBody> {
    Json(ConnectionBody::new(
        connection.clone(),
        crate::link_grant::link_url(state, &connection, state.clock.now()),
    ))
}

async fn list_of(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
) -> Result<Vec<Connection>, ApiError> {
    state
        .store
        .list_connections(client, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))
}

/// List a company's connections.
#[utoipa::path(get, path = "/companies/{companyId}/connections", tag = "Connections", operation_id = "list-connections",
    params(("companyId" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, body = Paged<ConnectionBody>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Paged<ConnectionBody>>, ApiError> {
    let request = query.parse()?;
    let company = company_id(&company)?;
    let all = list_of(&state, client.id, company).await?;
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(request.offset() as usize)
        .take(request.page_size as usize)
        .collect();
    let page = Page {
        items,
        request,
        total,
    };
    let books = state.store.reference_data(client.id, company).await?;
    let path = format!("/companies/{company}/connections");
    Ok(Json(Paged::new(page, &path, |c| {
        ConnectionBody::new(
            c.clone(),
            crate::link_grant::link_url(&state, &c, state.clock.now()),
        )
        .with_books(books.as_ref())
    })))
}

/// The platform key of a create body: `{"platformKey": "gbol"}`, or v1's bare `"gbol"`.
fn platform_key(body: &Value) -> Result<PlatformKey, ApiError> {
    let (raw, pointer) = match body {
        Value::String(key) => (Some(key.as_str()), ""),
        other => {
            let mut fields = Fields::of(other, "");
            let key = fields.required_string("platformKey");
            fields.finish()?;
            (key, "/platformKey")
        }
    };
    match raw.map(str::parse::<PlatformKey>) {
        Some(Ok(platform)) => Ok(platform),
        Some(Err(message)) => Err(ApiError::invalid(vec![ValidationItem::at(
            pointer, message,
        )])),
        None => Err(ApiError::invalid(vec![ValidationItem::at(
            pointer,
            format!("platformKey must be a string, found {}", kind(body)),
        )])),
    }
}

/// Create a connection. The commerce source (`cmrc`) is linked at once: the client pushes
/// its data. A company has one live accounting connection: asking again for the same
/// platform answers the existing one; asking for another platform is a conflict until the
/// first is unlinked or deleted.
#[utoipa::path(post, path = "/companies/{companyId}/connections", tag = "Connections", operation_id = "create-connection",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{\"platformKey\": \"gbol\"}`"),
    responses((status = 200, body = ConnectionBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<ConnectionBody>, ApiError> {
    let company = company_id(&company)?;
    let platform = platform_key(&raw)?;
    let connection = ensure_connection(&state, client.id, company, platform).await?;
    Ok(body(&state, connection))
}

/// The company's live connection to `platform`, created when there is none (an accounting
/// one waits for the merchant's consent); a conflict when another accounting platform is live.
/// The API and the Sync Flow's start URL both come here.
pub async fn ensure_connection(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    platform: PlatformKey,
) -> Result<Connection, ApiError> {
    let existing = list_of(state, client, company).await?;
    let live = existing
        .into_iter()
        .filter(|c| c.status != ConnectionStatus::Unlinked);
    for connection in live {
        if connection.platform_key == platform {
            return Ok(connection);
        }
        if platform.source_type() == SourceType::Accounting
            && connection.platform_key.source_type() == SourceType::Accounting
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "accounting_connection_exists",
                format!(
                    "This company is already connected to {} (connection {}); unlink or delete it before connecting {}",
                    connection.platform_key.integration().name,
                    connection.id,
                    platform.integration().name
                ),
            ));
        }
    }
    let status = match platform.source_type() {
        SourceType::Commerce => ConnectionStatus::Linked,
        SourceType::Accounting => ConnectionStatus::PendingAuth,
    };
    let connection = state
        .store
        .create_connection(client, company, platform, status)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    tracing::info!(company_id = %company, connection_id = %connection.id, platform = %platform, "connection created");
    Ok(connection)
}

/// Get a connection.
#[utoipa::path(get, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections", operation_id = "get-connection",
    params(("companyId" = String, Path, format = Uuid), ("connectionId" = String, Path, format = Uuid)),
    responses((status = 200, body = ConnectionBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, id)): Path<(String, String)>,
) -> Result<Json<ConnectionBody>, ApiError> {
    let (company, id) = (company_id(&company)?, connection_id(&id)?);
    let connection = state
        .store
        .connection(client.id, company, id)
        .await?
        .ok_or_else(|| ApiError::connection_not_found(id))?;
    let books = state.store.reference_data(client.id, company).await?;
    Ok(Json(
        ConnectionBody::new(
            connection.clone(),
            crate::link_grant::link_url(&state, &connection, state.clock.now()),
        )
        .with_books(books.as_ref()),
    ))
}

/// Update a connection: `{"status": "Unlinked"}` unlinks it and forgets its credentials.
#[utoipa::path(patch, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections", operation_id = "update-connection",
    params(("companyId" = String, Path, format = Uuid), ("connectionId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{\"status\": \"Unlinked\"}`"),
    responses((status = 200, body = ConnectionBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, id)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<ConnectionBody>, ApiError> {
    let (company, id) = (company_id(&company)?, connection_id(&id)?);
    let mut fields = Fields::of(&raw, "");
    let status = fields.optional_string("status");
    fields.finish()?;
    let status = match status.flatten() {
        None => {
            // Nothing to change: answer the connection as it is.
            return get(
                State(state),
                AuthClient(client),
                Path((company.to_string(), id.to_string())),
            )
            .await;
        }
        Some(text) => text
            .parse::<ConnectionStatus>()
            .map_err(|message| ApiError::invalid(vec![ValidationItem::at("/status", message)]))?,
    };
    if status != ConnectionStatus::Unlinked {
        return Err(ApiError::invalid(vec![ValidationItem::at(
            "/status",
            format!(
                "a connection can only be set to Unlinked here; to link it, hand over its credentials with PUT …/authorization (asked for {status})"
            ),
        )]));
    }
    let update = ConnectionUpdate {
        status,
        credentials: Some(None),
        error: Some(None),
    };
    let connection = state
        .store
        .update_connection(client.id, company, id, update)
        .await?
        .ok_or_else(|| ApiError::connection_not_found(id))?;
    tracing::info!(company_id = %company, connection_id = %id, "connection unlinked");
    Ok(body(&state, connection))
}

/// Delete a connection and its credentials.
#[utoipa::path(delete, path = "/companies/{companyId}/connections/{connectionId}", tag = "Connections", operation_id = "delete-connection",
    params(("companyId" = String, Path, format = Uuid), ("connectionId" = String, Path, format = Uuid)),
    responses((status = 200), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (company, id) = (company_id(&company)?, connection_id(&id)?);
    if state
        .store
        .delete_connection(client.id, company, id)
        .await?
    {
        tracing::info!(company_id = %company, connection_id = %id, "connection deleted");
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::connection_not_found(id))
    }
}

/// Hand over a connection's credentials on the merchant's behalf; the connection becomes
/// `Linked`. Xero: `{accessToken, refreshToken, expiresAt, tenantId}`; QuickBooks Online:
/// `{accessToken, refreshToken, expiresAt, realmId}`; hledger: `{baseUrl}`.
#[utoipa::path(put, path = "/companies/{companyId}/connections/{connectionId}/authorization", tag = "Connections",
    operation_id = "update-connection-authorization",
    params(("companyId" = String, Path, format = Uuid), ("connectionId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "platform-specific string fields"),
    responses((status = 200, body = ConnectionBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn authorize(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, id)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<ConnectionBody>, ApiError> {
    let (company, id) = (company_id(&company)?, connection_id(&id)?);
    let connection = state
        .store
        .connection(client.id, company, id)
        .await?
        .ok_or_else(|| ApiError::connection_not_found(id))?;
    let credentials =
        Credentials::from_authorization(connection.platform_key, &raw).map_err(|errors| {
            ApiError::invalid(
                errors
                    .into_iter()
                    .map(|(pointer, message)| ValidationItem::at(pointer, message))
                    .collect(),
            )
        })?;
    if let Credentials::Hledger { base_url } = &credentials {
        state.outbound.check_url(base_url).await.map_err(|e| {
            ApiError::invalid(vec![ValidationItem::at(
                "/baseUrl",
                format!("baseUrl: {e}"),
            )])
        })?;
    }
    let sealed = state.cipher.seal(id.0.as_bytes(), &credentials.to_bytes());
    let update = ConnectionUpdate {
        status: ConnectionStatus::Linked,
        credentials: Some(Some(sealed)),
        error: Some(None),
    };
    let connection = state
        .store
        .update_connection(client.id, company, id, update)
        .await?
        .ok_or_else(|| ApiError::connection_not_found(id))?;
    tracing::info!(company_id = %company, connection_id = %id, "connection authorized");
    if connection.platform_key != domain::PlatformKey::Commerce {
        state.connectors.forget(id);
        engine::reference_read::queue_read(state.store.as_ref(), company, id, state.clock.now())
            .await?;
    }
    Ok(body(&state, connection))
}

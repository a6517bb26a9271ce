//! Where a merchant may be sent back to after linking or the Sync Flow (beyond Codat):
//! `GET/PUT /clients/{clientId}/config/redirect-origins`, body `{"origins": ["https://pos.example"]}`.
//!
//! A `redirectUrl` is followed only when its origin (scheme, host, port) is one the client
//! registered, so our pages cannot be used to send a merchant to anyone else's site.

use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::ClientId;
use serde::Serialize;
use serde_json::{Value, json};
use url::Url;
use utoipa::ToSchema;

const SETTING: &str = "redirectOrigins";

#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectOrigins {
    /// `https://pos.example` or `http://localhost:3000`: scheme, host and port, no path.
    pub origins: Vec<String>,
}

/// The origins the client registered.
pub async fn origins(state: &AppState, client: ClientId) -> Result<Vec<String>, ApiError> {
    let value = state.store.client_setting(client, SETTING).await?;
    Ok(value
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

/// `url` when it may be redirected to for `client`, else why not (for the merchant's page).
pub async fn allowed_redirect(
    state: &AppState,
    client: ClientId,
    url: &str,
) -> Result<Url, String> {
    let parsed = Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| "redirectUrl must be an http:// or https:// address.".to_owned())?;
    let origin = parsed.origin().ascii_serialization();
    let registered = origins(state, client).await.map_err(|e| e.message)?;
    if registered.contains(&origin) {
        Ok(parsed)
    } else {
        Err(format!(
            "{origin} is not a site this service may send you back to. Go back to the service that sent you."
        ))
    }
}

pub fn client_path(client: ClientId, raw: &str) -> Result<(), ApiError> {
    if raw == client.to_string() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "client_not_found",
            format!("No client {raw} is reachable with this key"),
        ))
    }
}

/// The origins a merchant may be sent back to.
#[utoipa::path(get, path = "/clients/{clientId}/config/redirect-origins", tag = "Sync Flow settings",
    operation_id = "get-redirect-origins", params(("clientId" = String, Path, format = Uuid)),
    responses((status = 200, body = RedirectOrigins), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(raw): Path<String>,
) -> Result<Json<RedirectOrigins>, ApiError> {
    client_path(client.id, &raw)?;
    Ok(Json(RedirectOrigins {
        origins: origins(&state, client.id).await?,
    }))
}

/// Sets the origins a merchant may be sent back to (replacing the list).
#[utoipa::path(put, path = "/clients/{clientId}/config/redirect-origins", tag = "Sync Flow settings",
    operation_id = "set-redirect-origins", params(("clientId" = String, Path, format = Uuid)),
    request_body(content = RedirectOrigins),
    responses((status = 200, body = RedirectOrigins), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<RedirectOrigins>, ApiError> {
    client_path(client.id, &raw)?;
    let list = body
        .get("origins")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ApiError::invalid(vec![ValidationItem::at(
                "/origins",
                "origins is required: an array such as [\"https://pos.example\"]",
            )])
        })?;
    let mut errors = Vec::new();
    let mut origins = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let parsed = item.as_str().and_then(|s| Url::parse(s).ok());
        match parsed {
            Some(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && matches!(u.path(), "" | "/")
                    && u.query().is_none()
                    && u.fragment().is_none() =>
            {
                origins.push(u.origin().ascii_serialization());
            }
            _ => errors.push(ValidationItem::at(
                format!("/origins/{i}"),
                format!("{item} is not an origin: scheme and host (and port), such as https://pos.example"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    origins.dedup();
    state
        .store
        .put_client_setting(client.id, SETTING, &json!(origins), state.clock.now())
        .await?;
    Ok(Json(RedirectOrigins { origins }))
}

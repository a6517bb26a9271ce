//! `GET/PUT /clients/{clientId}/config/ui/branding`: the client's name, logo and colour on its
//! merchants' pages (`{"displayName", "logo": "data:image/png;base64,…", "primaryColour": "#rrggbb"}`).

use super::redirect_origins::client_path;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::pages::branding::{Branding, MAX_LOGO_BYTES, SETTING, decode_logo, parse_colour};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The client's branding.
#[utoipa::path(get, path = "/clients/{clientId}/config/ui/branding", tag = "Sync Flow settings",
    operation_id = "get-client-branding", params(("clientId" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(raw): Path<String>,
) -> Result<Json<Branding>, ApiError> {
    client_path(client.id, &raw)?;
    Ok(Json(Branding::load(&state, client.id).await?))
}

/// Replaces the client's branding; every bad field is named.
#[utoipa::path(put, path = "/clients/{clientId}/config/ui/branding", tag = "Sync Flow settings",
    operation_id = "set-client-branding", params(("clientId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "{displayName?, logo? (data: URL of a PNG, SVG, JPEG or WebP up to 100 KiB), primaryColour? (#rrggbb)}"),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Branding>, ApiError> {
    client_path(client.id, &raw)?;
    let mut errors = Vec::new();
    let text = |name: &str, errors: &mut Vec<ValidationItem>| match body.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(ValidationItem::at(
                format!("/{name}"),
                format!("{name} must be a string"),
            ));
            None
        }
    };
    let branding = Branding {
        display_name: text("displayName", &mut errors),
        logo: text("logo", &mut errors),
        primary_colour: text("primaryColour", &mut errors),
    };
    if branding
        .display_name
        .as_deref()
        .is_some_and(|n| n.trim().is_empty() || n.chars().count() > 100)
    {
        errors.push(ValidationItem::at(
            "/displayName",
            "displayName must hold 1 to 100 characters",
        ));
    }
    if branding
        .logo
        .as_deref()
        .is_some_and(|l| decode_logo(l).is_none())
    {
        errors.push(ValidationItem::at(
            "/logo",
            format!("logo must be a data: URL (data:image/png;base64,…) of a PNG, SVG, JPEG or WebP image of at most {} KiB", MAX_LOGO_BYTES / 1024),
        ));
    }
    if branding
        .primary_colour
        .as_deref()
        .is_some_and(|c| parse_colour(c).is_none())
    {
        errors.push(ValidationItem::at(
            "/primaryColour",
            "primaryColour must be a colour such as #1a4d8f",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let value = serde_json::to_value(&branding).unwrap_or_default();
    state
        .store
        .put_client_setting(client.id, SETTING, &value, state.clock.now())
        .await?;
    Ok(Json(branding))
}

/// `GET /sync-flow/branding/{clientId}/logo`: the client's logo, as an image only (a script
/// inside an SVG never runs).
pub async fn logo(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    let Ok(client) = raw.parse() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(branding) = Branding::load(&state, client).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match branding.logo.as_deref().and_then(decode_logo) {
        Some((kind, bytes)) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /sync-flow/branding/{clientId}/colours.css`: the client's colour as our variables.
pub async fn colours(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    let Ok(client) = raw.parse() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let css = Branding::load(&state, client)
        .await
        .ok()
        .and_then(|b| b.css_variables())
        .unwrap_or_default();
    let mut response = css.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    response
}

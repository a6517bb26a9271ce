//! `/config/integrations`: the platforms a company can connect to, with their branding.

use crate::AppState;
use crate::auth::AuthClient;
use crate::error::{ApiError, ErrorBody};
use crate::wire::{BrandingBody, IntegrationBody, PageQuery, Paged};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use domain::integration::INTEGRATIONS;
use domain::{Page, PlatformKey};

/// List integrations.
#[utoipa::path(get, path = "/config/integrations", tag = "Integrations", operation_id = "list-integrations",
    params(PageQuery),
    responses((status = 200, body = Paged<IntegrationBody>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _client: AuthClient,
    Query(query): Query<PageQuery>,
) -> Result<Json<Paged<IntegrationBody>>, ApiError> {
    let request = query.parse()?;
    let items = INTEGRATIONS
        .iter()
        .skip(request.offset() as usize)
        .take(request.page_size as usize)
        .collect();
    let page = Page {
        items,
        request,
        total: INTEGRATIONS.len() as u64,
    };
    Ok(Json(Paged::new(page, "/config/integrations", |i| {
        IntegrationBody::new(i, &state.public_url)
    })))
}

pub fn integration(key: &str) -> Result<PlatformKey, ApiError> {
    key.parse::<PlatformKey>()
        .map_err(|message| ApiError::new(StatusCode::NOT_FOUND, "integration_not_found", message))
}

/// Get an integration's branding.
#[utoipa::path(get, path = "/config/integrations/{platformKey}/branding", tag = "Integrations",
    operation_id = "get-integration-branding",
    params(("platformKey" = String, Path, example = "gbol")),
    responses((status = 200, body = BrandingBody), (status = 404, body = ErrorBody)))]
pub async fn branding(
    State(state): State<AppState>,
    _client: AuthClient,
    Path(key): Path<String>,
) -> Result<Json<BrandingBody>, ApiError> {
    let platform = integration(&key)?;
    Ok(Json(BrandingBody::new(
        platform.integration(),
        &state.public_url,
    )))
}

/// The logo images the branding points at: a coloured tile with the platform's initial, so
/// no third-party artwork ships with the service.
pub async fn logo(Path(file): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let stem = file.strip_suffix(".svg").unwrap_or(&file);
    let (key, shape) = stem.split_once('-').unwrap_or((stem, "square"));
    let integration = integration(key)?.integration();
    let (width, radius) = match shape {
        "full" | "button" | "button-hover" => (240, 8),
        _ => (64, 12),
    };
    let opacity = if shape == "button-hover" { "0.85" } else { "1" };
    let label = if width > 64 {
        integration.name
    } else {
        &integration.name[..1]
    };
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="64" viewBox="0 0 {width} 64"><rect width="{width}" height="64" rx="{radius}" fill="{colour}" fill-opacity="{opacity}"/><text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" font-family="sans-serif" font-size="28" fill="#fff">{label}</text></svg>"##,
        colour = integration.colour,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    ))
}

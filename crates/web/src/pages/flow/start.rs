//! Into the Sync Flow: the client asks for a start URL (`GET /config/sync/commerce/{commerceKey}
//! [/{accountingKey}]/start?merchantIdentifier=…[&redirectUrl=…]`), the merchant opens it once
//! within 30 seconds and gets a session for that one company. The company's `redirect` link
//! (`/sync-flow/companies/{id}`) leads back in: through the session, or for the client
//! opening it with its key, through a fresh code.

use super::code::{CODE_LIFETIME, FlowCode, Refusal, redeem, start_url};
use super::{browser_locale, entry_stage, load};
use crate::AppState;
use crate::auth::AuthClient;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::pages::layout::refusal;
use crate::pages::session::{self, FlowData};
use crate::pages::text::Texts;
use crate::routes::connections::ensure_connection;
use crate::routes::integrations::integration;
use crate::routes::redirect_origins::allowed_redirect;
use axum::Json;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use domain::{ClientId, CompanyId, CompanyName, CompanyTags, NewCompany, SourceType};
use rand::RngCore;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(rename = "merchantIdentifier")]
    merchant_identifier: Option<String>,
    #[serde(rename = "redirectUrl")]
    redirect_url: Option<String>,
}

/// Longest merchant identifier we keep.
const MAX_IDENTIFIER_CHARS: usize = 255;

/// Get a Sync Flow URL for a merchant, with the accounting platform chosen already.
#[utoipa::path(get, path = "/config/sync/commerce/{commerceKey}/{accountingKey}/start", tag = "Sync Flow",
    operation_id = "get-sync-flow-url",
    params(("commerceKey" = String, Path, example = "cmrc"), ("accountingKey" = String, Path, example = "gbol"),
        ("merchantIdentifier" = Option<String>, Query, description = "Your id for the merchant (or a company id): the same merchant always reaches the same company"),
        ("redirectUrl" = Option<String>, Query, description = "Where the merchant goes at the end; must be on a registered origin")),
    responses((status = 200, description = "`{\"url\"}`: opens once, within 30 seconds", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn url_with_platform(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((commerce, accounting)): Path<(String, String)>,
    Query(query): Query<StartQuery>,
) -> Result<Json<Value>, ApiError> {
    issue(&state, &client, &commerce, Some(&accounting), query).await
}

/// Get a Sync Flow URL for a merchant who first chooses an accounting platform.
#[utoipa::path(get, path = "/config/sync/commerce/{commerceKey}/start", tag = "Sync Flow",
    operation_id = "get-sync-flow-url-choosing-platform",
    params(("commerceKey" = String, Path, example = "cmrc"),
        ("merchantIdentifier" = Option<String>, Query), ("redirectUrl" = Option<String>, Query)),
    responses((status = 200, description = "`{\"url\"}`: opens once, within 30 seconds", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn url_choosing_platform(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(commerce): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Json<Value>, ApiError> {
    issue(&state, &client, &commerce, None, query).await
}

async fn issue(
    state: &AppState,
    client: &store::Client,
    commerce: &str,
    accounting: Option<&str>,
    query: StartQuery,
) -> Result<Json<Value>, ApiError> {
    let commerce = integration(commerce)?;
    let accounting = accounting.map(integration).transpose()?;
    let mut errors = Vec::new();
    if commerce.source_type() != SourceType::Commerce {
        errors.push(ValidationItem::parameter(
            "commerceKey",
            format!("{} is not a commerce source: use cmrc", commerce.key()),
        ));
    }
    if accounting.is_some_and(|a| a.source_type() != SourceType::Accounting) {
        errors.push(ValidationItem::parameter(
            "accountingKey",
            "accountingKey must name an accounting platform: gbol, qhyg or hldg",
        ));
    }
    let identifier = query
        .merchant_identifier
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    if identifier.is_some_and(|i| i.chars().count() > MAX_IDENTIFIER_CHARS || i.contains('\0')) {
        errors.push(ValidationItem::parameter(
            "merchantIdentifier",
            format!("merchantIdentifier must be at most {MAX_IDENTIFIER_CHARS} characters"),
        ));
    }
    if let Some(url) = &query.redirect_url
        && let Err(why) = allowed_redirect(state, client.id, url).await
    {
        errors.push(ValidationItem::parameter("redirectUrl", why));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let company = merchant_company(state, client.id, identifier).await?;
    ensure_connection(state, client.id, company, commerce).await?;
    if let Some(accounting) = accounting {
        ensure_connection(state, client.id, company, accounting).await?;
    }
    let code = new_code(state, client, company, query.redirect_url);
    tracing::info!(client_id = %client.id, company_id = %company, "sync flow URL issued");
    Ok(Json(
        json!({ "url": start_url(state, &code), "companyId": company.to_string() }),
    ))
}

fn new_code(
    state: &AppState,
    client: &store::Client,
    company: CompanyId,
    redirect_url: Option<String>,
) -> FlowCode {
    let mut nonce = [0u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    FlowCode {
        client: client.id,
        client_name: client.name.clone(),
        company,
        nonce: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(nonce),
        expires: state.clock.now() + CODE_LIFETIME,
        redirect_url,
    }
}

/// The company the merchant identifier names: one of the client's company ids, the company
/// bound to it earlier, or a new company bound to it now.
async fn merchant_company(
    state: &AppState,
    client: ClientId,
    identifier: Option<&str>,
) -> Result<CompanyId, ApiError> {
    if let Some(id) = identifier.and_then(|i| i.parse::<CompanyId>().ok())
        && state.store.company(client, id).await?.is_some()
    {
        return Ok(id);
    }
    if let Some(identifier) = identifier
        && let Some(company) = state.store.merchant_company(client, identifier).await?
    {
        return Ok(company);
    }
    let name = identifier
        .and_then(|i| CompanyName::parse(i).ok())
        .unwrap_or_else(|| CompanyName::parse("Merchant").expect("a valid name"));
    let created = state
        .store
        .create_company(
            client,
            NewCompany {
                name,
                description: identifier.map(|i| format!("Merchant {i}")),
                tags: CompanyTags::default(),
            },
        )
        .await?;
    let Some(identifier) = identifier else {
        return Ok(created.id);
    };
    let bound = state
        .store
        .bind_merchant(client, identifier, created.id)
        .await?;
    if bound != created.id {
        // Another request bound the merchant first: ours is not needed.
        state.store.delete_company(client, created.id).await?;
    }
    Ok(bound)
}

#[derive(Deserialize)]
pub struct RedeemQuery {
    otp: Option<String>,
}

/// `GET /sync-flow/start?otp=…`: spends the code and opens the merchant's session.
pub async fn redeem_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<RedeemQuery>,
) -> Response {
    let texts = Texts::defaults(browser_locale(&headers));
    let code = match redeem(&state, query.otp.as_deref()).await {
        Ok(code) => code,
        Err(why) => {
            tracing::warn!(refusal = ?why, "sync flow start refused");
            let title = match why {
                Refusal::Expired => "refused.expired.title",
                Refusal::Used => "refused.used.title",
                Refusal::Invalid => "refused.invalid.title",
            };
            return refusal(StatusCode::UNAUTHORIZED, &texts, title, "refused.link.text");
        }
    };
    let data = FlowData {
        locale: texts.locale.code().to_owned(),
        client_name: code.client_name.clone(),
        redirect_url: code.redirect_url.clone(),
        ..FlowData::default()
    };
    match session::open(&state, code.client, code.company, data).await {
        Ok(cookie) => {
            let mut response =
                Redirect::to(&format!("/sync-flow/companies/{}", code.company)).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(e) => {
            tracing::error!(company_id = %code.company, error = %e, "could not open a sync flow session");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                &texts,
                "refused.error.title",
                "refused.error.text",
            )
        }
    }
}

#[derive(Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// `GET /sync-flow/companies/{companyId}`: the company's `redirect` link.
pub async fn entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Result<AuthClient, ApiError>,
    Path(company): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<LangQuery>,
) -> Response {
    if let Ok(AuthClient(client)) = client
        && let Ok(id) = company.parse::<CompanyId>()
        && matches!(state.store.company(client.id, id).await, Ok(Some(_)))
    {
        let code = new_code(&state, &client, id, None);
        return Redirect::to(&start_url(&state, &code)).into_response();
    }
    match load(
        &state,
        &headers,
        &company,
        uri.path().to_owned(),
        query.lang.as_deref(),
    )
    .await
    {
        Ok(ctx) => ctx.to(entry_stage(&state, &ctx).await),
        Err(refused) => refused,
    }
}

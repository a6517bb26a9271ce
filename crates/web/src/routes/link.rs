//! The merchant's side of connecting an accounting platform: a connection's `linkUrl` sends
//! the merchant to the platform's consent page (OAuth 2.0 with PKCE) and the callback stores
//! the tokens, sealed, making the connection `Linked`.
//!
//! Links carry no API key (a merchant opens them in a browser): they carry a sealed, expiring
//! grant for one connection instead (see `link_grant`), and send the merchant back only to an
//! origin the client registered (`redirect_origins`). The OAuth `state` is our sealed note of
//! who asked, so the flow needs no table and works across several processes sharing the key.

use super::{company_id, connection_id};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{ClientId, CompanyId, ConnectionId, ConnectionStatus};
use jiff::{SignedDuration, Timestamp};
use platforms::authorize::Pkce;
use serde::{Deserialize, Serialize};
use store::ConnectionUpdate;

/// Associated data binding sealed states to this use.
const STATE_BINDING: &[u8] = b"commerce-sync oauth state v1";
/// How long a merchant may take on the platform's consent page.
const STATE_LIFETIME: SignedDuration = SignedDuration::from_mins(30);

/// Who started an authorization, sealed into the OAuth `state`.
#[derive(Serialize, Deserialize)]
struct LinkState {
    client: ClientId,
    company: CompanyId,
    connection: ConnectionId,
    verifier: String,
    redirect: Option<String>,
    expires: Timestamp,
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body style=\"font-family:sans-serif;max-width:36rem;margin:4rem auto\"><h1>{t}</h1><p>{m}</p></body></html>",
        t = escape(title),
        m = escape(message)
    );
    (status, Html(body)).into_response()
}

fn invalid_link() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "This link is not valid",
        "Ask the service that sent you for a new link.",
    )
}

fn callback_url(state: &AppState) -> String {
    format!("{}/oauth/callback", state.public_url)
}

#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(rename = "redirectUrl")]
    redirect_url: Option<String>,
    grant: Option<String>,
}

/// `GET /sync-flow/companies/{companyId}/connections/{connectionId}/start?grant=…[&redirectUrl=…]`
pub async fn start(
    State(state): State<AppState>,
    Path((company, connection)): Path<(String, String)>,
    Query(query): Query<StartQuery>,
) -> Response {
    let (Ok(company), Ok(connection)) = (company_id(&company), connection_id(&connection)) else {
        return invalid_link();
    };
    let found = async {
        let owner = state.store.company_owner(company).await?;
        let Some(owner) = owner else { return Ok(None) };
        Ok::<_, store::StoreError>(
            state
                .store
                .connection(owner, company, connection)
                .await?
                .map(|c| (owner, c)),
        )
    };
    let (owner, connection) = match found.await {
        Ok(Some(found)) => found,
        Ok(None) => return invalid_link(),
        Err(e) => {
            tracing::error!(error = %e, "link lookup failed");
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Please try again in a moment.",
            );
        }
    };
    match crate::link_grant::check(
        &state,
        query.grant.as_deref(),
        &connection,
        Timestamp::now(),
    ) {
        Ok(_) => {}
        Err(crate::link_grant::Refusal::Invalid) => {
            tracing::warn!(company_id = %company, connection_id = %connection.id, "link refused: no valid grant");
            return page(
                StatusCode::UNAUTHORIZED,
                "This link is not valid",
                "Ask the service that sent you for a new link.",
            );
        }
        Err(crate::link_grant::Refusal::Expired) => {
            return page(
                StatusCode::UNAUTHORIZED,
                "This link has expired",
                "Links work for an hour. Ask the service that sent you for a new one.",
            );
        }
        Err(crate::link_grant::Refusal::AlreadyLinked) => {
            tracing::warn!(company_id = %company, connection_id = %connection.id, "link refused: already linked");
            return page(
                StatusCode::CONFLICT,
                "Already connected",
                "This accounting platform is connected already. To connect it again, ask the service that sent you for a new link.",
            );
        }
    }
    let name = connection.platform_key.integration().name;
    let Some(app) = state.oauth.get(&connection.platform_key) else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("{name} cannot be connected here"),
            &format!(
                "This service has no {name} app configured. Its operator can set one up; see docs/running.md."
            ),
        );
    };
    if let Some(url) = &query.redirect_url
        && let Err(why) = super::redirect_origins::allowed_redirect(&state, owner, url).await
    {
        tracing::warn!(company_id = %company, connection_id = %connection.id, redirect = %url, "link refused: redirectUrl not registered");
        return page(StatusCode::BAD_REQUEST, "This link is not valid", &why);
    }
    consent_redirect(
        &state,
        owner,
        company,
        connection.id,
        app,
        query.redirect_url,
    )
}

/// Sends the merchant to `app`'s consent page for `connection`, to come back to our callback
/// and then to `redirect` (a client's registered page, or the Sync Flow's own).
pub fn consent_redirect(
    state: &AppState,
    owner: ClientId,
    company: CompanyId,
    connection: ConnectionId,
    app: &platforms::authorize::OAuthApp,
    redirect: Option<String>,
) -> Response {
    let pkce = Pkce::new();
    let note = LinkState {
        client: owner,
        company,
        connection,
        verifier: pkce.verifier.clone(),
        redirect,
        expires: Timestamp::now() + STATE_LIFETIME,
    };
    let sealed = state.cipher.seal(
        STATE_BINDING,
        &serde_json::to_vec(&note).expect("serializes"),
    );
    let oauth_state = URL_SAFE_NO_PAD.encode(sealed);
    tracing::info!(company_id = %company, connection_id = %connection, "merchant sent to authorize");
    Redirect::to(&app.authorize_url(&callback_url(state), &oauth_state, &pkce)).into_response()
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    #[serde(rename = "realmId")]
    realm_id: Option<String>,
    error: Option<String>,
}

fn open_state(state: &AppState, raw: &str) -> Option<LinkState> {
    let sealed = URL_SAFE_NO_PAD.decode(raw).ok()?;
    let plain = state.cipher.open(STATE_BINDING, &sealed).ok()?;
    serde_json::from_slice(&plain).ok()
}

/// Where the merchant lands afterwards: the client's page, told how it went, or ours.
fn finish(
    redirect: Option<&str>,
    outcome: &str,
    connection: ConnectionId,
    title: &str,
    message: &str,
) -> Response {
    match redirect.map(|r| {
        append_query(
            r,
            &[
                ("connectionId", &connection.to_string()),
                ("status", outcome),
            ],
        )
    }) {
        Some(url) => Redirect::to(&url).into_response(),
        None => page(
            if outcome == "Linked" {
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            },
            title,
            message,
        ),
    }
}

/// `url` with query pairs appended (the `url` crate keeps a fragment where it belongs).
fn append_query(url: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.query_pairs_mut().extend_pairs(pairs);
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// `GET /oauth/callback?code=…&state=…[&realmId=…]`
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(note) = query.state.as_deref().and_then(|s| open_state(&state, s)) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in could not be completed",
            "The link was altered or is not ours. Start again from the service that sent you.",
        );
    };
    if note.expires < Timestamp::now() {
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in took too long",
            "Start again from the service that sent you.",
        );
    }
    let Ok(Some(connection)) = state
        .store
        .connection(note.client, note.company, note.connection)
        .await
    else {
        return invalid_link();
    };
    let name = connection.platform_key.integration().name;
    if query.error.is_some() || query.code.is_none() {
        return finish(
            note.redirect.as_deref(),
            "Cancelled",
            connection.id,
            "Connection cancelled",
            &format!("{name} was not connected."),
        );
    }
    let Some(app) = state.oauth.get(&connection.platform_key) else {
        return invalid_link();
    };
    let code = query.code.as_deref().unwrap_or_default();
    let credentials = match app
        .complete(
            code,
            &note.verifier,
            &callback_url(&state),
            query.realm_id.as_deref(),
        )
        .await
    {
        Ok(credentials) => credentials,
        Err(e) => {
            tracing::warn!(connection_id = %connection.id, error = %e, "authorization failed");
            return finish(
                note.redirect.as_deref(),
                "Failed",
                connection.id,
                &format!("{name} could not be connected"),
                &e.to_string(),
            );
        }
    };
    let sealed = state
        .cipher
        .seal(connection.id.0.as_bytes(), &credentials.to_bytes());
    let update = ConnectionUpdate {
        status: ConnectionStatus::Linked,
        credentials: Some(Some(sealed)),
        error: Some(None),
    };
    match state
        .store
        .update_connection(note.client, note.company, connection.id, update)
        .await
    {
        Ok(Some(_)) => {
            tracing::info!(company_id = %note.company, connection_id = %connection.id, "connection linked by the merchant");
            state.connectors.forget(connection.id);
            if let Err(e) = engine::reference_read::queue_read(
                state.store.as_ref(),
                note.company,
                connection.id,
                state.clock.now(),
            )
            .await
            {
                // The configuration GET queues it again when it finds no read on record.
                tracing::warn!(company_id = %note.company, connection_id = %connection.id, error = %e, "could not queue the reference data read");
            }
            finish(
                note.redirect.as_deref(),
                "Linked",
                connection.id,
                &format!("Connected to {name}"),
                "You can close this window.",
            )
        }
        _ => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "Please try again in a moment.",
        ),
    }
}

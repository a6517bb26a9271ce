//! The first two stages: the commerce source (the client's own push: shown as connected) and
//! the accounting platform (chosen, then the platform's consent page and back). Once linked,
//! the books are read (the same read the API queues) and the organisation reached is named.

use super::Ctx;
use super::render::progress;
use super::stages::Stage;
use crate::AppState;
use crate::routes::books::books_of;
use crate::routes::connections::ensure_connection;
use crate::routes::link::consent_redirect;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::integration::INTEGRATIONS;
use domain::{ConnectionStatus, PlatformKey, SourceType};
use engine::connectors::live_accounting;
use maud::html;
use serde::Deserialize;

/// `GET /sync-flow/companies/{companyId}/commerce`
pub async fn commerce_page(ctx: Ctx) -> Response {
    let t = &ctx.texts;
    let client = ctx.client_name().to_owned();
    let title = t.f("commerce.heading", &[("client", &client)]);
    ctx.page(
        StatusCode::OK,
        &title,
        html! {
            (progress(t, Stage::Commerce))
            h1 { (title) }
            div.card {
                p.status-ok { (t.f("commerce.connected", &[("client", &client)])) }
            }
            div.actions {
                a.button href=(ctx.url(Stage::Accounting.slug())) { (t.t("button.next")) }
            }
        },
    )
}

/// Platforms a merchant can connect here: accounting ones with an OAuth app configured.
fn connectable(state: &AppState) -> Vec<PlatformKey> {
    INTEGRATIONS
        .iter()
        .filter(|i| {
            i.source_type == SourceType::Accounting && state.oauth.contains_key(&i.platform)
        })
        .map(|i| i.platform)
        .collect()
}

#[derive(Deserialize)]
pub struct AccountingQuery {
    /// Set by the OAuth callback on the way back.
    status: Option<String>,
}

/// `GET /sync-flow/companies/{companyId}/accounting`
pub async fn accounting_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<AccountingQuery>,
) -> Response {
    let t = &ctx.texts;
    let connections = match state
        .store
        .list_connections(ctx.session.client, ctx.company())
        .await
    {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return ctx.failure("listing connections", e),
    };
    let live = live_accounting(&connections).cloned();
    let title = t.t("stage.accounting");
    let csrf = ctx.session.data.csrf.clone();
    let connect_form = |platform: PlatformKey| {
        let name = platform.integration().name;
        html! {
            form method="post" action=(ctx.url("accounting")) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="platform" value=(platform.key());
                p { (t.f("accounting.explain", &[("platform", name)])) }
                button type="submit" { (t.f("accounting.connect", &[("platform", name)])) }
            }
        }
    };
    let cancelled = matches!(query.status.as_deref(), Some("Cancelled" | "Failed"));
    let mut refresh = false;
    let body = match &live {
        None => {
            let choices = connectable(&state);
            html! {
                h2 { (t.t("accounting.choose")) }
                ul.platforms {
                    @for platform in &choices {
                        li {
                            form method="post" action=(ctx.url("accounting")) {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="platform" value=(platform.key());
                                button type="submit" {
                                    img src={ "/static/logos/" (platform.key()) "-square.svg" } alt="";
                                    span { (t.f("accounting.connect", &[("platform", platform.integration().name)])) }
                                }
                            }
                        }
                    }
                }
            }
        }
        Some(connection) => {
            let name = connection.platform_key.integration().name;
            match connection.status {
                ConnectionStatus::Linked => {
                    match books_of(&state, ctx.session.client, ctx.company()).await {
                        Ok(books) => {
                            let organisation = if books.reference.company.name.is_empty() {
                                name.to_owned()
                            } else {
                                books.reference.company.name.clone()
                            };
                            html! {
                                div.card { p.status-ok { (t.f("accounting.connected", &[("organisation", &organisation), ("platform", name)])) } }
                                div.actions { a.button href=(ctx.url(Stage::Sales.slug())) { (t.t("button.next")) } }
                            }
                        }
                        Err(e) if e.code == "reference_data_read_failed" => html! {
                            div.card role="alert" { p.status-bad { (t.f("accounting.failed", &[("platform", name), ("reason", &e.message)])) } }
                            form method="post" action=(ctx.url("accounting")) {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="action" value="reread";
                                button type="submit" { (t.t("accounting.retry")) }
                            }
                        },
                        Err(_) => {
                            refresh = true;
                            html! {
                                div.card role="status" { p { (t.f("accounting.reading", &[("platform", name)])) } }
                                div.actions { a.button.secondary href=(ctx.url("accounting")) { (t.t("accounting.refresh")) } }
                            }
                        }
                    }
                }
                ConnectionStatus::Deauthorized => html! {
                    div.card role="alert" { p.status-bad { (t.f("accounting.deauthorized", &[("platform", name)])) } }
                    (connect_form(connection.platform_key))
                },
                _ if !state.oauth.contains_key(&connection.platform_key) => html! {
                    div.card role="alert" { p { (t.f("accounting.unavailable", &[("platform", name)])) } }
                },
                _ => connect_form(connection.platform_key),
            }
        }
    };
    let platform_name = live
        .as_ref()
        .map(|c| c.platform_key.integration().name)
        .unwrap_or("");
    let mut response = ctx.page(StatusCode::OK, &title, html! {
        (progress(t, Stage::Accounting))
        h1 { (title) }
        @if cancelled {
            div.card role="alert" { p { (t.f("accounting.cancelled", &[("platform", platform_name)])) } }
        }
        (body)
        div.actions { a.button.secondary href=(ctx.url(Stage::Commerce.slug())) { (t.t("button.back")) } }
    });
    if refresh {
        // Reload while the books are read (the "Check again" link does it without this).
        response
            .headers_mut()
            .insert("refresh", HeaderValue::from_static("2"));
    }
    response
}

#[derive(Deserialize)]
pub struct AccountingForm {
    csrf: Option<String>,
    platform: Option<String>,
    action: Option<String>,
}

/// `POST /sync-flow/companies/{companyId}/accounting`: connect (to the consent page) or read again.
pub async fn accounting_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<AccountingForm>,
) -> Response {
    if !ctx.session.csrf_ok(form.csrf.as_deref()) {
        return super::render::form_expired(&ctx);
    }
    if form.action.as_deref() == Some("reread") {
        return reread(&state, &ctx).await;
    }
    let Some(platform) = form
        .platform
        .as_deref()
        .and_then(|p| p.parse::<PlatformKey>().ok())
        .filter(|p| connectable(&state).contains(p))
    else {
        return ctx.to("accounting");
    };
    let connection =
        match ensure_connection(&state, ctx.session.client, ctx.company(), platform).await {
            Ok(c) => c,
            Err(e) => return ctx.failure("connecting a platform", e.message),
        };
    let Some(app) = state.oauth.get(&platform) else {
        return ctx.to("accounting");
    };
    let back = format!("{}{}", state.public_url, ctx.url("accounting"));
    consent_redirect(
        &state,
        ctx.session.client,
        ctx.company(),
        connection.id,
        app,
        Some(back),
    )
}

/// Queues a fresh read of the books (as `POST /companies/{id}/data/all` does) and shows its progress.
pub async fn reread(state: &AppState, ctx: &Ctx) -> Response {
    let connections = state
        .store
        .list_connections(ctx.session.client, ctx.company())
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    if let Some(connection) =
        live_accounting(&connections).filter(|c| c.status == ConnectionStatus::Linked)
        && let Err(e) = engine::reference_read::queue_read(
            state.store.as_ref(),
            ctx.company(),
            connection.id,
            state.clock.now(),
        )
        .await
    {
        return ctx.failure("queueing a read of the books", e);
    }
    ctx.to("accounting").into_response()
}

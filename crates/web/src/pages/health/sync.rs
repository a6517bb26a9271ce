//! A sync's page (`/health/syncs/{syncId}`): its period and times, source and target
//! platforms, its status with what it means and what to do, every push item with the
//! platform's id and the error in plain words, and the merchant's configuration (also as a
//! JSON download). "Retry failed items" calls the API's own retry (`routes::syncs::retry_sync`)
//! and comes back here (post, redirect, get); while the retry is queued or running the page
//! says so and reloads itself, so it never shows the old failure as the retry's outcome.

use super::words::{self, badge, item_errors, item_outcome, when};
use super::{ActionForm, signed_in};
use crate::AppState;
use crate::routes::syncs::retry_sync;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::config::to_current_json;
use domain::{Connection, PlatformKey};
use engine::sync_run::{SYNC_JOB, SyncJob};
use maud::html;
use store::{PushItem, PushStatus, SyncRun};

/// Seconds between reloads while the sync or its retry runs.
const RELOAD_SECONDS: u32 = 5;

/// Items the retry would write again.
fn unwritten(items: &[PushItem]) -> usize {
    items
        .iter()
        .filter(|i| matches!(i.result.status, PushStatus::Failed | PushStatus::TimedOut))
        .count()
}

/// Whether a job for this sync is waiting or running (a retry just asked for, or the run).
async fn job_pending(state: &AppState, sync: &SyncRun) -> bool {
    state
        .store
        .company_jobs_of_kind(sync.company_id, SYNC_JOB, 20)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|j| j.status == "queued" || j.status == "running")
        .filter_map(|j| serde_json::from_value::<SyncJob>(j.payload.clone()).ok())
        .any(|job| job.sync_id == sync.id)
}

/// Where support opens a written document: the platform's own page, or, when the service
/// writes to its sandboxes, the sandbox's books page of the tenant.
async fn document_links(
    state: &AppState,
    client: domain::ClientId,
    connections: &[Connection],
    company: domain::CompanyId,
) -> impl Fn(&str, &str) -> Option<String> {
    let platform = engine::connectors::live_accounting(connections).map(|c| c.platform_key);
    let sandbox_books = match platform {
        Some(p) if state.connectors.sandboxed(p) => {
            let tenant = state
                .store
                .reference_data(client, company)
                .await
                .ok()
                .flatten()
                .and_then(|r| r.data.company.platform_ref);
            let name = if p == PlatformKey::Xero {
                "xero"
            } else {
                "quickbooks"
            };
            tenant.map(|t| format!("/sandbox/{name}/_control/tenants/{t}/books.html"))
        }
        _ => None,
    };
    move |kind: &str, id: &str| match (&sandbox_books, platform) {
        (Some(page), _) => Some(page.clone()),
        (None, Some(p)) => platforms::document_links::document_url(p, kind, id),
        (None, None) => None,
    }
}

fn platform(connections: &[Connection], commerce: bool) -> String {
    connections
        .iter()
        .rev()
        .find(|c| (c.platform_key == PlatformKey::Commerce) == commerce)
        .map(|c| {
            format!(
                "{} ({})",
                c.platform_key.integration().name,
                c.status.as_str()
            )
        })
        .unwrap_or_else(|| "None connected".to_owned())
}

/// `GET /health/syncs/{syncId}`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
) -> Response {
    let mut ctx = signed_in!(state, headers, uri);
    let sync = match ctx.sync(&state, &raw).await {
        Ok(sync) => sync,
        Err(refused) => return refused,
    };
    let client = ctx.client();
    let company = match state.store.company(client, sync.company_id).await {
        Ok(Some(company)) => company,
        Ok(None) => return ctx.not_found("sync"),
        Err(e) => return ctx.failure("reading the sync's company", e),
    };
    let items = match state.store.sync_push_items(sync.id).await {
        Ok(items) => items,
        Err(e) => return ctx.failure("reading push items", e),
    };
    let connections = state
        .store
        .list_connections(client, sync.company_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let config = match shown_configuration(&state, client, &sync).await {
        Ok(config) => config,
        Err(e) => return ctx.failure("reading the configuration", e),
    };
    let pending = job_pending(&state, &sync).await;
    let notice = ctx.take_notice(&state).await;
    let running = sync.completed.is_none() || pending;
    let to_retry = unwritten(&items);
    let code = sync.outcome.status_code;
    let can_retry = !running && to_retry > 0 && code != engine::status::DUPLICATION_PROTECTION;
    let written = items
        .iter()
        .filter(|i| i.result.status == PushStatus::Success)
        .count();
    let document_link = document_links(&state, client, &connections, sync.company_id).await;
    let title = format!("Sync of {}", company.name.as_str());
    let content = html! {
        p.breadcrumb { a href={ "/health/companies/" (company.id) } { (company.name.as_str()) } " › sync" }
        h1 { (title) }
        @if let Some(notice) = notice { div.notice role="status" { (notice) } }
        @if running {
            div.notice role="status" {
                @if pending && sync.completed.is_some() { "A retry is queued or running. " } @else { "This sync is running. " }
                "This page reloads every " (RELOAD_SECONDS) " seconds until it has finished."
            }
        }
        div class={ "card status-card status-" (words::tone(code)) } {
            h2 { "Status " (badge(code)) }
            p { (words::meaning(code)) }
            @if let Some(message) = &sync.outcome.error_message {
                p { strong { "Error: " } (message) }
            }
            @if let Some(detail) = &sync.outcome.exception_message {
                details {
                    summary { "Technical detail" }
                    pre { (detail) }
                }
            }
            @if can_retry {
                form method="post" action={ "/health/syncs/" (sync.id) "/retry" } {
                    (ctx.csrf())
                    button type="submit" { "Retry the " (to_retry) " failed item" @if to_retry != 1 { "s" } }
                    p.hint { "Only what failed is written again; what was written is never written twice." }
                }
            }
        }
        dl.facts {
            dt { "Merchant" } dd { a href={ "/health/companies/" (company.id) } { (company.name.as_str()) } }
            dt { "Sync id" } dd { code { (sync.id) } }
            dt { "Kind" } dd { (sync.kind.as_str()) }
            dt { "Period" } dd { (when(sync.period_start)) " → " (when(sync.period_end)) }
            dt { "Requested" } dd { (when(sync.requested)) }
            dt { "Started" } dd { (sync.started.map(when).unwrap_or_else(|| "Not yet".to_owned())) }
            dt { "Finished" } dd { (sync.completed.map(when).unwrap_or_else(|| "Not yet".to_owned())) }
            dt { "Source" } dd { (platform(&connections, true)) }
            dt { "Target" } dd { (platform(&connections, false)) }
            dt { "Documents" } dd { (items.len()) " planned, " (written) " written, " (to_retry) " failed" }
        }
        h2 { "Push items" }
        @if items.is_empty() {
            p { "This sync wrote no documents" @if !sync.planned { " (it stopped before planning any)" } "." }
        } @else {
            table.items {
                caption { "Documents of this sync, in write order" }
                thead { tr {
                    th scope="col" { "#" } th scope="col" { "Document" } th scope="col" { "Status" }
                    th scope="col" { "Platform id" } th scope="col" { "What happened" }
                } }
                tbody {
                    @for item in &items {
                        tr {
                            td { (item.position + 1) }
                            td { (item.kind) br; span.hint.inline { (item.document_key) } }
                            td class={ "item-" (item.result.status.as_str()) } { (item.result.status.as_str()) }
                            td {
                                @if let Some(id) = &item.result.platform_id {
                                    @match document_link(&item.kind, id) {
                                        Some(href) => { a href=(href) rel="noopener" { code { (id) } } }
                                        None => { code { (id) } }
                                    }
                                }
                                @if let Some(n) = &item.result.platform_number { br; "No. " (n) }
                            }
                            td {
                                (item_outcome(item))
                                @if item.attempts > 1 { br; span.hint.inline { (item.attempts) " attempts" } }
                                @if item.result.status != PushStatus::Success && !item_errors(item).is_empty() {
                                    br; span.hint.inline { "Status " (item.result.status_code) " from the platform." }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Configuration" }
        (configuration(&sync, &config))
    };
    if running {
        ctx.refreshing_page(RELOAD_SECONDS, &title, content)
    } else {
        ctx.page(StatusCode::OK, &title, content)
    }
}

/// The configuration a sync's page shows: the one the run recorded, or, for runs from before
/// runs recorded it (or that stopped before reading it), the merchant's current one.
pub enum ShownConfiguration {
    AsRun {
        version: u64,
        document: serde_json::Value,
    },
    Current {
        version: u64,
        updated: jiff::Timestamp,
        document: serde_json::Value,
    },
    Missing,
}

impl ShownConfiguration {
    fn version_and_document(&self) -> Option<(u64, &serde_json::Value)> {
        match self {
            Self::AsRun { version, document }
            | Self::Current {
                version, document, ..
            } => Some((*version, document)),
            Self::Missing => None,
        }
    }
}

pub async fn shown_configuration(
    state: &AppState,
    client: domain::ClientId,
    sync: &SyncRun,
) -> Result<ShownConfiguration, store::StoreError> {
    if let Some((version, document)) = state.store.sync_configuration(sync.id).await? {
        return Ok(ShownConfiguration::AsRun { version, document });
    }
    Ok(match state.store.config(client, sync.company_id).await? {
        Some(config) => ShownConfiguration::Current {
            version: config.version,
            updated: config.updated,
            document: to_current_json(&config.document),
        },
        None => ShownConfiguration::Missing,
    })
}

/// The configuration section, saying which configuration it is.
fn configuration(sync: &SyncRun, config: &ShownConfiguration) -> maud::Markup {
    html! {
        @match config {
            ShownConfiguration::Missing => { p { "The merchant has no configuration." } }
            ShownConfiguration::AsRun { version, .. } => {
                p.status-ok { "The configuration this sync ran with (version " (version) ")." }
            }
            ShownConfiguration::Current { version, updated, .. } => {
                p {
                    "This sync did not record its configuration (it ran before runs kept it, or stopped before reading it); this is the merchant's configuration as it is now (version " (version) ", saved "
                    (when(*updated)) ")."
                }
                @if sync.started.is_some_and(|s| *updated > s) {
                    p.status-bad { "It was changed after this sync started." }
                }
            }
        }
        @if let Some((_, document)) = config.version_and_document() {
            p { a.button.secondary href={ "/health/syncs/" (sync.id) "/configuration.json" } download { "Download as JSON" } }
            details {
                summary { "Show the configuration" }
                pre.json { (serde_json::to_string_pretty(document).unwrap_or_default()) }
            }
        }
    }
}

/// `GET /health/syncs/{syncId}/configuration.json`: the merchant's configuration, as a file.
pub async fn configuration_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
) -> Response {
    let ctx = signed_in!(state, headers, uri);
    let sync = match ctx.sync(&state, &raw).await {
        Ok(sync) => sync,
        Err(refused) => return refused,
    };
    let config = match shown_configuration(&state, ctx.client(), &sync).await {
        Ok(config) => config,
        Err(e) => return ctx.failure("reading the configuration", e),
    };
    let Some((version, document)) = config.version_and_document() else {
        return super::message_page(
            StatusCode::NOT_FOUND,
            Some(&ctx.session),
            "No configuration",
            "This merchant has not saved a configuration yet.",
        );
    };
    let body = serde_json::to_string_pretty(document).unwrap_or_default();
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"configuration-{}-v{}.json\"",
        sync.company_id, version
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `POST /health/syncs/{syncId}/retry`: the API's retry, then back to the sync's page.
pub async fn retry(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let ctx = signed_in!(state, headers, uri);
    let sync = match ctx.sync(&state, &raw).await {
        Ok(sync) => sync,
        Err(refused) => return refused,
    };
    if let Some(refused) = ctx.refuse_form(&form) {
        return refused;
    }
    let to = format!("/health/syncs/{}", sync.id);
    let notice = match retry_sync(&state, &sync).await {
        Ok(_) => {
            tracing::info!(company_id = %sync.company_id, sync_id = %sync.id, user = %ctx.session.data.email, "sync health: retry of failed items queued");
            "Retry queued: the failed items are being written again. The outcome shows here when it has finished.".to_owned()
        }
        Err(e) if e.status.is_server_error() => {
            return ctx.failure("queueing a retry", e.message);
        }
        Err(e) => {
            tracing::warn!(company_id = %sync.company_id, sync_id = %sync.id, reason = %e.message, "sync health: retry refused");
            format!("Not retried: {}", e.message)
        }
    };
    ctx.redirect_with(&state, &to, notice).await
}

//! A merchant's page (`/health/companies/{companyId}`): its connections and their state (the
//! organisation reached, when its accounts were last read), the schedule (next due, failures
//! in a row, why it stopped; "enable again" through the API's configuration save), recent
//! syncs, webhook deliveries about the merchant (redelivery through the API's own function)
//! and the datasets the client pushed lately, with their counts and rejections.

use super::words::{badge, duration, when};
use super::{ActionForm, Ctx, signed_in};
use crate::AppState;
use crate::routes::configuration::set_enabled;
use crate::routes::webhooks::redeliver_delivery;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::config::{ConfigDocument, typed_schedule};
use domain::{Company, PageRequest};
use maud::{Markup, html};
use store::{DeliveryFilter, ScheduleState, StoredConfig};

/// Rows per section.
const RECENT: u64 = 10;
/// Rejections shown per dataset.
const REJECTIONS: usize = 5;

/// When the next scheduled sync is due and the period it covers, if it will run.
fn next_due(document: &ConfigDocument, progress: &ScheduleState) -> Result<String, &'static str> {
    if progress.disabled_at.is_some() {
        return Err("Not scheduled: the sync is turned off.");
    }
    if document.enable != Some(true) {
        return Err("Not scheduled: the merchant has turned the sync off.");
    }
    let schedule = typed_schedule(document).map_err(|_| "Not scheduled: no valid schedule.")?;
    let start = engine::scheduler::next_period_start(progress, &schedule);
    let due = schedule
        .next_due_after(start)
        .map_err(|_| "Not scheduled: the schedule cannot be computed.")?;
    Ok(format!(
        "{} (covering sales from {}; the merchant's time zone is {})",
        when(due),
        when(start),
        schedule.time_zone().iana_name().unwrap_or("UTC")
    ))
}

fn schedule_section(
    ctx: &Ctx,
    company: &Company,
    config: Option<&StoredConfig>,
    progress: &ScheduleState,
) -> Markup {
    let configured = config.is_some_and(|c| c.document.configured == Some(true));
    let on = configured
        && config.is_some_and(|c| c.document.enable == Some(true))
        && progress.disabled_at.is_none();
    html! {
        div.card {
            @if !configured {
                p { "The merchant has not finished the Sync Flow: nothing is scheduled." }
            } @else {
                p class=(if on { "status-ok" } else { "status-bad" }) {
                    @if on { "The daily sync is on." } @else { "The sync is off." }
                }
                dl.facts {
                    dt { "Next sync" }
                    dd { @match config.map(|c| next_due(&c.document, progress)) {
                        Some(Ok(text)) => { (text) }
                        Some(Err(why)) => { (why) }
                        None => { "—" }
                    } }
                    dt { "Synced up to" } dd { (progress.last_success_end.map(when).unwrap_or_else(|| "Never synced successfully".to_owned())) }
                    dt { "Failed days in a row" } dd { (progress.consecutive_failures) " (31 turn the sync off)" }
                    @if let Some(at) = progress.disabled_at {
                        dt { "Turned off" } dd { (when(at)) }
                        dt { "Why" } dd { (progress.disabled_reason.clone().unwrap_or_else(|| "No reason recorded.".to_owned())) }
                    }
                }
                @if !on {
                    form method="post" action={ "/health/companies/" (company.id) "/enable" } {
                        (ctx.csrf())
                        button type="submit" { "Enable the sync again" }
                        p.hint { "Saves the merchant's configuration with the sync on, as the API does; the schedule resumes at its next check, and counts failures afresh." }
                    }
                }
            }
        }
    }
}

/// `GET /health/companies/{companyId}`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
) -> Response {
    let mut ctx = signed_in!(state, headers, uri);
    let company = match ctx.company(&state, &raw).await {
        Ok(company) => company,
        Err(refused) => return refused,
    };
    let (client, id) = (ctx.client(), company.id);
    let connections = match state.store.list_connections(client, id).await {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return ctx.failure("reading connections", e),
    };
    let reference = state.store.reference_data(client, id).await.ok().flatten();
    let config = match state.store.config(client, id).await {
        Ok(c) => c,
        Err(e) => return ctx.failure("reading the configuration", e),
    };
    let progress = match state.store.schedule_state(id).await {
        Ok(p) => p,
        Err(e) => return ctx.failure("reading the schedule", e),
    };
    let syncs = state.store.syncs(id, 0, RECENT).await.unwrap_or_default();
    let deliveries = match state
        .store
        .list_webhook_deliveries(
            client,
            DeliveryFilter {
                company: Some(id),
                ..DeliveryFilter::default()
            },
            PageRequest {
                page: 1,
                page_size: RECENT as u32,
            },
        )
        .await
    {
        Ok(page) => page.items,
        Err(e) => return ctx.failure("reading webhook deliveries", e),
    };
    let datasets = match state.store.recent_datasets(client, id, RECENT).await {
        Ok(d) => d,
        Err(e) => return ctx.failure("reading datasets", e),
    };
    let notice = ctx.take_notice(&state).await;
    let now = state.clock.now();
    let title = company.name.as_str().to_owned();
    let content = html! {
        p.breadcrumb { a href="/health" { "Dashboard" } " › merchant" }
        h1 { (title) }
        @if let Some(notice) = notice { div.notice role="status" { (notice) } }
        dl.facts {
            dt { "Company id" } dd { code { (company.id) } }
            dt { "Created" } dd { (when(company.created)) }
        }
        p { a href={ "/health/syncs?q=" (company.id) } { "Every sync of this merchant" } }

        h2 { "Connections" }
        @if connections.is_empty() {
            p { "No connections: the merchant has not started the Sync Flow." }
        } @else {
            table {
                caption { "The merchant's connections" }
                thead { tr {
                    th scope="col" { "Platform" } th scope="col" { "State" }
                    th scope="col" { "Organisation reached" } th scope="col" { "Accounts last read" }
                } }
                tbody {
                    @for c in &connections {
                        @let read = reference.as_ref().filter(|r| r.connection_id == Some(c.id));
                        tr {
                            td { (c.platform_key.integration().name) }
                            td {
                                span class=(if c.status == domain::ConnectionStatus::Linked { "status-ok" } else { "status-bad" }) { (c.status.as_str()) }
                                @if let Some(e) = &c.error { br; span.hint.inline { (e.message) " (" (when(e.errored_on)) ")" } }
                                @if c.status == domain::ConnectionStatus::Deauthorized { br; "The merchant must connect its books again." }
                            }
                            td { @match read {
                                Some(r) => {
                                    (r.data.company.name)
                                    @if let Some(platform_ref) = &r.data.company.platform_ref { br; span.hint.inline { (platform_ref) } }
                                }
                                None => { "—" }
                            } }
                            td { @match read {
                                Some(r) => { (when(r.fetched)) br; span.hint.inline { (duration(now.duration_since(r.fetched))) " ago" } }
                                None => { "—" }
                            } }
                        }
                    }
                }
            }
        }

        h2 { "Schedule" }
        (schedule_section(&ctx, &company, config.as_ref(), &progress))

        h2 { "Recent syncs" }
        @if syncs.is_empty() {
            p { "No syncs yet." }
        } @else {
            table {
                caption { "The merchant's latest syncs" }
                thead { tr { th scope="col" { "Requested" } th scope="col" { "Status" } th scope="col" { "Sync" } } }
                tbody {
                    @for s in &syncs {
                        tr {
                            td { (when(s.requested)) }
                            td { (badge(s.outcome.status_code)) @if let Some(m) = &s.outcome.error_message { br; span.hint.inline { (m) } } }
                            td { a href={ "/health/syncs/" (s.id) } { "Open" span.visually-hidden { " sync " (s.id) } } }
                        }
                    }
                }
            }
        }

        h2 { "Webhook deliveries" }
        @if deliveries.is_empty() {
            p { "No webhook deliveries about this merchant." }
        } @else {
            table {
                caption { "Notifications sent to your webhook endpoints about this merchant" }
                thead { tr {
                    th scope="col" { "Event" } th scope="col" { "Happened" } th scope="col" { "Delivery" } th scope="col" { "Action" }
                } }
                tbody {
                    @for d in &deliveries {
                        tr {
                            td { (d.event.event_type) }
                            td { (when(d.event.occurred)) }
                            td {
                                (d.status.as_str()) ", " (d.attempts) " attempt" @if d.attempts != 1 { "s" }
                                @if let Some(code) = d.last_status_code { br; span.hint.inline { "Last answer: HTTP " (code) } }
                                @if let Some(e) = &d.last_error { br; span.hint.inline { (e) } }
                            }
                            td {
                                form method="post" action={ "/health/deliveries/" (d.id) "/redeliver" } {
                                    (ctx.csrf())
                                    button.secondary type="submit" { "Send again" span.visually-hidden { " " (d.event.event_type) " of " (when(d.event.occurred)) } }
                                }
                            }
                        }
                    }
                }
            }
        }

        h2 { "Datasets pushed" }
        @if datasets.is_empty() {
            p { "The client has pushed no data for this merchant." }
        } @else {
            table {
                caption { "The latest data the client pushed" }
                thead { tr {
                    th scope="col" { "Pushed" } th scope="col" { "Data" } th scope="col" { "Status" } th scope="col" { "Records" }
                } }
                tbody {
                    @for d in &datasets {
                        tr {
                            td { (when(d.requested)) }
                            td { (d.kind.data_type()) }
                            td class=(if d.status.is_errored() { "status-bad" } else { "" }) {
                                (d.status.as_str())
                                @if let Some(m) = &d.error_message { br; span.hint.inline { (m) } }
                            }
                            td {
                                (d.counts.received) " received: " (d.counts.inserted) " new, " (d.counts.modified) " changed, "
                                (d.counts.unchanged) " unchanged, " (d.counts.deleted) " deleted, " (d.counts.rejected) " rejected"
                                @if !d.rejections.is_empty() {
                                    details {
                                        summary { "Why records were rejected" }
                                        ul {
                                            @for r in d.rejections.iter().take(REJECTIONS) {
                                                li { "Record " (r.id.clone().unwrap_or_else(|| format!("#{}", r.index + 1))) ", " code { (r.pointer) } ": " (r.message) }
                                            }
                                        }
                                        @if d.rejections.len() > REJECTIONS { p.hint { "and " (d.rejections.len() - REJECTIONS) " more" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    ctx.page(StatusCode::OK, &title, content)
}

/// `POST /health/companies/{companyId}/enable`: the merchant's configuration saved with the
/// sync on, through the API's own `save` (every rule checked); a newer version re-enables a
/// schedule that stopped itself.
pub async fn enable(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let ctx = signed_in!(state, headers, uri);
    let company = match ctx.company(&state, &raw).await {
        Ok(company) => company,
        Err(refused) => return refused,
    };
    if let Some(refused) = ctx.refuse_form(&form) {
        return refused;
    }
    let (client, id) = (ctx.client(), company.id);
    let to = format!("/health/companies/{id}");
    let notice = match set_enabled(&state, client, id, true).await {
        Ok(None) => "Not enabled: the merchant has no configuration yet.".to_owned(),
        Ok(Some(saved)) => {
            tracing::info!(company_id = %id, version = saved.version, user = %ctx.session.data.email, "sync health: sync enabled again");
            "The sync is on again; the schedule resumes at its next check.".to_owned()
        }
        Err(e) if e.status.is_server_error() => return ctx.failure("enabling the sync", e.message),
        Err(e) => {
            tracing::warn!(company_id = %id, reason = %e.message, "sync health: enabling refused");
            let details: Vec<String> = e.errors.iter().map(|i| i.message.clone()).collect();
            if details.is_empty() {
                format!("Not enabled: {}", e.message)
            } else {
                format!("Not enabled: {}", details.join("; "))
            }
        }
    };
    ctx.redirect_with(&state, &to, notice).await
}

/// `POST /health/deliveries/{deliveryId}/redeliver`: the API's redelivery, then back to the
/// merchant the event is about.
pub async fn redeliver(
    State(state): State<AppState>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let ctx = signed_in!(state, headers, uri);
    let delivery = match ctx.delivery(&state, &raw).await {
        Ok(delivery) => delivery,
        Err(refused) => return refused,
    };
    if let Some(refused) = ctx.refuse_form(&form) {
        return refused;
    }
    let to = delivery.event.company_id.map_or_else(
        || "/health".to_owned(),
        |c| format!("/health/companies/{c}"),
    );
    let notice = match redeliver_delivery(&state, ctx.client(), delivery.id).await {
        Ok(fresh) => format!(
            "The {} notification is queued to be sent again (delivery {}).",
            delivery.event.event_type, fresh.id
        ),
        Err(e) if e.status.is_server_error() => return ctx.failure("redelivering", e.message),
        Err(e) => format!("Not sent again: {}", e.message),
    };
    ctx.redirect_with(&state, &to, notice).await
}

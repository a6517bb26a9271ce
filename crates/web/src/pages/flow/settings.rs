//! The settings page of a configured merchant: on or off, the last and the next sync, the
//! history in plain words, links to change each mapping stage, reading the books again and
//! disconnecting the accounting platform. Each action is the API's own code path.

use super::Ctx;
use super::accounting::reread;
use super::render::form_expired;
use super::stages::Stage;
use crate::AppState;
use crate::routes::configuration::set_enabled;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ConnectionStatus;
use domain::config::{ConfigDocument, typed_schedule};
use engine::connectors::live_accounting;
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;
use store::ConnectionUpdate;

/// Syncs shown in the history.
const HISTORY: u64 = 20;

fn when(t: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    t.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The next sync: when it runs and the sales it covers.
async fn next_sync(state: &AppState, ctx: &Ctx, document: &ConfigDocument) -> Option<String> {
    let schedule = typed_schedule(document).ok()?;
    let progress = state.store.schedule_state(ctx.company()).await.ok()?;
    if progress.disabled_at.is_some() || document.enable != Some(true) {
        return None;
    }
    let start = engine::scheduler::next_period_start(&progress, &schedule);
    let due = schedule.next_due_after(start).ok()?;
    let zone = schedule.time_zone();
    let date = |t: Timestamp| t.to_zoned(zone.clone()).date().to_string();
    let last_day = due
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .unwrap_or(due);
    Some(ctx.texts.f(
        "settings.nextSyncValue",
        &[
            ("due", &when(due.max(state.clock.now()), zone)),
            ("zone", zone.iana_name().unwrap_or("UTC")),
            ("from", &date(start)),
            ("to", &date(last_day)),
        ],
    ))
}

/// `GET /sync-flow/companies/{companyId}/settings`
pub async fn settings_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    let mut ctx = ctx;
    let (client, company) = (ctx.session.client, ctx.company());
    let stored = match state.store.config(client, company).await {
        Ok(Some(stored)) if stored.document.configured == Some(true) => stored,
        Ok(_) => return ctx.to(Stage::Commerce.slug()),
        Err(e) => return ctx.failure("reading the configuration", e),
    };
    let connections = state
        .store
        .list_connections(client, company)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let accounting = live_accounting(&connections).cloned();
    let platform = accounting
        .as_ref()
        .map(|c| c.platform_key.integration().name)
        .unwrap_or("");
    let linked = accounting
        .as_ref()
        .is_some_and(|c| c.status == ConnectionStatus::Linked);
    let syncs = state
        .store
        .syncs(company, 0, HISTORY)
        .await
        .unwrap_or_default();
    let progress = state.store.schedule_state(company).await.ok();
    let zone = typed_schedule(&stored.document)
        .map(|s| s.time_zone().clone())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let next = next_sync(&state, &ctx, &stored.document).await;
    let notice = ctx.take_notice(&state).await;
    let t = &ctx.texts;
    // A sync that stopped itself counts as on again once a newer configuration is saved (the
    // scheduler restarts it at its next check).
    let stopped = progress.as_ref().is_some_and(|p| {
        p.disabled_at.is_some() && p.config_version.is_none_or(|v| stored.version <= v)
    });
    let on = stored.document.enable == Some(true) && !stopped;
    let csrf = ctx.session.data.csrf.clone();
    let action = |name: &str, label: String, class: &str| -> Markup {
        html! {
            form method="post" action=(ctx.url(&format!("settings/{name}"))) {
                input type="hidden" name="csrf" value=(csrf);
                button class=(class) type="submit" { (label) }
            }
        }
    };
    let title = t.t("settings.heading");
    let content = html! {
        h1 { (title) }
        @if let Some(notice) = notice { div.notice role="status" { (notice) } }
        @if !linked && !platform.is_empty() {
            div.card role="alert" { p.status-bad { (t.f("settings.disconnected", &[("platform", platform)])) } }
        }
        div.card {
            @if on {
                p.status-ok { (t.t("settings.on")) }
                (action("disable", t.t("settings.turnOff"), "secondary"))
            } @else {
                p.status-bad { (t.t("settings.off")) }
                @if let Some(p) = progress.as_ref().filter(|p| p.disabled_at.is_some()) {
                    p { (t.f("settings.offWhy", &[("days", &p.consecutive_failures.to_string())])) }
                }
                (action("enable", t.t("settings.turnOn"), ""))
            }
            dl.facts {
                dt { (t.t("settings.lastSync")) }
                dd { @match syncs.first() {
                    Some(s) => { (when(s.completed.or(s.started).unwrap_or(s.requested), &zone)) " – " (status_words(t, s.outcome.status_code)) }
                    None => { (t.t("settings.none")) }
                } }
                dt { (t.t("settings.nextSync")) }
                dd { (next.unwrap_or_else(|| t.t("settings.none"))) }
            }
        }
        h2 { (t.t("settings.history")) }
        @if syncs.is_empty() {
            p { (t.t("settings.none")) }
        } @else {
            table {
                caption.visually-hidden { (t.t("settings.history")) }
                thead { tr {
                    th scope="col" { (t.t("history.when")) }
                    th scope="col" { (t.t("history.period")) }
                    th scope="col" { (t.t("history.status")) }
                    th scope="col" { (t.t("history.problem")) }
                } }
                tbody {
                    @for s in &syncs {
                        tr {
                            td { (when(s.requested, &zone)) }
                            td { (s.period_start.to_zoned(zone.clone()).date()) " → " (s.period_end.to_zoned(zone.clone()).date()) }
                            td class=(if s.outcome.status_code < 4000 { "status-ok" } else { "status-bad" }) { (status_words(t, s.outcome.status_code)) }
                            td { (s.outcome.error_message.clone().unwrap_or_default()) }
                        }
                    }
                }
            }
        }
        h2 { (t.t("settings.mapping")) }
        ul {
            @for stage in Stage::MAPPING {
                li { a href=(ctx.url(stage.slug())) { (t.f("settings.change", &[("stage", &t.t(&stage.title_key()))])) } }
            }
        }
        h2 { (t.t("settings.books")) }
        @if linked {
            div.actions {
                (action("reread", t.f("settings.reread", &[("platform", platform)]), "secondary"))
            }
            div.card {
                p { (t.t("settings.disconnectExplain")) }
                (action("disconnect", t.f("settings.disconnect", &[("platform", platform)]), "danger"))
            }
        } @else {
            a.button href=(ctx.url(Stage::Accounting.slug())) { (t.f("accounting.connect", &[("platform", if platform.is_empty() { "…" } else { platform })])) }
        }
        @if let Some(url) = &ctx.session.data.redirect_url {
            p { a href=(url) { (t.f("settings.return", &[("client", ctx.client_name())])) } }
        }
    };
    ctx.page(StatusCode::OK, &title, content)
}

/// A sync status code in the merchant's words.
pub fn status_words(t: &crate::pages::text::Texts, code: u16) -> String {
    t.maybe(&format!("sync.{code}"))
        .unwrap_or_else(|| code.to_string())
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: Option<String>,
}

/// `POST /sync-flow/companies/{companyId}/settings/{enable|disable|reread|disconnect}`
pub async fn settings_action(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    ctx: Ctx,
    Form(form): Form<ActionForm>,
) -> Response {
    let mut ctx = ctx;
    if !ctx.session.csrf_ok(form.csrf.as_deref()) {
        return form_expired(&ctx);
    }
    let (client, company) = (ctx.session.client, ctx.company());
    let t = ctx.texts.clone();
    let connections = state
        .store
        .list_connections(client, company)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let accounting = live_accounting(&connections).cloned();
    let platform = accounting
        .as_ref()
        .map(|c| c.platform_key.integration().name)
        .unwrap_or("");
    let notice = match name.as_str() {
        "enable" | "disable" => {
            if let Err(e) = set_enabled(&state, client, company, name == "enable").await {
                return ctx.failure("switching the sync", e.message);
            }
            t.t("settings.saved")
        }
        "reread" => {
            let _ = reread(&state, &ctx).await;
            t.f("settings.rereadDone", &[("platform", platform)])
        }
        "disconnect" => {
            if let Some(connection) = &accounting {
                let update = ConnectionUpdate {
                    status: ConnectionStatus::Unlinked,
                    credentials: Some(None),
                    error: Some(None),
                };
                if let Err(e) = state
                    .store
                    .update_connection(client, company, connection.id, update)
                    .await
                {
                    return ctx.failure("disconnecting", e);
                }
                state.connectors.forget(connection.id);
                tracing::info!(company_id = %company, connection_id = %connection.id, "accounting platform disconnected by the merchant");
            }
            t.f("settings.disconnected", &[("platform", platform)])
        }
        _ => return ctx.to("settings"),
    };
    ctx.session.data.notice = Some(notice);
    if let Err(e) = ctx.session.save(&state).await {
        return ctx.failure("saving the session", e);
    }
    ctx.to("settings")
}

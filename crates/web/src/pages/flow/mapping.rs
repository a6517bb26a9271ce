//! The mapping stages (sales, fees, payments, schedule) and their changes from the settings
//! page. Each stage is a form over the configuration document offered to the merchant; its
//! answers go into a draft kept in the session, checked by the same function the API's
//! `POST /config/companies/{id}/sync/commerce` uses, and saved through it: on the last stage
//! of a first run, or at once when the merchant changes a configured mapping.

use super::Ctx;
use super::fields::{Field, apply_form, sections, set_pointer};
use super::render::{self, error_summary, form_expired, progress};
use super::stages::Stage;
use crate::AppState;
use crate::routes::books::{books_of, offered};
use crate::routes::configuration::{Checked, check, save};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::config::{ConfigDocument, ConfigError, codes, to_current_json};
use maud::html;
use serde_json::Value;

/// What a mapping stage shows.
pub(super) struct View {
    pub document: ConfigDocument,
    /// The unsaved choices (current shape).
    pub draft: Value,
    pub configured: bool,
    pub platform: String,
}

/// The document as the merchant's choices make it, or where to go instead (books not read yet).
pub(super) async fn view(state: &AppState, ctx: &Ctx) -> Result<View, Response> {
    let (client, company) = (ctx.session.client, ctx.company());
    let books = match books_of(state, client, company).await {
        Ok(books) => books,
        Err(_) => return Err(ctx.to(Stage::Accounting.slug())),
    };
    let platform = books
        .connection
        .as_ref()
        .map(|c| c.platform_key.integration().name.to_owned())
        .unwrap_or_default();
    let stored = state
        .store
        .config(client, company)
        .await
        .map_err(|e| ctx.failure("reading the configuration", e))?;
    let configured = stored
        .as_ref()
        .is_some_and(|s| s.document.configured == Some(true));
    let draft = match (&ctx.session.data.draft, &stored) {
        (Some(draft), _) => draft.clone(),
        (None, Some(stored)) => to_current_json(&stored.document),
        (None, None) => {
            let document = offered(state, client, company, &books, None)
                .await
                .map_err(|e| ctx.failure("offering options", e.message))?;
            to_current_json(&document)
        }
    };
    let document = match check(state, client, company, &draft).await {
        Ok(Checked { document, .. }) => document,
        Err(e) => return Err(ctx.failure("checking the draft", e.message)),
    };
    Ok(View {
        document,
        draft,
        configured,
        platform,
    })
}

fn stage_of(slug: &str) -> Option<Stage> {
    Stage::parse(slug).filter(|s| Stage::MAPPING.contains(s))
}

fn heading_key(stage: Stage) -> &'static str {
    match stage {
        Stage::Sales => "sales.heading",
        Stage::Fees => "fees.heading",
        Stage::Payments => "payments.heading",
        _ => "schedule.heading",
    }
}

/// The stage's form, with `errors` (those of this stage beside their fields, all in the summary).
fn render(
    ctx: &Ctx,
    stage: Stage,
    view: &View,
    errors: &[ConfigError],
    notice: Option<String>,
) -> Response {
    let t = &ctx.texts;
    let sections = sections(stage, &view.document, t, &view.platform, view.configured);
    let labels: Vec<(String, String)> = sections
        .iter()
        .flat_map(|s| s.fields.iter())
        .map(|f| (f.pointer.clone(), f.label.clone()))
        .collect();
    let title = t.t(heading_key(stage));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mode = if view.document.configuration.output_format()
        == domain::config::OutputFormat::JournalEntry
    {
        "output.JournalEntry"
    } else {
        "output.Documents"
    };
    ctx.page(status, &title, html! {
        @if view.configured {
            p { a href=(ctx.url("settings")) { (t.t("settings.heading")) } }
        } @else {
            (progress(t, stage))
        }
        h1 { (title) }
        (error_summary(ctx, stage, errors, &labels))
        @if let Some(notice) = notice { div.notice role="status" { (notice) } }
        @if stage == Stage::Sales && view.configured {
            p.hint { (t.f("output.chosen", &[("mode", &t.t(mode))])) }
        }
        form method="post" action=(ctx.url(stage.slug())) novalidate {
            input type="hidden" name="csrf" value=(ctx.session.data.csrf);
            (render::sections(ctx, &sections, errors))
            div.actions {
                @if view.configured {
                    button type="submit" { (t.t("button.save")) }
                    a.button.secondary href=(ctx.url("settings")) { (t.t("button.back")) }
                } @else {
                    button type="submit" { (t.t(if stage == Stage::Schedule { "button.finish" } else { "button.continue" })) }
                    @if let Some(previous) = stage.previous() {
                        a.button.secondary href=(ctx.url(previous.slug())) { (t.t("button.back")) }
                    }
                }
            }
        }
    })
}

/// `GET /sync-flow/companies/{companyId}/{stage}` for the mapping stages.
pub async fn stage_page(
    State(state): State<AppState>,
    Path((_, slug)): Path<(String, String)>,
    ctx: Ctx,
) -> Response {
    let mut ctx = ctx;
    let Some(stage) = stage_of(&slug) else {
        return ctx.to("");
    };
    let view = match view(&state, &ctx).await {
        Ok(view) => view,
        Err(elsewhere) => return elsewhere,
    };
    let notice = ctx.take_notice(&state).await;
    render(&ctx, stage, &view, &[], notice)
}

/// `POST /sync-flow/companies/{companyId}/{stage}`: the stage's answers.
pub async fn stage_submit(
    State(state): State<AppState>,
    Path((_, slug)): Path<(String, String)>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut ctx = ctx;
    let sent_csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if !ctx.session.csrf_ok(sent_csrf) {
        return form_expired(&ctx);
    }
    let Some(stage) = stage_of(&slug) else {
        return ctx.to("");
    };
    let mut view = match view(&state, &ctx).await {
        Ok(view) => view,
        Err(elsewhere) => return elsewhere,
    };
    let fields: Vec<Field> = sections(
        stage,
        &view.document,
        &ctx.texts,
        &view.platform,
        view.configured,
    )
    .into_iter()
    .flat_map(|s| s.fields)
    .collect();
    apply_form(&mut view.draft, &fields, &form);
    let finishing = !view.configured && stage == Stage::Schedule;
    if finishing {
        set_pointer(&mut view.draft, "/enable", Some(Value::Bool(true)));
    }
    let (client, company) = (ctx.session.client, ctx.company());
    let checked = match check(&state, client, company, &view.draft).await {
        Ok(checked) => checked,
        Err(e) => Checked {
            document: view.document.clone(),
            errors: e
                .errors
                .into_iter()
                .map(|i| {
                    ConfigError::new(
                        i.pointer.unwrap_or_default(),
                        codes::INVALID_TYPE,
                        i.message,
                    )
                })
                .collect(),
            version: None,
        },
    };
    view.document = checked.document;
    ctx.session.data.draft = Some(view.draft.clone());
    let saving = view.configured || finishing;
    let errors: Vec<ConfigError> = if saving {
        checked.errors
    } else {
        checked
            .errors
            .into_iter()
            .filter(|e| Stage::owning(&e.pointer) == stage)
            .collect()
    };
    if !errors.is_empty() {
        if let Err(e) = ctx.session.save(&state).await {
            return ctx.failure("saving the draft", e);
        }
        return render(&ctx, stage, &view, &errors, None);
    }
    if !saving {
        if let Err(e) = ctx.session.save(&state).await {
            return ctx.failure("saving the draft", e);
        }
        return ctx.to(stage.next().unwrap_or(Stage::Schedule).slug());
    }
    if let Err(e) = save(&state, client, company, &view.draft, None).await {
        return ctx.failure("saving the configuration", e.message);
    }
    ctx.session.data.draft = None;
    let done_key = if finishing {
        "settings.done"
    } else {
        "settings.saved"
    };
    ctx.session.data.notice = Some(ctx.texts.f(done_key, &[("platform", &view.platform)]));
    if let Err(e) = ctx.session.save(&state).await {
        return ctx.failure("saving the session", e);
    }
    match (&ctx.session.data.redirect_url, finishing) {
        (Some(url), true) => Redirect::to(&with_outcome(url, company)).into_response(),
        _ => ctx.to("settings"),
    }
}

/// The client's page, told which company finished.
fn with_outcome(url: &str, company: domain::CompanyId) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed
                .query_pairs_mut()
                .append_pair("companyId", &company.to_string())
                .append_pair("status", "Configured");
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

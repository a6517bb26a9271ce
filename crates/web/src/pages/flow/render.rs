//! Markup shared by the stages: the progress list, the fields with their messages, and the
//! summary of what to correct. Every control has a label; a field's message is tied to it
//! with `aria-describedby` and the summary links to each field.

use super::Ctx;
use super::fields::{Control, Creatable, Field, Section};
use super::stages::Stage;
use crate::pages::layout::refusal;
use crate::pages::text::Texts;
use axum::http::StatusCode;
use axum::response::Response;
use domain::config::ConfigError;
use domain::config::codes;
use maud::{Markup, html};

/// The six stages, the current one marked.
pub fn progress(t: &Texts, current: Stage) -> Markup {
    html! {
        nav aria-label=(t.t("progress.nav")) {
            p.step-count { (t.f("progress.label", &[("n", &current.number().to_string()), ("total", &Stage::ALL.len().to_string())])) }
            ol.progress {
                @for stage in Stage::ALL {
                    @if stage == current {
                        li aria-current="step" { (t.t(&stage.title_key())) }
                    } @else if stage.number() < current.number() {
                        li.done { (t.t(&stage.title_key())) }
                    } @else {
                        li { (t.t(&stage.title_key())) }
                    }
                }
            }
        }
    }
}

/// An HTML id for a field, from its pointer.
pub fn field_id(pointer: &str) -> String {
    let mut id = String::from("f");
    for c in pointer.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '-' });
    }
    id
}

/// A configuration problem in the merchant's words, with what to do.
pub fn plain_message(t: &Texts, error: &ConfigError, label: Option<&str>) -> String {
    let key = match error.code {
        codes::OPTION_NOT_PROVIDED
        | codes::ACCOUNT_NOT_IN_OPTIONS
        | codes::CUSTOMER_NOT_IN_OPTIONS
        | codes::SUPPLIER_NOT_IN_OPTIONS
        | codes::TAX_RATE_NOT_IN_OPTIONS
        | codes::ACCOUNT_NOT_FOUND
        | codes::ACCOUNT_INACTIVE
        | codes::CUSTOMER_NOT_FOUND
        | codes::CUSTOMER_INACTIVE
        | codes::SUPPLIER_NOT_FOUND
        | codes::SUPPLIER_INACTIVE
        | codes::TAX_RATE_NOT_FOUND
        | codes::TAX_RATE_INACTIVE => "error.option".to_owned(),
        codes::CONNECTIONS_COUNT | codes::CONNECTION_NOT_LINKED => "error.connections".to_owned(),
        code => format!("error.{code}"),
    };
    match t.maybe(&key) {
        Some(_) => t.f(&key, &[("label", label.unwrap_or_default())]),
        None => t.f("error.other", &[("message", &error.message)]),
    }
}

/// The stage's sections as form controls, with their errors.
pub fn sections(ctx: &Ctx, sections: &[Section], errors: &[ConfigError]) -> Markup {
    let t = &ctx.texts;
    html! {
        @for section in sections {
            @if let Some(heading) = &section.heading { h2 { (heading) } }
            @if let Some(hint) = &section.hint { p.hint { (hint) } }
            @if let Some((left, right)) = &section.table {
                table {
                    thead { tr { th scope="col" { (left) } th scope="col" { (right) } } }
                    tbody {
                        @for field in &section.fields {
                            tr {
                                th scope="row" { label for=(field_id(&field.pointer)) { (field.label) } }
                                td { (control(ctx, field, errors, true)) }
                            }
                        }
                    }
                }
            } @else {
                @for field in &section.fields { (one_field(ctx, field, errors)) }
            }
        }
        @if sections.iter().all(|s| s.fields.is_empty()) { p { (t.t("settings.none")) } }
    }
}

fn one_field(ctx: &Ctx, field: &Field, errors: &[ConfigError]) -> Markup {
    let t = &ctx.texts;
    let id = field_id(&field.pointer);
    let invalid = errors.iter().any(|e| e.pointer == field.pointer);
    let requirement = if field.required {
        t.t("field.required")
    } else {
        t.t("field.optional")
    };
    match &field.control {
        Control::Checkbox(checked) => html! {
            div.field.choice {
                input type="checkbox" id=(id) name=(field.pointer) value="true" checked[*checked];
                label for=(id) { (field.label) }
            }
        },
        Control::Radio { .. } | Control::Checkboxes { .. } => html! {
            fieldset.field.invalid[invalid] aria-describedby=[invalid.then(|| format!("{id}-error"))] {
                legend { (field.label) }
                @if let Some(hint) = &field.hint { span.hint { (hint) } }
                (messages(ctx, field, errors))
                (control(ctx, field, errors, false))
            }
        },
        _ => html! {
            div.field.invalid[invalid] {
                label for=(id) { (field.label) " " span.hint.inline { "(" (requirement) ")" } }
                @if let Some(hint) = &field.hint { span.hint id={ (id) "-hint" } { (hint) } }
                (messages(ctx, field, errors))
                (control(ctx, field, errors, false))
                @if let Control::Select { create: Some(kind), .. } = &field.control { (create_form(ctx, field, *kind)) }
            }
        },
    }
}

fn messages(ctx: &Ctx, field: &Field, errors: &[ConfigError]) -> Markup {
    let id = field_id(&field.pointer);
    html! {
        @for error in errors.iter().filter(|e| e.pointer == field.pointer) {
            span.error-message id={ (id) "-error" } { (plain_message(&ctx.texts, error, Some(&field.label))) }
        }
    }
}

fn control(ctx: &Ctx, field: &Field, errors: &[ConfigError], in_table: bool) -> Markup {
    let t = &ctx.texts;
    let id = field_id(&field.pointer);
    let invalid = errors.iter().any(|e| e.pointer == field.pointer);
    let described = match (invalid, field.hint.is_some() && !in_table) {
        (true, true) => Some(format!("{id}-error {id}-hint")),
        (true, false) => Some(format!("{id}-error")),
        (false, true) => Some(format!("{id}-hint")),
        (false, false) => None,
    };
    let name = &field.pointer;
    html! {
        @match &field.control {
            Control::Select { options, selected, .. } => {
                select id=(id) name=(name) aria-invalid=[invalid.then_some("true")] aria-describedby=[described] {
                    option value="" selected[selected.is_none()] { (t.t("field.choose")) }
                    @for (value, label) in options {
                        option value=(value) selected[selected.as_deref() == Some(value.as_str())] { (label) }
                    }
                }
                @if in_table { (messages(ctx, field, errors)) }
            }
            Control::Radio { options, selected } => {
                @for (i, (value, label)) in options.iter().enumerate() {
                    div.choice {
                        input type="radio" id={ (id) "-" (i) } name=(name) value=(value) checked[selected == value];
                        label for={ (id) "-" (i) } { (label) }
                    }
                }
            }
            Control::Checkboxes { options, selected } => {
                @for (i, (value, label)) in options.iter().enumerate() {
                    div.choice {
                        input type="checkbox" id={ (id) "-" (i) } name=(name) value=(value) checked[selected.contains(value)];
                        label for={ (id) "-" (i) } { (label) }
                    }
                }
            }
            Control::Checkbox(checked) => {
                input type="checkbox" id=(id) name=(name) value="true" checked[*checked];
            }
            Control::Date(value) => {
                input type="date" id=(id) name=(name) value=(value) min="2000-01-01" max="2100-12-31" aria-invalid=[invalid.then_some("true")] aria-describedby=[described];
            }
            Control::Hour(hour) => {
                select id=(id) name=(name) aria-invalid=[invalid.then_some("true")] aria-describedby=[described] {
                    @for h in 0..24i64 {
                        option value=(h) selected[*hour == Some(h)] { (format!("{h:02}:00")) }
                    }
                }
            }
            Control::TimeZone(zone) => {
                select id=(id) name=(name) data-browser-zone[zone.is_none()] aria-invalid=[invalid.then_some("true")] aria-describedby=[described] {
                    option value="" selected[zone.is_none()] { (t.t("field.choose")) }
                    @for name in time_zones() {
                        option value=(name) selected[zone.as_deref() == Some(name.as_str())] { (name) }
                    }
                }
            }
        }
    }
}

/// IANA zone names, sorted, without the legacy aliases.
pub fn time_zones() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| {
            n.contains('/')
                && !n.starts_with("Etc/GMT")
                && !n.starts_with("SystemV/")
                && !n.starts_with("US/")
        })
        .collect();
    names.push("UTC".into());
    names.sort();
    names.dedup();
    names
}

/// The controls under a select that create the missing record in the books. Their button
/// sends the whole stage form to the create action (`formaction`), so choices not yet saved
/// on the page are kept when the page comes back with the new record selected.
fn create_form(ctx: &Ctx, field: &Field, kind: Creatable) -> Markup {
    let t = &ctx.texts;
    let id = format!("{}-new", field_id(&field.pointer));
    let summary = match kind {
        Creatable::Account => t.t("create.account"),
        Creatable::Customer => t.t("create.customer"),
        Creatable::Supplier => t.t("create.supplier"),
    };
    html! {
        details.create {
            summary { (summary) span.hint.inline { " – " (field.label) } }
            div.create-fields {
                div.field {
                    label for={ (id) "-name" } { (t.t("create.name")) }
                    input type="text" id={ (id) "-name" } name={ "create-name " (field.pointer) } maxlength="150";
                }
                @if kind == Creatable::Account {
                    div.field {
                        label for={ (id) "-code" } { (t.t("create.code")) }
                        input type="text" id={ (id) "-code" } name={ "create-code " (field.pointer) } maxlength="10";
                    }
                }
                button.secondary type="submit" name="create" value=(field.pointer)
                    formaction=(ctx.url(&format!("create/{}", kind.data_type()))) { (t.t("create.button")) }
            }
        }
    }
}

/// The list of what to correct, each linked to its field or its stage; focused on load.
pub fn error_summary(
    ctx: &Ctx,
    stage: Stage,
    errors: &[ConfigError],
    labels: &[(String, String)],
) -> Markup {
    let t = &ctx.texts;
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { (t.t("errors.summary")) }
                ul {
                    @for error in errors {
                        @let owner = Stage::owning(&error.pointer);
                        @let label = labels.iter().find(|(p, _)| *p == error.pointer).map(|(_, l)| l.as_str());
                        li {
                            @if owner == stage && label.is_some() {
                                a href={ "#" (field_id(&error.pointer)) } { (plain_message(t, error, label)) }
                            } @else if owner == stage {
                                (plain_message(t, error, label))
                            } @else {
                                a href=(ctx.url(owner.slug())) { (t.f("errors.otherStage", &[("stage", &t.t(&owner.title_key()))])) }
                                " " (plain_message(t, error, label))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A form whose CSRF token is not the session's.
pub fn form_expired(ctx: &Ctx) -> Response {
    tracing::warn!(company_id = %ctx.company(), "sync flow: a form came without its session's CSRF token");
    refusal(
        StatusCode::FORBIDDEN,
        &ctx.texts,
        "refused.form.title",
        "refused.form.text",
    )
}

//! Sync Health: the pages a client's support staff use to answer "why are this merchant's
//! sales not in the books?" (`/health/...`). Signed in per client; every page and every link
//! shows that client's merchants only: ids from the URL are looked up through queries scoped by
//! the session's client, so another client's id is "not found", exactly like one that never
//! existed. Actions (retry, enable, redeliver) call the API's own functions.
//!
//! Every page route is listed once, in [`ROUTES`]: the router is built from it, and the
//! ownership test walks it, so a page added without its ownership check fails that test.

pub mod chart;
pub mod dashboard;
pub mod history;
pub mod merchant;
pub mod signin;
pub mod sync;
pub mod words;

#[cfg(test)]
mod ownership_tests;

use super::layout::html;
use super::support_session::{self, SupportSession};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use domain::{ClientId, Company, CompanyId};
use maud::{DOCTYPE, Markup, html};
use store::{SyncRun, WebhookDelivery, WebhookDeliveryId};
use uuid::Uuid;

/// What an id in a page's path names; the ownership test fills each with another client's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owns {
    /// No id: the page shows the signed-in client's rows only (dashboard, history).
    ClientRows,
    /// Open to anyone (sign-in).
    Public,
    Company,
    Sync,
    Delivery,
}

/// One page route.
pub struct PageRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub owns: Owns,
    pub handler: fn() -> MethodRouter<AppState>,
}

/// Every Sync Health route. Add a page here (and nowhere else): the router and the ownership
/// test both read this list.
pub const ROUTES: &[PageRoute] = &[
    PageRoute {
        method: "GET",
        path: "/health",
        owns: Owns::ClientRows,
        handler: || get(dashboard::page),
    },
    PageRoute {
        method: "GET",
        path: "/health/sign-in",
        owns: Owns::Public,
        handler: || get(signin::page),
    },
    PageRoute {
        method: "POST",
        path: "/health/sign-in",
        owns: Owns::Public,
        handler: || post(signin::submit),
    },
    PageRoute {
        method: "POST",
        path: "/health/sign-out",
        owns: Owns::Public,
        handler: || post(signin::sign_out),
    },
    PageRoute {
        method: "GET",
        path: "/health/syncs",
        owns: Owns::ClientRows,
        handler: || get(history::page),
    },
    PageRoute {
        method: "GET",
        path: "/health/syncs/{syncId}",
        owns: Owns::Sync,
        handler: || get(sync::page),
    },
    PageRoute {
        method: "GET",
        path: "/health/syncs/{syncId}/configuration.json",
        owns: Owns::Sync,
        handler: || get(sync::configuration_json),
    },
    PageRoute {
        method: "POST",
        path: "/health/syncs/{syncId}/retry",
        owns: Owns::Sync,
        handler: || post(sync::retry),
    },
    PageRoute {
        method: "GET",
        path: "/health/companies/{companyId}",
        owns: Owns::Company,
        handler: || get(merchant::page),
    },
    PageRoute {
        method: "POST",
        path: "/health/companies/{companyId}/enable",
        owns: Owns::Company,
        handler: || post(merchant::enable),
    },
    PageRoute {
        method: "POST",
        path: "/health/deliveries/{deliveryId}/redeliver",
        owns: Owns::Delivery,
        handler: || post(merchant::redeliver),
    },
];

/// Any other path under `/health`: a page saying so, not the API's JSON.
pub async fn unknown(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = support_session::find(&state, &headers, state.clock.now())
        .await
        .ok()
        .flatten();
    message_page(
        StatusCode::NOT_FOUND,
        signed_in.as_ref(),
        "Page not found",
        "There is no such page. Start again from the dashboard.",
    )
}

/// What every signed-in page works with.
pub struct Ctx {
    pub session: SupportSession,
}

impl Ctx {
    pub fn client(&self) -> ClientId {
        self.session.client
    }

    /// The page, in the Sync Health frame.
    pub fn page(&self, status: StatusCode, title: &str, content: Markup) -> Response {
        html(status, frame(Some(&self.session), title, None, content))
    }

    /// The page, reloading itself every `seconds` (while a sync runs: no script needed).
    pub fn refreshing_page(&self, seconds: u32, title: &str, content: Markup) -> Response {
        html(
            StatusCode::OK,
            frame(Some(&self.session), title, Some(seconds), content),
        )
    }

    /// The hidden CSRF field every form carries.
    pub fn csrf(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.session.data.csrf); }
    }

    /// Takes the one-time notice, saving the session without it.
    pub async fn take_notice(&mut self, state: &AppState) -> Option<String> {
        let notice = self.session.data.notice.take();
        if notice.is_some()
            && let Err(e) = self.session.save(state).await
        {
            tracing::warn!(client_id = %self.client(), error = %e, "sync health: the notice stays");
        }
        notice
    }

    /// After a form: keep `notice` for the next page and send the browser there (so a reload
    /// of the result page never posts the form again).
    pub async fn redirect_with(mut self, state: &AppState, to: &str, notice: String) -> Response {
        self.session.data.notice = Some(notice);
        if let Err(e) = self.session.save(state).await {
            return self.failure("saving the notice", e);
        }
        Redirect::to(to).into_response()
    }

    /// Something failed on our side: logged with the ids, said plainly.
    pub fn failure(&self, what: &str, error: impl std::fmt::Display) -> Response {
        tracing::error!(client_id = %self.client(), user = %self.session.data.email, error = %error, "sync health: {what}");
        message_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some(&self.session),
            "Something went wrong",
            "Something went wrong on our side; try again in a moment. If it keeps failing, tell your operator the time it happened.",
        )
    }

    /// 404: not one of this client's (or not at all; the two are never told apart).
    pub fn not_found(&self, what: &str) -> Response {
        message_page(
            StatusCode::NOT_FOUND,
            Some(&self.session),
            &format!("No such {what}"),
            &format!("There is no {what} with this id among your merchants."),
        )
    }

    /// 400 with what is wrong.
    pub fn bad_request(&self, message: &str) -> Response {
        message_page(
            StatusCode::BAD_REQUEST,
            Some(&self.session),
            "This request cannot be read",
            message,
        )
    }

    /// The refusal for an action form that does not carry this session's token (or cannot
    /// be read), `None` when it does.
    pub fn refuse_form(
        &self,
        form: &Result<axum::Form<ActionForm>, axum::extract::rejection::FormRejection>,
    ) -> Option<Response> {
        let sent = form.as_ref().ok().and_then(|f| f.csrf.as_deref());
        (!self.session.csrf_ok(sent)).then(|| self.form_expired())
    }

    /// 403 for a form without this session's token.
    pub fn form_expired(&self) -> Response {
        message_page(
            StatusCode::FORBIDDEN,
            Some(&self.session),
            "This form has expired",
            "The form was not sent from this session. Go back, reload the page and try again.",
        )
    }

    /// The client's company named by `raw`.
    pub async fn company(&self, state: &AppState, raw: &str) -> Result<Company, Response> {
        let Ok(id) = raw.parse::<CompanyId>() else {
            return Err(self.bad_request(&format!("{raw:?} is not a company id (a UUID).")));
        };
        match state.store.company(self.client(), id).await {
            Ok(Some(company)) => Ok(company),
            Ok(None) => Err(self.not_found("merchant")),
            Err(e) => Err(self.failure("reading a company", e)),
        }
    }

    /// The client's sync named by `raw`.
    pub async fn sync(&self, state: &AppState, raw: &str) -> Result<SyncRun, Response> {
        let Ok(id) = raw.parse::<Uuid>() else {
            return Err(self.bad_request(&format!("{raw:?} is not a sync id (a UUID).")));
        };
        match state.store.client_sync(self.client(), id).await {
            Ok(Some(sync)) => Ok(sync),
            Ok(None) => Err(self.not_found("sync")),
            Err(e) => Err(self.failure("reading a sync", e)),
        }
    }

    /// The client's webhook delivery named by `raw`.
    pub async fn delivery(&self, state: &AppState, raw: &str) -> Result<WebhookDelivery, Response> {
        let Ok(id) = raw.parse::<WebhookDeliveryId>() else {
            return Err(self.bad_request(&format!("{raw:?} is not a delivery id.")));
        };
        match state.store.webhook_delivery(self.client(), id).await {
            Ok(Some(delivery)) => Ok(delivery),
            Ok(None) => Err(self.not_found("webhook delivery")),
            Err(e) => Err(self.failure("reading a webhook delivery", e)),
        }
    }
}

/// The signed-in user's context, or where to go instead: the sign-in page (after which the
/// user comes back to `uri`).
pub async fn load(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Result<Ctx, Response> {
    let now = state.clock.now();
    let found = support_session::find(state, headers, now)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sync health: session lookup failed");
            message_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                "Something went wrong",
                "Something went wrong on our side; try again in a moment.",
            )
        })?;
    let Some(session) = found else {
        return Err(to_sign_in(uri));
    };
    // A user removed (`support-users remove`) is signed out at its next request.
    let user = state
        .store
        .support_user_for_sign_in(&session.data.email)
        .await
        .ok()
        .flatten();
    if !user.is_some_and(|u| u.id == session.data.user_id && u.client_id == session.client) {
        tracing::warn!(client_id = %session.client, user = %session.data.email, "sync health: a session of a removed user ended");
        let _ = state.store.delete_page_session(&session.id).await;
        return Err(to_sign_in(uri));
    }
    let ctx = Ctx { session };
    // Each visit keeps the session alive.
    if let Err(e) = ctx.session.save(state).await {
        tracing::warn!(client_id = %ctx.client(), error = %e, "sync health: session not extended");
    }
    Ok(ctx)
}

/// The sign-in page, coming back to `uri` after (GET pages only: a form is not re-posted).
fn to_sign_in(uri: &Uri) -> Response {
    let back = uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| p.starts_with("/health"))
        .unwrap_or("/health");
    let query = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
    Redirect::to(&format!("/health/sign-in?{query}")).into_response()
}

/// The `load` of a handler: the context, or the response to give instead.
macro_rules! signed_in {
    ($state:expr, $headers:expr, $uri:expr) => {
        match $crate::pages::health::load(&$state, &$headers, &$uri).await {
            Ok(ctx) => ctx,
            Err(response) => return response,
        }
    };
}
pub(crate) use signed_in;

/// A page of one heading and one sentence.
pub fn message_page(
    status: StatusCode,
    session: Option<&SupportSession>,
    title: &str,
    text: &str,
) -> Response {
    html(
        status,
        frame(
            session,
            title,
            None,
            html! {
                h1 { (title) }
                p { (text) }
                @if session.is_some() { p { a href="/health" { "Back to the dashboard" } } }
            },
        ),
    )
}

/// The whole document: our stylesheet, the support header (navigation and sign-out when
/// signed in), the main content.
pub fn frame(
    session: Option<&SupportSession>,
    title: &str,
    refresh: Option<u32>,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Sync Health" }
                link rel="stylesheet" href="/assets/pages.css";
                @if let Some(seconds) = refresh { meta http-equiv="refresh" content=(seconds); }
            }
            body.health {
                a.skip href="#main" { "Skip to the content" }
                header.site {
                    span.client-name {
                        "Sync Health"
                        @if let Some(s) = session { span.hint.inline { " · " (s.data.client_name) } }
                    }
                    @if let Some(s) = session {
                        nav.health-nav aria-label="Sync Health" {
                            a href="/health" { "Dashboard" }
                            a href="/health/syncs" { "Sync history" }
                            form method="post" action="/health/sign-out" {
                                input type="hidden" name="csrf" value=(s.data.csrf);
                                button.secondary type="submit" { "Sign out " span.hint.inline { (s.data.email) } }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    (content)
                }
            }
        }
    }
}

/// The form every action posts: only the CSRF token.
#[derive(serde::Deserialize)]
pub struct ActionForm {
    pub csrf: Option<String>,
}

//! Signing in and out of Sync Health. A support user gives its email and password; the
//! password is verified against the stored argon2 hash (`passwords`), and a wrong email or a
//! wrong password get the same answer in about the same time, so the page does not tell
//! which emails exist. Failures are counted per email and per address: past the limit the
//! page answers 429 without checking the password until the window has passed.

use super::{frame, load};
use crate::AppState;
use crate::pages::layout::html as page_html;
use crate::pages::support_session::{self, SIGN_IN_COOKIE, SupportData, same, token};
use crate::passwords::{hash_password, verify_password};
use crate::throttle::Throttle;
use axum::Form;
use axum::extract::{FromRequest, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// Wrong passwords allowed per email, and per address, within [`WINDOW`].
pub const PER_EMAIL: u32 = 5;
pub const PER_ADDRESS: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins, counted per email and per client address.
pub struct SignInThrottle {
    pub by_email: Throttle<String>,
    pub by_address: Throttle<IpAddr>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            by_email: Throttle::with_limit(PER_EMAIL, WINDOW),
            by_address: Throttle::with_limit(PER_ADDRESS, WINDOW),
        }
    }
}

/// Verified against when no user has the email, so an unknown email costs what a wrong
/// password costs.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no user has this password").unwrap_or_default());

const WRONG: &str = "The email or the password is wrong.";

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
    next: Option<String>,
}

/// Where to go after signing in: a Sync Health page of ours, never another site.
fn next_page(next: Option<&str>) -> &str {
    next.filter(|n| {
        (*n == "/health" || n.starts_with("/health/") || n.starts_with("/health?"))
            && !n.contains("//")
            && !n.contains('\\')
    })
    .unwrap_or("/health")
}

fn form(csrf: &str, next: &str, email: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Sign in to Sync Health" }
        p { "For your support team: see every merchant's syncs, read their errors and retry them." }
        @if let Some(error) = error {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "Not signed in" }
                p { (error) }
            }
        }
        form.card method="post" action="/health/sign-in" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="next" value=(next);
            div.field {
                label for="email" { "Email" }
                input type="email" id="email" name="email" autocomplete="username" required value=(email);
            }
            div.field {
                label for="password" { "Password" }
                input type="password" id="password" name="password" autocomplete="current-password" required;
            }
            div.actions { button type="submit" { "Sign in" } }
        }
        p.hint { "No account? Your operator creates one with " code { "commerce-sync support-users create" } "." }
    }
}

/// The form with a fresh double-submit token in its cookie.
fn form_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let csrf = token();
    let mut response = page_html(
        status,
        frame(None, "Sign in", None, form(&csrf, next, email, error)),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        support_session::set_cookie(state, SIGN_IN_COOKIE, &csrf, None),
    );
    response
}

/// `GET /health/sign-in`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = next_page(query.next.as_deref()).to_owned();
    // Signed in already: straight on.
    if let Ok(Some(_)) = support_session::find(&state, &headers, state.clock.now()).await {
        return Redirect::to(&next).into_response();
    }
    form_page(&state, StatusCode::OK, &next, "", None)
}

/// `POST /health/sign-in`
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let address = crate::serve::peer(request.extensions()).map(|p| p.ip());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(request, &state).await else {
        return form_page(
            &state,
            StatusCode::BAD_REQUEST,
            "/health",
            "",
            Some("The form could not be read; fill it in again."),
        );
    };
    let next = next_page(form.next.as_deref()).to_owned();
    let expected = crate::pages::session::cookie(&headers, SIGN_IN_COOKIE);
    if !same(
        form.csrf.as_deref(),
        expected.as_deref().unwrap_or_default(),
    ) {
        return form_page(
            &state,
            StatusCode::FORBIDDEN,
            &next,
            "",
            Some("The form expired. Sign in again on this page."),
        );
    }
    let email = store::normalize_email(form.email.as_deref().unwrap_or_default());
    let password = form.password.unwrap_or_default();
    if email.is_empty() || password.is_empty() {
        return form_page(
            &state,
            StatusCode::BAD_REQUEST,
            &next,
            &email,
            Some("Give both your email and your password."),
        );
    }
    let now = Instant::now();
    let throttle = &state.sign_in;
    let wait = throttle
        .by_email
        .blocked(&email, now)
        .into_iter()
        .chain(address.and_then(|ip| throttle.by_address.blocked(&ip, now)))
        .max();
    if let Some(wait) = wait {
        tracing::warn!(user = %email, client_address = ?address, "sync health: sign-in refused, too many failures");
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return form_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &email,
            Some(&format!(
                "Too many failed sign-ins. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )),
        );
    }
    let user = match state.store.support_user_for_sign_in(&email).await {
        Ok(user) => user,
        Err(e) => {
            tracing::error!(user = %email, error = %e, "sync health: reading the support user failed");
            return form_page(
                &state,
                StatusCode::INTERNAL_SERVER_ERROR,
                &next,
                &email,
                Some("Something went wrong on our side; try again in a moment."),
            );
        }
    };
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| verified) else {
        let failures = throttle.by_email.failed(email.clone(), now);
        if let Some(ip) = address {
            throttle.by_address.failed(ip, now);
        }
        tracing::warn!(user = %email, client_address = ?address, failures, "sync health: wrong email or password");
        return form_page(&state, StatusCode::UNAUTHORIZED, &next, &email, Some(WRONG));
    };
    // Shown in the header, so the user sees which client's merchants these are.
    let client_name = state
        .store
        .clients()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.id == user.client_id)
        .map(|c| c.name)
        .unwrap_or_default();
    let cookie = match support_session::open(
        &state,
        user.client_id,
        SupportData {
            user_id: user.id,
            email: user.email.clone(),
            client_name,
            ..SupportData::default()
        },
    )
    .await
    {
        Ok(cookie) => cookie,
        Err(e) => {
            tracing::error!(user = %email, error = %e, "sync health: opening a session failed");
            return form_page(
                &state,
                StatusCode::INTERNAL_SERVER_ERROR,
                &next,
                &email,
                Some("Something went wrong on our side; try again in a moment."),
            );
        }
    };
    tracing::info!(user = %user.email, client_id = %user.client_id, "sync health: signed in");
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookie);
    headers.append(
        header::SET_COOKIE,
        support_session::set_cookie(&state, SIGN_IN_COOKIE, "", Some(0)),
    );
    response
}

/// `POST /health/sign-out`: only with the session's own token (a page of another site cannot
/// sign the user out); without a session it simply shows the sign-in page.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<super::ActionForm>,
) -> Response {
    let uri: axum::http::Uri = "/health".parse().expect("a static path");
    let ctx = match load(&state, &headers, &uri).await {
        Ok(ctx) => ctx,
        Err(response) => return response,
    };
    if !ctx.session.csrf_ok(form.csrf.as_deref()) {
        return ctx.form_expired();
    }
    let cookie = match support_session::close(&state, &headers).await {
        Ok(cookie) => cookie,
        Err(e) => return ctx.failure("signing out", e),
    };
    tracing::info!(user = %ctx.session.data.email, client_id = %ctx.client(), "sync health: signed out");
    let mut response = Redirect::to("/health/sign-in").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::next_page;

    #[test]
    fn only_our_pages_are_gone_to_after_signing_in() {
        assert_eq!(next_page(Some("/health/syncs?q=1")), "/health/syncs?q=1");
        assert_eq!(next_page(Some("/health")), "/health");
        for bad in [
            "https://evil.example/",
            "//evil.example/health",
            "/healthy",
            "/health//evil.example",
            "/health\\x",
            "/companies",
        ] {
            assert_eq!(next_page(Some(bad)), "/health", "{bad}");
        }
        assert_eq!(next_page(None), "/health");
    }
}

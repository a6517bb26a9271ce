//! The Sync Flow: the merchant's pages, reached only through a start URL's one-time code,
//! each bound to the one company the code was issued for.

pub mod accounting;
pub mod code;
pub mod create;
pub mod fields;
pub mod mapping;
pub mod render;
pub mod settings;
pub mod stages;
pub mod start;

use super::branding::Branding;
use super::layout::{Frame, html, refusal};
use super::session::{self, FlowSession};
use super::text::{Locale, Texts};
use crate::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::CompanyId;
use maud::Markup;
use stages::Stage;

/// What every Sync Flow page works with: the merchant's session, words and the client's look.
pub struct Ctx {
    pub session: FlowSession,
    pub texts: Texts,
    pub branding: Branding,
    /// This page's path, for the language switch.
    pub path: String,
}

impl Ctx {
    pub fn company(&self) -> CompanyId {
        self.session.company
    }

    pub fn client_name(&self) -> &str {
        self.branding
            .display_name
            .as_deref()
            .unwrap_or(&self.session.data.client_name)
    }

    /// The page, framed with the client's look.
    pub fn page(&self, status: StatusCode, title: &str, content: Markup) -> Response {
        let frame = Frame {
            texts: &self.texts,
            client_name: self.client_name(),
            client: Some(self.session.client),
            has_logo: self.branding.logo.is_some(),
            has_colours: self.branding.css_variables().is_some(),
            switch_language: Some(format!(
                "{}?lang={}",
                self.path,
                self.texts.locale.other().code()
            )),
        };
        html(status, frame.page(title, content))
    }

    /// A stage of this company's flow.
    pub fn url(&self, slug: &str) -> String {
        format!("/sync-flow/companies/{}/{slug}", self.company())
    }

    pub fn to(&self, slug: &str) -> Response {
        Redirect::to(&self.url(slug)).into_response()
    }

    /// Takes the one-time notice, saving the session without it.
    pub async fn take_notice(&mut self, state: &AppState) -> Option<String> {
        let notice = self.session.data.notice.take();
        if notice.is_some() {
            let _ = self.session.save(state).await;
        }
        notice
    }

    /// Something failed on our side: logged with the ids, said plainly to the merchant.
    pub fn failure(&self, what: &str, error: impl std::fmt::Display) -> Response {
        tracing::error!(company_id = %self.company(), client_id = %self.session.client, error = %error, "sync flow: {what}");
        refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            &self.texts,
            "refused.error.title",
            "refused.error.text",
        )
    }
}

/// The merchant's language before a session says it.
pub fn browser_locale(headers: &HeaderMap) -> Locale {
    Locale::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The page's context, or the refusal to show: no session (ended or forged), or a session
/// for another company than the URL names.
pub async fn load(
    state: &AppState,
    headers: &HeaderMap,
    company: &str,
    path: String,
    lang: Option<&str>,
) -> Result<Ctx, Response> {
    let texts = Texts::defaults(browser_locale(headers));
    let found = session::find(state, headers, state.clock.now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sync flow: session lookup failed");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                &texts,
                "refused.error.title",
                "refused.error.text",
            )
        })?;
    let Some(mut session) = found else {
        return Err(refusal(
            StatusCode::UNAUTHORIZED,
            &texts,
            "refused.session.title",
            "refused.session.text",
        ));
    };
    if company.parse::<CompanyId>().ok() != Some(session.company) {
        tracing::warn!(session_company = %session.company, asked = %company, "sync flow: a session asked for another company");
        let texts = Texts::defaults(session.locale());
        return Err(refusal(
            StatusCode::FORBIDDEN,
            &texts,
            "refused.other.title",
            "refused.session.text",
        ));
    }
    if let Some(locale) = lang.and_then(Locale::parse) {
        session.data.locale = locale.code().to_owned();
    }
    // Each visit keeps the session alive (and stores a language change).
    let _ = session.save(state).await;
    let texts = Texts::load(state, session.client, session.locale())
        .await
        .unwrap_or_else(|_| Texts::defaults(session.locale()));
    let branding = Branding::load(state, session.client)
        .await
        .unwrap_or_default();
    Ok(Ctx {
        session,
        texts,
        branding,
        path,
    })
}

/// Every Sync Flow page starts here: the session of `/sync-flow/companies/{companyId}/…`, or
/// the page refusing it. `?lang=` switches the language.
impl axum::extract::FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let path = parts.uri.path().to_owned();
        let company = path.split('/').nth(3).unwrap_or_default().to_owned();
        let lang = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "lang")
                .map(|(_, v)| v.into_owned())
        });
        load(state, &parts.headers, &company, path, lang.as_deref()).await
    }
}

/// Where a merchant goes on entering the flow: connect first, then the first mapping stage,
/// or the settings page once configured.
pub async fn entry_stage(state: &AppState, ctx: &Ctx) -> &'static str {
    let configured = state
        .store
        .config(ctx.session.client, ctx.company())
        .await
        .ok()
        .flatten()
        .is_some_and(|c| c.document.configured == Some(true));
    if configured {
        return "settings";
    }
    let connections = state
        .store
        .list_connections(ctx.session.client, ctx.company())
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let linked = engine::connectors::live_accounting(&connections)
        .is_some_and(|c| c.status == domain::ConnectionStatus::Linked);
    if linked {
        Stage::Sales.slug()
    } else {
        Stage::Commerce.slug()
    }
}

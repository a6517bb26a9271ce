//! The frame of every merchant page: the client's name and logo, the language switch, the
//! main content and our one stylesheet. Pages answer with [`html`], which adds the headers
//! that keep them from being framed, sniffed or fed scripts from elsewhere.

use super::text::Texts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ClientId;
use maud::{DOCTYPE, Markup, html};

/// Who the page is shown for.
pub struct Frame<'a> {
    pub texts: &'a Texts,
    /// The client's name as the merchant knows it.
    pub client_name: &'a str,
    /// Set when the client's logo and colours apply.
    pub client: Option<ClientId>,
    pub has_logo: bool,
    pub has_colours: bool,
    /// The same page in the other language, when the merchant may switch.
    pub switch_language: Option<String>,
}

impl Frame<'_> {
    /// The whole document around `content`.
    pub fn page(&self, title: &str, content: Markup) -> Markup {
        let t = self.texts;
        html! {
            (DOCTYPE)
            html lang=(t.locale.html_lang()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " – " (self.client_name) }
                    link rel="stylesheet" href="/assets/pages.css";
                    @if let (Some(client), true) = (self.client, self.has_colours) {
                        link rel="stylesheet" href={ "/sync-flow/branding/" (client) "/colours.css" };
                    }
                    script src="/assets/pages.js" defer {}
                }
                body {
                    a.skip href="#main" { (t.t("skip")) }
                    header.site {
                        @if let (Some(client), true) = (self.client, self.has_logo) {
                            img.logo src={ "/sync-flow/branding/" (client) "/logo" } alt=(self.client_name);
                        } @else {
                            span.client-name { (self.client_name) }
                        }
                        @if let Some(href) = &self.switch_language {
                            nav aria-label=(t.t("lang.label")) {
                                a href=(href) lang=(t.locale.other().html_lang()) hreflang=(t.locale.other().code()) {
                                    (t.t("lang.other"))
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
}

/// A page with our security headers.
pub fn html(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page that says no, in the merchant's language, with what to do.
pub fn refusal(status: StatusCode, texts: &Texts, title_key: &str, text_key: &str) -> Response {
    let frame = Frame {
        texts,
        client_name: "commerce-sync",
        client: None,
        has_logo: false,
        has_colours: false,
        switch_language: None,
    };
    let title = texts.t(title_key);
    html(
        status,
        frame.page(
            &title,
            html! {
                h1 { (title) }
                p { (texts.t(text_key)) }
            },
        ),
    )
}

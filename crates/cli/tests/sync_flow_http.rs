//! The Sync Flow's ways in, over HTTP as a browser sends them. Without a platform in the start
//! URL the merchant chooses one. Every way into someone else's Sync Flow is refused: a
//! start URL opened twice, late, or altered; a forged session cookie; a URL edited to another
//! company; a form without its CSRF token; a redirect URL on an origin the client never
//! registered. Refusals are pages in the merchant's language with what to do, never a 500.

mod journey_support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use journey_support::server::{API_KEY, Server};
use reqwest::{Method, StatusCode};
use std::time::Duration;

/// A start URL for a merchant of the bootstrap client: (url, company id).
async fn start(server: &Server, merchant: &str) -> (String, String) {
    let answer = server
        .ok(
            Method::GET,
            &format!("/config/sync/commerce/cmrc/gbol/start?merchantIdentifier={merchant}"),
            None,
        )
        .await;
    (
        answer["url"].as_str().unwrap().to_owned(),
        answer["companyId"].as_str().unwrap().to_owned(),
    )
}

/// Opens a start URL as a browser: (status, the session cookie it set, the page).
async fn open(server: &Server, url: &str, language: &str) -> (StatusCode, Option<String>, String) {
    let response = server
        .http
        .get(url)
        .header("Accept-Language", language)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    (status, cookie, response.text().await.unwrap())
}

async fn page_with(server: &Server, cookie: &str, path: &str) -> (StatusCode, String) {
    let response = server
        .http
        .get(server.url(path))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn start_urls_open_once_within_thirty_seconds() {
    let server = Server::start(None);
    let (url, company) = start(&server, "merchant-a").await;
    let (status, cookie, _) = open(&server, &url, "en-GB").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = cookie.expect("a session cookie");
    let (status, page) = page_with(
        &server,
        &cookie,
        &format!("/sync-flow/companies/{company}/commerce"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");

    let (status, again, page) = open(&server, &url, "fr-FR,fr;q=0.9").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(again.is_none(), "no session for a spent code");
    assert!(
        page.contains("Ce lien a déjà été utilisé"),
        "in the merchant's language: {page}"
    );

    let altered = format!("{}A", url.trim_end_matches('A'));
    let (status, _, page) = open(&server, &altered, "en-US").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("This link is not valid"), "{page}");

    let (late, _) = start(&server, "merchant-a").await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    let (status, cookie, page) = open(&server, &late, "en-US").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(cookie.is_none());
    assert!(page.contains("This link has expired"), "{page}");
}

#[tokio::test]
async fn a_session_reaches_its_own_company_only() {
    let server = Server::start(None);
    let (url_a, company_a) = start(&server, "merchant-a").await;
    let (_, company_b) = start(&server, "merchant-b").await;
    assert_ne!(company_a, company_b);
    let (again_a, same) = start(&server, "merchant-a").await;
    assert_eq!(
        same, company_a,
        "the same merchant reaches the same company"
    );
    drop(again_a);
    let (_, cookie, _) = open(&server, &url_a, "en-US").await;
    let cookie = cookie.unwrap();

    // A URL edited to another company.
    for stage in ["commerce", "accounting", "sales", "settings"] {
        let (status, page) = page_with(
            &server,
            &cookie,
            &format!("/sync-flow/companies/{company_b}/{stage}"),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{stage}: {page}");
        assert!(
            !page.contains(&company_b) || page.contains("another merchant"),
            "{page}"
        );
    }
    let posted = server
        .http
        .post(server.url(&format!("/sync-flow/companies/{company_b}/sales")))
        .header("Cookie", &cookie)
        .form(&[("csrf", "x"), ("/configuration/sales/syncSales", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);

    // A forged or missing session.
    for forged in [
        "cs_flow=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "cs_flow=",
    ] {
        let (status, page) = page_with(
            &server,
            forged,
            &format!("/sync-flow/companies/{company_a}/commerce"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{page}");
        assert!(page.contains("Your session has ended"), "{page}");
    }
    let bare = server
        .http
        .get(server.url(&format!("/sync-flow/companies/{company_a}")))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);

    // A form without the session's CSRF token.
    let posted = server
        .http
        .post(server.url(&format!("/sync-flow/companies/{company_a}/accounting")))
        .header("Cookie", &cookie)
        .form(&[("platform", "gbol")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);

    // The company's redirect link, opened by the client with its key, leads into the flow.
    let keyed = server
        .http
        .get(server.url(&format!("/sync-flow/companies/{company_a}")))
        .header(
            "Authorization",
            format!("Basic {}", STANDARD.encode(API_KEY)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(keyed.status(), StatusCode::SEE_OTHER);
    let to = keyed.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("/sync-flow/start?otp="), "{to}");
    let (status, cookie, _) = open(&server, &to, "en-US").await;
    assert_eq!((status, cookie.is_some()), (StatusCode::SEE_OTHER, true));
}

#[tokio::test]
async fn start_urls_are_asked_for_with_valid_keys_and_registered_origins() {
    let server = Server::start(None);
    let (status, refused) = server
        .call(
            Method::GET,
            "/config/sync/commerce/gbol/cmrc/start?redirectUrl=https://evil.example/back",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let fields: Vec<&str> = refused["validation"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["itemId"].as_str().or(e["pointer"].as_str()))
        .collect();
    let text = refused.to_string();
    for named in ["commerceKey", "accountingKey", "redirectUrl"] {
        assert!(
            text.contains(named),
            "{named} is named among {fields:?}: {refused}"
        );
    }
    let (status, _) = server
        .call(Method::GET, "/config/sync/commerce/cmrc/nope/start", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let unauthenticated = server
        .http
        .get(server.url("/config/sync/commerce/cmrc/gbol/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_platform_the_merchant_chooses_one() {
    let server = Server::start(None);
    let answer = server
        .ok(
            Method::GET,
            "/config/sync/commerce/cmrc/start?merchantIdentifier=chooser",
            None,
        )
        .await;
    let company = answer["companyId"].as_str().unwrap().to_owned();
    let (_, cookie, _) = open(&server, answer["url"].as_str().unwrap(), "en-US").await;
    let cookie = cookie.unwrap();
    let (status, page) = page_with(
        &server,
        &cookie,
        &format!("/sync-flow/companies/{company}/accounting"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for (key, name) in [("gbol", "Xero"), ("qhyg", "QuickBooks Online")] {
        assert!(
            page.contains(&format!("Connect to {name}")),
            "{name} offered: {page}"
        );
        assert!(
            page.contains(&format!("/static/logos/{key}-square.svg")),
            "{name}'s logo: {page}"
        );
    }
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let chosen = server
        .http
        .post(server.url(&format!("/sync-flow/companies/{company}/accounting")))
        .header("Cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("platform", "qhyg")])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let to = chosen.headers()["location"].to_str().unwrap();
    assert!(
        to.contains("/sandbox/quickbooks/") && to.contains("code_challenge="),
        "to QuickBooks' consent page: {to}"
    );
    let connections = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections"),
            None,
        )
        .await;
    let keys: Vec<&str> = connections["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["integrationKey"].as_str())
        .collect();
    assert!(
        keys.contains(&"qhyg") && keys.contains(&"cmrc"),
        "{connections}"
    );
}

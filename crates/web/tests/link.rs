//! A merchant links Xero and QuickBooks through the connection's `linkUrl`: our redirect to
//! the platform's consent page (the sandbox's), its callback, and tokens stored sealed.

mod common;

use common::TestApp;
use platforms::{Credentials, TokenCipher};
use reqwest::{Method, StatusCode, Url, redirect};
use serde_json::json;
use std::collections::HashMap;

/// A browser that does not follow redirects, so each hop is checked.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect, got {}",
        response.status()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Registers `origin` as a place the test client's merchants may be sent back to.
async fn register_origin(app: &TestApp, origin: &str) {
    let client = app.store.ensure_client("test-client").await.unwrap().id;
    let path = format!("/clients/{client}/config/redirect-origins");
    let (status, body) = app
        .call(
            Method::PUT,
            &path,
            Some(json!({"origins": [origin, "nonsense"]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app
        .call(Method::PUT, &path, Some(json!({"origins": [origin]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Follows the link to the consent page and clicks `decision` there; answers our callback's response.
async fn consent(app: &TestApp, link: &str, decision: &str) -> reqwest::Response {
    let browser = browser();
    let to_platform = location(&browser.get(link).send().await.unwrap());
    let authorize = Url::parse(&to_platform).unwrap();
    assert!(authorize.path().starts_with("/sandbox/"), "{authorize}");
    let mut form: HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    assert_eq!(form["code_challenge_method"], "S256");
    assert_eq!(form["redirect_uri"], format!("{}/oauth/callback", app.base));
    let consent_page = browser.get(authorize.clone()).send().await.unwrap();
    assert_eq!(
        consent_page.status(),
        StatusCode::OK,
        "the platform shows its consent page"
    );
    form.insert("decision".into(), decision.into());
    form.insert("tenant".into(), "new".into());
    let mut post_to = authorize.clone();
    post_to.set_query(None);
    let back = location(&browser.post(post_to).form(&form).send().await.unwrap());
    assert!(
        back.starts_with(&format!("{}/oauth/callback?", app.base)),
        "{back}"
    );
    browser.get(back).send().await.unwrap()
}

#[tokio::test]
async fn merchants_link_xero_and_quickbooks_through_the_link_url() {
    for db in store::testing::TestDatabase::both().await {
        let app = TestApp::spawn_with_sandbox(db).await;
        register_origin(&app, "https://merchant.example").await;
        for (key, tenant_field) in [("gbol", "tenantId"), ("qhyg", "realmId")] {
            let company = app.create_company("Linking Shop").await["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let (_, connection) = app
                .call(
                    Method::POST,
                    &format!("/companies/{company}/connections"),
                    Some(json!({"platformKey": key})),
                )
                .await;
            let id = connection["id"].as_str().unwrap().to_owned();
            let link = format!(
                "{}&redirectUrl=https://merchant.example/done%23top",
                connection["linkUrl"].as_str().unwrap()
            );

            let landed = consent(&app, &link, "allow").await;
            assert_eq!(
                location(&landed),
                format!("https://merchant.example/done?connectionId={id}&status=Linked#top")
            );
            let (_, linked) = app
                .call(
                    Method::GET,
                    &format!("/companies/{company}/connections/{id}"),
                    None,
                )
                .await;
            assert_eq!(linked["status"], "Linked", "{key}");

            // The tokens are stored sealed and work against the platform.
            let client = app
                .store
                .client_by_key_hash(&web::auth::hash_key(&app.key))
                .await
                .unwrap()
                .unwrap();
            let sealed = app
                .store
                .connection_credentials(client.id, company.parse().unwrap(), id.parse().unwrap())
                .await
                .unwrap()
                .unwrap();
            let opened = TokenCipher::new(&app.secret)
                .open(uuid::Uuid::parse_str(&id).unwrap().as_bytes(), &sealed)
                .unwrap();
            let (access_token, check_url) = match Credentials::from_bytes(&opened).unwrap() {
                Credentials::Xero { tokens, tenant_id } => {
                    assert!(!tenant_id.is_empty(), "{tenant_field}");
                    (
                        tokens.access_token,
                        (
                            format!("{}/sandbox/xero/api.xro/2.0/Organisation", app.base),
                            Some(tenant_id),
                        ),
                    )
                }
                Credentials::QuickBooks { tokens, realm_id } => (
                    tokens.access_token,
                    (
                        format!(
                            "{}/sandbox/quickbooks/v3/company/{realm_id}/companyinfo/{realm_id}",
                            app.base
                        ),
                        None,
                    ),
                ),
                other => panic!("{other:?}"),
            };
            let mut request = browser().get(&check_url.0).bearer_auth(access_token);
            if let Some(tenant) = check_url.1 {
                request = request.header("xero-tenant-id", tenant);
            }
            assert_eq!(
                request.send().await.unwrap().status(),
                StatusCode::OK,
                "{key}: the stored token works"
            );
        }
    }
}

#[tokio::test]
async fn cancelled_tampered_and_unknown_links_are_refused_clearly() {
    let app = TestApp::spawn_with_sandbox(store::testing::TestDatabase::sqlite()).await;
    let company = app.create_company("Careful Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, connection) = app
        .call(
            Method::POST,
            &format!("/companies/{company}/connections"),
            Some(json!({"platformKey": "gbol"})),
        )
        .await;
    let id = connection["id"].as_str().unwrap();
    let link = connection["linkUrl"].as_str().unwrap();

    let cancelled = consent(&app, link, "deny").await;
    assert_eq!(cancelled.status(), StatusCode::BAD_REQUEST);
    assert!(
        cancelled
            .text()
            .await
            .unwrap()
            .contains("Connection cancelled")
    );
    let (_, still) = app
        .call(
            Method::GET,
            &format!("/companies/{company}/connections/{id}"),
            None,
        )
        .await;
    assert_eq!(still["status"], "PendingAuth");

    let tampered = browser()
        .get(format!(
            "{}/oauth/callback?code=x&state=bm90LW91cnM",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), StatusCode::BAD_REQUEST);
    let unknown = browser()
        .get(format!(
            "{}/sync-flow/companies/{}/connections/{}/start",
            app.base,
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // A site the client never registered is not where a merchant is sent.
    let elsewhere = browser()
        .get(format!("{link}&redirectUrl=https://evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    assert!(
        elsewhere
            .text()
            .await
            .unwrap()
            .contains("https://evil.example is not a site")
    );
    let bad_redirect = browser()
        .get(format!("{link}&redirectUrl=javascript:alert(1)"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_redirect.status(), StatusCode::BAD_REQUEST);

    // hledger has no OAuth app: its link says so instead of failing obscurely.
    let other = app.create_company("Ledger Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, ledger) = app
        .call(
            Method::POST,
            &format!("/companies/{other}/connections"),
            Some(json!({"platformKey": "hldg"})),
        )
        .await;
    let page = browser()
        .get(ledger["linkUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("hledger cannot be connected here")
    );
}

/// A link needs its grant, for its own connection, unexpired; once linked, only a link the
/// client fetched again (with its key) may link the connection anew.
#[tokio::test]
async fn links_are_bound_to_their_connection_expire_and_do_not_relink_by_themselves() {
    let app = TestApp::spawn_with_sandbox(store::testing::TestDatabase::sqlite()).await;
    let company = app.create_company("Bound Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let connections = format!("/companies/{company}/connections");
    let (_, first) = app
        .call(
            Method::POST,
            &connections,
            Some(json!({"platformKey": "gbol"})),
        )
        .await;
    let other = app.create_company("Other Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, second) = app
        .call(
            Method::POST,
            &format!("/companies/{other}/connections"),
            Some(json!({"platformKey": "gbol"})),
        )
        .await;
    let link = first["linkUrl"].as_str().unwrap().to_owned();
    let (path, grant) = link.split_once("?grant=").unwrap();
    let status = |url: String| async move { browser().get(url).send().await.unwrap().status() };

    // No grant, or the grant of another connection on this one's URL: refused.
    assert_eq!(status(path.to_owned()).await, StatusCode::UNAUTHORIZED);
    let other_path = second["linkUrl"]
        .as_str()
        .unwrap()
        .split_once("?grant=")
        .unwrap()
        .0
        .to_owned();
    assert_eq!(
        status(format!("{other_path}?grant={grant}")).await,
        StatusCode::UNAUTHORIZED
    );
    // An expired grant: sealed as the service would, an hour and a minute ago.
    let cipher = TokenCipher::new(&app.secret);
    let old = web::link_grant::LinkGrant {
        company: company.parse().unwrap(),
        connection: first["id"].as_str().unwrap().parse().unwrap(),
        relink: false,
        expires: jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1),
    };
    let sealed = cipher.seal(
        b"commerce-sync link grant v1",
        &serde_json::to_vec(&old).unwrap(),
    );
    let expired = format!(
        "{path}?grant={}",
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sealed)
    );
    assert_eq!(status(expired).await, StatusCode::UNAUTHORIZED);

    // Linked once through its link; the same link cannot link it again.
    let landed = consent(&app, &link, "allow").await;
    assert_eq!(landed.status(), StatusCode::OK);
    let again = browser().get(&link).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("connected already"));
    // The client, with its key, reads the connection again and may send the merchant back.
    let (_, linked) = app
        .call(
            Method::GET,
            &format!("{connections}/{}", first["id"].as_str().unwrap()),
            None,
        )
        .await;
    let relink = linked["linkUrl"].as_str().unwrap();
    assert_ne!(relink, link);
    let redirected = browser().get(relink).send().await.unwrap();
    assert!(
        redirected.status().is_redirection(),
        "{}",
        redirected.status()
    );
}

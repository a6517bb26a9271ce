//! What a client tailors on its merchants' pages, over the API: the words (per locale) and its
//! branding (name, logo, colour); each client's own, every bad field named.

mod common;

use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::json;
use store::testing::TestDatabase;

#[tokio::test]
async fn texts_per_locale_can_be_replaced_and_reset() {
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let path = "/sync/commerce/config/ui/text";
    let (status, french) = app
        .call(Method::GET, &format!("{path}?locale=fr-fr"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        french["accounting.connect"]["text"],
        "Se connecter à {platform}"
    );
    assert_eq!(french["accounting.connect"]["required"], false);
    let (_, english) = app
        .call(Method::GET, &format!("{path}?locale=en-us"), None)
        .await;
    assert_eq!(
        english["accounting.connect"]["text"],
        "Connect to {platform}"
    );
    assert_eq!(
        english.as_object().unwrap().len(),
        french.as_object().unwrap().len(),
        "every text in both locales"
    );

    let (status, missing) = app.call(Method::GET, path, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{missing}");
    assert!(missing.to_string().contains("locale"), "{missing}");

    let change = json!({"accounting.connect": {"text": "Relier {platform}"}});
    let (status, after) = app
        .call(Method::PATCH, &format!("{path}?locale=fr-fr"), Some(change))
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["accounting.connect"]["text"], "Relier {platform}");
    let (_, english) = app
        .call(Method::GET, &format!("{path}?locale=en-us"), None)
        .await;
    assert_eq!(
        english["accounting.connect"]["text"], "Connect to {platform}",
        "only the locale patched"
    );
    let other = app.new_client_key("another-pos").await;
    let (_, theirs) =
        TestApp::send(app.request_as(&other, Method::GET, &format!("{path}?locale=fr-fr"))).await;
    assert_eq!(
        theirs["accounting.connect"]["text"], "Se connecter à {platform}",
        "each client's own"
    );

    let bad = json!({"no.such.text": {"text": "x"}, "sales.heading": {"text": 3}, "fees.heading": {"text": " "}});
    let (status, refused) = app
        .call(Method::PATCH, &format!("{path}?locale=fr-fr"), Some(bad))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let mut named = pointers(&refused);
    named.sort();
    assert_eq!(
        named,
        ["/fees.heading/text", "/no.such.text", "/sales.heading/text"],
        "{refused}"
    );

    let reset = json!({"accounting.connect": {"text": null}});
    let (_, after) = app
        .call(Method::PATCH, &format!("{path}?locale=fr-fr"), Some(reset))
        .await;
    assert_eq!(
        after["accounting.connect"]["text"],
        "Se connecter à {platform}"
    );
}

#[tokio::test]
async fn branding_is_checked_and_served_from_here() {
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let (_, companies) = app.call(Method::GET, "/companies", None).await;
    drop(companies);
    let client = app
        .store
        .client_by_key_hash(&web::auth::hash_key(&app.key))
        .await
        .unwrap()
        .unwrap()
        .id;
    let path = format!("/clients/{client}/config/ui/branding");

    let bad =
        json!({"displayName": "", "logo": "https://cdn.example/logo.png", "primaryColour": "blue"});
    let (status, refused) = app.call(Method::PUT, &path, Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let mut named = pointers(&refused);
    named.sort();
    assert_eq!(
        named,
        ["/displayName", "/logo", "/primaryColour"],
        "{refused}"
    );

    let svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=";
    let good = json!({"displayName": "Bob's Tills", "logo": format!("data:image/svg+xml;base64,{svg}"), "primaryColour": "#0b5d1e"});
    let (status, saved) = app.call(Method::PUT, &path, Some(good)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, read) = app.call(Method::GET, &path, None).await;
    assert_eq!(read["primaryColour"], "#0b5d1e");

    let logo = app
        .http
        .get(format!("{}/sync-flow/branding/{client}/logo", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
    assert!(
        logo.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let css = app
        .http
        .get(format!(
            "{}/sync-flow/branding/{client}/colours.css",
            app.base
        ))
        .send()
        .await
        .unwrap();
    let css = css.text().await.unwrap();
    assert!(
        css.contains("--brand:#0b5d1e") && css.contains("--on-brand:#ffffff"),
        "{css}"
    );

    let other = app.new_client_key("another-pos").await;
    let (status, _) = TestApp::send(app.request_as(&other, Method::GET, &path)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another client's branding is not reachable"
    );
}

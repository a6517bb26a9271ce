//! The accessibility check is not vacuous: served over real loopback HTTP to a real Chromium,
//! a page with known serious violations (an image without `alt`, an input without a label) is
//! reported, and the same page done right passes.

use axum::response::Html;
use axum::routing::get;
use testkit::browser::{Browser, DESKTOP, PHONE};

const BROKEN: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title></head>
<body><main><h1>Orders</h1>
<img src="/logo.png">
<form><input type="text" name="order"></form>
</main></body></html>"#;

const CLEAN: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Orders</h1>
<img src="/logo.png" alt="Shop logo">
<form><label for="order">Order number</label> <input id="order" type="text" name="order"></form>
</main></body></html>"#;

/// Serves the two pages on a free loopback port; the task ends with the test's runtime.
async fn serve() -> String {
    let app = axum::Router::new()
        .route("/broken", get(|| async { Html(BROKEN) }))
        .route("/clean", get(|| async { Html(CLEAN) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn axe_reports_serious_violations_and_passes_a_clean_page() {
    let what = "testkit axe check against a real Chromium";
    let Some(browser) = Browser::start(DESKTOP, what).await else {
        return;
    };
    let base = serve().await;

    browser.goto(&format!("{base}/broken")).await;
    let Some(found) = browser.axe(what).await else {
        return;
    };
    let serious: Vec<&str> = found
        .iter()
        .filter(|v| v.is_serious())
        .map(|v| v.id.as_str())
        .collect();
    assert!(
        serious.contains(&"image-alt"),
        "image-alt not in {found:#?}"
    );
    assert!(serious.contains(&"label"), "label not in {found:#?}");
    let image = found
        .iter()
        .find(|v| v.id == "image-alt")
        .expect("image-alt");
    assert_eq!(image.targets, ["img"], "axe names the offending element");
    let failure = tokio::spawn(async move {
        browser.assert_accessible("the broken page").await;
        browser
    })
    .await;
    assert!(failure.is_err(), "assert_accessible passed a broken page");

    // A fresh session: the one above went down with the panicking task.
    let Some(browser) = Browser::start(DESKTOP, what).await else {
        return;
    };
    browser.goto(&format!("{base}/clean")).await;
    let found = browser.axe(what).await.expect("axe-core found above");
    assert!(
        !found.iter().any(|v| v.is_serious()),
        "the clean page has serious violations: {found:#?}"
    );
    browser.assert_accessible("the clean page").await;
    browser.close().await;
}

#[tokio::test]
async fn phone_window_is_a_phone_and_screenshots_are_png() {
    let what = "testkit phone-sized Chromium";
    let Some(browser) = Browser::start(PHONE, what).await else {
        return;
    };
    let base = serve().await;
    browser.goto(&format!("{base}/clean")).await;
    let width = browser
        .client
        .execute("return window.innerWidth;", vec![])
        .await
        .expect("the page answers");
    assert_eq!(width.as_u64(), Some(u64::from(PHONE.width)));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let shot = dir.path().join("nested/clean.png");
    browser.screenshot(&shot).await;
    let png = std::fs::read(&shot).expect("the screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    browser.close().await;
}

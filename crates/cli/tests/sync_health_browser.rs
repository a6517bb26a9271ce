//! Sync Health in a real headless Chromium, as a support person uses it: a Xero merchant's week
//! fails to sync because the books are locked (a closed period, set in the sandbox); support
//! signs in, finds the failed sync by the merchant's company id, opens it and reads the
//! platform's error, the period is reopened in the sandbox, support retries the failed items
//! and sees the sync succeed. axe-core checks every page at desktop and phone widths.

mod journey_support;

use journey_support::browser::{fill, go, page, shot};
use journey_support::flow::{
    XERO_GB, choose, company_with, consent, offered, push_week, sync_week,
};
use journey_support::server::Server;
use journey_support::week::{ZONE, week};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use testkit::browser::{Browser, DESKTOP, PHONE};

const EMAIL: &str = "support@corner-cafe.example";
const PASSWORD: &str = "a long support password";

/// `support-users create` beside the running server, password from standard input.
fn create_support_user(server: &Server) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_commerce-sync"))
        .args(["support-users", "create", "--client", &server.client_id])
        .args(["--email", EMAIL, "--password-stdin"])
        .env("COMMERCE_SYNC_DATABASE_URL", server.database_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A configured Xero merchant with a pushed week; (company, tenant).
async fn xero_merchant(server: &Server) -> (String, String) {
    let (company, connection) = company_with(server, "Corner Café", "gbol").await;
    let connection_id = connection["id"].as_str().unwrap().to_owned();
    consent(server, connection["linkUrl"].as_str().unwrap(), "new").await;
    offered(server, &company).await;
    let linked = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections/{connection_id}"),
            None,
        )
        .await;
    let tenant = linked["connectionInfo"]["organisationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let push = |what: &str| format!("/companies/{company}/connections/{connection_id}/push/{what}");
    server
        .ok(
            Method::POST,
            &push("accounts"),
            Some(&json!({"name": "PayPal", "nominalCode": "095", "type": "Asset", "isBankAccount": true,
                "currency": "GBP", "bankAccountNumber": "paypal-merchant-1"})),
        )
        .await;
    server
        .ok(
            Method::POST,
            &push("suppliers"),
            Some(&json!({"supplierName": "Stripe Payments UK"})),
        )
        .await;
    let mut doc = offered(server, &company).await;
    choose(&mut doc, &XERO_GB, ZONE);
    server
        .ok(
            Method::POST,
            &format!("/config/companies/{company}/sync/commerce"),
            Some(&doc),
        )
        .await;
    push_week(server, &company, &week()).await;
    (company, tenant)
}

async fn lock_books(server: &Server, tenant: &str, date: Value) {
    server
        .ok(
            Method::PATCH,
            &format!("/sandbox/xero/_control/tenants/{tenant}"),
            Some(&json!({ "lockDate": date })),
        )
        .await;
}

async fn sign_in(b: &Browser, server: &Server) {
    b.goto(&server.url("/health")).await;
    let here = b.client.current_url().await.unwrap();
    assert_eq!(here.path(), "/health/sign-in", "pages lead to the sign-in");
    fill(b, "#email", EMAIL).await;
    fill(b, "#password", PASSWORD).await;
    go(b, "form[action='/health/sign-in'] button[type=submit]").await;
    assert!(
        page(b).await.contains("Failing merchants"),
        "{}",
        page(b).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_finds_a_failed_sync_fixes_its_cause_and_retries_it() {
    let Some(b) = Browser::start(DESKTOP, "Sync Health").await else {
        return;
    };
    let server = Server::start(None);
    create_support_user(&server);
    let (company, tenant) = xero_merchant(&server).await;

    // The books are locked after the week: every document is refused.
    lock_books(&server, &tenant, json!("2026-12-31")).await;
    let failed = sync_week(&server, &company, ZONE).await;
    let code = failed["syncStatusCode"].as_u64().unwrap();
    assert!(code >= 4000, "{failed}");
    let sync_id = failed["syncId"].as_str().unwrap().to_owned();

    // A wrong password first: the generic message, and the page stays accessible.
    b.goto(&server.url("/health/sign-in")).await;
    fill(&b, "#email", EMAIL).await;
    fill(&b, "#password", "not the password").await;
    go(&b, "form[action='/health/sign-in'] button[type=submit]").await;
    assert!(
        page(&b)
            .await
            .contains("The email or the password is wrong.")
    );
    b.assert_accessible("the sign-in page with an error").await;

    sign_in(&b, &server).await;
    let dashboard = page(&b).await;
    assert!(
        dashboard.contains("Corner Café"),
        "the failing merchant is listed"
    );
    assert!(dashboard.contains("<svg"), "the chart");
    b.assert_accessible("the dashboard").await;
    b.screenshot(&shot("health-dashboard.png")).await;

    // Found by the company id.
    go(&b, "nav.health-nav a[href='/health/syncs']").await;
    fill(&b, "#q", &company).await;
    go(&b, "form.search button[type=submit]").await;
    let history = page(&b).await;
    assert!(
        history.contains("Showing: Merchant Corner Café"),
        "{history}"
    );
    assert!(history.contains(&sync_id), "{history}");
    b.assert_accessible("the sync history").await;
    b.screenshot(&shot("health-history.png")).await;

    go(&b, &format!("a[href='/health/syncs/{sync_id}']")).await;
    let sync_page = page(&b).await;
    assert!(sync_page.contains(&format!("{code} ")), "{sync_page}");
    assert!(
        sync_page.to_lowercase().contains("lock") || sync_page.to_lowercase().contains("closed"),
        "the platform's reason is shown: {sync_page}"
    );
    assert!(sync_page.contains("Retry the"), "{sync_page}");
    assert!(
        sync_page.contains("The configuration this sync ran with"),
        "the run's own configuration is shown: {sync_page}"
    );
    b.assert_accessible("a failed sync").await;
    b.screenshot(&shot("health-sync-failed.png")).await;

    go(
        &b,
        &format!("dl.facts a[href='/health/companies/{company}']"),
    )
    .await;
    let merchant = page(&b).await;
    assert!(
        merchant.contains("Linked") && merchant.contains("Datasets pushed"),
        "{merchant}"
    );
    b.assert_accessible("a merchant").await;
    b.screenshot(&shot("health-merchant.png")).await;

    // The cause undone in the books, then the failed items retried from the page.
    lock_books(&server, &tenant, Value::Null).await;
    b.goto(&server.url(&format!("/health/syncs/{sync_id}")))
        .await;
    go(
        &b,
        &format!("form[action='/health/syncs/{sync_id}/retry'] button"),
    )
    .await;
    assert!(
        page(&b).await.contains("Retry queued"),
        "{}",
        page(&b).await
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        b.goto(&server.url(&format!("/health/syncs/{sync_id}")))
            .await;
        let now = page(&b).await;
        if now.contains("2000 Success, data written") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the retry never succeeded: {now}"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let done = page(&b).await;
    assert!(!done.contains("Retry the"), "nothing left to retry");
    assert!(
        done.contains(&format!(
            "/sandbox/xero/_control/tenants/{tenant}/books.html"
        )),
        "each written document links to where it can be seen: {done}"
    );
    b.assert_accessible("a retried sync").await;
    b.screenshot(&shot("health-sync-retried.png")).await;
    b.close().await;

    if let Some(phone) = Browser::start(PHONE, "Sync Health on a phone").await {
        sign_in(&phone, &server).await;
        phone.assert_accessible("the dashboard on a phone").await;
        phone.screenshot(&shot("health-dashboard-phone.png")).await;
        for path in [
            format!("/health/syncs?q={company}"),
            format!("/health/syncs/{sync_id}"),
            format!("/health/companies/{company}"),
        ] {
            phone.goto(&server.url(&path)).await;
            phone.assert_accessible(&format!("{path} on a phone")).await;
        }
        go(&phone, "form[action='/health/sign-out'] button").await;
        let here = phone.client.current_url().await.unwrap();
        assert_eq!(here.path(), "/health/sign-in", "signed out");
        phone.assert_accessible("the sign-in page on a phone").await;
        phone.screenshot(&shot("health-sign-in-phone.png")).await;
        phone.close().await;
    }
}

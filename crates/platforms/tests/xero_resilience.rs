//! The Xero connector when Xero misbehaves (sandbox faults over HTTP): 429s waited out as
//! Retry-After says, a 500 after the write committed resolved by looking the document up,
//! expired tokens refreshed once for many concurrent writes, a dead refresh token turning the
//! connection Deauthorized, and the concurrency cap keeping us under Xero's.
mod common;

use async_trait::async_trait;
use common::with;
use domain::documents::DocumentKind;
use platforms::{AccountingPlatform, ManualTimer, OAuthTokens, PlatformError, Timer};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn too_many_requests_are_waited_out_as_retry_after_says() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let c = app.connector_with(&tenant, tenant.tokens.clone(), Arc::new(timer.clone()));
    app.faults(json!({"tenantId": tenant.id, "seed": 3, "rate429": 0.5}))
        .await;
    for i in 0..6 {
        let d = common::spend(&r, &format!("GBP/fees/{i}"), 100 + i);
        c.connector.write(&d).await.unwrap();
    }
    app.faults(json!({})).await;
    app.faults(json!({"tenantId": tenant.id})).await;
    app.assert_fired(&["tooManyRequests"]).await;
    let waits = timer.sleeps();
    assert!(
        waits.contains(&Duration::from_secs(1)),
        "the sandbox says Retry-After: 1; we waited {waits:?}"
    );
    let books = app.books(&tenant).await;
    assert_eq!(books["BankTransactions"].as_array().unwrap().len(), 6);
}

/// A timer whose sleep (the backoff after the failed write) clears the sandbox's faults and,
/// like a bookkeeper at that moment, pays the invoice that did land. The look-up then sees it
/// PAID, whereas replaying the write would only echo the first answer (AUTHORISED): so the
/// outcome shows which of the two the connector did.
struct BookkeeperDuringBackoff {
    timer: ManualTimer,
    base: String,
    tenant: String,
    access_token: String,
    reference: String,
}

#[async_trait]
impl Timer for BookkeeperDuringBackoff {
    fn now(&self) -> jiff::Timestamp {
        self.timer.now()
    }
    async fn sleep(&self, duration: Duration) {
        let http = reqwest::Client::new();
        http.post(format!("{}/xero/_control/faults", self.base))
            .json(&json!({"tenantId": self.tenant}))
            .send()
            .await
            .unwrap();
        let books: serde_json::Value = http
            .get(format!(
                "{}/xero/_control/tenants/{}/books",
                self.base, self.tenant
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let landed = with(&books, "Invoices", "Reference", &self.reference);
        if let Some(invoice) = landed.first() {
            let r = http
                .put(format!("{}/xero/api.xro/2.0/Payments", self.base))
                .bearer_auth(&self.access_token)
                .header("xero-tenant-id", &self.tenant)
                .json(&json!({"Invoice": {"InvoiceID": invoice["InvoiceID"]},
                    "Account": {"Code": "091"}, "Date": "2026-11-25", "Amount": invoice["Total"]}))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
        self.timer.sleep(duration).await;
    }
}

#[tokio::test]
async fn a_server_error_after_commit_is_resolved_by_looking_up_the_key() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let mut invoice = common::document(DocumentKind::Invoice, "GBP");
    invoice.contact_id = Some(r.customer.clone());
    invoice.lines = vec![common::line(&r.account("200"), Some("OUTPUT2"), 1000, 200)];
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let hook = Arc::new(BookkeeperDuringBackoff {
        timer: timer.clone(),
        base: app.base.clone(),
        tenant: tenant.id.clone(),
        access_token: tenant.tokens.access_token.clone(),
        reference: invoice.key.full(),
    });
    let c = app.connector_with(&tenant, tenant.tokens.clone(), hook);
    app.faults(json!({"tenantId": tenant.id, "rate500AfterCommit": 1.0}))
        .await;
    let w = c.connector.write(&invoice).await.unwrap();
    app.assert_fired(&["serverErrorAfterCommit"]).await;
    assert_eq!(timer.sleeps().len(), 1, "one backoff, then found");
    assert_eq!(
        w.status.as_deref(),
        Some("PAID"),
        "found by look-up, not replayed"
    );
    let books = app.books(&tenant).await;
    let found = with(&books, "Invoices", "Reference", &invoice.key.full());
    assert_eq!(found.len(), 1, "exactly one document");
    assert_eq!(found[0]["InvoiceID"], w.platform_id.as_str());
}

#[tokio::test]
async fn random_server_errors_and_timeouts_still_leave_exactly_one_of_each() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let mut config = app.config();
    config.timeout = Duration::from_millis(300);
    let c = platforms::XeroConnector::connect(
        config,
        &tenant.id,
        tenant.tokens.clone(),
        Arc::new(common::Store::default()),
        Arc::new(ManualTimer::new(jiff::Timestamp::now())),
    );
    app.faults(json!({"tenantId": tenant.id, "seed": 11, "rate500": 0.15,
        "rate500AfterCommit": 0.2, "rateTimeout": 0.1, "timeoutMs": 1000, "timeoutAfterCommit": true}))
        .await;
    // Enough writes for every kind asked for to be drawn at least once (checked below).
    let docs: Vec<_> = (0..20)
        .map(|i| common::spend(&r, &format!("GBP/fees/{i}"), 200 + i))
        .collect();
    for d in &docs {
        c.write(d).await.unwrap();
    }
    app.faults(json!({"tenantId": tenant.id})).await;
    app.assert_fired(&[
        "serverErrorBeforeCommit",
        "serverErrorAfterCommit",
        "timeoutAfterCommit",
    ])
    .await;
    let books = app.books(&tenant).await;
    for d in &docs {
        assert_eq!(
            with(&books, "BankTransactions", "Reference", &d.key.full()).len(),
            1
        );
    }
}

#[tokio::test]
async fn expired_tokens_are_refreshed_once_for_ten_concurrent_writes() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    // Xero expires the access token early: every write gets a 401 with the same token.
    app.faults(json!({"tenantId": tenant.id, "expireTokens": true}))
        .await;
    let c = Arc::new(app.connector(&tenant, tenant.tokens.clone()));
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let c = c.clone();
            let d = common::spend(&r, &format!("GBP/t/{i}"), 10 + i);
            tokio::spawn(async move { c.connector.write(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let saved = c.store.saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 1, "one refresh, saved once");
    assert_ne!(saved[0].refresh_token, tenant.tokens.refresh_token);
    let books = app.books(&tenant).await;
    assert_eq!(books["BankTransactions"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn tokens_past_their_expiry_are_refreshed_once_before_use() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let stale = OAuthTokens {
        expires_at: jiff::Timestamp::now() - jiff::SignedDuration::from_secs(5),
        ..tenant.tokens.clone()
    };
    let c = Arc::new(app.connector(&tenant, stale));
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let c = c.clone();
            let d = common::spend(&r, &format!("GBP/s/{i}"), 10 + i);
            tokio::spawn(async move { c.connector.write(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(c.store.saved.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_refresh_token_makes_the_connection_deauthorized() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let dead = OAuthTokens {
        access_token: "expired".into(),
        refresh_token: "never-issued".into(),
        expires_at: jiff::Timestamp::now() - jiff::SignedDuration::from_secs(5),
    };
    let c = app.connector(&tenant, dead);
    let e = c
        .connector
        .write(&common::spend(&r, "GBP", 100))
        .await
        .unwrap_err();
    let PlatformError::Deauthorized { reason } = &e else {
        panic!("expected Deauthorized, got {e:?}");
    };
    assert!(reason.contains("refresh token"), "{reason}");
    assert!(e.merchant_message().contains("reconnect"));
    assert_eq!(c.store.deauthorized.lock().unwrap().len(), 1);
    let books = app.books(&tenant).await;
    assert!(
        books["BankTransactions"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );
}

#[tokio::test]
async fn twenty_concurrent_writes_stay_within_xeros_five_in_flight() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    app.faults(json!({"tenantId": tenant.id, "latencyMs": 40}))
        .await;
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let c = Arc::new(app.connector_with(&tenant, tenant.tokens.clone(), Arc::new(timer.clone())));
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let c = c.clone();
            let d = common::spend(&r, &format!("GBP/c/{i}"), 10 + i);
            tokio::spawn(async move { c.connector.write(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(
        timer.sleeps().is_empty(),
        "no 429 (concurrent) to wait out: {:?}",
        timer.sleeps()
    );
    let books = app.books(&tenant).await;
    assert_eq!(books["BankTransactions"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn a_wrong_client_secret_is_not_the_merchants_fault() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let mut config = app.config();
    config.client_secret = "not-the-secret".into();
    let store = Arc::new(common::Store::default());
    let stale = OAuthTokens {
        expires_at: jiff::Timestamp::now() - jiff::SignedDuration::from_secs(5),
        ..tenant.tokens.clone()
    };
    let c = platforms::XeroConnector::connect(
        config,
        &tenant.id,
        stale.clone(),
        store.clone(),
        Arc::new(ManualTimer::new(jiff::Timestamp::now())),
    );
    let e = c.write(&common::spend(&r, "GBP", 100)).await.unwrap_err();
    assert!(
        matches!(e, PlatformError::Transient(ref m) if m.contains("client")),
        "{e:?}"
    );
    assert!(store.deauthorized.lock().unwrap().is_empty());
    // The refresh token was never consumed: the right client can still use it.
    let fixed = app.connector(&tenant, stale);
    fixed
        .connector
        .write(&common::spend(&r, "GBP", 100))
        .await
        .unwrap();
}

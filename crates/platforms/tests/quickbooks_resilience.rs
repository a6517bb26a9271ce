//! The QuickBooks connector when QuickBooks misbehaves (sandbox faults over HTTP): 429 Fault
//! 3001 (no Retry-After) backed off and retried, a 500 or a timeout after the write committed
//! resolved by looking the document up, expired tokens refreshed once for ten concurrent
//! writes, a dead refresh token turning the connection Deauthorized, the concurrency cap kept,
//! and validation faults turned into merchant messages with Intuit's words kept.
mod common;
mod quickbooks_common;

use async_trait::async_trait;
use domain::documents::DocumentKind;
use platforms::quickbooks::errors::THROTTLE_WAIT;
use platforms::{AccountingPlatform, ManualTimer, PlatformError, Problem, Timer};
use quickbooks_common as qb;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn throttled_calls_are_backed_off_and_retried() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let c = qb::connector_with(&app, &us, Arc::new(timer.clone()));
    qb::faults(
        &app,
        json!({"tenantId": us.realm, "seed": 3, "rate429": 0.5}),
    )
    .await;
    let invoices: Vec<_> = (0..6)
        .map(|i| qb::invoice(&us, &format!("USD/loc={i}"), 1000 + i))
        .collect();
    for d in &invoices {
        c.connector.write(d).await.unwrap();
    }
    qb::faults(&app, json!({"tenantId": us.realm})).await;
    qb::assert_fired(&app, &["tooManyRequests"]).await;
    let waits = timer.sleeps();
    let backoff = [5, 10, 20, 40, 60].map(Duration::from_secs);
    assert!(
        waits
            .iter()
            .all(|w| backoff.contains(w) || *w < Duration::from_secs(1)),
        "throttle waits double from 5 s: {waits:?}"
    );
    assert!(
        waits.contains(&THROTTLE_WAIT),
        "no Retry-After from QuickBooks: we wait our own; waited {waits:?}"
    );
    let books = qb::books(&app, &us).await;
    for d in &invoices {
        assert_eq!(qb::ours(&books, "Invoice", &d.key).len(), 1);
    }
}

/// A timer whose sleep (the backoff after the failed write) clears the faults and, like a
/// bookkeeper at that moment, pays the invoice that did land. The look-up then sees it paid,
/// whereas replaying the `requestid` would echo the first answer (open): so the outcome shows
/// which of the two the connector did.
struct BookkeeperDuringBackoff {
    timer: ManualTimer,
    base: String,
    realm: String,
    access_token: String,
    note: String,
}

#[async_trait]
impl Timer for BookkeeperDuringBackoff {
    fn now(&self) -> jiff::Timestamp {
        self.timer.now()
    }
    async fn sleep(&self, duration: Duration) {
        let http = reqwest::Client::new();
        http.post(format!("{}/quickbooks/_control/faults", self.base))
            .json(&json!({"tenantId": self.realm}))
            .send()
            .await
            .unwrap();
        let books: serde_json::Value = http
            .get(format!(
                "{}/quickbooks/_control/tenants/{}/books",
                self.base, self.realm
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let landed = books["Invoice"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["PrivateNote"] == self.note.as_str());
        if let Some(invoice) = landed {
            let r = http
                .post(format!("{}/quickbooks/v3/company/{}/payment", self.base, self.realm))
                .bearer_auth(&self.access_token)
                .json(&json!({"CustomerRef": {"value": "1"}, "TotalAmt": invoice["TotalAmt"],
                    "Line": [{"Amount": invoice["TotalAmt"], "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]}))
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
    let us = qb::company(&app, "US").await;
    let invoice = qb::invoice(&us, "USD", 10000);
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let hook = Arc::new(BookkeeperDuringBackoff {
        timer: timer.clone(),
        base: app.base.clone(),
        realm: us.realm.clone(),
        access_token: us.tokens.access_token.clone(),
        note: invoice.key.full(),
    });
    let c = qb::connector_with(&app, &us, hook);
    // As a sync does, the books are read first (the company's tax setting with them), so the
    // fault meets the write.
    c.connector.reference_data().await.unwrap();
    qb::faults(
        &app,
        json!({"tenantId": us.realm, "rate500AfterCommit": 1.0}),
    )
    .await;
    let w = c.connector.write(&invoice).await.unwrap();
    qb::assert_fired(&app, &["serverErrorAfterCommit"]).await;
    assert_eq!(timer.sleeps().len(), 1, "one backoff, then found");
    assert_eq!(
        w.status.as_deref(),
        Some("Paid"),
        "found by look-up, not replayed"
    );
    let books = qb::books(&app, &us).await;
    let found = qb::ours(&books, "Invoice", &invoice.key);
    assert_eq!(found.len(), 1, "exactly one document");
    assert_eq!(found[0]["Id"], w.platform_id.as_str());
}

#[tokio::test]
async fn expired_tokens_are_refreshed_once_for_ten_concurrent_writes() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = Arc::new(qb::connector(&app, &us));
    qb::faults(&app, json!({"tenantId": us.realm, "expireTokens": true})).await;
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let c = c.clone();
            let d = qb::invoice(&us, &format!("USD/loc={i}"), 100 + i);
            tokio::spawn(async move { c.connector.write(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(c.store.saved.lock().unwrap().len(), 1, "one refresh");
    let books = qb::books(&app, &us).await;
    assert_eq!(books["Invoice"].as_array().unwrap().len(), 10);
}

fn problem(e: &PlatformError) -> Problem {
    match e {
        PlatformError::Validation { problem, .. } => *problem,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_faults_reach_the_merchant_in_their_words_with_intuits_kept() {
    let app = common::spawn().await;
    let gb = qb::company(&app, "GB").await;
    let c = qb::connector(&app, &gb);

    let mut inactive = qb::invoice(&gb, "GBP/a", 1000);
    inactive.lines[0].account_id = "9".into();
    let e = c.connector.write(&inactive).await.unwrap_err();
    assert_eq!(problem(&e), Problem::ArchivedAccount, "{e:?}");
    assert!(
        e.merchant_message()
            .contains("archived or deleted in QuickBooks")
    );
    assert!(e.platform_message().unwrap().contains("code 2500"));

    let mut bad_code = qb::invoice(&gb, "GBP/b", 1000);
    bad_code.lines[0].tax_rate_id = Some("99".into());
    assert_eq!(
        problem(&c.connector.write(&bad_code).await.unwrap_err()),
        Problem::InvalidTaxRate
    );

    // A hand-made invoice already holds our number.
    let taken = qb::invoice(&gb, "GBP/c", 1000);
    let r = app
        .http
        .post(format!("{}/quickbooks/v3/company/{}/invoice", app.base, gb.realm))
        .bearer_auth(&gb.tokens.access_token)
        .json(&json!({"DocNumber": taken.key.compact(), "CustomerRef": {"value": "1"},
            "Line": [{"Amount": 5, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"TaxCodeRef": {"value": "7"}}}]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        c.connector.find(&taken.key).await.unwrap(),
        None,
        "not ours: no key in PrivateNote"
    );
    let e = c.connector.write(&taken).await.unwrap_err();
    assert_eq!(problem(&e), Problem::DuplicateNumber);
    assert!(e.platform_message().unwrap().contains("code 6140"));

    qb::lock(&app, &gb, "2026-11-30").await;
    let e = c
        .connector
        .write(&qb::invoice(&gb, "GBP/d", 1000))
        .await
        .unwrap_err();
    assert_eq!(problem(&e), Problem::LockDate);
    assert!(e.platform_message().unwrap().contains("books close date"));
    assert!(!e.is_retryable());

    let mut payment = qb::document(&gb, DocumentKind::Payment, "GBP/type=Card");
    payment.account_id = Some("2".into());
    payment.amount = Some(qb::money(100));
    payment.applies_to = Some(qb::key(DocumentKind::Invoice, "GBP/never-written"));
    assert!(matches!(
        c.connector.write(&payment).await,
        Err(PlatformError::Protocol(_))
    ));
}

/// A timer whose sleep clears the company's faults, so what follows the backoff (the look-up)
/// meets a healthy QuickBooks.
struct HealDuringBackoff {
    timer: ManualTimer,
    base: String,
    realm: String,
}

#[async_trait]
impl Timer for HealDuringBackoff {
    fn now(&self) -> jiff::Timestamp {
        self.timer.now()
    }
    async fn sleep(&self, duration: Duration) {
        reqwest::Client::new()
            .post(format!("{}/quickbooks/_control/faults", self.base))
            .json(&json!({"tenantId": self.realm}))
            .send()
            .await
            .unwrap();
        self.timer.sleep(duration).await;
    }
}

#[tokio::test]
async fn a_write_that_times_out_after_commit_is_found_not_written_again() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let hook = Arc::new(HealDuringBackoff {
        timer: timer.clone(),
        base: app.base.clone(),
        realm: us.realm.clone(),
    });
    let mut config = qb::config(&app, qb::options(&us));
    config.timeout = Duration::from_millis(300);
    let c = qb::connector_configured(&us, config, hook);
    qb::faults(
        &app,
        json!({"tenantId": us.realm, "rateTimeout": 1.0, "timeoutMs": 1200, "timeoutAfterCommit": true}),
    )
    .await;
    let invoice = qb::invoice(&us, "USD", 2500);
    let w = c.connector.write(&invoice).await.unwrap();
    qb::assert_fired(&app, &["timeoutAfterCommit"]).await;
    assert_eq!(timer.sleeps().len(), 1, "one backoff, then found");
    let books = qb::books(&app, &us).await;
    let found = qb::ours(&books, "Invoice", &invoice.key);
    assert_eq!(found.len(), 1, "exactly one document");
    assert_eq!(found[0]["Id"], w.platform_id.as_str());
}

#[tokio::test]
async fn many_concurrent_writes_stay_under_the_concurrency_cap() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let timer = ManualTimer::new(jiff::Timestamp::now());
    let c = Arc::new(qb::connector_with(&app, &us, Arc::new(timer.clone())));
    // Every call is slow, so more than ten at once would meet QuickBooks' 429.
    qb::faults(&app, json!({"tenantId": us.realm, "latencyMs": 40})).await;
    let tasks: Vec<_> = (0..25)
        .map(|i| {
            let c = c.clone();
            let d = qb::invoice(&us, &format!("USD/loc={i}"), 100 + i);
            tokio::spawn(async move { c.connector.write(&d).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(
        !timer.sleeps().contains(&THROTTLE_WAIT),
        "never throttled: {:?}",
        timer.sleeps()
    );
    let books = qb::books(&app, &us).await;
    assert_eq!(books["Invoice"].as_array().unwrap().len(), 25);
}

#[tokio::test]
async fn a_refused_refresh_token_makes_the_connection_deauthorized() {
    let app = common::spawn().await;
    let mut us = qb::company(&app, "US").await;
    us.tokens = platforms::OAuthTokens {
        access_token: "expired".into(),
        refresh_token: "never-issued".into(),
        expires_at: jiff::Timestamp::now() - jiff::SignedDuration::from_secs(5),
    };
    let c = qb::connector(&app, &us);
    let e = c
        .connector
        .write(&qb::invoice(&us, "USD", 100))
        .await
        .unwrap_err();
    assert!(
        matches!(e, PlatformError::Deauthorized { .. }),
        "expected Deauthorized, got {e:?}"
    );
    assert!(e.merchant_message().contains("reconnect"));
    assert_eq!(c.store.deauthorized.lock().unwrap().len(), 1);
    let books = qb::books(&app, &us).await;
    assert!(books["Invoice"].as_array().is_none_or(|a| a.is_empty()));
}

//! Harness for tests against the QuickBooks sandbox over real HTTP (next to the Xero one in
//! `common/`, whose sandbox spawning and token store it reuses): a company per test (US or
//! GB), a connector pointed at it with a manual timer, and documents built on the sandbox's
//! seeded chart (Checking 1, Card Clearing 2, A/R 4, Undeposited Funds 5, Sales 6, Refunds 7,
//! Payment Fee Refunds 8, inactive Old Sales 9, A/P 10, Gratuity 11, fees 14; customer 1,
//! vendor 2; class 1, department 1).
#![allow(dead_code)]

use crate::common::{App, Store};
use domain::documents::{Document, DocumentKey, DocumentKind, DocumentStatus, Line};
use platforms::quickbooks::transformers::{self, Options};
use platforms::{
    ManualTimer, OAuthTokens, QuickBooksConfig, QuickBooksConnector, RetryPolicy, Timer,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub struct Company {
    pub realm: String,
    pub country: &'static str,
    pub tokens: OAuthTokens,
}

pub struct Connection {
    pub connector: QuickBooksConnector,
    pub store: Arc<Store>,
}

pub async fn company(app: &App, country: &'static str) -> Company {
    let v = app
        .post("/quickbooks/_control/tenants", json!({"country": country}))
        .await;
    Company {
        realm: v["realmId"].as_str().unwrap().to_owned(),
        country,
        tokens: OAuthTokens {
            access_token: v["accessToken"].as_str().unwrap().to_owned(),
            refresh_token: v["refreshToken"].as_str().unwrap().to_owned(),
            expires_at: v["expiresAt"].as_str().unwrap().parse().unwrap(),
        },
    }
}

pub async fn books(app: &App, c: &Company) -> Value {
    app.http
        .get(format!(
            "{}/quickbooks/_control/tenants/{}/books",
            app.base, c.realm
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

pub async fn faults(app: &App, body: Value) {
    app.post("/quickbooks/_control/faults", body).await;
}

/// Asserts the QuickBooks sandbox injected each of `kinds` at least once, so a test's
/// conclusions rest on faults that really happened.
pub async fn assert_fired(app: &App, kinds: &[&str]) {
    let r = app
        .http
        .get(format!("{}/quickbooks/_control/faults", app.base))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let injected = r.json::<Value>().await.unwrap()["injected"].clone();
    for kind in kinds {
        assert!(
            injected[*kind].as_u64() > Some(0),
            "{kind} never fired: {injected}"
        );
    }
}

pub async fn lock(app: &App, c: &Company, date: &str) {
    let r = app
        .http
        .patch(format!(
            "{}/quickbooks/_control/tenants/{}",
            app.base, c.realm
        ))
        .json(&json!({"lockDate": date}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

pub fn options(c: &Company) -> Options {
    Options {
        automated_sales_tax: c.country == "US",
        ..Options::default()
    }
}

pub fn config(app: &App, options: Options) -> QuickBooksConfig {
    let mut config = QuickBooksConfig::new("commerce-sync-sandbox", "sandbox-secret")
        .with_base_urls(
            &format!("{}/quickbooks/v3/company", app.base),
            &format!("{}/quickbooks/oauth2/v1/tokens/bearer", app.base),
        );
    config.retry = RetryPolicy {
        max_attempts: 8,
        // Throttle waits grow to a minute; the manual timer makes them free.
        max_retry_after: Duration::from_secs(60),
        ..RetryPolicy::quick()
    };
    config.timeout = Duration::from_secs(5);
    config.options = options;
    config
}

pub fn connector(app: &App, c: &Company) -> Connection {
    connector_with(app, c, Arc::new(ManualTimer::new(jiff::Timestamp::now())))
}

pub fn connector_with(app: &App, c: &Company, timer: Arc<dyn Timer>) -> Connection {
    connector_configured(c, config(app, options(c)), timer)
}

pub fn connector_configured(
    c: &Company,
    config: QuickBooksConfig,
    timer: Arc<dyn Timer>,
) -> Connection {
    let store = Arc::new(Store::default());
    let connector =
        QuickBooksConnector::connect(config, &c.realm, c.tokens.clone(), store.clone(), timer);
    Connection { connector, store }
}

pub fn key(kind: DocumentKind, group: &str) -> DocumentKey {
    DocumentKey {
        company_id: "company-1".into(),
        period: "2026-11-25".into(),
        group: group.into(),
        kind,
        revision: 0,
    }
}

pub fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

pub fn document(c: &Company, kind: DocumentKind, group: &str) -> Document {
    Document {
        kind,
        key: key(kind, group),
        date: "2026-11-25".parse().unwrap(),
        currency: if c.country == "US" { "USD" } else { "GBP" }
            .parse()
            .unwrap(),
        contact_id: None,
        status: Some(DocumentStatus::Submitted),
        total: None,
        lines: Vec::new(),
        account_id: None,
        amount: None,
        applies_to: None,
    }
}

/// A sales line: US lines are taxable (`TAX`) when they carry tax; GB lines name a VAT code.
pub fn line(account: &str, tax: Option<&str>, net: i64, tax_cents: i64) -> Line {
    Line {
        account_id: account.into(),
        tax_rate_id: tax.map(str::to_owned),
        description: "Sales".into(),
        net_amount: Some(money(net)),
        tax_amount: Some(money(tax_cents)),
        ..Line::default()
    }
}

/// The day's sales invoice to the seeded customer.
pub fn invoice(c: &Company, group: &str, net: i64) -> Document {
    let mut d = document(c, DocumentKind::Invoice, group);
    d.contact_id = Some("1".into());
    d.lines = if c.country == "US" {
        vec![
            line("6", Some("TAX"), net, 0),
            line("11", Some("NON"), 500, 0),
        ]
    } else {
        vec![
            line("6", Some("3"), net, net / 5),
            line("11", Some("7"), 500, 0),
        ]
    };
    d
}

/// The records of `entity` in the books carrying our full key.
pub fn ours<'a>(books: &'a Value, entity: &str, key: &DocumentKey) -> Vec<&'a Value> {
    books[entity]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|x| x["PrivateNote"] == key.full())
                .collect()
        })
        .unwrap_or_default()
}

pub fn amount(v: &Value) -> Decimal {
    transformers::decimal(v).unwrap_or_else(|| panic!("not an amount: {v}"))
}

//! Harness for tests against the Xero sandbox over real HTTP: a sandbox on a loopback port,
//! a fresh tenant per test, and a connector pointed at it with a manual timer (retry and
//! rate-limit sleeps return at once and are recorded) and a recording token store.
#![allow(dead_code)]

use async_trait::async_trait;
use domain::documents::{Document, DocumentKey, DocumentKind, DocumentStatus, Line};
use platforms::xero::transformers;
use platforms::{
    ManualTimer, OAuthTokens, PlatformError, RetryPolicy, Timer, TokenStore, XeroConfig,
    XeroConnector,
};
use rust_decimal::Decimal;
use sandbox::{SandboxOptions, SandboxState};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
}

pub struct Tenant {
    pub id: String,
    pub tokens: OAuthTokens,
}

pub async fn spawn() -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut options = SandboxOptions::new(base.clone());
    options.seed = Some(7);
    tokio::spawn(sandbox::serve_with(listener, SandboxState::new(options)));
    App {
        base,
        http: reqwest::Client::new(),
    }
}

impl App {
    pub async fn tenant(&self) -> Tenant {
        let v = self
            .post("/xero/_control/tenants", json!({"country": "GB"}))
            .await;
        Tenant {
            id: v["tenantId"].as_str().unwrap().to_owned(),
            tokens: OAuthTokens {
                access_token: v["accessToken"].as_str().unwrap().to_owned(),
                refresh_token: v["refreshToken"].as_str().unwrap().to_owned(),
                expires_at: v["expiresAt"].as_str().unwrap().parse().unwrap(),
            },
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }

    pub async fn faults(&self, body: Value) {
        self.post("/xero/_control/faults", body).await;
    }

    /// Asserts the Xero sandbox injected each of `kinds` at least once, so a test's
    /// conclusions rest on faults that really happened.
    pub async fn assert_fired(&self, kinds: &[&str]) {
        let r = self
            .http
            .get(format!("{}/xero/_control/faults", self.base))
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

    pub async fn lock(&self, tenant: &Tenant, date: &str) {
        let r = self
            .http
            .patch(format!("{}/xero/_control/tenants/{}", self.base, tenant.id))
            .json(&json!({"lockDate": date}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }

    pub async fn books(&self, tenant: &Tenant) -> Value {
        self.http
            .get(format!(
                "{}/xero/_control/tenants/{}/books",
                self.base, tenant.id
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub fn config(&self) -> XeroConfig {
        let mut config = XeroConfig::new("commerce-sync-sandbox", "sandbox-secret").with_base_urls(
            &format!("{}/xero/api.xro/2.0", self.base),
            &format!("{}/xero/identity/connect/token", self.base),
        );
        config.retry = RetryPolicy {
            max_attempts: 8,
            ..RetryPolicy::quick()
        };
        config.timeout = Duration::from_secs(5);
        config
    }

    pub fn connector(&self, tenant: &Tenant, tokens: OAuthTokens) -> Connection {
        self.connector_with(
            tenant,
            tokens,
            Arc::new(ManualTimer::new(jiff::Timestamp::now())),
        )
    }

    pub fn connector_with(
        &self,
        tenant: &Tenant,
        tokens: OAuthTokens,
        timer: Arc<dyn Timer>,
    ) -> Connection {
        let store = Arc::new(Store::default());
        let connector =
            XeroConnector::connect(self.config(), &tenant.id, tokens, store.clone(), timer);
        Connection { connector, store }
    }
}

pub struct Connection {
    pub connector: XeroConnector,
    pub store: Arc<Store>,
}

/// Records what the token source persists.
#[derive(Default)]
pub struct Store {
    pub saved: Mutex<Vec<OAuthTokens>>,
    pub deauthorized: Mutex<Vec<String>>,
}

#[async_trait]
impl TokenStore for Store {
    async fn save(&self, tokens: &OAuthTokens) -> Result<(), PlatformError> {
        self.saved.lock().unwrap().push(tokens.clone());
        Ok(())
    }
    async fn deauthorized(&self, reason: &str) {
        self.deauthorized.lock().unwrap().push(reason.to_owned());
    }
}

/// The tenant's seeded reference ids, by account code and contact name.
pub struct Refs {
    pub accounts: std::collections::HashMap<String, String>,
    pub customer: String,
    pub supplier: String,
}

pub async fn refs(app: &App, tenant: &Tenant) -> Refs {
    let books = app.books(tenant).await;
    let accounts = books["Accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Code"].as_str().unwrap().to_owned(),
                a["AccountID"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let contact = |name: &str| {
        books["Contacts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["Name"] == name)
            .unwrap()["ContactID"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    Refs {
        accounts,
        customer: contact("Commerce Sales"),
        supplier: contact("Payment Processor Ltd"),
    }
}

impl Refs {
    pub fn account(&self, code: &str) -> String {
        self.accounts[code].clone()
    }
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

pub fn document(kind: DocumentKind, group: &str) -> Document {
    Document {
        kind,
        key: key(kind, group),
        date: "2026-11-25".parse().unwrap(),
        currency: "GBP".parse().unwrap(),
        contact_id: None,
        status: Some(DocumentStatus::Submitted),
        total: None,
        lines: Vec::new(),
        account_id: None,
        amount: None,
        applies_to: None,
    }
}

/// A spend-money bank transaction: the cheapest document to write many of.
pub fn spend(refs: &Refs, group: &str, cents: i64) -> Document {
    let mut d = document(DocumentKind::BankTransaction, group);
    d.contact_id = Some(refs.supplier.clone());
    d.account_id = Some(refs.account("090"));
    d.amount = Some(money(-cents));
    d.lines = vec![line(&refs.account("404"), None, cents, 0)];
    d
}

/// The records of `collection` in the books whose `field` is `value`.
pub fn with<'a>(books: &'a Value, collection: &str, field: &str, value: &str) -> Vec<&'a Value> {
    books[collection]
        .as_array()
        .map(|a| a.iter().filter(|x| x[field] == value).collect())
        .unwrap_or_default()
}

pub fn amount(v: &Value) -> Decimal {
    transformers::decimal(v).unwrap_or_else(|| panic!("not an amount: {v}"))
}

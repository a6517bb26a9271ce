//! A running API on a loopback port over a fresh database, and a client for it.

#![allow(dead_code)]

pub mod configured;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use platforms::{SecretKey, TokenCipher};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use store::Store;
use store::testing::TestDatabase;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub key: String,
    pub store: Arc<dyn Store>,
    pub secret: SecretKey,
    _db: TestDatabase,
}

impl TestApp {
    /// One app per backend: SQLite always, PostgreSQL when it answers.
    pub async fn on_every_backend() -> Vec<TestApp> {
        let mut apps = Vec::new();
        for db in TestDatabase::both().await {
            apps.push(Self::spawn(db).await);
        }
        apps
    }

    pub async fn spawn(db: TestDatabase) -> TestApp {
        Self::spawn_with(db, false).await
    }

    /// With the Xero and QuickBooks sandboxes under `/sandbox` and OAuth apps pointing at them.
    pub async fn spawn_with_sandbox(db: TestDatabase) -> TestApp {
        Self::spawn_with(db, true).await
    }

    async fn spawn_with(db: TestDatabase, with_sandbox: bool) -> TestApp {
        let store = store::open(&db.url).await.expect("open the test database");
        let secret = SecretKey::generate();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // Test receivers and hledger listen on loopback.
        let mut state = web::AppState::new(store.clone(), TokenCipher::new(&secret), &base)
            .with_outbound(platforms::outbound::Outbound::ANYWHERE);
        let mut router = axum::Router::new();
        if with_sandbox {
            let sandbox_base = format!("{base}/sandbox");
            state = state.with_oauth(
                [
                    domain::PlatformKey::Xero,
                    domain::PlatformKey::QuickBooksOnline,
                ]
                .into_iter()
                .filter_map(|p| platforms::authorize::OAuthApp::sandbox(p, &sandbox_base)),
            );
            state = state.with_connectors(engine::ConnectorSettings::sandbox(&base));
            let sandbox = sandbox::SandboxState::new(sandbox::SandboxOptions::new(sandbox_base));
            router = router.nest("/sandbox", sandbox::router(sandbox));
        }
        let app = router.merge(web::router(state));
        tokio::spawn(async move {
            let settings = web::serve::ServeSettings::default();
            web::serve::serve(listener, app, settings, std::future::pending())
                .await
                .unwrap()
        });
        let mut app = TestApp {
            base,
            http: reqwest::Client::new(),
            key: String::new(),
            store,
            secret,
            _db: db,
        };
        app.key = app.new_client_key("test-client").await;
        app
    }

    pub fn backend(&self) -> &'static str {
        self.store.backend().as_str()
    }

    /// A key for a (new or existing) client of this name.
    pub async fn new_client_key(&self, name: &str) -> String {
        let client = self.store.ensure_client(name).await.unwrap();
        let key = web::auth::generate_key();
        self.store
            .add_api_key(client.id, &web::auth::hash_key(&key))
            .await
            .unwrap();
        key
    }

    pub fn request_as(&self, key: &str, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("Basic {}", STANDARD.encode(key)))
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.request_as(&self.key, method, path)
    }

    /// Sends and answers (status, JSON body or Null).
    pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, body)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        Self::send(request).await
    }

    pub async fn create_company(&self, name: &str) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/companies",
                Some(serde_json::json!({"name": name})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

/// The pointers named in an error body's `validation.errors`.
pub fn pointers(error: &Value) -> Vec<String> {
    error["validation"]["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["pointer"]
                        .as_str()
                        .or(e["itemId"].as_str())
                        .unwrap_or("")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

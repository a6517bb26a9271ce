//! The `commerce-sync` binary started as an operator starts it: `serve --sandbox` on a free
//! loopback port, over a fresh SQLite file (or the PostgreSQL database given), with a
//! bootstrap API key; stopped when dropped.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");
pub const API_KEY: &str = "journey-test-key-0123456789";

pub struct Server {
    pub base: String,
    /// The client the bootstrap key belongs to.
    pub client_id: String,
    pub http: reqwest::Client,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// 32 random bytes.
fn uuid_bytes() -> Vec<u8> {
    let a = *uuid::Uuid::new_v4().as_bytes();
    let b = *uuid::Uuid::new_v4().as_bytes();
    [a, b].concat()
}

impl Server {
    /// `database_url`: `None` for the default SQLite file in a fresh folder.
    pub fn start(database_url: Option<&str>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(BIN);
        command
            .current_dir(dir.path())
            .args(["serve", "--sandbox", "--listen", "127.0.0.1:0"])
            .env_remove("COMMERCE_SYNC_DATABASE_URL")
            .env_remove("COMMERCE_SYNC_SECRET_KEY")
            .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", API_KEY)
            .env("COMMERCE_SYNC_POLL_MILLISECONDS", "50")
            .env("COMMERCE_SYNC_ALLOW_PRIVATE_NETWORKS", "true")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(url) = database_url {
            // Every process on one PostgreSQL database seals credentials with one key.
            let key = STANDARD.encode(uuid_bytes());
            command
                .args(["--database-url", url])
                .env("COMMERCE_SYNC_SECRET_KEY", key);
        }
        let mut child = command.spawn().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut base, mut client_id) = (None, None);
        for line in lines {
            let line = line.unwrap();
            if let Some((_, rest)) = line.split_once("listening on ") {
                base = rest.split_whitespace().next().map(str::to_owned);
            }
            if let Some((_, rest)) = line.split_once("installed for client ") {
                client_id = Some(rest.trim().to_owned());
                break;
            }
        }
        Server {
            base: base.expect("the server says where it listens"),
            client_id: client_id.expect("the server names the bootstrap key's client"),
            // A browser-like client that shows each redirect instead of following it.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            child,
            _dir: dir,
        }
    }

    /// The default SQLite database the server runs on, for operator commands beside it.
    pub fn database_url(&self) -> String {
        format!(
            "sqlite://{}",
            self._dir.path().join("data/commerce-sync.db").display()
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An API call with the client's key: (status, JSON body or Null).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path)).header(
            "Authorization",
            format!("Basic {}", STANDARD.encode(API_KEY)),
        );
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, body)
    }

    /// A call that must answer 200; its body.
    pub async fn ok(&self, method: Method, path: &str, body: Option<&Value>) -> Value {
        let (status, answer) = self.call(method.clone(), path, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    }

    /// Polls `path` until `done` says so (at most five minutes: a week of documents meets
    /// Xero's 60 calls a minute, which the sandbox enforces); the last answer.
    pub async fn wait_for(&self, path: &str, done: impl Fn(StatusCode, &Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            let (status, body) = self.call(Method::GET, path, None).await;
            if done(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting on {path}: {status} {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

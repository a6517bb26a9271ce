//! Test harness: a sandbox on a loopback port with a manual clock and a fixed seed.
#![allow(dead_code)]

use sandbox::{ManualClock, SandboxOptions, SandboxState};
use serde_json::{Value, json};
use std::sync::Arc;

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: ManualClock,
}

pub struct Tenant {
    pub id: String,
    pub access: String,
    pub refresh: String,
}

pub async fn spawn() -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock = ManualClock::new("2026-11-26T10:00:00Z".parse().unwrap());
    let mut opts = SandboxOptions::new(base.clone());
    opts.clock = Some(Arc::new(clock.clone()));
    opts.seed = Some(42);
    let state = SandboxState::new(opts);
    tokio::spawn(sandbox::serve_with(listener, state));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    App { base, http, clock }
}

impl App {
    pub async fn tenant(&self, platform: &str, body: Value) -> Tenant {
        let r = self
            .http
            .post(format!("{}/{platform}/_control/tenants", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        let id = v
            .get("tenantId")
            .or(v.get("realmId"))
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        Tenant {
            id,
            access: v["accessToken"].as_str().unwrap().to_owned(),
            refresh: v["refreshToken"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn books(&self, platform: &str, id: &str) -> Value {
        let r = self
            .http
            .get(format!(
                "{}/{platform}/_control/tenants/{id}/books",
                self.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub async fn faults(&self, platform: &str, body: Value) {
        let r = self
            .http
            .post(format!("{}/{platform}/_control/faults", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// How many faults of each kind `platform` has injected so far.
    pub async fn injected(&self, platform: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/{platform}/_control/faults", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["injected"].clone()
    }

    pub async fn lock(&self, platform: &str, id: &str, date: &str) {
        let r = self
            .http
            .patch(format!("{}/{platform}/_control/tenants/{id}", self.base))
            .json(&json!({"lockDate": date}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    /// A Xero API call: (status, headers, JSON body or Null).
    pub async fn xero(
        &self,
        t: &Tenant,
        method: &str,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let url = format!("{}/xero/api.xro/2.0/{path}", self.base);
        let mut rb = self
            .http
            .request(method.parse().unwrap(), url)
            .bearer_auth(&t.access)
            .header("xero-tenant-id", &t.id)
            .header("accept", "application/json");
        if let Some(k) = key {
            rb = rb.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }

    /// A QuickBooks API call under `/v3/company/{realm}/`.
    pub async fn qbo(
        &self,
        t: &Tenant,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = format!(
            "{}/quickbooks/v3/company/{}/{path}{sep}minorversion=75",
            self.base, t.id
        );
        let mut rb = self
            .http
            .request(method.parse().unwrap(), url)
            .bearer_auth(&t.access)
            .header("accept", "application/json");
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }
}

/// The messages of a Xero ValidationException, all elements flattened.
pub fn xero_messages(v: &Value) -> Vec<String> {
    assert_eq!(v["Type"], "ValidationException", "{v}");
    assert_eq!(v["ErrorNumber"], 10);
    v["Elements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["ValidationErrors"].as_array().unwrap().iter())
        .map(|m| m["Message"].as_str().unwrap().to_owned())
        .collect()
}

/// Exact decimal text of a JSON number.
pub fn amount(v: &Value) -> String {
    v.as_number()
        .map(|n| n.to_string())
        .unwrap_or_else(|| v.to_string())
}

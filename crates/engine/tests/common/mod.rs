//! An engine on a real database with the Xero sandbox on a loopback port, time on a manual
//! clock: what the end-to-end sync tests share.

#![allow(dead_code)]

use domain::clock::{Clock, ManualClock};
use domain::{ClientId, CompanyId};
pub use engine::books_check::{book_totals, expected, key_counts};
use engine::seeding::{MerchantPlan, SeededMerchant, seed_merchant};
use engine::{
    ConnectorSettings, Connectors, Events, Scheduler, SyncRunner, Worker, WorkerSettings,
};
use jiff::Timestamp;
use platforms::{RetryPolicy, SecretKey, TokenCipher};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use store::testing::TestDatabase;

pub struct Harness {
    pub store: Arc<dyn Store>,
    pub clock: ManualClock,
    pub base: String,
    pub cipher: Arc<TokenCipher>,
    pub connectors: Arc<Connectors>,
    pub worker: Worker,
    pub client: ClientId,
    pub db: TestDatabase,
}

impl Harness {
    pub async fn new(db: TestDatabase, now: Timestamp) -> Self {
        let store = store::open(&db.url).await.expect("the test database opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state =
            sandbox::SandboxState::new(sandbox::SandboxOptions::new(format!("{base}/sandbox")));
        let app = axum::Router::new().nest("/sandbox", sandbox::router(state));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let cipher = Arc::new(TokenCipher::new(&SecretKey::generate()));
        let mut settings = ConnectorSettings::sandbox(&base);
        if let Some(x) = settings.xero.as_mut() {
            x.retry = RetryPolicy {
                max_attempts: 6,
                ..RetryPolicy::quick()
            };
            x.timeout = Duration::from_millis(1500);
        }
        let connectors = Arc::new(Connectors::new(
            store.clone(),
            cipher.clone(),
            settings,
            Arc::new(platforms::SystemTimer),
        ));
        let clock = ManualClock::new(now);
        let shared: Arc<dyn Clock> = Arc::new(clock.clone());
        let runner = Arc::new(SyncRunner {
            store: store.clone(),
            connectors: connectors.clone(),
            clock: shared.clone(),
            events: Events::new(store.clone(), shared.clone()),
        });
        let worker = Worker {
            store: store.clone(),
            clock: shared,
            runner,
            settings: WorkerSettings {
                id: "test-worker".into(),
                ..WorkerSettings::default()
            },
        };
        let client = store.ensure_client("engine-tests").await.unwrap().id;
        Self {
            store,
            clock,
            base,
            cipher,
            connectors,
            worker,
            client,
            db,
        }
    }

    pub async fn seed(&self, plan: &MerchantPlan) -> SeededMerchant {
        seed_merchant(
            &self.store,
            &self.cipher,
            &self.connectors,
            &format!("{}/sandbox", self.base),
            self.client,
            plan,
        )
        .await
        .expect("the merchant is seeded")
    }

    pub fn scheduler(&self) -> Scheduler {
        Scheduler {
            store: self.store.clone(),
            clock: Arc::new(self.clock.clone()),
        }
    }

    /// One scheduler tick, then every due job run.
    pub async fn tick_and_run(&self) -> usize {
        self.scheduler().tick().await.unwrap();
        self.worker.run_until_idle().await.unwrap()
    }

    pub async fn books(&self, tenant: &str) -> Value {
        reqwest::get(format!(
            "{}/sandbox/xero/_control/tenants/{tenant}/books",
            self.base
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
    }

    pub async fn faults(&self, settings: Value) {
        let r = reqwest::Client::new()
            .post(format!("{}/sandbox/xero/_control/faults", self.base))
            .json(&settings)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }

    /// How many faults of each kind the Xero sandbox has injected so far.
    pub async fn injected(&self) -> Value {
        let r = reqwest::get(format!("{}/sandbox/xero/_control/faults", self.base))
            .await
            .unwrap();
        assert!(r.status().is_success());
        r.json::<Value>().await.unwrap()["injected"].clone()
    }

    /// Status codes of the company's syncs, oldest first.
    pub async fn codes(&self, company: CompanyId) -> Vec<u16> {
        let mut syncs = self.store.syncs(company, 0, 1000).await.unwrap();
        syncs.reverse();
        syncs.iter().map(|s| s.outcome.status_code).collect()
    }
}

pub fn plan(name: &str, start: jiff::civil::Date, days: u32, orders: u32) -> MerchantPlan {
    MerchantPlan {
        name: name.into(),
        start,
        days,
        orders_per_day: orders,
        zone: "Europe/London".into(),
        sync_hour: 2,
        journal: false,
        seed: 11,
    }
}

//! An engine on a real database with the Xero sandbox on a loopback port, time on a manual
//! clock: what the end-to-end sync tests share.

#![allow(dead_code)]

use domain::clock::{Clock, ManualClock};
use domain::{ClientId, CompanyId};
use engine::demo_data::DayTotals;
use engine::seeding::{MerchantPlan, SeededMerchant, seed_merchant};
use engine::{
    ConnectorSettings, Connectors, Events, Scheduler, SyncRunner, Worker, WorkerSettings,
};
use jiff::Timestamp;
use platforms::{RetryPolicy, SecretKey, TokenCipher};
use serde_json::{Value, json};
use std::collections::HashMap;
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

fn pence(v: &Value) -> i64 {
    let d: rust_decimal::Decimal = v.to_string().trim_matches('"').parse().unwrap_or_default();
    (d * rust_decimal::Decimal::from(100))
        .round()
        .try_into()
        .unwrap()
}

fn sum(books: &Value, collection: &str, kind: Option<&str>, field: &str) -> i64 {
    books[collection]
        .as_array()
        .map(|docs| {
            docs.iter()
                .filter(|d| kind.is_none_or(|k| d["Type"] == json!(k)))
                .filter(|d| d["Status"] != json!("VOIDED") && d["Status"] != json!("DELETED"))
                .map(|d| pence(&d[field]))
                .sum()
        })
        .unwrap_or(0)
}

/// What the books say, in the terms of [`DayTotals`]: gross sales (net + VAT) in
/// `net_sales`. VAT alone is not compared: the mapping lets the ledger compute tax on each
/// day's line and adds an untaxed rounding line, so the VAT can differ from the sum of the
/// orders' rounded taxes by a penny while the total is exact (`domain::mapping::rounding`).
pub fn book_totals(books: &Value) -> DayTotals {
    let gross_sales = sum(books, "Invoices", Some("ACCREC"), "Total")
        - sum(books, "CreditNotes", Some("ACCRECCREDIT"), "Total");
    let fees = sum(books, "Invoices", Some("ACCPAY"), "Total")
        - sum(books, "CreditNotes", Some("ACCPAYCREDIT"), "Total");
    DayTotals {
        net_sales: gross_sales,
        vat: 0,
        card: 0,
        cash: 0,
        fees,
        payout: sum(books, "BankTransfers", None, "Amount"),
    }
}

/// Our keys on the books' documents, each with how often it appears (live documents only).
pub fn key_counts(books: &Value) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (collection, docs) in books.as_object().unwrap() {
        if [
            "Accounts",
            "Contacts",
            "TaxRates",
            "Organisations",
            "TrackingCategories",
        ]
        .contains(&collection.as_str())
        {
            continue;
        }
        for d in docs.as_array().into_iter().flatten() {
            if d["Status"] == json!("VOIDED") || d["Status"] == json!("DELETED") {
                continue;
            }
            for field in [
                "Reference",
                "Narration",
                "InvoiceNumber",
                "CreditNoteNumber",
            ] {
                if let Some(k) = d[field].as_str().filter(|k| k.starts_with("cs:")) {
                    *counts.entry(k.to_owned()).or_insert(0) += 1;
                    break;
                }
            }
        }
    }
    counts
}

/// Gross sales, fees and payouts as the books must show them (see [`book_totals`]).
pub fn expected(t: DayTotals) -> DayTotals {
    DayTotals {
        net_sales: t.net_sales + t.vat,
        vat: 0,
        card: 0,
        cash: 0,
        ..t
    }
}

//! A push answered 2xx is a promise: the real binary acknowledges datasets, is killed with
//! SIGKILL right after the acknowledgements (before it could store them all), and is started
//! again; every dataset ends `Complete` with every record, none twice. SQLite and PostgreSQL.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use store::testing::TestDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");
const API_KEY: &str = "durable-push-test-key-0123";
const DATASETS: usize = 20;
const ORDERS: usize = 1000;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &str, key: &str) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--role", "api", "--listen", "127.0.0.1:0"])
        .args(["--database-url", db])
        .env("COMMERCE_SYNC_SECRET_KEY", key)
        .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", API_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start commerce-sync");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server { child, base }
}

fn order(dataset: usize, n: usize) -> Value {
    let id = format!("d{dataset}-o{n}");
    json!({"id": id, "currency": "GBP", "createdDate": "2026-03-01T10:15:00Z",
        "sourceModifiedDate": "2026-03-01T10:15:00Z", "totalAmount": 12.00, "totalTaxAmount": 2.00,
        "totalDiscount": 0, "totalGratuity": 0, "totalRefund": 0,
        "orderLineItems": [{"id": format!("{id}-l1"), "quantity": 1, "unitPrice": 10.00,
            "totalAmount": 12.00, "totalTaxAmount": 2.00, "taxPercentage": 20}]})
}

fn auth() -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(API_KEY)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_datasets_survive_a_sigkill() {
    for db in TestDatabase::both().await {
        let key = platforms::SecretKey::generate().to_base64();
        let http = reqwest::Client::new();
        let server = start(&db.url, &key);
        let company: Value = http
            .post(format!("{}/companies", server.base))
            .header("Authorization", auth())
            .json(&json!({"name": "Durable Shop"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let company = company["id"].as_str().expect("a company id").to_owned();
        let path = format!(
            "{}/data/companies/{company}/sync/commerce-orders",
            server.base
        );
        let bodies: Vec<String> = (0..DATASETS)
            .map(|d| json!({"orders": (0..ORDERS).map(|n| order(d, n)).collect::<Vec<_>>()}))
            .map(|b| b.to_string())
            .collect();
        let pushes = bodies.into_iter().map(|body| {
            let http = http.clone();
            let path = path.clone();
            async move {
                let answer = http
                    .post(&path)
                    .header("Authorization", auth())
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(answer.status().is_success(), "{}", answer.status());
                let dataset: Value = answer.json().await.unwrap();
                dataset["datasetId"].as_str().unwrap().to_owned()
            }
        });
        let ids = futures::future::join_all(pushes).await;
        // Killed right after the last acknowledgement: no chance to store what it queued.
        drop(server);

        // The fault fired: some acknowledged datasets were not stored when the process died.
        let store = store::open(&db.url).await.unwrap();
        let client = store.ensure_client("bootstrap").await.unwrap().id;
        let company_id: domain::CompanyId = company.parse().unwrap();
        let mut unfinished = 0;
        for id in &ids {
            let dataset = store
                .dataset(client, company_id, id.parse().unwrap())
                .await
                .unwrap()
                .expect("an acknowledged dataset is recorded");
            unfinished += usize::from(!dataset.status.is_finished());
        }
        assert!(
            unfinished > 0,
            "the kill came after every dataset was stored; the test proves nothing ({})",
            db.url
        );

        // Started again: everything acknowledged is stored, once.
        let server = start(&db.url, &key);
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut inserted = 0;
        for id in &ids {
            let dataset = loop {
                let dataset: Value = http
                    .get(format!(
                        "{}/meta/companies/{company}/pull/history/{id}",
                        server.base
                    ))
                    .header("Authorization", auth())
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                if dataset["progress"] == 100 || Instant::now() > deadline {
                    break dataset;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            assert_eq!(dataset["status"], "Complete", "{dataset}");
            assert_eq!(dataset["counts"]["received"], ORDERS, "{dataset}");
            assert_eq!(dataset["counts"]["rejected"], 0, "{dataset}");
            assert_eq!(dataset["counts"]["modified"], 0, "{dataset}");
            inserted += dataset["counts"]["inserted"].as_u64().unwrap();
        }
        assert_eq!(inserted, (DATASETS * ORDERS) as u64, "{}", db.url);
        let stored = store
            .records_created_between(
                company_id,
                domain::commerce::DatasetKind::Orders,
                "2026-01-01T00:00:00Z".parse().unwrap(),
                "2027-01-01T00:00:00Z".parse().unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(stored.len(), DATASETS * ORDERS, "{}", db.url);
        drop(server);
    }
}

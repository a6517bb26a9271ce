//! Operators' view of a running service: `/metrics` parses as Prometheus text and its
//! counters move when a sync runs (the demo's, end to end against the sandbox over HTTP), a
//! failed sync logs at WARN inside its job's span with the ids, status code and reason, and a
//! worker process answers `/metrics` and `/healthz` on its own listener.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");
const KEY: &str = "metrics-test-key-0123456789";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The samples of a `/metrics` page, by name and labels (`name{a="x",b="y"}`, labels sorted).
fn scrape(text: &str) -> HashMap<String, f64> {
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let parsed = prometheus_parse::Scrape::parse(lines).expect("Prometheus text format");
    let mut samples = HashMap::new();
    for s in parsed.samples {
        let mut labels: Vec<String> = s
            .labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        labels.sort();
        let value = match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            prometheus_parse::Value::Histogram(h) => {
                // One sample per bucket is flattened to its count in `_count` below.
                h.iter().map(|b| b.count).fold(0.0, f64::max)
            }
            prometheus_parse::Value::Summary(_) => continue,
        };
        samples.insert(format!("{}{{{}}}", s.metric, labels.join(",")), value);
    }
    samples
}

fn sum_of(samples: &HashMap<String, f64>, prefix: &str) -> f64 {
    samples
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, v)| v)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_move_when_a_sync_runs() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.jsonl");
    let mut child = Killed(
        Command::new(BIN)
            .current_dir(dir.path())
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .args(["--log-format", "json"])
            .env_remove("COMMERCE_SYNC_DATABASE_URL")
            .env_remove("COMMERCE_SYNC_SECRET_KEY")
            .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", KEY)
            .env("COMMERCE_SYNC_POLL_MILLISECONDS", "100")
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let (mut base, mut company) = (None, None);
    for line in BufReader::new(child.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let word_after = |marker: &str| {
            line.split_once(marker)
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .map(str::to_owned)
        };
        base = base.or_else(|| word_after("listening on "));
        company = company.or_else(|| word_after("demo company: "));
        if company.is_some() {
            break;
        }
    }
    let (base, company) = (base.unwrap(), company.unwrap());
    let http = reqwest::Client::new();
    let auth = format!("Basic {}", STANDARD.encode(KEY));

    let first = http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert!(
        first.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let before = scrape(&first.text().await.unwrap());
    assert!(
        sum_of(&before, "commerce_sync_datasets_ingested_total") >= 21.0,
        "the demo's seven days of three datasets were counted as stored: {before:?}"
    );

    // The README's key (the bootstrap client's) sees the demo merchant and its sync.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status: serde_json::Value = http
            .get(format!(
                "{base}/meta/companies/{company}/sync/commerce/status"
            ))
            .header("Authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["syncStatusCode"].as_u64().is_some_and(|c| c >= 2000) {
            assert_eq!(status["syncStatusCode"], 2000, "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo's sync did not finish: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A sync that fails: a company with no connections, for a range.
    let created: serde_json::Value = http
        .post(format!("{base}/companies"))
        .header("Authorization", &auth)
        .json(&serde_json::json!({"name": "No connections"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let failing = created["id"].as_str().unwrap().to_owned();
    let requested = http
        .post(format!(
            "{base}/meta/companies/{failing}/sync/commerce/historic"
        ))
        .header("Authorization", &auth)
        .json(&serde_json::json!({"dateRange": {
            "start": "2026-01-01T00:00:00Z", "finish": "2026-01-02T00:00:00Z"}}))
        .send()
        .await
        .unwrap();
    assert!(requested.status().is_success(), "{}", requested.status());

    let deadline = Instant::now() + Duration::from_secs(60);
    let after = loop {
        let text = http
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let after = scrape(&text);
        if after.contains_key("commerce_sync_syncs_finished_total{status_code=\"4000\"}") {
            break after;
        }
        assert!(Instant::now() < deadline, "no failed sync counted:\n{text}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        after["commerce_sync_syncs_finished_total{status_code=\"2000\"}"] >= 1.0,
        "{after:?}"
    );
    assert!(after["commerce_sync_syncs{status_code=\"2000\"}"] >= 1.0);
    assert_eq!(after["commerce_sync_syncs{status_code=\"4000\"}"], 1.0);
    assert!(
        after["commerce_sync_platform_requests_total{platform=\"xero\",status=\"2xx\"}"] > 0.0,
        "the sync's calls to the Xero sandbox were counted: {after:?}"
    );
    assert!(
        after["commerce_sync_platform_request_duration_seconds_count{platform=\"xero\"}"] > 0.0
    );
    assert!(
        after["commerce_sync_push_items{platform=\"xero\",status=\"Success\"}"] >= 2.0,
        "{after:?}"
    );
    assert!(after.contains_key("commerce_sync_job_queue_depth{}"));
    assert!(after.contains_key("commerce_sync_job_queue_oldest_age_seconds{}"));

    // The failed sync's WARN line names company, sync, status code and reason, inside the span
    // of the job that ran it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let warn = loop {
        let text = std::fs::read_to_string(&log).unwrap();
        let found = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|l| l["message"] == "sync failed" && l["company_id"] == failing.as_str());
        if let Some(line) = found {
            break line;
        }
        assert!(
            Instant::now() < deadline,
            "no WARN line for the failed sync:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(warn["level"], "WARN", "{warn}");
    assert_eq!(warn["status_code"], 4000, "{warn}");
    assert!(
        warn["sync_id"].as_str().is_some_and(|s| s.len() == 36),
        "{warn}"
    );
    assert!(
        warn["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{warn}"
    );
    let span = &warn["span"];
    assert_eq!(span["name"], "job", "{warn}");
    assert_eq!(span["company_id"], failing.as_str(), "{warn}");
    assert_eq!(span["sync_id"], warn["sync_id"], "{warn}");
    assert!(
        span["job_id"].as_str().is_some_and(|s| s.len() == 36),
        "{warn}"
    );
}

#[tokio::test]
async fn a_worker_answers_metrics_and_healthz_on_its_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Killed(
        Command::new(BIN)
            .current_dir(dir.path())
            .args(["serve", "--role", "worker"])
            .env_remove("COMMERCE_SYNC_DATABASE_URL")
            .env_remove("COMMERCE_SYNC_SECRET_KEY")
            .env("COMMERCE_SYNC_METRICS_LISTEN", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let metrics = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("the worker printed no metrics address: {line:?}"))
        .to_owned();
    assert!(metrics.ends_with("/metrics"), "{metrics}");
    let http = reqwest::Client::new();
    let answer = http.get(&metrics).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let samples = scrape(&answer.text().await.unwrap());
    assert_eq!(samples["commerce_sync_job_queue_depth{}"], 0.0);
    let health: serde_json::Value = http
        .get(metrics.replace("/metrics", "/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["role"], "worker");
}

//! Scale-out and exactly once, with real processes on one PostgreSQL: an API process (with
//! the sandboxes) and two worker processes share the work; workers are killed with SIGKILL
//! at random moments and restarted. Every company is synced exactly once per due day and
//! every document is in the sandbox's books exactly once, the totals equal to the penny.

use engine::books_check::{book_totals, expected, key_counts};
use engine::seeding::{MerchantPlan, seed_merchant};
use platforms::{SecretKey, TokenCipher};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::testing::TestDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");

struct Process {
    child: Child,
    first_line: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], db: &str, key: &str) -> Process {
    let mut child = Command::new(BIN)
        .args(args)
        .args(["--database-url", db])
        .env("COMMERCE_SYNC_SECRET_KEY", key)
        .env("COMMERCE_SYNC_LEASE_SECONDS", "2")
        .env("COMMERCE_SYNC_SCHEDULE_SECONDS", "1")
        .env("COMMERCE_SYNC_POLL_MILLISECONDS", "100")
        .env("COMMERCE_SYNC_WORKER_CONCURRENCY", "2")
        .env_remove("COMMERCE_SYNC_BOOTSTRAP_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start commerce-sync");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    Process { child, first_line }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_workers_never_lose_or_duplicate_a_document() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let secret = SecretKey::generate();
    let key = secret.to_base64();
    let api = start(
        &[
            "serve",
            "--role",
            "api",
            "--sandbox",
            "--listen",
            "127.0.0.1:0",
        ],
        &db.url,
        &key,
    );
    let base = api
        .first_line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {:?}", api.first_line))
        .to_owned();

    // Merchants due now: sales on the last three days, daily sync at midnight UTC.
    let store = store::open(&db.url).await.unwrap();
    let cipher = Arc::new(TokenCipher::new(&secret));
    let connectors = engine::Connectors::new(
        store.clone(),
        cipher.clone(),
        engine::ConnectorSettings::sandbox(&base),
        Arc::new(platforms::SystemTimer),
    );
    let client = store.ensure_client("scale-out").await.unwrap().id;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let mut merchants = Vec::new();
    for i in 0..6 {
        let plan = MerchantPlan {
            name: format!("Killshop{i}"),
            start: today.checked_sub(jiff::Span::new().days(3)).unwrap(),
            days: 3,
            orders_per_day: 15,
            zone: "UTC".into(),
            sync_hour: 0,
            journal: false,
            seed: 99 + i,
        };
        let sandbox = format!("{base}/sandbox");
        merchants.push(
            seed_merchant(&store, &cipher, &connectors, &sandbox, client, &plan)
                .await
                .unwrap(),
        );
    }
    // Slow the books down so kills land in the middle of runs.
    let faults = reqwest::Client::new()
        .post(format!("{base}/sandbox/xero/_control/faults"))
        .json(&serde_json::json!({"latencyMs": 150}))
        .send()
        .await
        .unwrap();
    assert!(faults.status().is_success());

    let worker_args = [
        "serve",
        "--role",
        "worker",
        "--sandbox",
        "--public-url",
        base.as_str(),
    ];
    let mut workers = vec![
        start(&worker_args, &db.url, &key),
        start(&worker_args, &db.url, &key),
    ];
    assert!(
        workers[0].first_line.contains("worker"),
        "{}",
        workers[0].first_line
    );
    let deadline = Instant::now() + Duration::from_secs(240);
    // Kill every worker whenever a run is caught half written: some of its documents in the
    // books, some not. The next claim must finish it without writing anything twice.
    let mut mid_run_kills = 0;
    loop {
        let mut done = 0;
        let mut half_written = false;
        for m in &merchants {
            let (latest, success) = store.latest_syncs(m.company).await.unwrap();
            if success.is_some() && latest.as_ref().is_some_and(|l| l.completed.is_some()) {
                done += 1;
            }
            if let Some(run) = latest.filter(|l| l.completed.is_none() && l.planned) {
                let items = store.sync_push_items(run.id).await.unwrap();
                let written = items
                    .iter()
                    .filter(|i| i.result.status == store::PushStatus::Success)
                    .count();
                half_written |= written > 0 && written < items.len();
            }
        }
        if done == merchants.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{done} of {} companies synced after {mid_run_kills} kills",
            merchants.len()
        );
        if half_written && mid_run_kills < 4 {
            for w in workers.iter_mut() {
                *w = start(&worker_args, &db.url, &key); // the old one gets SIGKILL
            }
            mid_run_kills += 1;
        } else {
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }
    assert!(
        mid_run_kills >= 1,
        "no run was caught half written: slow the sandbox down"
    );
    drop(workers);

    let mut reclaimed = 0;
    for m in &merchants {
        let syncs = store.syncs(m.company, 0, 100).await.unwrap();
        let succeeded: Vec<_> = syncs
            .iter()
            .filter(|s| s.outcome.status_code == 2000)
            .collect();
        assert_eq!(
            succeeded.len(),
            1,
            "one successful sync per company: {syncs:?}"
        );
        assert!(
            store
                .unfinished_push_items(m.company)
                .await
                .unwrap()
                .is_empty()
        );
        let books: serde_json::Value = reqwest::get(format!(
            "{base}/sandbox/xero/_control/tenants/{}/books",
            m.tenant_id
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let keys = key_counts(&books);
        assert!(keys.values().all(|n| *n == 1), "a document twice: {keys:?}");
        let items = store.push_items(m.company, 0, 1000).await.unwrap();
        assert_eq!(keys.len() as u64, items.total);
        assert_eq!(book_totals(&books), expected(m.totals));
        let jobs = store.company_jobs(m.company).await.unwrap();
        assert!(jobs.iter().all(|j| j.status == "done"), "{jobs:?}");
        reclaimed += jobs.iter().filter(|j| j.attempts > 1).count();
    }
    assert!(reclaimed >= 1, "a killed worker's job was claimed again");
}

//! `serve --demo` as a newcomer runs it: a demo merchant appears on the Xero sandbox and its
//! week of sales is written into the sandbox's books by the sync, without any other step.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_writes_a_week_of_sales_into_the_sandbox_books() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .env_remove("COMMERCE_SYNC_SECRET_KEY")
        .env("COMMERCE_SYNC_POLL_MILLISECONDS", "100")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut base, mut key, mut company, mut tenant) = (None, None, None, None);
    for line in lines {
        let line = line.unwrap();
        let word_after = |marker: &str| {
            line.split_once(marker)
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .map(|w| w.trim_end_matches(')').to_owned())
        };
        base = base.or_else(|| word_after("listening on "));
        key = key.or_else(|| word_after("(shown once): "));
        company = company.or_else(|| word_after("demo company: "));
        tenant = tenant.or_else(|| word_after("sandbox tenant "));
        if tenant.is_some() {
            break;
        }
    }
    let (base, key, company, tenant) = (
        base.unwrap(),
        key.unwrap(),
        company.unwrap(),
        tenant.unwrap(),
    );
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        let status: serde_json::Value = http
            .get(format!(
                "{base}/meta/companies/{company}/sync/commerce/status"
            ))
            .header("Authorization", format!("Basic {}", STANDARD.encode(&key)))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if status["syncStatusCode"].as_u64().is_some_and(|c| c >= 2000) {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the demo's sync did not finish: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status["syncStatusCode"], 2000, "{status}");
    let books: serde_json::Value = http
        .get(format!(
            "{base}/sandbox/xero/_control/tenants/{tenant}/books"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let invoices = books["Invoices"].as_array().map_or(0, Vec::len);
    assert!(invoices >= 2, "sales invoice and fees bill: {books}");
    assert!(
        books["BankTransfers"]
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// One `serve --demo` run in `dir` with the README's way of starting it (a bootstrap key):
/// the address, the demo company's id and the support user's password it printed.
fn demo_run(dir: &std::path::Path, key: &str) -> (std::process::Child, String, String, String) {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .env_remove("COMMERCE_SYNC_SECRET_KEY")
        .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut base, mut company, mut password) = (None, None, None);
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let word_after = |marker: &str| {
            line.split_once(marker)
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .map(str::to_owned)
        };
        base = base.or_else(|| word_after("listening on "));
        password = password.or_else(|| word_after(" password: "));
        company = company.or_else(|| word_after("demo company: "));
        if company.is_some() {
            break;
        }
    }
    (child, base.unwrap(), company.unwrap(), password.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_merchant_is_the_readme_keys_and_a_second_run_adds_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let key = "local-dev-key-0123";
    let http = reqwest::Client::new();
    let companies = |base: String| {
        let http = http.clone();
        async move {
            let page: serde_json::Value = http
                .get(format!("{base}/companies"))
                .header("Authorization", format!("Basic {}", STANDARD.encode(key)))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let (mut first, base, company, _) = demo_run(dir.path(), key);
    assert_eq!(
        companies(base).await,
        vec![company.clone()],
        "the README's key sees it"
    );
    let _ = first.kill();
    let _ = first.wait();

    let (mut second, base, again, password) = demo_run(dir.path(), key);
    assert_eq!(again, company, "the second run finds its merchant");
    assert_eq!(companies(base).await, vec![company], "and adds no copy");
    let _ = second.kill();
    let _ = second.wait();

    let database = dir.path().join("data").join("commerce-sync.db");
    let store = store::open(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let user = store
        .support_user_for_sign_in("support@demo.example")
        .await
        .unwrap()
        .expect("the demo's support user");
    assert!(
        web::passwords::verify_password(&password, &user.password_hash),
        "the password printed by the last run signs in"
    );
    let owner = store
        .client_by_key_hash(&web::auth::hash_key(key))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.client_id, owner.id, "of the README key's client");
}

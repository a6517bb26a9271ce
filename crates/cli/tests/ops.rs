//! The operator commands as an operator runs them: the real binary on a SQLite file, with
//! `--json` for scripts and text for people; bad input fails with a clear error, never a panic.

use domain::{CompanyName, NewCompany};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use store::{NewSync, Store, SyncKind, SyncOutcome};

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");

/// The binary in `dir` on the database file there.
fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("COMMERCE_SYNC_SECRET_KEY")
        .env("COMMERCE_SYNC_DATABASE_URL", "sqlite://./ops.db")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs a command that must succeed; its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args, None);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let text = ok(dir, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}: {text}"))
}

/// Runs a command that must fail cleanly; its standard error.
fn fails(dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let out = run(dir, args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    stderr
}

async fn open(dir: &Path) -> std::sync::Arc<dyn Store> {
    store::open(&format!("sqlite://{}", dir.join("ops.db").display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn keys_list_and_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = ok(d, &["keys", "create", "--client", "acme"])
        .trim()
        .to_owned();
    ok(d, &["keys", "create", "--client", "other"]);
    let listed = json(d, &["keys", "list", "--json"]);
    let keys = listed["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "{listed}");
    let acme = keys.iter().find(|k| k["clientName"] == "acme").unwrap();
    let id = acme["keyId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 12);
    assert!(
        !listed.to_string().contains(&key),
        "the key itself is never shown"
    );
    let text = ok(d, &["keys", "list", "--client", "acme"]);
    assert!(text.starts_with("KEY ID"), "{text}");
    assert!(text.contains(&id) && !text.contains("other"), "{text}");

    assert!(fails(d, &["keys", "revoke", "xyz"], None).contains("KEY_ID"));
    assert!(fails(d, &["keys", "revoke", "00000000"], None).contains("no API key"));
    assert!(fails(d, &["keys", "list", "--client", "nobody"], None).contains("no client"));
    let revoked = json(d, &["keys", "revoke", &id, "--json"]);
    assert_eq!(revoked["revoked"]["keyId"], id.as_str());
    assert_eq!(
        json(d, &["keys", "list", "--json"])["keys"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let store = open(d).await;
    assert_eq!(
        store
            .client_by_key_hash(&web::auth::hash_key(&key))
            .await
            .unwrap(),
        None,
        "the revoked key no longer authenticates"
    );

    // By the key itself, on standard input.
    let other = ok(d, &["keys", "create", "--client", "acme"])
        .trim()
        .to_owned();
    let out = run(
        d,
        &["keys", "revoke", "--key-stdin"],
        Some(&format!("{other}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked API key"));
}

#[tokio::test]
async fn support_users_create_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["keys", "create", "--client", "acme"]);
    let created = json(
        d,
        &[
            "support-users",
            "create",
            "--client",
            "acme",
            "--email",
            "Ann@Shop.example",
            "--json",
        ],
    );
    assert_eq!(created["email"], "ann@shop.example");
    let password = created["password"].as_str().unwrap().to_owned();
    assert!(
        password.len() >= 12,
        "a generated password is printed: {created}"
    );
    let store = open(d).await;
    let user = store
        .support_user_for_sign_in("ann@shop.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.client_id.to_string(),
        created["clientId"].as_str().unwrap()
    );
    assert!(web::passwords::verify_password(
        &password,
        &user.password_hash
    ));
    assert!(
        !user.password_hash.contains(&password),
        "only the hash is stored"
    );

    // A password given on standard input is used and not printed.
    let client = created["clientId"].as_str().unwrap().to_owned();
    let out = run(
        d,
        &[
            "support-users",
            "create",
            "--client",
            &client,
            "--email",
            "bob@shop.example",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("bob@shop.example") && !text.contains("password ("),
        "{text}"
    );
    let bob = store
        .support_user_for_sign_in("bob@shop.example")
        .await
        .unwrap()
        .unwrap();
    assert!(web::passwords::verify_password(
        "a long enough password",
        &bob.password_hash
    ));

    let create = ["support-users", "create", "--client", "acme", "--email"];
    let err = fails(d, &[&create[..], &["ann@shop.example"]].concat(), None);
    assert!(err.contains("exists already"), "{err}");
    let err = fails(d, &[&create[..], &["not-an-email"]].concat(), None);
    assert!(err.contains("--email"), "{err}");
    let err = fails(
        d,
        &[&create[..], &["cy@shop.example", "--password-stdin"]].concat(),
        Some("short\n"),
    );
    assert!(err.contains("at least 12"), "{err}");
    let err = fails(
        d,
        &[
            "support-users",
            "create",
            "--client",
            "nobody",
            "--email",
            "cy@shop.example",
        ],
        None,
    );
    assert!(err.contains("no client"), "{err}");

    let removed = ok(
        d,
        &[
            "support-users",
            "remove",
            "--client",
            "acme",
            "--email",
            "ann@shop.example",
        ],
    );
    assert!(removed.contains("removed"), "{removed}");
    assert!(
        store
            .support_user_for_sign_in("ann@shop.example")
            .await
            .unwrap()
            .is_none()
    );
    let err = fails(
        d,
        &[
            "support-users",
            "remove",
            "--client",
            "acme",
            "--email",
            "ann@shop.example",
        ],
        None,
    );
    assert!(err.contains("no support user"), "{err}");
}

#[tokio::test]
async fn companies_and_syncs_list_show_and_retry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["migrate"]);
    let store = open(d).await;
    let client = store.ensure_client("acme").await.unwrap().id;
    let company = store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse("Corner Shop").unwrap(),
                description: None,
                tags: Default::default(),
            },
        )
        .await
        .unwrap();
    let t = |s: i64| jiff::Timestamp::from_second(1_780_000_000 + s).unwrap();
    let sync = store
        .create_sync(
            NewSync {
                id: uuid::Uuid::new_v4(),
                company_id: company.id,
                kind: SyncKind::Latest,
                period_start: t(0),
                period_end: t(86_400),
                requested: t(90_000),
            },
            false,
        )
        .await
        .unwrap();
    store
        .finish_sync(
            sync.id,
            SyncOutcome {
                status_code: 5130,
                status: "DataWriteError".into(),
                error_message: Some("1 document(s) could not be written to Xero".into()),
                exception_message: None,
                data_pushed: false,
            },
            None,
            t(90_100),
        )
        .await
        .unwrap();
    let (company_id, sync_id) = (company.id.to_string(), sync.id.to_string());

    let listed = json(d, &["companies", "list", "--json"]);
    assert_eq!(
        listed["companies"][0]["id"],
        company_id.as_str(),
        "{listed}"
    );
    assert_eq!(listed["companies"][0]["name"], "Corner Shop");
    assert!(ok(d, &["companies", "list", "--client", "acme"]).contains("Corner Shop"));
    let shown = json(d, &["companies", "show", &company_id, "--json"]);
    assert_eq!(shown["latestSync"]["statusCode"], 5130, "{shown}");
    assert_eq!(shown["configured"], false);
    let text = ok(d, &["companies", "show", &company_id]);
    assert!(
        text.contains("Corner Shop") && text.contains("5130"),
        "{text}"
    );

    let syncs = json(d, &["syncs", "list", "--status", "5130", "--json"]);
    assert_eq!(syncs["syncs"][0]["id"], sync_id.as_str(), "{syncs}");
    let none = json(d, &["syncs", "list", "--status", "2000", "--json"]);
    assert_eq!(none["syncs"].as_array().unwrap().len(), 0);
    let text = ok(d, &["syncs", "list", "--company", &company_id]);
    assert!(
        text.contains(&sync_id) && text.contains("could not be written"),
        "{text}"
    );
    let shown = json(d, &["syncs", "show", &sync_id, "--json"]);
    assert_eq!(shown["statusCode"], 5130);
    assert_eq!(shown["pushItems"], serde_json::json!([]));
    assert!(ok(d, &["syncs", "show", &sync_id]).contains("reason  1 document(s)"));

    let retried = json(d, &["syncs", "retry", &sync_id, "--json"]);
    assert_eq!(retried["queued"], true);
    let jobs = store.company_jobs(company.id).await.unwrap();
    assert_eq!(jobs.len(), 1, "the retry is queued for the workers");
    assert_eq!(jobs[0].status, "queued");

    let nil = uuid::Uuid::nil().to_string();
    for (args, expected) in [
        (vec!["companies", "show", "not-a-uuid"], "must be a UUID"),
        (vec!["syncs", "show", "42"], "must be a UUID"),
        (vec!["syncs", "show", &nil], "no sync has the id"),
        (vec!["syncs", "retry", &nil], "no sync has the id"),
        (vec!["companies", "show", &nil], "no company has the id"),
        (vec!["syncs", "list", "--company", "x"], "must be a UUID"),
    ] {
        let err = fails(d, &args, None);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    // clap refuses a status that is not a number, with its usage (exit 2).
    let out = run(d, &["syncs", "list", "--status", "failed"], None);
    assert_eq!(out.status.code(), Some(2));
}

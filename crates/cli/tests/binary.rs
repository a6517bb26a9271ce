//! The `commerce-sync` binary as users run it: migrate, keys create, serve.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use store::testing::TestDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");

fn command(dir: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .env_remove("COMMERCE_SYNC_SECRET_KEY");
    command
}

/// A running `serve`, killed when dropped.
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

fn serve(mut command: Command) -> Server {
    command.args(["serve", "--listen", "127.0.0.1:0"]);
    spawn_printing_address(command)
}

/// Starts a command that prints its address on its first stdout line.
fn spawn_printing_address(mut command: Command) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve printed no address: {line:?}"))
        .to_owned();
    Server { child, base }
}

async fn companies_status(base: &str, key: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{base}/companies"))
        .header("Authorization", format!("Basic {}", STANDARD.encode(key)))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn fresh_folder_migrate_keys_and_serve() {
    for db in TestDatabase::both().await {
        let dir = tempfile::tempdir().unwrap();
        let migrate = command(dir.path())
            .args(["migrate", "--database-url", &db.url])
            .output()
            .unwrap();
        assert!(
            migrate.status.success(),
            "{}",
            String::from_utf8_lossy(&migrate.stderr)
        );

        let keys = command(dir.path())
            .args([
                "keys",
                "create",
                "--client",
                "acme-pos",
                "--database-url",
                &db.url,
            ])
            .output()
            .unwrap();
        assert!(
            keys.status.success(),
            "{}",
            String::from_utf8_lossy(&keys.stderr)
        );
        let key = String::from_utf8(keys.stdout).unwrap().trim().to_owned();
        assert!(
            key.starts_with("cs_"),
            "only the key goes to stdout: {key:?}"
        );

        let mut serve_command = command(dir.path());
        serve_command
            .args(["--log-format", "json"])
            .env("COMMERCE_SYNC_DATABASE_URL", &db.url)
            .env(
                "COMMERCE_SYNC_SECRET_KEY",
                platforms::SecretKey::generate().to_base64(),
            )
            .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", "bootstrap-key-for-tests");
        let server = serve(serve_command);
        assert_eq!(
            companies_status(&server.base, &key).await,
            200,
            "{}",
            db.url
        );
        assert_eq!(
            companies_status(&server.base, "bootstrap-key-for-tests").await,
            200
        );
        assert_eq!(companies_status(&server.base, "cs_wrong").await, 401);
    }
}

#[tokio::test]
async fn defaults_need_nothing_but_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut serve_command = command(dir.path());
    serve_command.env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", "bootstrap-key-for-tests");
    let server = serve(serve_command);
    assert_eq!(
        companies_status(&server.base, "bootstrap-key-for-tests").await,
        200
    );
    assert!(
        dir.path().join("data/commerce-sync.db").exists(),
        "the default SQLite file"
    );
    let key_file = dir.path().join("data/secret.key");
    assert!(
        key_file.exists(),
        "a secret key is generated for single-node use"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn postgres_without_a_shared_secret_key_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let output = command(dir.path())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://postgres@127.0.0.1:1/none",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("opening the database") || stderr.contains("COMMERCE_SYNC_SECRET_KEY"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_exit_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let output = command(dir.path())
        .args(["keys", "create"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--client"));
    let output = command(dir.path())
        .args(["migrate", "--database-url", "mysql://x"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("sqlite://"));
}

#[tokio::test]
async fn sandboxes_alone_and_beside_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let mut alone = command(dir.path());
    alone.args(["sandbox", "--listen", "127.0.0.1:0"]);
    let alone = spawn_printing_address(alone);
    let mut beside = command(dir.path());
    beside
        .env("COMMERCE_SYNC_BOOTSTRAP_API_KEY", "bootstrap-key-for-tests")
        .args(["serve", "--listen", "127.0.0.1:0", "--sandbox"]);
    let beside = spawn_printing_address(beside);
    for base in [
        alone.base.trim_end_matches("/sandbox"),
        beside.base.as_str(),
    ] {
        let response = reqwest::Client::new()
            .post(format!("{base}/sandbox/xero/_control/tenants"))
            .json(&serde_json::json!({"name": "Demo Ltd", "country": "GB"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201, "{base}");
        let tenant: serde_json::Value = response.json().await.unwrap();
        assert!(
            tenant["tenantId"].is_string() && tenant["accessToken"].is_string(),
            "{tenant}"
        );
    }
    assert_eq!(
        companies_status(&beside.base, "bootstrap-key-for-tests").await,
        200,
        "the API is still there"
    );
}

/// Logs written to a file or a pipe are plain text: no colour codes for a log collector.
#[test]
fn logs_to_a_pipe_carry_no_colour() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut logs = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        logs.push_str(&line);
        logs.push('\n');
        if line.contains("serving") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(logs.contains("INFO"), "the start-up is logged: {logs}");
    assert!(!logs.contains('\u{1b}'), "no ANSI escapes: {logs:?}");
}

//! `commerce-sync bench mapping` on a small workload: the table and the JSON's shape (never
//! the speed, which is the benchmark's business, not a test's).

use std::process::Command;

#[test]
fn bench_mapping_writes_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("mapping.json");
    let out = Command::new(env!("CARGO_BIN_EXE_commerce-sync"))
        .args(["bench", "mapping", "--orders", "2000", "--merchants", "20"])
        .args(["--repetitions", "1", "--json"])
        .arg(&json)
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("baseline orders/s"), "{stdout}");
    assert!(stdout.contains("mapping/merchants"), "{stdout}");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["scenario"], "mapping");
    let results = report["results"].as_array().unwrap();
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["day", "merchants"]);
    assert_eq!(results[0]["orders"], 2000);
    assert_eq!(results[1]["orders"], 2000);
    for r in results {
        for field in [
            "seconds",
            "ordersPerSecond",
            "baselineOrdersPerSecond",
            "ratio",
        ] {
            let x = r[field]
                .as_f64()
                .unwrap_or_else(|| panic!("{field} in {r}"));
            assert!(x.is_finite() && x > 0.0, "{field} = {x}");
        }
    }
}

#[test]
fn bench_mapping_refuses_a_non_sqlite_baseline() {
    let out = Command::new(env!("CARGO_BIN_EXE_commerce-sync"))
        .args(["bench", "mapping", "--orders", "10", "--merchants", "1"])
        .args(["--database-url", "postgres://nobody@127.0.0.1/none"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SQLite"));
}

#[test]
fn bench_history_writes_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("history.json");
    let out = Command::new(env!("CARGO_BIN_EXE_commerce-sync"))
        .args(["bench", "history", "--syncs", "2000", "--companies", "20"])
        .args(["--repetitions", "1", "--json"])
        .arg(&json)
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("history/newest-page-1"), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["scenario"], "history");
    let names: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"dashboard") && names.contains(&"one-company"),
        "{names:?}"
    );
}

/// A bench runs the server in-process; without RUST_LOG its per-request INFO lines stay out,
/// the report goes to stdout alone and the progress to stderr.
#[test]
fn bench_ingest_prints_its_report_and_progress_without_request_logs() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("ingest.json");
    let out = Command::new(env!("CARGO_BIN_EXE_commerce-sync"))
        .args(["bench", "ingest", "--orders", "1000", "--backend", "sqlite"])
        .arg("--json")
        .arg(&json)
        .env_remove("RUST_LOG")
        .env_remove("COMMERCE_SYNC_DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("baseline orders/s"), "{stdout}");
    assert!(stdout.contains("ingest/sqlite"), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains("INFO"), "a log line at INFO: {text}");
        assert!(!text.contains("answered"), "a request log line: {text}");
    }
    // Not a terminal here: plain lines, the last at 100%.
    assert!(
        stderr.contains("orders stored: 1000/1000 (100%)"),
        "{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["results"][0]["orders"], 1000);
}

//! `commerce-sync bench ingest` as users run it: a small SQLite run writes the report's JSON
//! in the shape CONTRACT.md promises. Only the shape is checked, never the speed.

use serde_json::Value;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");

#[test]
fn ingest_writes_its_figures_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ingest.json");
    let output = Command::new(BIN)
        .args(["bench", "ingest", "--orders", "2000", "--backend", "sqlite"])
        .arg("--json")
        .arg(&file)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("ingest/sqlite"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(report["scenario"], "ingest");
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{report}");
    let m = &results[0];
    assert_eq!(m["name"], "sqlite");
    assert_eq!(m["orders"], 2000);
    for field in [
        "seconds",
        "ordersPerSecond",
        "baselineSeconds",
        "baselineOrdersPerSecond",
        "ratio",
        "p50Ms",
        "p99Ms",
        "completeP50Ms",
        "completeP99Ms",
    ] {
        assert!(m[field].as_f64().is_some_and(|x| x > 0.0), "{field} in {m}");
    }
    let ratio =
        m["ordersPerSecond"].as_f64().unwrap() / m["baselineOrdersPerSecond"].as_f64().unwrap();
    assert!((m["ratio"].as_f64().unwrap() - ratio).abs() < 1e-9, "{m}");
    if cfg!(target_os = "linux") {
        for field in ["peakRssMb", "rssMbAt10", "rssMbAt50", "rssMbAt100"] {
            assert!(m[field].as_f64().is_some_and(|x| x > 0.0), "{field} in {m}");
        }
    }
}

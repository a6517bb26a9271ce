//! Codat's published Python client (`codat-sync-for-commerce` on PyPI) against our API,
//! with only its base URL changed: proof that our paths and JSON stay compatible.
//!
//! The client is installed into a virtualenv under Cargo's target folder on first use.
//! Without Python or the package registry the test says loudly that it skipped (and fails
//! under `CI=true`).

mod common;

use common::TestApp;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sdk_python() -> Option<PathBuf> {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    testkit::codat_sdk::python(tmp, "the Codat SDK compatibility test")
}

#[tokio::test]
async fn codats_python_client_works_against_us() {
    let Some(python) = sdk_python() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codat_sdk/check.py");
    for app in TestApp::on_every_backend().await {
        let (python, script, base, key) = (
            python.clone(),
            script.clone(),
            app.base.clone(),
            app.key.clone(),
        );
        let output = tokio::task::spawn_blocking(move || {
            Command::new(python).arg(script).arg(base).arg(key).output()
        })
        .await
        .unwrap()
        .expect("run the SDK script");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}: the SDK failed:\n{stdout}\n{}",
            app.backend(),
            String::from_utf8_lossy(&output.stderr)
        );
        let seen: Value = serde_json::from_str(stdout.trim()).expect("the script's JSON line");
        assert_eq!(
            seen["integrations"],
            serde_json::json!(["gbol", "qhyg", "hldg", "cmrc"])
        );
        assert_eq!(seen["companies"], 1);
        // What the SDK did is really stored.
        let (status, company) = app
            .call(
                reqwest::Method::GET,
                &format!("/companies/{}", seen["companyId"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(company["tags"]["source"], "sdk");
        assert_eq!(company["dataConnections"][0]["status"], "Unlinked");
    }
}

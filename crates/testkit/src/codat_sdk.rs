//! Codat's published Python client (`codat-sync-for-commerce` on PyPI) in a virtualenv under
//! Cargo's target folder, installed on first use, for the tests that drive our API with it.
//!
//! Without Python or the package registry the caller's test says loudly that it skipped (and
//! fails under `CI=true`).

use std::path::{Path, PathBuf};
use std::process::Command;
use store::testing::skip_or_fail;

pub const SDK: &str = "codat-sync-for-commerce==6.1.0";

/// The virtualenv's python under `tmp` (a test's `CARGO_TARGET_TMPDIR`), installing the SDK if
/// needed; `None` after a loud skip naming `what`.
pub fn python(tmp: &Path, what: &str) -> Option<PathBuf> {
    let venv = tmp.join("codat-sdk-venv");
    let python = venv.join("bin/python");
    let marker = venv.join(".installed-6.1.0");
    if marker.exists() {
        return Some(python);
    }
    let run = |command: &mut Command| command.status().map(|s| s.success()).unwrap_or(false);
    if !run(Command::new("python3").args(["-m", "venv"]).arg(&venv)) {
        skip_or_fail(
            what,
            "python3 -m venv failed (is python3 with venv installed?)",
        );
        return None;
    }
    if !run(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        SDK,
    ])) {
        skip_or_fail(what, &format!("pip could not install {SDK}"));
        return None;
    }
    std::fs::write(&marker, SDK).ok()?;
    Some(python)
}

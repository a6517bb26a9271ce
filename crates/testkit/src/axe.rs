//! The accessibility check: axe-core (Deque's engine, npm package `axe-core`) injected into the
//! page a [`Browser`] shows, its violations read back.
//!
//! axe-core comes from a local file, never a CDN at run time: `COMMERCE_SYNC_AXE` names
//! `axe.min.js`, else `<target>/axe-core/node_modules/axe-core/axe.min.js` under Cargo's
//! target folder, installed there with `npm` on first use (`.ci/run` installs it ahead). Without
//! the file and without npm the check says `!!! SKIPPED` (a failure under `CI=true`).

use crate::browser::Browser;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use store::testing::skip_or_fail;

/// The major version the tests were written against; rules differ between majors.
pub const AXE_PACKAGE: &str = "axe-core@4";

/// One rule a page breaks, as axe-core reports it.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule, e.g. `image-alt`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// One line saying what the rule wants.
    pub help: String,
    pub help_url: String,
    /// A CSS selector for each offending element.
    pub targets: Vec<String>,
}

impl Violation {
    /// Whether the rule's impact is one a person cannot work around: serious or critical.
    pub fn is_serious(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.impact, self.id, self.help)?;
        for t in &self.targets {
            write!(f, "\n      at {t}")?;
        }
        write!(f, "\n      see {}", self.help_url)
    }
}

/// Cargo's target folder: `CARGO_TARGET_DIR`, else the folder above the running test binary
/// that Cargo tagged (`CACHEDIR.TAG`), else `target/` at the workspace root.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().ok();
    exe.as_deref()
        .and_then(|e| e.ancestors().find(|d| d.join("CACHEDIR.TAG").is_file()))
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The path to `axe.min.js`, installing axe-core with npm when it is missing; `None` after a
/// loud skip naming `what`.
pub fn axe_script(what: &str) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("COMMERCE_SYNC_AXE") {
        return Some(PathBuf::from(file));
    }
    let folder = target_dir().join("axe-core");
    let script = folder.join("node_modules/axe-core/axe.min.js");
    if script.is_file() {
        return Some(script);
    }
    if crate::browser::on_path(&["npm"]).is_none() {
        skip_or_fail(
            what,
            &format!(
                "axe-core is not at {} and npm is missing (apt-get install nodejs npm)",
                script.display()
            ),
        );
        return None;
    }
    // Installed beside, then renamed into place: tests in other processes never see half a
    // package, and the first rename wins.
    let staging = target_dir().join(format!("axe-core.{}", std::process::id()));
    let installed = Command::new("npm")
        .args(["install", "--prefix"])
        .arg(&staging)
        .args([AXE_PACKAGE, "--no-audit", "--no-fund", "--silent"])
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let _ = std::fs::remove_dir_all(&staging);
        skip_or_fail(
            what,
            &format!("`npm install {AXE_PACKAGE}` failed (is the npm registry reachable?)"),
        );
        return None;
    }
    if std::fs::rename(&staging, &folder).is_err() && !script.is_file() {
        // A broken folder is in the way: use the fresh copy where it is.
        return Some(staging.join("node_modules/axe-core/axe.min.js"));
    }
    let _ = std::fs::remove_dir_all(&staging);
    Some(script)
}

impl Browser {
    /// Runs axe-core over the page now shown and returns every violation (all impacts), or
    /// `None` after a loud skip when axe-core cannot be found.
    pub async fn axe(&self, what: &str) -> Option<Vec<Violation>> {
        let script = axe_script(what)?;
        let source = std::fs::read_to_string(&script)
            .unwrap_or_else(|e| panic!("could not read {}: {e}", script.display()));
        // axe-core's bundle assigns `window.axe`; WebDriver runs the text as a function body.
        self.client
            .execute(&format!("{source}\nreturn typeof window.axe;"), vec![])
            .await
            .expect("axe-core loads into the page");
        let answer = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']})
                   .then(r => done({violations: r.violations}))
                   .catch(e => done({error: String(e)}));",
                vec![],
            )
            .await
            .expect("axe.run answers");
        if let Some(e) = answer.get("error") {
            panic!("axe.run failed: {e}");
        }
        let list = answer["violations"].as_array().cloned().unwrap_or_default();
        Some(list.iter().map(violation).collect())
    }

    /// Fails, listing each one, when the page shown has serious or critical violations; says
    /// how many milder ones there were. Skips loudly when axe-core cannot be found.
    pub async fn assert_accessible(&self, what: &str) {
        let Some(all) = self.axe(what).await else {
            return;
        };
        let (serious, mild): (Vec<_>, Vec<_>) = all.into_iter().partition(Violation::is_serious);
        for v in &mild {
            eprintln!("{what}: minor accessibility issue {v}");
        }
        if !serious.is_empty() {
            let list: Vec<String> = serious.iter().map(|v| format!("  - {v}")).collect();
            panic!(
                "{what}: {} serious or critical accessibility violation(s):\n{}",
                serious.len(),
                list.join("\n")
            );
        }
    }
}

fn violation(v: &Value) -> Violation {
    let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
    let targets = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| match &n["target"] {
            Value::Array(parts) => parts
                .iter()
                .map(|p| {
                    p.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| p.to_string())
                })
                .collect::<Vec<_>>()
                .join(" >>> "),
            other => other.to_string(),
        })
        .collect();
    Violation {
        id: text("id"),
        impact: text("impact"),
        help: text("help"),
        help_url: text("helpUrl"),
        targets,
    }
}

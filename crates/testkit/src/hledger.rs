//! `hledger-web --serve-api` on a free loopback port over a fresh journal, killed on drop, and
//! the `hledger` command line as an independent judge of what was written.
//!
//! Without `hledger` and `hledger-web` installed (Debian packages of those names; `.ci/run`
//! installs them) [`HledgerWeb::start`] says `!!! SKIPPED` and answers `None`, except under
//! `CI=true`, where it fails.

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;

pub struct HledgerWeb {
    child: Child,
    pub base_url: String,
    pub journal: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for HledgerWeb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl HledgerWeb {
    /// Starts one over a journal holding `chart` (declared accounts and commodities), or
    /// `None` (after saying so, or failing under CI) when hledger is missing; `what` names
    /// the test in the message.
    pub async fn start(chart: &str, what: &str) -> Option<Self> {
        for tool in ["hledger", "hledger-web"] {
            let installed = Command::new(tool)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            if !installed {
                store::testing::skip_or_fail(
                    what,
                    &format!("`{tool}` is not installed (apt-get install hledger hledger-web)"),
                );
                return None;
            }
        }
        let dir = tempfile::tempdir().expect("a temporary folder");
        let journal = dir.path().join("books.journal");
        std::fs::write(&journal, chart).expect("the journal is written");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("hledger-web")
            .args(["--serve-api", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("-f")
            .arg(&journal)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("hledger-web starts");
        let web = HledgerWeb {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            journal,
            _dir: dir,
        };
        // Up when /version answers; hledger-web takes a moment to read the journal.
        let http = reqwest::Client::new();
        for _ in 0..300 {
            let answer = http.get(format!("{}/version", web.base_url)).send().await;
            if answer.is_ok_and(|a| a.status().is_success()) {
                return Some(web);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("hledger-web did not answer /version at {}", web.base_url);
    }

    /// `hledger -f <journal> <args>`: its standard output, or a failure with its error.
    pub fn hledger(&self, args: &[&str]) -> Result<String, String> {
        hledger_on(&self.journal, args)
    }

    /// The journal's balances by (account, commodity), from `hledger bal`.
    pub fn balances(&self) -> BTreeMap<(String, String), Decimal> {
        let csv = self
            .hledger(&["bal", "--flat", "-O", "csv", "--layout=bare"])
            .expect("hledger bal runs");
        csv.lines()
            .skip(1)
            .map(|row| {
                let cells: Vec<&str> = row.split(',').map(|c| c.trim_matches('"')).collect();
                let amount = Decimal::from_str(cells[2])
                    .unwrap_or_else(|e| panic!("balance {row:?} is not a decimal: {e}"));
                ((cells[0].to_owned(), cells[1].to_owned()), amount)
            })
            .filter(|((account, _), _)| account != "total")
            .collect()
    }

    /// Transactions in the journal file as hledger itself reads it.
    pub fn transaction_count(&self) -> usize {
        self.hledger(&["print", "-O", "json"])
            .map(|out| {
                serde_json::from_str::<Vec<Value>>(&out)
                    .expect("print -O json is JSON")
                    .len()
            })
            .expect("hledger print runs")
    }
}

/// `hledger -f journal args`: its standard output, or its error.
pub fn hledger_on(journal: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("hledger")
        .arg("-f")
        .arg(journal)
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

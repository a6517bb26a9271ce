//! The curl journey of `docs/api.md`, run as a newcomer runs it: the ```sh blocks between
//! `<!-- journey:start -->` and `<!-- journey:end -->` are extracted in order and run verbatim
//! with `bash -euo pipefail` against the real binary (`serve --sandbox` on a free port). Only
//! `BASE` and `KEY`, which the docs set before the journey, come from the test. Then the
//! sandbox's books must hold the worked day: its invoice, fee bill and payout to the penny.

mod journey_support;

use journey_support::server::{API_KEY, Server};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const START: &str = "<!-- journey:start -->";
const END: &str = "<!-- journey:end -->";

/// The ```sh blocks between the journey markers, in order.
fn journey_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find(START) {
        let after = &rest[start + START.len()..];
        let end = after
            .find(END)
            .expect("every journey:start has its journey:end");
        let region = &after[..end];
        let mut block: Option<String> = None;
        for line in region.lines() {
            match (&mut block, line.trim_end()) {
                (None, "```sh") => block = Some(String::new()),
                (Some(text), "```") => {
                    blocks.push(std::mem::take(text));
                    block = None;
                }
                (Some(text), _) => {
                    text.push_str(line);
                    text.push('\n');
                }
                (None, _) => {}
            }
        }
        assert!(block.is_none(), "a ```sh block is left open in the journey");
        rest = &after[end + END.len()..];
    }
    blocks
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn dec(v: &Value) -> Decimal {
    v.to_string().trim_matches('"').parse().unwrap_or_default()
}

/// Runs `script` with `bash -euo pipefail` in `dir`, with `BASE` and `KEY` set; gives up
/// after three minutes. (exit success, stdout, stderr).
fn run_script(script: &str, dir: &Path, base: &str) -> (bool, String, String) {
    let path = dir.join("journey.sh");
    std::fs::write(&path, script).unwrap();
    let out = dir.join("journey.out");
    let err = dir.join("journey.err");
    let mut child = Command::new("bash")
        .args(["-euo", "pipefail"])
        .arg(&path)
        .current_dir(dir)
        .env("BASE", base)
        .env("KEY", API_KEY)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    let success = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    (success, read(&out), read(&err))
}

#[test]
fn the_markdown_journey_is_extracted_in_order() {
    let doc = "text\n```sh\nnot this\n```\n<!-- journey:start -->\n```sh\na\nb\n```\n```json\n{}\n```\n\
               <!-- journey:end -->\n```sh\nnor this\n```\n<!-- journey:start -->\n```sh\nc\n```\n<!-- journey:end -->\n";
    assert_eq!(journey_blocks(doc), ["a\nb\n", "c\n"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_curl_journey_in_docs_api_md_works_verbatim() {
    let missing: Vec<&str> = ["bash", "curl", "jq"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    if !missing.is_empty() {
        store::testing::skip_or_fail(
            "the curl journey of docs/api.md",
            &format!("{} not installed", missing.join(", ")),
        );
        return;
    }
    let api_md = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api.md");
    let markdown = std::fs::read_to_string(&api_md).unwrap();
    let blocks = journey_blocks(&markdown);
    assert!(
        blocks.len() >= 8,
        "the journey's blocks are marked: {blocks:?}"
    );
    let script = blocks.concat();
    // BASE and KEY are the reader's (set before the journey): the journey itself must not
    // set them, or the test would not be running what the reader runs.
    for line in script.lines() {
        assert!(
            !line.starts_with("BASE=") && !line.starts_with("KEY="),
            "the journey sets {line:?}; set it before <!-- journey:start -->"
        );
    }

    let server = Server::start(None);
    let dir = tempfile::tempdir().unwrap();
    let (success, out, err) = run_script(&script, dir.path(), &server.base);
    assert!(
        success,
        "the journey failed\n--- stdout\n{out}\n--- stderr\n{err}"
    );

    // The books of the organisation the company linked, read back independently of the script.
    let companies = server.ok(Method::GET, "/companies", None).await;
    let company = companies["results"][0]["id"].as_str().unwrap();
    let connections = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections"),
            None,
        )
        .await;
    let xero = connections["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["integrationKey"] == "gbol")
        .unwrap_or_else(|| panic!("a Xero connection: {connections}"));
    assert_eq!(xero["status"], "Linked", "{xero}");
    let tenant = xero["connectionInfo"]["organisationId"].as_str().unwrap();
    let books = server
        .ok(
            Method::GET,
            &format!("/sandbox/xero/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    let of_type = |collection: &str, kind: &str| -> Vec<Value> {
        books[collection]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["Type"] == kind)
            .cloned()
            .collect()
    };
    let invoices = of_type("Invoices", "ACCREC");
    assert_eq!(invoices.len(), 1, "one sales invoice for the day: {books}");
    let invoice = &invoices[0];
    assert_eq!(
        dec(&invoice["Total"]),
        "20.70".parse().unwrap(),
        "{invoice}"
    );
    assert_eq!(
        dec(&invoice["TotalTax"]),
        "2.70".parse().unwrap(),
        "{invoice}"
    );
    let bills = of_type("Invoices", "ACCPAY");
    assert_eq!(bills.len(), 1, "one fee bill: {books}");
    assert_eq!(dec(&bills[0]["Total"]), "0.45".parse().unwrap());
    let transfers: Decimal = books["BankTransfers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| dec(&t["Amount"]))
        .sum();
    assert_eq!(transfers, "20.25".parse().unwrap(), "the payout");
    // What the docs say the reader sees is what they see.
    assert!(out.contains("\"syncStatusCode\": 2000"), "{out}");
    assert!(out.contains("\"Total\": 20.7"), "{out}");
}

//! The merchant's journey driven by Codat's published Python client against the real binary,
//! base URL changed only: link by authorization handover, wait for the books, narrow the
//! visible accounts, read and set the configuration by name, push the week, request a
//! historic sync and read every sync status the SDK knows; the books hold the week.

mod journey_support;

use journey_support::server::{API_KEY, Server};
use journey_support::week::{DAYS, FIRST_DAY, ZONE, week};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codats_python_client_walks_the_journey() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let Some(python) = testkit::codat_sdk::python(tmp, "the Codat SDK journey") else {
        return;
    };
    let server = Server::start(None);
    let w = week();
    let zone = jiff::tz::TimeZone::get(ZONE).unwrap();
    let first: jiff::civil::Date = FIRST_DAY.parse().unwrap();
    let at_two = |d: jiff::civil::Date| {
        d.at(2, 0, 0, 0)
            .to_zoned(zone.clone())
            .unwrap()
            .timestamp()
            .to_string()
    };
    let after = first.checked_add(jiff::Span::new().days(DAYS)).unwrap();
    let today = jiff::Zoned::now().with_time_zone(zone.clone()).date();
    let input = json!({
        "orders": w.orders, "payments": w.payments, "transactions": w.transactions,
        "zone": ZONE, "today": today.to_string(), "start": at_two(first), "finish": at_two(after),
    });
    let dir = tempfile::tempdir().unwrap();
    let week_file = dir.path().join("week.json");
    std::fs::write(&week_file, input.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codat_sdk/journey.py");
    let (base, client) = (server.base.clone(), server.client_id.clone());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .args([base.as_str(), API_KEY, client.as_str()])
            .arg(&week_file)
            .output()
    })
    .await
    .unwrap()
    .expect("run the SDK journey");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the SDK journey failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.trim()).expect("the script's JSON line");
    assert_eq!(seen["statusCode"], 2000, "{seen}");
    assert_eq!(seen["latest"], seen["syncId"]);
    assert_eq!(seen["lastSuccessful"], seen["syncId"]);
    assert!(seen["pushItems"].as_u64().unwrap() > 0, "{seen}");
    // What the SDK configured really reached the books: the week's sales to the penny.
    let tenant = seen["tenantId"].as_str().unwrap();
    let books = server
        .ok(
            Method::GET,
            &format!("/sandbox/xero/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    let total = |collection: &str, kind: &str| -> Decimal {
        books[collection]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["Type"] == kind)
            .map(|d| d["Total"].to_string().parse::<Decimal>().unwrap())
            .sum()
    };
    let sales = total("Invoices", "ACCREC") - total("CreditNotes", "ACCRECCREDIT");
    let t = &w.totals;
    let pushed: Decimal = t.by_rate.values().map(|(n, x)| n + x).sum::<Decimal>() + t.gratuity;
    assert_eq!(sales, pushed, "sales in the books");
}

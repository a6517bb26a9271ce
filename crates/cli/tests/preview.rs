//! `commerce-sync preview` as users run it: files in, JSON out, exit 2 naming file and field.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_commerce-sync");
const EXAMPLE: &str = include_str!("../../domain/src/config/testdata/example.json");

/// The example document (London, day closing at midnight) in documents mode.
fn config() -> Value {
    let mut doc: Value = serde_json::from_str(EXAMPLE).unwrap();
    doc["configuration"]
        .as_object_mut()
        .unwrap()
        .remove("mapSettings");
    doc
}

fn sale(id: &str, at: &str, total: i64) -> Value {
    json!({"id": id, "currency": "GBP", "createdDate": at, "sourceModifiedDate": at,
        "totalAmount": total, "totalGratuity": 0, "orderLineItems": [{"id": format!("{id}-1"),
        "quantity": 1, "taxPercentage": 20, "totalAmount": total, "totalTaxAmount": total / 6}]})
}

/// Orders either side of midnight on the night London moves its clocks forward.
fn data() -> Value {
    json!({"orders": [
        sale("before-midnight", "2024-03-31T22:30:00Z", 12), // 23:30 BST, 31 March
        sale("after-midnight", "2024-03-31T23:30:00Z", 24),  // 00:30 BST, 1 April
    ], "payments": [], "transactions": []})
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

fn preview(config: &Path, data: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("preview")
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(["--from", "2024-03-31", "--to", "2024-04-01"])
        .args(extra)
        .output()
        .expect("run the binary")
}

fn invoice_totals(output: &Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert!(out["warnings"].is_array());
    let documents = out["documents"].as_array().unwrap();
    let invoices = documents.iter().filter(|d| d["kind"] == "invoice");
    invoices
        .map(|d| d["total"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn prints_the_documents_of_the_merchants_day_across_the_clock_change() {
    let dir = tempfile::tempdir().unwrap();
    let current = write(dir.path(), "config.json", &config());
    let data = write(dir.path(), "data.json", &data());
    // The London day of 31 March is 23 hours long: only the first sale is in it.
    assert_eq!(invoice_totals(&preview(&current, &data, &[])), ["12.00"]);
    // Read in UTC the same night holds both.
    let utc = preview(
        &current,
        &data,
        &["--time-zone", "Etc/UTC", "--platform", "xero"],
    );
    assert_eq!(invoice_totals(&utc), ["36.00"]);
    // The beta shape of the same document previews the same.
    let mut beta = config();
    let wrapper = beta.as_object_mut().unwrap();
    let enable = wrapper.remove("enable").unwrap();
    wrapper.insert("enabled".into(), enable);
    let beta = write(dir.path(), "beta.json", &beta);
    assert_eq!(invoice_totals(&preview(&beta, &data, &[])), ["12.00"]);
}

fn refused(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn bad_files_exit_2_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let good_config = write(dir.path(), "config.json", &config());
    let good_data = write(dir.path(), "data.json", &data());

    let mut bad = config();
    bad["configuration"]["sales"]["syncSales"] = json!("yes");
    let bad_config = write(dir.path(), "typo.json", &bad);
    let stderr = refused(&preview(&bad_config, &good_data, &[]));
    assert!(
        stderr.contains("typo.json: /configuration/sales/syncSales:"),
        "{stderr}"
    );

    let mut bad = config();
    bad["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = json!("c-404");
    let bad_config = write(dir.path(), "customer.json", &bad);
    let stderr = refused(&preview(&bad_config, &good_data, &[]));
    assert!(
        stderr.contains("customer.json: /configuration/sales/salesCustomer/selectedCustomerId:"),
        "{stderr}"
    );

    let mut bad = data();
    bad["orders"][1]["createdDate"] = json!("tomorrow");
    let bad_data = write(dir.path(), "orders.json", &bad);
    let stderr = refused(&preview(&good_config, &bad_data, &[]));
    assert!(
        stderr.contains("orders.json: /orders/1/createdDate:"),
        "{stderr}"
    );

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"orders\": [").unwrap();
    let stderr = refused(&preview(&good_config, &broken, &[]));
    assert!(stderr.contains("broken.json: not valid JSON"), "{stderr}");
    let stderr = refused(&preview(&dir.path().join("missing.json"), &good_data, &[]));
    assert!(stderr.contains("missing.json: cannot be read"), "{stderr}");

    let stderr = refused(&preview(
        &good_config,
        &good_data,
        &["--time-zone", "Mars/Olympus"],
    ));
    assert!(stderr.contains("--time-zone"), "{stderr}");
}

#[test]
fn reference_data_may_be_given_instead_of_the_options() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "config.json", &config());
    let data = write(dir.path(), "data.json", &data());
    let books: Value = serde_json::from_str(include_str!(
        "../../domain/src/config/testdata/reference.json"
    ))
    .unwrap();
    let reference = write(dir.path(), "books.json", &books);
    let reference = reference.to_str().unwrap();
    let out = preview(&config, &data, &["--reference", reference]);
    assert_eq!(invoice_totals(&out), ["12.00"]);

    let mut archived = books.clone();
    archived["customers"][0]["status"] = json!("Archived");
    archived.as_object_mut().unwrap().remove("company");
    let bad = write(dir.path(), "archived.json", &archived);
    let stderr = refused(&preview(
        &config,
        &data,
        &["--reference", bad.to_str().unwrap()],
    ));
    assert!(stderr.contains("archived.json: /company:"), "{stderr}");
    archived["company"] = books["company"].clone();
    let bad = write(dir.path(), "archived.json", &archived);
    let stderr = refused(&preview(
        &config,
        &data,
        &["--reference", bad.to_str().unwrap()],
    ));
    assert!(
        stderr.contains("config.json: /configuration/sales/salesCustomer/selectedCustomerId:")
            && stderr.contains("reference.customer_inactive"),
        "{stderr}"
    );
}

#[test]
fn far_future_dates_exit_2_naming_the_flag_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "config.json", &config());
    let data = write(dir.path(), "data.json", &data());
    let out = Command::new(BIN)
        .arg("preview")
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .args(["--from", "9999-12-30", "--to", "9999-12-31"])
        .args(["--time-zone", "America/Los_Angeles"])
        .output()
        .expect("run the binary");
    let stderr = refused(&out);
    assert!(
        stderr.contains("--from") && stderr.contains("--to"),
        "{stderr}"
    );
    assert!(stderr.contains("date.out_of_range"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

//! QuickBooks Online sandbox over real HTTP: validation faults, requestid idempotency, VAT,
//! throttling, seeded faults and isolation.
mod common;

use common::amount;
use serde_json::{Value, json};

fn faults_of(v: &Value) -> Vec<(String, String)> {
    assert_eq!(v["Fault"]["type"], "ValidationFault", "{v}");
    v["Fault"]["Error"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_owned(),
                e["Detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn rejected(
    app: &common::App,
    t: &common::Tenant,
    entity: &str,
    body: Value,
    code: &str,
    detail: &str,
) {
    let (status, _, v) = app.qbo(t, "POST", entity, Some(body)).await;
    assert_eq!(status, 400, "{v}");
    let f = faults_of(&v);
    assert!(
        f.iter().any(|(c, d)| c == code && d.contains(detail)),
        "{code} {detail:?} not in {f:?}"
    );
}

fn query(q: &str) -> String {
    let enc: String = q
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("query?query={enc}")
}

#[tokio::test]
async fn validation_faults_idempotency_and_gb_vat() {
    let app = common::spawn().await;
    let t = app.tenant("quickbooks", json!({})).await;
    let line = |amt: f64, acct: &str, side: &str| {
        json!({"Amount": amt, "DetailType": "JournalEntryLineDetail",
        "JournalEntryLineDetail": {"PostingType": side, "AccountRef": {"value": acct}}})
    };
    rejected(
        &app,
        &t,
        "journalentry",
        json!({"Line": [line(100.0, "3", "Debit"), line(99.99, "6", "Credit")]}),
        "6000",
        "not balanced",
    )
    .await;
    rejected(
        &app,
        &t,
        "journalentry",
        json!({"Line": [line(1.0, "77", "Debit"), line(1.0, "6", "Credit")]}),
        "2500",
        "Accounts element id 77 not found",
    )
    .await;
    rejected(
        &app,
        &t,
        "journalentry",
        json!({"Line": [line(1.0, "9", "Debit"), line(1.0, "6", "Credit")]}),
        "2500",
        "has been deleted",
    )
    .await;
    rejected(
        &app,
        &t,
        "journalentry",
        json!({"Line": [line(1.0, "4", "Debit"), line(1.0, "6", "Credit")]}),
        "6000",
        "Accounts Receivable",
    )
    .await;
    let sale = |doc: &str, amt: f64| {
        json!({"CustomerRef": {"value": "1"}, "DocNumber": doc, "TxnDate": "2026-11-25",
        "Line": [{"Amount": amt, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "NON"}}}]})
    };
    rejected(
        &app,
        &t,
        "invoice",
        json!({"Line": sale("x", 1.0)["Line"]}),
        "2020",
        "CustomerRef",
    )
    .await;
    let mut calc = sale("c", 10.0);
    calc["Line"][0]["SalesItemLineDetail"]["Qty"] = json!(3);
    calc["Line"][0]["SalesItemLineDetail"]["UnitPrice"] = json!(3.33);
    rejected(&app, &t, "invoice", calc, "6070", "Expected:9.99").await;
    let mut total = sale("t", 10.0);
    total["TotalAmt"] = json!(10.01);
    rejected(&app, &t, "invoice", total, "6000", "TotalAmt supplied").await;

    // requestid: the same id twice is one invoice and the same answer.
    let (s1, _, a) = app
        .qbo(&t, "POST", "invoice?requestid=abc", Some(sale("d1", 20.0)))
        .await;
    let (s2, _, b) = app
        .qbo(&t, "POST", "invoice?requestid=abc", Some(sale("d1", 20.0)))
        .await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(a, b);
    assert_eq!(
        app.books("quickbooks", &t.id).await["Invoice"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    rejected(
        &app,
        &t,
        "invoice",
        sale("d1", 20.0),
        "6140",
        "DocNumber=d1",
    )
    .await;
    let id = a["Invoice"]["Id"].as_str().unwrap();
    rejected(&app, &t, "payment", json!({"CustomerRef": {"value": "1"}, "TotalAmt": 20.01, "DepositToAccountRef": {"value": "2"},
        "Line": [{"Amount": 20.01, "LinkedTxn": [{"TxnId": id, "TxnType": "Invoice"}]}]}), "6000", "exceeds its open balance").await;
    rejected(
        &app,
        &t,
        "payment",
        json!({"CustomerRef": {"value": "1"}, "TotalAmt": 1, "DepositToAccountRef": {"value": "6"},
        "Line": [{"Amount": 1, "LinkedTxn": [{"TxnId": id, "TxnType": "Invoice"}]}]}),
        "6000",
        "bank or other current asset",
    )
    .await;
    app.lock("quickbooks", &t.id, "2026-11-30").await;
    rejected(
        &app,
        &t,
        "invoice",
        sale("late", 1.0),
        "6000",
        "books close date",
    )
    .await;
    let (status, _, q) = app
        .qbo(
            &t,
            "GET",
            &query("select * from Invoice where DocNumber = 'x"),
            None,
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(faults_of(&q)[0].0, "4000");
    let (status, _, nf) = app.qbo(&t, "GET", "invoice/999999", None).await;
    assert_eq!(status, 400);
    assert_eq!(faults_of(&nf)[0].0, "610");

    // GB: VAT codes on every line, tax per code.
    let gb = app.tenant("quickbooks", json!({"country": "GB"})).await;
    let vat = |code: Option<&str>| {
        let mut d = json!({"ItemRef": {"value": "2"}});
        if let Some(c) = code {
            d["TaxCodeRef"] = json!({"value": c});
        }
        json!({"CustomerRef": {"value": "1"}, "TxnDate": "2026-11-25", "Line": [
            {"Amount": 100.05, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": d},
            {"Amount": 10.10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "4"}}}]})
    };
    let (status, _, v) = app.qbo(&gb, "POST", "invoice", Some(vat(Some("3")))).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(amount(&v["Invoice"]["TxnTaxDetail"]["TotalTax"]), "20.52");
    assert_eq!(amount(&v["Invoice"]["TotalAmt"]), "130.67");
    assert_eq!(v["Invoice"]["CurrencyRef"]["value"], "GBP");
    rejected(&app, &gb, "invoice", vat(None), "6000", "VAT rate").await;
    rejected(
        &app,
        &gb,
        "invoice",
        vat(Some("99")),
        "2500",
        "TaxCode element id 99",
    )
    .await;
}

#[tokio::test]
async fn throttling_faults_and_isolation() {
    let app = common::spawn().await;
    let t = app.tenant("quickbooks", json!({})).await;
    let other = app.tenant("quickbooks", json!({})).await;
    let path = format!("companyinfo/{}", t.id);
    for _ in 0..500 {
        assert_eq!(app.qbo(&t, "GET", &path, None).await.0, 200);
    }
    let (status, h, v) = app.qbo(&t, "GET", &path, None).await;
    assert_eq!(status, 429);
    assert_eq!(v["Fault"]["Error"][0]["code"], "3001");
    assert!(!h.contains_key("retry-after"));
    assert_eq!(
        app.qbo(&other, "GET", &format!("companyinfo/{}", other.id), None)
            .await
            .0,
        200
    );
    app.clock.advance(jiff::SignedDuration::from_secs(61));
    assert_eq!(app.qbo(&t, "GET", &path, None).await.0, 200);

    // Cross-realm tokens are refused.
    let cross = common::Tenant {
        id: other.id.clone(),
        access: t.access.clone(),
        refresh: String::new(),
    };
    assert_eq!(
        app.qbo(&cross, "GET", &format!("companyinfo/{}", other.id), None)
            .await
            .0,
        403
    );

    // Platform-wide seeded faults: same seed, same sequence; 500s are SystemFaults.
    let run = |seed: u64| {
        let app = &app;
        let t = &t;
        let path = &path;
        async move {
            app.faults(
                "quickbooks",
                json!({"seed": seed, "rate500": 0.3, "rate429": 0.1}),
            )
            .await;
            let mut out = Vec::new();
            for _ in 0..20 {
                let (status, _, v) = app.qbo(t, "GET", path, None).await;
                if status == 500 {
                    assert_eq!(v["Fault"]["type"], "SystemFault");
                }
                out.push(status);
            }
            out
        }
    };
    let a = run(3).await;
    let b = run(3).await;
    assert_eq!(a, b);
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
    // Both kinds were injected, and every 500 seen was one of them (two runs of the same draws).
    let injected = app.injected("quickbooks").await;
    let fives = a.iter().filter(|s| **s == 500).count();
    assert_eq!(injected["serverErrorBeforeCommit"], 2 * fives, "{injected}");
    assert!(injected["tooManyRequests"].as_u64() > Some(0), "{injected}");
    app.faults("quickbooks", json!({})).await;
    assert_eq!(app.qbo(&t, "GET", &path, None).await.0, 200);
}

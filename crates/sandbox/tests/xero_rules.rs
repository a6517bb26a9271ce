//! Xero's validation rules, idempotency, rate limits, faults and tenant isolation, over HTTP.
mod common;

use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn sale(account: &str, tax: &str) -> Value {
    json!({"Type": "ACCREC", "Contact": {"Name": "Commerce Sales"}, "Status": "AUTHORISED", "Date": "2026-11-25",
        "LineItems": [{"Description": "Sales", "LineAmount": 100, "AccountCode": account, "TaxType": tax}]})
}

async fn rejected(app: &common::App, t: &common::Tenant, path: &str, body: Value, expect: &str) {
    let (status, _, v) = app.xero(t, "PUT", path, Some(body), None).await;
    assert_eq!(status, 400, "{v}");
    let messages = common::xero_messages(&v);
    assert!(
        messages.iter().any(|m| m.contains(expect)),
        "{expect:?} not in {messages:?}"
    );
}

#[tokio::test]
async fn each_rule_answers_a_validation_exception() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({})).await;
    rejected(
        &app,
        &t,
        "Invoices",
        sale("999", "OUTPUT2"),
        "Account code '999' is not a valid code",
    )
    .await;
    rejected(
        &app,
        &t,
        "Invoices",
        sale("250", "OUTPUT2"),
        "has been archived",
    )
    .await;
    rejected(
        &app,
        &t,
        "Invoices",
        sale("200", "BOGUS"),
        "The TaxType code 'BOGUS' does not exist",
    )
    .await;
    let mut mismatch = sale("200", "OUTPUT2");
    mismatch["Total"] = json!(119.99);
    rejected(
        &app,
        &t,
        "Invoices",
        mismatch,
        "does not equal the sum of the line items",
    )
    .await;
    let mut bad_line = sale("200", "OUTPUT2");
    bad_line["LineItems"][0]["Quantity"] = json!(2);
    bad_line["LineItems"][0]["UnitAmount"] = json!(49.99);
    rejected(&app, &t, "Invoices", bad_line, "does not equal Quantity").await;
    rejected(
        &app,
        &t,
        "ManualJournals",
        json!({"Narration": "day", "Date": "2026-11-25", "JournalLines": [
            {"LineAmount": 100, "AccountCode": "092"}, {"LineAmount": -99.99, "AccountCode": "200"}]}),
        "The total debits (100.00) must equal total credits (99.99)",
    )
    .await;

    let (_, _, v) = app
        .xero(&t, "PUT", "Invoices", Some(sale("200", "OUTPUT2")), None)
        .await;
    let id = v["Invoices"][0]["InvoiceID"].as_str().unwrap().to_owned();
    // Sales (200) is not a bank account and does not take payments.
    rejected(&app, &t, "Payments", json!({"Invoice": {"InvoiceID": id}, "Account": {"Code": "200"}, "Amount": 10, "Date": "2026-11-25"}), "Enable payments").await;
    rejected(&app, &t, "Payments", json!({"Invoice": {"InvoiceID": id}, "Account": {"Code": "091"}, "Amount": 120.01, "Date": "2026-11-25"}), "exceeds the amount outstanding").await;
    let mut draft = sale("200", "OUTPUT2");
    draft["Status"] = json!("DRAFT");
    let (_, _, d) = app.xero(&t, "PUT", "Invoices", Some(draft), None).await;
    let draft_id = d["Invoices"][0]["InvoiceID"].as_str().unwrap().to_owned();
    rejected(&app, &t, "Payments", json!({"Invoice": {"InvoiceID": draft_id}, "Account": {"Code": "091"}, "Amount": 1, "Date": "2026-11-25"}), "must be AUTHORISED").await;
    rejected(
        &app,
        &t,
        "BankTransfers",
        json!({"FromBankAccount": {"Code": "092"}, "ToBankAccount": {"Code": "090"}, "Amount": 1}),
        "must be of type BANK",
    )
    .await;
    let mut dup = sale("200", "OUTPUT2");
    dup["InvoiceNumber"] = json!("INV-0001");
    rejected(&app, &t, "Invoices", dup, "Invoice # must be unique.").await;

    // Closed period.
    app.lock("xero", &t.id, "2026-10-31").await;
    let mut old = sale("200", "OUTPUT2");
    old["Date"] = json!("2026-10-31");
    rejected(&app, &t, "Invoices", old, "period lock date").await;
    let (_, _, org) = app.xero(&t, "GET", "Organisation", None, None).await;
    assert!(
        org["Organisations"][0]["PeriodLockDate"]
            .as_str()
            .unwrap()
            .starts_with("/Date(")
    );

    // A batch with one bad element writes nothing; summarizeErrors=false keeps the good one.
    let batch = json!({"Invoices": [sale("200", "OUTPUT2"), sale("999", "OUTPUT2")]});
    let (status, _, v) = app
        .xero(&t, "PUT", "Invoices", Some(batch.clone()), None)
        .await;
    assert_eq!(status, 400);
    assert_eq!(v["Elements"].as_array().unwrap().len(), 1);
    let before = app.books("xero", &t.id).await["Invoices"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, 2);
    let (status, _, v) = app
        .xero(
            &t,
            "PUT",
            "Invoices?summarizeErrors=false",
            Some(batch),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["Invoices"][0]["StatusAttributeString"], "OK");
    assert_eq!(v["Invoices"][1]["StatusAttributeString"], "ERROR");
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Unreadable body.
    let r = app
        .http
        .put(format!("{}/xero/api.xro/2.0/Invoices", app.base))
        .bearer_auth(&t.access)
        .header("xero-tenant-id", &t.id)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["Type"],
        "PostDataInvalidException"
    );
}

#[tokio::test]
async fn same_idempotency_key_writes_once() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({})).await;
    let (s1, _, a) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("key-1"),
        )
        .await;
    let (s2, _, b) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("key-1"),
        )
        .await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(a, b);
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (_, _, c) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("key-2"),
        )
        .await;
    assert_ne!(a["Invoices"][0]["InvoiceID"], c["Invoices"][0]["InvoiceID"]);
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn minute_and_concurrency_limits_answer_429() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({})).await;
    for i in 0..60 {
        let (status, h, _) = app.xero(&t, "GET", "Organisation", None, None).await;
        assert_eq!(status, 200, "call {i}");
        assert_eq!(
            h["x-minlimit-remaining"].to_str().unwrap(),
            (59 - i).to_string()
        );
        assert_eq!(
            h["x-daylimit-remaining"].to_str().unwrap(),
            (4999 - i).to_string()
        );
    }
    let (status, h, _) = app.xero(&t, "GET", "Organisation", None, None).await;
    assert_eq!(status, 429);
    assert_eq!(h["x-rate-limit-problem"], "minute");
    assert_eq!(h["retry-after"], "60");
    // Another tenant has its own budget.
    let other = app.tenant("xero", json!({})).await;
    assert_eq!(
        app.xero(&other, "GET", "Organisation", None, None).await.0,
        200
    );
    app.clock.advance(jiff::SignedDuration::from_secs(61));
    assert_eq!(app.xero(&t, "GET", "Organisation", None, None).await.0, 200);

    // Six at once against a slow tenant: the sixth is refused as concurrent.
    app.faults("xero", json!({"tenantId": other.id, "latencyMs": 300}))
        .await;
    let call = || app.xero(&other, "GET", "Organisation", None, None);
    let (r1, r2, r3, r4, r5, r6) = tokio::join!(call(), call(), call(), call(), call(), call());
    let results = [r1, r2, r3, r4, r5, r6];
    let refused: Vec<_> = results.iter().filter(|r| r.0 == 429).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].1["x-rate-limit-problem"], "concurrent");
}

#[tokio::test]
async fn seeded_faults_are_reproducible_and_never_half_apply() {
    let app = common::spawn().await;
    let statuses = |t: common::Tenant| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for _ in 0..30 {
                out.push(app.xero(&t, "GET", "TaxRates", None, None).await.0);
            }
            out
        }
    };
    let a = app.tenant("xero", json!({})).await;
    let a_id = a.id.clone();
    app.faults(
        "xero",
        json!({"tenantId": a_id, "seed": 7, "rate429": 0.2, "rate500": 0.2}),
    )
    .await;
    let first = statuses(a).await;
    let b = app.tenant("xero", json!({})).await;
    app.faults(
        "xero",
        json!({"tenantId": b.id, "seed": 7, "rate429": 0.2, "rate500": 0.2}),
    )
    .await;
    let second = statuses(b).await;
    assert_eq!(first, second);
    let count = |s: u16| first.iter().filter(|x| **x == s).count();
    assert!(
        count(429) >= 2 && count(500) >= 2 && count(200) >= 10,
        "{first:?}"
    );

    // 500 before commit: nothing written. 500 after commit: written, and a retry with the same
    // idempotency key returns the original document.
    let t = app.tenant("xero", json!({})).await;
    app.faults("xero", json!({"tenantId": t.id, "rate500": 1.0}))
        .await;
    assert_eq!(
        app.xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("k")
        )
        .await
        .0,
        500
    );
    assert!(app.books("xero", &t.id).await.get("Invoices").is_none());
    app.faults("xero", json!({"tenantId": t.id, "rate500AfterCommit": 1.0}))
        .await;
    assert_eq!(
        app.xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("k")
        )
        .await
        .0,
        500
    );
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.faults("xero", json!({"tenantId": t.id})).await;
    let (status, _, v) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("k"),
        )
        .await;
    assert_eq!(status, 200);
    let books = app.books("xero", &t.id).await;
    assert_eq!(books["Invoices"].as_array().unwrap().len(), 1);
    assert_eq!(
        books["Invoices"][0]["InvoiceID"],
        v["Invoices"][0]["InvoiceID"]
    );

    // Timeouts: held, then either a late 504 with nothing written or a late success.
    app.faults(
        "xero",
        json!({"tenantId": t.id, "rateTimeout": 1.0, "timeoutMs": 200}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        app.xero(&t, "PUT", "Invoices", Some(sale("200", "OUTPUT2")), None)
            .await
            .0,
        504
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.faults(
        "xero",
        json!({"tenantId": t.id, "rateTimeout": 1.0, "timeoutMs": 200, "timeoutAfterCommit": true}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        app.xero(&t, "PUT", "Invoices", Some(sale("200", "OUTPUT2")), None)
            .await
            .0,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A client that gives up during the hold drops the connection; the write still lands.
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let r = quick
        .put(format!("{}/xero/api.xro/2.0/Invoices", app.base))
        .bearer_auth(&t.access)
        .header("xero-tenant-id", &t.id)
        .json(&sale("200", "OUTPUT2"))
        .send()
        .await;
    assert!(r.is_err());
    assert_eq!(
        app.books("xero", &t.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Every fault seen above was counted, once, under its own kind; none on the other platform.
    assert_eq!(
        app.injected("xero").await,
        json!({
            "tooManyRequests": 2 * count(429),
            "serverErrorBeforeCommit": 2 * count(500) + 1,
            "serverErrorAfterCommit": 1,
            "timeoutBeforeCommit": 1,
            "timeoutAfterCommit": 2,
        })
    );
    assert!(
        app.injected("quickbooks")
            .await
            .as_object()
            .unwrap()
            .values()
            .all(|n| n == 0)
    );

    // Bad settings are refused.
    let r = app
        .http
        .post(format!("{}/xero/_control/faults", app.base))
        .json(&json!({"rate500": 1.5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn tenants_are_isolated() {
    let app = common::spawn().await;
    let a = app.tenant("xero", json!({"name": "A"})).await;
    let b = app
        .tenant("xero", json!({"name": "B", "country": "US"}))
        .await;
    let (_, _, v) = app
        .xero(
            &a,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT2")),
            Some("same"),
        )
        .await;
    assert_eq!(v["Invoices"][0]["InvoiceNumber"], "INV-0001");
    // The same idempotency key in another tenant is another document.
    let (status, _, w) = app
        .xero(
            &b,
            "PUT",
            "Invoices",
            Some(sale("200", "OUTPUT")),
            Some("same"),
        )
        .await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["Invoices"][0]["CurrencyCode"], "USD");
    assert_eq!(
        app.books("xero", &a.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.books("xero", &b.id).await["Invoices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A's token does not open B.
    let cross = common::Tenant {
        id: b.id.clone(),
        access: a.access.clone(),
        refresh: String::new(),
    };
    let (status, _, _) = app.xero(&cross, "GET", "Invoices", None, None).await;
    assert_eq!(status, 403);
    // B's faults do not touch A.
    app.faults("xero", json!({"tenantId": b.id, "rate500": 1.0}))
        .await;
    assert_eq!(app.xero(&a, "GET", "Invoices", None, None).await.0, 200);
    assert_eq!(app.xero(&b, "GET", "Invoices", None, None).await.0, 500);
    let r = app
        .http
        .get(format!("{}/xero/_control/tenants/nope/books", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_tax_rate_serves_only_the_account_classes_it_can_apply_to() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({})).await;
    let line = |account: &str, tax: &str| json!([{"Description": "x", "LineAmount": 10, "AccountCode": account, "TaxType": tax}]);
    let bill = |account: &str, tax: &str| {
        json!({"Type": "ACCPAY", "Contact": {"Name": "Payment Processor Ltd"}, "Status": "AUTHORISED",
            "Date": "2026-11-25", "LineItems": line(account, tax)})
    };
    // A fee bill at "Zero Rated Income" on the fees (expense) account: refused, as Xero does.
    let refused = "The TaxType code 'ZERORATEDOUTPUT' cannot be used with account code '404'";
    rejected(
        &app,
        &t,
        "Invoices",
        bill("404", "ZERORATEDOUTPUT"),
        refused,
    )
    .await;
    let (status, _, v) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(bill("404", "ZERORATEDOUTPUT")),
            None,
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(v["ErrorNumber"], 10);
    assert_eq!(v["Type"], "ValidationException");
    // An expense rate on a sale, and on a supplier credit note to an income account.
    rejected(
        &app,
        &t,
        "Invoices",
        sale("200", "ZERORATEDINPUT"),
        "The TaxType code 'ZERORATEDINPUT' cannot be used with account code '200'",
    )
    .await;
    let credit = json!({"Type": "ACCPAYCREDIT", "Contact": {"Name": "Payment Processor Ltd"},
        "Status": "AUTHORISED", "Date": "2026-11-25", "LineItems": line("270", "ZERORATEDINPUT")});
    rejected(
        &app,
        &t,
        "CreditNotes",
        credit,
        "cannot be used with account code '270'",
    )
    .await;
    // Spend money at an income rate.
    let spend = json!({"Type": "SPEND", "Contact": {"Name": "Payment Processor Ltd"},
        "BankAccount": {"Code": "091"}, "Date": "2026-11-25", "LineItems": line("404", "OUTPUT2")});
    rejected(
        &app,
        &t,
        "BankTransactions",
        spend,
        "cannot be used with account code '404'",
    )
    .await;
    // What may be used: expense rates on expenses, "No VAT" anywhere, income rates on a
    // liability (tips).
    for (path, body) in [
        ("Invoices", bill("404", "ZERORATEDINPUT")),
        ("Invoices", bill("404", "NONE")),
        ("Invoices", sale("200", "NONE")),
        ("Invoices", sale("830", "ZERORATEDOUTPUT")),
    ] {
        let (status, _, v) = app.xero(&t, "PUT", path, Some(body), None).await;
        assert_eq!(status, 200, "{v}");
    }
    // The seeded rates say so themselves.
    let books = app.books("xero", &t.id).await;
    let rate = |kind: &str| {
        books["TaxRates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["TaxType"] == kind)
            .unwrap()
            .clone()
    };
    let flags = |kind: &str| {
        let r = rate(kind);
        (
            r["CanApplyToRevenue"].clone(),
            r["CanApplyToExpenses"].clone(),
        )
    };
    assert_eq!(flags("ZERORATEDOUTPUT"), (json!(true), json!(false)));
    assert_eq!(flags("ZERORATEDINPUT"), (json!(false), json!(true)));
    assert_eq!(flags("NONE"), (json!(true), json!(true)));
}

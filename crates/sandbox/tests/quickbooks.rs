//! QuickBooks Online sandbox over real HTTP: OAuth, every entity written and read back, the
//! query language, validation faults, requestid idempotency, throttling, faults, isolation.
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
async fn oauth_code_flow_returns_realm_and_rotates_refresh_tokens() {
    use base64::Engine;
    use sha2::Digest;
    let app = common::spawn().await;
    let verifier = "a-long-enough-pkce-code-verifier-0123456789-abcdefghijkl";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect = "http://localhost:8080/sync-flow/callback";
    let form = [
        ("response_type", "code"),
        ("client_id", "commerce-sync-sandbox"),
        ("redirect_uri", redirect),
        ("scope", "com.intuit.quickbooks.accounting"),
        ("state", "s1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("decision", "allow"),
        ("tenant", "new"),
    ];
    let url = format!("{}/quickbooks/connect/oauth2", app.base);
    assert_eq!(
        app.http
            .get(&url)
            .query(&form[..7])
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = app.http.post(&url).form(&form).send().await.unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let param = |k: &str| {
        loc.split_once('?')
            .unwrap()
            .1
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            .map(str::to_owned)
    };
    let realm = param("realmId").unwrap();
    let code = param("code").unwrap();
    let disco: Value = app
        .http
        .get(format!(
            "{}/quickbooks/.well-known/openid_configuration",
            app.base
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_url = disco["token_endpoint"].as_str().unwrap().to_owned();
    let tokens: Value = app
        .http
        .post(&token_url)
        .basic_auth("commerce-sync-sandbox", Some("sandbox-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tokens["expires_in"], 3600);
    let t = common::Tenant {
        id: realm.clone(),
        access: tokens["access_token"].as_str().unwrap().into(),
        refresh: String::new(),
    };
    let (status, _, info) = app
        .qbo(&t, "GET", &format!("companyinfo/{realm}"), None)
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["CompanyInfo"]["Country"], "US");
    let refresh = |rt: String| {
        app.http
            .post(&token_url)
            .basic_auth("commerce-sync-sandbox", Some("sandbox-secret"))
            .form(&[
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", rt),
            ])
            .send()
    };
    let rt = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(refresh(rt.clone()).await.unwrap().status(), 200);
    let again = refresh(rt).await.unwrap();
    assert_eq!(again.status(), 400);
    assert_eq!(
        again.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    app.clock.advance(jiff::SignedDuration::from_mins(61));
    let (status, _, v) = app
        .qbo(&t, "GET", &format!("companyinfo/{realm}"), None)
        .await;
    assert_eq!(status, 401);
    assert_eq!(v["fault"]["error"][0]["code"], "3200");
}

#[tokio::test]
async fn us_sales_day_with_automated_sales_tax_and_every_entity() {
    let app = common::spawn().await;
    let t = app
        .tenant("quickbooks", json!({"name": "Taco Stand", "country": "US"}))
        .await;
    for e in [
        "Account",
        "TaxCode",
        "TaxRate",
        "Customer",
        "Vendor",
        "Class",
        "Department",
        "Item",
    ] {
        let (status, _, v) = app
            .qbo(&t, "GET", &query(&format!("select * from {e}")), None)
            .await;
        assert_eq!(status, 200, "{v}");
        assert!(!v["QueryResponse"][e].as_array().unwrap().is_empty(), "{e}");
    }
    let invoice = json!({
        "CustomerRef": {"value": "1"}, "TxnDate": "2026-11-25", "DocNumber": "cs-2026-11-25",
        "Line": [
            {"Amount": 100.05, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "Qty": 1, "UnitPrice": 100.05, "TaxCodeRef": {"value": "TAX"}}},
            {"Amount": 33.33, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "TAX"}}},
            {"Amount": 5, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "3"}, "TaxCodeRef": {"value": "NON"}}},
        ],
    });
    let (status, _, v) = app
        .qbo(&t, "POST", "invoice?requestid=r-inv-1", Some(invoice))
        .await;
    assert_eq!(status, 200, "{v}");
    let inv = &v["Invoice"];
    // AST: one rate on the taxable total, 133.38 × 8.875% = 11.837… → 11.84.
    assert_eq!(amount(&inv["TxnTaxDetail"]["TotalTax"]), "11.84");
    assert_eq!(amount(&inv["TotalAmt"]), "150.22");
    assert_eq!(amount(&inv["Balance"]), "150.22");
    let inv_id = inv["Id"].as_str().unwrap().to_owned();
    let (_, _, read) = app.qbo(&t, "GET", &format!("invoice/{inv_id}"), None).await;
    assert_eq!(read["Invoice"]["DocNumber"], "cs-2026-11-25");
    let (_, _, found) = app
        .qbo(
            &t,
            "GET",
            &query("select * from Invoice where DocNumber = 'cs-2026-11-25'"),
            None,
        )
        .await;
    assert_eq!(found["QueryResponse"]["Invoice"][0]["Id"], inv_id.as_str());
    let (_, _, none) = app
        .qbo(
            &t,
            "GET",
            &query("select * from Invoice where DocNumber = 'other'"),
            None,
        )
        .await;
    assert_eq!(none["QueryResponse"], json!({}));

    let pay = |amt: &str, acct: &str| {
        json!({"CustomerRef": {"value": "1"}, "TotalAmt": serde_json::from_str::<Value>(amt).unwrap(), "TxnDate": "2026-11-25",
        "DepositToAccountRef": {"value": acct}, "Line": [{"Amount": serde_json::from_str::<Value>(amt).unwrap(), "LinkedTxn": [{"TxnId": inv_id, "TxnType": "Invoice"}]}]})
    };
    let (status, _, p) = app
        .qbo(&t, "POST", "payment", Some(pay("100.22", "2")))
        .await;
    assert_eq!(status, 200, "{p}");
    let (status, _, p) = app.qbo(&t, "POST", "payment", Some(pay("50", "3"))).await;
    assert_eq!(status, 200, "{p}");
    let (_, _, read) = app.qbo(&t, "GET", &format!("invoice/{inv_id}"), None).await;
    assert_eq!(amount(&read["Invoice"]["Balance"]), "0.00");

    // Refunds: a credit memo, a journal entry paying the cash out, and a zero-value payment linking both.
    let (status, _, cm) = app
        .qbo(&t, "POST", "creditmemo", Some(json!({"CustomerRef": {"value": "1"}, "TxnDate": "2026-11-25",
            "Line": [{"Amount": 10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "5"}, "TaxCodeRef": {"value": "NON"}}}]})))
        .await;
    assert_eq!(status, 200, "{cm}");
    let cm_id = cm["CreditMemo"]["Id"].as_str().unwrap().to_owned();
    let (status, _, je) = app
        .qbo(&t, "POST", "journalentry", Some(json!({"TxnDate": "2026-11-25", "Line": [
            {"Amount": 10, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "4"}, "Entity": {"Type": "Customer", "EntityRef": {"value": "1"}}}},
            {"Amount": 10, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "3"}}}]})))
        .await;
    assert_eq!(status, 200, "{je}");
    let je_id = je["JournalEntry"]["Id"].as_str().unwrap().to_owned();
    let (status, _, link) = app
        .qbo(&t, "POST", "payment", Some(json!({"CustomerRef": {"value": "1"}, "TotalAmt": 0, "TxnDate": "2026-11-25", "Line": [
            {"Amount": 10, "LinkedTxn": [{"TxnId": je_id, "TxnType": "JournalEntry"}]},
            {"Amount": 10, "LinkedTxn": [{"TxnId": cm_id, "TxnType": "CreditMemo"}]}]})))
        .await;
    assert_eq!(status, 200, "{link}");
    let (_, _, cm_read) = app
        .qbo(&t, "GET", &format!("creditmemo/{cm_id}"), None)
        .await;
    assert_eq!(amount(&cm_read["CreditMemo"]["Balance"]), "0.00");
    let (status, _, rr) = app
        .qbo(&t, "POST", "refundreceipt", Some(json!({"CustomerRef": {"value": "1"}, "DepositToAccountRef": {"value": "3"}, "TxnDate": "2026-11-25",
            "Line": [{"Amount": 4, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "5"}, "TaxCodeRef": {"value": "TAX"}}}]})))
        .await;
    assert_eq!(status, 200, "{rr}");
    assert_eq!(amount(&rr["RefundReceipt"]["TotalAmt"]), "4.36");

    // Fees: a bill paid by check from the bank, a vendor credit, a deposit, a payout transfer.
    let expense = |amt: f64, acct: &str| {
        json!({"VendorRef": {"value": "2"}, "TxnDate": "2026-11-25",
        "Line": [{"Amount": amt, "DetailType": "AccountBasedExpenseLineDetail", "AccountBasedExpenseLineDetail": {"AccountRef": {"value": acct}}}]})
    };
    let (status, _, bill) = app.qbo(&t, "POST", "bill", Some(expense(3.5, "14"))).await;
    assert_eq!(status, 200, "{bill}");
    let bill_id = bill["Bill"]["Id"].as_str().unwrap().to_owned();
    let (status, _, bp) = app
        .qbo(&t, "POST", "billpayment", Some(json!({"VendorRef": {"value": "2"}, "PayType": "Check", "CheckPayment": {"BankAccountRef": {"value": "1"}},
            "TotalAmt": 3.5, "TxnDate": "2026-11-25", "Line": [{"Amount": 3.5, "LinkedTxn": [{"TxnId": bill_id, "TxnType": "Bill"}]}]})))
        .await;
    assert_eq!(status, 200, "{bp}");
    let (status, _, vc) = app
        .qbo(&t, "POST", "vendorcredit", Some(expense(1.0, "8")))
        .await;
    assert_eq!(status, 200, "{vc}");
    let (status, _, dep) = app
        .qbo(&t, "POST", "deposit", Some(json!({"DepositToAccountRef": {"value": "2"}, "TxnDate": "2026-11-25",
            "Line": [{"Amount": 1, "DetailType": "DepositLineDetail", "DepositLineDetail": {"AccountRef": {"value": "8"}}}]})))
        .await;
    assert_eq!(status, 200, "{dep}");
    let (status, _, tr) = app
        .qbo(&t, "POST", "transfer", Some(json!({"FromAccountRef": {"value": "2"}, "ToAccountRef": {"value": "1"}, "Amount": 96.72, "TxnDate": "2026-11-26"})))
        .await;
    assert_eq!(status, 200, "{tr}");

    // An account created from the flow, then made inactive with its SyncToken.
    let (status, _, acc) = app
        .qbo(
            &t,
            "POST",
            "account",
            Some(json!({"Name": "Online Sales", "AccountType": "Income", "AcctNum": "4020"})),
        )
        .await;
    assert_eq!(status, 200, "{acc}");
    let acc_id = acc["Account"]["Id"].as_str().unwrap().to_owned();
    let (status, _, upd) = app
        .qbo(
            &t,
            "POST",
            "account",
            Some(json!({"Id": acc_id, "SyncToken": "0", "sparse": true, "Active": false})),
        )
        .await;
    assert_eq!(status, 200, "{upd}");
    assert_eq!(upd["Account"]["SyncToken"], "1");
    rejected(
        &app,
        &t,
        "account",
        json!({"Id": acc_id, "SyncToken": "0", "Active": true}),
        "5010",
        "Stale Object",
    )
    .await;

    let books = app.books("quickbooks", &t.id).await;
    for (kind, n) in [
        ("Invoice", 1),
        ("Payment", 3),
        ("CreditMemo", 1),
        ("JournalEntry", 1),
        ("RefundReceipt", 1),
        ("Bill", 1),
        ("BillPayment", 1),
        ("VendorCredit", 1),
        ("Deposit", 1),
        ("Transfer", 1),
    ] {
        assert_eq!(books[kind].as_array().map(Vec::len), Some(n), "{kind}");
    }
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
    app.faults("quickbooks", json!({})).await;
    assert_eq!(app.qbo(&t, "GET", &path, None).await.0, 200);
}

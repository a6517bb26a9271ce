//! QuickBooks Online sandbox over real HTTP: OAuth and every entity written and read back.
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

    // Undo: the invoice cannot go while paid; deleting a payment reopens it.
    let (status, _, refused) = app
        .qbo(
            &t,
            "POST",
            "invoice?operation=delete",
            Some(json!({"Id": inv_id, "SyncToken": "0"})),
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    let pay_id = p["Payment"]["Id"].as_str().unwrap().to_owned();
    let (status, _, del) = app
        .qbo(
            &t,
            "POST",
            "payment?operation=delete",
            Some(json!({"Id": pay_id, "SyncToken": "0"})),
        )
        .await;
    assert_eq!(status, 200, "{del}");
    assert_eq!(del["Payment"]["status"], "Deleted");
    let (_, _, read) = app.qbo(&t, "GET", &format!("invoice/{inv_id}"), None).await;
    assert_eq!(amount(&read["Invoice"]["Balance"]), "50.00");
    let (status, _, p) = app.qbo(&t, "POST", "payment", Some(pay("50", "3"))).await;
    assert_eq!(status, 200, "{p}");

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

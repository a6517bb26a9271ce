//! The merchant's journey, one test per platform, over HTTP only, as a client and a
//! merchant's browser walk it: create the company and its connections, link the accounting
//! platform (consent page, or authorization handover), wait for its books to be read,
//! choose every account, tax rate and contact by name from what is offered (creating the
//! missing PayPal account on the way), push a week, sync, and read the books back: every
//! total equal to the pushed week to the penny, tax per rate included.

mod journey_support;

use journey_support::books::*;
use journey_support::flow::*;
use journey_support::server::Server;
use journey_support::week::{Region, US_ZONE, ZONE, week, week_in};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::json;
use store::testing::TestDatabase;

async fn xero_journey(database_url: Option<&str>) {
    let server = Server::start(database_url);
    let (company, connection) = company_with(&server, "Bob's Bikes", "gbol").await;
    let connection_id = connection["id"].as_str().unwrap().to_owned();

    // Before linking, the configuration says what to do rather than dead-ending.
    let config = format!("/config/companies/{company}/sync/commerce");
    let (status, before) = server.call(Method::GET, &config, None).await;
    assert_eq!(
        (status, before["code"].as_str()),
        (StatusCode::CONFLICT, Some("accounting_not_linked")),
        "{before}"
    );

    consent(&server, connection["linkUrl"].as_str().unwrap(), "new").await;
    let mut doc = offered(&server, &company).await;
    let data_status = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/dataStatus"),
            None,
        )
        .await;
    assert_eq!(
        data_status["chartOfAccounts"]["currentStatus"], "Complete",
        "{data_status}"
    );
    let linked = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections/{connection_id}"),
            None,
        )
        .await;
    let info = &linked["connectionInfo"];
    let tenant = info["organisationId"]
        .as_str()
        .expect("the tenant reached is named")
        .to_owned();
    assert!(
        info["organisationName"]
            .as_str()
            .is_some_and(|n| n.starts_with("Demo Company (GB)")),
        "{linked}"
    );
    let accounts = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/data/accounts?pageSize=5"),
            None,
        )
        .await;
    assert_eq!(
        accounts["results"].as_array().unwrap().len(),
        5,
        "{accounts}"
    );

    // The merchant takes PayPal and has no account for it yet: create it from the flow.
    assert!(
        doc["configuration"]["payments"]["accounts"]["paypal"]["accountOptions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["name"] != "PayPal")
    );
    let created = server
        .ok(
            Method::POST,
            &format!("/companies/{company}/connections/{connection_id}/push/accounts"),
            Some(&json!({"name": "PayPal", "nominalCode": "095", "type": "Asset", "isBankAccount": true,
                "currency": "GBP", "bankAccountNumber": "paypal-merchant-1"})),
        )
        .await;
    assert_eq!(created["status"], "Success", "{created}");
    // And the processor as a supplier of its own, for the fee bills.
    let supplier = server
        .ok(
            Method::POST,
            &format!("/companies/{company}/connections/{connection_id}/push/suppliers"),
            Some(&json!({"supplierName": "Stripe Payments UK"})),
        )
        .await;
    assert_eq!(supplier["data"]["name"], "Stripe Payments UK", "{supplier}");
    doc = offered(&server, &company).await;

    // Chosen by name from what is offered, as a merchant would.
    choose(&mut doc, &XERO_GB, ZONE);

    // What Xero would refuse is refused now, next to the field: an expense account cannot
    // take payments.
    let mut wrong = doc.clone();
    let fees_id =
        wrong["configuration"]["fees"]["accounts"]["paymentFee"]["selectedAccountId"].clone();
    wrong["configuration"]["payments"]["accounts"]["paypal"]["selectedAccountId"] = fees_id;
    let (status, refused) = server.call(Method::POST, &config, Some(&wrong)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let error = &refused["validation"]["errors"][0];
    assert_eq!(
        error["pointer"], "/configuration/payments/accounts/paypal/selectedAccountId",
        "{refused}"
    );

    let saved = server.ok(Method::POST, &config, Some(&doc)).await;
    assert_eq!(saved["configured"], true);

    let week = week();
    push_week(&server, &company, &week).await;
    let status = sync_week(&server, &company, ZONE).await;
    assert_eq!(status["syncStatusCode"], 2000, "{status}");

    let books = server
        .ok(
            Method::GET,
            &format!("/sandbox/xero/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    check_xero_books(&books, &week.totals, &doc);

    // Asking again writes nothing new.
    let again = sync_week(&server, &company, ZONE).await;
    assert!(
        matches!(again["syncStatusCode"].as_u64(), Some(2000 | 2040 | 5080)),
        "{again}"
    );
    let after = server
        .ok(
            Method::GET,
            &format!("/sandbox/xero/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    check_xero_books(&after, &week.totals, &doc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xero_journey_on_sqlite() {
    xero_journey(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xero_journey_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return; // TestDatabase::postgres says so loudly (and fails under CI=true)
    };
    xero_journey(Some(&db.url)).await;
}

/// A server, a new QuickBooks company of `country` in its sandbox, and a company linked to it
/// through the consent page with its books read: (server, realm id, company, connection).
async fn quickbooks_linked(
    database_url: Option<&str>,
    name: &str,
    country: &str,
) -> (Server, String, String, String) {
    let server = Server::start(database_url);
    let tenant = server
        .ok(
            Method::POST,
            "/sandbox/quickbooks/_control/tenants",
            Some(&json!({"name": name, "country": country})),
        )
        .await["realmId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (company, connection) = company_with(&server, "Bob's Bikes", "qhyg").await;
    let connection_id = connection["id"].as_str().unwrap().to_owned();
    consent(&server, connection["linkUrl"].as_str().unwrap(), &tenant).await;
    offered(&server, &company).await;
    (server, tenant, company, connection_id)
}

async fn quickbooks_gb_journey(database_url: Option<&str>) {
    let (server, tenant, company, connection_id) =
        quickbooks_linked(database_url, "Bob's Bikes Ltd", "GB").await;
    let linked = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections/{connection_id}"),
            None,
        )
        .await;
    assert_eq!(
        linked["connectionInfo"]["organisationId"],
        tenant.as_str(),
        "{linked}"
    );
    assert_eq!(
        linked["connectionInfo"]["organisationName"], "Bob's Bikes Ltd",
        "{linked}"
    );
    let info = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/data/info"),
            None,
        )
        .await;
    assert_eq!(
        (
            info["baseCurrency"].as_str(),
            info["automatedSalesTax"].as_bool()
        ),
        (Some("GBP"), Some(false)),
        "{info}"
    );

    // The merchant's PayPal balance, made from the flow.
    let push = format!("/companies/{company}/connections/{connection_id}/push/accounts");
    let paypal =
        json!({"name": "PayPal", "type": "Asset", "isBankAccount": true, "currency": "GBP"});
    server.ok(Method::POST, &push, Some(&paypal)).await;
    let customers = format!("/companies/{company}/connections/{connection_id}/push/customers");
    let (status, refused) = server
        .call(
            Method::POST,
            &customers,
            Some(&json!({"customerName": "  "})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a blank name is named: {refused}"
    );
    assert_eq!(
        refused["validation"]["errors"][0]["pointer"],
        "/customerName"
    );
    server
        .ok(
            Method::POST,
            &customers,
            Some(&json!({"customerName": "Daily Takings"})),
        )
        .await;
    let mut doc = offered(&server, &company).await;
    let gb = Choices {
        accounts: &[
            ("sales", "sales", "Sales"),
            ("sales", "refund", "Refunds"),
            ("sales", "gratuity", "Gratuity Liability"),
            ("payments", "card", "Card Clearing"),
            ("payments", "cash", "Cash on Hand"),
            ("payments", "paypal", "PayPal"),
            ("payments", "payout", "Checking"),
            ("fees", "paymentFee", "Payment Processing Fees"),
        ],
        tax_rates: &[("20", "20.0% S"), ("5", "5.0% R"), ("0", "0.0% Z")],
        customer: Some("Daily Takings"),
        supplier: Some("Payment Processor Inc"),
        zero_rate: Some("No VAT"),
    };
    choose(&mut doc, &gb, ZONE);

    // QuickBooks pays the fee bills from the card account, and only from a Bank account: the
    // Other Current Asset "Card Clearing" is refused before any sync could fail on it.
    let config = format!("/config/companies/{company}/sync/commerce");
    let (status, refused) = server.call(Method::POST, &config, Some(&doc)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let error = &refused["validation"]["errors"][0];
    assert_eq!(
        (error["pointer"].as_str(), error["validatorName"].as_str()),
        (
            Some("/configuration/payments/accounts/card/selectedAccountId"),
            Some("books.account_cannot_pay_bills")
        ),
        "{refused}"
    );
    // So the merchant makes a bank-type clearing account from the flow and picks it.
    let clearing = json!({"name": "Card Clearing (Bank)", "type": "Asset", "isBankAccount": true, "currency": "GBP"});
    server.ok(Method::POST, &push, Some(&clearing)).await;
    let fresh = offered(&server, &company).await;
    doc["configuration"]["payments"]["accounts"]["card"]["accountOptions"] =
        fresh["configuration"]["payments"]["accounts"]["card"]["accountOptions"].clone();
    choose_account(&mut doc, "payments", "card", "Card Clearing (Bank)");
    server.ok(Method::POST, &config, Some(&doc)).await;

    let week = week();
    push_week(&server, &company, &week).await;
    let status = sync_week(&server, &company, ZONE).await;
    assert_eq!(status["syncStatusCode"], 2000, "{status}");
    let books = server
        .ok(
            Method::GET,
            &format!("/sandbox/quickbooks/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    check_quickbooks_books(&books, &week.totals, &doc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickbooks_gb_journey_on_sqlite() {
    quickbooks_gb_journey(None).await;
}

/// Bob's Bikes' hledger books before the first sync: accounts and currency declared.
const HLEDGER_CHART: &str = "\
commodity 1000.00 GBP

account assets:cash
account assets:stripe
account assets:paypal
account assets:bank:current
account liabilities:vat
account liabilities:tips
account income:sales
account income:refunds
account expenses:payment fees
";

/// hledger, linked by authorization handover (a `baseUrl`), configured for journal entries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hledger_journey_on_sqlite() {
    let Some(web) = testkit::hledger::HledgerWeb::start(HLEDGER_CHART, "the hledger journey").await
    else {
        return;
    };
    let server = Server::start(None);
    let (company, connection) = company_with(&server, "Bob's Bikes", "hldg").await;
    let connection_id = connection["id"].as_str().unwrap();
    let handover = format!("/companies/{company}/connections/{connection_id}/authorization");
    let linked = server
        .ok(
            Method::PUT,
            &handover,
            Some(&json!({"baseUrl": web.base_url})),
        )
        .await;
    assert_eq!(linked["status"], "Linked");
    let mut doc = offered(&server, &company).await;
    // A ledger without tax-rate objects is asked for what it needs and nothing else.
    assert_eq!(
        doc["configuration"]["mapSettings"]["outputFormat"], "JournalEntry",
        "{doc}"
    );
    assert!(
        doc["configuration"]["sales"].get("taxRates").is_none(),
        "{doc}"
    );
    assert_eq!(
        doc["configuration"]["sales"]["accounts"]["taxLiability"]["required"],
        true
    );
    let ledger = Choices {
        accounts: &[
            ("sales", "sales", "income:sales"),
            ("sales", "refund", "income:refunds"),
            ("sales", "gratuity", "liabilities:tips"),
            ("sales", "taxLiability", "liabilities:vat"),
            ("payments", "card", "assets:stripe"),
            ("payments", "cash", "assets:cash"),
            ("payments", "paypal", "assets:paypal"),
            ("payments", "payout", "assets:bank:current"),
            ("fees", "paymentFee", "expenses:payment fees"),
        ],
        ..Choices::default()
    };
    choose(&mut doc, &ledger, ZONE);
    server
        .ok(
            Method::POST,
            &format!("/config/companies/{company}/sync/commerce"),
            Some(&doc),
        )
        .await;

    let week = week();
    push_week(&server, &company, &week).await;
    let status = sync_week(&server, &company, ZONE).await;
    assert_eq!(status["syncStatusCode"], 2000, "{status}");

    web.hledger(&["check", "--strict"])
        .expect("hledger finds the journal sound");
    let t = &week.totals;
    let balance = |account: &str| {
        web.balances()
            .get(&(account.to_owned(), "GBP".to_owned()))
            .copied()
            .unwrap_or_default()
    };
    let net: Decimal = t.by_rate.values().map(|(n, _)| *n).sum();
    let tax: Decimal = t.by_rate.values().map(|(_, x)| *x).sum();
    assert_eq!(
        balance("income:sales") + balance("income:refunds"),
        -net,
        "sales net of refunds"
    );
    assert_eq!(balance("liabilities:vat"), -tax, "VAT owed");
    assert_eq!(balance("liabilities:tips"), -t.gratuity, "tips owed");
    assert_eq!(
        balance("assets:cash"),
        t.by_payment_type["Cash"],
        "cash takings"
    );
    assert_eq!(balance("expenses:payment fees"), t.fees, "fees");
    assert_eq!(balance("assets:bank:current"), t.payouts, "payouts");
    assert_eq!(
        balance("assets:stripe") + balance("assets:paypal"),
        t.by_payment_type["Card"] + t.by_payment_type["Paypal"] - t.fees - t.payouts,
        "processor balances"
    );
    let written = web.transaction_count();
    let again = sync_week(&server, &company, ZONE).await;
    assert!(
        matches!(again["syncStatusCode"].as_u64(), Some(2000 | 2040 | 5080)),
        "{again}"
    );
    assert_eq!(web.transaction_count(), written, "a repeat writes nothing");
}

/// A read the platform refuses is visible with its reason, and the configuration says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_read_is_shown_with_the_platforms_reason() {
    let server = Server::start(None);
    let tenant = server
        .ok(
            Method::POST,
            "/sandbox/xero/_control/tenants",
            Some(&json!({"name": "Revoked Ltd"})),
        )
        .await;
    let (company, connection) = company_with(&server, "Revoked", "gbol").await;
    let id = connection["id"].as_str().unwrap();
    // Tokens the platform never issued: the access token is refused, and so is the refresh.
    let handover = json!({"accessToken": "not-issued", "refreshToken": "not-issued",
        "expiresAt": "2030-01-01T00:00:00Z", "tenantId": tenant["tenantId"]});
    server
        .ok(
            Method::PUT,
            &format!("/companies/{company}/connections/{id}/authorization"),
            Some(&handover),
        )
        .await;
    let status = server
        .wait_for(&format!("/companies/{company}/dataStatus"), |_, s| {
            s["chartOfAccounts"]["currentStatus"] == "FetchError"
        })
        .await;
    let reason = status["chartOfAccounts"]["errorMessage"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("Xero"), "the platform is named: {status}");
    let (code, answer) = server
        .call(
            Method::GET,
            &format!("/config/companies/{company}/sync/commerce"),
            None,
        )
        .await;
    assert_eq!(code, StatusCode::CONFLICT, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(
        message.contains("link it again") && message.contains("refresh token was refused"),
        "says why and what to do: {answer}"
    );
    let connection = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections/{id}"),
            None,
        )
        .await;
    assert_eq!(connection["status"], "Deauthorized", "{connection}");
}

/// QuickBooks Online US: automated sales tax is on, so no tax rate is asked for or sent;
/// QuickBooks works the tax out (at New York's 8.875 %, the merchant's rate too) and the books
/// hold the pushed tax to the cent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickbooks_us_journey_on_sqlite() {
    let (server, tenant, company, connection_id) =
        quickbooks_linked(None, "Bob's Bikes Inc", "US").await;
    let info = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/data/info"),
            None,
        )
        .await;
    assert_eq!(
        (
            info["baseCurrency"].as_str(),
            info["automatedSalesTax"].as_bool()
        ),
        (Some("USD"), Some(true)),
        "{info}"
    );
    let push = format!("/companies/{company}/connections/{connection_id}/push/accounts");
    for name in ["PayPal", "Card Clearing (Bank)"] {
        let account =
            json!({"name": name, "type": "Asset", "isBankAccount": true, "currency": "USD"});
        server.ok(Method::POST, &push, Some(&account)).await;
    }
    let mut doc = offered(&server, &company).await;
    assert!(
        doc["configuration"]["sales"].get("taxRates").is_none(),
        "no tax slots under automated sales tax: {doc}"
    );
    let us = Choices {
        accounts: &[
            ("sales", "sales", "Sales"),
            ("sales", "refund", "Refunds"),
            ("sales", "gratuity", "Gratuity Liability"),
            ("payments", "card", "Card Clearing (Bank)"),
            ("payments", "cash", "Cash on Hand"),
            ("payments", "paypal", "PayPal"),
            ("payments", "payout", "Checking"),
            ("fees", "paymentFee", "Payment Processing Fees"),
        ],
        customer: Some("Commerce Sales"),
        supplier: Some("Payment Processor Inc"),
        ..Choices::default()
    };
    choose(&mut doc, &us, US_ZONE);

    // A tax rate slot added by hand is refused: QuickBooks computes US sales tax itself.
    let config = format!("/config/companies/{company}/sync/commerce");
    let mut wrong = doc.clone();
    wrong["configuration"]["sales"]["taxRates"] = json!({"8.875": {"selectedTaxRateId": "TAX"}});
    let (status, refused) = server.call(Method::POST, &config, Some(&wrong)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(
        refused["validation"]["errors"][0]["validatorName"], "books.tax_computed_by_platform",
        "{refused}"
    );
    server.ok(Method::POST, &config, Some(&doc)).await;

    let week = week_in(Region::Us);
    push_week(&server, &company, &week).await;
    let status = sync_week(&server, &company, US_ZONE).await;
    assert_eq!(status["syncStatusCode"], 2000, "{status}");
    let books = server
        .ok(
            Method::GET,
            &format!("/sandbox/quickbooks/_control/tenants/{tenant}/books"),
            None,
        )
        .await;
    // Every sales line is marked TAX or NON (no tax code of ours), and QuickBooks' tax equals ours.
    for invoice in qbo_docs(&books, "Invoice")
        .iter()
        .chain(qbo_docs(&books, "CreditMemo").iter())
    {
        for line in invoice["Line"].as_array().unwrap() {
            if let Some(code) = line["SalesItemLineDetail"]["TaxCodeRef"]["value"].as_str() {
                assert!(matches!(code, "TAX" | "NON"), "{line}");
            }
        }
    }
    let by_rate = qbo_sales_by_tax_rate(&books);
    let t = &week.totals;
    let taxed: (Decimal, Decimal) = by_rate
        .values()
        .fold((Decimal::ZERO, Decimal::ZERO), |a, b| {
            (a.0 + b.0, a.1 + b.1)
        });
    assert_eq!(
        Some(&taxed),
        t.by_rate.get("8.875"),
        "sales tax: {by_rate:?}"
    );
    check_quickbooks_money(&books, t, &doc);
}

//! The merchant's journey, one test per platform, over HTTP only, as a client and a
//! merchant's browser walk it: create the company and its connections, link the accounting
//! platform (consent page, or authorization handover), wait for its books to be read,
//! choose every account, tax rate and contact by name from what is offered (creating the
//! missing PayPal account on the way), push a week, sync, and read the books back: every
//! total equal to the pushed week to the penny, tax per rate included.

mod journey_support;

use journey_support::flow::*;
use journey_support::server::Server;
use journey_support::week::{WeekTotals, week};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use store::testing::TestDatabase;

fn dec(v: &Value) -> Decimal {
    v.to_string().trim_matches('"').parse().unwrap_or_default()
}

/// Live documents of `collection`, of Xero `Type` `kind` when given.
fn docs<'b>(books: &'b Value, collection: &str, kind: Option<&str>) -> Vec<&'b Value> {
    books[collection]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| kind.is_none_or(|k| d["Type"] == k))
        .filter(|d| !matches!(d["Status"].as_str(), Some("VOIDED" | "DELETED")))
        .collect()
}

/// Sales lines per Xero tax type: (net, tax), credit notes deducted.
fn xero_sales_by_tax_type(books: &Value) -> BTreeMap<String, (Decimal, Decimal)> {
    let mut out: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (collection, kind, sign) in [
        ("Invoices", "ACCREC", Decimal::ONE),
        ("CreditNotes", "ACCRECCREDIT", Decimal::NEGATIVE_ONE),
    ] {
        for doc in docs(books, collection, Some(kind)) {
            assert_eq!(doc["LineAmountTypes"], "Exclusive", "{doc}");
            for line in doc["LineItems"].as_array().unwrap() {
                let entry = out
                    .entry(line["TaxType"].as_str().unwrap_or_default().to_owned())
                    .or_default();
                entry.0 += sign * dec(&line["LineAmount"]);
                entry.1 += sign * dec(&line["TaxAmount"]);
            }
        }
    }
    out
}

/// Money received per account code (refunds paid out deducted).
fn xero_payments_by_account(books: &Value) -> BTreeMap<String, Decimal> {
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in docs(books, "Payments", None) {
        let sign = match p["PaymentType"].as_str() {
            Some("ACCRECPAYMENT") => Decimal::ONE,
            Some("ARCREDITPAYMENT") => Decimal::NEGATIVE_ONE,
            _ => continue,
        };
        let code = p["Account"]["Code"].as_str().unwrap_or_default().to_owned();
        *out.entry(code).or_default() += sign * dec(&p["Amount"]);
    }
    out
}

fn xero_total(books: &Value, collection: &str, kind: &str) -> Decimal {
    docs(books, collection, Some(kind))
        .iter()
        .map(|d| dec(&d["Total"]))
        .sum()
}

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
    doc = offered(&server, &company).await;

    // Chosen by name from what is offered, as a merchant would.
    choose_account(&mut doc, "sales", "sales", "Sales");
    choose_account(&mut doc, "sales", "refund", "Sales Refunds");
    choose_account(&mut doc, "sales", "gratuity", "Gratuities Payable");
    choose_tax_rate(&mut doc, "20", "20% (VAT on Income)");
    choose_tax_rate(&mut doc, "5", "5% (VAT on Income)");
    choose_tax_rate(&mut doc, "0", "Zero Rated Income");
    let customer = by_name(
        &doc["configuration"]["sales"]["salesCustomer"]["customerOptions"],
        "Commerce Sales",
    );
    doc["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"] = json!(customer);
    choose_account(&mut doc, "payments", "card", "Card Clearing");
    choose_account(&mut doc, "payments", "cash", "Cash Takings");
    choose_account(&mut doc, "payments", "paypal", "PayPal");
    choose_account(&mut doc, "payments", "payout", "Business Bank Account");
    choose_account(&mut doc, "fees", "paymentFee", "Payment Processing Fees");
    let supplier = by_name(
        &doc["configuration"]["fees"]["feesSupplier"]["supplierOptions"],
        "Payment Processor Ltd",
    );
    doc["configuration"]["fees"]["feesSupplier"]["selectedSupplierId"] = json!(supplier);
    let zero = by_name(
        &doc["configuration"]["sales"]["newTaxRates"]["defaultZeroTaxRateOptions"],
        "Zero Rated Income",
    );
    doc["configuration"]["sales"]["newTaxRates"]["selectedDefaultZeroTaxRateId"] = json!(zero);
    sync_everything(&mut doc);

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
    let status = sync_week(&server, &company).await;
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
    let again = sync_week(&server, &company).await;
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

fn check_xero_books(books: &Value, t: &WeekTotals, doc: &Value) {
    let rate_id = |key: &str| {
        doc["configuration"]["sales"]["taxRates"][key]["selectedTaxRateId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let by_type = xero_sales_by_tax_type(books);
    for key in ["20", "5"] {
        assert_eq!(
            by_type.get(&rate_id(key)),
            t.by_rate.get(key),
            "sales at {key}%: {by_type:?}"
        );
    }
    assert_eq!(
        by_type.get(&rate_id("0")),
        Some(&(t.gratuity, Decimal::ZERO)),
        "tips: {by_type:?}"
    );
    assert_eq!(
        by_type.len(),
        3,
        "no other tax types (no rounding line): {by_type:?}"
    );
    let account_code = |section: &str, key: &str, name: &str| {
        let slot = &doc["configuration"][section]["accounts"][key];
        let id = slot["selectedAccountId"].as_str().unwrap();
        let option = slot["accountOptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap();
        assert_eq!(option["name"], name);
        option["nominalCode"].as_str().unwrap().to_owned()
    };
    let payments = xero_payments_by_account(books);
    for (key, kind, name) in [
        ("card", "Card", "Card Clearing"),
        ("cash", "Cash", "Cash Takings"),
        ("paypal", "Paypal", "PayPal"),
    ] {
        assert_eq!(
            payments.get(&account_code("payments", key, name)),
            t.by_payment_type.get(kind),
            "{kind} payments into {name}: {payments:?}"
        );
    }
    let fees =
        xero_total(books, "Invoices", "ACCPAY") - xero_total(books, "CreditNotes", "ACCPAYCREDIT");
    assert_eq!(fees, t.fees, "fee bills");
    let payouts: Decimal = docs(books, "BankTransfers", None)
        .iter()
        .map(|d| dec(&d["Amount"]))
        .sum();
    assert_eq!(payouts, t.payouts, "payouts");
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

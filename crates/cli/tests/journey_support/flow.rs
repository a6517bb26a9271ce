//! The merchant's journey over HTTP, as a client and a merchant's browser walk it: company and
//! connections, consent on the platform's page, the books read, a configuration chosen by name
//! from what is offered, a week pushed, a sync, the books read back.

use super::server::Server;
use super::week::{DAYS, FIRST_DAY, Week};
use reqwest::{Method, StatusCode, Url};
use serde_json::{Value, json};
use std::collections::HashMap;

fn location(response: &reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect, got {}",
        response.status()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A company with our commerce source and the accounting platform `key`; (company, connection).
pub async fn company_with(server: &Server, name: &str, key: &str) -> (String, Value) {
    let company = server
        .ok(Method::POST, "/companies", Some(&json!({"name": name})))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let connections = format!("/companies/{company}/connections");
    server
        .ok(
            Method::POST,
            &connections,
            Some(&json!({"platformKey": "cmrc"})),
        )
        .await;
    let accounting = server
        .ok(
            Method::POST,
            &connections,
            Some(&json!({"platformKey": key})),
        )
        .await;
    (company, accounting)
}

/// The merchant opens the connection's `linkUrl`, picks `tenant` (an id, or `new`) on the
/// platform's consent page and allows access; lands on our page saying it is connected.
pub async fn consent(server: &Server, link_url: &str, tenant: &str) {
    let to_platform = location(&server.http.get(link_url).send().await.unwrap());
    let authorize = Url::parse(&to_platform).unwrap();
    let page = server.http.get(authorize.clone()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the consent page");
    let mut form: HashMap<String, String> = authorize.query_pairs().into_owned().collect();
    form.insert("decision".into(), "allow".into());
    form.insert("tenant".into(), tenant.into());
    let mut post_to = authorize;
    post_to.set_query(None);
    let back = location(&server.http.post(post_to).form(&form).send().await.unwrap());
    let landed = server.http.get(back).send().await.unwrap();
    let status = landed.status();
    let text = landed.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("Connected to"), "{text}");
}

/// Waits until the books are read: the configuration answers 200 (409 with Retry-After
/// while the read runs).
pub async fn offered(server: &Server, company: &str) -> Value {
    let path = format!("/config/companies/{company}/sync/commerce");
    server
        .wait_for(&path, |status, body| {
            assert!(
                status == StatusCode::OK || body["code"] == "reference_data_reading",
                "{status} {body}"
            );
            status == StatusCode::OK
        })
        .await
}

/// The id of the option called `name` in `options` (accounts, tax rates, contacts).
pub fn by_name(options: &Value, name: &str) -> String {
    let list = options
        .as_array()
        .unwrap_or_else(|| panic!("no options: {options}"));
    list.iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{name:?} is not offered among {options}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Chooses the account called `name` for slot `key` of `section`.
pub fn choose_account(doc: &mut Value, section: &str, key: &str, name: &str) {
    let slot = &mut doc["configuration"][section]["accounts"][key];
    let id = by_name(&slot["accountOptions"], name);
    slot["selectedAccountId"] = json!(id);
}

/// Chooses the tax rate called `name` for the percentage slot `key`.
pub fn choose_tax_rate(doc: &mut Value, key: &str, name: &str) {
    let slot = &mut doc["configuration"]["sales"]["taxRates"][key];
    let id = by_name(&slot["taxRateOptions"], name);
    slot["selectedTaxRateId"] = json!(id);
}

/// Turns sales, payments and fees on and schedules daily syncs from today (a start date
/// cannot be back-dated; the past week is synced with `historic`).
pub fn sync_everything(doc: &mut Value, zone: &str) {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get(zone).unwrap())
        .date();
    doc["enable"] = json!(true);
    doc["schedule"]["startDate"] = json!(today.to_string());
    doc["schedule"]["timeZone"] = json!(zone);
    doc["schedule"]["syncHour"] = json!(2);
    doc["schedule"]["selectedFrequency"] = json!("Daily");
    let c = &mut doc["configuration"];
    c["sales"]["syncSales"] = json!(true);
    c["payments"]["syncPayments"] = json!(true);
    c["fees"]["syncFees"] = json!(true);
}

/// Pushes the week over the data API and waits until each dataset is stored.
pub async fn push_week(server: &Server, company: &str, week: &Week) {
    for (kind, key, records) in [
        ("commerce-orders", "orders", &week.orders),
        ("commerce-payments", "payments", &week.payments),
        ("commerce-transactions", "transactions", &week.transactions),
    ] {
        let path = format!("/companies/{company}/data/{kind}");
        let dataset = server
            .ok(Method::POST, &path, Some(&json!({ key: records })))
            .await;
        let id = dataset["datasetId"].as_str().unwrap();
        let status = server
            .wait_for(
                &format!("/meta/companies/{company}/pull/history/{id}"),
                |_, d| d["isCompleted"] == true || d["isErrored"] == true,
            )
            .await;
        assert_eq!(status["status"], "Complete", "{status}");
        assert_eq!(
            status["counts"]["rejected"].as_u64().unwrap_or(0),
            0,
            "{status}"
        );
    }
}

/// Syncs the past week (`historic`, from its first day's sync hour to the day after its
/// last) and waits for the outcome.
pub async fn sync_week(server: &Server, company: &str, zone: &str) -> Value {
    let first: jiff::civil::Date = FIRST_DAY.parse().unwrap();
    let zone = jiff::tz::TimeZone::get(zone).unwrap();
    let at_sync_hour = |date: jiff::civil::Date| {
        date.at(2, 0, 0, 0)
            .to_zoned(zone.clone())
            .unwrap()
            .timestamp()
            .to_string()
    };
    let after = first.checked_add(jiff::Span::new().days(DAYS)).unwrap();
    let range = json!({"dateRange": {"start": at_sync_hour(first), "finish": at_sync_hour(after)}});
    let sync = server
        .ok(
            Method::POST,
            &format!("/meta/companies/{company}/sync/commerce/historic"),
            Some(&range),
        )
        .await;
    let id = sync["syncId"].as_str().unwrap();
    server
        .wait_for(
            &format!("/companies/{company}/sync/commerce/syncs/{id}/status"),
            |_, s| s["syncStatusCode"].as_u64().is_some_and(|c| c >= 2000),
        )
        .await
}

/// What a merchant picks, every option by its name in the books.
#[derive(Default)]
pub struct Choices<'a> {
    /// (section, slot, account name)
    pub accounts: &'a [(&'a str, &'a str, &'a str)],
    /// (percentage slot, tax rate name)
    pub tax_rates: &'a [(&'a str, &'a str)],
    pub customer: Option<&'a str>,
    pub supplier: Option<&'a str>,
    /// The zero rate for untaxed lines (tips).
    pub zero_rate: Option<&'a str>,
}

/// A GB merchant's choices in the Xero sandbox's demo books, once the journey has made the
/// PayPal account, the "Commerce Sales" customer and the "Stripe Payments UK" supplier.
pub const XERO_GB: Choices<'static> = Choices {
    accounts: &[
        ("sales", "sales", "Sales"),
        ("sales", "refund", "Sales Refunds"),
        ("sales", "gratuity", "Gratuities Payable"),
        ("payments", "card", "Card Clearing"),
        ("payments", "cash", "Cash Takings"),
        ("payments", "paypal", "PayPal"),
        ("payments", "payout", "Business Bank Account"),
        ("fees", "paymentFee", "Payment Processing Fees"),
    ],
    tax_rates: &[
        ("20", "20% (VAT on Income)"),
        ("5", "5% (VAT on Income)"),
        ("0", "Zero Rated Income"),
    ],
    customer: Some("Commerce Sales"),
    supplier: Some("Stripe Payments UK"),
    zero_rate: Some("Zero Rated Income"),
};

/// Makes every choice in `doc` by name, as a merchant would, then turns syncing on.
pub fn choose(doc: &mut Value, choices: &Choices, zone: &str) {
    for (section, key, name) in choices.accounts {
        choose_account(doc, section, key, name);
    }
    for (key, name) in choices.tax_rates {
        choose_tax_rate(doc, key, name);
    }
    let sales = &mut doc["configuration"]["sales"];
    if let Some(name) = choices.customer {
        let id = by_name(&sales["salesCustomer"]["customerOptions"], name);
        sales["salesCustomer"]["selectedCustomerId"] = json!(id);
    }
    if let Some(name) = choices.zero_rate {
        let id = by_name(&sales["newTaxRates"]["defaultZeroTaxRateOptions"], name);
        sales["newTaxRates"]["selectedDefaultZeroTaxRateId"] = json!(id);
    }
    if let Some(name) = choices.supplier {
        let fees = &mut doc["configuration"]["fees"]["feesSupplier"];
        fees["selectedSupplierId"] = json!(by_name(&fees["supplierOptions"], name));
    }
    sync_everything(doc, zone);
}

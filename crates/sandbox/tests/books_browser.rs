//! The books pages in a real headless Chromium: no serious or critical accessibility
//! violations (axe-core) on a desktop and on a phone, no sideways scrolling of the page on the
//! phone, and the screenshots the docs show (docs/screenshots/sandbox-books*.png).
//! Skips loudly without Chromium (fails under CI=true).
mod common;

use serde_json::json;
use std::path::PathBuf;
use testkit::browser::{Browser, DESKTOP, PHONE, Viewport};

fn screenshot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../docs/screenshots/{name}"))
}

/// A Xero tenant with a day of sales, its payment and a fee, as the docs show it.
async fn books_with_a_sales_day(app: &common::App) -> common::Tenant {
    let t = app
        .tenant(
            "xero",
            json!({"name": "Corner Bakery Ltd", "country": "GB"}),
        )
        .await;
    let (_, _, contacts) = app.xero(&t, "GET", "Contacts", None, None).await;
    let customer = contacts["Contacts"][0]["ContactID"].as_str().unwrap();
    let (status, _, inv) = app
        .xero(&t, "PUT", "Invoices", Some(json!({"Invoices": [{
            "Type": "ACCREC", "Contact": {"ContactID": customer}, "Date": "2026-11-25",
            "Status": "AUTHORISED", "Reference": "cs:bakery:2026-11-25:sales",
            "LineItems": [
                {"Description": "Bread and cakes", "LineAmount": 410.50, "AccountCode": "200", "TaxType": "ZERORATEDOUTPUT"},
                {"Description": "Coffee", "LineAmount": 96.25, "AccountCode": "200", "TaxType": "OUTPUT2"},
                {"Description": "Tips", "LineAmount": 12, "AccountCode": "830", "TaxType": "NONE"},
            ]}]})), None)
        .await;
    assert_eq!(status, 200, "{inv}");
    let inv = &inv["Invoices"][0];
    let (status, _, p) = app
        .xero(
            &t,
            "PUT",
            "Payments",
            Some(json!({"Invoice": {"InvoiceID": inv["InvoiceID"]},
            "Account": {"Code": "091"}, "Amount": inv["Total"], "Date": "2026-11-25",
            "Reference": "card takings"})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{p}");
    let (status, _, bt) = app
        .xero(&t, "PUT", "BankTransactions", Some(json!({"BankTransactions": [{"Type": "SPEND",
            "Contact": {"ContactID": customer}, "BankAccount": {"Code": "091"}, "Date": "2026-11-25",
            "LineAmountTypes": "NoTax", "Reference": "card fees",
            "LineItems": [{"Description": "Card fees", "LineAmount": 7.61, "AccountCode": "404"}]}]})), None)
        .await;
    assert_eq!(status, 200, "{bt}");
    t
}

async fn check(url: &str, viewport: Viewport, what: &str, shot: Option<&str>) {
    let Some(browser) = Browser::start(viewport, what).await else {
        return;
    };
    browser.goto(url).await;
    let title = browser.client.title().await.unwrap();
    assert!(!title.is_empty(), "{what}: the page has a title");
    browser.assert_accessible(what).await;
    // The page itself never scrolls sideways; wide tables scroll inside their own box.
    let overflow = browser
        .client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "{what}: the page is {overflow} px wider than the window"
    );
    if let Some(name) = shot {
        browser.screenshot(&screenshot(name)).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn books_pages_pass_axe_on_desktop_and_phone() {
    let app = common::spawn().await;
    let t = books_with_a_sales_day(&app).await;
    let books = format!("{}/xero/_control/tenants/{}/books.html", app.base, t.id);
    check(
        &books,
        DESKTOP,
        "sandbox books page (desktop)",
        Some("sandbox-books.png"),
    )
    .await;
    check(
        &books,
        PHONE,
        "sandbox books page (phone)",
        Some("sandbox-books-phone.png"),
    )
    .await;
    let index = format!("{}/xero/_control/tenants.html", app.base);
    check(&index, PHONE, "sandbox tenants page (phone)", None).await;
}

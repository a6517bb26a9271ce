//! The read-only books pages (issue #14): documents written through the sandboxes' own APIs
//! show up in the tables, and the trial balance adds up to what Xero and QuickBooks would post.
mod common;

use serde_json::json;

async fn page(app: &common::App, path: &str) -> (u16, String, String) {
    let r = app
        .http
        .get(format!("{}/{path}", app.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, r.text().await.unwrap())
}

/// The text of the trial balance row whose header is `account`: its cells, tags stripped.
fn row(html: &str, account: &str) -> Vec<String> {
    let start = html
        .find(&format!("<th scope=\"row\">{account}</th>"))
        .unwrap_or_else(|| panic!("no trial balance row {account:?} in\n{html}"));
    let end = start + html[start..].find("</tr>").unwrap();
    html[start..end]
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn xero_books_page_shows_documents_and_a_balanced_trial_balance() {
    let app = common::spawn().await;
    let t = app
        .tenant(
            "xero",
            json!({"name": "Fish & <Chips> Ltd", "country": "GB"}),
        )
        .await;
    let (_, _, contacts) = app
        .xero(
            &t,
            "GET",
            "Contacts?where=Name==\"Commerce Sales\"",
            None,
            None,
        )
        .await;
    let customer = contacts["Contacts"][0]["ContactID"].as_str().unwrap();
    // A sale of 100 + 20% VAT and a 5 gratuity: 125.00.
    let (status, _, inv) = app
        .xero(&t, "PUT", "Invoices", Some(json!({"Invoices": [{
            "Type": "ACCREC", "Contact": {"ContactID": customer}, "Date": "2026-11-25",
            "Status": "AUTHORISED", "Reference": "day <1>", "LineAmountTypes": "Exclusive",
            "LineItems": [
                {"Description": "Sales", "LineAmount": 100, "AccountCode": "200", "TaxType": "OUTPUT2"},
                {"Description": "Gratuity", "LineAmount": 5, "AccountCode": "830", "TaxType": "NONE"},
            ]}]})), None)
        .await;
    assert_eq!(status, 200, "{inv}");
    let inv_id = inv["Invoices"][0]["InvoiceID"].as_str().unwrap();
    let (status, _, p) = app
        .xero(
            &t,
            "PUT",
            "Payments",
            Some(json!({"Invoice": {"InvoiceID": inv_id},
            "Account": {"Code": "091"}, "Amount": 125, "Date": "2026-11-25"})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{p}");
    let (status, _, bt) = app
        .xero(&t, "PUT", "BankTransactions", Some(json!({"BankTransactions": [{"Type": "SPEND",
            "Contact": {"ContactID": customer}, "BankAccount": {"Code": "091"}, "Date": "2026-11-25",
            "LineAmountTypes": "Inclusive", "Reference": "fees",
            "LineItems": [{"Description": "Fees", "LineAmount": 12, "AccountCode": "429", "TaxType": "INPUT2"}]}]})), None)
        .await;
    assert_eq!(status, 200, "{bt}");
    // A draft posts nothing but is listed.
    let (status, _, draft) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(json!({"Invoices": [{"Type": "ACCREC",
            "Contact": {"ContactID": customer}, "Status": "DRAFT", "Reference": "draft",
            "LineItems": [{"Description": "x", "LineAmount": 999, "AccountCode": "200"}]}]})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{draft}");

    let (status, kind, html) =
        page(&app, &format!("xero/_control/tenants/{}/books.html", t.id)).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "text/html; charset=utf-8");
    // Text is escaped, never markup.
    assert!(html.contains("Fish &amp; &lt;Chips&gt; Ltd"), "{html}");
    assert!(html.contains("day &lt;1&gt;"));
    assert!(!html.contains("<Chips>"));
    assert!(html.contains("Balanced: 3 posted documents"), "{html}");
    // Invoice: AR 125 Dr; Sales 100, VAT 20, Gratuities 5 Cr. Payment: Card Clearing 125 Dr,
    // AR 125 Cr. Spend 12 incl. 2 VAT: General Expenses 10, VAT 2 Dr; Card Clearing 12 Cr.
    assert_eq!(
        row(&html, "610 Accounts Receivable"),
        ["125.00", "125.00", "0.00"]
    );
    assert_eq!(row(&html, "200 Sales"), ["0.00", "100.00", "100.00 Cr"]);
    assert_eq!(row(&html, "820 VAT"), ["2.00", "20.00", "18.00 Cr"]);
    assert_eq!(
        row(&html, "830 Gratuities Payable"),
        ["0.00", "5.00", "5.00 Cr"]
    );
    assert_eq!(
        row(&html, "091 Card Clearing"),
        ["125.00", "12.00", "113.00 Dr"]
    );
    assert_eq!(
        row(&html, "429 General Expenses"),
        ["10.00", "0.00", "10.00 Dr"]
    );
    assert_eq!(row(&html, "Total"), ["262.00", "262.00", "0.00"]);
    // Every document type written has its table, with the documents in it.
    for caption in [
        "Invoices and bills (2)",
        "Payments (1)",
        "Bank transactions (1)",
    ] {
        assert!(html.contains(caption), "{caption} missing");
    }
    // The draft: 999 + 20% VAT from the account's default tax rate.
    assert!(html.contains("INV-0001") && html.contains("DRAFT") && html.contains("1198.80"));
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("<caption>"));
    assert!(!html.contains("style="), "no inline styles");

    let (status, kind, css) = page(&app, "xero/_control/books.css").await;
    assert_eq!((status, kind.as_str()), (200, "text/css; charset=utf-8"));
    assert!(css.contains("@media"));

    let (status, _, index) = page(&app, "xero/_control/tenants.html").await;
    assert_eq!(status, 200);
    assert!(index.contains(&format!("href=\"tenants/{}/books.html\"", t.id)));

    let (status, _, missing) = page(&app, "xero/_control/tenants/nope/books.html").await;
    assert_eq!(status, 404);
    assert!(missing.contains("No such tenant"));
}

#[tokio::test]
async fn quickbooks_books_page_balances_sales_tax_payments_and_fees() {
    let app = common::spawn().await;
    let t = app
        .tenant("quickbooks", json!({"name": "Taco Stand", "country": "US"}))
        .await;
    // 100 taxable at 8.875% (8.88) + 5 not taxable: 113.88.
    let (status, _, inv) = app
        .qbo(&t, "POST", "invoice", Some(json!({"CustomerRef": {"value": "1"}, "TxnDate": "2026-11-25", "DocNumber": "cs-1",
            "Line": [
                {"Amount": 100, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "TAX"}}},
                {"Amount": 5, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "3"}, "TaxCodeRef": {"value": "NON"}}},
            ]})))
        .await;
    assert_eq!(status, 200, "{inv}");
    let inv_id = inv["Invoice"]["Id"].as_str().unwrap();
    let (status, _, p) = app
        .qbo(
            &t,
            "POST",
            "payment",
            Some(
                json!({"CustomerRef": {"value": "1"}, "TotalAmt": 113.88, "TxnDate": "2026-11-25",
            "Line": [{"Amount": 113.88, "LinkedTxn": [{"TxnId": inv_id, "TxnType": "Invoice"}]}]}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{p}");
    let pay_id = p["Payment"]["Id"].as_str().unwrap();
    // Banked from Undeposited Funds with a 3.88 fee line.
    let (status, _, dep) = app
        .qbo(&t, "POST", "deposit", Some(json!({"DepositToAccountRef": {"value": "1"}, "TxnDate": "2026-11-26",
            "Line": [
                {"Amount": 113.88, "LinkedTxn": [{"TxnId": pay_id, "TxnType": "Payment"}]},
                {"Amount": -3.88, "DetailType": "DepositLineDetail", "DepositLineDetail": {"AccountRef": {"value": "14"}}},
            ]})))
        .await;
    assert_eq!(status, 200, "{dep}");
    let (status, _, je) = app
        .qbo(&t, "POST", "journalentry", Some(json!({"TxnDate": "2026-11-26", "PrivateNote": "tips paid out", "Line": [
            {"Amount": 5, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "11"}}},
            {"Amount": 5, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "1"}}}]})))
        .await;
    assert_eq!(status, 200, "{je}");

    let (status, _, html) = page(
        &app,
        &format!("quickbooks/_control/tenants/{}/books.html", t.id),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Balanced: 4 posted documents"), "{html}");
    assert_eq!(
        row(&html, "1100 Accounts Receivable (A/R)"),
        ["113.88", "113.88", "0.00"]
    );
    assert_eq!(row(&html, "4000 Sales"), ["0.00", "100.00", "100.00 Cr"]);
    assert_eq!(
        row(&html, "2100 Gratuity Liability"),
        ["5.00", "5.00", "0.00"]
    );
    assert_eq!(
        row(&html, "2200 Sales Tax Payable"),
        ["0.00", "8.88", "8.88 Cr"]
    );
    assert_eq!(
        row(&html, "1200 Undeposited Funds"),
        ["113.88", "113.88", "0.00"]
    );
    assert_eq!(
        row(&html, "6000 Payment Processing Fees"),
        ["3.88", "0.00", "3.88 Dr"]
    );
    assert_eq!(row(&html, "1000 Checking"), ["110.00", "5.00", "105.00 Dr"]);
    assert_eq!(row(&html, "Total"), ["346.64", "346.64", "0.00"]);
    for caption in [
        "Invoices (1)",
        "Payments (1)",
        "Deposits (1)",
        "Journal entries (1)",
    ] {
        assert!(html.contains(caption), "{caption} missing");
    }
    assert!(html.contains("cs-1") && html.contains("tips paid out"));

    let (_, _, index) = page(&app, "quickbooks/_control/tenants.html").await;
    assert!(index.contains("Taco Stand"));
}

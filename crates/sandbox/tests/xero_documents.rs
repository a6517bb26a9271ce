//! Every Xero document kind written over HTTP and read back, with Xero's arithmetic.
mod common;

use common::amount;
use serde_json::{Value, json};

async fn contact_id(app: &common::App, t: &common::Tenant, name: &str) -> String {
    let (_, _, v) = app
        .xero(
            t,
            "GET",
            &format!("Contacts?where=Name==\"{name}\""),
            None,
            None,
        )
        .await;
    v["Contacts"][0]["ContactID"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sales_day_invoice_payments_credit_note_and_lookup() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({"country": "GB"})).await;
    let customer = contact_id(&app, &t, "Commerce Sales").await;
    let invoice = json!({"Invoices": [{
        "Type": "ACCREC",
        "Contact": {"ContactID": customer},
        "Date": "2026-11-25",
        "DueDate": "2026-11-25",
        "Status": "AUTHORISED",
        "Reference": "cs:company-1:2026-11-25:sales:1",
        "LineAmountTypes": "Exclusive",
        "LineItems": [
            {"Description": "Sales at 20%", "Quantity": 1, "UnitAmount": 100.05, "AccountCode": "200", "TaxType": "OUTPUT2"},
            {"Description": "Sales at 5%", "LineAmount": 10.10, "AccountCode": "200", "TaxType": "RROUTPUT"},
            {"Description": "Gratuity", "LineAmount": 5, "AccountCode": "830", "TaxType": "NONE"},
        ],
    }]});
    let (status, _, v) = app.xero(&t, "PUT", "Invoices", Some(invoice), None).await;
    assert_eq!(status, 200, "{v}");
    let inv = &v["Invoices"][0];
    // Tax per line at 2 dp: 20.01 + 0.51 (0.505 rounds half away from zero).
    assert_eq!(amount(&inv["SubTotal"]), "115.15");
    assert_eq!(amount(&inv["TotalTax"]), "20.52");
    assert_eq!(amount(&inv["Total"]), "135.67");
    assert_eq!(inv["InvoiceNumber"], "INV-0001");
    assert!(inv["Date"].as_str().unwrap().starts_with("/Date("));
    let id = inv["InvoiceID"].as_str().unwrap().to_owned();

    // Look-ups by our key: where on Reference, InvoiceNumbers, and by id or number.
    let (_, _, found) = app
        .xero(
            &t,
            "GET",
            "Invoices?where=Reference%3D%3D%22cs%3Acompany-1%3A2026-11-25%3Asales%3A1%22",
            None,
            None,
        )
        .await;
    assert_eq!(found["Invoices"].as_array().unwrap().len(), 1);
    assert_eq!(found["Invoices"][0]["InvoiceID"], id.as_str());
    let (_, _, none) = app
        .xero(
            &t,
            "GET",
            "Invoices?where=Reference%3D%3D%22other%22",
            None,
            None,
        )
        .await;
    assert!(none["Invoices"].as_array().unwrap().is_empty());
    let (_, _, by_number) = app
        .xero(&t, "GET", "Invoices?InvoiceNumbers=INV-0001", None, None)
        .await;
    assert_eq!(by_number["Invoices"][0]["InvoiceID"], id.as_str());
    assert_eq!(
        app.xero(&t, "GET", "Invoices/INV-0001", None, None).await.0,
        200
    );
    assert_eq!(
        app.xero(&t, "GET", &format!("Invoices/{id}"), None, None)
            .await
            .0,
        200
    );
    assert_eq!(
        app.xero(&t, "GET", "Invoices/nope", None, None).await.0,
        404
    );

    // Card payment to the clearing bank account, cash to a current account with payments on.
    let pay = |code: &str, amt: &str| {
        json!({"Payments": [{"Invoice": {"InvoiceID": id}, "Account": {"Code": code}, "Date": "2026-11-25",
            "Amount": serde_json::from_str::<Value>(amt).unwrap(), "Reference": "card"}]})
    };
    let (status, _, p) = app
        .xero(&t, "PUT", "Payments", Some(pay("091", "100.00")), None)
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["Payments"][0]["PaymentType"], "ACCRECPAYMENT");
    let (status, _, p2) = app
        .xero(&t, "PUT", "Payments", Some(pay("092", "35.67")), None)
        .await;
    assert_eq!(status, 200, "{p2}");
    let (_, _, after) = app
        .xero(&t, "GET", &format!("Invoices/{id}"), None, None)
        .await;
    assert_eq!(after["Invoices"][0]["Status"], "PAID");
    assert_eq!(amount(&after["Invoices"][0]["AmountDue"]), "0.00");
    assert_eq!(amount(&after["Invoices"][0]["AmountPaid"]), "135.67");

    // Undo: delete the cash payment; the invoice is open again and cannot be voided until the
    // card payment goes too.
    let cash_id = p2["Payments"][0]["PaymentID"].as_str().unwrap().to_owned();
    let (status, _, del) = app
        .xero(
            &t,
            "POST",
            &format!("Payments/{cash_id}"),
            Some(json!({"Status": "DELETED"})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{del}");
    assert_eq!(del["Payments"][0]["Status"], "DELETED");
    let (_, _, reopened) = app
        .xero(&t, "GET", &format!("Invoices/{id}"), None, None)
        .await;
    assert_eq!(reopened["Invoices"][0]["Status"], "AUTHORISED");
    assert_eq!(amount(&reopened["Invoices"][0]["AmountDue"]), "35.67");
    let void = json!({"InvoiceID": id, "Status": "VOIDED"});
    let (status, _, refused) = app
        .xero(&t, "POST", "Invoices", Some(void.clone()), None)
        .await;
    assert_eq!(status, 400, "{refused}");
    let card_id = p["Payments"][0]["PaymentID"].as_str().unwrap().to_owned();
    let (status, _, _) = app
        .xero(
            &t,
            "POST",
            &format!("Payments/{card_id}"),
            Some(json!({"Status": "DELETED"})),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _, voided) = app.xero(&t, "POST", "Invoices", Some(void), None).await;
    assert_eq!(status, 200, "{voided}");
    assert_eq!(voided["Invoices"][0]["Status"], "VOIDED");

    // A second invoice, partly settled by a credit note allocation, and a refund credit note.
    let (_, _, v) = app
        .xero(&t, "PUT", "Invoices", Some(json!({"Type": "ACCREC", "Contact": {"ContactID": customer}, "Status": "AUTHORISED",
            "Date": "2026-11-26", "LineItems": [{"Description": "x", "LineAmount": 50, "AccountCode": "200", "TaxType": "NONE"}]})), None)
        .await;
    let inv2 = v["Invoices"][0]["InvoiceID"].as_str().unwrap().to_owned();
    let (status, _, cn) = app
        .xero(&t, "PUT", "CreditNotes", Some(json!({"CreditNotes": [{"Type": "ACCRECCREDIT", "Contact": {"ContactID": customer},
            "Status": "AUTHORISED", "Date": "2026-11-26", "Reference": "refunds",
            "LineItems": [{"Description": "Refunds at 20%", "LineAmount": 20, "AccountCode": "210", "TaxType": "OUTPUT2"}]}]})), None)
        .await;
    assert_eq!(status, 200, "{cn}");
    let cn = &cn["CreditNotes"][0];
    assert_eq!(amount(&cn["Total"]), "24.00");
    assert_eq!(cn["CreditNoteNumber"], "CN-0001");
    let cn_id = cn["CreditNoteID"].as_str().unwrap().to_owned();
    let (status, _, al) = app
        .xero(&t, "PUT", &format!("CreditNotes/{cn_id}/Allocations"),
            Some(json!({"Allocations": [{"Invoice": {"InvoiceID": inv2}, "Amount": 14, "Date": "2026-11-26"}]})), None)
        .await;
    assert_eq!(status, 200, "{al}");
    // The rest of the credit is refunded in cash.
    let (status, _, refund) = app
        .xero(&t, "PUT", "Payments", Some(json!({"CreditNote": {"CreditNoteID": cn_id}, "Account": {"Code": "092"}, "Amount": 10, "Date": "2026-11-26"})), None)
        .await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(refund["Payments"][0]["PaymentType"], "ARCREDITPAYMENT");
    let (_, _, cn_after) = app
        .xero(&t, "GET", &format!("CreditNotes/{cn_id}"), None, None)
        .await;
    assert_eq!(cn_after["CreditNotes"][0]["Status"], "PAID");
    let (_, _, inv2_after) = app
        .xero(&t, "GET", &format!("Invoices/{inv2}"), None, None)
        .await;
    assert_eq!(amount(&inv2_after["Invoices"][0]["AmountDue"]), "36.00");
    assert_eq!(
        amount(&inv2_after["Invoices"][0]["AmountCredited"]),
        "14.00"
    );
}

#[tokio::test]
async fn fees_bill_bank_transactions_transfer_and_journal() {
    let app = common::spawn().await;
    let t = app.tenant("xero", json!({})).await;
    let supplier = contact_id(&app, &t, "Payment Processor Ltd").await;
    let (status, _, bill) = app
        .xero(
            &t,
            "PUT",
            "Invoices",
            Some(
                json!({"Type": "ACCPAY", "Contact": {"ContactID": supplier}, "Status": "AUTHORISED",
            "Date": "2026-11-25", "InvoiceNumber": "fees-2026-11-25", "LineAmountTypes": "NoTax",
            "LineItems": [{"Description": "Card fees", "LineAmount": 3.21, "AccountCode": "404"}]}),
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{bill}");
    let bill_id = bill["Invoices"][0]["InvoiceID"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, p) = app
        .xero(&t, "PUT", "Payments", Some(json!({"Invoice": {"InvoiceID": bill_id}, "Account": {"Code": "091"}, "Amount": 3.21, "Date": "2026-11-25"})), None)
        .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["Payments"][0]["PaymentType"], "ACCPAYPAYMENT");

    let (status, _, fee_cn) = app
        .xero(&t, "PUT", "CreditNotes", Some(json!({"Type": "ACCPAYCREDIT", "Contact": {"ContactID": supplier}, "Status": "AUTHORISED",
            "Date": "2026-11-25", "LineAmountTypes": "NoTax", "LineItems": [{"Description": "Fee refund", "LineAmount": 1, "AccountCode": "270"}]})), None)
        .await;
    assert_eq!(status, 200, "{fee_cn}");

    for kind in ["SPEND", "RECEIVE"] {
        let (status, _, bt) = app
            .xero(&t, "PUT", "BankTransactions", Some(json!({"BankTransactions": [{"Type": kind, "Contact": {"ContactID": supplier},
                "BankAccount": {"Code": "091"}, "Date": "2026-11-25", "LineAmountTypes": "NoTax",
                "LineItems": [{"Description": "fees", "LineAmount": 2.5, "AccountCode": if kind == "SPEND" { "404" } else { "270" }}]}]})), None)
            .await;
        assert_eq!(status, 200, "{bt}");
        assert_eq!(amount(&bt["BankTransactions"][0]["Total"]), "2.50");
    }
    let (status, _, tr) = app
        .xero(&t, "PUT", "BankTransfers", Some(json!({"BankTransfers": [{"FromBankAccount": {"Code": "091"}, "ToBankAccount": {"Code": "090"},
            "Amount": 120.5, "Date": "2026-11-26"}]})), None)
        .await;
    assert_eq!(status, 200, "{tr}");
    assert_eq!(amount(&tr["BankTransfers"][0]["Amount"]), "120.50");

    let (status, _, mj) = app
        .xero(&t, "PUT", "ManualJournals", Some(json!({"ManualJournals": [{"Narration": "Sales 2026-11-25", "Date": "2026-11-25", "Status": "POSTED",
            "JournalLines": [
                {"LineAmount": 1250, "AccountCode": "092"},
                {"LineAmount": -1000, "AccountCode": "200"},
                {"LineAmount": -50, "AccountCode": "830"},
                {"LineAmount": -200, "AccountCode": "820"},
            ]}]})), None)
        .await;
    assert_eq!(status, 200, "{mj}");
    assert_eq!(mj["ManualJournals"][0]["Status"], "POSTED");

    let books = app.books("xero", &t.id).await;
    for (kind, n) in [
        ("Invoices", 1),
        ("CreditNotes", 1),
        ("Payments", 1),
        ("BankTransactions", 2),
        ("BankTransfers", 1),
        ("ManualJournals", 1),
    ] {
        assert_eq!(books[kind].as_array().map(Vec::len), Some(n), "{kind}");
    }
    assert!(books["Accounts"].as_array().unwrap().len() > 10);

    // Accounts: create one from the flow, then archive it.
    let (status, _, acc) = app
        .xero(&t, "PUT", "Accounts", Some(json!({"Code": "205", "Name": "Online Sales", "Type": "REVENUE", "TaxType": "OUTPUT2"})), None)
        .await;
    assert_eq!(status, 200, "{acc}");
    let acc_id = acc["Accounts"][0]["AccountID"].as_str().unwrap().to_owned();
    let (status, _, dup) = app
        .xero(
            &t,
            "PUT",
            "Accounts",
            Some(json!({"Code": "205", "Name": "Other", "Type": "REVENUE"})),
            None,
        )
        .await;
    assert_eq!(status, 400);
    assert!(common::xero_messages(&dup).contains(&"Please enter a unique Code.".to_owned()));
    let (status, _, archived) = app
        .xero(
            &t,
            "POST",
            &format!("Accounts/{acc_id}"),
            Some(json!({"Status": "ARCHIVED"})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{archived}");
    let (_, _, list) = app
        .xero(
            &t,
            "GET",
            "Accounts?where=Status%3D%3D%22ACTIVE%22",
            None,
            None,
        )
        .await;
    assert!(
        list["Accounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["Code"] != "205" && a["Code"] != "250")
    );
    let (_, _, rates) = app.xero(&t, "GET", "TaxRates", None, None).await;
    assert!(
        rates["TaxRates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["TaxType"] == "OUTPUT2")
    );
    let (_, _, tc) = app.xero(&t, "GET", "TrackingCategories", None, None).await;
    assert_eq!(tc["TrackingCategories"][0]["Name"], "Location");
}

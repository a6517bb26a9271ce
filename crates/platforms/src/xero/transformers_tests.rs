//! Shapes the schema cannot see: where our key goes, signs, statuses and exact amounts.
use super::*;
use domain::documents::{DocumentKey, Tracking};
use serde_json::json;

fn key(kind: DocumentKind) -> DocumentKey {
    DocumentKey {
        company_id: "co".into(),
        period: "2026-11-25".into(),
        group: "GBP".into(),
        kind,
        revision: 0,
    }
}

fn doc(kind: DocumentKind) -> Document {
    Document {
        kind,
        key: key(kind),
        date: "2026-11-25".parse().unwrap(),
        currency: "GBP".parse().unwrap(),
        contact_id: Some("c1".into()),
        status: Some(DocumentStatus::Submitted),
        total: None,
        lines: vec![Line {
            account_id: "a1".into(),
            tax_rate_id: Some("OUTPUT2".into()),
            description: "Sales 20%".into(),
            net_amount: Some(Decimal::new(10005, 2)),
            tax_amount: Some(Decimal::new(2001, 2)),
            tracking: Some(Tracking {
                location_id: Some("High Street".into()),
            }),
            ..Line::default()
        }],
        account_id: Some("bank".into()),
        amount: Some(Decimal::new(-1250, 2)),
        applies_to: None,
    }
}

#[test]
fn sales_documents_carry_the_key_in_reference_and_bills_in_their_number() {
    let options = Options::default();
    let inv = request(&doc(DocumentKind::Invoice), None, &options).unwrap();
    let body = &inv.body["Invoices"][0];
    assert_eq!(body["Reference"], "cs:co:2026-11-25:GBP:invoice:r0");
    assert!(body.get("InvoiceNumber").is_none());
    assert_eq!(body["Status"], "AUTHORISED");
    assert_eq!(body["LineItems"][0]["UnitAmount"].to_string(), "100.05");
    assert_eq!(body["LineItems"][0]["TaxAmount"].to_string(), "20.01");
    assert!(body["LineItems"][0].get("Tracking").is_none());

    let bill = request(&doc(DocumentKind::Bill), None, &options).unwrap();
    assert_eq!(bill.body["Invoices"][0]["Type"], "ACCPAY");
    assert_eq!(
        bill.body["Invoices"][0]["InvoiceNumber"],
        "cs:co:2026-11-25:GBP:bill:r0"
    );
    let note = request(&doc(DocumentKind::BillCreditNote), None, &options).unwrap();
    assert_eq!(note.body["CreditNotes"][0]["Type"], "ACCPAYCREDIT");
    assert!(
        note.body["CreditNotes"][0]
            .get("CreditNoteNumber")
            .is_some()
    );
}

#[test]
fn payments_point_at_what_they_pay_and_refunds_at_credit_notes() {
    let options = Options::default();
    let mut p = doc(DocumentKind::Payment);
    p.amount = Some(Decimal::new(12006, 2));
    assert!(request(&p, None, &options).is_err(), "needs its invoice");
    let body = request(&p, Some("inv-id"), &options).unwrap().body;
    assert_eq!(
        body,
        json!({"Payments": [{"Invoice": {"InvoiceID": "inv-id"}, "Account": {"AccountID": "bank"},
            "Date": "2026-11-25", "Amount": 120.06, "Reference": "cs:co:2026-11-25:GBP:payment:r0"}]})
    );
    let r = request(&doc(DocumentKind::Refund), Some("cn-id"), &options).unwrap();
    assert_eq!(r.body["Payments"][0]["CreditNote"]["CreditNoteID"], "cn-id");
    assert!(r.body["Payments"][0].get("Invoice").is_none());
}

#[test]
fn bank_transactions_spend_when_negative_and_journals_sign_their_lines() {
    let options = Options {
        location_category: Some("Location".into()),
    };
    let spend = request(&doc(DocumentKind::BankTransaction), None, &options).unwrap();
    let bt = &spend.body["BankTransactions"][0];
    assert_eq!(bt["Type"], "SPEND");
    assert_eq!(
        bt["LineItems"][0]["Tracking"],
        json!([{"Name": "Location", "Option": "High Street"}])
    );
    let mut receive = doc(DocumentKind::BankTransaction);
    receive.amount = Some(Decimal::new(5, 0));
    let r = request(&receive, None, &options).unwrap();
    assert_eq!(r.body["BankTransactions"][0]["Type"], "RECEIVE");

    let mut je = doc(DocumentKind::JournalEntry);
    je.lines = vec![
        Line {
            account_id: "cash".into(),
            description: "Cash".into(),
            debit: Some(Decimal::new(1200, 0)),
            ..Line::default()
        },
        Line {
            account_id: "sales".into(),
            description: "Sales".into(),
            credit: Some(Decimal::new(1200, 0)),
            ..Line::default()
        },
    ];
    let body = request(&je, None, &options).unwrap().body;
    let mj = &body["ManualJournals"][0];
    assert_eq!(mj["Narration"], "cs:co:2026-11-25:GBP:journalEntry:r0");
    assert_eq!(mj["JournalLines"][0]["LineAmount"].to_string(), "1200");
    assert_eq!(mj["JournalLines"][1]["LineAmount"].to_string(), "-1200");
    assert_eq!(mj["Status"], "POSTED");
}

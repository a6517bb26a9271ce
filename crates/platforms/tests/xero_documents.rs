//! The Xero connector against the sandbox over HTTP: every document kind written and read back
//! from the books, found by its key, written once however often it is sent; reference data;
//! validation errors in the merchant's words.
mod common;

use common::{amount, document, line, money, with};
use domain::documents::DocumentKind;
use domain::reference_data::{AccountType, RecordStatus};
use platforms::{AccountPrototype, AccountingPlatform, PlatformError, Problem};

#[tokio::test]
async fn every_document_kind_lands_in_the_books_as_written_and_is_found_by_its_key() {
    use DocumentKind::*;
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let c = app.connector(&tenant, tenant.tokens.clone());
    let xero = &c.connector;

    let mut invoice = document(Invoice, "GBP");
    invoice.contact_id = Some(r.customer.clone());
    invoice.lines = vec![
        line(&r.account("200"), Some("OUTPUT2"), 10005, 2001),
        line(&r.account("200"), Some("RROUTPUT"), 1010, 51),
        line(&r.account("830"), Some("NONE"), 500, 0),
    ];
    let mut payment = document(Payment, "GBP/type=Card");
    payment.account_id = Some(r.account("091"));
    payment.amount = Some(money(13567));
    payment.applies_to = Some(invoice.key.clone());

    let mut credit_note = document(CreditNote, "GBP");
    credit_note.contact_id = Some(r.customer.clone());
    credit_note.lines = vec![line(&r.account("210"), Some("OUTPUT2"), 1000, 200)];
    let mut refund = document(Refund, "GBP/type=Cash");
    refund.account_id = Some(r.account("092"));
    refund.amount = Some(money(1200));
    refund.applies_to = Some(credit_note.key.clone());

    let mut bill = document(Bill, "GBP");
    bill.contact_id = Some(r.supplier.clone());
    bill.lines = vec![line(&r.account("404"), Some("NONE"), 321, 0)];
    let mut bill_payment = document(BillPayment, "GBP");
    bill_payment.account_id = Some(r.account("091"));
    bill_payment.amount = Some(money(321));
    bill_payment.applies_to = Some(bill.key.clone());

    let mut bill_credit = document(BillCreditNote, "GBP");
    bill_credit.contact_id = Some(r.supplier.clone());
    bill_credit.lines = vec![line(&r.account("270"), Some("NONE"), 45, 0)];
    let mut bill_refund = document(BillRefund, "GBP");
    bill_refund.account_id = Some(r.account("091"));
    bill_refund.amount = Some(money(45));
    bill_refund.applies_to = Some(bill_credit.key.clone());

    let spend = common::spend(&r, "GBP/fees", 250);
    let mut transfer = document(Transfer, "GBP/payout");
    transfer.account_id = Some(r.account("091"));
    transfer.amount = Some(money(9000));
    transfer.lines = vec![line(&r.account("090"), None, 9000, 0)];

    let mut journal = document(JournalEntry, "GBP");
    journal.lines = vec![
        domain::documents::Line {
            account_id: r.account("090"),
            description: "Cash".into(),
            debit: Some(money(12000)),
            ..Default::default()
        },
        domain::documents::Line {
            account_id: r.account("200"),
            description: "Sales".into(),
            credit: Some(money(12000)),
            ..Default::default()
        },
    ];

    let documents = [
        &invoice,
        &payment,
        &credit_note,
        &refund,
        &bill,
        &bill_payment,
        &bill_credit,
        &bill_refund,
        &spend,
        &transfer,
        &journal,
    ];
    let mut written = Vec::new();
    for d in documents {
        let w = xero
            .write(d)
            .await
            .unwrap_or_else(|e| panic!("{:?}: {e:?}", d.kind));
        assert_eq!(w.key, d.key.full());
        assert!(!w.platform_id.is_empty());
        written.push(w);
    }
    let mut kinds: Vec<_> = written.iter().map(|w| w.kind).collect();
    kinds.sort();
    assert_eq!(kinds, DocumentKind::ALL, "every kind is covered");

    let books = app.books(&tenant).await;
    // The invoice: our lines and tax, our key in Reference, paid by the card payment.
    let inv = with(&books, "Invoices", "InvoiceID", &written[0].platform_id)[0];
    assert_eq!(inv["Type"], "ACCREC");
    assert_eq!(inv["Reference"], invoice.key.full());
    assert_eq!(inv["Contact"]["ContactID"], r.customer.as_str());
    assert_eq!(amount(&inv["SubTotal"]), money(11515));
    assert_eq!(amount(&inv["TotalTax"]), money(2052));
    assert_eq!(amount(&inv["Total"]), money(13567));
    assert_eq!(inv["Status"], "PAID");
    assert_eq!(inv["LineItems"][1]["AccountID"], r.account("200").as_str());
    assert_eq!(inv["LineItems"][1]["TaxType"], "RROUTPUT");
    assert_eq!(written[0].total, Some(money(13567)));

    let pay = with(&books, "Payments", "PaymentID", &written[1].platform_id)[0];
    assert_eq!(pay["Invoice"]["InvoiceID"], written[0].platform_id.as_str());
    assert_eq!(pay["Account"]["AccountID"], r.account("091").as_str());
    assert_eq!(amount(&pay["Amount"]), money(13567));
    assert_eq!(pay["Reference"], payment.key.full());

    let cn = with(
        &books,
        "CreditNotes",
        "CreditNoteID",
        &written[2].platform_id,
    )[0];
    assert_eq!(cn["Type"], "ACCRECCREDIT");
    assert_eq!(amount(&cn["Total"]), money(1200));
    assert_eq!(cn["Status"], "PAID", "refunded in full");
    let rf = with(&books, "Payments", "PaymentID", &written[3].platform_id)[0];
    assert_eq!(
        rf["CreditNote"]["CreditNoteID"],
        written[2].platform_id.as_str()
    );
    assert_eq!(rf["PaymentType"], "ARCREDITPAYMENT");

    let b = with(&books, "Invoices", "InvoiceID", &written[4].platform_id)[0];
    assert_eq!(b["Type"], "ACCPAY");
    assert_eq!(b["InvoiceNumber"], bill.key.full());
    assert_eq!(b["Status"], "PAID");
    let bp = with(&books, "Payments", "PaymentID", &written[5].platform_id)[0];
    assert_eq!(bp["PaymentType"], "ACCPAYPAYMENT");
    let bc = with(
        &books,
        "CreditNotes",
        "CreditNoteID",
        &written[6].platform_id,
    )[0];
    assert_eq!(bc["Type"], "ACCPAYCREDIT");
    assert_eq!(bc["CreditNoteNumber"], bill_credit.key.full());
    let br = with(&books, "Payments", "PaymentID", &written[7].platform_id)[0];
    assert_eq!(br["PaymentType"], "APCREDITPAYMENT");
    assert_eq!(amount(&br["Amount"]), money(45));

    let bt = with(
        &books,
        "BankTransactions",
        "BankTransactionID",
        &written[8].platform_id,
    )[0];
    assert_eq!(bt["Type"], "SPEND");
    assert_eq!(bt["BankAccount"]["AccountID"], r.account("090").as_str());
    assert_eq!(amount(&bt["Total"]), money(250));
    let tr = with(
        &books,
        "BankTransfers",
        "BankTransferID",
        &written[9].platform_id,
    )[0];
    assert_eq!(
        tr["FromBankAccount"]["AccountID"],
        r.account("091").as_str()
    );
    assert_eq!(tr["ToBankAccount"]["AccountID"], r.account("090").as_str());
    assert_eq!(amount(&tr["Amount"]), money(9000));
    let mj = with(
        &books,
        "ManualJournals",
        "ManualJournalID",
        &written[10].platform_id,
    )[0];
    assert_eq!(mj["Narration"], journal.key.full());
    assert_eq!(mj["Status"], "POSTED");
    assert_eq!(amount(&mj["JournalLines"][0]["LineAmount"]), money(12000));
    assert_eq!(amount(&mj["JournalLines"][1]["LineAmount"]), money(-12000));

    // Found by key, from a fresh connector that has cached nothing.
    let fresh = app.connector(&tenant, tenant.tokens.clone());
    for (d, w) in documents.iter().zip(&written) {
        let found = fresh.connector.find(&d.key).await.unwrap();
        assert_eq!(
            found.as_ref().map(|f| &f.platform_id),
            Some(&w.platform_id),
            "{:?}",
            d.kind
        );
    }
    let unknown = common::key(Invoice, "EUR");
    assert_eq!(fresh.connector.find(&unknown).await.unwrap(), None);
}

#[tokio::test]
async fn writing_the_same_document_twice_leaves_one_in_the_books() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let mut invoice = document(DocumentKind::Invoice, "GBP");
    invoice.contact_id = Some(r.customer.clone());
    invoice.lines = vec![line(&r.account("200"), Some("OUTPUT2"), 1000, 200)];
    let first = app.connector(&tenant, tenant.tokens.clone());
    let a = first.connector.write(&invoice).await.unwrap();
    // A second process writing it again (same key, same idempotency key).
    let second = app.connector(&tenant, tenant.tokens.clone());
    let b = second.connector.write(&invoice).await.unwrap();
    assert_eq!(a.platform_id, b.platform_id);
    let books = app.books(&tenant).await;
    assert_eq!(
        with(&books, "Invoices", "Reference", &invoice.key.full()).len(),
        1
    );
}

#[tokio::test]
async fn reference_data_tracking_and_a_created_account() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let c = app.connector(&tenant, tenant.tokens.clone());
    let data = c.connector.reference_data().await.unwrap();
    assert_eq!(data.company.base_currency, "GBP");
    assert_eq!(data.company.country.as_deref(), Some("GB"));
    let by_code = |code: &str| {
        data.accounts
            .iter()
            .find(|a| a.nominal_code.as_deref() == Some(code))
            .unwrap()
    };
    assert!(by_code("091").is_bank_account && by_code("091").accepts_payments());
    assert!(by_code("092").payments_allowed && !by_code("092").is_bank_account);
    assert_eq!(by_code("250").status, RecordStatus::Archived);
    assert_eq!(by_code("200").account_type, AccountType::Income);
    assert_eq!(by_code("830").account_type, AccountType::Liability);
    let vat = data.tax_rate("OUTPUT2").unwrap();
    assert_eq!(vat.effective_rate, Some(rust_decimal::Decimal::new(20, 0)));
    assert!(data.customers.iter().any(|c| c.name == "Commerce Sales"));
    assert!(
        data.suppliers
            .iter()
            .any(|s| s.name == "Payment Processor Ltd")
    );

    let tracking = c.connector.tracking_categories().await.unwrap();
    assert_eq!(tracking[0].name, "Location");
    assert_eq!(tracking[0].options.len(), 2);

    let created = c
        .connector
        .create_account(&AccountPrototype {
            name: "Tips Payable".into(),
            nominal_code: Some("835".into()),
            account_type: AccountType::Liability,
            ..AccountPrototype::default()
        })
        .await
        .unwrap();
    assert_eq!(created.account_type, AccountType::Liability);
    assert_eq!(created.status, RecordStatus::Active);
    let again = c.connector.reference_data().await.unwrap();
    assert!(again.account(&created.id).is_some());
}

#[tokio::test]
async fn refusals_reach_the_merchant_in_their_words_with_xeros_kept() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let c = app.connector(&tenant, tenant.tokens.clone());
    let invoice = |group: &str, account: &str, tax: &str| {
        let mut d = document(DocumentKind::Invoice, group);
        d.contact_id = Some(r.customer.clone());
        d.lines = vec![line(&r.account(account), Some(tax), 1000, 0)];
        d
    };
    let problem = |e: PlatformError| match e {
        PlatformError::Validation {
            problem,
            merchant_message,
            platform_message,
        } => {
            assert!(merchant_message.contains("Xero"), "{merchant_message}");
            assert!(!platform_message.is_empty());
            problem
        }
        other => panic!("expected a validation error, got {other:?}"),
    };
    let archived = c
        .connector
        .write(&invoice("a", "250", "OUTPUT2"))
        .await
        .unwrap_err();
    assert_eq!(problem(archived), Problem::ArchivedAccount);
    let bad_tax = c
        .connector
        .write(&invoice("b", "200", "OUTPUT9"))
        .await
        .unwrap_err();
    assert!(bad_tax.platform_message().unwrap().contains("OUTPUT9"));
    assert_eq!(problem(bad_tax), Problem::InvalidTaxRate);
    app.lock(&tenant, "2026-11-30").await;
    let locked = c
        .connector
        .write(&invoice("c", "200", "OUTPUT2"))
        .await
        .unwrap_err();
    assert_eq!(problem(locked), Problem::LockDate);
    // Nothing landed.
    let books = app.books(&tenant).await;
    assert!(books["Invoices"].as_array().is_none_or(Vec::is_empty));
}

#[tokio::test]
async fn a_credit_note_is_allocated_to_its_invoice_once() {
    let app = common::spawn().await;
    let tenant = app.tenant().await;
    let r = common::refs(&app, &tenant).await;
    let c = app.connector(&tenant, tenant.tokens.clone());
    let mut invoice = document(DocumentKind::Invoice, "GBP");
    invoice.contact_id = Some(r.customer.clone());
    invoice.lines = vec![line(&r.account("200"), Some("OUTPUT2"), 5000, 1000)];
    let mut credit_note = document(DocumentKind::CreditNote, "GBP");
    credit_note.contact_id = Some(r.customer.clone());
    credit_note.lines = vec![line(&r.account("210"), Some("OUTPUT2"), 1000, 200)];
    let inv = c.connector.write(&invoice).await.unwrap();
    c.connector.write(&credit_note).await.unwrap();
    let date = "2026-11-25".parse().unwrap();
    let first = c
        .connector
        .allocate_credit_note(&credit_note.key, &invoice.key, money(1200), date)
        .await
        .unwrap();
    // Sent again (say after a crash): the same allocation, not a second one.
    let again = app.connector(&tenant, tenant.tokens.clone());
    let second = again
        .connector
        .allocate_credit_note(&credit_note.key, &invoice.key, money(1200), date)
        .await
        .unwrap();
    assert_eq!(first, second);
    let books = app.books(&tenant).await;
    let i = with(&books, "Invoices", "InvoiceID", &inv.platform_id)[0];
    assert_eq!(amount(&i["AmountCredited"]), money(1200));
    assert_eq!(amount(&i["AmountDue"]), money(4800));
}

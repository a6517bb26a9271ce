//! The QuickBooks connector against the sandbox over real HTTP: reference data, every
//! document kind written and read back from the books, find by key, and idempotency.
mod common;
mod quickbooks_common;

use domain::documents::{DocumentKind, Line};
use platforms::AccountingPlatform;
use quickbooks_common as qb;
use rust_decimal::Decimal;

#[tokio::test]
async fn reference_data_and_tracking_come_from_the_company() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = qb::connector(&app, &us);
    let r = c.connector.reference_data().await.unwrap();
    assert_eq!(r.company.country.as_deref(), Some("US"));
    assert_eq!(r.company.base_currency, "USD");
    let checking = r.account("1").unwrap();
    assert!(checking.is_bank_account && checking.accepts_payments());
    assert!(
        !r.account("9").unwrap().status.is_active(),
        "inactive accounts are archived"
    );
    assert!(r.tax_rates.iter().any(|t| t.id == "TAX"));
    assert_eq!(r.customers[0].name, "Commerce Sales");
    assert_eq!(r.suppliers[0].name, "Payment Processor Inc");
    let tracking = c.connector.tracking_categories().await.unwrap();
    assert_eq!(tracking[0].options[0].name, "Online");
    assert_eq!(tracking[1].options[0].name, "Main Street");

    let gb = qb::company(&app, "GB").await;
    let r = qb::connector(&app, &gb)
        .connector
        .reference_data()
        .await
        .unwrap();
    assert_eq!(r.company.base_currency, "GBP");
    let standard = r.tax_rates.iter().find(|t| t.id == "3").unwrap();
    assert_eq!(standard.effective_rate, Some(Decimal::from(20)));
}

#[tokio::test]
async fn sales_documents_round_trip_in_a_us_company() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = qb::connector(&app, &us);
    let invoice = qb::invoice(&us, "USD", 10000);
    let w = c.connector.write(&invoice).await.unwrap();
    // Automated sales tax: 8.875% on the taxable line only.
    assert_eq!(w.total, Some(qb::money(10000 + 500 + 888)));
    assert_eq!(w.number.as_deref(), Some(invoice.key.compact().as_str()));

    let mut payment = qb::document(&us, DocumentKind::Payment, "USD/type=Card");
    payment.account_id = Some("2".into());
    payment.amount = w.total;
    payment.applies_to = Some(invoice.key.clone());
    c.connector.write(&payment).await.unwrap();

    let mut memo = qb::document(&us, DocumentKind::CreditNote, "USD");
    memo.contact_id = Some("1".into());
    memo.lines = vec![qb::line("7", Some("NON"), 2500, 0)];
    c.connector.write(&memo).await.unwrap();
    let mut refund = qb::document(&us, DocumentKind::Refund, "USD/type=Card");
    refund.account_id = Some("2".into());
    refund.amount = Some(qb::money(2500));
    refund.applies_to = Some(memo.key.clone());
    let journal = c.connector.write(&refund).await.unwrap();

    let books = qb::books(&app, &us).await;
    let inv = qb::ours(&books, "Invoice", &invoice.key);
    assert_eq!(inv.len(), 1);
    assert_eq!(
        qb::amount(&inv[0]["Balance"]),
        Decimal::ZERO,
        "paid by the payment"
    );
    assert!(
        inv[0].get("TxnTaxDetail").is_some(),
        "QuickBooks worked the tax out"
    );
    let pay = qb::ours(&books, "Payment", &payment.key);
    assert_eq!(pay[0]["Line"][0]["LinkedTxn"][0]["TxnId"], inv[0]["Id"]);
    let memo_books = qb::ours(&books, "CreditMemo", &memo.key);
    assert_eq!(
        qb::amount(&memo_books[0]["RemainingCredit"]),
        Decimal::ZERO,
        "used by the refund"
    );
    let je = qb::ours(&books, "JournalEntry", &refund.key);
    assert_eq!(je[0]["Id"], journal.platform_id.as_str());
    assert_eq!(
        je[0]["Line"][0]["JournalEntryLineDetail"]["Entity"]["Type"],
        "Customer"
    );
    let link = qb::ours(&books, "Payment", &refund.key);
    assert_eq!(link.len(), 1, "one zero-value link");
    assert_eq!(qb::amount(&link[0]["TotalAmt"]), Decimal::ZERO);

    for (d, entity) in [
        (&invoice, "Invoice"),
        (&payment, "Payment"),
        (&memo, "CreditMemo"),
        (&refund, "JournalEntry"),
    ] {
        let found = c
            .connector
            .find(&d.key)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{entity} not found"));
        assert_eq!(
            found.platform_id,
            qb::ours(&books, entity, &d.key)[0]["Id"].as_str().unwrap()
        );
    }
}

#[tokio::test]
async fn fee_transfer_and_journal_documents_round_trip_in_a_gb_company() {
    let app = common::spawn().await;
    let gb = qb::company(&app, "GB").await;
    let c = qb::connector(&app, &gb);
    let invoice = qb::invoice(&gb, "GBP", 10000);
    let w = c.connector.write(&invoice).await.unwrap();
    assert_eq!(w.total, Some(qb::money(10000 + 2000 + 500)), "VAT per code");

    let mut bill = qb::document(&gb, DocumentKind::Bill, "GBP/fees");
    bill.contact_id = Some("2".into());
    bill.lines = vec![qb::line("14", Some("7"), 300, 0)];
    let bill_w = c.connector.write(&bill).await.unwrap();
    assert_eq!(bill_w.total, Some(qb::money(300)));
    let mut bill_payment = qb::document(&gb, DocumentKind::BillPayment, "GBP/fees");
    bill_payment.account_id = Some("1".into());
    bill_payment.amount = Some(qb::money(300));
    bill_payment.applies_to = Some(bill.key.clone());
    c.connector.write(&bill_payment).await.unwrap();
    let mut vendor_credit = qb::document(&gb, DocumentKind::BillCreditNote, "GBP/fees");
    vendor_credit.contact_id = Some("2".into());
    vendor_credit.lines = vec![qb::line("14", Some("7"), 100, 0)];
    c.connector.write(&vendor_credit).await.unwrap();
    let mut fee_refund = qb::document(&gb, DocumentKind::BillRefund, "GBP/fees");
    fee_refund.contact_id = Some("2".into());
    fee_refund.account_id = Some("1".into());
    fee_refund.amount = Some(qb::money(100));
    fee_refund.lines = vec![qb::line("8", None, 100, 0)];
    c.connector.write(&fee_refund).await.unwrap();
    let mut transfer = qb::document(&gb, DocumentKind::Transfer, "GBP/payout");
    transfer.account_id = Some("2".into());
    transfer.amount = Some(qb::money(5000));
    transfer.lines = vec![qb::line("1", None, 5000, 0)];
    c.connector.write(&transfer).await.unwrap();
    let mut journal = qb::document(&gb, DocumentKind::JournalEntry, "GBP/journal");
    journal.contact_id = Some("1".into());
    journal.lines = vec![
        Line {
            account_id: "4".into(),
            debit: Some(qb::money(1200)),
            description: "Card".into(),
            ..Line::default()
        },
        Line {
            account_id: "6".into(),
            credit: Some(qb::money(1000)),
            description: "Sales".into(),
            ..Line::default()
        },
        Line {
            account_id: "13".into(),
            credit: Some(qb::money(200)),
            description: "VAT".into(),
            ..Line::default()
        },
    ];
    c.connector.write(&journal).await.unwrap();

    let books = qb::books(&app, &gb).await;
    let inv = qb::ours(&books, "Invoice", &invoice.key);
    assert_eq!(
        inv[0]["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
        "3"
    );
    assert_eq!(
        qb::amount(&qb::ours(&books, "Bill", &bill.key)[0]["Balance"]),
        Decimal::ZERO
    );
    assert_eq!(qb::ours(&books, "BillPayment", &bill_payment.key).len(), 1);
    assert_eq!(
        qb::ours(&books, "VendorCredit", &vendor_credit.key).len(),
        1
    );
    assert_eq!(
        qb::amount(&qb::ours(&books, "Deposit", &fee_refund.key)[0]["TotalAmt"]),
        qb::money(100)
    );
    assert_eq!(
        qb::amount(&qb::ours(&books, "Transfer", &transfer.key)[0]["Amount"]),
        qb::money(5000)
    );
    let je = qb::ours(&books, "JournalEntry", &journal.key);
    assert_eq!(
        je[0]["Line"][2]["JournalEntryLineDetail"]["PostingType"],
        "Credit"
    );
    for d in [
        &bill,
        &bill_payment,
        &vendor_credit,
        &fee_refund,
        &transfer,
        &journal,
    ] {
        assert!(
            c.connector.find(&d.key).await.unwrap().is_some(),
            "{}",
            d.kind.as_str()
        );
    }
}

#[tokio::test]
async fn writing_twice_leaves_one_document_and_find_matches_keys_exactly() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = qb::connector(&app, &us);
    let invoice = qb::invoice(&us, "USD", 4200);
    assert_eq!(c.connector.find(&invoice.key).await.unwrap(), None);
    let first = c.connector.write(&invoice).await.unwrap();
    // Another connector (another worker) sends the same requestid.
    let again = qb::connector(&app, &us)
        .connector
        .write(&invoice)
        .await
        .unwrap();
    assert_eq!(first.platform_id, again.platform_id);
    let books = qb::books(&app, &us).await;
    assert_eq!(qb::ours(&books, "Invoice", &invoice.key).len(), 1);
    assert_eq!(c.connector.find(&invoice.key).await.unwrap(), Some(first));
    // A different revision is a different document.
    let mut next = invoice.clone();
    next.key.revision = 1;
    assert_eq!(c.connector.find(&next.key).await.unwrap(), None);
}

#[tokio::test]
async fn accounts_are_created_once_from_a_prototype() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = qb::connector(&app, &us);
    let prototype = platforms::AccountPrototype {
        name: "Shopify Clearing".into(),
        nominal_code: Some("1050".into()),
        account_type: domain::reference_data::AccountType::Asset,
        fully_qualified_category: Some("Asset.OtherCurrentAsset".into()),
        ..platforms::AccountPrototype::default()
    };
    let a = c.connector.create_account(&prototype).await.unwrap();
    assert!(a.payments_allowed && !a.is_bank_account);
    assert_eq!(a.nominal_code.as_deref(), Some("1050"));
    // Asked again (another run): the same account, not a refusal or a second one.
    let again = qb::connector(&app, &us)
        .connector
        .create_account(&prototype)
        .await
        .unwrap();
    assert_eq!(again.id, a.id);
    let books = qb::books(&app, &us).await;
    let named = books["Account"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["Name"] == "Shopify Clearing")
        .count();
    assert_eq!(named, 1);
    // One made by hand under that name (QuickBooks answers 6240, duplicate name) is taken.
    let checking = platforms::AccountPrototype {
        name: "Checking".into(),
        is_bank_account: true,
        ..platforms::AccountPrototype::default()
    };
    assert_eq!(c.connector.create_account(&checking).await.unwrap().id, "1");
}

#[tokio::test]
async fn a_refund_stopped_between_journal_and_link_is_completed_not_repeated() {
    let app = common::spawn().await;
    let us = qb::company(&app, "US").await;
    let c = qb::connector(&app, &us);
    let mut memo = qb::document(&us, DocumentKind::CreditNote, "USD");
    memo.contact_id = Some("1".into());
    memo.lines = vec![qb::line("7", Some("NON"), 1500, 0)];
    let memo_w = c.connector.write(&memo).await.unwrap();
    let mut refund = qb::document(&us, DocumentKind::Refund, "USD/type=Cash");
    refund.account_id = Some("2".into());
    refund.amount = Some(qb::money(1500));
    refund.applies_to = Some(memo.key.clone());
    // An earlier run wrote the journal, then stopped before the link.
    let resolved = platforms::quickbooks::transformers::Resolved {
        applies_to: Some(memo_w.platform_id.clone()),
        contact: Some("1".into()),
        receivable_account: Some("4".into()),
        ..Default::default()
    };
    let journal =
        platforms::quickbooks::transformers::request(&refund, &resolved, &qb::options(&us))
            .unwrap();
    let r = app
        .http
        .post(format!(
            "{}/quickbooks/v3/company/{}/journalentry",
            app.base, us.realm
        ))
        .bearer_auth(&us.tokens.access_token)
        .json(&journal)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        c.connector.find(&refund.key).await.unwrap(),
        None,
        "not written until linked"
    );

    let w = c.connector.write(&refund).await.unwrap();
    let books = qb::books(&app, &us).await;
    let journals = qb::ours(&books, "JournalEntry", &refund.key);
    assert_eq!(journals.len(), 1, "the journal is not written twice");
    assert_eq!(journals[0]["Id"], w.platform_id.as_str());
    assert_eq!(qb::ours(&books, "Payment", &refund.key).len(), 1);
    let memo_books = qb::ours(&books, "CreditMemo", &memo.key);
    assert_eq!(qb::amount(&memo_books[0]["RemainingCredit"]), Decimal::ZERO);
    assert!(c.connector.find(&refund.key).await.unwrap().is_some());
}

//! The hledger connector end to end against a real `hledger-web --serve-api` over a fresh
//! journal file: a realistic day mapped in journal mode and written, then `hledger check
//! --strict` on the file and `hledger bal` equal to the day's totals to the cent; written
//! again, nothing doubles; an answer lost after the write lands once; a missing account is
//! refused before anything reaches the file.
//!
//! Without `hledger` and `hledger-web` installed (Debian packages of those names; `.ci/run`
//! installs them) the tests say `!!! SKIPPED` and pass, except under `CI=true`.

use domain::PlatformKey;
use domain::commerce::{
    CommerceChange, CommerceRecord, Order, Payment, PaymentType, Transaction, parse_record,
};
use domain::documents::{Document, DocumentKind};
use domain::mapping::{
    CategoryAccounts, FeeSettings, Grouping, InvoiceStatus, MappingSettings, OutputMode,
    PeriodRecords, PeriodRef, SalesAccounts, SyncedState, TaxMapping, map_period,
};
use domain::money::Rounding;
use domain::reference_data::AccountType;
use platforms::{
    AccountingPlatform, Credentials, HledgerConfig, HledgerConnector, PlatformError, Problem,
    RetryPolicy, SystemTimer,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use testkit::hledger::HledgerWeb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The merchant's books before the first sync: the chart of accounts and the currencies,
/// declared, so `hledger check --strict` holds the connector to them.
const CHART: &str = "\
; Bob's Bikes: chart of accounts
commodity 1000.00 GBP
commodity 1000.00 EUR

account assets:cash
account assets:stripe
account assets:receivable
account assets:bank:current
account liabilities:vat
account liabilities:tips
account income:sales
account income:refunds
account expenses:payment fees
account expenses:payment fees:refunds
";

fn connector_at(base_url: &str) -> HledgerConnector {
    // As a connection hands it over: `PUT …/authorization` with `{"baseUrl": …}`.
    let credentials =
        Credentials::from_authorization(PlatformKey::Hledger, &json!({ "baseUrl": base_url }))
            .expect("hledger credentials");
    let mut config = HledgerConfig::from_credentials(&credentials).expect("hledger's");
    config.retry = RetryPolicy::quick();
    config.options.company_name = Some("Bob's Bikes".into());
    // Real time: the connector paces appends by hledger-web's file times (`Options::settle`).
    HledgerConnector::connect(config, Arc::new(SystemTimer))
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn record<T: CommerceRecord>(value: Value) -> T {
    match parse_record::<T>(&value, "")
        .expect("a valid record")
        .change
    {
        CommerceChange::Upsert(r) => r,
        CommerceChange::Delete(id) => panic!("delete of {id}"),
    }
}

/// An order of one or more `(tax %, total incl. tax, tax)` lines and a tip (outside the
/// order's total, as platforms send it).
fn order(id: &str, currency: &str, lines: &[(&str, &str, &str)], tip: &str) -> Order {
    let items: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (pct, total, tax))| {
            json!({
                "id": format!("{id}-{i}"),
                "quantity": if total.starts_with('-') { -1 } else { 1 },
                "taxPercentage": Value::Number(pct.parse().unwrap()),
                "totalAmount": Value::Number(total.parse().unwrap()),
                "totalTaxAmount": Value::Number(tax.parse().unwrap()),
            })
        })
        .collect();
    let total: Decimal = lines.iter().map(|(_, t, _)| d(t)).sum();
    record(json!({
        "id": id, "currency": currency,
        "createdDate": "2024-05-01T10:00:00Z", "sourceModifiedDate": "2024-05-01T10:00:00Z",
        "totalAmount": Value::Number(total.to_string().parse().unwrap()),
        "totalGratuity": Value::Number(tip.parse().unwrap()),
        "orderLineItems": items,
    }))
}

fn payment(id: &str, currency: &str, kind: &str, amount: &str) -> Payment {
    record(json!({
        "id": id, "currency": currency, "type": kind, "status": "Paid",
        "amount": Value::Number(amount.parse().unwrap()),
        "createdDate": "2024-05-01T10:00:00Z", "sourceModifiedDate": "2024-05-01T10:00:00Z",
    }))
}

fn transaction(id: &str, kind: &str, amount: &str) -> Transaction {
    record(json!({
        "id": id, "currency": "GBP", "type": kind,
        "totalAmount": Value::Number(amount.parse().unwrap()),
        "createdDate": "2024-05-01T18:00:00Z", "sourceModifiedDate": "2024-05-01T18:00:00Z",
    }))
}

/// Journal mode on the chart above: cash, card clearing (Stripe), receivable, payouts to the
/// current account; VAT and tips are liabilities; fees and their refunds are expenses.
fn settings() -> MappingSettings {
    MappingSettings {
        output: OutputMode::Journal,
        sales_customer_id: String::new(),
        invoice_status: InvoiceStatus::Submitted,
        accounts: SalesAccounts {
            sales: "income:sales".into(),
            refund: "income:refunds".into(),
            gratuity: Some("liabilities:tips".into()),
            prepaid: None,
            rounding: None,
        },
        categories: CategoryAccounts::default(),
        tax: TaxMapping {
            tax_liability_account: Some("liabilities:vat".into()),
            ..TaxMapping::default()
        },
        sync_payments: true,
        payment_accounts: vec![
            (PaymentType::Cash, "assets:cash".into()),
            (PaymentType::Card, "assets:stripe".into()),
            (PaymentType::Invoice, "assets:receivable".into()),
        ],
        clearing_account: "assets:stripe".into(),
        payout_account: Some("assets:bank:current".into()),
        receivable_account: Some("assets:receivable".into()),
        fees: Some(FeeSettings {
            supplier_id: String::new(),
            payment_fee_account: "expenses:payment fees".into(),
            payment_fee_refund_account: "expenses:payment fees:refunds".into(),
            fee_account_is_bank: false,
            tax_rate_id: None,
        }),
        grouping: Grouping::default(),
        rounding: Rounding::HalfUp,
    }
}

/// A bike shop's 1 May 2024, in GBP and (one tourist) EUR:
/// - o1: a £12.00 service at 20 % (£2.00 VAT) and a £1.00 tip, paid £13.00 cash;
/// - o2: a £6.00 bell at 20 % (£1.00 VAT) and a £3.50 map at 0 %, paid £9.50 by card;
/// - o3: a £10.50 child seat at 5 % (£0.50 VAT), paid by card;
/// - o4: a £120.00 wheel at 20 % (£20.00 VAT), £100.00 paid by card, £20.00 owed;
/// - r1: a £24.00 lock (20 %, £4.00 VAT) returned, £24.00 refunded to the card;
/// - Stripe fees £2.50, a £0.30 fee refund, and a £80.00 payout to the current account;
/// - o5: a €24.00 pump at 20 % (€4.00 VAT), paid by card.
fn the_day() -> PeriodRecords {
    PeriodRecords {
        orders: vec![
            order("o1", "GBP", &[("20", "12.00", "2.00")], "1.00"),
            order(
                "o2",
                "GBP",
                &[("20", "6.00", "1.00"), ("0", "3.50", "0")],
                "0",
            ),
            order("o3", "GBP", &[("5", "10.50", "0.50")], "0"),
            order("o4", "GBP", &[("20", "120.00", "20.00")], "0"),
            order("r1", "GBP", &[("20", "-24.00", "-4.00")], "0"),
            order("o5", "EUR", &[("20", "24.00", "4.00")], "0"),
        ],
        payments: vec![
            payment("p1", "GBP", "Cash", "13.00"),
            payment("p2", "GBP", "Card", "9.50"),
            payment("p3", "GBP", "Card", "10.50"),
            payment("p4", "GBP", "Card", "100.00"),
            payment("p5", "GBP", "Card", "-24.00"),
            payment("p6", "EUR", "Card", "24.00"),
        ],
        transactions: vec![
            transaction("f1", "PaymentFee", "-2.50"),
            transaction("fr1", "PaymentFeeRefund", "0.30"),
            transaction("po1", "Payout", "-80.00"),
        ],
        ..PeriodRecords::default()
    }
}

/// The day's totals, worked out by hand from the records above (debits positive).
fn expected_balances() -> BTreeMap<(String, String), Decimal> {
    let gbp = |a: &str, v: &str| ((a.to_owned(), "GBP".to_owned()), d(v));
    let eur = |a: &str, v: &str| ((a.to_owned(), "EUR".to_owned()), d(v));
    BTreeMap::from([
        // Net sales 10.00 + 5.00 + 3.50 + 10.00 + 100.00.
        gbp("income:sales", "-128.50"),
        // The returned lock's net.
        gbp("income:refunds", "20.00"),
        // VAT 2.00 + 1.00 + 0.50 + 20.00 charged, 4.00 refunded.
        gbp("liabilities:vat", "-19.50"),
        gbp("liabilities:tips", "-1.00"),
        gbp("assets:cash", "13.00"),
        // Card 9.50 + 10.50 + 100.00 − 24.00 refunded − 2.50 fees + 0.30 fee refund − 80.00 paid out.
        gbp("assets:stripe", "13.80"),
        // Sold 129.00 gross, paid 109.00.
        gbp("assets:receivable", "20.00"),
        gbp("assets:bank:current", "80.00"),
        gbp("expenses:payment fees", "2.50"),
        gbp("expenses:payment fees:refunds", "-0.30"),
        eur("income:sales", "-20.00"),
        eur("liabilities:vat", "-4.00"),
        eur("assets:stripe", "24.00"),
    ])
}

fn the_day_mapped() -> Vec<Document> {
    let period = PeriodRef::day("bobs-bikes", jiff::civil::date(2024, 5, 1));
    let out = map_period(&settings(), &period, &the_day(), &SyncedState::default())
        .expect("the day maps");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    out.documents
}

#[tokio::test]
async fn a_mapped_day_lands_once_balanced_and_to_the_cent() {
    let Some(web) = HledgerWeb::start(CHART, "the hledger end-to-end test").await else {
        return;
    };
    let ledger = connector_at(&web.base_url);
    assert_eq!(ledger.version().await.unwrap(), "1.25");
    assert!(ledger.supports(DocumentKind::JournalEntry));
    assert!(!ledger.supports(DocumentKind::Invoice));

    let documents = the_day_mapped();
    // One journal entry per currency.
    let currencies: Vec<&str> = documents.iter().map(|d| d.currency.code()).collect();
    assert_eq!(currencies, ["EUR", "GBP"]);
    assert!(
        documents
            .iter()
            .all(|d| d.kind == DocumentKind::JournalEntry)
    );
    for d in &documents {
        assert!(
            ledger.find(&d.key).await.unwrap().is_none(),
            "not written yet"
        );
    }

    let mut written = Vec::new();
    for d in &documents {
        let w = ledger.write(d).await.unwrap_or_else(|e| {
            let journal = std::fs::read_to_string(&web.journal).unwrap_or_default();
            panic!("{}: {e:?}\nthe journal:\n{journal}", d.key)
        });
        assert_eq!(w.key, d.key.full());
        assert_eq!(w.kind, DocumentKind::JournalEntry);
        assert_eq!(w.total, d.total, "the journal's total is the document's");
        written.push(w);
    }
    assert_ne!(written[0].platform_id, written[1].platform_id);

    web.hledger(&["check", "--strict"])
        .unwrap_or_else(|e| panic!("hledger check --strict fails on the written journal: {e}"));
    assert_eq!(web.balances(), expected_balances());
    assert_eq!(web.transaction_count(), 2);

    // The key is in the file as a tag, readable by hledger itself.
    let gbp = documents
        .iter()
        .find(|d| d.currency.code() == "GBP")
        .unwrap();
    let tagged = web
        .hledger(&[
            "print",
            &format!("tag:cs-key={}", regex_escape(&gbp.key.full())),
        ])
        .unwrap();
    assert!(
        tagged.contains("2024-05-01 Sales summary 2024-05-01 GBP"),
        "{tagged}"
    );
    assert!(
        tagged.contains(&format!("; cs-key:{}", gbp.key.full())),
        "{tagged}"
    );

    // The same documents again (a retried run, a second process): found, not doubled.
    let again = connector_at(&web.base_url);
    for (d, w) in documents.iter().zip(&written) {
        assert_eq!(&again.write(d).await.unwrap(), w);
        assert_eq!(again.find(&d.key).await.unwrap().as_ref(), Some(w));
    }
    assert_eq!(web.transaction_count(), 2);
    assert_eq!(web.balances(), expected_balances());

    // Another revision's key is another document, not found.
    let mut later = gbp.key.clone();
    later.revision = 1;
    assert_eq!(ledger.find(&later).await.unwrap(), None);

    // Anything but a journal entry is refused before reaching the journal.
    let mut invoice = gbp.clone();
    invoice.kind = DocumentKind::Invoice;
    invoice.key.kind = DocumentKind::Invoice;
    let refused = ledger.write(&invoice).await.unwrap_err();
    assert!(
        matches!(refused, PlatformError::Unsupported(_)),
        "{refused:?}"
    );
    assert_eq!(ledger.find(&invoice.key).await.unwrap(), None);
    assert_eq!(web.transaction_count(), 2);
}

/// hledger's query language reads `tag:NAME=VALUE` as a regular expression.
fn regex_escape(text: &str) -> String {
    let mut out = String::from("^");
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('$');
    out
}

#[tokio::test]
async fn reference_data_is_the_journals_accounts_typed_by_their_names() {
    let Some(web) = HledgerWeb::start(CHART, "the hledger end-to-end test").await else {
        return;
    };
    let reference = connector_at(&web.base_url).reference_data().await.unwrap();
    assert_eq!(reference.company.name, "Bob's Bikes");
    // Nothing configured and no amount in the journal yet: no currency to tell.
    assert_eq!(reference.company.base_currency, "");
    let mut config = HledgerConfig::new(&web.base_url);
    config.options.base_currency = Some("GBP".into());
    let configured = HledgerConnector::connect(config, Arc::new(SystemTimer))
        .reference_data()
        .await
        .unwrap();
    assert_eq!(configured.company.base_currency, "GBP");
    assert_eq!(configured.company.name, "hledger journal");
    let by_id = |id: &str| {
        reference
            .account(id)
            .unwrap_or_else(|| panic!("{id} in {:?}", reference.accounts))
    };
    assert_eq!(by_id("income:sales").account_type, AccountType::Income);
    assert_eq!(
        by_id("liabilities:vat").account_type,
        AccountType::Liability
    );
    assert_eq!(
        by_id("expenses:payment fees").account_type,
        AccountType::Expense
    );
    let bank = by_id("assets:bank:current");
    assert!(bank.is_bank_account && bank.accepts_payments());
    let stripe = by_id("assets:stripe");
    assert!(!stripe.is_bank_account && stripe.accepts_payments());
    assert!(reference.tax_rates.is_empty() && reference.customers.is_empty());
}

#[tokio::test]
async fn an_account_missing_from_the_journal_is_refused_and_the_file_stays_valid() {
    let Some(web) = HledgerWeb::start(CHART, "the hledger end-to-end test").await else {
        return;
    };
    let mut s = settings();
    s.accounts.sales = "income:shop sales".into();
    let period = PeriodRef::day("bobs-bikes", jiff::civil::date(2024, 5, 1));
    let out = map_period(&s, &period, &the_day(), &SyncedState::default()).unwrap();
    let e = connector_at(&web.base_url)
        .write(&out.documents[0])
        .await
        .unwrap_err();
    let PlatformError::Validation {
        problem,
        platform_message,
        merchant_message,
    } = e
    else {
        panic!("expected a validation error, got {e:?}");
    };
    assert_eq!(problem, Problem::ArchivedAccount);
    assert!(
        platform_message.contains("\"income:shop sales\""),
        "{platform_message}"
    );
    assert!(merchant_message.contains("hledger"), "{merchant_message}");
    assert_eq!(web.transaction_count(), 0);
    web.hledger(&["check", "--strict"]).unwrap();
}

#[tokio::test]
async fn an_answer_lost_after_the_write_is_looked_up_not_written_twice() {
    let Some(web) = HledgerWeb::start(CHART, "the hledger end-to-end test").await else {
        return;
    };
    let proxy = LosingProxy::start(&web.base_url).await;
    let ledger = connector_at(&proxy.base_url);
    let documents = the_day_mapped();
    let w = ledger.write(&documents[0]).await.unwrap();
    assert_eq!(
        proxy.lost.load(Ordering::SeqCst),
        1,
        "the proxy lost one answer to PUT /add"
    );
    assert_eq!(ledger.find(&documents[0].key).await.unwrap(), Some(w));
    assert_eq!(web.transaction_count(), 1);
    web.hledger(&["check", "--strict"]).unwrap();
}

/// A loopback proxy to hledger-web that lets the first `PUT /add` through and then closes the
/// client's connection instead of relaying the answer: the write landed, the writer cannot
/// know.
struct LosingProxy {
    base_url: String,
    lost: Arc<AtomicUsize>,
}

impl LosingProxy {
    async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let lost = Arc::new(AtomicUsize::new(0));
        let armed = Arc::new(AtomicBool::new(true));
        let counter = lost.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(&upstream).await.unwrap();
                tokio::spawn(relay(client, server, armed.clone(), counter.clone()));
            }
        });
        Self { base_url, lost }
    }
}

/// Relays one connection both ways until either side closes, or until the answer to the
/// armed `PUT /add` arrives, which is dropped with the connection.
async fn relay(
    client: TcpStream,
    server: TcpStream,
    armed: Arc<AtomicBool>,
    lost: Arc<AtomicUsize>,
) {
    let (mut client_in, mut client_out) = client.into_split();
    let (mut server_in, mut server_out) = server.into_split();
    let swallow = Arc::new(AtomicBool::new(false));
    let flag = swallow.clone();
    let upstream = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match client_in.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if buf[..n].starts_with(b"PUT /add") && armed.swap(false, Ordering::SeqCst) {
                flag.store(true, Ordering::SeqCst);
            }
            if server_out.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match server_in.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if swallow.load(Ordering::SeqCst) {
            lost.fetch_add(1, Ordering::SeqCst);
            break;
        }
        if client_out.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    upstream.abort();
}

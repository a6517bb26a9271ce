//! The merchant's choices, each in a worked day: grouping, currencies, categories, tax
//! components, draft invoices, and what is left out (with a warning) when an account is unset.

use super::fixtures::*;
use crate::commerce::{Order, Product};
use crate::mapping::*;
use serde_json::{Value, json};

/// A one-line order at a shop, listing the payment made for it.
fn at_shop(id: &str, total: &str, tax: &str, shop: &str, payment: &str) -> Order {
    let mut o = order_json(id, vec![line("l1", "20", total, tax)], total, "0");
    o["locationRef"] = json!({"id": shop});
    o["payments"] = json!([{"id": payment}]);
    record(o)
}

fn keys(out: &Value) -> Vec<Value> {
    out["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!([d["key"], d["total"], d["amount"], d["appliesTo"]]))
        .collect()
}

#[test]
fn grouping_by_location_gives_each_shop_its_documents_and_tracking() {
    let mut s = settings();
    s.grouping.by_location = true;
    let records = PeriodRecords {
        orders: vec![
            at_shop("o1", "12.00", "2.00", "north", "p1"),
            at_shop("o2", "6.00", "1.00", "south", "p2"),
        ],
        payments: vec![
            payment("p1", "Card", "12.00"),
            payment("p2", "Card", "6.00"),
        ],
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    let north = "cs:acme:2024-05-01:GBP/loc=north:invoice:r0";
    let south = "cs:acme:2024-05-01:GBP/loc=south:invoice:r0";
    assert_eq!(
        keys(&out),
        vec![
            json!([north, "12.00", null, null]),
            json!([
                "cs:acme:2024-05-01:GBP/loc=north/type=Card:payment:r0",
                null,
                "12.00",
                north
            ]),
            json!([south, "6.00", null, null]),
            json!([
                "cs:acme:2024-05-01:GBP/loc=south/type=Card:payment:r0",
                null,
                "6.00",
                south
            ]),
        ]
    );
    assert_eq!(
        out["documents"][0]["lines"][0]["tracking"],
        json!({"locationId": "north"})
    );
}

#[test]
fn each_currency_gets_its_own_documents_and_no_rate_is_invented() {
    let mut eur = order("o2", vec![line("l2", "20", "24.00", "4.00")], "0");
    eur.currency = crate::money::Currency::from_code("EUR").unwrap();
    let mut eur_pay = payment("p2", "Card", "24.00");
    eur_pay.currency = eur.currency;
    let records = PeriodRecords {
        orders: vec![
            order("o1", vec![line("l1", "20", "12.00", "2.00")], "0"),
            eur,
        ],
        payments: vec![payment("p1", "Card", "12.00"), eur_pay],
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    let docs = out["documents"].as_array().unwrap();
    let summary: Vec<_> = docs
        .iter()
        .map(|d| json!([d["kind"], d["currency"], d["total"], d["amount"]]))
        .collect();
    assert_eq!(
        summary,
        vec![
            json!(["invoice", "EUR", "24.00", null]),
            json!(["payment", "EUR", null, "24.00"]),
            json!(["invoice", "GBP", "12.00", null]),
            json!(["payment", "GBP", null, "12.00"]),
        ]
    );
}

#[test]
fn product_categories_choose_the_income_account_with_a_catch_all() {
    let mut s = settings();
    s.categories
        .by_category
        .insert("cat-coffee".into(), "4100".into());
    s.categories.other_sales = Some("4900".into());
    let mut beans = line("l1", "0", "10.00", "0");
    beans["productRef"] = json!({"id": "beans"});
    let mut mug = line("l2", "20", "12.00", "2.00");
    mug["productRef"] = json!({"id": "mug"});
    let products = vec![
        record::<Product>(json!({"id": "beans", "productCategoryRefs": ["cat-coffee"]})),
        gift_card("unrelated"),
    ];
    let records = PeriodRecords {
        orders: vec![order("o1", vec![beans, mug], "0")],
        products,
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    assert_eq!(
        out["documents"][0]["lines"],
        json!([
            {"accountId": "4100", "taxRateId": "ZERO", "description": "Sales 0%",
             "netAmount": "10.00", "taxAmount": "0.00"},
            {"accountId": "4900", "taxRateId": "OUTPUT2", "description": "Sales 20%",
             "netAmount": "10.00", "taxAmount": "2.00"}
        ])
    );
}

/// A line taxed by two components: 5% state tax and 2% city tax on 100.
fn component_day() -> PeriodRecords {
    let mut l = line("l1", "7", "107.00", "7.00");
    l["taxes"] = json!([
        {"taxComponentRef": {"id": "state", "name": "State"}, "taxAmount": 5.00},
        {"taxComponentRef": {"id": "city", "name": "City"}, "taxAmount": 2.00}
    ]);
    PeriodRecords {
        orders: vec![order("o1", vec![l], "0")],
        payments: vec![payment("p1", "Card", "107.00")],
        ..PeriodRecords::default()
    }
}

#[test]
fn tax_components_map_to_one_accounting_rate_in_documents() {
    let mut s = settings();
    s.tax
        .by_component
        .insert("state".into(), "US-COMBINED".into());
    s.tax
        .by_component
        .insert("city".into(), "US-COMBINED".into());
    let out = preview(&s, &component_day());
    assert_eq!(
        out["documents"][0]["lines"],
        json!([{"accountId": "4000", "taxRateId": "US-COMBINED", "description": "Sales 7%",
                "netAmount": "100.00", "taxAmount": "7.00"}])
    );
}

#[test]
fn tax_components_get_their_own_liability_lines_in_the_journal() {
    let mut s = journal_settings();
    s.tax
        .component_liability_accounts
        .insert("state".into(), "2210".into());
    // The city's tax is not categorized: it goes to the general tax liability account.
    let out = preview(&s, &component_day());
    assert_eq!(
        out["documents"][0]["lines"],
        json!([
            {"accountId": "1100", "description": "Payments received", "debit": "107.00"},
            {"accountId": "4000", "description": "Sales 7%", "credit": "100.00"},
            {"accountId": "2200", "description": "Tax", "credit": "2.00"},
            {"accountId": "2210", "description": "Tax", "credit": "5.00"}
        ])
    );
}

#[test]
fn unpaid_sales_in_the_journal_go_to_the_receivable() {
    let mut s = journal_settings();
    s.receivable_account = Some("1210".into());
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "120.00", "20.00")], "0")],
        payments: vec![payment("p1", "Card", "100.00")],
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    assert_eq!(
        out["documents"][0]["lines"],
        json!([
            {"accountId": "1100", "description": "Payments received", "debit": "100.00"},
            {"accountId": "1210", "description": "Receivable", "debit": "20.00"},
            {"accountId": "4000", "description": "Sales 20%", "credit": "100.00"},
            {"accountId": "2200", "description": "Tax", "credit": "20.00"}
        ])
    );
}

#[test]
fn draft_invoices_cannot_take_payments() {
    let mut s = settings();
    s.invoice_status = InvoiceStatus::Draft;
    let err = map_period(
        &s,
        &day(),
        &PeriodRecords::default(),
        &SyncedState::default(),
    );
    assert_eq!(
        err.unwrap_err(),
        MappingError::PaymentsNeedSubmittedInvoices
    );
    s.sync_payments = false;
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "0")],
        payments: vec![payment("p1", "Card", "12.00")],
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    assert_eq!(out["documents"].as_array().unwrap().len(), 1);
    assert_eq!(out["documents"][0]["status"], json!("Draft"));
}

#[test]
fn unset_optional_accounts_leave_a_warning_not_a_guess() {
    let mut s = settings();
    s.accounts.gratuity = None;
    s.payout_account = None;
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "1.00")],
        transactions: vec![transaction("po1", "Payout", "-13.00")],
        ..PeriodRecords::default()
    };
    let out = preview(&s, &records);
    assert_eq!(out["documents"][0]["lines"][1]["accountId"], json!("4000"));
    assert_eq!(
        out["documents"][0]["lines"][1]["description"],
        json!("Gratuity")
    );
    assert_eq!(out["documents"].as_array().unwrap().len(), 1);
    assert_eq!(
        out["warnings"],
        json!([
            {"code": "gratuityToSales",
             "message": "tips were booked to the sales account: no gratuity account is set"},
            {"code": "payoutNotSynced",
             "message": "payouts were not written: no payout account is set"}
        ])
    );
}

#[test]
fn gift_cards_sold_without_a_prepaid_account_stop_the_sync() {
    let mut s = settings();
    s.accounts.prepaid = None;
    let mut card = line("l1", "0", "25.00", "0");
    card["productRef"] = json!({"id": "gc"});
    let records = PeriodRecords {
        orders: vec![order("o1", vec![card], "0")],
        products: vec![gift_card("gc")],
        ..PeriodRecords::default()
    };
    let err = map_period(&s, &day(), &records, &SyncedState::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the prepaid account is not set, but record `o1` needs it"
    );
}

#[test]
fn payments_beyond_the_invoice_are_flagged() {
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "0")],
        // Yesterday's order paid today, with today's.
        payments: vec![
            payment("p1", "Card", "12.00"),
            payment("p0", "Card", "30.00"),
        ],
        ..PeriodRecords::default()
    };
    let out = preview(&settings(), &records);
    assert_eq!(out["documents"][1]["amount"], json!("42.00"));
    assert_eq!(
        out["warnings"],
        json!([{"code": "overAllocated", "message":
            "invoice cs:acme:2024-05-01:GBP:invoice:r0 is 12.00 but 42.00 is allocated to it: \
             the ledger will refuse the excess (payments for another day's sales?)"}])
    );
}

#[test]
fn a_payout_into_the_clearing_account_itself_is_refused() {
    let mut s = settings();
    s.payout_account = Some(s.clearing_account.clone());
    let err = map_period(
        &s,
        &day(),
        &PeriodRecords::default(),
        &SyncedState::default(),
    );
    assert_eq!(err.unwrap_err(), MappingError::PayoutAccountIsClearing);
}

#[test]
fn a_catch_up_period_is_labelled_by_its_range_and_dated_on_its_last_day() {
    let period = PeriodRef {
        company_id: "acme".into(),
        start_date: jiff::civil::date(2024, 5, 1),
        end_date: jiff::civil::date(2024, 5, 3),
    };
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "0")],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &period, &records, &SyncedState::default()).unwrap();
    let doc = &out.documents[0];
    assert_eq!(
        doc.key.full(),
        "cs:acme:2024-05-01..2024-05-03:GBP:invoice:r0"
    );
    assert_eq!(doc.key.compact().get(..8), Some("240501IN"));
    assert_eq!(doc.date, jiff::civil::date(2024, 5, 3));
}

//! Adjustments by hand: what a second run writes after records change or vanish.

use super::fixtures::*;
use crate::commerce::DatasetKind;
use crate::mapping::*;
use jiff::Timestamp;
use jiff::civil::date;
use serde_json::{Value, json};

fn later() -> Option<Timestamp> {
    Some("2024-05-02T09:00:00Z".parse().unwrap())
}

/// Day one: a £12 coffee (20%) paid £12 in cash, posted.
fn day_one() -> (PeriodRecords, SyncedState) {
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "12.00", "2.00")], "0")],
        payments: vec![payment("p1", "Cash", "12.00")],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &day(), &records, &SyncedState::default()).unwrap();
    assert_eq!(out.documents.len(), 2);
    (records, out.state)
}

fn next_day() -> PeriodRef {
    PeriodRef::day("acme", date(2024, 5, 2))
}

fn summary(out: &MappingOutput) -> Vec<Value> {
    out.documents
        .iter()
        .map(|d| {
            let v = serde_json::to_value(d).unwrap();
            json!([
                v["key"],
                v["total"],
                v["amount"],
                v["lines"],
                v["appliesTo"]
            ])
        })
        .collect()
}

#[test]
fn re_running_a_period_writes_nothing_new() {
    let (records, state) = day_one();
    let again = map_period(&settings(), &day(), &records, &state).unwrap();
    assert!(again.documents.is_empty());
    assert_eq!(again.state, state);
}

#[test]
fn a_record_pushed_again_with_the_same_date_is_a_no_op_even_if_it_differs() {
    let (_, state) = day_one();
    let records = PeriodRecords {
        orders: vec![order("o1", vec![line("l1", "20", "99.00", "16.50")], "0")],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &next_day(), &records, &state).unwrap();
    assert!(out.documents.is_empty());
}

#[test]
fn an_order_edited_up_yields_only_the_difference_in_the_current_period() {
    let (_, state) = day_one();
    let mut o1 = order("o1", vec![line("l1", "20", "18.00", "3.00")], "0");
    o1.source_modified_date = later();
    let mut p1 = payment("p1", "Cash", "18.00");
    p1.source_modified_date = later();
    let records = PeriodRecords {
        orders: vec![o1],
        payments: vec![p1],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &next_day(), &records, &state).unwrap();
    let inv = "cs:acme:2024-05-02:GBP:invoice:r0";
    assert_eq!(
        summary(&out),
        vec![
            json!([inv, "6.00", null, [{"accountId": "4000", "taxRateId": "OUTPUT2",
                "description": "Sales 20%", "netAmount": "5.00", "taxAmount": "1.00"}], null]),
            json!([
                "cs:acme:2024-05-02:GBP/type=Cash:payment:r0",
                null,
                "6.00",
                null,
                inv
            ]),
        ]
    );
    assert!(out.documents.iter().all(|d| d.date == date(2024, 5, 2)));
    // And the state now remembers the new amounts: running again changes nothing.
    let again = map_period(&settings(), &next_day(), &records, &out.state).unwrap();
    assert!(again.documents.is_empty());
}

#[test]
fn a_late_change_mapped_in_the_same_period_gets_the_next_revision() {
    let (_, state) = day_one();
    let mut o1 = order("o1", vec![line("l1", "20", "18.00", "3.00")], "0");
    o1.source_modified_date = later();
    let records = PeriodRecords {
        orders: vec![o1],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &day(), &records, &state).unwrap();
    assert_eq!(out.documents.len(), 1);
    assert_eq!(
        out.documents[0].key.full(),
        "cs:acme:2024-05-01:GBP:invoice:r1"
    );
}

#[test]
fn an_order_edited_down_is_a_credit_note_on_the_sales_account() {
    let (_, state) = day_one();
    let mut o1 = order("o1", vec![line("l1", "20", "9.00", "1.50")], "0");
    o1.source_modified_date = later();
    let mut p1 = payment("p1", "Cash", "9.00");
    p1.source_modified_date = later();
    let records = PeriodRecords {
        orders: vec![o1],
        payments: vec![p1],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &next_day(), &records, &state).unwrap();
    let cn = "cs:acme:2024-05-02:GBP:creditNote:r0";
    assert_eq!(
        summary(&out),
        vec![
            json!([cn, "3.00", null, [{"accountId": "4000", "taxRateId": "OUTPUT2",
                "description": "Sales 20%", "netAmount": "2.50", "taxAmount": "0.50"}], null]),
            json!([
                "cs:acme:2024-05-02:GBP/type=Cash:refund:r0",
                null,
                "3.00",
                null,
                cn
            ]),
        ]
    );
}

#[test]
fn a_deleted_sale_is_reversed() {
    let (_, state) = day_one();
    let records = PeriodRecords {
        deleted: vec![
            (DatasetKind::Orders, "o1".into()),
            (DatasetKind::Payments, "p1".into()),
        ],
        ..PeriodRecords::default()
    };
    let out = map_period(&settings(), &next_day(), &records, &state).unwrap();
    let cn = "cs:acme:2024-05-02:GBP:creditNote:r0";
    assert_eq!(
        summary(&out),
        vec![
            json!([cn, "12.00", null, [{"accountId": "4000", "taxRateId": "OUTPUT2",
                "description": "Sales 20%", "netAmount": "10.00", "taxAmount": "2.00"}], null]),
            json!([
                "cs:acme:2024-05-02:GBP/type=Cash:refund:r0",
                null,
                "12.00",
                null,
                cn
            ]),
        ]
    );
    assert!(out.state.records.is_empty());
    // Deleting again finds nothing to reverse.
    let again = map_period(&settings(), &next_day(), &records, &out.state).unwrap();
    assert!(again.documents.is_empty());
}

#[test]
fn the_state_survives_a_round_trip_through_json() {
    let (_, state) = day_one();
    let text = serde_json::to_string(&state).unwrap();
    let back: SyncedState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, state);
}

#[test]
fn parsed_pushes_split_into_records_and_deletions() {
    let (orders, errors) = crate::commerce::parse_orders(
        &json!([{"id": "o1"}, super::fixtures::order_json("o2", vec![], "5.00", "0")]),
        "/orders",
    );
    assert!(errors.is_empty(), "{errors:?}");
    let records = PeriodRecords::from_changes(&orders, &[], &[], vec![]);
    assert_eq!(records.orders.len(), 1);
    assert_eq!(records.orders[0].id, "o2");
    assert_eq!(
        records.deleted,
        vec![(DatasetKind::Orders, "o1".to_owned())]
    );
}

#[test]
fn stored_state_of_this_format_stays_readable() {
    // Pinned: states already in databases must keep meaning the same after an upgrade.
    let stored = json!({
        "records": {
            "orders/o1": {
                "sourceModifiedDate": "2024-05-01T10:00:00Z",
                "period": "2024-05-01",
                "contribution": [[
                    {"sales": {"group": {"currency": "GBP", "location": null, "country": null},
                        "side": "Sale", "role": "Product", "account": "4000",
                        "taxRateId": "OUTPUT2", "percentage": "20"}},
                    {"net": "10.00", "tax": "2.00"}
                ]]
            },
            "payments/p1": {
                "sourceModifiedDate": "2024-05-01T10:00:00Z",
                "period": "2024-05-01",
                "contribution": [[
                    {"payment": {"group": {"currency": "GBP", "location": null, "country": null},
                        "paymentType": "Cash", "account": "1000", "side": "Sale"}},
                    {"net": "12.00", "tax": "0"}
                ]]
            }
        },
        "revisions": {"2024-05-01": 0}
    });
    let (records, state) = day_one();
    assert_eq!(serde_json::to_value(&state).unwrap(), stored);
    let read: SyncedState = serde_json::from_value(stored).unwrap();
    assert!(
        map_period(&settings(), &day(), &records, &read)
            .unwrap()
            .documents
            .is_empty()
    );
}

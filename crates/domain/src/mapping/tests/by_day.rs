//! A period of several days: each day its own documents, dated and keyed by that day, and a
//! re-run of any part of the range writes nothing twice.

use super::fixtures::*;
use crate::commerce::{DatasetKind, Order, Payment};
use crate::documents::DocumentKind;
use crate::mapping::*;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use serde_json::json;

/// Days end at midnight UTC in these tests (sync hour 0, zone UTC).
fn utc_day(t: Timestamp) -> Date {
    t.to_zoned(jiff::tz::TimeZone::UTC).date()
}

fn at(day: i8, hour: i8) -> String {
    format!("2024-05-{day:02}T{hour:02}:00:00Z")
}

/// A £12 coffee (20 %) sold on `day` of May and paid in cash.
fn coffee(id: &str, day: i8, total: &str) -> (Order, Payment) {
    let tax = (d(total) / d("6")).round_dp(2).to_string();
    let mut o = order_json(
        id,
        vec![line(&format!("{id}-l"), "20", total, &tax)],
        total,
        "0",
    );
    o["createdDate"] = json!(at(day, 10));
    o["sourceModifiedDate"] = json!(at(day, 10));
    let p = json!({
        "id": format!("{id}-p"), "currency": "GBP", "type": "Cash", "status": "Paid",
        "amount": serde_json::Value::Number(total.parse().unwrap()),
        "createdDate": at(day, 10), "sourceModifiedDate": at(day, 10),
    });
    (record(o), record(p))
}

fn three_days() -> PeriodRecords {
    let mut records = PeriodRecords::default();
    for (id, day, total) in [("o1", 1, "12.00"), ("o2", 2, "18.00"), ("o3", 3, "6.00")] {
        let (o, p) = coffee(id, day, total);
        records.orders.push(o);
        records.payments.push(p);
    }
    records
}

fn may(day: i8) -> Date {
    date(2024, 5, day)
}

fn split(records: PeriodRecords, first: i8, last: i8) -> Vec<(Date, PeriodRecords)> {
    split_by_day(records, may(first), may(last), utc_day)
}

fn invoices(out: &MappingOutput) -> Vec<(String, Date, String)> {
    out.documents
        .iter()
        .filter(|d| d.kind == DocumentKind::Invoice)
        .map(|d| (d.key.full(), d.date, d.total.unwrap().to_string()))
        .collect()
}

#[test]
fn three_days_are_three_sets_of_documents_each_on_its_own_date() {
    let days = split(three_days(), 1, 3);
    assert_eq!(
        days.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
        [may(1), may(2), may(3)]
    );
    let out = map_days(&settings(), "acme", &days, &SyncedState::default()).unwrap();
    assert_eq!(
        invoices(&out),
        [
            (
                "cs:acme:2024-05-01:GBP:invoice:r0".into(),
                may(1),
                "12.00".into()
            ),
            (
                "cs:acme:2024-05-02:GBP:invoice:r0".into(),
                may(2),
                "18.00".into()
            ),
            (
                "cs:acme:2024-05-03:GBP:invoice:r0".into(),
                may(3),
                "6.00".into()
            ),
        ]
    );
    // Every document (invoice and payment per day) is dated and keyed by its own day.
    assert_eq!(out.documents.len(), 6);
    for doc in &out.documents {
        assert_eq!(doc.key.period, doc.date.to_string(), "{}", doc.key);
    }
    assert!(!out.documents.iter().any(|d| d.key.period.contains("..")));
}

#[test]
fn re_running_the_range_or_any_part_of_it_writes_nothing() {
    let days = split(three_days(), 1, 3);
    let first = map_days(&settings(), "acme", &days, &SyncedState::default()).unwrap();
    let again = map_days(&settings(), "acme", &days, &first.state).unwrap();
    assert!(again.documents.is_empty(), "{:?}", again.documents);
    assert_eq!(again.state, first.state);
    // Days 2–3 alone, as a later historic range or a retry would read them.
    let part: PeriodRecords = {
        let mut r = three_days();
        r.orders.retain(|o| o.id != "o1");
        r.payments.retain(|p| p.id != "o1-p");
        r
    };
    let part = map_days(&settings(), "acme", &split(part, 2, 3), &first.state).unwrap();
    assert!(part.documents.is_empty());
}

#[test]
fn a_day_run_on_its_own_then_in_a_range_is_written_once() {
    // Day 1 synced by itself, then days 1–3 in one run (failed days rolled forward).
    let mut day_one = three_days();
    day_one.orders.truncate(1);
    day_one.payments.truncate(1);
    let first = map_days(
        &settings(),
        "acme",
        &split(day_one, 1, 1),
        &Default::default(),
    );
    let first = first.unwrap();
    assert_eq!(first.documents.len(), 2);
    let rolled = map_days(
        &settings(),
        "acme",
        &split(three_days(), 1, 3),
        &first.state,
    )
    .unwrap();
    assert_eq!(
        invoices(&rolled)
            .into_iter()
            .map(|(k, ..)| k)
            .collect::<Vec<_>>(),
        [
            "cs:acme:2024-05-02:GBP:invoice:r0",
            "cs:acme:2024-05-03:GBP:invoice:r0"
        ]
    );
}

#[test]
fn a_change_to_a_day_already_written_is_that_day_s_next_revision() {
    let days = split(three_days(), 1, 3);
    let first = map_days(&settings(), "acme", &days, &SyncedState::default()).unwrap();
    // Day 2's order is edited (18 → 24) and the range is run again.
    let mut records = three_days();
    let (mut edited, _) = coffee("o2", 2, "24.00");
    edited.source_modified_date = Some("2024-05-04T09:00:00Z".parse().unwrap());
    records.orders[1] = edited;
    let out = map_days(&settings(), "acme", &split(records, 1, 3), &first.state).unwrap();
    assert_eq!(
        invoices(&out),
        [(
            "cs:acme:2024-05-02:GBP:invoice:r1".into(),
            may(2),
            "6.00".into()
        )]
    );
}

#[test]
fn records_of_days_before_the_period_and_deletes_go_to_its_first_day() {
    let (late, late_payment) = coffee("o0", 1, "12.00");
    let mut records = three_days();
    records.orders.retain(|o| o.id == "o3");
    records.payments.retain(|p| p.id == "o3-p");
    records.orders.push(late);
    records.payments.push(late_payment);
    records.deleted.push((DatasetKind::Orders, "gone".into()));
    let days = split(records, 2, 3);
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].0, may(2));
    assert_eq!(days[0].1.orders[0].id, "o0");
    assert_eq!(
        days[0].1.deleted,
        [(DatasetKind::Orders, "gone".to_owned())]
    );
    assert_eq!(days[1].0, may(3));
    assert_eq!(days[1].1.orders[0].id, "o3");
}

#[test]
fn a_day_is_cut_where_the_merchant_s_day_ends_not_at_midnight() {
    // Sync hour 02:00 in London (BST, UTC+1): 00:30 UTC on 2 May is 01:30 local, still 1 May.
    let schedule = crate::period::Schedule::new(
        may(1),
        2,
        Some("Europe/London"),
        crate::period::Frequency::Daily,
    )
    .unwrap();
    let day_of = |t: Timestamp| {
        let local = t.to_zoned(schedule.time_zone().clone()).date();
        if schedule.sync_hour_on(local).unwrap() <= t {
            local
        } else {
            local.yesterday().unwrap()
        }
    };
    let (mut o, _) = coffee("night", 1, "12.00");
    o.created_date = "2024-05-02T00:30:00Z".parse().unwrap();
    let records = PeriodRecords {
        orders: vec![o],
        ..PeriodRecords::default()
    };
    let days = split_by_day(records, may(1), may(2), day_of);
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].0, may(1));
}

#[test]
fn a_fee_the_day_after_its_payment_still_leaves_that_payment_s_account() {
    let mut records = three_days();
    // o1's payment (1 May) is by PayPal; its fee is charged on 2 May.
    records.orders[0].payments.clear();
    records.payments[0].payment_type = Some(crate::commerce::PaymentType::Paypal);
    let mut fee = fee_on("f1", "PaymentFee", "-0.40", "o1-p");
    fee.created_date = at(2, 18).parse().unwrap();
    records.transactions.push(fee);
    let s = settings().with_payment_account(crate::commerce::PaymentType::Paypal, "1150");
    let days = split(records, 1, 3);
    let out = map_days(&s, "acme", &days, &SyncedState::default()).unwrap();
    let bill_payment = out
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::BillPayment)
        .unwrap();
    assert_eq!(bill_payment.date, may(2));
    assert_eq!(bill_payment.account_id.as_deref(), Some("1150"));
}

//! Pushed records on every backend: exact bodies, the idempotency rule, history, deletes,
//! period reads (races are in `concurrent_pushes.rs`).

use domain::commerce::{DatasetKind, parse_orders};
use domain::{CompanyName, CompanyTags, NewCompany};
use jiff::Timestamp;
use std::sync::Arc;
use store::{DatasetId, RecordChange, Store};

use common::{at, company, counts, delete, upsert};

#[macro_use]
mod common;

mod backends {
    on_every_backend!(canonical_json_round_trips_exactly);
    on_every_backend!(same_key_again_changes_nothing);
    on_every_backend!(new_source_modified_date_keeps_the_old_version);
    on_every_backend!(delete_keeps_history_and_the_id_can_come_back);
    on_every_backend!(undated_records_are_compared_by_body);
    on_every_backend!(an_id_repeated_in_one_push_applies_in_order);
    on_every_backend!(created_between_is_half_open_ordered_and_scoped);
    on_every_backend!(deleting_the_company_removes_its_records);
}

const ORDERS: DatasetKind = DatasetKind::Orders;

async fn canonical_json_round_trips_exactly(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    // A real order through the domain parser, and a body whose text has traps: key order,
    // trailing zeros, big and exponent numbers, escapes and non-ASCII.
    let pushed: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/order.json")).unwrap();
    let (parsed, errors) = parse_orders(&serde_json::json!([pushed]), "/orders");
    assert!(errors.is_empty(), "{errors:?}");
    let order = RecordChange::from_parsed(&parsed[0]);
    let odd = RecordChange {
        id: "odd \"id\" é".into(),
        created_date: Some(at(5)),
        source_modified_date: Some(Timestamp::from_microsecond(1_700_000_000_123_456).unwrap()),
        canonical_json: r#"{"z":1.50,"a":12345678901234567890.000001,"e":1e-7,"s":"\u0000 \" é 😀","n":null,"o":{"b":[],"a":{}}}"#.into(),
        delete: false,
    };
    let dataset = DatasetId::new();
    let done = store
        .apply_changes(company, ORDERS, dataset, vec![order.clone(), odd.clone()])
        .await
        .unwrap();
    assert_eq!(done, counts(2, 0, 0, 0));

    for change in [&order, &odd] {
        let history = store
            .record(company, ORDERS, &change.id)
            .await
            .unwrap()
            .expect("stored");
        let current = history.current;
        assert_eq!(
            current.canonical_json, change.canonical_json,
            "byte for byte"
        );
        assert_eq!(current.id, change.id);
        assert_eq!(current.created_date, change.created_date);
        assert_eq!(current.source_modified_date, change.source_modified_date);
        assert_eq!((current.version, current.deleted), (1, false));
        assert_eq!(current.dataset_id, dataset);
        assert!(history.previous.is_empty());
    }
    let read: serde_json::Value = serde_json::from_str(
        &store
            .record(company, ORDERS, &order.id)
            .await
            .unwrap()
            .unwrap()
            .current
            .canonical_json,
    )
    .unwrap();
    assert_eq!(
        read, parsed[0].canonical,
        "the canonical order reads back equal"
    );
}

async fn same_key_again_changes_nothing(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    let push: Vec<RecordChange> = (0..300)
        .map(|i| upsert(&format!("o{i}"), i, i, "v1"))
        .collect();
    let first = DatasetId::new();
    let done = store
        .apply_changes(company, ORDERS, first, push.clone())
        .await
        .unwrap();
    assert_eq!(done, counts(300, 0, 0, 0));
    // The same key with a different body is still "the same": the date decides.
    let mut again = push.clone();
    again[7].canonical_json = r#"{"id":"o7","tag":"changed body, same date"}"#.into();
    let done = store
        .apply_changes(company, ORDERS, DatasetId::new(), again)
        .await
        .unwrap();
    assert_eq!(done, counts(0, 0, 300, 0));
    let o7 = store.record(company, ORDERS, "o7").await.unwrap().unwrap();
    assert_eq!(o7.current.canonical_json, push[7].canonical_json);
    assert_eq!(o7.current.version, 1);
    assert_eq!(o7.current.dataset_id, first, "nothing was rewritten");
    assert!(o7.previous.is_empty());
}

async fn new_source_modified_date_keeps_the_old_version(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    let (d1, d2, d3) = (DatasetId::new(), DatasetId::new(), DatasetId::new());
    let v1 = upsert("o1", 0, 10, "v1");
    let v2 = upsert("o1", 1, 20, "v2");
    // An older date pushed last still wins: the latest push is the client's word.
    let v3 = upsert("o1", 2, 15, "v3");
    store
        .apply_changes(
            company,
            ORDERS,
            d1,
            vec![v1.clone(), upsert("o2", 0, 10, "x")],
        )
        .await
        .unwrap();
    let done = store
        .apply_changes(
            company,
            ORDERS,
            d2,
            vec![v2.clone(), upsert("o2", 0, 10, "x")],
        )
        .await
        .unwrap();
    assert_eq!(done, counts(0, 1, 1, 0));
    let done = store
        .apply_changes(company, ORDERS, d3, vec![v3.clone()])
        .await
        .unwrap();
    assert_eq!(done, counts(0, 1, 0, 0));

    let o1 = store.record(company, ORDERS, "o1").await.unwrap().unwrap();
    assert_eq!(o1.current.canonical_json, v3.canonical_json);
    assert_eq!(o1.current.created_date, v3.created_date);
    assert_eq!((o1.current.version, o1.current.dataset_id), (3, d3));
    let previous: Vec<(u64, &str, DatasetId, Option<Timestamp>)> = o1
        .previous
        .iter()
        .map(|r| {
            (
                r.version,
                r.canonical_json.as_str(),
                r.dataset_id,
                r.source_modified_date,
            )
        })
        .collect();
    assert_eq!(
        previous,
        vec![
            (1, v1.canonical_json.as_str(), d1, v1.source_modified_date),
            (2, v2.canonical_json.as_str(), d2, v2.source_modified_date),
        ]
    );
}

async fn delete_keeps_history_and_the_id_can_come_back(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    let v1 = upsert("o1", 5, 10, "v1");
    store
        .apply_changes(company, ORDERS, DatasetId::new(), vec![v1.clone()])
        .await
        .unwrap();
    let done = store
        .apply_changes(
            company,
            ORDERS,
            DatasetId::new(),
            vec![delete("o1"), delete("never-stored")],
        )
        .await
        .unwrap();
    assert_eq!(
        done,
        counts(0, 0, 1, 1),
        "an unknown id's delete changes nothing"
    );
    assert_eq!(
        store.record(company, ORDERS, "never-stored").await.unwrap(),
        None
    );

    let gone = store.record(company, ORDERS, "o1").await.unwrap().unwrap();
    assert!(gone.current.deleted);
    assert_eq!(gone.current.version, 2);
    assert_eq!(gone.current.canonical_json, r#"{"id":"o1"}"#);
    assert_eq!(
        gone.current.created_date, v1.created_date,
        "kept for period reads"
    );
    assert_eq!(gone.current.source_modified_date, None);
    assert_eq!(gone.previous.len(), 1);
    assert_eq!(gone.previous[0].canonical_json, v1.canonical_json);
    assert!(
        store
            .records_created_between(company, ORDERS, at(0), at(100))
            .await
            .unwrap()
            .is_empty(),
        "deleted records are not read for syncs"
    );

    let done = store
        .apply_changes(company, ORDERS, DatasetId::new(), vec![delete("o1")])
        .await
        .unwrap();
    assert_eq!(done, counts(0, 0, 1, 0), "deleting twice changes nothing");

    // The very same version pushed again brings the record back.
    let done = store
        .apply_changes(company, ORDERS, DatasetId::new(), vec![v1.clone()])
        .await
        .unwrap();
    assert_eq!(done, counts(0, 1, 0, 0));
    let back = store.record(company, ORDERS, "o1").await.unwrap().unwrap();
    assert!(!back.current.deleted);
    assert_eq!(back.current.version, 3);
    assert_eq!(back.current.canonical_json, v1.canonical_json);
    assert_eq!(
        back.previous.iter().map(|r| r.deleted).collect::<Vec<_>>(),
        vec![false, true]
    );
    let live = store
        .records_created_between(company, ORDERS, at(0), at(100))
        .await
        .unwrap();
    assert_eq!(live, vec![back.current]);
}

async fn undated_records_are_compared_by_body(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    let undated = |tag: &str| RecordChange {
        source_modified_date: None,
        ..upsert("t1", 0, 0, tag)
    };
    let kind = DatasetKind::Transactions;
    let push = |change: RecordChange| {
        let store = store.clone();
        async move {
            store
                .apply_changes(company, kind, DatasetId::new(), vec![change])
                .await
                .unwrap()
        }
    };
    assert_eq!(push(undated("a")).await, counts(1, 0, 0, 0));
    assert_eq!(push(undated("a")).await, counts(0, 0, 1, 0));
    assert_eq!(push(undated("b")).await, counts(0, 1, 0, 0));
    // Gaining a date is a change too.
    assert_eq!(push(upsert("t1", 0, 0, "b")).await, counts(0, 1, 0, 0));
    let t1 = store.record(company, kind, "t1").await.unwrap().unwrap();
    assert_eq!(t1.current.version, 3);
    assert_eq!(store.record(company, ORDERS, "t1").await.unwrap(), None);
}

async fn an_id_repeated_in_one_push_applies_in_order(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    let changes = vec![
        upsert("o1", 0, 1, "a"),
        upsert("o2", 0, 1, "a"),
        upsert("o1", 0, 2, "b"),
        delete("o2"),
        upsert("o1", 0, 2, "b"),
    ];
    let done = store
        .apply_changes(company, ORDERS, DatasetId::new(), changes)
        .await
        .unwrap();
    assert_eq!(done, counts(2, 1, 1, 1));
    let o1 = store.record(company, ORDERS, "o1").await.unwrap().unwrap();
    assert_eq!((o1.current.version, o1.previous.len()), (2, 1));
    assert!(o1.current.canonical_json.contains("\"b\""));
    let o2 = store.record(company, ORDERS, "o2").await.unwrap().unwrap();
    assert!(o2.current.deleted);
}

async fn created_between_is_half_open_ordered_and_scoped(store: Arc<dyn Store>) {
    let (client, company) = company(&store).await;
    let other = store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse("Other").unwrap(),
                description: None,
                tags: CompanyTags::default(),
            },
        )
        .await
        .unwrap()
        .id;
    let changes = vec![
        upsert("b", 20, 1, "x"),
        upsert("a", 20, 1, "x"),
        upsert("start", 10, 1, "x"),
        upsert("end", 30, 1, "x"),
        upsert("before", 9, 1, "x"),
        RecordChange {
            created_date: None,
            ..upsert("undated", 0, 1, "x")
        },
    ];
    let d = DatasetId::new();
    store
        .apply_changes(company, ORDERS, d, changes.clone())
        .await
        .unwrap();
    store
        .apply_changes(other, ORDERS, d, changes.clone())
        .await
        .unwrap();
    store
        .apply_changes(company, DatasetKind::Payments, d, changes)
        .await
        .unwrap();
    let ids: Vec<String> = store
        .records_created_between(company, ORDERS, at(10), at(30))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["start", "a", "b"], "[start, end), by date then id");
}

async fn deleting_the_company_removes_its_records(store: Arc<dyn Store>) {
    let (client, company) = company(&store).await;
    store
        .apply_changes(
            company,
            ORDERS,
            DatasetId::new(),
            vec![upsert("o1", 0, 1, "a")],
        )
        .await
        .unwrap();
    store
        .apply_changes(
            company,
            ORDERS,
            DatasetId::new(),
            vec![upsert("o1", 0, 2, "b")],
        )
        .await
        .unwrap();
    assert!(store.delete_company(client, company).await.unwrap());
    assert_eq!(store.record(company, ORDERS, "o1").await.unwrap(), None);
    // A push for a company that no longer exists fails whole instead of leaving orphans.
    assert!(
        store
            .apply_changes(
                company,
                ORDERS,
                DatasetId::new(),
                vec![upsert("o2", 0, 1, "a")],
            )
            .await
            .is_err()
    );
}

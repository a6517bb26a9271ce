//! Pushes of the same records racing from many tasks: one copy of each record, each push
//! one version, a history without gaps or repeats.

use domain::commerce::DatasetKind;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use store::{ApplyCounts, DatasetId, RecordChange, Store};

use common::{at, company, counts, upsert};

#[macro_use]
mod common;

mod backends {
    on_every_backend!(the_same_dataset_applied_concurrently_lands_once);
    on_every_backend!(concurrent_versions_serialize_into_one_history);
}

const ORDERS: DatasetKind = DatasetKind::Orders;

async fn the_same_dataset_applied_concurrently_lands_once(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    const RECORDS: usize = 400;
    const TASKS: usize = 12;
    let dataset = DatasetId::new();
    // Some ids exist already so pushes mix inserts with unchanged rows.
    let push: Vec<RecordChange> = (0..RECORDS)
        .map(|i| upsert(&format!("o{i:04}"), i as i64, 1, "v1"))
        .collect();
    store
        .apply_changes(company, ORDERS, dataset, push[..50].to_vec())
        .await
        .unwrap();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let (store, mut push) = (store.clone(), push.clone());
            // Different orders of the same records, to provoke lock-order trouble.
            if t % 2 == 1 {
                push.reverse();
            }
            tokio::spawn(async move {
                store
                    .apply_changes(company, ORDERS, dataset, push)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut total = ApplyCounts::default();
    for task in tasks {
        total += task.await.unwrap();
    }
    let fresh = (RECORDS - 50) as u64;
    assert_eq!(
        total,
        counts(fresh, 0, (RECORDS * TASKS) as u64 - fresh, 0),
        "each new id inserted by exactly one push"
    );
    let read = store
        .records_created_between(company, ORDERS, at(-1), at(RECORDS as i64))
        .await
        .unwrap();
    assert_eq!(read.len(), RECORDS, "exactly one copy of each record");
    let distinct: HashSet<&str> = read.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(distinct.len(), RECORDS);
    assert!(read.iter().all(|r| r.version == 1));
}

async fn concurrent_versions_serialize_into_one_history(store: Arc<dyn Store>) {
    let (_, company) = company(&store).await;
    const RECORDS: usize = 150;
    const TASKS: usize = 8;
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let store = store.clone();
            let mut push: Vec<RecordChange> = (0..RECORDS)
                .map(|i| upsert(&format!("o{i}"), 0, t as i64, &format!("v{t}")))
                .collect();
            if t % 2 == 1 {
                push.reverse();
            }
            tokio::spawn(async move {
                store
                    .apply_changes(company, ORDERS, DatasetId::new(), push)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut total = ApplyCounts::default();
    for task in tasks {
        total += task.await.unwrap();
    }
    let (r, t) = (RECORDS as u64, TASKS as u64);
    assert_eq!(total, counts(r, r * (t - 1), 0, 0));
    let expected: BTreeSet<String> = (0..TASKS).map(|t| format!("v{t}")).collect();
    for i in 0..RECORDS {
        let record = store
            .record(company, ORDERS, &format!("o{i}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.current.version, t);
        let versions: Vec<u64> = record.previous.iter().map(|v| v.version).collect();
        assert_eq!(versions, (1..t).collect::<Vec<_>>(), "no gaps, no repeats");
        let tags: BTreeSet<String> = std::iter::once(&record.current)
            .chain(&record.previous)
            .map(|v| {
                let body: serde_json::Value = serde_json::from_str(&v.canonical_json).unwrap();
                body["tag"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(tags, expected, "every push is one version of o{i}");
    }
}

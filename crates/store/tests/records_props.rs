//! Property tests of pushes: any sequence of create/modify/delete pushes ends in the state
//! an in-memory model predicts (with the same counts per push), and pushes racing from
//! several tasks end, for every id, in the last write of one of them, with a gap-free history.
//!
//! One runtime and one database per test, a fresh company per case: a sqlx pool belongs to
//! the runtime that opened it, and a new PostgreSQL database per case would dominate the time.

use domain::commerce::DatasetKind;
use domain::{ClientId, CompanyId, CompanyName, CompanyTags, NewCompany};
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::sync::Arc;
use store::testing::TestDatabase;
use store::{ApplyCounts, DatasetId, RecordChange, Store};

const IDS: [&str; 4] = ["a", "b", "c", "d"];
const KIND: DatasetKind = DatasetKind::Orders;

/// One pushed record: an upsert (with or without a date; the body number varies the body
/// and the creation date) or a delete.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Upsert { smd: Option<i64>, body: u8 },
    Delete,
}

type Push = Vec<(usize, Op)>;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (proptest::option::weighted(0.8, 0..3i64), 0..3u8)
            .prop_map(|(smd, body)| Op::Upsert { smd, body }),
        1 => Just(Op::Delete),
    ]
}

fn push() -> impl Strategy<Value = Push> {
    proptest::collection::vec((0..IDS.len(), op()), 1..6)
}

fn change(id: usize, op: &Op) -> RecordChange {
    let id = IDS[id];
    match op {
        Op::Upsert { smd, body } => RecordChange {
            id: id.into(),
            created_date: Some(Timestamp::from_second(i64::from(*body) * 60).unwrap()),
            source_modified_date: smd.map(|s| Timestamp::from_second(1_000 + s).unwrap()),
            canonical_json: format!(r#"{{"id":"{id}","body":{body}}}"#),
            delete: false,
        },
        Op::Delete => RecordChange {
            id: id.into(),
            created_date: None,
            source_modified_date: None,
            canonical_json: format!(r#"{{"id":"{id}"}}"#),
            delete: true,
        },
    }
}

/// What the store should hold for one id: every version, oldest first.
#[derive(Debug, Clone, Default)]
struct Model {
    versions: Vec<RecordChange>,
}

impl Model {
    /// Applies one change by the documented rule and says what it counted as.
    fn apply(&mut self, change: RecordChange, counts: &mut ApplyCounts) {
        match self.versions.last() {
            None if change.delete => counts.unchanged += 1,
            None => {
                counts.inserted += 1;
                self.versions.push(change);
            }
            Some(now) if change.delete && now.delete => counts.unchanged += 1,
            Some(_) if change.delete => {
                counts.deleted += 1;
                self.versions.push(change);
            }
            Some(now)
                if !now.delete
                    && now.source_modified_date == change.source_modified_date
                    && (change.source_modified_date.is_some()
                        || now.canonical_json == change.canonical_json) =>
            {
                counts.unchanged += 1
            }
            Some(_) => {
                counts.modified += 1;
                self.versions.push(change);
            }
        }
    }
}

/// A fresh company, with its client, for one case.
async fn company(store: &Arc<dyn Store>) -> CompanyId {
    let client: ClientId = store.ensure_client("props").await.unwrap().id;
    store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse("Case").unwrap(),
                description: None,
                tags: CompanyTags::default(),
            },
        )
        .await
        .unwrap()
        .id
}

/// The stored versions of `id` as the changes that wrote them: body, dates and delete flag.
async fn stored(store: &Arc<dyn Store>, company: CompanyId, id: &str) -> Vec<RecordChange> {
    let Some(history) = store.record(company, KIND, id).await.unwrap() else {
        return Vec::new();
    };
    let versions: Vec<_> = history
        .previous
        .iter()
        .chain(std::iter::once(&history.current))
        .collect();
    let numbers: Vec<u64> = versions.iter().map(|v| v.version).collect();
    assert_eq!(numbers, (1..=versions.len() as u64).collect::<Vec<_>>());
    versions
        .into_iter()
        .map(|v| RecordChange {
            id: v.id.clone(),
            // A tombstone keeps the creation date of the version it deleted.
            created_date: if v.deleted { None } else { v.created_date },
            source_modified_date: v.source_modified_date,
            canonical_json: v.canonical_json.clone(),
            delete: v.deleted,
        })
        .collect()
}

async fn sequence_matches_the_model(store: Arc<dyn Store>, pushes: Vec<Push>) {
    let company = company(&store).await;
    let mut models: BTreeMap<usize, Model> = BTreeMap::new();
    for push in &pushes {
        let changes: Vec<RecordChange> = push.iter().map(|(id, op)| change(*id, op)).collect();
        let mut expected = ApplyCounts::default();
        for (id, op) in push {
            models
                .entry(*id)
                .or_default()
                .apply(change(*id, op), &mut expected);
        }
        let counts = store
            .apply_changes(company, KIND, DatasetId::new(), changes)
            .await
            .unwrap();
        assert_eq!(counts, expected, "push {push:?}");
    }
    let mut live = Vec::new();
    for (index, id) in IDS.iter().enumerate() {
        let model = models.remove(&index).unwrap_or_default();
        assert_eq!(stored(&store, company, id).await, model.versions, "id {id}");
        if let Some(last) = model.versions.last().filter(|v| !v.delete) {
            live.push((last.created_date, last.id.clone()));
        }
    }
    live.sort();
    let read: Vec<_> = store
        .records_created_between(
            company,
            KIND,
            Timestamp::from_second(0).unwrap(),
            Timestamp::from_second(3_600).unwrap(),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.created_date, r.id))
        .collect();
    assert_eq!(read, live, "period reads see the live current versions");
}

/// What the race may end in for one id: a stream's last write, as its idempotency key
/// (the body counts only when undated; a delete may also leave nothing).
fn key(change: &RecordChange) -> (bool, Option<Timestamp>, Option<String>) {
    let body = (!change.delete && change.source_modified_date.is_none())
        .then(|| change.canonical_json.clone());
    (change.delete, change.source_modified_date, body)
}

async fn racing_streams_end_in_a_last_write(store: Arc<dyn Store>, streams: Vec<Vec<Push>>) {
    let company = company(&store).await;
    let tasks: Vec<_> = streams
        .iter()
        .cloned()
        .map(|stream| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut total = ApplyCounts::default();
                for push in stream {
                    let changes = push.iter().map(|(id, op)| change(*id, op)).collect();
                    total += store
                        .apply_changes(company, KIND, DatasetId::new(), changes)
                        .await
                        .unwrap();
                }
                total
            })
        })
        .collect();
    let mut total = ApplyCounts::default();
    for task in tasks {
        total += task.await.unwrap();
    }
    let pushed: usize = streams.iter().flatten().map(Vec::len).sum();
    assert_eq!(total.total(), pushed as u64, "one count per pushed record");

    let (mut stored_ids, mut versions) = (0, 0);
    for (index, id) in IDS.iter().enumerate() {
        let last_writes: Vec<RecordChange> = streams
            .iter()
            .filter_map(|stream| {
                stream
                    .iter()
                    .flatten()
                    .rfind(|(i, _)| *i == index)
                    .map(|(i, op)| change(*i, op))
            })
            .collect();
        let history = stored(&store, company, id).await;
        match history.last() {
            None => assert!(
                last_writes.iter().all(|w| w.delete),
                "{id} missing though some stream created it: {last_writes:?}"
            ),
            Some(current) => {
                assert!(
                    last_writes.iter().any(|w| key(w) == key(current)),
                    "{id} ended as {current:?}, not a last write of {last_writes:?}"
                );
                stored_ids += 1;
                versions += history.len() as u64;
            }
        }
    }
    assert_eq!(total.inserted, stored_ids, "each stored id inserted once");
    assert_eq!(
        total.inserted + total.modified + total.deleted,
        versions,
        "each counted change is one stored version"
    );
}

/// Runs `cases` cases of `check` against `db`.
fn run<S, F, Fut>(
    db: TestDatabase,
    runtime: &tokio::runtime::Runtime,
    cases: u32,
    strategy: S,
    check: F,
) where
    S: Strategy,
    F: Fn(Arc<dyn Store>, S::Value) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let store = runtime.block_on(store::open(&db.url)).expect("open");
    eprintln!("{cases} cases on {}", store.backend().as_str());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |value| {
        runtime.block_on(check(store.clone(), value));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(3)
        .enable_all()
        .build()
        .unwrap()
}

fn sequences() -> impl Strategy<Value = Vec<Push>> {
    proptest::collection::vec(push(), 1..8)
}

fn streams() -> impl Strategy<Value = Vec<Vec<Push>>> {
    proptest::collection::vec(proptest::collection::vec(push(), 1..5), 2..4)
}

#[test]
fn any_sequence_of_pushes_matches_the_model_on_sqlite() {
    let rt = runtime();
    run(
        TestDatabase::sqlite(),
        &rt,
        256,
        sequences(),
        sequence_matches_the_model,
    );
}

#[test]
fn any_sequence_of_pushes_matches_the_model_on_postgres() {
    let rt = runtime();
    if let Some(db) = rt.block_on(TestDatabase::postgres()) {
        run(db, &rt, 32, sequences(), sequence_matches_the_model);
    }
}

#[test]
fn racing_pushes_end_in_a_last_write_on_sqlite() {
    let rt = runtime();
    run(
        TestDatabase::sqlite(),
        &rt,
        96,
        streams(),
        racing_streams_end_in_a_last_write,
    );
}

#[test]
fn racing_pushes_end_in_a_last_write_on_postgres() {
    let rt = runtime();
    if let Some(db) = rt.block_on(TestDatabase::postgres()) {
        run(db, &rt, 32, streams(), racing_streams_end_in_a_last_write);
    }
}

//! The bulk path's rate against raw inserts of the same rows, on every backend. Ignored by
//! default (it measures, and timing on a shared machine is noisy); run it with
//! `cargo test -p store --release --test bulk_rate -- --ignored --nocapture`
//! and `BULK_RECORDS=1000000` for the full benchmark. The goal is ≥ 50% of the raw rate.
//!
//! "Raw" is [`store::baseline::RawInserter`], the fastest plain write of the same rows into
//! the same table: one multi-row INSERT per 1,000 rows (SQLite, 250 rows per statement) or one
//! UNNEST INSERT (PostgreSQL), one transaction per 1,000, no lookups.
//!
//! Measured 2026-11-26 (2 shared cores, dev profile, 1,000,000 orders of ~2 kB): SQLite
//! 16.1k/s pushed vs 21.0k/s raw (77%); PostgreSQL 15 8.6k/s vs 10.1k/s (86%).
//! Re-pushes: unchanged 28k/s and 48k/s, modified 7.6k/s and 3.6k/s (PostgreSQL then
//! replaced row by row; batched since, 5.7k/s in a 100,000-order run).

use domain::commerce::DatasetKind;
use domain::{CompanyName, CompanyTags, NewCompany};
use jiff::Timestamp;
use std::time::{Duration, Instant};
use store::baseline::RawInserter;
use store::testing::TestDatabase;
use store::{DatasetId, RecordChange};

const PER_DATASET: usize = 1_000;

fn records() -> usize {
    std::env::var("BULK_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// A realistic order body (about 2 kB), with its id swapped in.
fn order(template: &str, i: usize) -> RecordChange {
    let id = format!("order-{i:08}");
    RecordChange {
        canonical_json: template.replacen("\"order-1\"", &format!("\"{id}\""), 1),
        id,
        created_date: Some(Timestamp::from_second(1_700_000_000 + i as i64).unwrap()),
        source_modified_date: Some(Timestamp::from_second(1_700_000_000).unwrap()),
        delete: false,
    }
}

fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn bulk_push_rate_against_raw_inserts() {
    let template = include_str!("fixtures/order.json");
    let n = records();
    let all: Vec<RecordChange> = (0..n).map(|i| order(template, i)).collect();
    for db in TestDatabase::both().await {
        let store = store::open(&db.url).await.unwrap();
        let client = store.ensure_client("bench").await.unwrap().id;
        let mut companies = Vec::new();
        for name in ["pushed", "raw"] {
            let new = NewCompany {
                name: CompanyName::parse(name).unwrap(),
                description: None,
                tags: CompanyTags::default(),
            };
            companies.push(store.create_company(client, new).await.unwrap().id);
        }

        let started = Instant::now();
        for batch in all.chunks(PER_DATASET) {
            let counts = store
                .apply_changes(
                    companies[0],
                    DatasetKind::Orders,
                    DatasetId::new(),
                    batch.to_vec(),
                )
                .await
                .unwrap();
            assert_eq!(counts.inserted, batch.len() as u64);
        }
        let pushed = started.elapsed();

        let started = Instant::now();
        let mut raw = RawInserter::connect(&db.url).await.unwrap();
        for batch in all.chunks(PER_DATASET) {
            raw.insert(companies[1], DatasetKind::Orders, batch)
                .await
                .unwrap();
        }
        let raw = started.elapsed();

        // Pushing the same datasets again: every record unchanged, the idempotent path.
        let started = Instant::now();
        for batch in all
            .chunks(PER_DATASET)
            .take(n.div_ceil(PER_DATASET).min(100))
        {
            let counts = store
                .apply_changes(
                    companies[0],
                    DatasetKind::Orders,
                    DatasetId::new(),
                    batch.to_vec(),
                )
                .await
                .unwrap();
            assert_eq!(counts.unchanged, batch.len() as u64);
        }
        let again = started.elapsed();
        let again_n = all.len().min(100 * PER_DATASET);

        // And once more with a new sourceModifiedDate: every record modified, old kept.
        let later = Some(Timestamp::from_second(1_800_000_000).unwrap());
        let started = Instant::now();
        for batch in all.chunks(PER_DATASET).take(again_n / PER_DATASET) {
            let changed: Vec<RecordChange> = batch
                .iter()
                .map(|c| RecordChange {
                    source_modified_date: later,
                    ..c.clone()
                })
                .collect();
            let counts = store
                .apply_changes(companies[0], DatasetKind::Orders, DatasetId::new(), changed)
                .await
                .unwrap();
            assert_eq!(counts.modified, batch.len() as u64);
        }
        let modified = started.elapsed();

        let (p, r) = (rate(n, pushed), rate(n, raw));
        eprintln!(
            "{}: {n} records in datasets of {PER_DATASET}: pushed {p:.0}/s, raw {r:.0}/s \
             ({:.0}% of raw); re-push of {again_n}: unchanged {:.0}/s, modified {:.0}/s",
            store.backend().as_str(),
            100.0 * p / r,
            rate(again_n, again),
            rate(again_n, modified)
        );
    }
}

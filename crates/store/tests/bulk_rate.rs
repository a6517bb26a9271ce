//! The bulk path's rate against raw inserts of the same rows, on every backend. Ignored by
//! default (it measures, and timing on a shared machine is noisy); run it with
//! `cargo test -p store --release --test bulk_rate -- --ignored --nocapture`
//! and `BULK_RECORDS=1000000` for the full benchmark. The goal is ≥ 50% of the raw rate.
//!
//! "Raw" is the fastest plain write of the same rows into the same table: one multi-row
//! INSERT per 1,000 rows (SQLite, 250 rows per statement) or one UNNEST INSERT (PostgreSQL),
//! one transaction per 1,000, no lookups.
//!
//! Measured 2026-11-26 (2 shared cores, dev profile, 1,000,000 orders of ~2 kB): SQLite
//! 16.1k/s pushed vs 21.0k/s raw (77%); PostgreSQL 15 8.6k/s vs 10.1k/s (86%).
//! Re-pushes: unchanged 28k/s and 48k/s, modified 7.6k/s and 3.6k/s (PostgreSQL then
//! replaced row by row; batched since, 5.7k/s in a 100,000-order run).

use domain::commerce::DatasetKind;
use domain::{CompanyName, CompanyTags, NewCompany};
use jiff::Timestamp;
use sqlx::Connection;
use std::time::{Duration, Instant};
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

async fn raw_sqlite(conn: &mut sqlx::SqliteConnection, company: &str, batch: &[RecordChange]) {
    let mut tx = conn.begin().await.unwrap();
    for chunk in batch.chunks(250) {
        let values = vec!["(?, ?, ?, 1, ?, ?, 0, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO records (company_id, data_type, id, version, created_date,
                source_modified_date, deleted, body, dataset_id, written) VALUES {values}"
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(company)
                .bind("commerce-orders")
                .bind(&c.id)
                .bind(c.created_date.map(|t| t.as_microsecond()))
                .bind(c.source_modified_date.map(|t| t.as_microsecond()))
                .bind(&c.canonical_json)
                .bind("00000000-0000-0000-0000-000000000000")
                .bind(0i64);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn raw_postgres(conn: &mut sqlx::PgConnection, company: uuid::Uuid, batch: &[RecordChange]) {
    let mut tx = conn.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO records (company_id, data_type, id, version, created_date,
             source_modified_date, deleted, body, dataset_id, written)
         SELECT $1, 'commerce-orders', u.id, 1, u.created, u.smd, false, u.body, $2, 0
         FROM UNNEST($3::text[], $4::int8[], $5::int8[], $6::text[]) AS u(id, created, smd, body)",
    )
    .bind(company)
    .bind(uuid::Uuid::nil())
    .bind(batch.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
    .bind(
        batch
            .iter()
            .map(|c| c.created_date.map(|t| t.as_microsecond()))
            .collect::<Vec<_>>(),
    )
    .bind(
        batch
            .iter()
            .map(|c| c.source_modified_date.map(|t| t.as_microsecond()))
            .collect::<Vec<_>>(),
    )
    .bind(
        batch
            .iter()
            .map(|c| c.canonical_json.clone())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
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
        match store.backend() {
            store::Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
                for batch in all.chunks(PER_DATASET) {
                    raw_postgres(&mut conn, companies[1].0, batch).await;
                }
            }
            store::Backend::Sqlite => {
                // The store's own settings, so raw is not slowed by a stricter sync.
                let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
                sqlx::query("PRAGMA synchronous = NORMAL")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let company = companies[1].to_string();
                for batch in all.chunks(PER_DATASET) {
                    raw_sqlite(&mut conn, &company, batch).await;
                }
            }
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

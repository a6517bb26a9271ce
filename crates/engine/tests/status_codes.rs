//! Sync status codes produced while a run is under way, end to end on the Xero sandbox.

// The shared harness re-exports books checks this file does not need.
#[allow(unused_imports)]
mod common;

use common::{Harness, plan};
use engine::{Worker, WorkerSettings, status};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use std::time::Duration;
use store::testing::TestDatabase;

/// 03:00 in London on `day` of May 2024 (after the 02:00 sync hour).
fn may(day: i8) -> Timestamp {
    date(2024, 5, day)
        .at(3, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .unwrap()
        .timestamp()
}

/// A run still going ten minutes (by the clock) after it started reports 1010, and its real
/// outcome replaces that when it ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_over_ten_minutes_reports_1010_until_it_ends() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Slow", date(2024, 5, 1), 3, 4)).await;
        // Every sandbox call slow, so the run is still under way while the clock moves on.
        h.faults(json!({"latencyMs": 200})).await;
        // A heartbeat often enough to see the clock pass ten minutes mid-run.
        let worker = Worker {
            store: h.worker.store.clone(),
            clock: h.worker.clock.clone(),
            runner: h.worker.runner.clone(),
            settings: WorkerSettings {
                heartbeat: Duration::from_millis(10),
                ..h.worker.settings.clone()
            },
        };
        h.clock.set(may(4));
        h.scheduler().tick().await.unwrap();
        let run = tokio::spawn(async move { worker.run_until_idle().await.unwrap() });

        let mut seen = Vec::new();
        for _ in 0..2000 {
            let codes = h.codes(m.company).await;
            if let Some(&code) = codes.first() {
                if seen.last() != Some(&code) {
                    seen.push(code);
                }
                // 1010 seen, or the run over without it.
                if code == status::LONG_RUNNING || code >= 2000 {
                    break;
                }
            }
            // Short steps, well inside the lease the heartbeat renews.
            h.clock.advance(SignedDuration::from_secs(20));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(
            seen.contains(&status::LONG_RUNNING),
            "never 1010 while running: {seen:?}"
        );
        // The sandbox fast again: the run finishes and its outcome replaces 1010.
        h.faults(json!({})).await;
        assert_eq!(run.await.unwrap(), 1);
        assert_eq!(h.codes(m.company).await, [status::DATA_WRITTEN]);
    }
}

/// Orders accepted by the push whose day adds up beyond what the books can hold: the day's
/// mapping overflows and the sync ends in 5120, writing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn amounts_too_large_to_process_end_in_5120() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Absurd", date(2024, 5, 1), 3, 0)).await;
        let huge = "30000000000000000000000000000";
        let order = |id: &str| {
            json!({
                "id": id, "currency": "GBP",
                "createdDate": "2024-05-02T10:00:00Z",
                "sourceModifiedDate": "2024-05-02T10:00:00Z",
                "totalAmount": huge.parse::<serde_json::Number>().unwrap(),
                "totalGratuity": 0, "orderLineItems": [],
            })
        };
        let ingest = engine::Ingest::new(h.store.clone());
        let dataset = ingest
            .accept(
                h.client,
                m.company,
                domain::commerce::DatasetKind::Orders,
                json!({"orders": [order("o1"), order("o2"), order("o3")]}),
            )
            .await
            .expect("the push accepts the orders");
        let mut stored = None;
        for _ in 0..600 {
            let d = h
                .store
                .dataset(h.client, m.company, dataset.id)
                .await
                .unwrap()
                .unwrap();
            if d.status != store::DatasetStatus::Queued
                && d.status != store::DatasetStatus::Processing
            {
                stored = Some(d.status);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(stored, Some(store::DatasetStatus::Complete));

        h.clock.set(may(4));
        assert_eq!(h.tick_and_run().await, 1);
        assert_eq!(h.codes(m.company).await, [status::DATA_PROCESSING_ERROR]);
        let books = h.books(&m.tenant_id).await;
        assert!(
            common::key_counts(&books).is_empty(),
            "nothing written: {books}"
        );
    }
}

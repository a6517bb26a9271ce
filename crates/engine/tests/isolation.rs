//! One company's poisoned input must not stop any other company's syncs: a stored schedule
//! and a queued job whose dates are at the edge of what time arithmetic can represent (the
//! kind of input that used to panic inside the scheduler and the job loop) sit beside a
//! healthy company, and the healthy company keeps syncing day after day.

// The shared harness re-exports books checks this file does not need.
#[allow(unused_imports)]
mod common;

use common::{Harness, plan};
use domain::clock::Clock;
use engine::status;
use engine::sync_run::{SYNC_JOB, SyncJob};
use engine::{Worker, WorkerSettings};
use jiff::Timestamp;
use jiff::civil::date;
use std::sync::Arc;
use std::time::Duration;
use store::NewJob;
use store::testing::TestDatabase;
use uuid::Uuid;

/// 03:00 in London on `day` of May 2024 (after the 02:00 sync hour).
fn may(day: i8) -> Timestamp {
    date(2024, 5, day)
        .at(3, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .unwrap()
        .timestamp()
}

/// Waits until `company` has `n` syncs that all ended; their codes, oldest first.
async fn wait_for_syncs(h: &Harness, company: domain::CompanyId, n: usize) -> Vec<u16> {
    for _ in 0..600 {
        let codes = h.codes(company).await;
        if codes.len() >= n && codes.iter().all(|c| *c >= 2000) {
            return codes;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        // A run that failed for a passing reason (a slow sandbox on a busy machine) is retried
        // a few seconds later by the clock; let the manual clock get there.
        h.clock.advance(jiff::SignedDuration::from_secs(1));
    }
    panic!(
        "{company} never reached {n} finished syncs: {:?}; jobs {:#?}",
        h.codes(company).await,
        h.store.company_jobs(company).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poisoned_company_does_not_stop_the_others() {
    for db in TestDatabase::both().await {
        let h = Harness::new(db, may(1)).await;
        let healthy = h.seed(&plan("Healthy", date(2024, 5, 1), 3, 4)).await;
        let poisoned = h.seed(&plan("Poisoned", date(2024, 5, 1), 3, 4)).await;

        // A schedule stored without passing validation: the last day jiff can hold, west of UTC.
        let stored = h
            .store
            .config(h.client, poisoned.company)
            .await
            .unwrap()
            .unwrap();
        let mut document = stored.document.clone();
        let schedule = document.schedule.as_mut().unwrap();
        schedule.start_date = Some("9999-12-30".into());
        schedule.time_zone = Some("America/Los_Angeles".into());
        schedule.sync_hour = Some(23);
        h.store
            .put_config(h.client, poisoned.company, document, Some(stored.version))
            .await
            .unwrap()
            .unwrap();
        // And a job for it over the same far-future days.
        let sync_id = Uuid::new_v4();
        let job = SyncJob {
            sync_id,
            kind: "historic".into(),
            period_start: "9999-12-29T00:00:00Z".parse().unwrap(),
            period_end: "9999-12-30T21:00:00Z".parse().unwrap(),
            retry: false,
        };
        h.store
            .enqueue_job(
                NewJob {
                    kind: SYNC_JOB.into(),
                    company_id: poisoned.company,
                    unique_key: format!("poison:{sync_id}"),
                    payload: serde_json::to_value(&job).unwrap(),
                    run_after: may(1),
                },
                may(1),
            )
            .await
            .unwrap();

        // The worker's own loops (one job loop, so a dead loop would stop everything).
        h.clock.set(may(4));
        let worker = Arc::new(Worker {
            store: h.store.clone(),
            clock: Arc::new(h.clock.clone()),
            runner: h.worker.runner.clone(),
            settings: WorkerSettings {
                id: "isolation".into(),
                concurrency: 1,
                poll: Duration::from_millis(20),
                schedule_every: Duration::from_millis(50),
                ..WorkerSettings::default()
            },
        });
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let running = tokio::spawn(worker.run(stopped));

        assert_eq!(
            wait_for_syncs(&h, healthy.company, 1).await,
            [status::DATA_WRITTEN]
        );
        // The next day too: the scheduler is still ticking after meeting the poisoned company.
        h.clock.set(may(5));
        assert_eq!(
            wait_for_syncs(&h, healthy.company, 2).await,
            [status::DATA_WRITTEN, status::NOTHING_TO_WRITE]
        );
        // The poisoned company's sync ended with a reason rather than hanging at 1000.
        let poisoned_codes = wait_for_syncs(&h, poisoned.company, 1).await;
        let run = h
            .store
            .sync_run(poisoned.company, sync_id)
            .await
            .unwrap()
            .expect("the poisoned sync is recorded");
        assert!(
            !status::is_success(run.outcome.status_code),
            "{poisoned_codes:?}"
        );
        assert!(run.outcome.error_message.is_some(), "{:?}", run.outcome);

        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(30), running)
            .await
            .expect("the worker stops")
            .unwrap();
    }
}

/// A sync stored by the API whose process died before queueing its job: after a grace period
/// the scheduler queues it again and it runs; one that stays orphaned is failed with a reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orphaned_syncs_are_queued_again_or_failed_with_a_reason() {
    for db in TestDatabase::both().await {
        // Before the first due instant, so the scheduler itself queues nothing for the company.
        let h = Harness::new(db, may(1)).await;
        let m = h.seed(&plan("Orphan", date(2024, 5, 1), 3, 4)).await;
        let start: Timestamp = "2024-05-01T01:00:00Z".parse().unwrap();
        let orphan = |id| store::NewSync {
            id,
            company_id: m.company,
            kind: store::SyncKind::Latest,
            period_start: start,
            period_end: may(1),
            requested: h.clock.now(),
        };
        let lost = Uuid::new_v4();
        h.store.create_sync(orphan(lost), true).await.unwrap();
        // Within the grace period the API may still be about to queue it.
        let tick = h.scheduler().tick().await.unwrap();
        assert!(
            tick.requeued.is_empty() && tick.abandoned.is_empty(),
            "{tick:?}"
        );
        h.clock
            .advance(engine::scheduler::ORPHAN_GRACE + jiff::SignedDuration::from_secs(1));
        let tick = h.scheduler().tick().await.unwrap();
        assert_eq!(tick.requeued, [lost]);
        assert_eq!(h.worker.run_until_idle().await.unwrap(), 1);
        let run = h.store.sync_run(m.company, lost).await.unwrap().unwrap();
        assert!(
            status::is_success(run.outcome.status_code),
            "{:?}",
            run.outcome
        );

        // Queued again, but its job ends without finishing it: failed, with our own reason.
        let stuck = Uuid::new_v4();
        let later = |h: &Harness| {
            h.clock
                .advance(engine::scheduler::ORPHAN_GRACE + jiff::SignedDuration::from_secs(1))
        };
        h.store.create_sync(orphan(stuck), false).await.unwrap();
        later(&h);
        let tick = h.scheduler().tick().await.unwrap();
        assert_eq!(tick.requeued, [stuck]);
        let job = h
            .store
            .claim_job("test", h.clock.now(), jiff::SignedDuration::from_secs(60))
            .await
            .unwrap()
            .expect("the re-queued job");
        assert!(
            h.store
                .end_job(job.id, "test", store::JobEnd::Done, h.clock.now())
                .await
                .unwrap()
        );
        later(&h);
        let tick = h.scheduler().tick().await.unwrap();
        assert_eq!(tick.abandoned, [stuck]);
        let run = h.store.sync_run(m.company, stuck).await.unwrap().unwrap();
        assert_eq!(run.outcome.status_code, status::SERVER_ERROR);
        assert!(run.completed.is_some());
        assert!(
            run.outcome
                .error_message
                .as_deref()
                .is_some_and(|m| m.contains("request it again")),
            "{:?}",
            run.outcome
        );
        // Nothing left for the reaper.
        later(&h);
        let tick = h.scheduler().tick().await.unwrap();
        assert!(
            tick.requeued.is_empty() && tick.abandoned.is_empty(),
            "{tick:?}"
        );
    }
}

//! The job queue and sync records on both databases: leases, expiry and re-claim, one job
//! per unique key, one running job per company, the 5080 overlap rule, idempotent plans.

#[macro_use]
mod common;

use common::{at, company};
use jiff::SignedDuration;
use serde_json::json;
use std::sync::Arc;
use store::{
    JobEnd, NewJob, NewPushItem, NewSync, PostedChanges, PushResult, PushStatus, Store, SyncKind,
};
use uuid::Uuid;

const LEASE: SignedDuration = SignedDuration::from_secs(30);

fn job(company: domain::CompanyId, key: &str, run_after: i64) -> NewJob {
    NewJob {
        kind: "sync".into(),
        company_id: company,
        unique_key: key.into(),
        payload: json!({"key": key}),
        run_after: at(run_after),
    }
}

mod backends {
    on_every_backend!(a_unique_key_queues_one_job_and_leases_expire_into_reclaims);
    on_every_backend!(a_company_never_runs_two_jobs_at_once);
    on_every_backend!(concurrent_claims_take_each_job_once);
    on_every_backend!(overlapping_ranges_are_refused_and_plans_are_stored_once);
}

async fn a_unique_key_queues_one_job_and_leases_expire_into_reclaims(store: Arc<dyn Store>) {
    let (_, c) = company(&store).await;
    let first = store.enqueue_job(job(c, "due-1", 10), at(0)).await.unwrap();
    assert!(first.is_some());
    assert_eq!(
        store.enqueue_job(job(c, "due-1", 10), at(1)).await.unwrap(),
        None
    );
    // Not due yet.
    assert!(store.claim_job("w1", at(5), LEASE).await.unwrap().is_none());
    let claimed = store.claim_job("w1", at(10), LEASE).await.unwrap().unwrap();
    assert_eq!(
        (claimed.id, claimed.attempts, claimed.payload.clone()),
        (first.unwrap(), 1, json!({"key": "due-1"}))
    );
    // Held: nobody else gets it; the holder renews.
    assert!(
        store
            .claim_job("w2", at(20), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .renew_lease(claimed.id, "w1", at(30), LEASE)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_job("w2", at(50), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    // w1 dies: after the lease, w2 takes the job over and w1 can no longer touch it.
    let again = store.claim_job("w2", at(61), LEASE).await.unwrap().unwrap();
    assert_eq!(
        (again.id, again.attempts, again.lease_owner.as_str()),
        (claimed.id, 2, "w2")
    );
    assert!(
        !store
            .renew_lease(claimed.id, "w1", at(62), LEASE)
            .await
            .unwrap()
    );
    assert!(
        !store
            .end_job(claimed.id, "w1", JobEnd::Done, at(62))
            .await
            .unwrap()
    );
    // Retry later, then done.
    assert!(
        store
            .end_job(
                again.id,
                "w2",
                JobEnd::RetryAt(at(100), "db".into()),
                at(63)
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_job("w1", at(99), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let third = store
        .claim_job("w1", at(100), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .end_job(third.id, "w1", JobEnd::Done, at(101))
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_job("w1", at(10_000), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let jobs = store.company_jobs(c).await.unwrap();
    assert_eq!(
        (jobs.len(), jobs[0].status.as_str(), jobs[0].attempts),
        (1, "done", 3)
    );
}

async fn a_company_never_runs_two_jobs_at_once(store: Arc<dyn Store>) {
    let (_, c) = company(&store).await;
    let (_, other) = company(&store).await;
    store.enqueue_job(job(c, "a", 0), at(0)).await.unwrap();
    store.enqueue_job(job(c, "b", 0), at(0)).await.unwrap();
    store.enqueue_job(job(other, "c", 0), at(0)).await.unwrap();
    let one = store.claim_job("w1", at(1), LEASE).await.unwrap().unwrap();
    let two = store.claim_job("w2", at(1), LEASE).await.unwrap().unwrap();
    assert_ne!(
        one.company_id, two.company_id,
        "the second claim skips the busy company"
    );
    assert!(store.claim_job("w3", at(1), LEASE).await.unwrap().is_none());
    let busy = if one.company_id == c { one } else { two };
    store
        .end_job(busy.id, &busy.lease_owner, JobEnd::Done, at(2))
        .await
        .unwrap();
    let next = store.claim_job("w3", at(3), LEASE).await.unwrap().unwrap();
    assert_eq!(next.company_id, c);
}

async fn concurrent_claims_take_each_job_once(store: Arc<dyn Store>) {
    let mut companies = Vec::new();
    for i in 0..12 {
        let (_, c) = company(&store).await;
        store
            .enqueue_job(job(c, &format!("k{i}"), 0), at(0))
            .await
            .unwrap();
        companies.push(c);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..6 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut mine = Vec::new();
            for _ in 0..40 {
                if let Some(j) = store
                    .claim_job(&format!("w{w}"), at(1), LEASE)
                    .await
                    .unwrap()
                {
                    mine.push(j.id);
                }
            }
            mine
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap());
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(
        (before, all.len()),
        (12, 12),
        "each job claimed exactly once"
    );
}

async fn overlapping_ranges_are_refused_and_plans_are_stored_once(store: Arc<dyn Store>) {
    let (_, c) = company(&store).await;
    let new = |start: i64, end: i64| NewSync {
        id: Uuid::new_v4(),
        company_id: c,
        kind: SyncKind::Historic,
        period_start: at(start),
        period_end: at(end),
        requested: at(0),
    };
    let first = store.create_sync(new(0, 100), true).await.unwrap();
    assert_eq!(first.outcome.status_code, 1000);
    let overlapping = store.create_sync(new(50, 150), true).await.unwrap();
    assert_eq!(overlapping.outcome.status_code, 5080);
    assert!(overlapping.completed.is_some());
    let message = overlapping.outcome.error_message.clone().unwrap();
    assert!(message.contains(&first.id.to_string()), "{message}");
    // Touching ranges do not overlap.
    assert_eq!(
        store
            .create_sync(new(100, 200), true)
            .await
            .unwrap()
            .outcome
            .status_code,
        1000
    );
    let items = |n: usize| -> Vec<NewPushItem> {
        (0..n)
            .map(|i| NewPushItem {
                key: Uuid::new_v4(),
                document_key: format!("cs:{c}:p:{i}"),
                kind: "invoice".into(),
                document: json!({"i": i}),
            })
            .collect()
    };
    store
        .plan_sync(
            first.id,
            c,
            items(3),
            PostedChanges::default(),
            at(5),
            at(6),
        )
        .await
        .unwrap();
    // A resumed run planning again changes nothing.
    store
        .plan_sync(
            first.id,
            c,
            items(3),
            PostedChanges::default(),
            at(7),
            at(8),
        )
        .await
        .unwrap();
    let planned = store.sync_push_items(first.id).await.unwrap();
    assert_eq!(planned.len(), 3);
    assert_eq!(
        store.schedule_state(c).await.unwrap().changes_since,
        Some(at(5))
    );
    store
        .push_item_started(planned[0].key, at(9))
        .await
        .unwrap();
    store
        .push_item_finished(
            planned[0].key,
            PushResult {
                status: PushStatus::Success,
                status_code: 200,
                platform_id: Some("X1".into()),
                platform_number: None,
                platform_status: Some("AUTHORISED".into()),
                error_message: None,
                validation: None,
            },
            at(10),
        )
        .await
        .unwrap();
    store
        .push_item_started(planned[1].key, at(11))
        .await
        .unwrap();
    let unfinished = store.unfinished_push_items(c).await.unwrap();
    assert_eq!(unfinished.len(), 2);
    assert_eq!(
        (unfinished[0].attempts, unfinished[0].started),
        (1, Some(at(11)))
    );
    let done = store.push_item(c, planned[0].key).await.unwrap().unwrap();
    assert_eq!(
        (done.attempts, done.result.platform_id.as_deref()),
        (1, Some("X1"))
    );
}

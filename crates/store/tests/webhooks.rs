//! Webhook endpoints, events, claims and the delivery log, on every backend.

use domain::{ClientId, CompanyId, PageRequest};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashSet;
use std::sync::Arc;
use store::{
    AttemptOutcome, DeliveryFilter, DeliveryNext, DeliveryStatus, NewWebhookEndpoint,
    NewWebhookEvent, Store, WebhookEndpointId, WebhookEndpointUpdate,
};

/// Runs `check` once per backend, each on a fresh database; `check` gets the URL too, to open
/// further handles as other processes would.
macro_rules! on_every_backend {
    ($check:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $check() {
            for db in store::testing::TestDatabase::both().await {
                let store = store::open(&db.url).await.expect("open");
                eprintln!("{} on {}", stringify!($check), store.backend().as_str());
                super::$check(store, &db.url).await;
            }
        }
    };
}

mod backends {
    on_every_backend!(endpoints_crud_and_isolation);
    on_every_backend!(events_fan_out_to_subscribed_enabled_endpoints);
    on_every_backend!(claims_lease_and_log_every_attempt);
    on_every_backend!(disabled_endpoints_hold_their_deliveries);
    on_every_backend!(redelivery_is_a_new_delivery_of_the_same_event);
    on_every_backend!(the_log_filters_and_pages);
    on_every_backend!(deleting_an_endpoint_removes_its_deliveries);
    on_every_backend!(concurrent_claimers_take_each_delivery_once);
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + seconds).unwrap()
}

const LEASE: SignedDuration = SignedDuration::from_secs(60);

fn endpoint(url: &str, events: &[&str]) -> NewWebhookEndpoint {
    endpoint_at(url, events, 0)
}

fn endpoint_at(url: &str, events: &[&str], created: i64) -> NewWebhookEndpoint {
    NewWebhookEndpoint {
        id: WebhookEndpointId::new(),
        url: url.to_owned(),
        description: Some("ours".to_owned()),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        sealed_secret: b"sealed-secret".to_vec(),
        created: at(created),
    }
}

fn event(event_type: &str, company: Option<CompanyId>, when: i64) -> NewWebhookEvent {
    NewWebhookEvent {
        event_type: event_type.to_owned(),
        company_id: company,
        // Parsed from text: an f64 literal would lose the trailing zero before we store it.
        payload: serde_json::from_str(r#"{"syncId": "s-1", "amount": 10.50}"#).unwrap(),
        occurred: at(when),
    }
}

fn outcome(when: i64, code: Option<u16>, next: DeliveryNext) -> AttemptOutcome {
    AttemptOutcome {
        finished: at(when),
        status_code: code,
        error: code.filter(|c| *c >= 300).map(|c| format!("HTTP {c}")),
        next,
    }
}

async fn client(store: &Arc<dyn Store>, name: &str) -> ClientId {
    store.ensure_client(name).await.unwrap().id
}

async fn endpoints_crud_and_isolation(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let other = client(&store, "other").await;
    let created = store
        .create_webhook_endpoint(mine, endpoint("https://a.example/hook", &["sync.failed"]))
        .await
        .unwrap();
    assert!(created.enabled);
    assert_eq!(created.events, ["sync.failed"]);
    let second = store
        .create_webhook_endpoint(mine, endpoint_at("https://b.example/hook", &[], 1))
        .await
        .unwrap();

    assert_eq!(
        store.webhook_endpoint(mine, created.id).await.unwrap(),
        Some(created.clone())
    );
    let listed = store.list_webhook_endpoints(mine).await.unwrap();
    assert_eq!(listed, [created.clone(), second.clone()]);
    assert_eq!(
        store.webhook_endpoint(other, created.id).await.unwrap(),
        None
    );
    assert!(
        store
            .list_webhook_endpoints(other)
            .await
            .unwrap()
            .is_empty()
    );

    let change = WebhookEndpointUpdate {
        url: Some("https://c.example/hook".into()),
        description: Some(None),
        events: Some(vec!["sync.completed".into(), "sync.failed".into()]),
        enabled: Some(false),
        sealed_secret: Some(b"new".to_vec()),
        modified: at(5),
    };
    assert_eq!(
        store
            .update_webhook_endpoint(other, created.id, change.clone())
            .await
            .unwrap(),
        None,
        "another client's endpoint cannot be changed"
    );
    let updated = store
        .update_webhook_endpoint(mine, created.id, change)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.url, "https://c.example/hook");
    assert_eq!(updated.description, None);
    assert_eq!(updated.events, ["sync.completed", "sync.failed"]);
    assert!(!updated.enabled);
    assert_eq!(updated.modified, at(5));
    assert_eq!(updated.created, at(0));
    assert_eq!(
        store.webhook_endpoint(mine, created.id).await.unwrap(),
        Some(updated)
    );

    assert!(
        !store
            .delete_webhook_endpoint(other, second.id)
            .await
            .unwrap()
    );
    assert!(
        store
            .delete_webhook_endpoint(mine, second.id)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_webhook_endpoint(mine, second.id)
            .await
            .unwrap()
    );
    assert_eq!(store.list_webhook_endpoints(mine).await.unwrap().len(), 1);
}

async fn events_fan_out_to_subscribed_enabled_endpoints(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let lonely = client(&store, "no-endpoints").await;
    let every = store
        .create_webhook_endpoint(mine, endpoint("https://all.example", &[]))
        .await
        .unwrap();
    let failures = store
        .create_webhook_endpoint(mine, endpoint("https://fail.example", &["sync.failed"]))
        .await
        .unwrap();
    let off = store
        .create_webhook_endpoint(mine, endpoint("https://off.example", &[]))
        .await
        .unwrap();
    store
        .update_webhook_endpoint(
            mine,
            off.id,
            WebhookEndpointUpdate {
                enabled: Some(false),
                modified: at(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let company = CompanyId::new();
    let made = store
        .enqueue_event(mine, event("sync.completed", Some(company), 10))
        .await
        .unwrap();
    assert_eq!(
        made, 1,
        "only the endpoint taking every type wants sync.completed"
    );
    let made = store
        .enqueue_event(mine, event("sync.failed", None, 11))
        .await
        .unwrap();
    assert_eq!(made, 2);
    assert_eq!(
        store
            .enqueue_event(lonely, event("sync.failed", None, 12))
            .await
            .unwrap(),
        0,
        "an event nobody listens to is dropped"
    );
    let lonely_log = store
        .list_webhook_deliveries(lonely, DeliveryFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(lonely_log.total, 0);

    let log = store
        .list_webhook_deliveries(mine, DeliveryFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 3);
    let mut seen: Vec<_> = log
        .items
        .iter()
        .map(|d| (d.endpoint_id, d.event.event_type.as_str()))
        .collect();
    seen.sort();
    let mut expected = vec![
        (every.id, "sync.completed"),
        (every.id, "sync.failed"),
        (failures.id, "sync.failed"),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    let completed = log
        .items
        .iter()
        .find(|d| d.event.event_type == "sync.completed")
        .unwrap();
    assert_eq!(completed.event.company_id, Some(company));
    assert_eq!(completed.event.payload["syncId"], "s-1");
    assert_eq!(completed.event.payload["amount"].to_string(), "10.50");
    assert_eq!(completed.status, DeliveryStatus::Pending);
    assert_eq!(completed.next_attempt, Some(at(10)));
    assert_eq!(completed.attempts, 0);
    assert!(completed.history.is_empty());
    // Both deliveries of the failed sync carry the same event id.
    let failed: HashSet<_> = log
        .items
        .iter()
        .filter(|d| d.event.event_type == "sync.failed")
        .map(|d| d.event.id)
        .collect();
    assert_eq!(failed.len(), 1);
}

async fn claims_lease_and_log_every_attempt(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let hook = store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    store
        .enqueue_event(mine, event("sync.completed", None, 100))
        .await
        .unwrap();

    assert!(
        store
            .claim_webhook_deliveries(at(99), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "not due before the event occurred"
    );
    let first = store
        .claim_webhook_deliveries(at(100), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    let first = &first[0];
    assert_eq!(first.attempt, 1);
    assert_eq!(first.url, "https://a.example");
    assert_eq!(first.endpoint_id, hook.id);
    assert_eq!(first.client_id, mine);
    assert_eq!(first.sealed_secret, b"sealed-secret");
    assert_eq!(first.event.event_type, "sync.completed");
    assert!(
        store
            .claim_webhook_deliveries(at(159), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "a live lease keeps others off"
    );

    // The first worker went quiet; once its lease ends another takes the delivery over.
    let second = store
        .claim_webhook_deliveries(at(160), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(second.len(), 1);
    let second = &second[0];
    assert_eq!((second.id, second.attempt), (first.id, 2));
    assert_ne!(second.claim, first.claim);
    assert!(
        !store
            .finish_webhook_attempt(
                first.id,
                first.claim,
                outcome(161, Some(200), DeliveryNext::Delivered)
            )
            .await
            .unwrap(),
        "a worker that lost its lease cannot report"
    );
    assert!(
        store
            .finish_webhook_attempt(
                second.id,
                second.claim,
                outcome(162, Some(500), DeliveryNext::RetryAt(at(400)))
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .finish_webhook_attempt(
                second.id,
                second.claim,
                outcome(163, Some(200), DeliveryNext::Delivered)
            )
            .await
            .unwrap(),
        "a claim reports once"
    );

    let pending = store
        .webhook_delivery(mine, first.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending.status, DeliveryStatus::Pending);
    assert_eq!(pending.attempts, 2);
    assert_eq!(pending.last_status_code, Some(500));
    assert_eq!(pending.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(pending.last_attempt, Some(at(160)));
    assert_eq!(pending.next_attempt, Some(at(400)));
    assert_eq!(pending.delivered_at, None);
    assert_eq!(pending.history.len(), 2);
    assert_eq!(pending.history[0].number, 1);
    assert_eq!(pending.history[0].started, at(100));
    assert_eq!(
        pending.history[0].finished, None,
        "the lost attempt says so"
    );
    assert_eq!(pending.history[1].number, 2);
    assert_eq!(pending.history[1].finished, Some(at(162)));
    assert_eq!(pending.history[1].status_code, Some(500));

    assert!(
        store
            .claim_webhook_deliveries(at(399), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "the retry waits for its time"
    );
    let third = store
        .claim_webhook_deliveries(at(400), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(third[0].attempt, 3);
    store
        .finish_webhook_attempt(
            third[0].id,
            third[0].claim,
            outcome(401, Some(204), DeliveryNext::Delivered),
        )
        .await
        .unwrap();
    let delivered = store
        .webhook_delivery(mine, first.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(delivered.status, DeliveryStatus::Delivered);
    assert_eq!(delivered.delivered_at, Some(at(401)));
    assert_eq!(delivered.next_attempt, None);
    assert_eq!(delivered.last_error, None);
    assert_eq!(delivered.history.len(), 3);
    assert!(
        store
            .claim_webhook_deliveries(at(10_000), LEASE, 10)
            .await
            .unwrap()
            .is_empty(),
        "a delivered delivery is never claimed again"
    );
    let other = client(&store, "other").await;
    assert_eq!(store.webhook_delivery(other, first.id).await.unwrap(), None);
}

async fn disabled_endpoints_hold_their_deliveries(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let hook = store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    store
        .enqueue_event(mine, event("sync.disabled", None, 0))
        .await
        .unwrap();
    let toggle = |enabled| WebhookEndpointUpdate {
        enabled: Some(enabled),
        modified: at(1),
        ..Default::default()
    };
    store
        .update_webhook_endpoint(mine, hook.id, toggle(false))
        .await
        .unwrap();
    assert!(
        store
            .claim_webhook_deliveries(at(10), LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .update_webhook_endpoint(mine, hook.id, toggle(true))
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_webhook_deliveries(at(10), LEASE, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn redelivery_is_a_new_delivery_of_the_same_event(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    store
        .enqueue_event(mine, event("connection.deauthorized", None, 0))
        .await
        .unwrap();
    let claimed = store
        .claim_webhook_deliveries(at(0), LEASE, 10)
        .await
        .unwrap();
    store
        .finish_webhook_attempt(
            claimed[0].id,
            claimed[0].claim,
            outcome(1, Some(410), DeliveryNext::Failed),
        )
        .await
        .unwrap();
    let failed = store
        .webhook_delivery(mine, claimed[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.status, DeliveryStatus::Failed);
    assert_eq!(failed.next_attempt, None);

    let other = client(&store, "other").await;
    assert_eq!(
        store
            .redeliver_webhook(other, failed.id, at(50))
            .await
            .unwrap(),
        None
    );
    let again = store
        .redeliver_webhook(mine, failed.id, at(50))
        .await
        .unwrap()
        .unwrap();
    assert_ne!(again.id, failed.id);
    assert_eq!(again.event, failed.event);
    assert_eq!(again.endpoint_id, failed.endpoint_id);
    assert_eq!(again.status, DeliveryStatus::Pending);
    assert_eq!((again.attempts, again.next_attempt), (0, Some(at(50))));
    assert_eq!(
        store.webhook_delivery(mine, failed.id).await.unwrap(),
        Some(failed),
        "the old delivery stays as it was"
    );
    let claimed = store
        .claim_webhook_deliveries(at(50), LEASE, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!((claimed[0].id, claimed[0].attempt), (again.id, 1));
}

async fn the_log_filters_and_pages(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let a = store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    let b = store
        .create_webhook_endpoint(mine, endpoint("https://b.example", &["sync.failed"]))
        .await
        .unwrap();
    for second in 0..5 {
        store
            .enqueue_event(mine, event("sync.failed", None, second))
            .await
            .unwrap();
    }
    // Deliver one of a's.
    let claimed = store
        .claim_webhook_deliveries(at(0), LEASE, 10)
        .await
        .unwrap();
    let to_a = claimed.iter().find(|c| c.endpoint_id == a.id).unwrap();
    store
        .finish_webhook_attempt(
            to_a.id,
            to_a.claim,
            outcome(1, Some(200), DeliveryNext::Delivered),
        )
        .await
        .unwrap();

    let list = |endpoint, status, page, page_size| {
        let store = store.clone();
        async move {
            store
                .list_webhook_deliveries(
                    mine,
                    DeliveryFilter {
                        endpoint,
                        status,
                        company: None,
                    },
                    PageRequest { page, page_size },
                )
                .await
                .unwrap()
        }
    };
    let everything = list(None, None, 1, 100).await;
    assert_eq!(everything.total, 10);
    let created: Vec<_> = everything.items.iter().map(|d| d.created).collect();
    let mut newest_first = created.clone();
    newest_first.sort_by(|x, y| y.cmp(x));
    assert_eq!(created, newest_first);

    let of_b = list(Some(b.id), None, 1, 100).await;
    assert_eq!(of_b.total, 5);
    assert!(of_b.items.iter().all(|d| d.endpoint_id == b.id));
    let delivered = list(None, Some(DeliveryStatus::Delivered), 1, 100).await;
    assert_eq!(delivered.total, 1);
    assert_eq!(delivered.items[0].id, to_a.id);
    assert_eq!(delivered.items[0].history.len(), 1);
    assert_eq!(
        list(Some(b.id), Some(DeliveryStatus::Delivered), 1, 100)
            .await
            .total,
        0
    );

    let first = list(None, None, 1, 4).await;
    let third = list(None, None, 3, 4).await;
    assert_eq!((first.items.len(), third.items.len()), (4, 2));
    assert!(first.has_next() && !third.has_next());
    let paged: Vec<_> = [first, list(None, None, 2, 4).await, third]
        .into_iter()
        .flat_map(|p| p.items.into_iter().map(|d| d.id))
        .collect();
    let all: Vec<_> = everything.items.iter().map(|d| d.id).collect();
    assert_eq!(paged, all);
}

async fn deleting_an_endpoint_removes_its_deliveries(store: Arc<dyn Store>, _url: &str) {
    let mine = client(&store, "pos").await;
    let a = store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    store
        .create_webhook_endpoint(mine, endpoint("https://b.example", &[]))
        .await
        .unwrap();
    store
        .enqueue_event(mine, event("sync.completed", None, 0))
        .await
        .unwrap();
    store
        .claim_webhook_deliveries(at(0), LEASE, 10)
        .await
        .unwrap();
    assert!(store.delete_webhook_endpoint(mine, a.id).await.unwrap());
    let log = store
        .list_webhook_deliveries(mine, DeliveryFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(log.total, 1);
    assert_ne!(log.items[0].endpoint_id, a.id);
}

async fn concurrent_claimers_take_each_delivery_once(store: Arc<dyn Store>, url: &str) {
    const EVENTS: usize = 60;
    let mine = client(&store, "pos").await;
    store
        .create_webhook_endpoint(mine, endpoint("https://a.example", &[]))
        .await
        .unwrap();
    for n in 0..EVENTS {
        store
            .enqueue_event(mine, event("sync.completed", None, n as i64))
            .await
            .unwrap();
    }
    // Four handles, as four worker processes would hold, each claiming small batches at once.
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let handle = store::open(url).await.unwrap();
        workers.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = handle
                    .claim_webhook_deliveries(at(1_000), LEASE, 3)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|c| (c.id, c.attempt)));
            }
        });
    }
    let mut claimed = Vec::new();
    while let Some(batch) = workers.join_next().await {
        claimed.extend(batch.unwrap());
    }
    let distinct: HashSet<_> = claimed.iter().map(|(id, _)| *id).collect();
    assert_eq!(claimed.len(), EVENTS, "every delivery claimed exactly once");
    assert_eq!(distinct.len(), EVENTS);
    assert!(claimed.iter().all(|(_, attempt)| *attempt == 1));
}

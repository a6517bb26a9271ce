//! What the Sync Health pages read, on every backend: one client's syncs counted, searched,
//! sorted and paged; its failing, stopped and deauthorized merchants; never another client's.

use domain::connection::ConnectionError;
use domain::{ClientId, CompanyId, CompanyName, ConnectionStatus, NewCompany, PlatformKey};
use jiff::Timestamp;
use std::sync::Arc;
use store::{
    ConnectionUpdate, DeliveryFilter, NewSync, NewWebhookEndpoint, NewWebhookEvent, ScheduleState,
    Store, SyncKind, SyncOutcome, SyncSearch, SyncSort, WebhookEndpointId,
};
use uuid::Uuid;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + seconds).unwrap()
}

const DAY: i64 = 86_400;

async fn company(store: &Arc<dyn Store>, client: ClientId, name: &str) -> CompanyId {
    store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse(name).unwrap(),
                description: None,
                tags: Default::default(),
            },
        )
        .await
        .unwrap()
        .id
}

/// A finished sync of `company` requested at `at(requested)` with `code`.
async fn sync(store: &Arc<dyn Store>, company: CompanyId, requested: i64, code: u16) -> Uuid {
    let run = store
        .create_sync(
            NewSync {
                id: Uuid::new_v4(),
                company_id: company,
                kind: SyncKind::Scheduled,
                period_start: at(requested - DAY),
                period_end: at(requested),
                requested: at(requested),
            },
            false,
        )
        .await
        .unwrap();
    let outcome = SyncOutcome {
        status_code: code,
        status: engine_word(code).into(),
        error_message: (code >= 4000).then(|| format!("failed with {code}")),
        exception_message: None,
        data_pushed: code == 2000,
    };
    store
        .finish_sync(run.id, outcome, None, at(requested + 60))
        .await
        .unwrap();
    run.id
}

fn engine_word(code: u16) -> &'static str {
    if code < 4000 { "Complete" } else { "Error" }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_queries_answer_one_clients_rows() {
    for db in store::testing::TestDatabase::both().await {
        let store = store::open(&db.url).await.expect("open");
        eprintln!("on {}", store.backend().as_str());
        check(store).await;
    }
}

async fn check(store: Arc<dyn Store>) {
    let client = store.ensure_client("alpha").await.unwrap().id;
    let other = store.ensure_client("bravo").await.unwrap().id;
    let ok = company(&store, client, "Always Fine").await;
    let failing = company(&store, client, "Failing Since Tuesday").await;
    let theirs = company(&store, other, "Another Client's").await;

    // Alpha: ok succeeds daily; failing succeeded on day 1, then failed on days 2 and 3.
    for day in 1..=3 {
        sync(&store, ok, day * DAY, 2000).await;
    }
    sync(&store, failing, DAY + 10, 2000).await;
    let first_failure = sync(&store, failing, 2 * DAY + 10, 5130).await;
    let latest_failure = sync(&store, failing, 3 * DAY + 10, 4000).await;
    // A refused overlapping request is not the merchant failing.
    sync(&store, ok, 3 * DAY + 20, 5080).await;
    let their_sync = sync(&store, theirs, 3 * DAY, 5130).await;

    let counts = store.sync_counts(client, at(0), at(4 * DAY)).await.unwrap();
    let total: u64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 7, "{counts:?}");
    let day3_failed: u64 = counts
        .iter()
        .filter(|c| c.day == at(3 * DAY).as_second() / DAY && c.status_code == 4000)
        .map(|c| c.count)
        .sum();
    assert_eq!(day3_failed, 1, "{counts:?}");

    let failing_now = store.failing_companies(client, 10).await.unwrap();
    assert_eq!(failing_now.len(), 1, "{failing_now:?}");
    let f = &failing_now[0];
    assert_eq!(f.company_id, failing);
    assert_eq!(f.company_name, "Failing Since Tuesday");
    assert_eq!(f.failed_syncs, 2);
    assert_eq!(f.failing_since, at(2 * DAY + 10));
    assert_eq!(f.latest.id, latest_failure);
    assert!(store.failing_companies(other, 10).await.unwrap()[0].company_id == theirs);

    // Stopped schedules and deauthorized connections.
    store
        .put_schedule_state(
            failing,
            ScheduleState {
                consecutive_failures: 31,
                disabled_at: Some(at(4 * DAY)),
                disabled_reason: Some("31 failed days".into()),
                ..ScheduleState::default()
            },
            at(4 * DAY),
        )
        .await
        .unwrap();
    let disabled = store.disabled_companies(client, 10).await.unwrap();
    assert_eq!(disabled.len(), 1);
    assert_eq!(
        (disabled[0].company_id, disabled[0].consecutive_failures),
        (failing, 31)
    );
    assert!(
        store
            .disabled_companies(other, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let connection = store
        .create_connection(client, failing, PlatformKey::Xero, ConnectionStatus::Linked)
        .await
        .unwrap()
        .unwrap();
    store
        .update_connection(
            client,
            failing,
            connection.id,
            ConnectionUpdate {
                status: ConnectionStatus::Deauthorized,
                credentials: Some(None),
                error: Some(Some(ConnectionError {
                    message: "refresh token expired".into(),
                    status_code: Some("401".into()),
                    errored_on: at(4 * DAY),
                })),
            },
        )
        .await
        .unwrap();
    let relink = store.relink_needed(client, 10).await.unwrap();
    assert_eq!(relink.len(), 1);
    assert_eq!(relink[0].connection.id, connection.id);
    assert_eq!(relink[0].company_name, "Failing Since Tuesday");
    assert!(store.relink_needed(other, 10).await.unwrap().is_empty());

    // The history: every filter, each sort, the pages and the total.
    let search = |f: &dyn Fn(&mut SyncSearch)| {
        let mut s = SyncSearch {
            limit: 3,
            ..SyncSearch::default()
        };
        f(&mut s);
        s
    };
    let all = store.search_syncs(client, &search(&|_| {})).await.unwrap();
    assert_eq!(all.total, 7);
    assert_eq!(all.rows.len(), 3);
    assert!(all.rows[0].sync.requested >= all.rows[1].sync.requested);
    let second = store
        .search_syncs(client, &search(&|s| s.offset = 6))
        .await
        .unwrap();
    assert_eq!(second.rows.len(), 1, "the last page");
    let oldest = store
        .search_syncs(client, &search(&|s| s.sort = SyncSort::OldestFirst))
        .await
        .unwrap();
    assert_eq!(oldest.rows[0].sync.requested, at(DAY));
    let worst = store
        .search_syncs(client, &search(&|s| s.sort = SyncSort::Status))
        .await
        .unwrap();
    assert_eq!(worst.rows[0].sync.outcome.status_code, 5130);
    let by_code = store
        .search_syncs(client, &search(&|s| s.status_code = Some(5130)))
        .await
        .unwrap();
    assert_eq!(
        by_code.rows.iter().map(|r| r.sync.id).collect::<Vec<_>>(),
        [first_failure]
    );
    let by_company = store
        .search_syncs(client, &search(&|s| s.company = Some(failing)))
        .await
        .unwrap();
    assert_eq!(by_company.total, 3);
    assert_eq!(by_company.rows[0].company_name, "Failing Since Tuesday");
    let by_range = store
        .search_syncs(
            client,
            &search(&|s| {
                s.from = Some(at(2 * DAY));
                s.to = Some(at(3 * DAY));
            }),
        )
        .await
        .unwrap();
    assert_eq!(by_range.total, 2, "day 2: ok's and failing's");
    let by_id = store
        .search_syncs(client, &search(&|s| s.sync_id = Some(latest_failure)))
        .await
        .unwrap();
    assert_eq!(by_id.total, 1);

    // Another client's ids find nothing, whichever way they are asked.
    let theirs_by_id = store
        .search_syncs(client, &search(&|s| s.sync_id = Some(their_sync)))
        .await
        .unwrap();
    assert_eq!(theirs_by_id.total, 0);
    let theirs_by_company = store
        .search_syncs(client, &search(&|s| s.company = Some(theirs)))
        .await
        .unwrap();
    assert_eq!(theirs_by_company.total, 0);
    assert!(
        store
            .client_sync(client, their_sync)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .client_sync(other, their_sync)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .recent_datasets(client, theirs, 5)
            .await
            .unwrap()
            .is_empty()
    );

    // Deliveries of one merchant's events.
    for (owner, about) in [(client, failing), (client, ok), (other, theirs)] {
        store
            .create_webhook_endpoint(
                owner,
                NewWebhookEndpoint {
                    id: WebhookEndpointId::new(),
                    url: "https://hooks.example/in".into(),
                    description: None,
                    events: vec![],
                    sealed_secret: vec![1],
                    created: at(0),
                },
            )
            .await
            .unwrap();
        store
            .enqueue_event(
                owner,
                NewWebhookEvent {
                    event_type: "sync.failed".into(),
                    company_id: Some(about),
                    payload: serde_json::json!({}),
                    occurred: at(5 * DAY),
                },
            )
            .await
            .unwrap();
    }
    let about_failing = store
        .list_webhook_deliveries(
            client,
            DeliveryFilter {
                company: Some(failing),
                ..DeliveryFilter::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    assert!(about_failing.total >= 1);
    assert!(
        about_failing
            .items
            .iter()
            .all(|d| d.event.company_id == Some(failing)),
        "{about_failing:?}"
    );
    let about_theirs = store
        .list_webhook_deliveries(
            client,
            DeliveryFilter {
                company: Some(theirs),
                ..DeliveryFilter::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(about_theirs.total, 0);
}

#[tokio::test]
async fn a_sync_keeps_the_configuration_it_ran_with() {
    for db in store::testing::TestDatabase::both().await {
        let store = store::open(&db.url).await.expect("open");
        let client = store.ensure_client("pos").await.unwrap().id;
        let shop = company(&store, client, "Shop").await;
        let id = sync(&store, shop, 10 * DAY, 2000).await;
        assert_eq!(store.sync_configuration(id).await.unwrap(), None);
        let first = serde_json::json!({"enable": true, "schedule": {"syncHour": 2}});
        store
            .record_sync_configuration(id, 3, &first)
            .await
            .unwrap();
        let later = serde_json::json!({"enable": false});
        store
            .record_sync_configuration(id, 4, &later)
            .await
            .unwrap();
        assert_eq!(
            store.sync_configuration(id).await.unwrap(),
            Some((3, first)),
            "a resumed run keeps what it first recorded ({})",
            store.backend().as_str()
        );
    }
}

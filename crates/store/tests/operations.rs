//! What operators and the Sync Health sign-in read: support users, every client's keys,
//! companies and syncs, and the gauges `/metrics` counts. Every backend.

#[macro_use]
mod common;

use common::{at, company};
use domain::{ConnectionStatus, PlatformKey};
use serde_json::json;
use std::sync::Arc;
use store::{NewJob, NewPushItem, NewSync, PostedChanges, Store, StoreError, SyncFilter, SyncKind};
use uuid::Uuid;

mod backends {
    on_every_backend!(support_users_belong_to_one_client);
    on_every_backend!(keys_are_listed_and_revoked);
    on_every_backend!(companies_and_syncs_across_clients);
    on_every_backend!(gauges_count_the_database);
}

async fn support_users_belong_to_one_client(store: Arc<dyn Store>) {
    let a = store.ensure_client("a").await.unwrap().id;
    let b = store.ensure_client("b").await.unwrap().id;
    let ann = store
        .create_support_user(a, "  Ann@Shop.example ", "$argon2id$fake")
        .await
        .unwrap();
    assert_eq!(
        ann.email, "ann@shop.example",
        "emails are kept trimmed, lower case"
    );
    assert_eq!(ann.client_id, a);
    let taken = store
        .create_support_user(b, "ANN@shop.example", "$argon2id$other")
        .await;
    assert!(
        matches!(taken, Err(StoreError::Conflict(_))),
        "an email signs in to one client only: {taken:?}"
    );
    let found = store
        .support_user_for_sign_in("ann@SHOP.example")
        .await
        .unwrap()
        .expect("found by email in any case");
    assert_eq!(
        found, ann,
        "with its client and hash, for the page to verify"
    );
    assert_eq!(store.support_user_for_sign_in("bob@x").await.unwrap(), None);
    assert_eq!(store.support_users(a).await.unwrap(), vec![ann.clone()]);
    assert!(store.support_users(b).await.unwrap().is_empty());

    assert!(
        !store
            .remove_support_user(b, "ann@shop.example")
            .await
            .unwrap(),
        "another client cannot remove it"
    );
    assert!(
        store
            .remove_support_user(a, "Ann@shop.example")
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .support_user_for_sign_in("ann@shop.example")
            .await
            .unwrap(),
        None
    );
    assert!(
        !store
            .remove_support_user(a, "ann@shop.example")
            .await
            .unwrap()
    );
}

async fn keys_are_listed_and_revoked(store: Arc<dyn Store>) {
    let a = store.ensure_client("a").await.unwrap();
    let b = store.ensure_client("b").await.unwrap();
    store.add_api_key(a.id, "aaaa1111").await.unwrap();
    store.add_api_key(b.id, "bbbb2222").await.unwrap();
    let all = store.api_keys(None).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .any(|k| k.key_hash == "aaaa1111" && k.client_name == "a")
    );
    let only_b = store.api_keys(Some(b.id)).await.unwrap();
    assert_eq!(only_b.len(), 1);
    assert_eq!(only_b[0].client_id, b.id);
    assert_eq!(store.clients().await.unwrap(), vec![a.clone(), b.clone()]);

    assert!(store.revoke_api_key("aaaa1111").await.unwrap());
    assert!(!store.revoke_api_key("aaaa1111").await.unwrap());
    assert_eq!(store.client_by_key_hash("aaaa1111").await.unwrap(), None);
    assert_eq!(store.api_keys(None).await.unwrap().len(), 1);
}

async fn companies_and_syncs_across_clients(store: Arc<dyn Store>) {
    let (client_a, a) = company(&store).await;
    let client_b = store.ensure_client("other").await.unwrap().id;
    let b = store
        .create_company(
            client_b,
            domain::NewCompany {
                name: domain::CompanyName::parse("Other shop").unwrap(),
                description: None,
                tags: Default::default(),
            },
        )
        .await
        .unwrap()
        .id;
    let all = store.all_companies(None, 100).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(
        store
            .all_companies(Some(client_b), 100)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.all_companies(None, 1).await.unwrap().len(), 1);
    assert_eq!(
        store.any_company(b).await.unwrap().unwrap().client_id,
        client_b
    );

    let sync = |company, start: i64| NewSync {
        id: Uuid::new_v4(),
        company_id: company,
        kind: SyncKind::Latest,
        period_start: at(start),
        period_end: at(start + 10),
        requested: at(start),
    };
    let first = store.create_sync(sync(a, 0), false).await.unwrap();
    let second = store.create_sync(sync(a, 100), false).await.unwrap();
    let other = store.create_sync(sync(b, 50), false).await.unwrap();
    store
        .finish_sync(
            first.id,
            store::SyncOutcome {
                status_code: 5130,
                status: "DataWriteError".into(),
                error_message: Some("refused".into()),
                exception_message: None,
                data_pushed: false,
            },
            None,
            at(5),
        )
        .await
        .unwrap();
    let ids = |filter: SyncFilter| {
        let store = store.clone();
        async move {
            store
                .find_syncs(&filter)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    let limit = 100;
    assert_eq!(
        ids(SyncFilter {
            limit,
            ..Default::default()
        })
        .await,
        vec![second.id, other.id, first.id],
        "newest first"
    );
    assert_eq!(
        ids(SyncFilter {
            company: Some(a),
            limit,
            ..Default::default()
        })
        .await,
        vec![second.id, first.id]
    );
    assert_eq!(
        ids(SyncFilter {
            client: Some(client_b),
            limit,
            ..Default::default()
        })
        .await,
        vec![other.id]
    );
    assert_eq!(
        ids(SyncFilter {
            status_code: Some(5130),
            limit,
            ..Default::default()
        })
        .await,
        vec![first.id]
    );
    assert_eq!(
        ids(SyncFilter {
            client: Some(client_a),
            status_code: Some(1000),
            limit,
            ..Default::default()
        })
        .await,
        vec![second.id]
    );
    assert_eq!(
        store.any_sync(other.id).await.unwrap().unwrap().company_id,
        b
    );
    assert_eq!(store.any_sync(Uuid::new_v4()).await.unwrap(), None);
}

async fn gauges_count_the_database(store: Arc<dyn Store>) {
    let empty = store.gauges(at(0)).await.unwrap();
    assert_eq!(empty.due_jobs, 0);
    assert_eq!(empty.oldest_due_job, None);
    assert!(empty.syncs_by_status.is_empty());

    let (client, c) = company(&store).await;
    store
        .create_connection(client, c, PlatformKey::Commerce, ConnectionStatus::Linked)
        .await
        .unwrap();
    store
        .create_connection(client, c, PlatformKey::Xero, ConnectionStatus::Linked)
        .await
        .unwrap();
    let sync = store
        .create_sync(
            NewSync {
                id: Uuid::new_v4(),
                company_id: c,
                kind: SyncKind::Latest,
                period_start: at(0),
                period_end: at(10),
                requested: at(0),
            },
            false,
        )
        .await
        .unwrap();
    let items = (0..3)
        .map(|i| NewPushItem {
            key: Uuid::new_v4(),
            document_key: format!("cs:{c}:g:{i}"),
            kind: "invoice".into(),
            document: json!({"i": i}),
        })
        .collect();
    store
        .plan_sync(sync.id, c, items, PostedChanges::default(), at(1), at(1))
        .await
        .unwrap();
    for (i, due) in [(0, 10), (1, 20), (2, 1000)] {
        store
            .enqueue_job(
                NewJob {
                    kind: "sync".into(),
                    company_id: c,
                    unique_key: format!("gauge:{i}"),
                    payload: json!({}),
                    run_after: at(due),
                },
                at(0),
            )
            .await
            .unwrap();
    }
    let g = store.gauges(at(100)).await.unwrap();
    assert_eq!(g.syncs_by_status, vec![(1000, 1)]);
    assert_eq!(
        g.push_items,
        vec![("gbol".to_owned(), "Pending".to_owned(), 3)],
        "push items counted under the company's accounting platform"
    );
    assert_eq!(g.jobs_by_status, vec![("queued".to_owned(), 3)]);
    assert_eq!(g.due_jobs, 2, "the job due later is not waiting yet");
    assert_eq!(g.oldest_due_job, Some(at(10)));
    assert!(g.datasets_by_status.is_empty());
    assert!(g.webhook_deliveries_by_status.is_empty());
}

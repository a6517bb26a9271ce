//! Dataset status on every backend: creation, one claim among many, one outcome, errors
//! with reasons, rejected records' errors, and client scoping.

use domain::commerce::{DatasetKind, parse_orders};
use domain::{
    ClientId, CompanyId, CompanyName, CompanyTags, ConnectionStatus, NewCompany, PlatformKey,
};
use std::sync::Arc;
use store::{
    DatasetCounts, DatasetId, DatasetOutcome, DatasetStatus, NewDataset, Rejection, Store,
    StoreError,
};

macro_rules! on_every_backend {
    ($check:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $check() {
            for db in store::testing::TestDatabase::both().await {
                let store = store::open(&db.url).await.expect("open");
                eprintln!("{} on {}", stringify!($check), store.backend().as_str());
                super::$check(store).await;
            }
        }
    };
}

mod backends {
    on_every_backend!(a_dataset_is_queued_claimed_once_and_finished_once);
    on_every_backend!(errored_datasets_keep_their_reason);
    on_every_backend!(exactly_one_of_many_claimers_wins);
    on_every_backend!(datasets_are_invisible_to_other_clients);
    on_every_backend!(storing_a_dataset_claims_stores_and_finishes_it_at_once);
}

async fn shop(store: &Arc<dyn Store>, client: &str) -> (ClientId, CompanyId) {
    let client = store.ensure_client(client).await.unwrap().id;
    let company = store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse("Shop").unwrap(),
                description: None,
                tags: CompanyTags::default(),
            },
        )
        .await
        .unwrap();
    (client, company.id)
}

fn new_dataset(received: u64) -> NewDataset {
    NewDataset {
        kind: DatasetKind::Orders,
        connection_id: None,
        received,
    }
}

/// Real rejections: what the domain says about two bad orders.
fn rejections() -> Vec<Rejection> {
    let bad = serde_json::json!([{ "id": "o1", "totalAmount": "lots" }, 42]);
    let (_, errors) = parse_orders(&bad, "/orders");
    assert!(errors.len() >= 2);
    errors.iter().map(Rejection::from).collect()
}

async fn a_dataset_is_queued_claimed_once_and_finished_once(store: Arc<dyn Store>) {
    let (client, company) = shop(&store, "pos").await;
    let connection = store
        .create_connection(
            client,
            company,
            PlatformKey::Commerce,
            ConnectionStatus::Linked,
        )
        .await
        .unwrap()
        .unwrap();
    let created = store
        .create_dataset(
            client,
            company,
            NewDataset {
                kind: DatasetKind::PaymentMethods,
                connection_id: Some(connection.id),
                received: 12,
            },
        )
        .await
        .unwrap()
        .expect("the client's company");
    assert_eq!(created.status, DatasetStatus::Queued);
    assert_eq!(created.counts.received, 12);
    assert_eq!(created.completed, None);
    assert_eq!(
        store
            .dataset(client, company, created.id)
            .await
            .unwrap()
            .as_ref(),
        Some(&created),
        "reads back as created"
    );

    assert!(store.claim_dataset(created.id).await.unwrap());
    assert!(
        !store.claim_dataset(created.id).await.unwrap(),
        "claimed once"
    );
    let processing = store
        .dataset(client, company, created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(processing.status, DatasetStatus::Processing);

    // Not a final status: refused before anything is written.
    let not_final = DatasetOutcome {
        status: DatasetStatus::Queued,
        error_message: None,
        counts: DatasetCounts::default(),
        rejections: Vec::new(),
    };
    assert!(matches!(
        store.finish_dataset(created.id, not_final).await,
        Err(StoreError::Conflict(_))
    ));

    let outcome = DatasetOutcome {
        status: DatasetStatus::Complete,
        error_message: None,
        counts: DatasetCounts {
            received: 999, // ignored: fixed at creation
            inserted: 5,
            modified: 2,
            unchanged: 1,
            deleted: 2,
            rejected: 2,
        },
        rejections: rejections(),
    };
    assert!(
        store
            .finish_dataset(created.id, outcome.clone())
            .await
            .unwrap()
    );
    let done = store
        .dataset(client, company, created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, DatasetStatus::Complete);
    assert!(!done.status.is_errored());
    assert_eq!(
        done.counts,
        DatasetCounts {
            received: 12,
            ..outcome.counts
        }
    );
    assert_eq!(done.rejections, outcome.rejections);
    assert_eq!(done.kind, DatasetKind::PaymentMethods);
    assert_eq!(done.connection_id, Some(connection.id));
    let completed = done.completed.expect("a completion time");
    assert!(completed >= done.requested);

    let again = DatasetOutcome {
        status: DatasetStatus::InternalError,
        error_message: Some("late".into()),
        ..outcome
    };
    assert!(
        !store.finish_dataset(created.id, again).await.unwrap(),
        "the first outcome stands"
    );
    assert!(!store.claim_dataset(created.id).await.unwrap());
    assert_eq!(
        store.dataset(client, company, created.id).await.unwrap(),
        Some(done)
    );
    assert!(!store.claim_dataset(DatasetId::new()).await.unwrap());
}

async fn errored_datasets_keep_their_reason(store: Arc<dyn Store>) {
    let (client, company) = shop(&store, "pos").await;
    let dataset = store
        .create_dataset(client, company, new_dataset(2))
        .await
        .unwrap()
        .unwrap();
    // Straight from Queued: a body refused whole never gets processed.
    let outcome = DatasetOutcome {
        status: DatasetStatus::ValidationError,
        error_message: Some("every record was rejected".into()),
        counts: DatasetCounts {
            rejected: 2,
            ..DatasetCounts::default()
        },
        rejections: rejections(),
    };
    assert!(store.finish_dataset(dataset.id, outcome).await.unwrap());
    let read = store
        .dataset(client, company, dataset.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.status, DatasetStatus::ValidationError);
    assert!(read.status.is_errored() && read.status.is_finished());
    assert_eq!(
        read.error_message.as_deref(),
        Some("every record was rejected")
    );
    assert_eq!(read.counts.rejected, 2);
    assert!(read.rejections.iter().any(|r| r.pointer == "/orders/1"));
    assert!(
        read.rejections
            .iter()
            .any(|r| r.id.as_deref() == Some("o1") && r.pointer.starts_with("/orders/0/"))
    );
}

async fn exactly_one_of_many_claimers_wins(store: Arc<dyn Store>) {
    let (client, company) = shop(&store, "pos").await;
    for _ in 0..5 {
        let dataset = store
            .create_dataset(client, company, new_dataset(1))
            .await
            .unwrap()
            .unwrap();
        let claims: Vec<_> = (0..10)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.claim_dataset(dataset.id).await.unwrap() })
            })
            .collect();
        let mut winners = 0;
        for claim in claims {
            winners += usize::from(claim.await.unwrap());
        }
        assert_eq!(winners, 1);
    }
}

async fn datasets_are_invisible_to_other_clients(store: Arc<dyn Store>) {
    let (owner, company) = shop(&store, "owner").await;
    let (stranger, strangers_company) = shop(&store, "stranger").await;
    let dataset = store
        .create_dataset(owner, company, new_dataset(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .create_dataset(stranger, company, new_dataset(1))
            .await
            .unwrap(),
        None,
        "no pushing into another client's company"
    );
    let strangers_connection = store
        .create_connection(
            stranger,
            strangers_company,
            PlatformKey::Commerce,
            ConnectionStatus::Linked,
        )
        .await
        .unwrap()
        .unwrap();
    let through_foreign_connection = NewDataset {
        connection_id: Some(strangers_connection.id),
        ..new_dataset(1)
    };
    assert_eq!(
        store
            .create_dataset(owner, company, through_foreign_connection)
            .await
            .unwrap(),
        None,
        "no pushing through another company's connection"
    );
    assert_eq!(
        store.dataset(stranger, company, dataset.id).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .dataset(stranger, strangers_company, dataset.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .dataset(owner, strangers_company, dataset.id)
            .await
            .unwrap(),
        None,
        "found only under its own company"
    );
    assert!(
        store
            .dataset(owner, company, dataset.id)
            .await
            .unwrap()
            .is_some()
    );
    // Deleting the company deletes its datasets.
    assert!(store.delete_company(owner, company).await.unwrap());
    assert_eq!(
        store.dataset(owner, company, dataset.id).await.unwrap(),
        None
    );
}

/// `store_dataset`: claim, records and finish in one transaction; a dataset that is not
/// queued any more is left alone, and nothing of the call is written.
async fn storing_a_dataset_claims_stores_and_finishes_it_at_once(store: Arc<dyn Store>) {
    let (client, company) = shop(&store, "c1").await;
    let body = serde_json::json!([
        {"id": "o1", "currency": "GBP", "createdDate": "2026-01-01T10:00:00Z", "totalAmount": 5},
        {"id": "o2", "totalAmount": "lots"}
    ]);
    let (parsed, errors) = parse_orders(&body, "/orders");
    let changes: Vec<_> = parsed
        .iter()
        .map(store::RecordChange::from_parsed)
        .collect();
    let dataset = store
        .create_dataset(client, company, new_dataset(2))
        .await
        .unwrap()
        .unwrap();
    let applied = store
        .store_dataset(
            company,
            DatasetKind::Orders,
            dataset.id,
            changes.clone(),
            2,
            &errors,
        )
        .await
        .unwrap()
        .expect("a queued dataset is stored");
    assert_eq!(applied.inserted, 1);
    let done = store
        .dataset(client, company, dataset.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, DatasetStatus::Complete);
    assert_eq!(
        done.counts,
        DatasetCounts {
            received: 2,
            inserted: 1,
            rejected: 1,
            ..DatasetCounts::default()
        }
    );
    assert_eq!(done.rejections.len(), errors.len());
    assert!(done.completed.is_some());
    assert!(
        store
            .record(company, DatasetKind::Orders, "o1")
            .await
            .unwrap()
            .is_some()
    );

    // Finished already: not claimed again, and its records are not written again.
    let again = store
        .store_dataset(
            company,
            DatasetKind::Orders,
            dataset.id,
            changes.clone(),
            2,
            &errors,
        )
        .await
        .unwrap();
    assert_eq!(again, None);
    let record = store
        .record(company, DatasetKind::Orders, "o1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.current.version, 1);

    // Claimed by someone else: the same.
    let other = store
        .create_dataset(client, company, new_dataset(2))
        .await
        .unwrap()
        .unwrap();
    assert!(store.claim_dataset(other.id).await.unwrap());
    let mut changed = changes;
    changed[0].source_modified_date = Some("2026-01-02T00:00:00Z".parse().unwrap());
    assert_eq!(
        store
            .store_dataset(company, DatasetKind::Orders, other.id, changed, 2, &errors)
            .await
            .unwrap(),
        None
    );
    let record = store
        .record(company, DatasetKind::Orders, "o1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record.current.version, 1,
        "nothing of a refused call is written"
    );
    let other = store
        .dataset(client, company, other.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.status, DatasetStatus::Processing);
}

//! One suite, run against every backend: SQLite always, PostgreSQL when it answers.

use domain::connection::ConnectionError;
use domain::{
    CompanyId, CompanyName, CompanyTags, ConnectionStatus, NewCompany, PageRequest, PlatformKey,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use store::testing::TestDatabase;
use store::{CompanyUpdate, ConnectionUpdate, Store};

/// Runs `check` once per backend, each on a fresh database.
macro_rules! on_every_backend {
    ($check:ident) => {
        #[tokio::test]
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
    on_every_backend!(clients_and_keys);
    on_every_backend!(companies_crud_and_paging);
    on_every_backend!(companies_are_invisible_to_other_clients);
    on_every_backend!(connections_lifecycle);
    on_every_backend!(deleting_a_company_removes_its_connections);
    on_every_backend!(concurrent_writes_all_land);
    on_every_backend!(client_settings_are_each_clients_own);
}

fn new_company(name: &str) -> NewCompany {
    let mut tags = BTreeMap::new();
    tags.insert("region".to_owned(), "eu".to_owned());
    NewCompany {
        name: CompanyName::parse(name).unwrap(),
        description: Some(format!("{name} description")),
        tags: CompanyTags::parse(tags).unwrap(),
    }
}

async fn clients_and_keys(store: Arc<dyn Store>) {
    let a = store.ensure_client("acme-pos").await.unwrap();
    let again = store.ensure_client("acme-pos").await.unwrap();
    assert_eq!(a, again, "ensure_client is idempotent by name");
    let b = store.ensure_client("other").await.unwrap();
    assert_ne!(a.id, b.id);

    store.add_api_key(a.id, "hash-a").await.unwrap();
    store.add_api_key(a.id, "hash-a").await.unwrap();
    assert!(
        store.add_api_key(b.id, "hash-a").await.is_err(),
        "a key hash belongs to one client only"
    );
    assert_eq!(store.client_by_key_hash("hash-a").await.unwrap(), Some(a));
    assert_eq!(store.client_by_key_hash("unknown").await.unwrap(), None);
}

async fn companies_crud_and_paging(store: Arc<dyn Store>) {
    let client = store.ensure_client("c").await.unwrap().id;
    let mut ids = Vec::new();
    for i in 0..7 {
        let company = store
            .create_company(client, new_company(&format!("Shop {i}")))
            .await
            .unwrap();
        ids.push(company.id);
        let read = store.company(client, company.id).await.unwrap().unwrap();
        assert_eq!(read, company, "read back equals what was created");
    }

    let first = store
        .list_companies(
            client,
            PageRequest {
                page: 1,
                page_size: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!(first.total, 7);
    assert_eq!(first.items.len(), 3);
    assert!(first.has_next());
    let last = store
        .list_companies(
            client,
            PageRequest {
                page: 3,
                page_size: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!(last.items.len(), 1);
    assert!(!last.has_next());
    let all: Vec<CompanyId> = store
        .list_companies(
            client,
            PageRequest {
                page: 1,
                page_size: 100,
            },
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    let mut listed = all.clone();
    listed.sort();
    assert_eq!(listed, sorted);

    let renamed = store
        .update_company(
            client,
            ids[0],
            CompanyUpdate {
                name: Some(CompanyName::parse("Renamed").unwrap()),
                description: Some(None),
                tags: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renamed.name.as_str(), "Renamed");
    assert_eq!(renamed.description, None);
    assert_eq!(renamed.tags.as_map().get("region").unwrap(), "eu");
    assert_eq!(
        store.company(client, ids[0]).await.unwrap().unwrap(),
        renamed
    );

    assert!(store.delete_company(client, ids[0]).await.unwrap());
    assert!(!store.delete_company(client, ids[0]).await.unwrap());
    assert_eq!(store.company(client, ids[0]).await.unwrap(), None);
}

async fn companies_are_invisible_to_other_clients(store: Arc<dyn Store>) {
    let owner = store.ensure_client("owner").await.unwrap().id;
    let stranger = store.ensure_client("stranger").await.unwrap().id;
    let company = store
        .create_company(owner, new_company("Mine"))
        .await
        .unwrap();
    let connection = store
        .create_connection(
            owner,
            company.id,
            PlatformKey::Xero,
            ConnectionStatus::PendingAuth,
        )
        .await
        .unwrap()
        .unwrap();

    assert_eq!(store.company(stranger, company.id).await.unwrap(), None);
    assert_eq!(store.company_owner(company.id).await.unwrap(), Some(owner));
    assert_eq!(store.company_owner(CompanyId::new()).await.unwrap(), None);
    assert_eq!(
        store
            .list_companies(stranger, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        store
            .update_company(stranger, company.id, CompanyUpdate::default())
            .await
            .unwrap(),
        None
    );
    assert!(!store.delete_company(stranger, company.id).await.unwrap());
    assert_eq!(
        store.list_connections(stranger, company.id).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .connection(stranger, company.id, connection.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .create_connection(
                stranger,
                company.id,
                PlatformKey::Xero,
                ConnectionStatus::PendingAuth
            )
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .connections_of(stranger, &[company.id])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .delete_connection(stranger, company.id, connection.id)
            .await
            .unwrap()
    );
    // The owner still has everything.
    assert!(store.company(owner, company.id).await.unwrap().is_some());
    assert!(
        store
            .connection(owner, company.id, connection.id)
            .await
            .unwrap()
            .is_some()
    );
}

async fn connections_lifecycle(store: Arc<dyn Store>) {
    let client = store.ensure_client("c").await.unwrap().id;
    let company = store
        .create_company(client, new_company("Shop"))
        .await
        .unwrap();
    let other = store
        .create_company(client, new_company("Other"))
        .await
        .unwrap();
    let xero = store
        .create_connection(
            client,
            company.id,
            PlatformKey::Xero,
            ConnectionStatus::PendingAuth,
        )
        .await
        .unwrap()
        .unwrap();
    let commerce = store
        .create_connection(
            client,
            company.id,
            PlatformKey::Commerce,
            ConnectionStatus::Linked,
        )
        .await
        .unwrap()
        .unwrap();
    store
        .create_connection(
            client,
            other.id,
            PlatformKey::QuickBooksOnline,
            ConnectionStatus::PendingAuth,
        )
        .await
        .unwrap()
        .unwrap();

    let listed = store
        .list_connections(client, company.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&xero) && listed.contains(&commerce));
    // A connection is found only under its own company.
    assert_eq!(
        store.connection(client, other.id, xero.id).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .connections_of(client, &[company.id, other.id])
            .await
            .unwrap()
            .len(),
        3
    );

    assert_eq!(
        store
            .connection_credentials(client, company.id, xero.id)
            .await
            .unwrap(),
        None
    );
    let linked = store
        .update_connection(
            client,
            company.id,
            xero.id,
            ConnectionUpdate {
                status: ConnectionStatus::Linked,
                credentials: Some(Some(vec![1, 2, 3, 0, 255])),
                error: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(linked.status, ConnectionStatus::Linked);
    assert_eq!(
        store
            .connection_credentials(client, company.id, xero.id)
            .await
            .unwrap(),
        Some(vec![1, 2, 3, 0, 255])
    );

    let errored_on = store::now();
    let deauthorized = store
        .update_connection(
            client,
            company.id,
            xero.id,
            ConnectionUpdate {
                status: ConnectionStatus::Deauthorized,
                credentials: None,
                error: Some(Some(ConnectionError {
                    message: "The refresh token has expired".into(),
                    status_code: Some("400".into()),
                    errored_on,
                })),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .connection(client, company.id, xero.id)
            .await
            .unwrap()
            .unwrap(),
        deauthorized
    );
    assert_eq!(
        store
            .connection_credentials(client, company.id, xero.id)
            .await
            .unwrap(),
        Some(vec![1, 2, 3, 0, 255]),
        "credentials are kept unless the update says otherwise"
    );

    store
        .update_connection(
            client,
            company.id,
            xero.id,
            ConnectionUpdate {
                status: ConnectionStatus::Unlinked,
                credentials: Some(None),
                error: Some(None),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .connection_credentials(client, company.id, xero.id)
            .await
            .unwrap(),
        None
    );
    let unlinked = store
        .connection(client, company.id, xero.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unlinked.status, ConnectionStatus::Unlinked);
    assert_eq!(unlinked.error, None);

    assert!(
        store
            .delete_connection(client, company.id, xero.id)
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_connection(client, company.id, xero.id)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .list_connections(client, company.id)
            .await
            .unwrap()
            .unwrap(),
        vec![commerce]
    );
}

async fn deleting_a_company_removes_its_connections(store: Arc<dyn Store>) {
    let client = store.ensure_client("c").await.unwrap().id;
    let company = store
        .create_company(client, new_company("Shop"))
        .await
        .unwrap();
    let connection = store
        .create_connection(
            client,
            company.id,
            PlatformKey::Xero,
            ConnectionStatus::PendingAuth,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(store.delete_company(client, company.id).await.unwrap());
    assert_eq!(
        store
            .connection(client, company.id, connection.id)
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .connections_of(client, &[company.id])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn concurrent_writes_all_land(store: Arc<dyn Store>) {
    let client = store.ensure_client("c").await.unwrap().id;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .create_company(client, new_company(&format!("Concurrent {i}")))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let page = store
        .list_companies(
            client,
            PageRequest {
                page: 1,
                page_size: 5000,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 40);
    assert_eq!(page.items.len(), 40);
}

#[tokio::test]
async fn reopen_on_every_backend() {
    for db in TestDatabase::both().await {
        let first = store::open(&db.url).await.unwrap();
        let client = first.ensure_client("c").await.unwrap().id;
        let company = first
            .create_company(client, new_company("Kept"))
            .await
            .unwrap();
        drop(first);
        let second = store::open(&db.url).await.expect("reopen and re-migrate");
        assert_eq!(
            second.company(client, company.id).await.unwrap(),
            Some(company)
        );
    }
}

#[tokio::test]
async fn unsupported_urls_are_refused_clearly() {
    let err = store::open("mysql://localhost/db").await.err().unwrap();
    assert!(err.to_string().contains("sqlite://"), "{err}");
}

async fn client_settings_are_each_clients_own(store: Arc<dyn Store>) {
    let a = store.ensure_client("settings-a").await.unwrap();
    let b = store.ensure_client("settings-b").await.unwrap();
    let name = "visibleAccounts.gbol";
    assert_eq!(store.client_setting(a.id, name).await.unwrap(), None);
    let now = jiff::Timestamp::now();
    let first = serde_json::json!(["sales-accounts-sales"]);
    store
        .put_client_setting(a.id, name, &first, now)
        .await
        .unwrap();
    let second = serde_json::json!(["payments-accounts-card", "sales-accounts-sales"]);
    store
        .put_client_setting(a.id, name, &second, now)
        .await
        .unwrap();
    assert_eq!(
        store.client_setting(a.id, name).await.unwrap(),
        Some(second)
    );
    assert_eq!(
        store.client_setting(b.id, name).await.unwrap(),
        None,
        "another client's"
    );
}

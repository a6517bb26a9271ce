//! Configuration documents and reference data, on every backend: SQLite always, PostgreSQL
//! when it answers.

use domain::config::{ConfigDocument, parse_str, to_current_json};
use domain::reference_data::ReferenceData;
use domain::{
    ClientId, CompanyId, CompanyName, CompanyTags, ConnectionStatus, NewCompany, PlatformKey,
};
use jiff::Timestamp;
use jiff::civil::date;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use store::{Store, StoreError};

const EXAMPLE: &str = include_str!("../../domain/src/config/testdata/example.json");
const REFERENCE: &str = include_str!("../../domain/src/config/testdata/reference.json");

/// Runs `check` once per backend, each on a fresh database (whose URL it also gets).
macro_rules! on_every_backend {
    ($check:ident) => {
        #[tokio::test]
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
    on_every_backend!(documents_round_trip_exactly);
    on_every_backend!(a_stale_version_is_a_conflict);
    on_every_backend!(concurrent_writers_of_one_version_one_wins);
    on_every_backend!(other_clients_see_and_touch_nothing);
    on_every_backend!(deleting_a_company_removes_its_configuration);
    on_every_backend!(scheduled_companies_are_enabled_and_configured_only);
    on_every_backend!(reference_data_round_trips_with_its_source);
}

fn example() -> ConfigDocument {
    parse_str(EXAMPLE).expect("the example parses").document
}

fn reference() -> ReferenceData {
    serde_json::from_str(REFERENCE).expect("the reference data parses")
}

async fn company(store: &Arc<dyn Store>, client: ClientId, name: &str) -> CompanyId {
    let new = NewCompany {
        name: CompanyName::parse(name).unwrap(),
        description: None,
        tags: CompanyTags::parse(BTreeMap::new()).unwrap(),
    };
    store.create_company(client, new).await.unwrap().id
}

/// Rows of `table`, counted behind the store's back (each test has its own database).
async fn rows(url: &str, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap()
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap()
    }
}

async fn documents_round_trip_exactly(store: Arc<dyn Store>, _url: &str) {
    let client = store.ensure_client("c").await.unwrap().id;
    let id = company(&store, client, "Shop").await;
    assert_eq!(store.config(client, id).await.unwrap(), None);

    let written = store
        .put_config(client, id, example(), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((written.company_id, written.version), (id, 1));
    let read = store.config(client, id).await.unwrap().unwrap();
    assert_eq!(read, written, "read back equals what was written");
    assert_eq!(read.document, example());
    // Key order of the keyed maps survives (PostgreSQL's JSONB would sort them).
    let accounts = read.document.configuration.sales.as_ref().unwrap();
    let keys: Vec<&str> = accounts.accounts.as_ref().unwrap().keys().collect();
    assert_eq!(keys, ["sales", "refund", "gratuity", "prepaid"]);
    assert_eq!(
        to_current_json(&read.document).to_string(),
        to_current_json(&example()).to_string()
    );

    // Values the store does not judge are kept as sent, and the version moves on.
    let odd = ConfigDocument {
        enable: Some(false),
        schedule: Some(domain::config::ScheduleSettings {
            selected_frequency: Some("Hourly".into()),
            frequency_options: None,
            start_date: Some("not a date".into()),
            sync_hour: Some(99),
            time_zone: Some("Mars/Olympus_Mons".into()),
        }),
        ..ConfigDocument::default()
    };
    let second = store
        .put_config(client, id, odd.clone(), Some(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.version, 2);
    assert!(second.updated >= written.updated);
    let read = store.config(client, id).await.unwrap().unwrap();
    assert_eq!(read, second);
    assert_eq!(read.document, odd);

    let third = store
        .put_config(client, id, ConfigDocument::default(), Some(2))
        .await
        .unwrap()
        .unwrap();
    let read = store.config(client, id).await.unwrap().unwrap();
    assert_eq!(read, third);
    assert_eq!(
        (read.version, read.document),
        (3, ConfigDocument::default())
    );
}

fn assert_conflict(result: Result<Option<store::StoredConfig>, StoreError>) {
    match result {
        Err(StoreError::Conflict(message)) => assert!(message.contains("version"), "{message}"),
        other => panic!("expected a version conflict, got {other:?}"),
    }
}

async fn a_stale_version_is_a_conflict(store: Arc<dyn Store>, _url: &str) {
    let client = store.ensure_client("c").await.unwrap().id;
    let id = company(&store, client, "Shop").await;
    let empty = company(&store, client, "Empty").await;
    assert_conflict(store.put_config(client, empty, example(), Some(1)).await);
    assert_eq!(store.config(client, empty).await.unwrap(), None);

    store.put_config(client, id, example(), None).await.unwrap();
    let mut changed = example();
    changed.enable = Some(false);
    let current = store
        .put_config(client, id, changed, Some(1))
        .await
        .unwrap()
        .unwrap();
    assert_conflict(store.put_config(client, id, example(), Some(1)).await);
    assert_conflict(store.put_config(client, id, example(), None).await);
    assert_conflict(store.put_config(client, id, example(), Some(7)).await);
    assert_eq!(
        store.config(client, id).await.unwrap(),
        Some(current),
        "a refused write changes nothing"
    );
}

async fn concurrent_writers_of_one_version_one_wins(store: Arc<dyn Store>, _url: &str) {
    let client = store.ensure_client("c").await.unwrap().id;
    let id = company(&store, client, "Shop").await;
    store.put_config(client, id, example(), None).await.unwrap();
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            let mut document = example();
            document.accounting_software_company_name = Some(format!("Writer {i}"));
            tokio::spawn(async move { store.put_config(client, id, document, Some(1)).await })
        })
        .collect();
    let mut won = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(Some(stored)) => won.push(stored),
            other => assert_conflict(other),
        }
    }
    assert_eq!(won.len(), 1, "exactly one writer of version 1 wins");
    assert_eq!(store.config(client, id).await.unwrap(), Some(won.remove(0)));
}

async fn other_clients_see_and_touch_nothing(store: Arc<dyn Store>, _url: &str) {
    let owner = store.ensure_client("owner").await.unwrap().id;
    let stranger = store.ensure_client("stranger").await.unwrap().id;
    let id = company(&store, owner, "Mine").await;
    let theirs = company(&store, stranger, "Theirs").await;
    let stored = store
        .put_config(owner, id, example(), None)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(store.config(stranger, id).await.unwrap(), None);
    for expected in [None, Some(1)] {
        let put = store.put_config(stranger, id, ConfigDocument::default(), expected);
        assert_eq!(put.await.unwrap(), None, "not the stranger's company");
    }
    let unknown = CompanyId::new();
    assert_eq!(store.config(owner, unknown).await.unwrap(), None);
    let put = store.put_config(owner, unknown, example(), None).await;
    assert_eq!(put.unwrap(), None);
    assert_eq!(store.config(owner, id).await.unwrap(), Some(stored));

    let now = store::now();
    let data = store
        .put_reference_data(owner, id, None, reference(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.reference_data(stranger, id).await.unwrap(), None);
    let put = store.put_reference_data(stranger, id, None, ReferenceData::default(), now);
    assert_eq!(put.await.unwrap(), None);
    // A connection of another company (even the same client's) is no source for this one.
    let elsewhere = store
        .create_connection(
            stranger,
            theirs,
            PlatformKey::Xero,
            ConnectionStatus::Linked,
        )
        .await
        .unwrap()
        .unwrap();
    let put = store.put_reference_data(owner, id, Some(elsewhere.id), reference(), now);
    assert_eq!(put.await.unwrap(), None);
    assert_eq!(store.reference_data(owner, id).await.unwrap(), Some(data));
}

async fn deleting_a_company_removes_its_configuration(store: Arc<dyn Store>, url: &str) {
    let client = store.ensure_client("c").await.unwrap().id;
    let id = company(&store, client, "Shop").await;
    let kept = company(&store, client, "Kept").await;
    for company in [id, kept] {
        store
            .put_config(client, company, example(), None)
            .await
            .unwrap();
        store
            .put_reference_data(client, company, None, reference(), store::now())
            .await
            .unwrap();
    }
    assert_eq!(rows(url, "configurations").await, 2);
    assert_eq!(rows(url, "reference_data").await, 2);

    assert!(store.delete_company(client, id).await.unwrap());
    assert_eq!(rows(url, "configurations").await, 1);
    assert_eq!(rows(url, "reference_data").await, 1);
    assert_eq!(store.config(client, id).await.unwrap(), None);
    assert_eq!(store.reference_data(client, id).await.unwrap(), None);
    assert!(store.config(client, kept).await.unwrap().is_some());
    assert!(store.reference_data(client, kept).await.unwrap().is_some());
}

async fn scheduled_companies_are_enabled_and_configured_only(store: Arc<dyn Store>, _url: &str) {
    let a = store.ensure_client("a").await.unwrap().id;
    let b = store.ensure_client("b").await.unwrap().id;
    let ready = company(&store, a, "Ready").await;
    let other_client_ready = company(&store, b, "Also ready").await;
    let _nothing_stored = company(&store, a, "Nothing").await;
    let variants: [(Option<bool>, Option<bool>); 4] = [
        (Some(true), Some(false)),
        (Some(false), Some(true)),
        (None, Some(true)),
        (Some(true), None),
    ];
    for (i, (enable, configured)) in variants.into_iter().enumerate() {
        let id = company(&store, a, &format!("Not ready {i}")).await;
        let mut document = example();
        (document.enable, document.configured) = (enable, configured);
        store.put_config(a, id, document, None).await.unwrap();
    }
    store.put_config(a, ready, example(), None).await.unwrap();
    let mut monthly = example();
    let schedule = monthly.schedule.as_mut().unwrap();
    schedule.selected_frequency = Some("Monthly".into());
    (schedule.sync_hour, schedule.time_zone) = (None, None);
    schedule.start_date = Some("2024-06-15".into());
    monthly.configuration.map_settings = None;
    store
        .put_config(b, other_client_ready, monthly, None)
        .await
        .unwrap();

    let listed = store.scheduled_companies().await.unwrap();
    let ids: BTreeSet<_> = listed.iter().map(|s| (s.company_id, s.client_id)).collect();
    assert_eq!(
        ids,
        BTreeSet::from([(ready, a), (other_client_ready, b)]),
        "only enabled and configured documents, of every client"
    );
    let first = listed.iter().find(|s| s.company_id == ready).unwrap();
    assert_eq!(first.sync_hour, Some(0));
    assert_eq!(first.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(first.start_date, Some(date(2024, 5, 1)));
    assert_eq!(first.frequency.as_deref(), Some("Daily"));
    assert_eq!(
        first.output_format,
        domain::config::OutputFormat::JournalEntry
    );
    assert_eq!(first.version, 1);
    let schedule = first.schedule().expect("a valid schedule");
    assert_eq!(schedule.time_zone().iana_name(), Some("Europe/London"));
    let second = listed.iter().find(|s| s.company_id != ready).unwrap();
    assert_eq!(
        (second.sync_hour, second.time_zone.as_deref()),
        (None, None)
    );
    assert_eq!(second.start_date, Some(date(2024, 6, 15)));
    assert_eq!(
        second.output_format,
        domain::config::OutputFormat::Documents
    );
    let schedule = second.schedule().expect("defaults fill hour and zone");
    assert_eq!(
        (schedule.sync_hour(), schedule.start_date()),
        (0, date(2024, 6, 15))
    );

    // Switching one off takes it off the list at once.
    let mut off = example();
    off.enable = Some(false);
    store.put_config(a, ready, off, Some(1)).await.unwrap();
    let listed = store.scheduled_companies().await.unwrap();
    let ids: Vec<_> = listed.iter().map(|s| s.company_id).collect();
    assert_eq!(ids, [other_client_ready]);
}

async fn reference_data_round_trips_with_its_source(store: Arc<dyn Store>, _url: &str) {
    let client = store.ensure_client("c").await.unwrap().id;
    let id = company(&store, client, "Shop").await;
    assert_eq!(store.reference_data(client, id).await.unwrap(), None);

    // Exact rates: trailing zeros and long fractions survive as written.
    let mut data = reference();
    let rate = r#"{"id": "EXACT", "name": "Odd", "effectiveRate": 17.50,
                   "components": [{"rate": 0.1234567890123456789012345678}]}"#;
    data.tax_rates.push(serde_json::from_str(rate).unwrap());
    let fetched: Timestamp = "2024-05-01T10:11:12.123456789Z".parse().unwrap();
    let stored = store
        .put_reference_data(client, id, None, data.clone(), fetched)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.fetched.as_microsecond(), fetched.as_microsecond());
    assert_eq!(
        stored.fetched.subsec_nanosecond() % 1000,
        0,
        "kept to microseconds"
    );
    assert_eq!(stored.connection_id, None);
    let read = store.reference_data(client, id).await.unwrap().unwrap();
    assert_eq!(read, stored);
    assert_eq!(
        serde_json::to_string(&read.data).unwrap(),
        serde_json::to_string(&data).unwrap(),
        "the same JSON, number for number"
    );

    // A connector's refresh replaces it and names the connection; deleting the connection
    // keeps the data but forgets where it came from.
    let xero = store
        .create_connection(client, id, PlatformKey::Xero, ConnectionStatus::Linked)
        .await
        .unwrap()
        .unwrap();
    let refreshed = store
        .put_reference_data(client, id, Some(xero.id), reference(), store::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refreshed.connection_id, Some(xero.id));
    let read = store.reference_data(client, id).await.unwrap().unwrap();
    assert_eq!(read, refreshed);
    assert!(store.delete_connection(client, id, xero.id).await.unwrap());
    let read = store.reference_data(client, id).await.unwrap().unwrap();
    assert_eq!(read.connection_id, None);
    assert_eq!(
        (read.data, read.fetched),
        (refreshed.data, refreshed.fetched)
    );
}

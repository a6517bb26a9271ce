//! Helpers shared by the record tests.
// Each test binary uses a different subset of these.
#![allow(dead_code)]

use domain::{ClientId, CompanyId, CompanyName, CompanyTags, NewCompany};
use jiff::Timestamp;
use std::sync::Arc;
use store::{ApplyCounts, RecordChange, Store};

/// Runs `check` once per backend, each on a fresh database, on several threads so
/// concurrent tasks really overlap.
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

pub async fn company(store: &Arc<dyn Store>) -> (ClientId, CompanyId) {
    let client = store.ensure_client("pos").await.unwrap().id;
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

pub fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + seconds).unwrap()
}

pub fn upsert(id: &str, created: i64, modified: i64, tag: &str) -> RecordChange {
    RecordChange {
        id: id.into(),
        created_date: Some(at(created)),
        source_modified_date: Some(at(modified)),
        canonical_json: format!(r#"{{"id":"{id}","tag":"{tag}","totalAmount":10.50}}"#),
        delete: false,
    }
}

pub fn delete(id: &str) -> RecordChange {
    RecordChange {
        id: id.into(),
        created_date: None,
        source_modified_date: None,
        canonical_json: format!(r#"{{"id":"{id}"}}"#),
        delete: true,
    }
}

pub fn counts(inserted: u64, modified: u64, unchanged: u64, deleted: u64) -> ApplyCounts {
    ApplyCounts {
        inserted,
        modified,
        unchanged,
        deleted,
    }
}

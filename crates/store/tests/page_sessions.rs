//! Page sessions, spent one-time codes and merchant identifiers, on every backend.

#[macro_use]
mod common;

use common::company;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use std::sync::Arc;
use store::{PageSession, Store};

mod backends {
    on_every_backend!(sessions_expire_and_update);
    on_every_backend!(a_code_is_spent_once);
    on_every_backend!(a_merchant_names_one_company);
}

async fn sessions_expire_and_update(store: Arc<dyn Store>) {
    let (client, company) = company(&store).await;
    let now = Timestamp::now();
    let session = PageSession {
        id: "hash-1".into(),
        kind: "flow".into(),
        client,
        company: Some(company),
        data: json!({"locale": "fr-fr"}),
        created: now,
        expires: now + SignedDuration::from_mins(30),
    };
    store.create_page_session(&session).await.unwrap();
    let found = store.page_session("hash-1", now).await.unwrap().unwrap();
    assert_eq!(found.company, Some(company));
    assert_eq!(found.data["locale"], "fr-fr");
    assert!(
        store
            .page_session("hash-1", now + SignedDuration::from_mins(31))
            .await
            .unwrap()
            .is_none(),
        "an expired session is not found"
    );
    let later = now + SignedDuration::from_hours(2);
    assert!(
        store
            .update_page_session("hash-1", &json!({"locale": "en-us"}), later)
            .await
            .unwrap()
    );
    let found = store
        .page_session("hash-1", now + SignedDuration::from_mins(31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.data["locale"], "en-us", "updated data and expiry");
    store.delete_page_session("hash-1").await.unwrap();
    assert!(store.page_session("hash-1", now).await.unwrap().is_none());
    assert!(
        !store
            .update_page_session("hash-1", &json!({}), later)
            .await
            .unwrap(),
        "a deleted session cannot be revived"
    );
}

async fn a_code_is_spent_once(store: Arc<dyn Store>) {
    let now = Timestamp::now();
    let expires = now + SignedDuration::from_secs(30);
    assert!(store.spend_code("nonce-a", expires, now).await.unwrap());
    assert!(!store.spend_code("nonce-a", expires, now).await.unwrap());
    assert!(store.spend_code("nonce-b", expires, now).await.unwrap());
}

async fn a_merchant_names_one_company(store: Arc<dyn Store>) {
    let (client, first) = company(&store).await;
    let (_, second) = company(&store).await;
    assert_eq!(store.merchant_company(client, "m-1").await.unwrap(), None);
    assert_eq!(
        store.bind_merchant(client, "m-1", first).await.unwrap(),
        first
    );
    assert_eq!(
        store.bind_merchant(client, "m-1", second).await.unwrap(),
        first,
        "the first binding wins a race"
    );
    assert_eq!(
        store.merchant_company(client, "m-1").await.unwrap(),
        Some(first)
    );
    let other = store.ensure_client("another-pos").await.unwrap().id;
    assert_eq!(
        store.merchant_company(other, "m-1").await.unwrap(),
        None,
        "identifiers are each client's own"
    );
}

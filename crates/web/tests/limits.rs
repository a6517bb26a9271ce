//! Limits of the HTTP server itself, on a real socket: a client that stops halfway through
//! its headers or its body is cut off, and an address sending wrong API keys is slowed to 429.

use platforms::{SecretKey, TokenCipher};
use std::time::{Duration, Instant};
use store::testing::TestDatabase;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "limits-test-key-0123456789";

async fn server(settings: web::serve::ServeSettings) -> (String, TestDatabase) {
    let db = TestDatabase::sqlite();
    let store = store::open(&db.url).await.unwrap();
    let client = store.ensure_client("limits").await.unwrap();
    store
        .add_api_key(client.id, &web::auth::hash_key(KEY))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let state = web::AppState::new(
        store,
        TokenCipher::new(&SecretKey::generate()),
        &format!("http://{address}"),
    );
    let app = web::router(state);
    tokio::spawn(web::serve::serve(
        listener,
        app,
        settings,
        std::future::pending(),
    ));
    (address, db)
}

/// Sends `start`, then waits: how long until the server ends the exchange, and what it said.
async fn stalled(address: &str, start: &str) -> (Duration, String) {
    let mut socket = TcpStream::connect(address).await.unwrap();
    socket.write_all(start.as_bytes()).await.unwrap();
    let began = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the server held a stalled connection for 10 s"
    );
    (
        began.elapsed(),
        String::from_utf8_lossy(&answer).into_owned(),
    )
}

#[tokio::test]
async fn half_sent_headers_and_bodies_are_cut_off() {
    let settings = web::serve::ServeSettings {
        header_read_timeout: Duration::from_millis(500),
        body_read_timeout: Duration::from_millis(500),
    };
    let (address, _db) = server(settings).await;
    let (after, _) = stalled(&address, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
    assert!(after < Duration::from_secs(5), "{after:?}");

    // An authenticated request whose body stops coming: answered and closed, not held.
    let body_start = format!(
        "POST /companies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {KEY}\r\nContent-Length: 100\r\n\r\n{{\"name\":"
    );
    let (after, answer) = stalled(&address, &body_start).await;
    assert!(
        after >= Duration::from_millis(400) && after < Duration::from_secs(5),
        "{after:?}"
    );
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[tokio::test]
async fn wrong_keys_from_one_address_are_throttled() {
    let (address, _db) = server(web::serve::ServeSettings::default()).await;
    let http = reqwest::Client::new();
    let url = format!("http://{address}/companies");
    for _ in 0..web::throttle::Throttle::LIMIT {
        let r = http.get(&url).bearer_auth("cs_wrong").send().await.unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::UNAUTHORIZED);
    }
    let r = http.get(&url).bearer_auth("cs_wrong").send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "too_many_wrong_keys", "{body}");
}

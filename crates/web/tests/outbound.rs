//! With the default policy, a client cannot point us at our own network: webhook URLs and an
//! hledger `baseUrl` on loopback, private or link-local addresses are refused by name.

use platforms::{SecretKey, TokenCipher};
use serde_json::{Value, json};
use store::testing::TestDatabase;

const KEY: &str = "outbound-test-key-0123456789";

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Value,
) -> (u16, Value) {
    let r = http
        .request(method, url)
        .bearer_auth(KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn pointers(error: &Value) -> Vec<String> {
    error["validation"]["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e["pointer"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn private_addresses_are_refused_at_registration() {
    let db = TestDatabase::sqlite();
    let store = store::open(&db.url).await.unwrap();
    let client = store.ensure_client("outbound").await.unwrap();
    store
        .add_api_key(client.id, &web::auth::hash_key(KEY))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // The default policy, as in production.
    let state = web::AppState::new(store, TokenCipher::new(&SecretKey::generate()), &base);
    let app = web::router(state);
    tokio::spawn(web::serve::serve(
        listener,
        app,
        Default::default(),
        std::future::pending(),
    ));
    let http = reqwest::Client::new();

    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://10.0.0.7/hook",
    ] {
        let (status, error) = call(
            &http,
            reqwest::Method::POST,
            format!("{base}/webhooks/endpoints"),
            json!({"url": url}),
        )
        .await;
        assert_eq!(
            (status, pointers(&error)),
            (400, vec!["/url".to_owned()]),
            "{url}: {error}"
        );
    }
    // A public address literal is fine (nothing is called at registration).
    let (status, created) = call(
        &http,
        reqwest::Method::POST,
        format!("{base}/webhooks/endpoints"),
        json!({"url": "https://93.184.216.34/hook"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, error) = call(
        &http,
        reqwest::Method::PATCH,
        format!("{base}/webhooks/endpoints/{id}"),
        json!({"url": "http://192.168.1.1/hook"}),
    )
    .await;
    assert_eq!(
        (status, pointers(&error)),
        (400, vec!["/url".to_owned()]),
        "{error}"
    );

    // hledger's baseUrl.
    let (_, company) = call(
        &http,
        reqwest::Method::POST,
        format!("{base}/companies"),
        json!({"name": "Ledger"}),
    )
    .await;
    let company = company["id"].as_str().unwrap();
    let (status, connection) = call(
        &http,
        reqwest::Method::POST,
        format!("{base}/companies/{company}/connections"),
        json!({"platformKey": "hldg"}),
    )
    .await;
    assert_eq!(status, 200, "{connection}");
    let connection = connection["id"].as_str().unwrap();
    let (status, error) = call(
        &http,
        reqwest::Method::PUT,
        format!("{base}/companies/{company}/connections/{connection}/authorization"),
        json!({"baseUrl": "http://127.0.0.1:5000"}),
    )
    .await;
    assert_eq!(
        (status, pointers(&error)),
        (400, vec!["/baseUrl".to_owned()]),
        "{error}"
    );
}

//! Input a careless or hostile client sends: NUL characters, duplicate keys, bodies that are
//! not JSON, malformed paths and queries. Each is a named 4xx in the JSON error shape on
//! both databases alike; a bad record of a push is refused by name and the good ones kept.

mod common;

use common::configured::example;
use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

fn order(id: &str) -> Value {
    json!({"id": id, "currency": "GBP", "createdDate": "2026-03-01T10:15:00Z",
        "sourceModifiedDate": "2026-03-01T10:15:00Z", "totalAmount": 12.00, "totalTaxAmount": 2.00,
        "totalDiscount": 0, "totalGratuity": 0, "totalRefund": 0,
        "orderLineItems": [{"id": format!("{id}-l1"), "quantity": 1, "unitPrice": 10.00,
            "totalAmount": 12.00, "totalTaxAmount": 2.00, "taxPercentage": 20}]})
}

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> (StatusCode, Value) {
    TestApp::send(
        app.request(method, path)
            .header("Content-Type", content_type)
            .body(body.to_owned()),
    )
    .await
}

async fn finished(app: &TestApp, company: &str, id: &str) -> Value {
    for _ in 0..400 {
        let (_, dataset) = app
            .call(
                Method::GET,
                &format!("/meta/companies/{company}/pull/history/{id}"),
                None,
            )
            .await;
        if dataset["progress"] == 100 {
            return dataset;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("dataset {id} did not finish");
}

#[tokio::test]
async fn nul_is_refused_by_name_everywhere_and_a_push_keeps_its_good_records() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Nul Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let (status, error) = app
            .call(Method::POST, "/companies", Some(json!({"name": "A\u{0}B"})))
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/name".to_owned()])
        );

        let reference = format!("/companies/{company}/reference-data");
        let bad = json!({"accounts": [{"id": "a\u{0}", "name": "Sales", "type": "Income"}]});
        let (status, error) = app.call(Method::PUT, &reference, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{} {error}", app.backend());
        assert_eq!(pointers(&error), ["/accounts/0/id"]);

        let config = format!("/config/companies/{company}/sync/commerce");
        let mut doc = example(false);
        doc["schedule"]["timeZone"] = json!("Europe/London\u{0}");
        let (status, error) = app.call(Method::POST, &config, Some(doc)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{} {error}", app.backend());
        assert_eq!(pointers(&error), ["/schedule/timeZone"]);

        // A push: the bad record is named, the good ones stored, on both databases.
        let mut poisoned = order("o2");
        poisoned["orderLineItems"][0]["description"] = json!("bike\u{0}");
        let body = json!({"orders": [order("o1"), poisoned, order("o3")]});
        let path = format!("/data/companies/{company}/sync/commerce-orders");
        let (status, queued) = app.call(Method::POST, &path, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{queued}");
        let dataset = finished(&app, &company, queued["datasetId"].as_str().unwrap()).await;
        assert_eq!(dataset["status"], "Complete", "{} {dataset}", app.backend());
        assert_eq!(dataset["counts"]["inserted"], 2, "{dataset}");
        assert_eq!(dataset["counts"]["rejected"], 1, "{dataset}");
        let text = dataset.to_string();
        assert!(
            text.contains("/orders/1/orderLineItems/0/description"),
            "{text}"
        );
        assert!(text.contains("InvalidText"), "{text}");
    }
}

#[tokio::test]
async fn duplicate_keys_are_refused_by_pointer() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Twice Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/data/companies/{company}/sync/commerce-orders");
        let first = json!([order("o1")]).to_string();
        let second = json!([order("o2")]).to_string();
        let body = format!(r#"{{"orders": {first}, "orders": {second}}}"#);
        let (status, error) = raw(&app, Method::POST, &path, "application/json", &body).await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/orders".to_owned()]),
            "{error}"
        );

        let inner = r#"{"orders": [{"id": "o1", "currency": "GBP", "currency": "USD"}]}"#;
        let (status, error) = raw(&app, Method::POST, &path, "application/json", inner).await;
        assert_eq!(
            (status, pointers(&error)),
            (
                StatusCode::BAD_REQUEST,
                vec!["/orders/0/currency".to_owned()]
            ),
            "{error}"
        );

        let (status, error) = raw(
            &app,
            Method::POST,
            "/companies",
            "application/json",
            r#"{"name": "A", "name": "B"}"#,
        )
        .await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/name".to_owned()])
        );
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_and_malformed_urls_answer_the_json_error_shape() {
    let app = TestApp::spawn(store::testing::TestDatabase::sqlite()).await;
    let (status, error) = raw(
        &app,
        Method::POST,
        "/companies",
        "text/plain",
        r#"{"name": "A"}"#,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type")
        )
    );
    let (status, error) = raw(
        &app,
        Method::POST,
        "/companies",
        "application/x-www-form-urlencoded",
        "name=A",
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{error}");
    // JSON with parameters, and +json types, are JSON.
    let (status, _) = raw(
        &app,
        Method::POST,
        "/companies",
        "application/json; charset=utf-8",
        r#"{"name": "A"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // axum's own rejections (plain text) come back in the error shape: `send` parses JSON.
    let (status, error) = app
        .call(Method::GET, "/companies?page=1&page=2", None)
        .await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(error["statusCode"], status.as_u16(), "{error}");
    let (status, error) = app.call(Method::GET, "/companies/%FF%FE", None).await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(error["statusCode"], status.as_u16(), "{error}");
    assert!(error["code"].is_string(), "{error}");
}

//! Data push over real HTTP, on SQLite and PostgreSQL: datasets answered at once, stored in
//! the background, idempotent, with every bad record named.

mod common;

use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

fn order(id: &str, modified: &str, total: &str) -> Value {
    // The line's price is net of its 2.00 of tax.
    let net: serde_json::Number = format!("{:.2}", total.parse::<f64>().unwrap() - 2.0)
        .parse()
        .unwrap();
    json!({
        "id": id, "currency": "GBP", "createdDate": "2026-03-01T10:15:00Z", "sourceModifiedDate": modified,
        "totalAmount": total.parse::<serde_json::Number>().unwrap(), "totalTaxAmount": 2.00, "totalDiscount": 0, "totalGratuity": 1.50, "totalRefund": 0,
        "orderLineItems": [{"id": format!("{id}-l1"), "quantity": 1, "unitPrice": net,
                            "totalAmount": total.parse::<serde_json::Number>().unwrap(), "totalTaxAmount": 2.00, "taxPercentage": 20}]
    })
}

/// Pushes and waits for the dataset to finish; answers its final status body.
async fn push(app: &TestApp, method: Method, path: &str, body: Value) -> Value {
    let (status, queued) = app.call(method, path, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{queued}");
    assert!(
        ["Queued", "Processing", "Complete"].contains(&queued["status"].as_str().unwrap()),
        "{queued}"
    );
    let company = queued["companyId"].as_str().unwrap();
    let id = queued["datasetId"].as_str().unwrap();
    for _ in 0..200 {
        let (status, dataset) = app
            .call(
                Method::GET,
                &format!("/meta/companies/{company}/pull/history/{id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        if dataset["progress"] == 100 {
            return dataset;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("dataset {id} did not finish");
}

#[tokio::test]
async fn pushes_are_idempotent_and_report_counts() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Pushing Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/data/companies/{company}/sync/commerce-orders");
        let body = json!({"contractVersion": "1", "orders": [order("o1", "2026-03-01T10:15:00Z", "12.00"), order("o2", "2026-03-01T10:15:00Z", "10.00")]});

        let first = push(&app, Method::POST, &path, body.clone()).await;
        assert_eq!(first["status"], "Complete", "{first}");
        assert_eq!(first["dataType"], "commerce-orders");
        assert_eq!(first["isCompleted"], true);
        assert_eq!(
            first["counts"],
            json!({"received": 2, "inserted": 2, "modified": 0, "unchanged": 0, "deleted": 0, "rejected": 0})
        );

        let again = push(&app, Method::POST, &path, body).await;
        assert_eq!(
            again["counts"]["unchanged"], 2,
            "the same records again change nothing: {again}"
        );

        let changed =
            json!({"orders": [order("o1", "2026-03-02T09:00:00Z", "13.00"), {"id": "o2"}]});
        let second = push(&app, Method::POST, &path, changed).await;
        assert_eq!(second["counts"]["modified"], 1, "{second}");
        assert_eq!(second["counts"]["deleted"], 1, "{second}");

        // What is stored is the newest version, exactly as pushed, with the old one kept.
        let company_id = company.parse().unwrap();
        let history = app
            .store
            .record(company_id, domain::commerce::DatasetKind::Orders, "o1")
            .await
            .unwrap()
            .unwrap();
        let current: Value = serde_json::from_str(&history.current.canonical_json).unwrap();
        assert_eq!(
            current["totalAmount"].to_string(),
            "13.00",
            "amounts keep their exact text"
        );
        assert_eq!(history.previous.len(), 1);
        let deleted = app
            .store
            .record(company_id, domain::commerce::DatasetKind::Orders, "o2")
            .await
            .unwrap()
            .unwrap();
        assert!(deleted.current.deleted);
    }
}

#[tokio::test]
async fn bad_records_are_named_and_good_ones_kept() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Messy Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut bad_amount = order("bad-amount", "2026-03-01T10:15:00Z", "5.00");
        bad_amount["totalAmount"] = json!("five");
        let mut bad_currency = order("bad-decimals", "2026-03-01T10:15:00Z", "5.00");
        bad_currency["totalTaxAmount"] = json!(1.005);
        let body = json!([order("good", "2026-03-01T10:15:00Z", "5.00"), bad_amount, bad_currency, {"currency": "GBP"}]);
        let dataset = push(
            &app,
            Method::POST,
            &format!("/companies/{company}/data/commerce-orders"),
            body,
        )
        .await;
        assert_eq!(dataset["status"], "Complete");
        assert_eq!(dataset["counts"]["inserted"], 1, "{dataset}");
        assert_eq!(dataset["counts"]["rejected"], 3, "{dataset}");
        let errors = dataset["validation"]["errors"].as_array().unwrap();
        let named: Vec<(Value, Value)> = errors
            .iter()
            .map(|e| (e["itemId"].clone(), e["pointer"].clone()))
            .collect();
        assert!(
            named.contains(&(json!("bad-amount"), json!("/1/totalAmount"))),
            "{named:?}"
        );
        assert!(
            named.contains(&(json!("bad-decimals"), json!("/2/totalTaxAmount"))),
            "{named:?}"
        );
        assert!(
            named
                .iter()
                .any(|(id, pointer)| id.is_null() && pointer == "/3/id"),
            "{named:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_pushes_of_one_dataset_store_one_copy() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Busy Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let orders: Vec<Value> = (0..200)
            .map(|i| order(&format!("o{i}"), "2026-03-01T10:15:00Z", "10.00"))
            .collect();
        let body = json!({"orders": orders});
        let path = format!("/data/companies/{company}/sync/commerce-orders");
        let pushes = (0..6).map(|_| push(&app, Method::POST, &path, body.clone()));
        let results = futures::future::join_all(pushes).await;
        let inserted: u64 = results
            .iter()
            .map(|d| d["counts"]["inserted"].as_u64().unwrap())
            .sum();
        let unchanged: u64 = results
            .iter()
            .map(|d| d["counts"]["unchanged"].as_u64().unwrap())
            .sum();
        assert_eq!(
            inserted, 200,
            "each record inserted exactly once across the pushes"
        );
        assert_eq!(unchanged, 200 * 5);
        let company_id = company.parse().unwrap();
        let start = "2026-03-01T00:00:00Z".parse().unwrap();
        let end = "2026-03-02T00:00:00Z".parse().unwrap();
        let stored = app
            .store
            .records_created_between(
                company_id,
                domain::commerce::DatasetKind::Orders,
                start,
                end,
            )
            .await
            .unwrap();
        assert_eq!(stored.len(), 200);
    }
}

#[tokio::test]
async fn catalogue_kinds_are_put_and_sales_kinds_posted() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Catalogue Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let locations = json!([{"id": "loc-1", "name": "High Street"}]);
        let dataset = push(
            &app,
            Method::PUT,
            &format!("/companies/{company}/data/commerce-locations"),
            locations,
        )
        .await;
        assert_eq!(dataset["counts"]["inserted"], 1, "{dataset}");
        let categories = json!({"ContractVersion": "9.3.1", "ProductCategories": [{"id": "c1", "name": "Bikes"}]});
        let dataset = push(
            &app,
            Method::PUT,
            &format!("/companies/{company}/data/commerce-productCategories"),
            categories,
        )
        .await;
        assert_eq!(dataset["counts"]["inserted"], 1, "{dataset}");

        let (status, error) = app
            .call(
                Method::PUT,
                &format!("/companies/{company}/data/commerce-orders"),
                Some(json!([])),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "orders are POSTed");
        assert_eq!(error["code"], "unknown_data_type");
        let (status, _) = app
            .call(
                Method::POST,
                &format!("/data/companies/{company}/sync/commerce-widgets"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn dataset_shapes_limits_and_tenancy() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Strict Shop").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/data/companies/{company}/sync/commerce-payments");
        let (status, error) = app
            .call(Method::POST, &path, Some(json!({"orders": []})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["/payments"]);
        let too_many: Vec<Value> = (0..5001).map(|i| json!({"id": format!("p{i}")})).collect();
        let (status, error) = app
            .call(Method::POST, &path, Some(json!({"payments": too_many})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            error["error"].as_str().unwrap().contains("at most 5000"),
            "{error}"
        );

        let dataset = push(&app, Method::POST, &path, json!({"payments": []})).await;
        let id = dataset["id"].as_str().unwrap();
        let stranger = app.new_client_key("stranger").await;
        let (status, _) = TestApp::send(app.request_as(
            &stranger,
            Method::GET,
            &format!("/meta/companies/{company}/pull/history/{id}"),
        ))
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = TestApp::send(
            app.request_as(&stranger, Method::POST, &path)
                .json(&json!({"payments": []})),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another client cannot push into this company"
        );
        let (status, _) = app
            .call(
                Method::GET,
                &format!(
                    "/meta/companies/{company}/pull/history/{}",
                    uuid::Uuid::new_v4()
                ),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

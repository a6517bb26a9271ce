//! The preview endpoint over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::configured::{company, example, post, rules};
use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn sale(id: &str, at: &str) -> Value {
    json!({"id": id, "currency": "GBP", "createdDate": at, "sourceModifiedDate": at,
        "totalAmount": 12, "totalGratuity": 0, "orderLineItems": [{"id": format!("{id}-1"),
        "quantity": 1, "taxPercentage": 20, "totalAmount": 12, "totalTaxAmount": 2}]})
}

#[tokio::test]
async fn preview_maps_the_data_in_the_body_under_the_stored_configuration() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, true).await;
        let preview = format!("/companies/{company}/sync/commerce/preview");
        let body = json!({"from": "2024-05-01", "to": "2024-05-02", "data": {"orders": [sale("o1", "2024-05-01T10:00:00Z")]}});
        let (status, error) = app.call(Method::POST, &preview, Some(body.clone())).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("configuration_missing"))
        );
        let (status, _, saved) = post(&app, &company, &example(false)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");

        let (status, out) = app.call(Method::POST, &preview, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{}: {out}", app.backend());
        let invoice = &out["documents"][0];
        assert_eq!(invoice["kind"], "invoice");
        assert_eq!(invoice["contactId"], "c-001");
        assert_eq!(invoice["lines"][0]["accountId"], "a1-200");
        assert_eq!(invoice["lines"][0]["taxRateId"], "OUTPUT2");
        assert!(out["warnings"].is_array());

        // Bad input: every field named, data pointers under /data.
        let bad = json!({"from": "May Day", "timeZone": 5, "platform": "sage",
            "data": {"orders": [{"id": "o1", "currency": "GBP", "createdDate": "soon", "totalAmount": 1}]}});
        let (status, error) = app.call(Method::POST, &preview, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["/from", "/to", "/timeZone", "/platform"]);
        let bad = json!({"from": "2024-05-01", "to": "2024-05-02", "timeZone": "Mars/Olympus",
            "data": {"orders": [{"id": "o1", "currency": "GBP", "createdDate": "soon", "totalAmount": 0, "orderLineItems": []}]}});
        let (status, error) = app.call(Method::POST, &preview, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/timeZone", "/data/orders/0/createdDate"]
        );

        // A payment type with no account: the stored configuration is what needs fixing.
        let mobile = json!({"id": "p1", "currency": "GBP", "type": "Mobile", "status": "Paid",
            "amount": 12, "createdDate": "2024-05-01T10:00:00Z"});
        let body = json!({"from": "2024-05-01", "to": "2024-05-02",
            "data": {"orders": [sale("o1", "2024-05-01T10:00:00Z")], "payments": [mobile]}});
        let (status, error) = app.call(Method::POST, &preview, Some(body)).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("configuration_invalid"))
        );
        assert_eq!(error["validation"]["errors"][0]["itemId"], "configuration");
        assert_eq!(
            rules(&error),
            [(
                "payments.type_unmapped".to_owned(),
                "/configuration/payments/accounts/mobile/selectedAccountId".to_owned()
            )]
        );
    }
}

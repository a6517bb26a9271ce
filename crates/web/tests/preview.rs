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

        // Far-future dates west of UTC: named, never a panic or a 500.
        let far = json!({"from": "9999-12-30", "to": "9999-12-31", "timeZone": "America/Los_Angeles",
            "data": {"orders": []}});
        let (status, error) = app.call(Method::POST, &preview, Some(far)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(pointers(&error), ["/from", "/to"]);

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

/// Journal mode: a pushed tax component is offered a liability account of its own, and the
/// day's tax on it is owed there.
#[tokio::test]
async fn pushed_tax_components_get_their_own_liability_account_in_journals() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, true).await;
        let path = format!("/companies/{company}/data/commerce-taxComponents");
        let body = json!({"taxComponents": [{"id": "vat-20", "name": "VAT 20%", "rate": 0.2}]});
        let (status, queued) = app.call(Method::PUT, &path, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{queued}");
        let dataset = format!(
            "/meta/companies/{company}/pull/history/{}",
            queued["datasetId"].as_str().unwrap()
        );
        for _ in 0..200 {
            let (_, d) = app.call(Method::GET, &dataset, None).await;
            if d["status"] == "Complete" {
                assert_eq!(d["counts"]["inserted"], 1, "{d}");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let config = format!("/config/companies/{company}/sync/commerce");
        let (status, offered) = app.call(Method::GET, &config, None).await;
        assert_eq!(status, StatusCode::OK, "{offered}");
        let slot = &offered["configuration"]["sales"]["accounts"]["taxComponent.vat-20"];
        assert_eq!(slot["labelText"], "Tax: VAT 20%", "{offered}");
        let options: Vec<&str> = slot["accountOptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert!(
            options.contains(&"a1-836") && !options.contains(&"a1-200"),
            "{options:?}"
        );

        let mut doc = example(true);
        doc["configuration"]["sales"]["accounts"]["taxComponent.vat-20"] =
            json!({"selectedAccountId": "a1-836"});
        let (status, _, saved) = post(&app, &company, &doc).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        // An account that is not a liability is refused, naming the slot.
        doc["configuration"]["sales"]["accounts"]["taxComponent.vat-20"] =
            json!({"selectedAccountId": "a1-200"});
        let (status, _, error) = post(&app, &company, &doc).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert!(
            pointers(&error)
                .iter()
                .any(|p| p.contains("taxComponent.vat-20")),
            "{error}"
        );

        let mut order = sale("o1", "2099-01-01T10:00:00Z");
        order["orderLineItems"][0]["taxes"] =
            json!([{"taxComponentRef": {"id": "vat-20"}, "taxAmount": 2}]);
        let card = json!({"id": "p1", "currency": "GBP", "type": "Card", "status": "Paid",
            "amount": 12, "createdDate": "2099-01-01T10:00:00Z"});
        let body = json!({"from": "2099-01-01", "to": "2099-01-02",
            "data": {"orders": [order], "payments": [card]}});
        let preview = format!("/companies/{company}/sync/commerce/preview");
        let (status, out) = app.call(Method::POST, &preview, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{out}");
        let journal = &out["documents"][0];
        assert_eq!(journal["kind"], "journalEntry", "{out}");
        let tax_line = journal["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["accountId"] == "a1-836")
            .unwrap_or_else(|| panic!("no line on the component's account: {out}"));
        assert_eq!(tax_line["credit"], "2.00");
    }
}

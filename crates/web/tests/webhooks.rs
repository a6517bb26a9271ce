//! The webhook endpoints and delivery log API over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::{TestApp, pointers};
use engine::webhooks::{WebhookEventType, emit, open_secret};
use platforms::TokenCipher;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use store::WebhookEndpointId;

async fn create(app: &TestApp, body: Value) -> Value {
    let (status, endpoint) = app
        .call(Method::POST, "/webhooks/endpoints", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{endpoint}");
    endpoint
}

/// Emits an event for the test client, as the sync engine would.
async fn emit_event(app: &TestApp, event_type: WebhookEventType) -> usize {
    let client = app.store.ensure_client("test-client").await.unwrap().id;
    emit(
        &*app.store,
        client,
        event_type,
        None,
        json!({"syncId": "s-1"}),
        store::now(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn endpoints_are_created_listed_changed_and_deleted() {
    for app in TestApp::on_every_backend().await {
        eprintln!("on {}", app.backend());
        let made = create(
            &app,
            json!({"url": "https://pos.example/hooks", "description": "  ours  "}),
        )
        .await;
        let secret = made["secret"].as_str().unwrap().to_owned();
        assert!(
            secret.starts_with("whsec_") && secret.len() == 46,
            "{secret}"
        );
        assert_eq!(made["url"], "https://pos.example/hooks");
        assert_eq!(made["description"], "ours");
        assert_eq!(made["events"], json!([]));
        assert_eq!(made["enabled"], true);
        let id = made["id"].as_str().unwrap().to_owned();
        let path = format!("/webhooks/endpoints/{id}");

        let (status, got) = app.call(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            got.get("secret").is_none(),
            "the secret is shown once: {got}"
        );
        assert_eq!(got["id"], id.as_str());

        let failures = create(
            &app,
            json!({"url": "http://127.0.0.1:9/hook", "events": ["sync.failed", "sync.disabled"]}),
        )
        .await;
        assert_eq!(failures["events"], json!(["sync.failed", "sync.disabled"]));
        assert_eq!(failures["description"], Value::Null);
        let (status, list) = app.call(Method::GET, "/webhooks/endpoints", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["totalResults"], 2);
        assert_eq!(list["results"][0]["id"], id.as_str());
        assert!(list["results"][0].get("secret").is_none());

        let (status, changed) = app
            .call(
                Method::PATCH,
                &path,
                Some(json!({"enabled": false, "events": ["sync.completed"], "description": null})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{changed}");
        assert_eq!(changed["enabled"], false);
        assert_eq!(changed["events"], json!(["sync.completed"]));
        assert_eq!(changed["description"], Value::Null);
        assert_eq!(changed["url"], "https://pos.example/hooks");
        let (_, reset) = app
            .call(
                Method::PATCH,
                &path,
                Some(json!({"events": null, "enabled": true})),
            )
            .await;
        assert_eq!(
            (&reset["events"], &reset["enabled"]),
            (&json!([]), &json!(true))
        );

        let (status, _) = app.call(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, gone) = app.call(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(gone["code"], "webhook_endpoint_not_found");
        let (status, _) = app.call(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn bad_bodies_name_every_bad_field() {
    for app in TestApp::on_every_backend().await {
        let (status, error) = app
            .call(
                Method::POST,
                "/webhooks/endpoints",
                Some(json!({
                    "url": "ftp://pos.example/hooks",
                    "events": ["sync.completed", "sync.exploded", 5, "sync.completed"],
                    "description": 7,
                    "enabeld": true,
                })),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(error["code"], "validation_failed");
        let mut named = pointers(&error);
        named.sort();
        assert_eq!(
            named,
            [
                "/description",
                "/enabeld",
                "/events/1",
                "/events/2",
                "/events/3",
                "/url"
            ],
            "{error}"
        );

        let (status, error) = app
            .call(
                Method::POST,
                "/webhooks/endpoints",
                Some(json!({"events": "sync.failed"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["/url", "/events"], "{error}");

        for url in [
            "pos.example/hooks",
            "https://user:pw@pos.example/hooks",
            "https://",
            "not a url",
        ] {
            let (status, error) = app
                .call(
                    Method::POST,
                    "/webhooks/endpoints",
                    Some(json!({"url": url})),
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {error}");
            assert_eq!(pointers(&error), ["/url"], "{url}: {error}");
        }

        let made = create(&app, json!({"url": "https://pos.example/hooks"})).await;
        let path = format!("/webhooks/endpoints/{}", made["id"].as_str().unwrap());
        let (status, error) = app
            .call(
                Method::PATCH,
                &path,
                Some(json!({"enabled": "yes", "url": null, "events": [true]})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/url", "/events/0", "/enabled"],
            "{error}"
        );

        let (status, error) = app
            .call(Method::GET, "/webhooks/endpoints/not-a-uuid", None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["endpointId"]);

        let (status, error) = app
            .call(
                Method::GET,
                "/webhooks/deliveries?status=lost&page=0&endpointId=xyz",
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let mut named = pointers(&error);
        named.sort();
        assert_eq!(named, ["endpointId", "page", "status"], "{error}");
    }
}

#[tokio::test]
async fn another_clients_endpoints_and_deliveries_are_not_found() {
    for app in TestApp::on_every_backend().await {
        let made = create(&app, json!({"url": "https://pos.example/hooks"})).await;
        let id = made["id"].as_str().unwrap();
        assert_eq!(emit_event(&app, WebhookEventType::SyncFailed).await, 1);
        let (_, log) = app.call(Method::GET, "/webhooks/deliveries", None).await;
        let delivery = log["results"][0]["id"].as_str().unwrap().to_owned();

        let other = app.new_client_key("other-client").await;
        let as_other = |method: Method, path: String| {
            TestApp::send(
                app.request_as(&other, method, &path)
                    .json(&json!({"enabled": false})),
            )
        };
        for (method, path) in [
            (Method::GET, format!("/webhooks/endpoints/{id}")),
            (Method::PATCH, format!("/webhooks/endpoints/{id}")),
            (Method::DELETE, format!("/webhooks/endpoints/{id}")),
            (
                Method::POST,
                format!("/webhooks/endpoints/{id}/rotate-secret"),
            ),
            (Method::GET, format!("/webhooks/deliveries?endpointId={id}")),
            (Method::GET, format!("/webhooks/deliveries/{delivery}")),
            (
                Method::POST,
                format!("/webhooks/deliveries/{delivery}/redeliver"),
            ),
        ] {
            let (status, body) = as_other(method.clone(), path.clone()).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        }
        let (_, list) = as_other(Method::GET, "/webhooks/endpoints".into()).await;
        assert_eq!(list["totalResults"], 0);
        let (_, log) = as_other(Method::GET, "/webhooks/deliveries".into()).await;
        assert_eq!(log["totalResults"], 0);
        let (status, _) =
            TestApp::send(app.http.get(format!("{}/webhooks/endpoints", app.base))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // Untouched by the other client's attempts.
        let (status, mine) = app
            .call(Method::GET, &format!("/webhooks/endpoints/{id}"), None)
            .await;
        assert_eq!((status, &mine["enabled"]), (StatusCode::OK, &json!(true)));
    }
}

#[tokio::test]
async fn rotating_replaces_the_secret_the_dispatcher_signs_with() {
    for app in TestApp::on_every_backend().await {
        let made = create(&app, json!({"url": "https://pos.example/hooks"})).await;
        let id = made["id"].as_str().unwrap();
        let (status, rotated) = app
            .call(
                Method::POST,
                &format!("/webhooks/endpoints/{id}/rotate-secret"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{rotated}");
        let secret = rotated["secret"].as_str().unwrap();
        assert!(secret.starts_with("whsec_"));
        assert_ne!(secret, made["secret"].as_str().unwrap());

        // What a dispatcher of this deployment opens is the new secret.
        emit_event(&app, WebhookEventType::SyncCompleted).await;
        let claimed = app
            .store
            .claim_webhook_deliveries(store::now(), jiff::SignedDuration::from_secs(60), 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        let endpoint: WebhookEndpointId = id.parse().unwrap();
        let cipher = TokenCipher::new(&app.secret);
        assert_eq!(
            open_secret(&cipher, endpoint, &claimed[0].sealed_secret).unwrap(),
            secret
        );
    }
}

#[tokio::test]
async fn the_delivery_log_filters_and_redelivers() {
    for app in TestApp::on_every_backend().await {
        let every = create(&app, json!({"url": "https://a.example/hooks"})).await;
        let failures = create(
            &app,
            json!({"url": "https://b.example/hooks", "events": ["sync.failed"]}),
        )
        .await;
        assert_eq!(emit_event(&app, WebhookEventType::SyncCompleted).await, 1);
        assert_eq!(emit_event(&app, WebhookEventType::SyncFailed).await, 2);

        let (status, log) = app.call(Method::GET, "/webhooks/deliveries", None).await;
        assert_eq!(status, StatusCode::OK, "{log}");
        assert_eq!(log["totalResults"], 3);
        let first = &log["results"][0];
        for field in [
            "id",
            "endpointId",
            "eventId",
            "eventType",
            "companyId",
            "status",
            "attempts",
            "lastStatusCode",
            "lastError",
            "lastAttemptAt",
            "nextAttemptAt",
            "deliveredAt",
            "created",
            "attemptHistory",
        ] {
            assert!(first.get(field).is_some(), "{field} in {first}");
        }
        assert_eq!(first["status"], "pending");
        assert_eq!(first["attempts"], 0);

        let of_b = format!(
            "/webhooks/deliveries?endpointId={}&pageSize=1",
            failures["id"].as_str().unwrap()
        );
        let (_, log) = app.call(Method::GET, &of_b, None).await;
        assert_eq!(log["totalResults"], 1);
        assert_eq!(log["results"][0]["eventType"], "sync.failed");
        let of_a = format!(
            "/webhooks/deliveries?endpointId={}&status=pending&page=2&pageSize=1",
            every["id"].as_str().unwrap()
        );
        let (_, log) = app.call(Method::GET, &of_a, None).await;
        assert_eq!(
            (&log["totalResults"], &log["pageNumber"]),
            (&json!(2), &json!(2))
        );
        assert_eq!(log["results"].as_array().unwrap().len(), 1);
        let (_, log) = app
            .call(Method::GET, "/webhooks/deliveries?status=delivered", None)
            .await;
        assert_eq!(log["totalResults"], 0);

        let (_, log) = app.call(Method::GET, "/webhooks/deliveries", None).await;
        let old = log["results"][0].clone();
        let path = format!(
            "/webhooks/deliveries/{}/redeliver",
            old["id"].as_str().unwrap()
        );
        let (status, fresh) = app.call(Method::POST, &path, None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{fresh}");
        assert_ne!(fresh["id"], old["id"]);
        assert_eq!(fresh["eventId"], old["eventId"]);
        assert_eq!(fresh["endpointId"], old["endpointId"]);
        assert_eq!(
            (&fresh["status"], &fresh["attempts"]),
            (&json!("pending"), &json!(0))
        );
        let (status, got) = app
            .call(
                Method::GET,
                &format!("/webhooks/deliveries/{}", fresh["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!((status, &got["id"]), (StatusCode::OK, &fresh["id"]));
        let (_, log) = app.call(Method::GET, "/webhooks/deliveries", None).await;
        assert_eq!(log["totalResults"], 4);

        let missing = format!("/webhooks/deliveries/{}/redeliver", uuid::Uuid::new_v4());
        let (status, error) = app.call(Method::POST, &missing, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["code"], "webhook_delivery_not_found");
        let (status, error) = app
            .call(Method::POST, "/webhooks/deliveries/nope/redeliver", None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["deliveryId"]);
    }
}

#[tokio::test]
async fn the_webhook_api_is_in_the_openapi_document() {
    let app = TestApp::spawn(store::testing::TestDatabase::sqlite()).await;
    let (_, openapi) = app.call(Method::GET, "/openapi.json", None).await;
    for path in [
        "/webhooks/endpoints",
        "/webhooks/endpoints/{endpointId}",
        "/webhooks/endpoints/{endpointId}/rotate-secret",
        "/webhooks/deliveries",
        "/webhooks/deliveries/{deliveryId}",
        "/webhooks/deliveries/{deliveryId}/redeliver",
    ] {
        assert!(openapi["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(
        openapi["paths"]["/webhooks/endpoints"]["post"]["responses"]
            .get("201")
            .is_some()
    );
}

//! Authentication, tenancy and malformed requests: always a clear 4xx, never a 500.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn without_correlation(mut error: Value) -> Value {
    error.as_object_mut().unwrap().remove("correlationId");
    error
}

#[tokio::test]
async fn every_call_needs_a_valid_key_in_either_form() {
    for app in TestApp::on_every_backend().await {
        let url = format!("{}/companies", app.base);
        let (status, error) = TestApp::send(app.http.get(&url)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error["code"], "unauthorized");
        for header in [
            "Basic bm90LWEta2V5",
            "Bearer not-a-key",
            "Basic %%%",
            "Token abc",
        ] {
            let (status, _) =
                TestApp::send(app.http.get(&url).header("Authorization", header)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{header}");
        }
        let (status, _) = TestApp::send(
            app.http
                .get(&url)
                .header("Authorization", format!("Bearer {}", app.key)),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let curl_style = STANDARD.encode(format!("{}:", app.key));
        let (status, _) = TestApp::send(
            app.http
                .get(&url)
                .header("Authorization", format!("Basic {curl_style}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn another_clients_company_is_exactly_like_an_unknown_one() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Private").await;
        let id = company["id"].as_str().unwrap();
        let (_, connection) = app
            .call(
                Method::POST,
                &format!("/companies/{id}/connections"),
                Some(json!({"platformKey": "gbol"})),
            )
            .await;
        let connection_id = connection["id"].as_str().unwrap();
        let stranger = app.new_client_key("stranger").await;
        let unknown = uuid::Uuid::new_v4();

        for (method, path, body) in [
            (Method::GET, "/companies/{}".to_owned(), None),
            (
                Method::PATCH,
                "/companies/{}".to_owned(),
                Some(json!({"name": "Mine now"})),
            ),
            (
                Method::PUT,
                "/companies/{}".to_owned(),
                Some(json!({"name": "Mine now"})),
            ),
            (Method::DELETE, "/companies/{}".to_owned(), None),
            (Method::GET, "/companies/{}/connections".to_owned(), None),
            (
                Method::POST,
                "/companies/{}/connections".to_owned(),
                Some(json!({"platformKey": "qhyg"})),
            ),
        ] {
            let mut theirs = app.request_as(&stranger, method.clone(), &path.replace("{}", id));
            let mut missing = app.request_as(
                &stranger,
                method.clone(),
                &path.replace("{}", &unknown.to_string()),
            );
            if let Some(body) = &body {
                theirs = theirs.json(body);
                missing = missing.json(body);
            }
            let (status, their_error) = TestApp::send(theirs).await;
            let (missing_status, missing_error) = TestApp::send(missing).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
            assert_eq!(missing_status, StatusCode::NOT_FOUND);
            assert_eq!(
                without_correlation(their_error)
                    .to_string()
                    .replace(id, "ID"),
                without_correlation(missing_error)
                    .to_string()
                    .replace(&unknown.to_string(), "ID"),
                "{method} {path}: no difference may leak"
            );
        }
        let (status, _) = TestApp::send(app.request_as(
            &stranger,
            Method::GET,
            &format!("/companies/{id}/connections/{connection_id}"),
        ))
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, listed) = TestApp::send(app.request_as(&stranger, Method::GET, "/companies")).await;
        assert_eq!(listed["totalResults"], 0);
        // The owner's data is intact.
        let (_, read) = app
            .call(Method::GET, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(read["name"], "Private");
        assert_eq!(read["dataConnections"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn malformed_requests_get_clear_4xx() {
    for app in TestApp::on_every_backend().await {
        let raw = |body: &'static str| {
            app.request(Method::POST, "/companies")
                .header("content-type", "application/json")
                .body(body)
        };
        let (status, error) = TestApp::send(raw("{\"name\": ")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            error["error"].as_str().unwrap().contains("not valid JSON"),
            "{error}"
        );
        let (status, error) = TestApp::send(raw("")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(error["error"].as_str().unwrap().contains("empty"));

        let huge = format!(
            "{{\"name\": \"{}\"}}",
            "a".repeat(web::body::MAX_BODY_BYTES + 1)
        );
        let (status, error) =
            TestApp::send(app.request(Method::POST, "/companies").body(huge)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error["code"], "payload_too_large");

        let (status, error) = app.call(Method::GET, "/companies/not-a-uuid", None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["companyId"]);

        let (status, error) = app.call(Method::GET, "/no/such/thing", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["code"], "not_found");
        let (status, error) = app
            .call(Method::POST, "/config/integrations", Some(json!({})))
            .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(error["code"], "method_not_allowed");
    }
}

#[tokio::test]
async fn request_ids_are_echoed_and_match_the_correlation_id() {
    for app in TestApp::on_every_backend().await {
        let response = app
            .request(Method::GET, "/companies/not-a-uuid")
            .header("x-request-id", "trace-me-123")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], "trace-me-123");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["correlationId"], "trace-me-123");
        let response = app.request(Method::GET, "/companies").send().await.unwrap();
        assert!(
            !response.headers()["x-request-id"].is_empty(),
            "an id is made when none is sent"
        );
    }
}

#[tokio::test]
async fn openapi_and_health_are_served() {
    for app in TestApp::on_every_backend().await {
        let health: Value = app
            .http
            .get(format!("{}/healthz", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["database"], app.backend());
        let doc: Value = app
            .http
            .get(format!("{}/openapi.json", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for path in [
            "/companies",
            "/companies/{companyId}",
            "/companies/{companyId}/connections/{connectionId}/authorization",
            "/config/integrations",
        ] {
            assert!(
                doc["paths"].get(path).is_some(),
                "{path} missing from the OpenAPI document"
            );
        }
        assert_eq!(
            doc["paths"]["/companies"]["post"]["operationId"],
            "create-company"
        );
        assert!(doc["components"]["securitySchemes"]["auth_header"].is_object());
    }
}

/// Throws odd but well-formed JSON at every write endpoint: each must answer a 4xx or 2xx.
#[tokio::test]
async fn odd_bodies_never_cause_a_server_error() {
    for app in TestApp::on_every_backend().await {
        let company = app.create_company("Target").await;
        let id = company["id"].as_str().unwrap();
        let (_, connection) = app
            .call(
                Method::POST,
                &format!("/companies/{id}/connections"),
                Some(json!({"platformKey": "gbol"})),
            )
            .await;
        let cid = connection["id"].as_str().unwrap();
        let bodies = [
            json!(null),
            json!(true),
            json!(1e308),
            json!("s"),
            json!([]),
            json!({}),
            json!({"name": {"nested": []}}),
            json!({"platformKey": 5}),
            json!({"status": "Linked"}),
            json!({"status": ["Unlinked"]}),
            json!({"name": "\u{0000}"}),
            json!({"accessToken": null}),
            json!({"tags": []}),
            json!({"name": "a".repeat(10_000)}),
            json!({"name": "ok", "description": "nul \u{0000} inside"}),
            json!({"name": "ok", "tags": {"k\u{0000}": "v\u{0000}"}}),
            json!({"accessToken": "a\u{0000}", "refreshToken": "r", "expiresAt": "2030-01-01T00:00:00Z", "tenantId": "0b5d8c2e-3a4f-4c6e-9d7a-1e2f3a4b5c6d"}),
        ];
        let targets = [
            (Method::POST, "/companies".to_owned()),
            (Method::PATCH, format!("/companies/{id}")),
            (Method::PUT, format!("/companies/{id}")),
            (Method::POST, format!("/companies/{id}/connections")),
            (Method::PATCH, format!("/companies/{id}/connections/{cid}")),
            (
                Method::PUT,
                format!("/companies/{id}/connections/{cid}/authorization"),
            ),
        ];
        for (method, path) in &targets {
            for body in &bodies {
                let (status, answer) = app.call(method.clone(), path, Some(body.clone())).await;
                assert!(
                    !status.is_server_error(),
                    "{method} {path} {body} → {status} {answer}"
                );
            }
        }
    }
}

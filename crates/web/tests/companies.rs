//! The companies API over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn create_read_update_replace_delete() {
    for app in TestApp::on_every_backend().await {
        let created = app.create_company("Bob's Bikes").await;
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(created["name"], "Bob's Bikes");
        assert_eq!(created["dataConnections"], json!([]));
        assert!(created["redirect"].as_str().unwrap().contains(&id));
        assert!(created["created"].as_str().unwrap().ends_with('Z'));

        let (status, read) = app
            .call(Method::GET, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            read,
            created,
            "{}: read back equals the create answer",
            app.backend()
        );

        let (status, patched) = app
            .call(
                Method::PATCH,
                &format!("/companies/{id}"),
                Some(json!({"description": "Cycles", "tags": {"crm": "42"}})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(
            patched["name"], "Bob's Bikes",
            "PATCH leaves absent fields alone"
        );
        assert_eq!(patched["description"], "Cycles");
        assert_eq!(patched["tags"], json!({"crm": "42"}));

        let (status, replaced) = app
            .call(
                Method::PUT,
                &format!("/companies/{id}"),
                Some(json!({"name": "Bob & Sons"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{replaced}");
        assert_eq!(replaced["name"], "Bob & Sons");
        assert_eq!(
            replaced["description"],
            Value::Null,
            "PUT replaces the whole company"
        );
        assert_eq!(replaced["tags"], json!({}));

        let (status, _) = app
            .call(Method::DELETE, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, gone) = app
            .call(Method::GET, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(gone["code"], "company_not_found");
        let (status, _) = app
            .call(Method::DELETE, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn paging_follows_codat() {
    for app in TestApp::on_every_backend().await {
        for i in 0..5 {
            app.create_company(&format!("Shop {i}")).await;
        }
        let (status, page) = app
            .call(Method::GET, "/companies?page=2&pageSize=2", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["pageNumber"], 2);
        assert_eq!(page["pageSize"], 2);
        assert_eq!(page["totalResults"], 5);
        assert_eq!(page["results"].as_array().unwrap().len(), 2);
        assert_eq!(
            page["_links"]["current"]["href"],
            "/companies?page=2&pageSize=2"
        );
        assert_eq!(
            page["_links"]["next"]["href"],
            "/companies?page=3&pageSize=2"
        );
        assert_eq!(
            page["_links"]["previous"]["href"],
            "/companies?page=1&pageSize=2"
        );

        let (_, last) = app
            .call(Method::GET, "/companies?page=3&pageSize=2", None)
            .await;
        assert_eq!(last["results"].as_array().unwrap().len(), 1);
        assert!(last["_links"].get("next").is_none());

        let (_, default) = app.call(Method::GET, "/meta/companies", None).await;
        assert_eq!(default["pageSize"], 100, "v1 alias lists with the defaults");
        assert_eq!(default["totalResults"], 5);

        let (status, bad) = app
            .call(Method::GET, "/companies?page=0&pageSize=5001&query=x", None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&bad), ["page", "pageSize", "query"]);
    }
}

#[tokio::test]
async fn v1_create_alias_and_connections_in_company() {
    for app in TestApp::on_every_backend().await {
        let (status, company) = app
            .call(
                Method::POST,
                "/meta/companies/sync",
                Some(json!({"name": "Legacy"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{company}");
        let id = company["id"].as_str().unwrap();
        let (status, connection) = app
            .call(
                Method::POST,
                &format!("/meta/companies/{id}/connections"),
                Some(json!("gbol")),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "v1 sends the platform key as a bare JSON string: {connection}"
        );
        let (_, read) = app
            .call(Method::GET, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(read["dataConnections"][0]["id"], connection["id"]);
        let (_, listed) = app.call(Method::GET, "/companies", None).await;
        assert_eq!(
            listed["results"][0]["dataConnections"][0]["integrationKey"],
            "gbol"
        );
    }
}

#[tokio::test]
async fn bad_bodies_name_every_field_and_store_nothing() {
    for app in TestApp::on_every_backend().await {
        let cases: Vec<(Value, Vec<&str>)> = vec![
            (json!({}), vec!["/name"]),
            (json!({"name": ""}), vec!["/name"]),
            (
                json!({"name": "x;y", "description": 7, "tags": {"k": 1}}),
                vec!["/name", "/description", "/tags/k"],
            ),
            (
                json!({"name": "ok", "tags": (0..11).map(|i| (format!("t{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}),
                vec!["/tags"],
            ),
            (
                json!({"name": "ok", "tags": {"k": "v".repeat(101)}}),
                vec!["/tags/k"],
            ),
            (json!(["not", "an", "object"]), vec![""]),
            (json!(null), vec![""]),
        ];
        for (body, expected) in cases {
            let (status, error) = app
                .call(Method::POST, "/companies", Some(body.clone()))
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(pointers(&error), expected, "{body} → {error}");
            assert_eq!(error["code"], "validation_failed");
            assert_eq!(error["statusCode"], 400);
            assert!(!error["correlationId"].as_str().unwrap().is_empty());
        }
        let (_, listed) = app.call(Method::GET, "/companies", None).await;
        assert_eq!(
            listed["totalResults"], 0,
            "nothing was stored by bad requests"
        );

        // A failed update leaves the stored company untouched.
        let company = app.create_company("Kept").await;
        let id = company["id"].as_str().unwrap();
        let (status, _) = app
            .call(
                Method::PATCH,
                &format!("/companies/{id}"),
                Some(json!({"name": "", "description": "new"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (_, read) = app
            .call(Method::GET, &format!("/companies/{id}"), None)
            .await;
        assert_eq!(read, company);
    }
}

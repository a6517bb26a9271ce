//! The connections and integrations API over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::{TestApp, pointers};
use platforms::{Credentials, TokenCipher};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TENANT: &str = "0b5d8c2e-3a4f-4c6e-9d7a-1e2f3a4b5c6d";

async fn company(app: &TestApp) -> String {
    app.create_company("Connected Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn connect(app: &TestApp, company: &str, key: &str) -> Value {
    let (status, connection) = app
        .call(
            Method::POST,
            &format!("/companies/{company}/connections"),
            Some(json!({"platformKey": key})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{connection}");
    connection
}

#[tokio::test]
async fn connection_lifecycle_with_credentials_handover() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app).await;
        let xero = connect(&app, &company, "gbol").await;
        assert_eq!(xero["status"], "PendingAuth");
        assert_eq!(xero["integrationKey"], "gbol");
        assert_eq!(xero["platformName"], "Xero");
        assert_eq!(xero["sourceType"], "Accounting");
        let id = xero["id"].as_str().unwrap();
        let path = format!("/companies/{company}/connections/{id}");

        // Every bad field at once, and nothing changes.
        let (status, error) = app
            .call(
                Method::PUT,
                &format!("{path}/authorization"),
                Some(json!({"accessToken": "", "expiresAt": "soon", "tenantId": "nope"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/accessToken", "/refreshToken", "/expiresAt", "/tenantId"]
        );
        let (_, unchanged) = app.call(Method::GET, &path, None).await;
        assert_eq!(unchanged["status"], "PendingAuth");

        let handover = json!({"accessToken": "access-secret", "refreshToken": "refresh-secret",
                              "expiresAt": "2030-01-01T00:30:00Z", "tenantId": TENANT});
        let (status, linked) = app
            .call(
                Method::PUT,
                &format!("{path}/authorization"),
                Some(handover),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        assert_eq!(linked["status"], "Linked");

        // Stored sealed: no plaintext in the database, and it opens only for this connection.
        let client = app
            .store
            .client_by_key_hash(&web::auth::hash_key(&app.key))
            .await
            .unwrap()
            .unwrap();
        let (company_id, connection_id) = (company.parse().unwrap(), id.parse().unwrap());
        let sealed = app
            .store
            .connection_credentials(client.id, company_id, connection_id)
            .await
            .unwrap()
            .unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains("refresh-secret"));
        let cipher = TokenCipher::new(&app.secret);
        let opened = Credentials::from_bytes(
            &cipher
                .open(uuid::Uuid::parse_str(id).unwrap().as_bytes(), &sealed)
                .unwrap(),
        )
        .unwrap();
        match opened {
            Credentials::Xero { tokens, tenant_id } => {
                assert_eq!(tokens.refresh_token, "refresh-secret");
                assert_eq!(tenant_id, TENANT);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            cipher
                .open(uuid::Uuid::new_v4().as_bytes(), &sealed)
                .is_err()
        );

        let (_, listed) = app
            .call(
                Method::GET,
                &format!("/companies/{company}/connections"),
                None,
            )
            .await;
        assert_eq!(listed["totalResults"], 1);
        assert_eq!(listed["results"][0]["status"], "Linked");

        // Unlinking forgets the credentials; only Unlinked may be set by PATCH.
        let (status, error) = app
            .call(Method::PATCH, &path, Some(json!({"status": "Linked"})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["/status"]);
        let (status, error) = app
            .call(Method::PATCH, &path, Some(json!({"status": "Broken"})))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        let (status, unlinked) = app
            .call(Method::PATCH, &path, Some(json!({"status": "Unlinked"})))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(unlinked["status"], "Unlinked");
        assert_eq!(
            app.store
                .connection_credentials(client.id, company_id, connection_id)
                .await
                .unwrap(),
            None
        );

        let (status, _) = app.call(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, error) = app.call(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["code"], "connection_not_found");
    }
}

#[tokio::test]
async fn one_live_accounting_connection_and_an_instantly_linked_commerce_one() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app).await;
        let commerce = connect(&app, &company, "cmrc").await;
        assert_eq!(
            commerce["status"], "Linked",
            "the client pushes commerce data itself"
        );
        assert_eq!(commerce["sourceType"], "Commerce");
        let xero = connect(&app, &company, "gbol").await;
        let again = connect(&app, &company, "gbol").await;
        assert_eq!(
            again["id"], xero["id"],
            "asking twice answers the same connection"
        );
        let (status, error) = app
            .call(
                Method::POST,
                &format!("/companies/{company}/connections"),
                Some(json!({"platformKey": "qhyg"})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(error["code"], "accounting_connection_exists");

        let xero_id = xero["id"].as_str().unwrap();
        app.call(
            Method::PATCH,
            &format!("/companies/{company}/connections/{xero_id}"),
            Some(json!({"status": "Unlinked"})),
        )
        .await;
        let quickbooks = connect(&app, &company, "qhyg").await;
        assert_eq!(quickbooks["status"], "PendingAuth");

        let qbo_id = quickbooks["id"].as_str().unwrap();
        let (status, linked) = app
            .call(
                Method::PUT,
                &format!("/companies/{company}/connections/{qbo_id}/authorization"),
                Some(json!({"accessToken": "a", "refreshToken": "r", "expiresAt": "2030-01-01T00:00:00Z", "realmId": "9130357766"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        let commerce_id = commerce["id"].as_str().unwrap();
        let (status, error) = app
            .call(
                Method::PUT,
                &format!("/companies/{company}/connections/{commerce_id}/authorization"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            error["error"]
                .as_str()
                .unwrap()
                .contains("needs no authorization")
        );

        for (body, expected) in [
            (json!({"platformKey": "xero"}), "/platformKey"),
            (json!({}), "/platformKey"),
            (json!(5), ""),
        ] {
            let (status, error) = app
                .call(
                    Method::POST,
                    &format!("/companies/{company}/connections"),
                    Some(body.clone()),
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(pointers(&error), [expected], "{body}");
        }
    }
}

#[tokio::test]
async fn hledger_connections_take_a_base_url() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app).await;
        let ledger = connect(&app, &company, "hldg").await;
        let id = ledger["id"].as_str().unwrap();
        let path = format!("/companies/{company}/connections/{id}/authorization");
        let (status, error) = app
            .call(
                Method::PUT,
                &path,
                Some(json!({"baseUrl": "localhost:5000"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(pointers(&error), ["/baseUrl"]);
        let (status, linked) = app
            .call(
                Method::PUT,
                &path,
                Some(json!({"baseUrl": "http://127.0.0.1:5000"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(linked["status"], "Linked");
    }
}

#[tokio::test]
async fn integrations_and_branding() {
    for app in TestApp::on_every_backend().await {
        let (status, list) = app.call(Method::GET, "/config/integrations", None).await;
        assert_eq!(status, StatusCode::OK);
        let keys: Vec<&str> = list["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["gbol", "qhyg", "hldg", "cmrc"]);
        assert_eq!(list["totalResults"], 4);
        assert_eq!(list["results"][0]["name"], "Xero");
        assert_eq!(list["results"][3]["sourceType"], "Commerce");

        let (status, branding) = app
            .call(Method::GET, "/config/integrations/qhyg/branding", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let logo = branding["logo"]["full"]["image"]["src"].as_str().unwrap();
        assert_eq!(branding["sourceId"], list["results"][1]["sourceId"]);
        let svg = app.http.get(logo).send().await.unwrap();
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        assert!(svg.text().await.unwrap().contains("QuickBooks Online"));
        assert!(branding["button"]["hover"]["image"]["src"].is_string());

        let (status, error) = app
            .call(Method::GET, "/config/integrations/zzzz/branding", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error["code"], "integration_not_found");
    }
}

//! A company ready for configuration (connections linked, reference data held) and the
//! example documents, shared by the configuration and preview tests.

use super::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("../../../domain/src/config/testdata/example.json");
const REFERENCE: &str = include_str!("../../../domain/src/config/testdata/reference.json");

/// The example document in the current shape, starting in the future (a start date cannot be
/// back-dated), in documents mode unless `journal`. Its component tax mappings are dropped:
/// commerce tax components are offered from pushed data, which this company has none of.
pub fn example(journal: bool) -> Value {
    let mut doc: Value = serde_json::from_str(EXAMPLE).unwrap();
    doc["schedule"]["startDate"] = json!("2099-01-01");
    doc["configuration"]["sales"]["newTaxRates"]["taxRateMappings"] = json!([]);
    // We offer the UI's tax rates 0, 5, 10 and 20 %; the example maps all but 10.
    doc["configuration"]["sales"]["taxRates"]["10"] = json!({"selectedTaxRateId": "OUTPUT2"});
    if !journal {
        doc["configuration"]
            .as_object_mut()
            .unwrap()
            .remove("mapSettings");
    }
    doc
}

pub fn reference() -> Value {
    serde_json::from_str(REFERENCE).unwrap()
}

pub fn config_path(company: &str) -> String {
    format!("/config/companies/{company}/sync/commerce")
}

/// A company with a linked commerce and a linked Xero connection (credentials handed over; no
/// worker reads its books here), and, if asked, reference data.
pub async fn company(app: &TestApp, with_reference: bool) -> String {
    let company = app.create_company("Configured Shop").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let connections = format!("/companies/{company}/connections");
    for key in ["cmrc", "gbol"] {
        let (status, c) = app
            .call(
                Method::POST,
                &connections,
                Some(json!({"platformKey": key})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{c}");
        if key == "gbol" {
            let path = format!("{connections}/{}/authorization", c["id"].as_str().unwrap());
            let auth = json!({"accessToken": "access", "refreshToken": "refresh",
                "expiresAt": "2030-01-01T00:00:00Z", "tenantId": "6b2b5d3a-1f0e-4c5e-9a8b-0c1d2e3f4a5b"});
            let (status, c) = app.call(Method::PUT, &path, Some(auth)).await;
            assert_eq!(
                (status, c["status"].as_str()),
                (StatusCode::OK, Some("Linked"))
            );
        }
    }
    if with_reference {
        let path = format!("/companies/{company}/reference-data");
        let (status, body) = app.call(Method::PUT, &path, Some(reference())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    company
}

/// POSTs a document: the status, the `ETag`, the body.
pub async fn post(app: &TestApp, company: &str, body: &Value) -> (StatusCode, String, Value) {
    let request = app.request(Method::POST, &config_path(company)).json(body);
    let response = request.send().await.unwrap();
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        status,
        etag.unwrap_or_default(),
        response.json().await.unwrap(),
    )
}

/// `(validatorName, pointer)` of every validation error.
pub fn rules(error: &Value) -> Vec<(String, String)> {
    let errors = error["validation"]["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let field = |e: &Value, k: &str| e[k].as_str().unwrap_or("").to_owned();
    errors
        .iter()
        .map(|e| (field(e, "validatorName"), field(e, "pointer")))
        .collect()
}

//! Every route of the client API, called with another client's key and this client's ids:
//! nothing is found, nothing of this client's comes back, nothing changes.
//!
//! The routes come from `web::API_ROUTES`, the list the router is built from, so a route added
//! there is walked here too; a path parameter this test has no id for fails it, and so does a
//! route answering 2xx that is not listed as acting only on the caller's own data.

mod common;

use common::TestApp;
use common::configured::{self, config_path};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use store::{NewPushItem, PostedChanges};

/// Routes that name none of another client's rows: they act on the caller's own data (or on
/// public reference), so they may answer 2xx, but never with the other client's data. Each
/// with the query it is called with, when one could name another client's row.
const OWN_DATA_ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/companies", ""),
    ("POST", "/companies", ""),
    ("GET", "/meta/companies", ""),
    ("POST", "/meta/companies/sync", ""),
    (
        "POST",
        "/sync/commerce/config/ui/accounts/platform/{platformKey}",
        "",
    ),
    ("GET", "/config/integrations", ""),
    ("GET", "/config/integrations/{platformKey}/branding", ""),
    // A merchant identifier that is another client's company id must not reach that company.
    (
        "GET",
        "/config/sync/commerce/{commerceKey}/{accountingKey}/start",
        "?merchantIdentifier={companyId}",
    ),
    (
        "GET",
        "/config/sync/commerce/{commerceKey}/start",
        "?merchantIdentifier={companyId}",
    ),
    ("GET", "/sync/commerce/config/ui/text", ""),
    ("PATCH", "/sync/commerce/config/ui/text", ""),
    ("GET", "/webhooks/endpoints", ""),
    ("POST", "/webhooks/endpoints", ""),
    ("GET", "/webhooks/deliveries", "?endpointId={endpointId}"),
];

/// A body the route would accept from A, so that B's refusal comes from ownership, not from
/// validation that runs first.
fn valid_body(method: &str, path: &str) -> Value {
    match (method, path) {
        ("PUT" | "PATCH", "/companies/{companyId}") => json!({"name": "Renamed by B"}),
        (
            "POST",
            "/companies/{companyId}/connections" | "/meta/companies/{companyId}/connections",
        ) => {
            json!({"platformKey": "gbol"})
        }
        ("PUT", "/companies/{companyId}/reference-data") => configured::reference(),
        ("POST", "/companies/{companyId}/sync/commerce/preview") => json!({
            "from": "2099-01-01", "to": "2099-01-02",
            "data": {"orders": [], "payments": [], "transactions": []},
        }),
        ("POST", "/config/companies/{companyId}/sync/commerce") => configured::example(false),
        ("POST", "/companies/{companyId}/connections/{connectionId}/push/{dataType}") => {
            json!({"name": "Sales by B", "type": "Income"})
        }
        _ => json!({}),
    }
}

/// The `dataType` a route accepts: the kinds differ between pushing, reading and writing.
fn data_type(path: &str) -> &'static str {
    if path.contains("/data/queue/") {
        "chartOfAccounts"
    } else if path.contains("/push/{dataType}") {
        "accounts"
    } else {
        "payments"
    }
}

/// Client A's rows, by the path parameter that names them.
struct Owned {
    ids: HashMap<&'static str, String>,
    /// What of A's must never show in B's answers, besides the ids it did not send.
    data: Vec<String>,
}

impl Owned {
    /// `template` with every `{param}` replaced by A's value for it.
    fn fill(&self, template: &str) -> String {
        let mut path = template.to_owned();
        for (name, value) in &self.ids {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        assert!(
            !path.contains('{'),
            "{template}: a path parameter this test has no id for; add one to `ids`"
        );
        path
    }

    /// A's ids and data absent from the path and query B sent that show in `body` (an id B
    /// sent may be named back in the refusal: that tells B nothing).
    fn leaked(&self, path: &str, body: &str) -> Vec<String> {
        self.ids
            .iter()
            .filter(|(name, id)| names_a_row(name) && !path.contains(id.as_str()))
            .map(|(_, id)| id)
            .chain(&self.data)
            .filter(|marker| body.contains(marker.as_str()))
            .cloned()
            .collect()
    }
}

/// Client A (the app's own key) with one of everything a route can name.
async fn client_a(app: &TestApp) -> Owned {
    let company = configured::company(app, true).await;
    let (status, body) = app
        .call(
            Method::POST,
            &config_path(&company),
            Some(configured::example(false)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, connections) = app
        .call(
            Method::GET,
            &format!("/companies/{company}/connections"),
            None,
        )
        .await;
    let connection = connections["results"][0]["id"].as_str().unwrap().to_owned();

    let (status, dataset) = app
        .call(
            Method::POST,
            &format!("/data/companies/{company}/sync/commerce-payments"),
            Some(json!({"payments": []})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{dataset}");
    let dataset = dataset["datasetId"].as_str().unwrap().to_owned();

    let (status, sync) = app
        .call(
            Method::POST,
            &format!("/companies/{company}/sync/commerce/latest"),
            Some(json!({"syncTo": "2099-01-03T00:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sync}");
    let sync = sync["syncId"].as_str().unwrap().to_owned();
    // A planned write of that sync, as the worker would store it, so push items exist.
    let push_key = uuid::Uuid::new_v4();
    app.store
        .plan_sync(
            sync.parse().unwrap(),
            company.parse().unwrap(),
            vec![NewPushItem {
                key: push_key,
                document_key: format!("cs:{company}:ownership:1"),
                kind: "invoice".into(),
                document: json!({}),
            }],
            PostedChanges::default(),
            store::now(),
            store::now(),
        )
        .await
        .unwrap();

    let hook_url = "https://alpha-only.example/hooks";
    let (status, endpoint) = app
        .call(
            Method::POST,
            "/webhooks/endpoints",
            Some(json!({"url": hook_url, "description": "alpha's own endpoint"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{endpoint}");
    let endpoint = endpoint["id"].as_str().unwrap().to_owned();
    let client = app.store.ensure_client("test-client").await.unwrap().id;
    let emitted = engine::webhooks::emit(
        &*app.store,
        client,
        engine::webhooks::WebhookEventType::SyncFailed,
        None,
        json!({"syncId": sync}),
        store::now(),
    )
    .await
    .unwrap();
    assert_eq!(emitted, 1);
    let (_, log) = app.call(Method::GET, "/webhooks/deliveries", None).await;
    let delivery = log["results"][0]["id"].as_str().unwrap().to_owned();

    let ids = HashMap::from([
        ("companyId", company),
        ("connectionId", connection),
        ("datasetId", dataset),
        ("syncId", sync),
        ("pushOperationKey", push_key.to_string()),
        ("clientId", client.to_string()),
        ("endpointId", endpoint),
        ("deliveryId", delivery),
    ]);
    let mut owned = Owned {
        ids,
        data: vec!["Configured Shop".into(), hook_url.into()],
    };
    // Parameters that name no row: the same value for both clients.
    for (name, value) in [
        ("dataType", "payments"),
        ("accountId", "200"),
        ("platformKey", "gbol"),
        ("commerceKey", "cmrc"),
        ("accountingKey", "gbol"),
    ] {
        owned.ids.insert(name, value.into());
    }
    owned
}

/// Whether a parameter names one of A's rows (rather than a kind or a platform).
fn names_a_row(param: &str) -> bool {
    !matches!(
        param,
        "dataType" | "accountId" | "platformKey" | "commerceKey" | "accountingKey"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_clients_key_reaches_nothing_on_any_route() {
    // The exemptions name real routes, so a removed or renamed one does not linger here.
    for (method, path, _) in OWN_DATA_ROUTES {
        assert!(
            web::API_ROUTES
                .iter()
                .any(|r| r.method == *method && r.path == *path),
            "{method} {path} is not a route"
        );
    }
    for app in TestApp::on_every_backend().await {
        eprintln!("on {}", app.backend());
        let a = client_a(&app).await;
        let company = a.ids["companyId"].clone();
        // The ids are real: A reaches each of them.
        for path in [
            format!("/companies/{company}"),
            a.fill("/companies/{companyId}/connections/{connectionId}"),
            a.fill("/meta/companies/{companyId}/pull/history/{datasetId}"),
            a.fill("/companies/{companyId}/sync/commerce/syncs/{syncId}/status"),
            a.fill("/companies/{companyId}/push/{pushOperationKey}"),
            a.fill("/webhooks/endpoints/{endpointId}"),
            a.fill("/webhooks/deliveries/{deliveryId}"),
            a.fill("/clients/{clientId}/config/redirect-origins"),
        ] {
            let (status, body) = app.call(Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK, "A's own {path}: {body}");
        }
        let (_, before) = app.call(Method::GET, &config_path(&company), None).await;

        let b = app.new_client_key("intruder").await;
        let mut walked = 0;
        // Every route that let B through, so one run names them all.
        let mut reached = Vec::new();
        for route in web::API_ROUTES {
            let own_data = OWN_DATA_ROUTES
                .iter()
                .find(|(m, p, _)| *m == route.method && *p == route.path);
            let path = a.fill(&route.path.replace("{dataType}", data_type(route.path)));
            let query = own_data.map_or(String::new(), |(_, _, q)| a.fill(q));
            let method = Method::from_bytes(route.method.as_bytes()).unwrap();
            // A well-formed body: the refusal must come from ownership, not from the body.
            let mut request = app.request_as(&b, method.clone(), &format!("{path}{query}"));
            if method != Method::GET && method != Method::DELETE {
                request = request.json(&valid_body(route.method, route.path));
            }
            let response = request.send().await.expect("the server answers");
            let status = response.status();
            let body = response.text().await.unwrap();
            let leaked = a.leaked(&format!("{path}{query}"), &body);
            if !leaked.is_empty() {
                reached.push(format!(
                    "{} {}: holds A's {leaked:?}: {body}",
                    route.method, route.path
                ));
            }
            if own_data.is_none() {
                assert!(
                    route
                        .path
                        .split(['{', '}'])
                        .skip(1)
                        .step_by(2)
                        .any(names_a_row),
                    "{} {}: names none of A's rows; if it acts on the caller's own data only, \
                     list it in OWN_DATA_ROUTES",
                    route.method,
                    route.path
                );
                if status != StatusCode::NOT_FOUND && status != StatusCode::FORBIDDEN {
                    reached.push(format!("{} {}: {status} {body}", route.method, route.path));
                }
            }
            walked += 1;
        }
        assert_eq!(walked, web::API_ROUTES.len());
        assert!(
            reached.is_empty(),
            "with B's key and A's ids:\n{}",
            reached.join("\n")
        );

        // A's rows are as they were.
        for path in [
            format!("/companies/{company}"),
            a.fill("/companies/{companyId}/connections/{connectionId}"),
            a.fill("/webhooks/endpoints/{endpointId}"),
            a.fill("/companies/{companyId}/sync/commerce/syncs/{syncId}/status"),
        ] {
            let (status, body) = app.call(Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::OK, "A's own {path} after B: {body}");
        }
        let (_, after) = app.call(Method::GET, &config_path(&company), None).await;
        assert_eq!(before, after, "A's configuration after B");
    }
}

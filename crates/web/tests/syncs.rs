//! The sync API without workers: requests are queued and answered in Codat's shapes, ranges
//! overlapping another sync are refused with 5080, bad input is named, other clients see 404.

mod common;

use common::configured::{self, config_path};
use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_are_requested_listed_and_refused_when_overlapping() {
    for app in TestApp::on_every_backend().await {
        let company = configured::company(&app, true).await;
        let latest = format!("/companies/{company}/sync/commerce/latest");
        // Not configured yet: a named 409, nothing queued.
        let (status, error) = app.call(Method::POST, &latest, None).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("not_configured")),
            "{error}"
        );
        let (status, body) = app
            .call(
                Method::POST,
                &config_path(&company),
                Some(configured::example(false)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The example starts in 2099: syncing up to now has nothing to cover.
        let (status, error) = app
            .call(
                Method::POST,
                &latest,
                Some(json!({"syncTo": "2030-01-01T00:00:00Z"})),
            )
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/syncTo".to_owned()]),
            "{error}"
        );
        let (status, error) = app
            .call(Method::POST, &latest, Some(json!({"syncTo": "soon"})))
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/syncTo".to_owned()])
        );
        let (status, sync) = app
            .call(
                Method::POST,
                &latest,
                Some(json!({"syncTo": "2099-01-03T00:00:00Z"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{sync}");
        assert_eq!(
            (sync["syncStatusCode"].as_u64(), sync["companyId"].as_str()),
            (Some(1000), Some(company.as_str()))
        );
        assert_eq!(sync["syncDateRangeUtc"]["finish"], "2099-01-03T00:00:00Z");
        let id = sync["syncId"].as_str().unwrap().to_owned();

        // Historic: overlapping the queued (running) one is refused with 5080, naming it.
        let historic = format!("/meta/companies/{company}/sync/commerce/historic");
        let range =
            |start: &str, finish: &str| json!({"dateRange": {"start": start, "finish": finish}});
        let (status, refused) = app
            .call(
                Method::POST,
                &historic,
                Some(range("2099-01-02", "2099-01-05")),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{refused}");
        assert_eq!(refused["syncStatusCode"], 5080);
        assert!(refused["errorMessage"].as_str().unwrap().contains(&id));
        let (status, ok) = app
            .call(
                Method::POST,
                &historic,
                Some(range("2099-01-03T00:00:00Z", "2099-01-04T00:00:00Z")),
            )
            .await;
        assert_eq!(
            (status, ok["syncStatusCode"].as_u64()),
            (StatusCode::OK, Some(1000)),
            "{ok}"
        );
        let (status, error) = app
            .call(
                Method::POST,
                &historic,
                Some(range("2099-01-05", "2099-01-04")),
            )
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (
                StatusCode::BAD_REQUEST,
                vec!["/dateRange/finish".to_owned()]
            )
        );
        let (status, error) = app
            .call(
                Method::POST,
                &historic,
                Some(json!({"dateRange": {"start": 5}})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/dateRange/start", "/dateRange/finish"],
            "{error}"
        );

        // Dates outside the supported range are named before any arithmetic sees them.
        let (status, error) = app
            .call(
                Method::POST,
                &historic,
                Some(range("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z")),
            )
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (
                StatusCode::BAD_REQUEST,
                vec![
                    "/dateRange/start".to_owned(),
                    "/dateRange/finish".to_owned()
                ]
            ),
            "{error}"
        );
        let (status, error) = app
            .call(
                Method::POST,
                &latest,
                Some(json!({"syncTo": "9999-12-31T23:00:00Z"})),
            )
            .await;
        assert_eq!(
            (status, pointers(&error)),
            (StatusCode::BAD_REQUEST, vec!["/syncTo".to_owned()]),
            "{error}"
        );

        // Reading them back.
        let syncs = format!("/companies/{company}/sync/commerce/syncs");
        let (status, one) = app
            .call(Method::GET, &format!("{syncs}/{id}/status"), None)
            .await;
        assert_eq!(
            (status, one["syncId"].as_str()),
            (StatusCode::OK, Some(id.as_str()))
        );
        let (status, newest) = app
            .call(Method::GET, &format!("{syncs}/latest/status"), None)
            .await;
        assert_eq!(
            (status, newest["syncStatusCode"].as_u64()),
            (StatusCode::OK, Some(1000))
        );
        let (status, list) = app
            .call(Method::GET, &format!("{syncs}/list/status"), None)
            .await;
        assert_eq!(
            (status, list.as_array().map(Vec::len)),
            (StatusCode::OK, Some(3))
        );
        let (status, _) = app
            .call(Method::GET, &format!("{syncs}/lastSuccessful/status"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, error) = app
            .call(Method::GET, &format!("{syncs}/not-a-uuid/status"), None)
            .await;
        assert_eq!(
            (status, error["validation"]["errors"][0]["itemId"].as_str()),
            (StatusCode::BAD_REQUEST, Some("syncId"))
        );
        let (status, overview) = app
            .call(
                Method::GET,
                &format!("/meta/companies/{company}/sync/commerce/status"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{overview}");
        assert_eq!(overview["schedule"]["enabled"], true);
        assert_eq!(
            overview["dataConnections"].as_array().map(Vec::len),
            Some(2)
        );
        // A running sync cannot be retried yet.
        let (status, error) = app
            .call(Method::POST, &format!("{syncs}/{id}/retry"), None)
            .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("sync_running"))
        );

        // Push items: none yet; keys are checked.
        let (status, items) = app
            .call(Method::GET, &format!("/companies/{company}/push"), None)
            .await;
        assert_eq!(
            (status, items["totalResults"].as_u64()),
            (StatusCode::OK, Some(0))
        );
        let (status, _) = app
            .call(
                Method::GET,
                &format!("/companies/{company}/push/{id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app
            .call(
                Method::GET,
                &format!("/companies/{company}/push/nope"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Another client sees none of it.
        let other = app.new_client_key("other").await;
        let (status, _) =
            TestApp::send(app.request_as(&other, Method::GET, &format!("{syncs}/{id}/status")))
                .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = TestApp::send(app.request_as(&other, Method::POST, &latest)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (_, openapi) = app.call(Method::GET, "/openapi.json", None).await;
        for path in [
            "/companies/{companyId}/sync/commerce/latest",
            "/meta/companies/{companyId}/sync/commerce/historic",
            "/meta/companies/{companyId}/sync/commerce/status",
            "/companies/{companyId}/sync/commerce/syncs/{syncId}/status",
            "/companies/{companyId}/push/{pushOperationKey}",
        ] {
            assert!(openapi["paths"].get(path).is_some(), "{path} documented");
        }
    }
}

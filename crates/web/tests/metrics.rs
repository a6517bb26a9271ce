//! `/metrics` answers Prometheus' text format without an API key, on every backend, and its
//! database gauges follow what is stored.

mod common;

use common::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn metrics_are_prometheus_text_counting_the_database() {
    for app in TestApp::on_every_backend().await {
        app.create_company("Counted").await;
        let answer = app
            .http
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{}", app.backend());
        assert_eq!(
            answer.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
        let text = answer.text().await.unwrap();
        let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
            .expect("Prometheus text format");
        let value = |name: &str| {
            scrape
                .samples
                .iter()
                .find(|s| s.metric == name)
                .map(|s| match s.value {
                    prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                    _ => panic!("{name} is not a gauge"),
                })
                .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        };
        assert_eq!(value("commerce_sync_build_info"), 1.0);
        assert_eq!(value("commerce_sync_job_queue_depth"), 0.0);
        assert_eq!(value("commerce_sync_job_queue_oldest_age_seconds"), 0.0);
        assert!(
            scrape
                .docs
                .contains_key("commerce_sync_platform_request_duration_seconds"),
            "every family is described, samples or not"
        );
    }
}

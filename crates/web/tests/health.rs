//! `/healthz` says the process is alive; `/readyz` that its database answers with the schema
//! this build expects.

mod common;

use common::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn ready_means_the_database_answers_with_every_migration_applied() {
    for app in TestApp::on_every_backend().await {
        let answer = app
            .http
            .get(format!("{}/readyz", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{}", app.backend());
        let body: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(body["status"], "ready", "{body}");
        assert_eq!(body["database"], app.backend());
        let readiness = app.store.readiness().await.unwrap();
        assert!(
            readiness.is_current() && readiness.applied >= 7,
            "{readiness:?}"
        );
        assert_eq!(body["migration"], readiness.applied);
    }
}

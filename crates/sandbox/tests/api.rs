//! The crate's own surface: `serve(listener)` with defaults, in-process tenants, Xero
//! disconnection, and refused requests.

use sandbox::{PlatformKind, SandboxOptions, SandboxState};
use serde_json::{Value, json};

#[tokio::test]
async fn serve_with_defaults_and_disconnect_a_xero_tenant() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(sandbox::serve(listener));
    let http = reqwest::Client::new();
    let created: Value = http
        .post(format!("{base}/xero/_control/tenants"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["accessToken"].as_str().unwrap();
    let expires: jiff::Timestamp = created["expiresAt"].as_str().unwrap().parse().unwrap();
    assert!(expires > jiff::Timestamp::now());
    let conns: Value = http
        .get(format!("{base}/xero/connections"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(conns.as_array().unwrap().len(), 1);
    let conn_id = conns[0]["id"].as_str().unwrap();
    let del = http
        .delete(format!("{base}/xero/connections/{conn_id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    // The token no longer reaches the tenant.
    let r = http
        .get(format!("{base}/xero/api.xro/2.0/Organisation"))
        .bearer_auth(token)
        .header("xero-tenant-id", created["tenantId"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // No token at all.
    let r = http
        .get(format!("{base}/xero/api.xro/2.0/Organisation"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .post(format!("{base}/quickbooks/v3/company/123/invoice"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn in_process_tenants_are_reachable_over_http() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = SandboxState::new(SandboxOptions::new(base.clone()));
    let qbo = state.create_tenant(
        PlatformKind::QuickBooks,
        Some("Bakery".into()),
        Some("GB".into()),
    );
    tokio::spawn(sandbox::serve_with(listener, state));
    let r: Value = reqwest::Client::new()
        .get(format!(
            "{base}/quickbooks/v3/company/{}/companyinfo/{}",
            qbo.id, qbo.id
        ))
        .bearer_auth(&qbo.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["CompanyInfo"]["CompanyName"], "Bakery");
    assert_eq!(r["CompanyInfo"]["Country"], "GB");
}

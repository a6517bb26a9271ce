//! Xero OAuth over real HTTP: consent, code + PKCE, rotating refresh tokens, expiry.
mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-0123456789";

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

fn query_param(url: &str, key: &str) -> Option<String> {
    url.split_once('?')?.1.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

#[tokio::test]
async fn code_flow_with_pkce_and_rotating_refresh() {
    let app = common::spawn().await;
    let redirect = "http://127.0.0.1:9999/callback";
    let params = [
        ("response_type", "code"),
        ("client_id", "commerce-sync-sandbox"),
        ("redirect_uri", redirect),
        ("scope", "openid offline_access accounting.transactions"),
        ("state", "st-123"),
        ("code_challenge", &challenge()),
        ("code_challenge_method", "S256"),
    ];
    let authorize = format!("{}/xero/identity/connect/authorize", app.base);
    let page = app
        .http
        .get(&authorize)
        .query(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Allow access") && html.contains("<form"));

    // An unregistered redirect URI gets an error page, never a redirect.
    let mut bad = params.to_vec();
    bad[2] = ("redirect_uri", "https://evil.example/cb");
    let r = app.http.get(&authorize).query(&bad).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // A missing PKCE challenge is sent back to the client as an error.
    let mut no_pkce = params.to_vec();
    no_pkce.remove(5);
    let r = app
        .http
        .get(&authorize)
        .query(&no_pkce)
        .send()
        .await
        .unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_param(&loc, "error").as_deref(),
        Some("invalid_request")
    );

    let mut allow = params.to_vec();
    allow.push(("decision", "allow"));
    allow.push(("tenant", "new"));
    let r = app.http.post(&authorize).form(&allow).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(loc.starts_with(redirect));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("st-123"));
    let code = query_param(&loc, "code").unwrap();

    let token_url = format!("{}/xero/identity/connect/token", app.base);
    let exchange = |verifier: &'static str| {
        app.http
            .post(&token_url)
            .basic_auth("commerce-sync-sandbox", Some("sandbox-secret"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ])
            .send()
    };
    let wrong = exchange("x-wrong-verifier-wrong-verifier-wrong-verifier-123")
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    // The failed attempt consumed the code (single use), so get a fresh one.
    let r = app.http.post(&authorize).form(&allow).send().await.unwrap();
    let code2 = query_param(r.headers()["location"].to_str().unwrap(), "code").unwrap();
    let ok = app
        .http
        .post(&token_url)
        .basic_auth("commerce-sync-sandbox", Some("sandbox-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code2.as_str()),
            ("redirect_uri", redirect),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let tokens: Value = ok.json().await.unwrap();
    assert_eq!(tokens["expires_in"], 1800);
    assert_eq!(
        tokens["scope"],
        "openid offline_access accounting.transactions"
    );
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    let conns: Value = app
        .http
        .get(format!("{}/xero/connections", app.base))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tenant_id = conns[0]["tenantId"].as_str().unwrap().to_owned();
    assert_eq!(conns[0]["tenantType"], "ORGANISATION");
    let t = common::Tenant {
        id: tenant_id,
        access: access.clone(),
        refresh: refresh.clone(),
    };
    let (status, _, org) = app.xero(&t, "GET", "Organisation", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        org["Organisations"][0]["OrganisationID"].as_str(),
        Some(t.id.as_str())
    );

    let refresh_with = |rt: String| {
        app.http
            .post(&token_url)
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", rt.as_str()),
                ("client_id", "commerce-sync-sandbox"),
                ("client_secret", "sandbox-secret"),
            ])
            .send()
    };
    // Half an hour later the access token is dead.
    app.clock.advance(jiff::SignedDuration::from_mins(31));
    let (status, headers, body) = app.xero(&t, "GET", "Organisation", None, None).await;
    assert_eq!(status, 401);
    assert!(body["Detail"].as_str().unwrap().starts_with("TokenExpired"));
    assert!(headers.contains_key("www-authenticate"));

    let first = refresh_with(refresh.clone()).await.unwrap();
    assert_eq!(first.status(), 200);
    let rotated: Value = first.json().await.unwrap();
    assert_ne!(rotated["refresh_token"].as_str(), Some(refresh.as_str()));
    let again = refresh_with(refresh.clone()).await.unwrap();
    assert_eq!(again.status(), 400);
    assert_eq!(
        again.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );

    let t2 = common::Tenant {
        id: t.id.clone(),
        access: rotated["access_token"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    assert_eq!(
        app.xero(&t2, "GET", "Organisation", None, None).await.0,
        200
    );
    // Without offline_access Xero issues no refresh token.
    let mut online = allow.clone();
    online[3] = ("scope", "openid accounting.transactions");
    let r = app
        .http
        .post(&authorize)
        .form(&online)
        .send()
        .await
        .unwrap();
    let code3 = query_param(r.headers()["location"].to_str().unwrap(), "code").unwrap();
    let online_tokens: Value = app
        .http
        .post(&token_url)
        .basic_auth("commerce-sync-sandbox", Some("sandbox-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code3.as_str()),
            ("redirect_uri", redirect),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(online_tokens["access_token"].is_string());
    assert!(online_tokens.get("refresh_token").is_none());
    // The rotated refresh token works once too.
    let next = refresh_with(rotated["refresh_token"].as_str().unwrap().to_owned())
        .await
        .unwrap();
    assert_eq!(next.status(), 200);
}

#[tokio::test]
async fn control_tenant_tokens_work_and_expire_on_demand() {
    let app = common::spawn().await;
    let t = app
        .tenant("xero", json!({"name": "Tea Shop", "country": "GB"}))
        .await;
    let (status, headers, org) = app.xero(&t, "GET", "Organisation", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(org["Organisations"][0]["Name"], "Tea Shop");
    assert_eq!(org["Organisations"][0]["BaseCurrency"], "GBP");
    assert_eq!(headers["x-minlimit-remaining"], "59");
    app.faults("xero", json!({"tenantId": t.id, "expireTokens": true}))
        .await;
    assert_eq!(app.xero(&t, "GET", "Organisation", None, None).await.0, 401);
    let bad = app
        .http
        .post(format!("{}/xero/_control/tenants", app.base))
        .json(&json!({"country": "FR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

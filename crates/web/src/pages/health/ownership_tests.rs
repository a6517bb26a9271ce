//! Over HTTP, on a real listener: every route of [`ROUTES`] refuses another client's ids, and
//! signing in is checked, throttled and kept to its own cookie.
//!
//! The table is the route list itself: a page added to `ROUTES` is visited here with client
//! A's ids by a user of client B, and must answer 404 (400/403 would hide a missing check
//! behind a malformed request, so only 404 passes); a user of A gets past the check on the
//! same URL, so the test cannot pass by every page failing.

use super::{Owns, ROUTES};
use crate::AppState;
use crate::passwords::hash_password;
use domain::{ClientId, CompanyId, CompanyName, NewCompany};
use platforms::{SecretKey, TokenCipher};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use std::sync::Arc;
use store::testing::TestDatabase;
use store::{NewSync, NewWebhookEndpoint, NewWebhookEvent, Store, SyncKind, SyncOutcome};

const PASSWORD: &str = "a long enough password";

struct App {
    base: String,
    http: reqwest::Client,
    store: Arc<dyn Store>,
    _db: TestDatabase,
}

/// One client's merchant with a failed sync and a webhook delivery about it.
struct Owned {
    company: CompanyId,
    sync: uuid::Uuid,
    delivery: String,
    email: String,
}

async fn app() -> App {
    let db = TestDatabase::sqlite();
    let store = store::open(&db.url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        store.clone(),
        TokenCipher::new(&SecretKey::generate()),
        &base,
    );
    let router = crate::router(state);
    tokio::spawn(async move {
        crate::serve::serve(
            listener,
            router,
            crate::serve::ServeSettings::default(),
            std::future::pending(),
        )
        .await
        .unwrap()
    });
    App {
        base,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        store,
        _db: db,
    }
}

async fn merchant_of(store: &Arc<dyn Store>, name: &str) -> (ClientId, Owned) {
    let client = store.ensure_client(name).await.unwrap().id;
    let email = format!("support@{name}.example");
    store
        .create_support_user(client, &email, &hash_password(PASSWORD).unwrap())
        .await
        .unwrap();
    let company = store
        .create_company(
            client,
            NewCompany {
                name: CompanyName::parse(&format!("{name} shop")).unwrap(),
                description: None,
                tags: Default::default(),
            },
        )
        .await
        .unwrap()
        .id;
    let t = |s: i64| jiff::Timestamp::from_second(1_780_000_000 + s).unwrap();
    let sync = store
        .create_sync(
            NewSync {
                id: uuid::Uuid::new_v4(),
                company_id: company,
                kind: SyncKind::Latest,
                period_start: t(0),
                period_end: t(86_400),
                requested: t(90_000),
            },
            false,
        )
        .await
        .unwrap();
    store
        .finish_sync(
            sync.id,
            SyncOutcome {
                status_code: 5130,
                status: "PushError".into(),
                error_message: Some(format!("{name}'s secret error")),
                exception_message: None,
                data_pushed: false,
            },
            None,
            t(90_100),
        )
        .await
        .unwrap();
    store
        .create_webhook_endpoint(
            client,
            NewWebhookEndpoint {
                id: store::WebhookEndpointId::new(),
                url: "https://hooks.example/in".into(),
                description: None,
                events: vec![],
                sealed_secret: vec![1, 2, 3],
                created: t(0),
            },
        )
        .await
        .unwrap();
    store
        .enqueue_event(
            client,
            NewWebhookEvent {
                event_type: "sync.failed".into(),
                company_id: Some(company),
                payload: serde_json::json!({}),
                occurred: t(90_100),
            },
        )
        .await
        .unwrap();
    let delivery = store
        .list_webhook_deliveries(client, Default::default(), Default::default())
        .await
        .unwrap()
        .items[0]
        .id
        .to_string();
    (
        client,
        Owned {
            company,
            sync: sync.id,
            delivery,
            email,
        },
    )
}

/// A `name=value` pair from the response's `Set-Cookie` headers.
fn cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            let pair = v.split(';').next().unwrap().to_owned();
            (pair, v.to_owned())
        })
}

/// The value of the page's hidden `csrf` field.
fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).expect("a csrf field") + 19;
    page[at..].split('"').next().unwrap().to_owned()
}

impl App {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Posts the sign-in form; the response.
    async fn try_sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        let form = self
            .http
            .get(self.url("/health/sign-in"))
            .send()
            .await
            .unwrap();
        let (pair, _) = cookie(&form, "cs_support_signin").expect("the form's cookie");
        let token = csrf_of(&form.text().await.unwrap());
        self.http
            .post(self.url("/health/sign-in"))
            .header(COOKIE, pair)
            .form(&[("email", email), ("password", password), ("csrf", &token)])
            .send()
            .await
            .unwrap()
    }

    /// Signs in; the session cookie and the session's CSRF token.
    async fn sign_in(&self, email: &str) -> (String, String) {
        let response = self.try_sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in");
        let (pair, _) = cookie(&response, "cs_support").expect("a session cookie");
        let dashboard = self
            .http
            .get(self.url("/health"))
            .header(COOKIE, &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(dashboard.status(), StatusCode::OK);
        let csrf = csrf_of(&dashboard.text().await.unwrap());
        (pair, csrf)
    }

    async fn visit(
        &self,
        method: &str,
        path: &str,
        session: &(String, String),
    ) -> (StatusCode, String) {
        let request = match method {
            "GET" => self.http.get(self.url(path)),
            _ => self
                .http
                .post(self.url(path))
                .form(&[("csrf", session.1.as_str())]),
        };
        let response = request.header(COOKIE, &session.0).send().await.unwrap();
        let status = response.status();
        (status, response.text().await.unwrap_or_default())
    }
}

fn fill(path: &str, owned: &Owned) -> String {
    path.replace("{companyId}", &owned.company.to_string())
        .replace("{syncId}", &owned.sync.to_string())
        .replace("{deliveryId}", &owned.delivery)
}

#[tokio::test]
async fn no_page_shows_or_acts_on_another_clients_merchants() {
    let app = app().await;
    let (_, a) = merchant_of(&app.store, "alpha").await;
    let (_, b) = merchant_of(&app.store, "bravo").await;
    let as_a = app.sign_in(&a.email).await;
    let as_b = app.sign_in(&b.email).await;
    let a_ids = [
        a.company.to_string(),
        a.sync.to_string(),
        a.delivery.clone(),
    ];

    for route in ROUTES {
        let path = fill(route.path, &a);
        match route.owns {
            Owns::Public => continue,
            Owns::ClientRows => {
                // Listing pages, searched for A's ids: B sees none of A's rows or names.
                for q in a_ids.iter().map(String::as_str).chain([""]) {
                    let url = format!("{path}?q={q}");
                    let (status, page) = app.visit(route.method, &url, &as_b).await;
                    assert!(status.is_success(), "{} {url}: {status}", route.method);
                    // The search box echoes the query, so A's links and names are looked for.
                    let links = [
                        format!("/health/companies/{}", a.company),
                        format!("/health/syncs/{}\"", a.sync),
                    ];
                    for secret in [
                        &links[0],
                        &links[1],
                        "alpha shop",
                        "alpha&#39;s secret",
                        "alpha's secret",
                    ] {
                        assert!(
                            !page.contains(secret),
                            "{} {url} shows {secret} to bravo",
                            route.method
                        );
                    }
                }
                let (_, own) = app.visit(route.method, &path, &as_a).await;
                if route.path == "/health" {
                    assert!(
                        own.contains("alpha shop"),
                        "alpha sees its own failing merchant"
                    );
                }
            }
            owns => {
                // The refusal of the ownership check itself, not some later 404.
                let refusal = match owns {
                    Owns::Company => "No such merchant",
                    Owns::Sync => "No such sync",
                    _ => "No such webhook delivery",
                };
                let (status, page) = app.visit(route.method, &path, &as_b).await;
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "{} {path} as another client's user: {page}",
                    route.method
                );
                assert!(page.contains(refusal), "{} {path}: {page}", route.method);
                assert!(
                    !page.contains("alpha"),
                    "{} {path} leaks: {page}",
                    route.method
                );
                let (own, page) = app.visit(route.method, &path, &as_a).await;
                assert!(
                    !own.is_server_error() && !page.contains(refusal),
                    "{} {path} as its own client's user: {own} {page}",
                    route.method
                );
            }
        }
    }
}

#[tokio::test]
async fn signing_in_is_checked_throttled_and_scoped_to_its_cookie() {
    let app = app().await;
    let (_, a) = merchant_of(&app.store, "alpha").await;

    // Unknown email and wrong password: the same answer.
    let unknown = app.try_sign_in("nobody@alpha.example", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("The email or the password is wrong.")
    );
    let wrong = app.try_sign_in(&a.email, "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("The email or the password is wrong.")
    );

    // The form without its cookie's token is refused.
    let forged = app
        .http
        .post(app.url("/health/sign-in"))
        .form(&[
            ("email", a.email.as_str()),
            ("password", PASSWORD),
            ("csrf", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    // The session cookie: HttpOnly, SameSite=Strict, for /health only.
    let signed_in = app.try_sign_in(&a.email, PASSWORD).await;
    assert_eq!(signed_in.headers()[LOCATION], "/health");
    let (pair, full) = cookie(&signed_in, "cs_support").unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/health"] {
        assert!(full.contains(attribute), "{full}");
    }
    let session = (pair, String::new());
    // A form without the session's token does nothing.
    let (status, _) = app
        .visit("POST", &format!("/health/syncs/{}/retry", a.sync), &session)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Without a session, pages lead to the sign-in page and back.
    let anonymous = app
        .http
        .get(app.url("/health/syncs?q=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.headers()[LOCATION],
        "/health/sign-in?next=%2Fhealth%2Fsyncs%3Fq%3D1"
    );

    // Bad input is a clear 400 page, never a 500.
    for bad in [
        "/health?from=yesterday",
        "/health/syncs?status=42",
        "/health/syncs?page=0",
        "/health/syncs/not-a-uuid",
        "/health/companies/not-a-uuid",
    ] {
        let (status, page) = app.visit("GET", bad, &session).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {page}");
    }

    // Past the limit an email is refused without its password being checked.
    for _ in 0..super::signin::PER_EMAIL {
        app.try_sign_in(&a.email, "wrong again").await;
    }
    let throttled = app.try_sign_in(&a.email, PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);

    // Signing out ends the session in the store, not only in the browser.
    let (status, page) = app.visit("GET", "/health", &session).await;
    assert_eq!(status, StatusCode::OK);
    let session = (session.0, csrf_of(&page));
    let (status, _) = app.visit("POST", "/health/sign-out", &session).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = app.visit("GET", "/health", &session).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the old cookie leads to the sign-in page"
    );
}

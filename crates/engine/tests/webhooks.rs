//! The webhook dispatcher against a real HTTP receiver on a loopback port, on every backend.
//! Time moves only through the ManualClock; the one real wait is the receiver that hangs
//! past the (short) timeout.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use domain::clock::{Clock, ManualClock};
use domain::{ClientId, CompanyId, PageRequest};
use engine::webhooks::{
    DEFAULT_TOLERANCE, DispatcherSettings, RetryPolicy, WebhookDispatcher, WebhookEventType, emit,
    generate_secret, seal_secret, verify,
};
use jiff::{SignedDuration, Timestamp};
use platforms::{SecretKey, TokenCipher};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::testing::TestDatabase;
use store::{
    DeliveryFilter, DeliveryStatus, NewWebhookEndpoint, Store, WebhookDelivery, WebhookEndpointId,
};

/// What the receiver answers next.
#[derive(Debug, Clone)]
enum Reply {
    Status(u16),
    /// 429 with this `Retry-After` value.
    TooManyRequests(&'static str),
    /// Never answers.
    Hang,
}

/// A request as the receiver saw it.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone, Default)]
struct Receiver {
    script: Arc<Mutex<VecDeque<Reply>>>,
    seen: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.script.lock().unwrap().extend(replies);
    }

    fn seen(&self) -> Vec<Received> {
        self.seen.lock().unwrap().clone()
    }

    /// Serves `/hook` on a loopback port: the URL.
    async fn start(&self) -> String {
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }
}

async fn hook(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> Response {
    receiver
        .seen
        .lock()
        .unwrap()
        .push(Received { headers, body });
    let reply = receiver.script.lock().unwrap().pop_front();
    match reply.unwrap_or(Reply::Status(200)) {
        Reply::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap();
            (status, format!("receiver says {code}")).into_response()
        }
        Reply::TooManyRequests(after) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", after)],
            "slow down",
        )
            .into_response(),
        Reply::Hang => std::future::pending().await,
    }
}

/// A store with a client and one endpoint at `url`, its secret, and a dispatcher on a ManualClock.
struct Setup {
    store: Arc<dyn Store>,
    client: ClientId,
    endpoint: WebhookEndpointId,
    secret: String,
    clock: ManualClock,
    cipher: Arc<TokenCipher>,
    _db: TestDatabase,
}

fn start() -> Timestamp {
    "2030-03-01T09:00:00Z".parse().unwrap()
}

fn settings(max_attempts: u32) -> DispatcherSettings {
    DispatcherSettings {
        timeout: Duration::from_millis(500),
        batch: 4,
        retry: RetryPolicy {
            max_attempts,
            ..RetryPolicy::default()
        },
        // The receivers are on loopback.
        outbound: platforms::outbound::Outbound::ANYWHERE,
        ..DispatcherSettings::default()
    }
}

impl Setup {
    async fn new(db: TestDatabase, url: &str) -> Self {
        let store = store::open(&db.url).await.unwrap();
        let client = store.ensure_client("pos").await.unwrap().id;
        let cipher = Arc::new(TokenCipher::new(&SecretKey::generate()));
        let endpoint = WebhookEndpointId::new();
        let secret = generate_secret();
        store
            .create_webhook_endpoint(
                client,
                NewWebhookEndpoint {
                    id: endpoint,
                    url: url.to_owned(),
                    description: None,
                    events: Vec::new(),
                    sealed_secret: seal_secret(&cipher, endpoint, &secret),
                    created: start(),
                },
            )
            .await
            .unwrap();
        Self {
            store,
            client,
            endpoint,
            secret,
            clock: ManualClock::new(start()),
            cipher,
            _db: db,
        }
    }

    fn dispatcher(&self, store: Arc<dyn Store>, settings: DispatcherSettings) -> WebhookDispatcher {
        WebhookDispatcher::new(
            store,
            Arc::new(self.clock.clone()),
            self.cipher.clone(),
            settings,
        )
        .unwrap()
    }

    async fn emit(&self, event_type: WebhookEventType, data: Value) -> usize {
        emit(
            &*self.store,
            self.client,
            event_type,
            Some(CompanyId::new()),
            data,
            self.clock.now(),
        )
        .await
        .unwrap()
    }

    async fn log(&self) -> Vec<WebhookDelivery> {
        self.store
            .list_webhook_deliveries(
                self.client,
                DeliveryFilter::default(),
                PageRequest::default(),
            )
            .await
            .unwrap()
            .items
    }

    async fn only(&self) -> WebhookDelivery {
        let mut log = self.log().await;
        assert_eq!(log.len(), 1);
        log.pop().unwrap()
    }
}

/// The signature of a received request, checked as a receiver would at `now`.
fn check_signature(received: &Received, secret: &str, now: Timestamp) {
    let header = received.headers["commerce-sync-signature"]
        .to_str()
        .unwrap();
    verify(secret, header, &received.body, now, DEFAULT_TOLERANCE)
        .unwrap_or_else(|e| panic!("signature {header:?} does not verify: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retries_500_429_and_a_hang_then_delivers_signed() {
    for db in TestDatabase::both().await {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let setup = Setup::new(db, &url).await;
        eprintln!("on {}", setup.store.backend().as_str());
        let dispatcher = setup.dispatcher(setup.store.clone(), settings(10));
        receiver.script([
            Reply::Status(500),
            Reply::TooManyRequests("3600"),
            Reply::Hang,
            Reply::Status(200),
        ]);
        let made = setup
            .emit(
                WebhookEventType::SyncCompleted,
                serde_json::from_str(r#"{"syncId": "s-1", "total": 120.50}"#).unwrap(),
            )
            .await;
        assert_eq!(made, 1);

        // 1: 500, retried after about three minutes (±20 % jitter).
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!(
            (d.status, d.attempts, d.last_status_code),
            (DeliveryStatus::Pending, 1, Some(500))
        );
        // The status only: the receiver's body ("receiver says 500") is never shown back.
        assert_eq!(
            d.last_error.as_deref(),
            Some("the endpoint answered HTTP 500 Internal Server Error")
        );
        let wait = start().duration_until(d.next_attempt.unwrap());
        assert!(
            (SignedDuration::from_secs(144)..=SignedDuration::from_secs(216)).contains(&wait),
            "{wait:?}"
        );
        assert_eq!(dispatcher.run_once().await, 0, "nothing is due before then");
        assert_eq!(receiver.seen().len(), 1);

        // 2: 429 with Retry-After: an hour, longer than the backoff, so an hour it is.
        setup.clock.set(d.next_attempt.unwrap());
        let second_at = setup.clock.now();
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!((d.attempts, d.last_status_code), (2, Some(429)));
        assert_eq!(
            d.next_attempt,
            Some(second_at + SignedDuration::from_hours(1))
        );

        // 3: the receiver hangs past the timeout.
        setup.clock.set(d.next_attempt.unwrap());
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!(
            (d.status, d.attempts, d.last_status_code),
            (DeliveryStatus::Pending, 3, None)
        );
        assert!(
            d.last_error
                .as_deref()
                .unwrap()
                .contains("no answer within"),
            "{:?}",
            d.last_error
        );
        let wait = setup.clock.now().duration_until(d.next_attempt.unwrap());
        assert!(
            (SignedDuration::from_secs(576)..=SignedDuration::from_secs(864)).contains(&wait),
            "the third wait is about 12 minutes: {wait:?}"
        );

        // 4: delivered.
        setup.clock.set(d.next_attempt.unwrap());
        let delivered_at = setup.clock.now();
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!(d.status, DeliveryStatus::Delivered);
        assert_eq!(d.endpoint_id, setup.endpoint);
        assert_eq!(d.delivered_at, Some(delivered_at));
        assert_eq!((d.next_attempt, d.last_error.as_deref()), (None, None));
        let codes: Vec<_> = d.history.iter().map(|a| a.status_code).collect();
        assert_eq!(codes, [Some(500), Some(429), None, Some(200)]);
        let numbers: Vec<_> = d.history.iter().map(|a| a.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(d.history.iter().all(|a| a.finished.is_some()));
        assert_eq!(dispatcher.run_once().await, 0);

        // Every attempt carried the same body and event id, each signed at its own time.
        let seen = receiver.seen();
        assert_eq!(seen.len(), 4);
        for received in &seen {
            assert_eq!(received.body, seen[0].body);
            assert_eq!(
                received.headers["commerce-sync-event-id"],
                d.event.id.to_string()
            );
            assert_eq!(
                received.headers["commerce-sync-event-type"],
                "sync.completed"
            );
            assert_eq!(received.headers["content-type"], "application/json");
        }
        check_signature(&seen[3], &setup.secret, delivered_at);
        check_signature(&seen[0], &setup.secret, start());
        let stale = verify(
            &setup.secret,
            seen[0].headers["commerce-sync-signature"].to_str().unwrap(),
            &seen[0].body,
            delivered_at,
            DEFAULT_TOLERANCE,
        );
        assert!(
            stale.is_err(),
            "the first attempt's signature is stale by now"
        );
        let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
        assert_eq!(body["id"], d.event.id.to_string());
        assert_eq!(body["type"], "sync.completed");
        assert_eq!(body["createdUtc"], "2030-03-01T09:00:00Z");
        assert_eq!(body["companyId"], d.event.company_id.unwrap().to_string());
        assert_eq!(body["data"]["syncId"], "s-1");
        assert_eq!(body["data"]["total"].to_string(), "120.50");
    }
}

#[tokio::test]
async fn a_final_4xx_fails_at_once() {
    for db in TestDatabase::both().await {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let setup = Setup::new(db, &url).await;
        let dispatcher = setup.dispatcher(setup.store.clone(), settings(10));
        receiver.script([Reply::Status(410)]);
        setup
            .emit(WebhookEventType::ConnectionDeauthorized, json!({}))
            .await;
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!(
            (d.status, d.attempts, d.last_status_code, d.next_attempt),
            (DeliveryStatus::Failed, 1, Some(410), None)
        );
        setup.clock.advance(SignedDuration::from_hours(48));
        assert_eq!(
            dispatcher.run_once().await,
            0,
            "a failed delivery stays failed"
        );
    }
}

#[tokio::test]
async fn gives_up_after_the_last_attempt() {
    for db in TestDatabase::both().await {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let setup = Setup::new(db, &url).await;
        let dispatcher = setup.dispatcher(setup.store.clone(), settings(3));
        receiver.script([Reply::Status(503), Reply::Status(502), Reply::Status(503)]);
        setup.emit(WebhookEventType::SyncFailed, json!({})).await;
        for attempt in 1..=3 {
            assert_eq!(dispatcher.run_once().await, 1, "attempt {attempt}");
            if let Some(next) = setup.only().await.next_attempt {
                setup.clock.set(next);
            }
        }
        let d = setup.only().await;
        assert_eq!((d.status, d.attempts), (DeliveryStatus::Failed, 3));
        assert!(
            d.last_error
                .as_deref()
                .unwrap()
                .ends_with("(gave up after 3 attempts)"),
            "{:?}",
            d.last_error
        );
        setup.clock.advance(SignedDuration::from_hours(48));
        assert_eq!(dispatcher.run_once().await, 0);
        assert_eq!(receiver.seen().len(), 3);
    }
}

#[tokio::test]
async fn unreachable_endpoints_and_unopenable_secrets_are_retried_with_a_reason() {
    for db in TestDatabase::both().await {
        // A port that was just free: nothing listens there.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", closed.local_addr().unwrap());
        drop(closed);
        let setup = Setup::new(db, &url).await;
        setup.emit(WebhookEventType::SyncDisabled, json!({})).await;
        let dispatcher = setup.dispatcher(setup.store.clone(), settings(10));
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!(
            (d.status, d.last_status_code),
            (DeliveryStatus::Pending, None)
        );
        assert!(d.next_attempt.is_some());
        let error = d.last_error.unwrap();
        assert!(error.to_lowercase().contains("connect"), "{error}");

        // A dispatcher holding another deployment key cannot sign: retried, not sent.
        setup.clock.set(d.next_attempt.unwrap());
        let wrong_key = WebhookDispatcher::new(
            setup.store.clone(),
            Arc::new(setup.clock.clone()),
            Arc::new(TokenCipher::new(&SecretKey::generate())),
            settings(10),
        )
        .unwrap();
        assert_eq!(wrong_key.run_once().await, 1);
        let d = setup.only().await;
        assert_eq!((d.status, d.attempts), (DeliveryStatus::Pending, 2));
        assert!(
            d.last_error
                .as_deref()
                .unwrap()
                .contains("cannot be opened"),
            "{:?}",
            d.last_error
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_dispatchers_on_one_database_deliver_each_event_once() {
    const EVENTS: usize = 40;
    for db in TestDatabase::both().await {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let setup = Setup::new(db, &url).await;
        for n in 0..EVENTS {
            setup
                .emit(WebhookEventType::SyncCompleted, json!({"n": n}))
                .await;
        }
        // Two store handles, as two worker processes hold; small batches so they interleave.
        let a = setup.dispatcher(store::open(&setup._db.url).await.unwrap(), settings(10));
        let b = setup.dispatcher(store::open(&setup._db.url).await.unwrap(), settings(10));
        let (sent_a, sent_b) = tokio::join!(
            tokio::spawn(async move { a.run_once().await }),
            tokio::spawn(async move { b.run_once().await })
        );
        let (sent_a, sent_b) = (sent_a.unwrap(), sent_b.unwrap());
        assert_eq!(sent_a + sent_b, EVENTS, "{sent_a} + {sent_b}");

        let mut per_event: HashMap<String, usize> = HashMap::new();
        for received in receiver.seen() {
            check_signature(&received, &setup.secret, setup.clock.now());
            let id = received.headers["commerce-sync-event-id"]
                .to_str()
                .unwrap()
                .to_owned();
            *per_event.entry(id).or_default() += 1;
        }
        assert_eq!(per_event.len(), EVENTS);
        assert!(per_event.values().all(|n| *n == 1), "{per_event:?}");
        let log = setup.log().await;
        assert_eq!(log.len(), EVENTS);
        assert!(
            log.iter()
                .all(|d| d.status == DeliveryStatus::Delivered && d.attempts == 1)
        );
    }
}

#[tokio::test]
async fn the_sync_engines_events_are_delivered() {
    for db in TestDatabase::both().await {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let setup = Setup::new(db, &url).await;
        let events = engine::Events::new(setup.store.clone(), Arc::new(setup.clock.clone()));
        let company = CompanyId::new();
        events
            .publish(
                setup.client,
                engine::events::Event {
                    event_type: engine::events::SYNC_DISABLED,
                    company_id: Some(company),
                    payload: json!({"reason": "31 days of failures"}),
                },
            )
            .await;
        let d = setup.only().await;
        assert_eq!(d.event.event_type, "sync.disabled");
        assert_eq!(d.next_attempt, Some(start()));
        let dispatcher = setup.dispatcher(setup.store.clone(), settings(10));
        assert_eq!(dispatcher.run_once().await, 1);
        let seen = receiver.seen();
        assert_eq!(seen.len(), 1);
        check_signature(&seen[0], &setup.secret, start());
        let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
        assert_eq!(body["type"], "sync.disabled");
        assert_eq!(body["companyId"], company.to_string());
        assert_eq!(body["data"]["reason"], "31 days of failures");
    }
}

/// With the default policy an endpoint stored on a private address (registered before the
/// policy, or a name that now resolves there) is never called: failed with our own reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn private_addresses_are_not_called_without_the_operators_consent() {
    let receiver = Receiver::default();
    let literal = receiver.start().await;
    let by_name = literal.replace("127.0.0.1", "localhost");
    for url in [literal.as_str(), by_name.as_str()] {
        let setup = Setup::new(TestDatabase::sqlite(), url).await;
        let strict = DispatcherSettings {
            outbound: platforms::outbound::Outbound::default(),
            ..settings(3)
        };
        let dispatcher = setup.dispatcher(setup.store.clone(), strict);
        setup
            .emit(WebhookEventType::SyncCompleted, json!({"n": 1}))
            .await;
        assert_eq!(dispatcher.run_once().await, 1);
        let d = setup.only().await;
        let error = d.last_error.clone().unwrap_or_default();
        assert!(error.contains("not a public address"), "{url}: {d:?}");
        assert_eq!(d.last_status_code, None);
    }
    assert!(
        receiver.seen().is_empty(),
        "the private receiver was called"
    );
}

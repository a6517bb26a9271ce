//! The delivery worker: claims due deliveries, signs and POSTs them, logs each attempt.
//!
//! Any number of dispatchers, in one process or many sharing PostgreSQL, may run at once: the
//! store leases each delivery to one of them per attempt. A dispatcher that dies mid-attempt
//! leaves its lease to expire; the next claim is a new attempt (delivery is at least once).

use super::WebhookEnvelope;
use super::backoff::{RetryPolicy, parse_retry_after};
use super::secret::open_secret;
use super::signature::{EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign};
use domain::clock::Clock;
use jiff::SignedDuration;
use platforms::TokenCipher;
use platforms::outbound::Outbound;
use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use std::sync::Arc;
use std::time::Duration;
use store::{AttemptOutcome, ClaimedDelivery, DeliveryNext, Store};

/// How a dispatcher works.
#[derive(Debug, Clone)]
pub struct DispatcherSettings {
    /// How long a receiver has to answer, connection included.
    pub timeout: Duration,
    /// Deliveries claimed, and sent concurrently, at a time.
    pub batch: u32,
    /// The pause of [`WebhookDispatcher::spawn`]'s loop when nothing was due.
    pub poll_interval: Duration,
    pub retry: RetryPolicy,
    /// Where endpoints may point (public addresses unless the operator allows private ones).
    pub outbound: Outbound,
}

impl Default for DispatcherSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            batch: 32,
            poll_interval: Duration::from_secs(2),
            retry: RetryPolicy::default(),
            outbound: Outbound::default(),
        }
    }
}

impl DispatcherSettings {
    /// Long enough that a live attempt (its timeout, then the store write) never outlasts it.
    fn lease(&self) -> SignedDuration {
        SignedDuration::try_from(self.timeout * 2)
            .unwrap_or(SignedDuration::MAX)
            .saturating_add(SignedDuration::from_secs(60))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("could not build the HTTP client for webhooks: {0}")]
    Client(#[from] reqwest::Error),
}

/// Delivers webhooks. Cheap to clone; clones share the HTTP client.
#[derive(Clone)]
pub struct WebhookDispatcher {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    cipher: Arc<TokenCipher>,
    http: reqwest::Client,
    settings: DispatcherSettings,
}

/// What one attempt came to, before the retry policy has its say.
enum Answer {
    Delivered(StatusCode),
    /// Worth trying again: a network error, a timeout, 408, 429 or 5xx.
    Transient {
        status: Option<StatusCode>,
        error: String,
        retry_after: Option<SignedDuration>,
    },
    /// Trying again would not help: another 4xx, a redirect.
    Final {
        status: Option<StatusCode>,
        error: String,
    },
}

/// The most of a receiver's error body (and of our messages) the log keeps.
const MAX_ERROR_CHARS: usize = 500;

impl WebhookDispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        cipher: Arc<TokenCipher>,
        settings: DispatcherSettings,
    ) -> Result<Self, WebhookError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            // A receiver redirecting us elsewhere is a misconfigured URL, not a delivery.
            .redirect(reqwest::redirect::Policy::none())
            // Names are resolved to allowed addresses only, at every request (DNS rebinding).
            .dns_resolver(settings.outbound.resolver())
            .build()?;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                clock,
                cipher,
                http,
                settings,
            }),
        })
    }

    /// Makes one attempt of every delivery due now, batch after batch, and answers how many
    /// attempts it made. Store errors are logged and end the round early.
    pub async fn run_once(&self) -> usize {
        let inner = &self.inner;
        let mut attempts = 0;
        loop {
            let now = inner.clock.now();
            let claimed = match inner
                .store
                .claim_webhook_deliveries(now, inner.settings.lease(), inner.settings.batch)
                .await
            {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::error!(%error, "claiming webhook deliveries failed");
                    return attempts;
                }
            };
            let full = claimed.len() >= inner.settings.batch as usize;
            let mut sending = tokio::task::JoinSet::new();
            for delivery in claimed {
                let inner = inner.clone();
                sending.spawn(async move { inner.attempt(delivery).await });
            }
            while let Some(done) = sending.join_next().await {
                // One delivery's panic is its own: the lease expires and it is tried again.
                if let Err(error) = done {
                    tracing::error!(%error, "a webhook attempt panicked");
                }
                attempts += 1;
            }
            if !full {
                return attempts;
            }
        }
    }

    /// Runs [`run_once`](Self::run_once) until the task is aborted, pausing when nothing was due.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                // Each attempt runs in its own task already; this keeps the loop itself alive
                // should anything around them panic.
                let attempts = match crate::panics::caught(self.run_once()).await {
                    Ok(attempts) => attempts,
                    Err(reason) => {
                        tracing::error!(%reason, "a webhook dispatch round panicked");
                        0
                    }
                };
                if attempts == 0 {
                    tokio::time::sleep(self.inner.settings.poll_interval).await;
                }
            }
        })
    }
}

impl Inner {
    async fn attempt(&self, delivery: ClaimedDelivery) {
        let answer = self.send(&delivery).await;
        let finished = self.clock.now();
        let retry = &self.settings.retry;
        let (status, error, next) = match answer {
            Answer::Delivered(status) => (Some(status), None, DeliveryNext::Delivered),
            Answer::Final { status, error } => (status, Some(error), DeliveryNext::Failed),
            Answer::Transient {
                status,
                error,
                retry_after,
            } => {
                if retry.may_retry(delivery.attempt) {
                    let unit = rand::rng().random::<f64>();
                    let wait = retry.delay(delivery.attempt, retry_after, unit);
                    let at = finished.saturating_add(wait).unwrap_or(finished);
                    (status, Some(error), DeliveryNext::RetryAt(at))
                } else {
                    let error = format!("{error} (gave up after {} attempts)", delivery.attempt);
                    (status, Some(error), DeliveryNext::Failed)
                }
            }
        };
        crate::metrics::global().webhook_attempt(match next {
            DeliveryNext::Delivered => "delivered",
            DeliveryNext::RetryAt(_) => "retry",
            DeliveryNext::Failed => "failed",
        });
        tracing::info!(
            delivery_id = %delivery.id, event_id = %delivery.event.id,
            event_type = %delivery.event.event_type, attempt = delivery.attempt,
            status = status.map(|s| s.as_u16()), ?next, "webhook attempt"
        );
        let outcome = AttemptOutcome {
            finished,
            status_code: status.map(|s| s.as_u16()),
            error: error.map(|e| truncate(&e)),
            next,
        };
        match self
            .store
            .finish_webhook_attempt(delivery.id, delivery.claim, outcome)
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                delivery_id = %delivery.id,
                "webhook attempt outlived its lease; its outcome is not recorded"
            ),
            Err(error) => tracing::error!(%error, delivery_id = %delivery.id,
                "recording a webhook attempt failed; the lease will expire and it is tried again"),
        }
    }

    async fn send(&self, delivery: &ClaimedDelivery) -> Answer {
        let secret = match open_secret(&self.cipher, delivery.endpoint_id, &delivery.sealed_secret)
        {
            Ok(secret) => secret,
            // Our fault (the deployment's key changed), not the receiver's: retried, so that
            // restoring the key saves the deliveries.
            Err(error) => {
                return Answer::Transient {
                    status: None,
                    error: format!("the endpoint's signing secret cannot be opened: {error}"),
                    retry_after: None,
                };
            }
        };
        // An address literal never reaches the resolver: checked here.
        if let Err(e) = self.settings.outbound.check_url(&delivery.url).await {
            return Answer::Final {
                status: None,
                error: format!("not delivered: {e}"),
            };
        }
        let body = WebhookEnvelope::of(&delivery.event).to_bytes();
        let signature = sign(&secret, self.clock.now().as_second(), &body);
        let request = self
            .http
            .post(&delivery.url)
            .header(CONTENT_TYPE, "application/json")
            .header(
                USER_AGENT,
                concat!("commerce-sync-webhooks/", env!("CARGO_PKG_VERSION")),
            )
            .header(SIGNATURE_HEADER, signature)
            .header(EVENT_ID_HEADER, delivery.event.id.to_string())
            .header(EVENT_TYPE_HEADER, &delivery.event.event_type)
            .body(body);
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                return Answer::Transient {
                    status: None,
                    error: self.describe(&error),
                    retry_after: None,
                };
            }
        };
        let status = response.status();
        if status.is_success() {
            return Answer::Delivered(status);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, self.clock.now()));
        // Only the status: the receiver's body is never shown back through the API (it could
        // be anything the URL points at).
        let error = format!("the endpoint answered HTTP {status}");
        let transient = status.is_server_error()
            || status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS;
        if transient {
            Answer::Transient {
                status: Some(status),
                error,
                retry_after,
            }
        } else {
            Answer::Final {
                status: Some(status),
                error,
            }
        }
    }

    /// A network error in words, its causes included (reqwest's own text hides them).
    fn describe(&self, error: &reqwest::Error) -> String {
        if error.is_timeout() {
            return format!("no answer within {:?}", self.settings.timeout);
        }
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

//! Webhooks to clients: their endpoints, the events the engine emits, and the delivery log.
//!
//! An event becomes one delivery per enabled endpoint of its client that subscribes to its
//! type; an event no endpoint wants is dropped, not stored (there is nothing to deliver and
//! adding an endpoint later does not replay the past). Workers claim due deliveries with a
//! lease and a claim token, so several processes on one PostgreSQL send each attempt once.

use crate::StoreError;
use crate::time::{from_db, opt_from_db, to_db};
use async_trait::async_trait;
use domain::{ClientId, CompanyId, Page, PageRequest};
use jiff::{SignedDuration, Timestamp};
use std::str::FromStr;
use uuid::Uuid;

pub use domain::ids::{WebhookDeliveryId, WebhookEndpointId, WebhookEventId};

/// A client's webhook endpoint. The signing secret is kept sealed and never leaves as plain text
/// except once, when created or rotated.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    pub client_id: ClientId,
    pub url: String,
    pub description: Option<String>,
    /// Event types sent here; empty means every type.
    pub events: Vec<String>,
    pub enabled: bool,
    pub created: Timestamp,
    pub modified: Timestamp,
}

/// An endpoint to create; the caller picks the id because the sealed secret is bound to it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWebhookEndpoint {
    pub id: WebhookEndpointId,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<String>,
    pub sealed_secret: Vec<u8>,
    pub created: Timestamp,
}

/// A change to an endpoint; `None` keeps what is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookEndpointUpdate {
    pub url: Option<String>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
    pub events: Option<Vec<String>>,
    pub enabled: Option<bool>,
    pub sealed_secret: Option<Vec<u8>>,
    pub modified: Timestamp,
}

/// What the engine emits: a sync completed or failed, a sync disabled, a connection deauthorized.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWebhookEvent {
    pub event_type: String,
    pub company_id: Option<CompanyId>,
    /// The envelope's `data`.
    pub payload: serde_json::Value,
    /// When it happened; its deliveries are due from then.
    pub occurred: Timestamp,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub id: WebhookEventId,
    pub event_type: String,
    pub company_id: Option<CompanyId>,
    pub payload: serde_json::Value,
    pub occurred: Timestamp,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or in flight).
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up: a final 4xx, or the attempts ran out.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }
}

impl FromStr for DeliveryStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown delivery status {s:?}"))
    }
}

/// One attempt of a delivery, as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    pub started: Timestamp,
    /// `None` while in flight, or when the worker lost its lease before reporting.
    pub finished: Option<Timestamp>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    pub id: WebhookDeliveryId,
    pub endpoint_id: WebhookEndpointId,
    pub event: WebhookEvent,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub last_attempt: Option<Timestamp>,
    pub next_attempt: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub created: Timestamp,
    /// Every attempt, first first.
    pub history: Vec<DeliveryAttempt>,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DeliveryFilter {
    pub endpoint: Option<WebhookEndpointId>,
    pub status: Option<DeliveryStatus>,
    /// Deliveries of this company's events (the Sync Health merchant page).
    pub company: Option<CompanyId>,
}

/// A delivery a worker holds for one attempt: everything needed to send it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    pub id: WebhookDeliveryId,
    /// Proves the worker still holds the delivery when it reports the outcome.
    pub claim: Uuid,
    /// This attempt's number, from 1.
    pub attempt: u32,
    pub client_id: ClientId,
    pub endpoint_id: WebhookEndpointId,
    pub url: String,
    pub sealed_secret: Vec<u8>,
    pub event: WebhookEvent,
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DeliveryNext {
    Delivered,
    RetryAt(Timestamp),
    Failed,
}

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptOutcome {
    pub finished: Timestamp,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub next: DeliveryNext,
}

#[async_trait]
pub trait WebhookStore {
    async fn create_webhook_endpoint(
        &self,
        client: ClientId,
        endpoint: NewWebhookEndpoint,
    ) -> Result<WebhookEndpoint, StoreError>;

    async fn webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
    ) -> Result<Option<WebhookEndpoint>, StoreError>;

    /// The client's endpoints, oldest first.
    async fn list_webhook_endpoints(
        &self,
        client: ClientId,
    ) -> Result<Vec<WebhookEndpoint>, StoreError>;

    async fn update_webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
        update: WebhookEndpointUpdate,
    ) -> Result<Option<WebhookEndpoint>, StoreError>;

    /// Deletes the endpoint and its deliveries.
    async fn delete_webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
    ) -> Result<bool, StoreError>;

    /// Records an event with one pending delivery, due at `occurred`, per enabled endpoint of the
    /// client subscribed to its type. Answers how many deliveries were made; with none, the
    /// event is dropped.
    async fn enqueue_event(
        &self,
        client: ClientId,
        event: NewWebhookEvent,
    ) -> Result<usize, StoreError>;

    /// Takes up to `limit` pending deliveries due at `now` whose endpoint is enabled and which no
    /// live lease holds, leasing each until `now + lease` and logging the attempt as begun.
    async fn claim_webhook_deliveries(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>, StoreError>;

    /// Records an attempt's outcome; `false` (nothing written) when the claim is no longer held.
    async fn finish_webhook_attempt(
        &self,
        delivery: WebhookDeliveryId,
        claim: Uuid,
        outcome: AttemptOutcome,
    ) -> Result<bool, StoreError>;

    /// The delivery log, newest first.
    async fn list_webhook_deliveries(
        &self,
        client: ClientId,
        filter: DeliveryFilter,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, StoreError>;

    async fn webhook_delivery(
        &self,
        client: ClientId,
        id: WebhookDeliveryId,
    ) -> Result<Option<WebhookDelivery>, StoreError>;

    /// A new pending delivery of the same event to the same endpoint, due at `now`; the old one
    /// stays in the log as it was.
    async fn redeliver_webhook(
        &self,
        client: ClientId,
        id: WebhookDeliveryId,
        now: Timestamp,
    ) -> Result<Option<WebhookDelivery>, StoreError>;
}

/// An endpoint's columns, as read from either database.
pub(crate) struct EndpointColumns {
    pub id: Uuid,
    pub client_id: Uuid,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub enabled: bool,
    pub created: i64,
    pub modified: i64,
}

const ENDPOINTS: &str = "webhook_endpoints";
const DELIVERIES: &str = "webhook_deliveries";

impl EndpointColumns {
    pub fn into_endpoint(self) -> Result<WebhookEndpoint, StoreError> {
        Ok(WebhookEndpoint {
            id: WebhookEndpointId(self.id),
            client_id: ClientId(self.client_id),
            url: self.url,
            description: self.description,
            events: serde_json::from_str(&self.events)
                .map_err(|e| StoreError::corrupt(ENDPOINTS, e))?,
            enabled: self.enabled,
            created: from_db(ENDPOINTS, self.created)?,
            modified: from_db(ENDPOINTS, self.modified)?,
        })
    }
}

/// The event types as stored: a JSON array.
pub(crate) fn events_to_db(events: &[String]) -> String {
    serde_json::to_string(events).expect("strings serialize")
}

/// An event's columns, as read from either database.
pub(crate) struct EventColumns {
    pub id: Uuid,
    pub event_type: String,
    pub company_id: Option<Uuid>,
    pub payload: String,
    pub occurred: i64,
}

impl EventColumns {
    pub fn into_event(self) -> Result<WebhookEvent, StoreError> {
        const T: &str = "webhook_events";
        Ok(WebhookEvent {
            id: WebhookEventId(self.id),
            event_type: self.event_type,
            company_id: self.company_id.map(CompanyId),
            payload: serde_json::from_str(&self.payload).map_err(|e| StoreError::corrupt(T, e))?,
            occurred: from_db(T, self.occurred)?,
        })
    }
}

/// A delivery's columns (with its event's), as read from either database.
pub(crate) struct DeliveryColumns {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub event: EventColumns,
    pub status: String,
    pub attempts: i64,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub last_attempt: Option<i64>,
    pub next_attempt: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created: i64,
}

impl DeliveryColumns {
    /// The delivery, its history still empty.
    pub fn into_delivery(self) -> Result<WebhookDelivery, StoreError> {
        Ok(WebhookDelivery {
            id: WebhookDeliveryId(self.id),
            endpoint_id: WebhookEndpointId(self.endpoint_id),
            event: self.event.into_event()?,
            status: self
                .status
                .parse()
                .map_err(|e: String| StoreError::corrupt(DELIVERIES, e))?,
            attempts: u32::try_from(self.attempts)
                .map_err(|e| StoreError::corrupt(DELIVERIES, e))?,
            last_status_code: status_code(self.last_status_code)?,
            last_error: self.last_error,
            last_attempt: opt_from_db(DELIVERIES, self.last_attempt)?,
            next_attempt: opt_from_db(DELIVERIES, self.next_attempt)?,
            delivered_at: opt_from_db(DELIVERIES, self.delivered_at)?,
            created: from_db(DELIVERIES, self.created)?,
            history: Vec::new(),
        })
    }
}

/// An attempt's columns, as read from either database.
pub(crate) struct AttemptColumns {
    pub delivery_id: Uuid,
    pub number: i64,
    pub started: i64,
    pub finished: Option<i64>,
    pub status_code: Option<i64>,
    pub error: Option<String>,
}

impl AttemptColumns {
    pub fn into_attempt(self) -> Result<(WebhookDeliveryId, DeliveryAttempt), StoreError> {
        const T: &str = "webhook_attempts";
        Ok((
            WebhookDeliveryId(self.delivery_id),
            DeliveryAttempt {
                number: u32::try_from(self.number).map_err(|e| StoreError::corrupt(T, e))?,
                started: from_db(T, self.started)?,
                finished: opt_from_db(T, self.finished)?,
                status_code: status_code(self.status_code)?,
                error: self.error,
            },
        ))
    }
}

fn status_code(code: Option<i64>) -> Result<Option<u16>, StoreError> {
    code.map(|c| u16::try_from(c).map_err(|e| StoreError::corrupt(DELIVERIES, e)))
        .transpose()
}

/// Hands each delivery its attempts (which arrive ordered by delivery and number).
pub(crate) fn attach_history(
    deliveries: &mut [WebhookDelivery],
    attempts: Vec<(WebhookDeliveryId, DeliveryAttempt)>,
) {
    for (delivery, attempt) in attempts {
        if let Some(d) = deliveries.iter_mut().find(|d| d.id == delivery) {
            d.history.push(attempt);
        }
    }
}

/// The columns an attempt's outcome writes to its delivery.
pub(crate) struct OutcomeColumns {
    pub status: &'static str,
    pub next_attempt: Option<i64>,
    pub delivered_at: Option<i64>,
}

impl OutcomeColumns {
    pub fn of(outcome: &AttemptOutcome) -> Self {
        let finished = to_db(outcome.finished);
        match outcome.next {
            DeliveryNext::Delivered => Self {
                status: DeliveryStatus::Delivered.as_str(),
                next_attempt: None,
                delivered_at: Some(finished),
            },
            DeliveryNext::RetryAt(at) => Self {
                status: DeliveryStatus::Pending.as_str(),
                next_attempt: Some(to_db(at)),
                delivered_at: None,
            },
            DeliveryNext::Failed => Self {
                status: DeliveryStatus::Failed.as_str(),
                next_attempt: None,
                delivered_at: None,
            },
        }
    }
}

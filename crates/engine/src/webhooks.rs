//! Signed webhooks to clients: the events the engine emits, the envelope a client receives,
//! the signature over it, and the worker that delivers them with retries.
//!
//! The engine records an event with [`emit`] (or `Store::enqueue_event`); the store makes one
//! delivery per subscribed endpoint; a [`WebhookDispatcher`] in any process claims due
//! deliveries, signs and POSTs them, and logs every attempt. Delivery is at least once: a
//! receiver dedupes by the event id, which is the same on every attempt and endpoint.

mod backoff;
mod dispatcher;
mod secret;
mod signature;

pub use backoff::{RetryPolicy, parse_retry_after};
pub use dispatcher::{DispatcherSettings, WebhookDispatcher, WebhookError};
pub use secret::{SECRET_PREFIX, generate_secret, open_secret, seal_secret};
pub use signature::{
    DEFAULT_TOLERANCE, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, SignatureError, sign,
    verify,
};

use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use store::{NewWebhookEvent, Store, StoreError, WebhookEvent, WebhookEventId};

/// What a client can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEventType {
    /// A sync run pushed its period to the accounting platform.
    SyncCompleted,
    /// A sync run failed (it will be retried by the engine, or not: see the payload).
    SyncFailed,
    /// Syncing stopped for a company (e.g. after 31 failing days).
    SyncDisabled,
    /// The merchant's accounting platform no longer accepts our credentials.
    ConnectionDeauthorized,
}

impl WebhookEventType {
    pub const ALL: [WebhookEventType; 4] = [
        Self::SyncCompleted,
        Self::SyncFailed,
        Self::SyncDisabled,
        Self::ConnectionDeauthorized,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SyncCompleted => "sync.completed",
            Self::SyncFailed => "sync.failed",
            Self::SyncDisabled => "sync.disabled",
            Self::ConnectionDeauthorized => "connection.deauthorized",
        }
    }
}

impl fmt::Display for WebhookEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WebhookEventType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<_> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!("unknown event type {s:?}; known: {}", known.join(", "))
            })
    }
}

/// Records an event for the client's subscribed endpoints; answers how many deliveries it made
/// (none when no enabled endpoint takes this type: the event is then dropped).
pub async fn emit(
    store: &dyn Store,
    client: ClientId,
    event_type: WebhookEventType,
    company: Option<CompanyId>,
    data: serde_json::Value,
    occurred: Timestamp,
) -> Result<usize, StoreError> {
    store
        .enqueue_event(
            client,
            NewWebhookEvent {
                event_type: event_type.as_str().to_owned(),
                company_id: company,
                payload: data,
                occurred,
            },
        )
        .await
}

/// The JSON body every delivery carries: the same bytes on every attempt of an event.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEnvelope<'a> {
    pub id: WebhookEventId,
    #[serde(rename = "type")]
    pub event_type: &'a str,
    /// When the event happened (RFC 3339, UTC).
    pub created_utc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<CompanyId>,
    pub data: &'a serde_json::Value,
}

impl<'a> WebhookEnvelope<'a> {
    pub fn of(event: &'a WebhookEvent) -> Self {
        Self {
            id: event.id,
            event_type: &event.event_type,
            created_utc: event.occurred.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
            company_id: event.company_id,
            data: &event.payload,
        }
    }

    /// The body as sent and signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an envelope of JSON values serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip_and_unknown_ones_are_named() {
        for t in WebhookEventType::ALL {
            assert_eq!(t.as_str().parse::<WebhookEventType>(), Ok(t));
        }
        let error = "sync.exploded".parse::<WebhookEventType>().unwrap_err();
        assert!(error.contains("sync.exploded") && error.contains("connection.deauthorized"));
    }

    #[test]
    fn the_envelope_names_id_type_time_company_and_data() {
        let event = WebhookEvent {
            id: WebhookEventId::new(),
            event_type: "sync.completed".into(),
            company_id: Some(CompanyId::new()),
            payload: serde_json::from_str(r#"{"syncId": "s1", "total": 10.50}"#).unwrap(),
            occurred: "2026-11-26T18:00:00.25Z".parse().unwrap(),
        };
        let body: serde_json::Value =
            serde_json::from_slice(&WebhookEnvelope::of(&event).to_bytes()).unwrap();
        assert_eq!(body["id"], event.id.to_string());
        assert_eq!(body["type"], "sync.completed");
        assert_eq!(body["createdUtc"], "2026-11-26T18:00:00.25Z");
        assert_eq!(body["companyId"], event.company_id.unwrap().to_string());
        assert_eq!(body["data"]["total"].to_string(), "10.50");
        let without = WebhookEvent {
            company_id: None,
            ..event
        };
        let body: serde_json::Value =
            serde_json::from_slice(&WebhookEnvelope::of(&without).to_bytes()).unwrap();
        assert!(body.get("companyId").is_none());
    }
}

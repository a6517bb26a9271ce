//! What the engine tells clients: sync completed, sync failed, sync disabled, connection
//! deauthorized. Each event is queued for the client's webhook endpoints in the database
//! (delivered, signed and retried by the webhook dispatcher).

use crate::status;
use crate::sync_status;
use crate::webhooks::WebhookEventType;
use domain::clock::Clock;
use domain::{ClientId, CompanyId, ConnectionId};
use jiff::Timestamp;
use serde_json::{Value, json};
use std::sync::Arc;
use store::{NewWebhookEvent, ScheduleState, Store, SyncRun};

pub const SYNC_COMPLETED: &str = WebhookEventType::SyncCompleted.as_str();
pub const SYNC_FAILED: &str = WebhookEventType::SyncFailed.as_str();
pub const SYNC_DISABLED: &str = WebhookEventType::SyncDisabled.as_str();
pub const CONNECTION_DEAUTHORIZED: &str = WebhookEventType::ConnectionDeauthorized.as_str();

/// One event for a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event_type: &'static str,
    pub company_id: Option<CompanyId>,
    pub payload: Value,
}

impl Event {
    pub fn sync_finished(sync: &SyncRun) -> Self {
        let event_type = if status::is_success(sync.outcome.status_code) {
            SYNC_COMPLETED
        } else {
            SYNC_FAILED
        };
        Self {
            event_type,
            company_id: Some(sync.company_id),
            payload: sync_status::to_json(sync),
        }
    }

    pub fn sync_disabled(company: CompanyId, state: &ScheduleState) -> Self {
        Self {
            event_type: SYNC_DISABLED,
            company_id: Some(company),
            payload: json!({
                "companyId": company.to_string(),
                "reason": state.disabled_reason,
                "disabledUtc": state.disabled_at.map(|t| t.to_string()),
                "consecutiveFailures": state.consecutive_failures,
            }),
        }
    }
}

impl Event {
    /// The merchant's platform refused our credentials: the client should send the merchant
    /// back through the Sync Flow.
    pub fn connection_deauthorized(
        company: CompanyId,
        connection: ConnectionId,
        reason: &str,
    ) -> Self {
        Self {
            event_type: CONNECTION_DEAUTHORIZED,
            company_id: Some(company),
            payload: json!({
                "companyId": company.to_string(),
                "connectionId": connection.to_string(),
                "reason": reason,
            }),
        }
    }

    /// The event as the webhook store records it.
    pub fn into_webhook(self, occurred: Timestamp) -> NewWebhookEvent {
        NewWebhookEvent {
            event_type: self.event_type.to_owned(),
            company_id: self.company_id,
            payload: self.payload,
            occurred,
        }
    }
}

/// Publishes events.
#[derive(Clone)]
pub struct Events {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl Events {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    pub async fn sync_finished(&self, client: ClientId, sync: &SyncRun) {
        self.publish(client, Event::sync_finished(sync)).await;
    }

    /// Queues `event` for the client's webhook endpoints; a failure is logged, never fatal to
    /// the sync that caused it.
    pub async fn publish(&self, client: ClientId, event: Event) {
        let event_type = event.event_type;
        let queued = self
            .store
            .enqueue_event(client, event.into_webhook(self.clock.now()))
            .await;
        match queued {
            Ok(deliveries) => {
                tracing::info!(client = %client, event = event_type, deliveries, "event")
            }
            Err(error) => {
                tracing::error!(client = %client, event = event_type, %error, "event not queued for webhooks")
            }
        }
    }
}

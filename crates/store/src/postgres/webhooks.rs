use super::PostgresStore;
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
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Row};
use uuid::Uuid;

const ENDPOINT_COLUMNS: &str =
    "id, client_id, url, description, events::text AS events, enabled, created, modified";

const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, d.status, d.attempts, d.last_status_code, \
     d.last_error, d.last_attempt, d.next_attempt, d.delivered_at, d.created, \
     e.id AS event_id, e.event_type, e.company_id, e.payload::text AS payload, e.occurred";

const DELIVERY_FROM: &str = "webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id";

fn endpoint(row: PgRow) -> Result<WebhookEndpoint, StoreError> {
    EndpointColumns {
        id: row.get("id"),
        client_id: row.get("client_id"),
        url: row.get("url"),
        description: row.get("description"),
        events: row.get("events"),
        enabled: row.get("enabled"),
        created: row.get("created"),
        modified: row.get("modified"),
    }
    .into_endpoint()
}

fn event(row: &PgRow) -> EventColumns {
    EventColumns {
        id: row.get("event_id"),
        event_type: row.get("event_type"),
        company_id: row.get("company_id"),
        payload: row.get("payload"),
        occurred: row.get("occurred"),
    }
}

fn optional_i64(row: &PgRow, column: &str) -> Option<i64> {
    row.get::<Option<i32>, _>(column).map(i64::from)
}

fn delivery(row: PgRow) -> Result<WebhookDelivery, StoreError> {
    DeliveryColumns {
        id: row.get("id"),
        endpoint_id: row.get("endpoint_id"),
        event: event(&row),
        status: row.get("status"),
        attempts: i64::from(row.get::<i32, _>("attempts")),
        last_status_code: optional_i64(&row, "last_status_code"),
        last_error: row.get("last_error"),
        last_attempt: row.get("last_attempt"),
        next_attempt: row.get("next_attempt"),
        delivered_at: row.get("delivered_at"),
        created: row.get("created"),
    }
    .into_delivery()
}

impl PostgresStore {
    async fn owned_endpoint<'e, E>(
        executor: E,
        client: ClientId,
        id: WebhookEndpointId,
        lock: bool,
    ) -> Result<Option<WebhookEndpoint>, StoreError>
    where
        E: sqlx::Executor<'e, Database = Postgres>,
    {
        let lock = if lock { "FOR UPDATE" } else { "" };
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND client_id = $2 {lock}"
        ))
        .bind(id.0)
        .bind(client.0)
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
        let ids: Vec<Uuid> = deliveries.iter().map(|d| d.id.0).collect();
        let attempts = sqlx::query(
            "SELECT delivery_id, number, started, finished, status_code, error
             FROM webhook_attempts WHERE delivery_id = ANY($1)
             ORDER BY delivery_id, number",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|row| {
            AttemptColumns {
                delivery_id: row.get("delivery_id"),
                number: i64::from(row.get::<i32, _>("number")),
                started: row.get("started"),
                finished: row.get("finished"),
                status_code: optional_i64(&row, "status_code"),
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
impl WebhookStore for PostgresStore {
    async fn create_webhook_endpoint(
        &self,
        client: ClientId,
        new: NewWebhookEndpoint,
    ) -> Result<WebhookEndpoint, StoreError> {
        sqlx::query(
            "INSERT INTO webhook_endpoints
                (id, client_id, url, description, events, enabled, secret, created, modified)
             VALUES ($1, $2, $3, $4, $5::jsonb, TRUE, $6, $7, $7)",
        )
        .bind(new.id.0)
        .bind(client.0)
        .bind(&new.url)
        .bind(&new.description)
        .bind(events_to_db(&new.events))
        .bind(&new.sealed_secret)
        .bind(to_db(new.created))
        .execute(&self.pool)
        .await?;
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
        Self::owned_endpoint(&self.pool, client, id, false).await
    }

    async fn list_webhook_endpoints(
        &self,
        client: ClientId,
    ) -> Result<Vec<WebhookEndpoint>, StoreError> {
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE client_id = $1
             ORDER BY created, id"
        ))
        .bind(client.0)
        .fetch_all(&self.pool)
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
        let mut tx = self.pool.begin().await?;
        let Some(mut current) = Self::owned_endpoint(&mut *tx, client, id, true).await? else {
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
            "UPDATE webhook_endpoints SET url = $1, description = $2, events = $3::jsonb,
                    enabled = $4, modified = $5, secret = COALESCE($6, secret)
             WHERE id = $7",
        )
        .bind(&current.url)
        .bind(&current.description)
        .bind(events_to_db(&current.events))
        .bind(current.enabled)
        .bind(to_db(current.modified))
        .bind(update.sealed_secret)
        .bind(id.0)
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
        let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1 AND client_id = $2")
            .bind(id.0)
            .bind(client.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    async fn enqueue_event(
        &self,
        client: ClientId,
        event: NewWebhookEvent,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        // FOR SHARE: an endpoint deleted meanwhile waits for this event's deliveries, then takes them.
        let endpoints: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM webhook_endpoints
             WHERE client_id = $1 AND enabled
               AND (events = '[]'::jsonb OR events @> jsonb_build_array($2::text))
             FOR SHARE",
        )
        .bind(client.0)
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
             VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
        )
        .bind(id.0)
        .bind(client.0)
        .bind(&event.event_type)
        .bind(event.company_id.map(|c| c.0))
        .bind(event.payload.to_string())
        .bind(occurred)
        .execute(&mut *tx)
        .await?;
        let deliveries: Vec<Uuid> = endpoints.iter().map(|_| Uuid::new_v4()).collect();
        sqlx::query(
            "INSERT INTO webhook_deliveries
                (id, client_id, event_id, endpoint_id, status, next_attempt, created)
             SELECT d, $3, $4, p, 'pending', $5, $5 FROM UNNEST($1::uuid[], $2::uuid[]) AS u(d, p)",
        )
        .bind(&deliveries)
        .bind(&endpoints)
        .bind(client.0)
        .bind(id.0)
        .bind(occurred)
        .execute(&mut *tx)
        .await?;
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
        let until = to_db(now.saturating_add(lease).unwrap_or(Timestamp::MAX));
        // SKIP LOCKED lets workers claim side by side; a row leased by another worker while this
        // statement waited is re-checked against the WHERE and left alone.
        let rows = sqlx::query(
            "WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                JOIN webhook_endpoints p ON p.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt <= $1 AND p.enabled
                  AND (d.lease_until IS NULL OR d.lease_until <= $1)
                ORDER BY d.next_attempt, d.id LIMIT $2
                FOR UPDATE OF d SKIP LOCKED
             ), claimed AS (
                UPDATE webhook_deliveries d
                SET attempts = d.attempts + 1, lease_until = $3, claim = $4, last_attempt = $1
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.attempts, d.client_id, d.endpoint_id, d.event_id, d.next_attempt
             ), logged AS (
                INSERT INTO webhook_attempts (delivery_id, number, started)
                SELECT id, attempts, $1 FROM claimed
             )
             SELECT c.id, c.attempts, c.client_id, c.endpoint_id, p.url, p.secret,
                    e.id AS event_id, e.event_type, e.company_id, e.payload::text AS payload,
                    e.occurred
             FROM claimed c
             JOIN webhook_endpoints p ON p.id = c.endpoint_id
             JOIN webhook_events e ON e.id = c.event_id
             ORDER BY c.next_attempt, c.id",
        )
        .bind(to_db(now))
        .bind(i64::from(limit))
        .bind(until)
        .bind(claim)
        .fetch_all(&self.pool)
        .await?;
        const T: &str = "webhook_deliveries";
        rows.into_iter()
            .map(|row| {
                let attempt: i32 = row.get("attempts");
                Ok(ClaimedDelivery {
                    id: WebhookDeliveryId(row.get("id")),
                    claim,
                    attempt: u32::try_from(attempt).map_err(|e| StoreError::corrupt(T, e))?,
                    client_id: ClientId(row.get("client_id")),
                    endpoint_id: WebhookEndpointId(row.get("endpoint_id")),
                    url: row.get("url"),
                    sealed_secret: row.get("secret"),
                    event: event(&row).into_event()?,
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
        let code = outcome.status_code.map(i32::from);
        let finished: Option<i32> = sqlx::query_scalar(
            "WITH done AS (
                UPDATE webhook_deliveries
                SET status = $1, next_attempt = $2, delivered_at = $3, last_status_code = $4,
                    last_error = $5, lease_until = NULL, claim = NULL
                WHERE id = $6 AND claim = $7
                RETURNING id, attempts
             )
             UPDATE webhook_attempts a SET finished = $8, status_code = $4, error = $5
             FROM done WHERE a.delivery_id = done.id AND a.number = done.attempts
             RETURNING a.number",
        )
        .bind(columns.status)
        .bind(columns.next_attempt)
        .bind(columns.delivered_at)
        .bind(code)
        .bind(&outcome.error)
        .bind(delivery.0)
        .bind(claim)
        .bind(to_db(outcome.finished))
        .fetch_optional(&self.pool)
        .await?;
        Ok(finished.is_some())
    }

    async fn list_webhook_deliveries(
        &self,
        client: ClientId,
        filter: DeliveryFilter,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, StoreError> {
        const WHERE: &str = "d.client_id = $1 AND ($2::uuid IS NULL OR d.endpoint_id = $2)
                             AND ($3::text IS NULL OR d.status = $3)
                             AND ($4::uuid IS NULL OR e.company_id = $4)";
        let endpoint = filter.endpoint.map(|e| e.0);
        let status = filter.status.map(DeliveryStatus::as_str);
        let company = filter.company.map(|c| c.0);
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {DELIVERY_FROM} WHERE {WHERE}"
        ))
        .bind(client.0)
        .bind(endpoint)
        .bind(status)
        .bind(company)
        .fetch_one(&self.pool)
        .await?;
        let items = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE {WHERE}
             ORDER BY d.created DESC, d.id DESC LIMIT $5 OFFSET $6"
        ))
        .bind(client.0)
        .bind(endpoint)
        .bind(status)
        .bind(company)
        .bind(i64::from(page.page_size))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
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
            "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE d.id = $1 AND d.client_id = $2"
        ))
        .bind(id.0)
        .bind(client.0)
        .fetch_optional(&self.pool)
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
        let inserted = sqlx::query(
            "INSERT INTO webhook_deliveries
                (id, client_id, event_id, endpoint_id, status, next_attempt, created)
             SELECT $1, client_id, event_id, endpoint_id, 'pending', $2, $2
             FROM webhook_deliveries WHERE id = $3 AND client_id = $4",
        )
        .bind(fresh.0)
        .bind(to_db(now))
        .bind(id.0)
        .bind(client.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(None);
        }
        self.webhook_delivery(client, fresh).await
    }
}

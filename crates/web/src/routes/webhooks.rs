//! `/webhooks/…`: a client's webhook endpoints (each with its own signing secret, shown once)
//! and the delivery log. Deliveries are made by `engine::webhooks::WebhookDispatcher`.

use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody, kind};
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::{PageQuery, Paged, datetime};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use domain::{ClientId, Page};
use engine::webhooks::{WebhookEventType, generate_secret, seal_secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{
    DeliveryAttempt, DeliveryFilter, DeliveryStatus, NewWebhookEndpoint, WebhookDelivery,
    WebhookDeliveryId, WebhookEndpoint, WebhookEndpointId, WebhookEndpointUpdate,
};
use utoipa::{IntoParams, ToSchema};

const MAX_URL_CHARS: usize = 2048;
const MAX_DESCRIPTION_CHARS: usize = 500;
const CREATE_FIELDS: &[&str] = &["url", "events", "description"];
const UPDATE_FIELDS: &[&str] = &["url", "events", "description", "enabled"];

/// A webhook endpoint. `secret` is present only in the answers to create and rotate-secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpointBody {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    /// Event types sent to this endpoint; empty means every type.
    pub events: Vec<String>,
    pub enabled: bool,
    pub created: String,
    pub modified: String,
    /// The signing secret (`whsec_…`): shown once, keep it safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookEndpointBody {
    fn new(endpoint: WebhookEndpoint, secret: Option<String>) -> Self {
        Self {
            id: endpoint.id.to_string(),
            url: endpoint.url,
            description: endpoint.description,
            events: endpoint.events,
            enabled: endpoint.enabled,
            created: datetime(endpoint.created),
            modified: datetime(endpoint.modified),
            secret,
        }
    }
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttemptBody {
    /// 1 for the first attempt.
    pub number: u32,
    pub started_at: String,
    /// Absent while in flight, or when the worker stopped before reporting.
    pub finished_at: Option<String>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

impl From<DeliveryAttempt> for DeliveryAttemptBody {
    fn from(attempt: DeliveryAttempt) -> Self {
        Self {
            number: attempt.number,
            started_at: datetime(attempt.started),
            finished_at: attempt.finished.map(datetime),
            status_code: attempt.status_code,
            error: attempt.error,
        }
    }
}

/// One event on its way to one endpoint, with every attempt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDeliveryBody {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub endpoint_id: String,
    /// The id receivers see in `Commerce-Sync-Event-Id` and the body's `id`.
    #[schema(value_type = String, format = Uuid)]
    pub event_id: String,
    pub event_type: String,
    pub company_id: Option<String>,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<String>,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub created: String,
    pub attempt_history: Vec<DeliveryAttemptBody>,
}

impl From<WebhookDelivery> for WebhookDeliveryBody {
    fn from(d: WebhookDelivery) -> Self {
        Self {
            id: d.id.to_string(),
            endpoint_id: d.endpoint_id.to_string(),
            event_id: d.event.id.to_string(),
            event_type: d.event.event_type,
            company_id: d.event.company_id.map(|c| c.to_string()),
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            last_attempt_at: d.last_attempt.map(datetime),
            next_attempt_at: d.next_attempt.map(datetime),
            delivered_at: d.delivered_at.map(datetime),
            created: datetime(d.created),
            attempt_history: d.history.into_iter().map(Into::into).collect(),
        }
    }
}

fn endpoint_id(raw: &str) -> Result<WebhookEndpointId, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "endpointId",
            format!("endpointId must be a UUID, found {raw:?}"),
        )])
    })
}

fn delivery_id(raw: &str) -> Result<WebhookDeliveryId, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "deliveryId",
            format!("deliveryId must be a UUID, found {raw:?}"),
        )])
    })
}

fn endpoint_not_found(id: WebhookEndpointId) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "webhook_endpoint_not_found",
        format!("No webhook endpoint with id {id} was found"),
    )
}

fn delivery_not_found(id: WebhookDeliveryId) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "webhook_delivery_not_found",
        format!("No webhook delivery with id {id} was found"),
    )
}

/// Why `url` cannot receive webhooks, if it cannot.
fn url_problem(url: &str) -> Option<String> {
    if url.chars().count() > MAX_URL_CHARS {
        return Some(format!("url must be at most {MAX_URL_CHARS} characters"));
    }
    let Ok(uri) = url.parse::<Uri>() else {
        return Some(format!(
            "url must be an absolute http or https URL, found {url:?}"
        ));
    };
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
    if !matches!(scheme.as_deref(), Some("http" | "https")) || uri.host().is_none_or(str::is_empty)
    {
        return Some(format!(
            "url must be an absolute http or https URL, found {url:?}"
        ));
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Some(
            "url must not contain a user name or password; the signature authenticates us".into(),
        );
    }
    None
}

/// Every present field is known; an unknown one (a typo of `enabled`, say) is named, not ignored.
fn unknown_fields(fields: &mut Fields<'_>, body: &Value, known: &[&str]) {
    if let Some(object) = body.as_object() {
        for name in object.keys().filter(|k| !known.contains(&k.as_str())) {
            fields.error(
                name,
                format!(
                    "{name} is not a field of a webhook endpoint; known: {}",
                    known.join(", ")
                ),
            );
        }
    }
}

/// Refuses a URL that is, or resolves to, an address we must not call (named 400).
async fn allowed(state: &AppState, url: &str) -> Result<(), ApiError> {
    state
        .outbound
        .check_url(url)
        .await
        .map_err(|e| ApiError::invalid(vec![ValidationItem::at("/url", format!("url: {e}"))]))
}

fn read_url(fields: &mut Fields<'_>, raw: Option<&str>) -> Option<String> {
    let url = raw?.trim();
    match url_problem(url) {
        Some(problem) => {
            fields.error("url", problem);
            None
        }
        None => Some(url.to_owned()),
    }
}

/// `events`: absent or null is `None`; otherwise distinct known event types (empty: every type).
fn read_events(fields: &mut Fields<'_>, body: &Value) -> Option<Vec<String>> {
    match body.get("events") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let mut events: Vec<String> = Vec::new();
            for (n, item) in items.iter().enumerate() {
                // The body's root object: an item's pointer is /events/N.
                let mut bad = |message: String| {
                    let pointer = format!("/events/{n}");
                    fields.errors.push(ValidationItem::at(pointer, message));
                };
                match item.as_str().map(str::parse::<WebhookEventType>) {
                    Some(Ok(t)) if events.iter().any(|e| e == t.as_str()) => {
                        bad(format!("{t} is listed twice"))
                    }
                    Some(Ok(t)) => events.push(t.as_str().to_owned()),
                    Some(Err(message)) => bad(message),
                    None => bad(format!("events must hold strings, found {}", kind(item))),
                }
            }
            Some(events)
        }
        Some(other) => {
            let found = kind(other);
            fields.error(
                "events",
                format!("events must be an array of event types, found {found}"),
            );
            None
        }
    }
}

fn read_description(fields: &mut Fields<'_>) -> Option<Option<String>> {
    let description = fields.optional_string("description")?;
    match description.map(str::trim) {
        Some(d) if d.chars().count() > MAX_DESCRIPTION_CHARS => {
            fields.error(
                "description",
                format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
            );
            None
        }
        Some("") | None => Some(None),
        Some(d) => Some(Some(d.to_owned())),
    }
}

async fn owned_endpoint(
    state: &AppState,
    client: ClientId,
    id: WebhookEndpointId,
) -> Result<WebhookEndpoint, ApiError> {
    state
        .store
        .webhook_endpoint(client, id)
        .await?
        .ok_or_else(|| endpoint_not_found(id))
}

/// Create a webhook endpoint; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/webhooks/endpoints", tag = "Webhooks", operation_id = "create-webhook-endpoint",
    request_body(content = Object, description = "`{url, events?: [\"sync.completed\" | \"sync.failed\" | \"sync.disabled\" | \"connection.deauthorized\"], description?}`; no `events` (or `[]`) means every type"),
    responses((status = 201, body = WebhookEndpointBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<WebhookEndpointBody>), ApiError> {
    let mut fields = Fields::of(&body, "");
    unknown_fields(&mut fields, &body, CREATE_FIELDS);
    let url = fields.required_string("url");
    let url = read_url(&mut fields, url);
    let events = read_events(&mut fields, &body);
    let description = read_description(&mut fields);
    fields.finish()?;
    let url = url.ok_or_else(|| ApiError::internal("a checked body lacks its url"))?;
    allowed(&state, &url).await?;
    let id = WebhookEndpointId::new();
    let secret = generate_secret();
    let endpoint = state
        .store
        .create_webhook_endpoint(
            client.id,
            NewWebhookEndpoint {
                id,
                url,
                description: description.flatten(),
                events: events.unwrap_or_default(),
                sealed_secret: seal_secret(&state.cipher, id, &secret),
                created: store::now(),
            },
        )
        .await?;
    tracing::info!(endpoint_id = %id, "webhook endpoint created");
    Ok((
        StatusCode::CREATED,
        Json(WebhookEndpointBody::new(endpoint, Some(secret))),
    ))
}

/// List webhook endpoints.
#[utoipa::path(get, path = "/webhooks/endpoints", tag = "Webhooks", operation_id = "list-webhook-endpoints",
    params(PageQuery),
    responses((status = 200, body = Paged<WebhookEndpointBody>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Query(query): Query<PageQuery>,
) -> Result<Json<Paged<WebhookEndpointBody>>, ApiError> {
    let request = query.parse()?;
    // A client has a handful of endpoints; paging them in memory is fine.
    let all = state.store.list_webhook_endpoints(client.id).await?;
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(usize::try_from(request.offset()).unwrap_or(usize::MAX))
        .take(request.page_size as usize)
        .collect();
    let page = Page {
        items,
        request,
        total,
    };
    Ok(Json(Paged::new(page, "/webhooks/endpoints", |e| {
        WebhookEndpointBody::new(e, None)
    })))
}

/// Get a webhook endpoint.
#[utoipa::path(get, path = "/webhooks/endpoints/{endpointId}", tag = "Webhooks", operation_id = "get-webhook-endpoint",
    params(("endpointId" = String, Path, format = Uuid)),
    responses((status = 200, body = WebhookEndpointBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<Json<WebhookEndpointBody>, ApiError> {
    let id = endpoint_id(&id)?;
    let endpoint = owned_endpoint(&state, client.id, id).await?;
    Ok(Json(WebhookEndpointBody::new(endpoint, None)))
}

/// Change a webhook endpoint: its url, events, description, or `enabled` (a disabled endpoint
/// gets no new events; its pending deliveries wait until it is enabled again).
#[utoipa::path(patch, path = "/webhooks/endpoints/{endpointId}", tag = "Webhooks", operation_id = "update-webhook-endpoint",
    params(("endpointId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{url?, events?, description?, enabled?}`"),
    responses((status = 200, body = WebhookEndpointBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<WebhookEndpointBody>, ApiError> {
    let id = endpoint_id(&id)?;
    let mut fields = Fields::of(&body, "");
    unknown_fields(&mut fields, &body, UPDATE_FIELDS);
    let url = match body.get("url") {
        None => None,
        Some(Value::Null) => {
            fields.error("url", "url cannot be removed; delete the endpoint instead");
            None
        }
        Some(_) => {
            let raw = fields.required_string("url");
            read_url(&mut fields, raw)
        }
    };
    // `events: null` resets to every type, as on create.
    let events = match body.get("events") {
        Some(Value::Null) => Some(Vec::new()),
        _ => read_events(&mut fields, &body),
    };
    let description = read_description(&mut fields);
    let enabled = match body.get("enabled") {
        None => None,
        Some(Value::Bool(enabled)) => Some(*enabled),
        Some(other) => {
            let found = kind(other);
            fields.error(
                "enabled",
                format!("enabled must be true or false, found {found}"),
            );
            None
        }
    };
    fields.finish()?;
    if let Some(url) = &url {
        allowed(&state, url).await?;
    }
    let endpoint = state
        .store
        .update_webhook_endpoint(
            client.id,
            id,
            WebhookEndpointUpdate {
                url,
                description,
                events,
                enabled,
                sealed_secret: None,
                modified: store::now(),
            },
        )
        .await?
        .ok_or_else(|| endpoint_not_found(id))?;
    Ok(Json(WebhookEndpointBody::new(endpoint, None)))
}

/// Delete a webhook endpoint and its deliveries.
#[utoipa::path(delete, path = "/webhooks/endpoints/{endpointId}", tag = "Webhooks", operation_id = "delete-webhook-endpoint",
    params(("endpointId" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = endpoint_id(&id)?;
    if state.store.delete_webhook_endpoint(client.id, id).await? {
        tracing::info!(endpoint_id = %id, "webhook endpoint deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(endpoint_not_found(id))
    }
}

/// Replace an endpoint's signing secret; the new one is in the answer, shown this once, and
/// signs every attempt from now on (the old one stops at once).
#[utoipa::path(post, path = "/webhooks/endpoints/{endpointId}/rotate-secret", tag = "Webhooks", operation_id = "rotate-webhook-secret",
    params(("endpointId" = String, Path, format = Uuid)),
    responses((status = 200, body = WebhookEndpointBody), (status = 404, body = ErrorBody)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<Json<WebhookEndpointBody>, ApiError> {
    let id = endpoint_id(&id)?;
    let secret = generate_secret();
    let endpoint = state
        .store
        .update_webhook_endpoint(
            client.id,
            id,
            WebhookEndpointUpdate {
                sealed_secret: Some(seal_secret(&state.cipher, id, &secret)),
                modified: store::now(),
                ..Default::default()
            },
        )
        .await?
        .ok_or_else(|| endpoint_not_found(id))?;
    tracing::info!(endpoint_id = %id, "webhook secret rotated");
    Ok(Json(WebhookEndpointBody::new(endpoint, Some(secret))))
}

/// The delivery log's filters and paging, read as text so a bad value is named.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries to this endpoint.
    #[param(value_type = Option<String>, format = Uuid)]
    pub endpoint_id: Option<String>,
    /// Only deliveries in this state: `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 5000)]
    pub page_size: Option<String>,
}

/// The delivery log, newest first: each delivery with its attempts.
#[utoipa::path(get, path = "/webhooks/deliveries", tag = "Webhooks", operation_id = "list-webhook-deliveries",
    params(DeliveryQuery),
    responses((status = 200, body = Paged<WebhookDeliveryBody>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Query(query): Query<DeliveryQuery>,
) -> Result<Json<Paged<WebhookDeliveryBody>>, ApiError> {
    let paging = PageQuery {
        page: query.page.clone(),
        page_size: query.page_size.clone(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let request = paging.parse().map_err(|e| errors.extend(e.errors)).ok();
    let endpoint = match query.endpoint_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => endpoint_id(raw).map_err(|e| errors.extend(e.errors)).ok(),
    };
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => raw
            .parse::<DeliveryStatus>()
            .map_err(|_| {
                errors.push(ValidationItem::parameter(
                    "status",
                    format!("status must be pending, delivered or failed, found {raw:?}"),
                ))
            })
            .ok(),
    };
    let Some(request) = request.filter(|_| errors.is_empty()) else {
        return Err(ApiError::invalid(errors));
    };
    if let Some(endpoint) = endpoint {
        owned_endpoint(&state, client.id, endpoint).await?;
    }
    let page = state
        .store
        .list_webhook_deliveries(
            client.id,
            DeliveryFilter {
                endpoint,
                status,
                company: None,
            },
            request,
        )
        .await?;
    Ok(Json(Paged::new(page, "/webhooks/deliveries", Into::into)))
}

/// Get one delivery with its attempts.
#[utoipa::path(get, path = "/webhooks/deliveries/{deliveryId}", tag = "Webhooks", operation_id = "get-webhook-delivery",
    params(("deliveryId" = String, Path, format = Uuid)),
    responses((status = 200, body = WebhookDeliveryBody), (status = 404, body = ErrorBody)))]
pub async fn delivery(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<Json<WebhookDeliveryBody>, ApiError> {
    let id = delivery_id(&id)?;
    let delivery = state
        .store
        .webhook_delivery(client.id, id)
        .await?
        .ok_or_else(|| delivery_not_found(id))?;
    Ok(Json(delivery.into()))
}

/// Send a delivery's event to its endpoint again: a new delivery, due now, with fresh attempts;
/// the old one stays in the log as it was.
#[utoipa::path(post, path = "/webhooks/deliveries/{deliveryId}/redeliver", tag = "Webhooks", operation_id = "redeliver-webhook",
    params(("deliveryId" = String, Path, format = Uuid)),
    responses((status = 202, body = WebhookDeliveryBody), (status = 404, body = ErrorBody)))]
pub async fn redeliver(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<WebhookDeliveryBody>), ApiError> {
    let id = delivery_id(&id)?;
    let fresh = redeliver_delivery(&state, client.id, id).await?;
    Ok((StatusCode::ACCEPTED, Json(fresh.into())))
}

/// Queues the client's delivery `id` again (a new delivery of the same event): the API's
/// redeliver and the Sync Health merchant page both come here.
pub(crate) async fn redeliver_delivery(
    state: &AppState,
    client: domain::ClientId,
    id: store::WebhookDeliveryId,
) -> Result<store::WebhookDelivery, ApiError> {
    let fresh = state
        .store
        .redeliver_webhook(client, id, store::now())
        .await?
        .ok_or_else(|| delivery_not_found(id))?;
    tracing::info!(delivery_id = %id, new_delivery_id = %fresh.id, "webhook redelivery queued");
    Ok(fresh)
}

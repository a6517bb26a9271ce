//! Push items (Codat's push operations): one per document a sync writes, with its status,
//! the accounting platform's id and its errors; and the retry of a failed one.

use super::syncs::{owned, retry_sync};
use crate::AppState;
use crate::auth::AuthClient;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::paging::PageQuery;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::ConnectionId;
use serde_json::{Value, json};
use store::{PushItem, PushStatus};
use uuid::Uuid;

/// Codat's `dataType` for a document kind.
fn data_type(kind: &str) -> &'static str {
    match kind {
        "invoice" => "invoices",
        "creditNote" => "creditNotes",
        "payment" | "refund" => "payments",
        "bill" => "bills",
        "billPayment" | "billRefund" => "billPayments",
        "billCreditNote" => "billCreditNotes",
        "bankTransaction" => "bankTransactions",
        "transfer" => "transfers",
        _ => "journalEntries",
    }
}

/// A push item in Codat's `PushOperation` shape, with our extras (`syncId`, `documentKey`…).
pub fn to_json(item: &PushItem, connection: Option<ConnectionId>) -> Value {
    let r = &item.result;
    let changes = match (&r.status, &r.platform_id) {
        (PushStatus::Success, Some(id)) => json!([{
            "type": "Created",
            "recordRef": { "id": id, "dataType": data_type(&item.kind) },
            "attachmentId": null,
        }]),
        _ => json!([]),
    };
    json!({
        "changes": changes,
        "dataType": data_type(&item.kind),
        "companyId": item.company_id.to_string(),
        "pushOperationKey": item.key.to_string(),
        "dataConnectionKey": connection.map(|c| c.to_string()),
        "requestedOnUtc": item.requested.to_string(),
        "completedOnUtc": item.completed.map(|t| t.to_string()),
        "timeoutInMinutes": null,
        "status": r.status.as_str(),
        "errorMessage": r.error_message,
        "validation": r.validation.clone().unwrap_or(json!({"errors": [], "warnings": []})),
        "statusCode": r.status_code,
        "syncId": item.sync_id.to_string(),
        "documentKey": item.document_key,
        "documentKind": item.kind,
        "platformNumber": r.platform_number,
        "platformStatus": r.platform_status,
        "attempts": item.attempts,
        "document": item.document,
    })
}

async fn accounting_connection(
    state: &AppState,
    client: domain::ClientId,
    company: domain::CompanyId,
) -> Result<Option<ConnectionId>, ApiError> {
    let connections = state
        .store
        .list_connections(client, company)
        .await?
        .unwrap_or_default();
    Ok(engine::connectors::live_accounting(&connections).map(|c| c.id))
}

/// The company's push items, newest first.
#[utoipa::path(get, path = "/companies/{companyId}/push", tag = "Sync",
    operation_id = "get-company-push-history", params(("companyId" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, description = "PushOperations", body = Object), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let page = query.parse()?;
    let company = owned(&state, client.id, &company).await?;
    let connection = accounting_connection(&state, client.id, company).await?;
    let offset = u64::from(page.page - 1) * u64::from(page.page_size);
    let found = state
        .store
        .push_items(company, offset, u64::from(page.page_size))
        .await?;
    Ok(Json(json!({
        "results": found.items.iter().map(|i| to_json(i, connection)).collect::<Vec<_>>(),
        "pageNumber": page.page,
        "pageSize": page.page_size,
        "totalResults": found.total,
    })))
}

async fn item(
    state: &AppState,
    client: domain::ClientId,
    company: &str,
    key: &str,
) -> Result<(PushItem, Option<ConnectionId>), ApiError> {
    let company = owned(state, client, company).await?;
    let key: Uuid = key.parse().map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "pushOperationKey",
            format!("pushOperationKey must be a UUID, found {key:?}"),
        )])
    })?;
    let item = state.store.push_item(company, key).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "push_operation_not_found",
            format!("No push operation {key} for company {company}"),
        )
    })?;
    Ok((item, accounting_connection(state, client, company).await?))
}

/// One push item.
#[utoipa::path(get, path = "/companies/{companyId}/push/{pushOperationKey}", tag = "Sync",
    operation_id = "get-push-operation",
    params(("companyId" = String, Path, format = Uuid), ("pushOperationKey" = String, Path, format = Uuid)),
    responses((status = 200, description = "PushOperation", body = Object), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, key)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (item, connection) = item(&state, client.id, &company, &key).await?;
    Ok(Json(to_json(&item, connection)))
}

/// Retry a failed push item: its sync runs again and writes what it has not written.
#[utoipa::path(post, path = "/companies/{companyId}/push/{pushOperationKey}/retry", tag = "Sync",
    operation_id = "retry-push-operation",
    params(("companyId" = String, Path, format = Uuid), ("pushOperationKey" = String, Path, format = Uuid)),
    responses((status = 202, description = "CompanySyncStatus of the item's sync; the retry is queued", body = Object),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, key)): Path<(String, String)>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (item, _) = item(&state, client.id, &company, &key).await?;
    if item.result.status == PushStatus::Success {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_written",
            "This push item was written already: it is never written twice",
        ));
    }
    let sync = state
        .store
        .sync_run(item.company_id, item.sync_id)
        .await?
        .ok_or_else(|| ApiError::internal("push item without its sync"))?;
    retry_sync(&state, &sync).await
}

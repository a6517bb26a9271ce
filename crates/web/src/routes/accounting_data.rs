//! The accounting data read from the linked platform, in Codat's words (v1 Accounting API):
//! `GET /companies/{id}/dataStatus`, `POST /companies/{id}/data/all`,
//! `POST /companies/{id}/data/queue/{dataType}`, `GET /companies/{id}/data/history/{id}`,
//! `GET /companies/{id}/data/accounts[/{accountId}]`, `GET /companies/{id}/data/info`.
//!
//! One read fetches every data type the configuration needs at once (company info, chart of
//! accounts, tax rates, customers, suppliers, tracking categories), so they share a status and
//! a pull operation: the read job. A failed read's `errorMessage` is the platform's reason.

use super::books::books_of;
use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::datetime;
use crate::wire::paging::{PageQuery, Paged};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::reference_data::{Account, ReferenceData};
use domain::{ClientId, CompanyId, ConnectionId, Page};
use engine::connectors::live_accounting;
use engine::reference_read::{READ_JOB, ReadJob, ReadState, queue_read, read_state};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use store::JobRecord;
use utoipa::ToSchema;

/// The data types one read fetches, in Codat's names.
pub const DATA_TYPES: [&str; 6] = [
    "company",
    "chartOfAccounts",
    "taxRates",
    "customers",
    "suppliers",
    "trackingCategories",
];

/// Codat `DataStatus`, with the failed read's reason.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataStatus {
    pub data_type: &'static str,
    pub current_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_successful_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_sync_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_successful_sync_id: Option<String>,
    /// Why the newest read failed (the platform's words), while it is retried or given up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// Codat `PullOperation`: one read of the company's accounting data.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PullOperation {
    pub id: String,
    pub company_id: String,
    pub connection_id: String,
    pub data_type: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub requested: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<String>,
    pub progress: u8,
    pub is_completed: bool,
    pub is_errored: bool,
}

/// Codat's dataset status of a read job.
fn status_word(job: &JobRecord) -> &'static str {
    match job.status.as_str() {
        "queued" => "Queued",
        "running" => "Fetching",
        "done" => "Complete",
        _ => "FetchError",
    }
}

fn pull_operation(company: CompanyId, data_type: &str, job: &JobRecord) -> PullOperation {
    let read: Option<ReadJob> = serde_json::from_value(job.payload.clone()).ok();
    let status = status_word(job);
    let finished = matches!(status, "Complete" | "FetchError");
    PullOperation {
        id: job.id.to_string(),
        company_id: company.to_string(),
        connection_id: read
            .map(|r| r.connection_id.to_string())
            .unwrap_or_default(),
        data_type: data_type.to_owned(),
        status,
        status_description: (job.status == "queued" && job.last_error.is_some())
            .then(|| format!("Retrying after {} failed attempts", job.attempts)),
        error_message: job.last_error.clone().filter(|_| status != "Complete"),
        requested: datetime(job.created),
        completed: finished.then(|| datetime(job.updated)),
        progress: if finished { 100 } else { 0 },
        is_completed: status == "Complete",
        is_errored: status == "FetchError",
    }
}

/// Where each data type of the company stands.
#[utoipa::path(get, path = "/companies/{companyId}/dataStatus", tag = "Accounting data",
    operation_id = "get-company-data-status",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, description = "Status per data type", body = BTreeMap<String, DataStatus>),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn data_status(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Json<BTreeMap<&'static str, DataStatus>>, ApiError> {
    let company = company_id(&company)?;
    state
        .store
        .company(client.id, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let stored = state.store.reference_data(client.id, company).await?;
    let read = read_state(state.store.as_ref(), company).await?;
    let successful = state
        .store
        .company_jobs_of_kind(company, READ_JOB, 20)
        .await?
        .into_iter()
        .find(|j| j.status == "done");
    let (current, job) = match (&read, &stored) {
        (ReadState::NeverRead, Some(_)) => ("Complete", None),
        (ReadState::NeverRead, None) => ("Initial", None),
        (other, _) => (other.job().map_or("Initial", status_word), other.job()),
    };
    let status = |data_type| DataStatus {
        data_type,
        current_status: current,
        last_successful_sync: stored.as_ref().map(|s| datetime(s.fetched)),
        latest_sync_id: job.map(|j| j.id.to_string()),
        latest_successful_sync_id: successful.as_ref().map(|j| j.id.to_string()),
        error_message: job
            .and_then(|j| j.last_error.clone())
            .filter(|_| current != "Complete"),
    };
    Ok(Json(DATA_TYPES.iter().map(|t| (*t, status(t))).collect()))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueQuery {
    connection_id: Option<String>,
}

/// The linked accounting connection to read (the one named, else the company's), or why not.
async fn connection_to_read(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    named: Option<&str>,
) -> Result<ConnectionId, ApiError> {
    let connections = state
        .store
        .list_connections(client, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let connection = match named {
        Some(raw) => {
            let id = super::connection_id(raw)?;
            connections
                .iter()
                .find(|c| c.id == id)
                .ok_or_else(|| ApiError::connection_not_found(id))?
        }
        None => live_accounting(&connections).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "accounting_not_connected",
                format!("Company {company} has no accounting connection to read from: create one and have the merchant link it"),
            )
        })?,
    };
    if connection.status != domain::ConnectionStatus::Linked {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "accounting_not_linked",
            format!(
                "Connection {} is {:?}: the merchant must link it (open its linkUrl) before its data can be read",
                connection.id, connection.status
            ),
        ));
    }
    if !engine::connectors::is_accounting(connection.platform_key) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_an_accounting_connection",
            format!(
                "Connection {} is the commerce source; its data is pushed, not read",
                connection.id
            ),
        ));
    }
    Ok(connection.id)
}

/// Read every data type from the accounting platform again.
#[utoipa::path(post, path = "/companies/{companyId}/data/all", tag = "Accounting data",
    operation_id = "refresh-company-data",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 204, description = "A read is queued (or one already was)"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn refresh_all(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<StatusCode, ApiError> {
    let company = company_id(&company)?;
    let connection = connection_to_read(&state, client.id, company, None).await?;
    queue_read(state.store.as_ref(), company, connection, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read one data type again (a read fetches them all; the operation names the type asked).
#[utoipa::path(post, path = "/companies/{companyId}/data/queue/{dataType}", tag = "Accounting data",
    operation_id = "refresh-data-type",
    params(("companyId" = String, Path, format = Uuid), ("dataType" = String, Path),
        ("connectionId" = Option<String>, Query, format = Uuid)),
    responses((status = 200, body = PullOperation), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn refresh_type(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, data_type)): Path<(String, String)>,
    Query(query): Query<QueueQuery>,
) -> Result<Json<PullOperation>, ApiError> {
    let company = company_id(&company)?;
    if !DATA_TYPES.contains(&data_type.as_str()) {
        return Err(ApiError::invalid(vec![ValidationItem::parameter(
            "dataType",
            format!(
                "dataType {data_type:?} is not read from accounting platforms here; one of {}",
                DATA_TYPES.join(", ")
            ),
        )]));
    }
    let connection =
        connection_to_read(&state, client.id, company, query.connection_id.as_deref()).await?;
    let id = queue_read(state.store.as_ref(), company, connection, state.clock.now()).await?;
    let jobs = state
        .store
        .company_jobs_of_kind(company, READ_JOB, 20)
        .await?;
    let job = jobs
        .iter()
        .find(|j| j.id == id)
        .ok_or_else(|| ApiError::internal(format!("queued read {id} not found")))?;
    Ok(Json(pull_operation(company, &data_type, job)))
}

/// One read of the company's accounting data.
#[utoipa::path(get, path = "/companies/{companyId}/data/history/{datasetId}", tag = "Accounting data",
    operation_id = "get-pull-operation",
    params(("companyId" = String, Path, format = Uuid), ("datasetId" = String, Path, format = Uuid)),
    responses((status = 200, body = PullOperation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn pull_operation_status(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, dataset)): Path<(String, String)>,
) -> Result<Json<PullOperation>, ApiError> {
    let company = company_id(&company)?;
    state
        .store
        .company(client.id, company)
        .await?
        .ok_or_else(|| ApiError::company_not_found(company))?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "pull_operation_not_found",
            format!("No read {dataset} was found for company {company}"),
        )
    };
    let id: uuid::Uuid = dataset.parse().map_err(|_| not_found())?;
    let jobs = state
        .store
        .company_jobs_of_kind(company, READ_JOB, 100)
        .await?;
    let job = jobs.iter().find(|j| j.id == id).ok_or_else(not_found)?;
    Ok(Json(pull_operation(company, "all", job)))
}

/// Codat `AccountingAccount`.
fn account_body(a: &Account, reference: &ReferenceData) -> Value {
    json!({
        "id": a.id,
        "nominalCode": a.nominal_code,
        "name": a.name,
        "fullyQualifiedCategory": a.fully_qualified_category,
        "fullyQualifiedName": a.fully_qualified_category.as_ref().map(|c| format!("{c}.{}", a.name)),
        "currency": a.currency.clone().unwrap_or_else(|| reference.company.base_currency.clone()),
        "type": a.account_type,
        "status": a.status,
        "isBankAccount": a.is_bank_account,
        "metadata": {"isDeleted": false},
    })
}

/// The chart of accounts as last read.
#[utoipa::path(get, path = "/companies/{companyId}/data/accounts", tag = "Accounting data",
    operation_id = "list-accounting-accounts",
    params(("companyId" = String, Path, format = Uuid), PageQuery),
    responses((status = 200, description = "Codat `AccountingAccounts`", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not read yet: being read, failed, or nothing linked", body = ErrorBody)))]
pub async fn accounts(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Paged<Value>>, ApiError> {
    let company = company_id(&company)?;
    let request = query.parse()?;
    let books = books_of(&state, client.id, company).await?;
    let all = &books.reference.accounts;
    let start = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let items: Vec<&Account> = all
        .iter()
        .skip(start)
        .take(request.page_size as usize)
        .collect();
    let page = Page {
        items,
        request,
        total: all.len() as u64,
    };
    let path = format!("/companies/{company}/data/accounts");
    Ok(Json(Paged::new(page, &path, |a| {
        account_body(a, &books.reference)
    })))
}

/// One account as last read.
#[utoipa::path(get, path = "/companies/{companyId}/data/accounts/{accountId}", tag = "Accounting data",
    operation_id = "get-accounting-account",
    params(("companyId" = String, Path, format = Uuid), ("accountId" = String, Path)),
    responses((status = 200, description = "Codat `AccountingAccount`", body = Object),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn account(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, account)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let company = company_id(&company)?;
    let books = books_of(&state, client.id, company).await?;
    let found = books.reference.account(&account).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "account_not_found",
            format!("No account {account:?} in the books of company {company}"),
        )
    })?;
    Ok(Json(account_body(found, &books.reference)))
}

/// The company as its accounting platform knows it (Codat `AccountingCompanyDataset`).
#[utoipa::path(get, path = "/companies/{companyId}/data/info", tag = "Accounting data",
    operation_id = "get-accounting-company-info",
    params(("companyId" = String, Path, format = Uuid)),
    responses((status = 200, description = "Codat `AccountingCompanyDataset`, with `countryCode`, `taxBasis` and `automatedSalesTax`", body = Object),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn info(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let company = company_id(&company)?;
    let books = books_of(&state, client.id, company).await?;
    let stored = state.store.reference_data(client.id, company).await?;
    let c = &books.reference.company;
    Ok(Json(json!({
        "companyName": c.name,
        "accountingPlatformRef": c.platform_ref,
        "baseCurrency": c.base_currency,
        "countryCode": c.country,
        "taxBasis": c.tax_basis,
        "automatedSalesTax": c.automated_sales_tax,
        "sourceUrls": {},
        "createdDate": stored.map(|s| datetime(s.fetched)),
    })))
}

//! Data push: the client's commerce records arrive as datasets, stored in the background.
//!
//! Paths: the beta `POST /data/companies/{companyId}/sync/commerce-…` (orders, payments,
//! transactions), the partner `POST /companies/{companyId}/data/commerce-…` (the same three)
//! and `PUT /companies/{companyId}/data/commerce-…` (locations, products, productCategories,
//! paymentMethods, taxComponents, customers), and the status at
//! `GET /meta/companies/{companyId}/pull/history/{datasetId}`.

use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::BodyBytes;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::datetime;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::commerce::DatasetKind;
use engine::IngestError;
use serde::Serialize;
use store::{Dataset, DatasetId};
use utoipa::ToSchema;

/// The sales records pushed with POST; the catalogue kinds are upserted with PUT.
const SALES: [DatasetKind; 3] = [
    DatasetKind::Orders,
    DatasetKind::Payments,
    DatasetKind::Transactions,
];

/// A dataset's status (Codat's pull-operation shape, with our counts and rejections).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatasetBody {
    /// The same id as `id`, under the name the push answer uses.
    #[schema(value_type = String, format = Uuid)]
    pub dataset_id: String,
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub company_id: String,
    pub connection_id: Option<String>,
    pub data_type: String,
    /// Queued, Processing, Complete, ValidationError, ProcessingError or InternalError.
    pub status: &'static str,
    pub error_message: Option<String>,
    pub requested: String,
    pub completed: Option<String>,
    pub progress: u8,
    pub is_completed: bool,
    pub is_errored: bool,
    pub counts: CountsBody,
    /// One item per problem of each rejected record (`itemId` is the record's id).
    pub validation: RejectionsBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountsBody {
    pub received: u64,
    pub inserted: u64,
    pub modified: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub rejected: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectionsBody {
    pub errors: Vec<ValidationItem>,
}

impl DatasetBody {
    fn new(dataset: Dataset) -> Self {
        let finished = dataset.status.is_finished();
        Self {
            dataset_id: dataset.id.0.to_string(),
            id: dataset.id.0.to_string(),
            company_id: dataset.company_id.to_string(),
            connection_id: dataset.connection_id.map(|c| c.to_string()),
            data_type: dataset.kind.data_type(),
            status: dataset.status.as_str(),
            error_message: dataset.error_message,
            requested: datetime(dataset.requested),
            completed: dataset.completed.map(datetime),
            progress: if finished { 100 } else { 0 },
            is_completed: finished && !dataset.status.is_errored(),
            is_errored: dataset.status.is_errored(),
            counts: CountsBody {
                received: dataset.counts.received,
                inserted: dataset.counts.inserted,
                modified: dataset.counts.modified,
                unchanged: dataset.counts.unchanged,
                deleted: dataset.counts.deleted,
                rejected: dataset.counts.rejected,
            },
            validation: RejectionsBody {
                errors: dataset
                    .rejections
                    .into_iter()
                    .map(|r| ValidationItem {
                        item_id: r.id,
                        pointer: Some(r.pointer),
                        message: r.message,
                        validator_name: r.rule,
                    })
                    .collect(),
            },
        }
    }
}

fn kind(
    raw: &str,
    allowed: impl Fn(DatasetKind) -> bool,
    verb: &str,
) -> Result<DatasetKind, ApiError> {
    let kinds: Vec<String> = DatasetKind::ALL
        .into_iter()
        .filter(|k| allowed(*k))
        .map(|k| k.data_type())
        .collect();
    DatasetKind::from_data_type(raw)
        .filter(|k| allowed(*k))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_data_type",
                format!(
                    "{verb} takes the data types {}; {raw:?} is not one of them",
                    kinds.join(", ")
                ),
            )
        })
}

async fn accept(
    state: AppState,
    client: AuthClient,
    company: &str,
    kind: DatasetKind,
    body: axum::body::Bytes,
) -> Result<Json<DatasetBody>, ApiError> {
    let company = company_id(company)?;
    let dataset = state
        .ingest
        .accept_body(client.0.id, company, kind, body)
        .await
        .map_err(|e| match e {
            IngestError::Invalid(errors) => ApiError::invalid(
                errors
                    .into_iter()
                    .map(|(p, m)| ValidationItem::at(p, m))
                    .collect(),
            ),
            IngestError::CompanyNotFound => ApiError::company_not_found(company),
            IngestError::Store(e) => e.into(),
        })?;
    tracing::info!(company_id = %company, dataset_id = %dataset.id.0, data_type = %kind.data_type(), received = dataset.counts.received, "dataset queued");
    Ok(Json(DatasetBody::new(dataset)))
}

/// Push a dataset of orders, payments or transactions (beta path).
#[utoipa::path(post, path = "/data/companies/{companyId}/sync/{dataType}", tag = "Data push", operation_id = "send-data",
    params(("companyId" = String, Path, format = Uuid), ("dataType" = String, Path, example = "commerce-orders")),
    request_body(content = Object, description = "`{\"contractVersion\", \"orders\"|\"payments\"|\"transactions\": [...]}` (at most 5,000 records)"),
    responses((status = 200, body = DatasetBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn push_sales(
    State(state): State<AppState>,
    client: AuthClient,
    Path((company, data_type)): Path<(String, String)>,
    BodyBytes(body): BodyBytes,
) -> Result<Json<DatasetBody>, ApiError> {
    let kind = kind(&data_type, |k| SALES.contains(&k), "POST")?;
    accept(state, client, &company, kind, body).await
}

/// Push records (partner path): POST for orders, payments, transactions; PUT upserts the others.
#[utoipa::path(post, path = "/companies/{companyId}/data/{dataType}", tag = "Data push", operation_id = "post-commerce-data",
    params(("companyId" = String, Path, format = Uuid), ("dataType" = String, Path, example = "commerce-orders")),
    request_body(content = Object, description = "an array of records, or the beta envelope"),
    responses((status = 200, body = DatasetBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn post_records(
    state: State<AppState>,
    client: AuthClient,
    path: Path<(String, String)>,
    body: BodyBytes,
) -> Result<Json<DatasetBody>, ApiError> {
    push_sales(state, client, path, body).await
}

/// Upsert locations, products, product categories, payment methods, tax components or customers.
#[utoipa::path(put, path = "/companies/{companyId}/data/{dataType}", tag = "Data push", operation_id = "put-commerce-data",
    params(("companyId" = String, Path, format = Uuid), ("dataType" = String, Path, example = "commerce-locations")),
    request_body(content = Object, description = "an array of records, or `{\"ContractVersion\", \"ProductCategories\": [...]}`"),
    responses((status = 200, body = DatasetBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_records(
    State(state): State<AppState>,
    client: AuthClient,
    Path((company, data_type)): Path<(String, String)>,
    BodyBytes(body): BodyBytes,
) -> Result<Json<DatasetBody>, ApiError> {
    let kind = kind(&data_type, |k| !SALES.contains(&k), "PUT")?;
    accept(state, client, &company, kind, body).await
}

/// A dataset's status and counts.
#[utoipa::path(get, path = "/meta/companies/{companyId}/pull/history/{datasetId}", tag = "Data push", operation_id = "check-data-status",
    params(("companyId" = String, Path, format = Uuid), ("datasetId" = String, Path, format = Uuid)),
    responses((status = 200, body = DatasetBody), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, dataset)): Path<(String, String)>,
) -> Result<Json<DatasetBody>, ApiError> {
    let company = company_id(&company)?;
    let id = dataset.parse().map(DatasetId).map_err(|_| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "datasetId",
            format!("datasetId must be a UUID, found {dataset:?}"),
        )])
    })?;
    let dataset = state
        .store
        .dataset(client.id, company, id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "dataset_not_found",
                format!("No dataset with id {} was found for this company", id.0),
            )
        })?;
    Ok(Json(DatasetBody::new(dataset)))
}

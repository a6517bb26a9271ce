//! Errors as the client sees them: Codat's error shape, plus a stable `code` and a
//! `validation.errors` list naming every bad field by JSON pointer.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The request id of the request being answered; set by the request-id middleware so
    /// that every error body carries it as `correlationId`.
    pub static CORRELATION_ID: String;
}

/// One bad field or item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValidationItem {
    /// The bad item's id, where it has one (a record id, a path parameter's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// JSON pointer (RFC 6901) of the bad field in the request body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub message: String,
    pub validator_name: String,
}

impl ValidationItem {
    /// A bad field of the request body.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            item_id: None,
            pointer: Some(pointer.into()),
            message: message.into(),
            validator_name: "RequestBody".into(),
        }
    }

    /// A bad path or query parameter.
    pub fn parameter(name: &str, message: impl Into<String>) -> Self {
        Self {
            item_id: Some(name.to_owned()),
            pointer: None,
            message: message.into(),
            validator_name: "Parameter".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Validation {
    pub errors: Vec<ValidationItem>,
    pub warnings: Vec<ValidationItem>,
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: u16,
    pub service: &'static str,
    /// A sentence for a person.
    pub error: String,
    /// A stable, machine-readable code (e.g. `company_not_found`).
    pub code: &'static str,
    pub correlation_id: String,
    /// "True" when the same request may succeed later (Codat sends this as a string).
    pub can_be_retried: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub errors: Vec<ValidationItem>,
    /// Seconds after which the same request may succeed (`Retry-After`).
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// The same error, telling the client when to ask again.
    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 400 listing every bad field.
    pub fn invalid(errors: Vec<ValidationItem>) -> Self {
        let message = match errors.as_slice() {
            [only] => format!("The request is invalid: {}", only.message),
            many => format!(
                "The request is invalid: {} problems, listed in validation.errors",
                many.len()
            ),
        };
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "validation_failed",
            message,
            errors,
            retry_after: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn company_not_found(id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "company_not_found",
            format!("No company with id {id} was found"),
        )
    }

    pub fn connection_not_found(id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "connection_not_found",
            format!("No connection with id {id} was found for this company"),
        )
    }

    /// A failure on our side; the detail goes to the log, not to the client.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side; quote the correlationId when reporting it",
        )
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retriable = self.status.is_server_error()
            || self.status == StatusCode::TOO_MANY_REQUESTS
            || self.retry_after.is_some();
        let retry_after = self.retry_after;
        let body = ErrorBody {
            status_code: self.status.as_u16(),
            service: "commerce-sync",
            error: self.message,
            code: self.code,
            correlation_id: CORRELATION_ID.try_with(Clone::clone).unwrap_or_default(),
            can_be_retried: if retriable { "True" } else { "False" },
            validation: (!self.errors.is_empty()).then(|| Validation {
                errors: self.errors,
                warnings: Vec::new(),
            }),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

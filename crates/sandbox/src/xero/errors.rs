//! Xero's error shapes: `ValidationException` (ErrorNumber 10) with the rejected elements and
//! their `ValidationErrors`, `PostDataInvalidException` for unreadable bodies, RFC 7807-style
//! problems for 401/403/429, and the rate-limit headers on every answer.

use crate::oauth::TokenProblem;
use crate::pipeline::{Answer, ApiError, Issue};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub fn messages(issues: &[Issue]) -> Value {
    Value::Array(
        issues
            .iter()
            .map(|i| json!({"Message": i.message}))
            .collect(),
    )
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "Type": null,
            "Title": title,
            "Status": status.as_u16(),
            "Detail": detail,
            "Instance": uuid::Uuid::new_v4().to_string(),
            "Extensions": {},
        })),
    )
        .into_response()
}

fn error(e: ApiError) -> Response {
    match e {
        ApiError::Token(p) => {
            let (detail, www) = match p {
                TokenProblem::Expired(at) => (
                    format!("TokenExpired: token expired at {at}"),
                    "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
                ),
                _ => ("AuthenticationUnsuccessful".to_owned(), "Bearer error=\"invalid_token\""),
            };
            let mut r = problem(StatusCode::UNAUTHORIZED, "Unauthorized", &detail);
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(www));
            r
        }
        ApiError::Forbidden => problem(StatusCode::FORBIDDEN, "Forbidden", "AuthenticationUnsuccessful"),
        ApiError::MissingTenant => problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "AuthorizationUnsuccessful: the xero-tenant-id header is missing",
        ),
        ApiError::Limited(l) => {
            let mut r = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                &format!("Rate limit exceeded: {}", l.problem()),
            );
            let h = r.headers_mut();
            h.insert(header::RETRY_AFTER, HeaderValue::from(l.retry_after()));
            h.insert("X-Rate-Limit-Problem", HeaderValue::from_static(l.problem()));
            r
        }
        ApiError::ServerError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({
                "Title": "An error occurred",
                "Detail": "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.",
                "Status": 500,
            })),
        )
            .into_response(),
        ApiError::GatewayTimeout => (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout").into_response(),
        ApiError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            "The resource you're looking for cannot be found",
        )
            .into_response(),
        ApiError::BadRequest(m) => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": m})),
        )
            .into_response(),
        ApiError::Validation(bad) => {
            let elements: Vec<Value> = bad
                .into_iter()
                .map(|(mut el, issues)| {
                    if !el.is_object() {
                        el = json!({});
                    }
                    el["ValidationErrors"] = messages(&issues);
                    el
                })
                .collect();
            (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({
                    "ErrorNumber": 10,
                    "Type": "ValidationException",
                    "Message": "A validation exception occurred",
                    "Elements": elements,
                })),
            )
                .into_response()
        }
    }
}

/// Renders an answer, adding `X-DayLimit-Remaining` / `X-MinLimit-Remaining` when known.
pub fn render(a: Answer) -> Response {
    let mut r = match a.result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => error(e),
    };
    if let Some(rem) = a.remaining {
        let h = r.headers_mut();
        h.insert("X-MinLimit-Remaining", HeaderValue::from(rem.minute));
        if let Some(d) = rem.day {
            h.insert("X-DayLimit-Remaining", HeaderValue::from(d));
        }
        h.insert("X-AppMinLimit-Remaining", HeaderValue::from(9999u32));
    }
    r
}

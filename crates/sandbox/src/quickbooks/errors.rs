//! QuickBooks' error shapes: `{"Fault": {"Error": [{"Message","Detail","code","element"}],
//! "type"}, "time"}` with Intuit's codes; 401 answers in the lower-case `fault` form the
//! platform really uses for authentication failures. 429s carry no `Retry-After` (Intuit does
//! not promise one): back off.

use super::refs::time;
use crate::oauth::TokenProblem;
use crate::pipeline::{Answer, ApiError, Issue};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

fn message_for(code: &str) -> &'static str {
    match code {
        "500" => "Unsupported Operation",
        "610" => "Object Not Found",
        "2010" => "Request has invalid or unsupported property",
        "2020" => "Required param missing, need to supply the required value for the API",
        "2070" => "Invalid Date",
        "2170" => "Invalid Enumeration",
        "2500" => "Invalid Reference Id",
        "4000" => "Error parsing query",
        "5010" => "Stale Object Error",
        "6070" => "Amount calculation incorrect",
        "6140" => "Duplicate Document Number Error",
        "6240" => "Duplicate Name Exists Error",
        _ => "A business validation error has occurred while processing your request",
    }
}

fn fault(status: StatusCode, kind: &str, errors: Vec<Value>) -> Response {
    let now = jiff::Timestamp::now();
    (
        status,
        axum::Json(json!({"Fault": {"Error": errors, "type": kind}, "time": time(now)})),
    )
        .into_response()
}

fn one(code: &str, message: &str, detail: &str) -> Vec<Value> {
    vec![json!({"Message": message, "Detail": detail, "code": code, "element": ""})]
}

fn issues(list: &[Issue]) -> Vec<Value> {
    list.iter()
        .map(|i| json!({"Message": message_for(i.code), "Detail": i.message, "code": i.code, "element": ""}))
        .collect()
}

fn error(e: ApiError) -> Response {
    match e {
        ApiError::Token(p) => {
            let detail = match p {
                TokenProblem::Expired(at) => format!("Token expired: {at}"),
                TokenProblem::Missing => "Authorization header is missing".to_owned(),
                TokenProblem::Unknown => "Token invalid".to_owned(),
            };
            let mut r = (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"fault": {"error": [{
                    "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "detail": detail, "code": "3200"}], "type": "AUTHENTICATION"},
                    "time": time(jiff::Timestamp::now())})),
            )
                .into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Intuit\", error=\"invalid_token\""),
            );
            r
        }
        ApiError::Forbidden | ApiError::MissingTenant => fault(
            StatusCode::FORBIDDEN,
            "SERVICE",
            one(
                "3100",
                "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                "",
            ),
        ),
        ApiError::Limited(_) => fault(
            StatusCode::TOO_MANY_REQUESTS,
            "SERVICE",
            one(
                "3001",
                "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                "The request limit was reached.",
            ),
        ),
        ApiError::ServerError => fault(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SystemFault",
            one(
                "10000",
                "An application error has occurred while processing your request",
                "System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.",
            ),
        ),
        ApiError::GatewayTimeout => {
            (StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout").into_response()
        }
        ApiError::NotFound(what) => fault(
            StatusCode::BAD_REQUEST,
            "ValidationFault",
            one(
                "610",
                "Object Not Found",
                &format!(
                    "Object Not Found : Something you're trying to use has been made inactive or is not found: {what}"
                ),
            ),
        ),
        ApiError::BadRequest(m) => fault(
            StatusCode::BAD_REQUEST,
            "ValidationFault",
            one("2010", message_for("2010"), &m),
        ),
        ApiError::Validation(bad) => {
            let all: Vec<Issue> = bad.into_iter().flat_map(|(_, i)| i).collect();
            fault(StatusCode::BAD_REQUEST, "ValidationFault", issues(&all))
        }
    }
}

pub fn render(a: Answer) -> Response {
    match a.result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => error(e),
    }
}

//! The QuickBooks Online sandbox: Intuit's OAuth endpoints and the v3 Accounting API subset
//! our connector uses, at Intuit's paths under `/quickbooks`
//! (`/quickbooks/v3/company/{realmId}/invoice`, `…/query?query=select …`).

mod delete;
mod errors;
mod journals;
mod names;
mod payments;
mod purchases;
mod query;
mod refs;
mod sales;
pub(crate) mod seed;

use crate::oauth;
use crate::pipeline::{self, Answer, ApiError, Call, Issue};
use crate::state::{PlatformKind, SandboxState};
use crate::tenant::Tenant;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde_json::{Value, json};
use std::collections::HashMap;

const KIND: PlatformKind = PlatformKind::QuickBooks;

/// Entities by their path segment (lower case), with their JSON name.
const ENTITIES: [&str; 20] = [
    "Account",
    "Bill",
    "BillPayment",
    "Class",
    "CompanyInfo",
    "CreditMemo",
    "Customer",
    "Department",
    "Deposit",
    "Invoice",
    "Item",
    "JournalEntry",
    "Payment",
    "RefundReceipt",
    "TaxCode",
    "TaxRate",
    "Transfer",
    "Vendor",
    "VendorCredit",
    "Preferences",
];

fn entity(segment: &str) -> Option<&'static str> {
    ENTITIES
        .iter()
        .copied()
        .find(|e| e.eq_ignore_ascii_case(segment))
}

fn bearer(h: &HeaderMap) -> Option<&str> {
    h.get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn call<'a>(h: &'a HeaderMap, realm: &'a str, idem: Option<String>) -> Call<'a> {
    Call {
        kind: KIND,
        token: bearer(h),
        tenant: Some(realm),
        idempotency_key: idem,
    }
}

fn reply(name: &str, v: Value, now: Timestamp) -> Value {
    json!({name: v, "time": refs::time(now)})
}

fn unsupported(what: &str) -> ApiError {
    ApiError::Validation(vec![(
        Value::Null,
        vec![Issue::new("500", format!("Unsupported Operation: {what}"))],
    )])
}

fn create(t: &mut Tenant, now: Timestamp, name: &str, v: &Value) -> Result<Value, Vec<Issue>> {
    use sales::Sale;
    let is_update = v.get("Id").is_some();
    if is_update && !matches!(name, "Account" | "Customer" | "Vendor") {
        return Err(vec![refs::business(format!(
            "Updating a {name} is not supported by this sandbox; create a new one."
        ))]);
    }
    match name {
        "Invoice" => sales::create(t, now, v, Sale::Invoice),
        "CreditMemo" => sales::create(t, now, v, Sale::CreditMemo),
        "RefundReceipt" => sales::create(t, now, v, Sale::RefundReceipt),
        "Bill" => purchases::create_bill(t, now, v, false),
        "VendorCredit" => purchases::create_bill(t, now, v, true),
        "BillPayment" => purchases::create_bill_payment(t, now, v),
        "Payment" => payments::create_payment(t, now, v),
        "Deposit" => payments::create_deposit(t, now, v),
        "Transfer" => payments::create_transfer(t, now, v),
        "JournalEntry" => journals::create(t, now, v),
        "Account" | "Customer" | "Vendor" => names::save(t, now, v, name),
        _ => Err(vec![Issue::new(
            "500",
            format!("Unsupported Operation: create {name}"),
        )]),
    }
}

async fn write(
    s: SandboxState,
    h: HeaderMap,
    realm: String,
    segment: String,
    q: HashMap<String, String>,
    body: Bytes,
) -> Response {
    let idem = q.get("requestid").map(|r| format!("requestid:{r}"));
    if q.get("requestid").is_some_and(|r| r.len() > 50) {
        let a = Answer {
            result: Err(ApiError::BadRequest(
                "requestid must be at most 50 characters".into(),
            )),
            remaining: None,
        };
        return errors::render(a);
    }
    let answer = pipeline::run(&s, call(&h, &realm, idem), |t, now| {
        let name = entity(&segment).ok_or_else(|| unsupported(&segment))?;
        let v: Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest(format!("Error parsing object: {e}")))?;
        if !v.is_object() {
            return Err(ApiError::BadRequest("Expected a JSON object".into()));
        }
        let doc = match q.get("operation").map(String::as_str) {
            None | Some("create" | "update") => create(t, now, name, &v),
            Some("delete") => delete::delete(t, name, &v),
            Some(other) => Err(vec![Issue::new(
                "500",
                format!("Unsupported Operation: {other}"),
            )]),
        }
        .map_err(|i| ApiError::Validation(vec![(v.clone(), i)]))?;
        Ok(reply(name, doc, now))
    })
    .await;
    errors::render(answer)
}

async fn read(
    s: SandboxState,
    h: HeaderMap,
    realm: String,
    segment: String,
    id: String,
) -> Response {
    let answer = pipeline::run(&s, call(&h, &realm, None), |t, now| {
        let name = entity(&segment).ok_or_else(|| unsupported(&segment))?;
        // CompanyInfo is addressed by the realm id.
        let found = if name == "CompanyInfo" {
            t.list(name).first()
        } else {
            t.find(name, "Id", &id)
        };
        let found = found
            .cloned()
            .ok_or_else(|| ApiError::NotFound(format!("{name} {id}")))?;
        Ok(reply(name, found, now))
    })
    .await;
    errors::render(answer)
}

async fn run_query(s: SandboxState, h: HeaderMap, realm: String, text: String) -> Response {
    let answer = pipeline::run(&s, call(&h, &realm, None), |t, now| {
        let invalid = |i: Issue| ApiError::Validation(vec![(Value::Null, vec![i])]);
        let q = query::parse(&text).map_err(invalid)?;
        let name = entity(&q.entity).ok_or_else(|| {
            invalid(Issue::new(
                "4000",
                format!("QueryValidationError: Unsupported entity {}", q.entity),
            ))
        })?;
        Ok(json!({"QueryResponse": q.run(name, t.list(name)), "time": refs::time(now)}))
    })
    .await;
    errors::render(answer)
}

async fn discovery(s: SandboxState) -> Response {
    let base = format!("{}/quickbooks", s.inner.base_url);
    axum::Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/connect/oauth2"),
        "token_endpoint": format!("{base}/oauth2/v1/tokens/bearer"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["com.intuit.quickbooks.accounting", "openid"],
    }))
    .into_response()
}

type Q = Query<HashMap<String, String>>;

/// Everything under `/quickbooks`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/connect/oauth2",
            get(|State(s): State<SandboxState>, q| oauth::authorize_page(s, KIND, q))
                .post(|State(s): State<SandboxState>, f| oauth::consent(s, KIND, f)),
        )
        .route(
            "/oauth2/v1/tokens/bearer",
            post(|State(s): State<SandboxState>, h: HeaderMap, f| oauth::token(s, KIND, h, f)),
        )
        .route(
            "/.well-known/openid_configuration",
            get(|State(s): State<SandboxState>| discovery(s)),
        )
        .route(
            "/v3/company/{realm}/query",
            get(
                |State(s): State<SandboxState>,
                 h: HeaderMap,
                 Path(realm): Path<String>,
                 Query(q): Q| {
                    let text = q.get("query").cloned().unwrap_or_default();
                    run_query(s, h, realm, text)
                },
            )
            .post(
                |State(s): State<SandboxState>,
                 h: HeaderMap,
                 Path(realm): Path<String>,
                 b: Bytes| {
                    run_query(s, h, realm, String::from_utf8_lossy(&b).into_owned())
                },
            ),
        )
        .route(
            "/v3/company/{realm}/{entity}",
            post(
                |State(s): State<SandboxState>,
                 h: HeaderMap,
                 Path((realm, e)): Path<(String, String)>,
                 Query(q): Q,
                 b: Bytes| { write(s, h, realm, e, q, b) },
            ),
        )
        .route(
            "/v3/company/{realm}/{entity}/{id}",
            get(
                |State(s): State<SandboxState>,
                 h: HeaderMap,
                 Path((realm, e, id)): Path<(String, String, String)>| {
                    read(s, h, realm, e, id)
                },
            ),
        )
        .merge(crate::control::routes(KIND))
}

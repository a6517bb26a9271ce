//! The Xero sandbox: identity (OAuth 2.0, connections) and the Accounting API subset our
//! connector uses, at Xero's paths under `/xero` (`/xero/api.xro/2.0/Invoices`, …).

mod banking;
mod errors;
mod invoices;
mod journals;
mod payments;
mod query;
mod refs;
pub(crate) mod seed;
mod settings;

use crate::money::xero_timestamp;
use crate::oauth;
use crate::pipeline::{self, ApiError, Call, Issue};
use crate::state::{PlatformKind, SandboxState};
use crate::tenant::{Tenant, lock};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use jiff::Timestamp;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

const KIND: PlatformKind = PlatformKind::Xero;

/// Builds one element of a write; `Err` carries the element's validation messages.
type Create = fn(&mut Tenant, Timestamp, &Value, Option<&str>) -> Result<Value, Vec<Issue>>;

/// A readable collection: its name in the envelope, the id field, and an optional number field
/// that `GET /{collection}/{id}` also accepts.
#[derive(Clone, Copy)]
struct Coll {
    name: &'static str,
    id: &'static str,
    number: Option<&'static str>,
}

const INVOICES: Coll = Coll {
    name: "Invoices",
    id: "InvoiceID",
    number: Some("InvoiceNumber"),
};
const CREDIT_NOTES: Coll = Coll {
    name: "CreditNotes",
    id: "CreditNoteID",
    number: Some("CreditNoteNumber"),
};
const PAYMENTS: Coll = Coll {
    name: "Payments",
    id: "PaymentID",
    number: None,
};
const BANK_TRANSACTIONS: Coll = Coll {
    name: "BankTransactions",
    id: "BankTransactionID",
    number: None,
};
const BANK_TRANSFERS: Coll = Coll {
    name: "BankTransfers",
    id: "BankTransferID",
    number: None,
};
const MANUAL_JOURNALS: Coll = Coll {
    name: "ManualJournals",
    id: "ManualJournalID",
    number: None,
};
const ACCOUNTS: Coll = Coll {
    name: "Accounts",
    id: "AccountID",
    number: Some("Code"),
};
const CONTACTS: Coll = Coll {
    name: "Contacts",
    id: "ContactID",
    number: Some("ContactNumber"),
};
const TAX_RATES: Coll = Coll {
    name: "TaxRates",
    id: "TaxType",
    number: None,
};
const TRACKING: Coll = Coll {
    name: "TrackingCategories",
    id: "TrackingCategoryID",
    number: None,
};

fn bearer(h: &HeaderMap) -> Option<&str> {
    h.get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn call<'a>(h: &'a HeaderMap, idem: Option<String>) -> Call<'a> {
    Call {
        kind: KIND,
        token: bearer(h),
        tenant: h.get("xero-tenant-id").and_then(|v| v.to_str().ok()),
        idempotency_key: idem,
    }
}

/// Xero's response envelope.
pub(crate) fn envelope(name: &str, items: Vec<Value>, now: Timestamp) -> Value {
    let mut m = Map::new();
    m.insert("Id".into(), json!(uuid::Uuid::new_v4().to_string()));
    m.insert("Status".into(), json!("OK"));
    m.insert("ProviderName".into(), json!("commerce-sync sandbox"));
    m.insert("DateTimeUTC".into(), xero_timestamp(now));
    m.insert(name.into(), Value::Array(items));
    Value::Object(m)
}

/// The elements of a write body: `{"Invoices": [...]}` or one bare object.
fn elements(body: &Bytes, name: &str) -> Result<Vec<Value>, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("The request body could not be read: {e}")))?;
    match v.get(name) {
        Some(Value::Array(a)) => Ok(a.clone()),
        Some(_) => Err(ApiError::BadRequest(format!("{name} must be an array"))),
        None if v.is_object() => Ok(vec![v]),
        None => Err(ApiError::BadRequest("Expected a JSON object".into())),
    }
}

async fn list(s: SandboxState, h: HeaderMap, q: HashMap<String, String>, c: Coll) -> Response {
    let answer = pipeline::run(&s, call(&h, None), |t, now| {
        let items = query::select(t.list(c.name), &q, c)?;
        Ok(envelope(c.name, items, now))
    })
    .await;
    errors::render(answer)
}

async fn one(s: SandboxState, h: HeaderMap, id: String, c: Coll) -> Response {
    let answer = pipeline::run(&s, call(&h, None), |t, now| {
        let found = t
            .find(c.name, c.id, &id)
            .or_else(|| c.number.and_then(|n| t.find(c.name, n, &id)))
            .cloned()
            .ok_or_else(|| ApiError::NotFound(id.clone()))?;
        Ok(envelope(c.name, vec![found], now))
    })
    .await;
    errors::render(answer)
}

/// A write: every element is built on a draft of the books, and the draft replaces the books
/// only if all succeed (or, with `summarizeErrors=false`, the good ones are kept and each
/// element reports its own status, as Xero does).
#[allow(clippy::too_many_arguments)]
async fn write(
    s: SandboxState,
    h: HeaderMap,
    q: HashMap<String, String>,
    id: Option<String>,
    body: Bytes,
    name: &'static str,
    op: &'static str,
    create: Create,
) -> Response {
    let idem = h
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{op} {name}:{k}"));
    if idem
        .as_ref()
        .is_some_and(|k| k.len() > 128 + op.len() + name.len() + 2)
    {
        return errors::render(pipeline::Answer {
            result: Err(ApiError::BadRequest(
                "Idempotency-Key must be at most 128 characters".into(),
            )),
            remaining: None,
        });
    }
    let summarize = q.get("summarizeErrors").is_none_or(|v| v != "false");
    let answer = pipeline::run(&s, call(&h, idem), |t, now| {
        let els = elements(&body, name)?;
        let mut draft = t.clone();
        let mut done = Vec::new();
        let mut bad = Vec::new();
        for el in &els {
            let mut attempt = draft.clone();
            match create(&mut attempt, now, el, id.as_deref()) {
                Ok(v) => {
                    draft = attempt;
                    done.push(if summarize { v } else { with_status(v, &[]) });
                }
                Err(issues) if summarize => bad.push((el.clone(), issues)),
                Err(issues) => done.push(with_status(el.clone(), &issues)),
            }
        }
        if !bad.is_empty() {
            return Err(ApiError::Validation(bad));
        }
        *t = draft;
        Ok(envelope(name, done, now))
    })
    .await;
    errors::render(answer)
}

fn with_status(mut v: Value, issues: &[Issue]) -> Value {
    if let Some(m) = v.as_object_mut() {
        let ok = issues.is_empty();
        m.insert(
            "StatusAttributeString".into(),
            json!(if ok { "OK" } else { "ERROR" }),
        );
        m.insert("HasErrors".into(), json!(!ok));
        if !ok {
            m.insert("ValidationErrors".into(), errors::messages(issues));
        }
    }
    v
}

/// Routes for a collection: GET list, PUT (create) and POST (create or update), GET/POST by id.
fn collection(c: Coll, create: Option<Create>) -> Router<SandboxState> {
    let base = format!("/api.xro/2.0/{}", c.name);
    let mut list_route = get(
        move |State(s): State<SandboxState>,
              h: HeaderMap,
              Query(q): Query<HashMap<String, String>>| { list(s, h, q, c) },
    );
    let mut one_route = get(
        move |State(s): State<SandboxState>, h: HeaderMap, Path(id): Path<String>| one(s, h, id, c),
    );
    if let Some(f) = create {
        let w = move |op: &'static str| {
            move |State(s): State<SandboxState>,
                  h: HeaderMap,
                  Query(q): Query<HashMap<String, String>>,
                  b: Bytes| { write(s, h, q, None, b, c.name, op, f) }
        };
        list_route = list_route.put(w("PUT")).post(w("POST"));
        one_route = one_route.post(
            move |State(s): State<SandboxState>,
                  h: HeaderMap,
                  Path(id): Path<String>,
                  Query(q): Query<HashMap<String, String>>,
                  b: Bytes| { write(s, h, q, Some(id), b, c.name, "POST", f) },
        );
    }
    Router::new()
        .route(&base, list_route)
        .route(&format!("{base}/{{id}}"), one_route)
}

async fn connections(s: SandboxState, h: HeaderMap) -> Response {
    let now = s.now();
    let grant = match lock(&s.platform(KIND).auth).check(bearer(&h), now) {
        Ok(g) => g.clone(),
        Err(p) => {
            return errors::render(pipeline::Answer {
                result: Err(ApiError::Token(p)),
                remaining: None,
            });
        }
    };
    let out: Vec<Value> = grant
        .tenants
        .iter()
        .filter_map(|id| {
            let cell = s.platform(KIND).tenant(id)?;
            let name = lock(&cell.books).name.clone();
            Some(json!({
                "id": connection_id(&grant.id, id),
                "authEventId": grant.id,
                "tenantId": id,
                "tenantType": "ORGANISATION",
                "tenantName": name,
                "createdDateUtc": grant.created.to_string(),
                "updatedDateUtc": grant.created.to_string(),
            }))
        })
        .collect();
    axum::Json(out).into_response()
}

/// A connection id stable for (grant, tenant).
fn connection_id(grant: &str, tenant: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{grant}/{tenant}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

async fn disconnect(s: SandboxState, h: HeaderMap, id: String) -> Response {
    let now = s.now();
    let mut auth = lock(&s.platform(KIND).auth);
    let grant_id = match auth.check(bearer(&h), now) {
        Ok(g) => g.id.clone(),
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let Some(g) = auth.grant_mut(&grant_id) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let before = g.tenants.len();
    g.tenants.retain(|t| connection_id(&grant_id, t) != id);
    if g.tenants.len() == before {
        return StatusCode::NOT_FOUND.into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Everything under `/xero`.
pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/identity/connect/authorize",
            get(|State(s): State<SandboxState>, q| oauth::authorize_page(s, KIND, q))
                .post(|State(s): State<SandboxState>, f| oauth::consent(s, KIND, f)),
        )
        .route(
            "/identity/connect/token",
            axum::routing::post(|State(s): State<SandboxState>, h: HeaderMap, f| {
                oauth::token(s, KIND, h, f)
            }),
        )
        .route(
            "/connections",
            get(|State(s): State<SandboxState>, h: HeaderMap| connections(s, h)),
        )
        .route(
            "/connections/{id}",
            delete(
                |State(s): State<SandboxState>, h: HeaderMap, Path(id): Path<String>| {
                    disconnect(s, h, id)
                },
            ),
        )
        .route(
            "/api.xro/2.0/Organisation",
            get(|State(s): State<SandboxState>, h: HeaderMap| async move {
                let answer = pipeline::run(&s, call(&h, None), |t, now| {
                    Ok(envelope(
                        "Organisations",
                        vec![settings::organisation(t)],
                        now,
                    ))
                })
                .await;
                errors::render(answer)
            }),
        )
        .merge(collection(ACCOUNTS, Some(settings::save_account)))
        .merge(collection(CONTACTS, Some(settings::save_contact)))
        .merge(collection(TAX_RATES, None))
        .merge(collection(TRACKING, None))
        .merge(collection(INVOICES, Some(invoices::save_invoice)))
        .merge(collection(CREDIT_NOTES, Some(invoices::save_credit_note)))
        .route(
            "/api.xro/2.0/CreditNotes/{id}/Allocations",
            put(
                |State(s): State<SandboxState>,
                 h: HeaderMap,
                 Path(id): Path<String>,
                 Query(q): Query<HashMap<String, String>>,
                 b: Bytes| {
                    write(
                        s,
                        h,
                        q,
                        Some(id),
                        b,
                        "Allocations",
                        "PUT",
                        payments::allocate,
                    )
                },
            ),
        )
        .merge(collection(PAYMENTS, Some(payments::save_payment)))
        .merge(collection(
            BANK_TRANSACTIONS,
            Some(banking::save_bank_transaction),
        ))
        .merge(collection(
            BANK_TRANSFERS,
            Some(banking::save_bank_transfer),
        ))
        .merge(collection(
            MANUAL_JOURNALS,
            Some(journals::save_manual_journal),
        ))
        .merge(crate::control::routes(KIND))
}

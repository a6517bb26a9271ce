//! `POST /companies/{companyId}/connections/{connectionId}/push/{accounts|customers|suppliers}`:
//! create what the merchant's books are missing (a clearing account, the daily sales customer,
//! the payment processor as a supplier), written to the platform at once and offered in the
//! configuration straight away. Answers Codat's push-operation shape.
//!
//! Decision: Codat queues such pushes; we write them within the request (one call to the
//! platform, retried and looked up by name like every write), so the merchant sees the new
//! option as soon as the answer arrives. A refused prototype answers 400 with the platform's
//! words; an unreachable platform 502.

use super::{company_id, connection_id};
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody};
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::wire::datetime;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::reference_data::{AccountType, ReferenceData};
use domain::{ClientId, CompanyId, Connection, ConnectionId, ConnectionStatus};
use engine::connectors::is_accounting;
use platforms::{AccountPrototype, ContactKind, PlatformError};
use serde_json::{Value, json};

/// What was pushed: an account or a contact.
enum Prototype {
    Account(AccountPrototype),
    Contact(ContactKind, String),
}

/// Create an account, customer or supplier in the linked accounting platform.
#[utoipa::path(post, path = "/companies/{companyId}/connections/{connectionId}/push/{dataType}", tag = "Accounting data",
    operation_id = "create-accounting-record",
    params(("companyId" = String, Path, format = Uuid), ("connectionId" = String, Path, format = Uuid),
        ("dataType" = String, Path, description = "accounts, customers or suppliers")),
    request_body(content = Object, description = "accounts: Codat `accountPrototype` `{name, nominalCode?, description?, type, fullyQualifiedCategory?, isBankAccount?, currency?, bankAccountNumber? (Xero bank accounts)}`; customers: `{customerName}`; suppliers: `{supplierName}`"),
    responses((status = 200, description = "Codat `PushOperation` with `status: Success` and the created record as `data`", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 502, description = "The platform could not be reached", body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((company, connection, data_type)): Path<(String, String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (company, id) = (company_id(&company)?, connection_id(&connection)?);
    let requested = state.clock.now();
    let data = create_record(&state, client.id, company, id, &data_type, &raw).await?;
    tracing::info!(company_id = %company, connection_id = %id, %data_type, "record created in the books");
    Ok(Json(json!({
        "changes": [{"type": "Created", "recordRef": {"id": data["id"], "dataType": data_type}}],
        "dataType": data_type,
        "companyId": company.to_string(),
        "pushOperationKey": uuid::Uuid::new_v4().to_string(),
        "dataConnectionKey": id.to_string(),
        "requestedOnUtc": datetime(requested),
        "completedOnUtc": datetime(state.clock.now()),
        "status": "Success",
        "statusCode": 200,
        "data": data,
    })))
}

/// Creates an account, customer or supplier (`data_type`) from its Codat prototype `raw` in
/// the company's linked books: the API's push and the Sync Flow's "create" forms both come here.
pub async fn create_record(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    id: ConnectionId,
    data_type: &str,
    raw: &Value,
) -> Result<Value, ApiError> {
    let prototype = prototype(data_type, raw)?;
    let connection = state
        .store
        .connection(client, company, id)
        .await?
        .ok_or_else(|| ApiError::connection_not_found(id))?;
    if !is_accounting(connection.platform_key) || connection.status != ConnectionStatus::Linked {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "accounting_not_linked",
            format!(
                "Connection {id} is not a linked accounting platform ({:?}): records can be created only in linked books",
                connection.status
            ),
        ));
    }
    create(state, client, company, &connection, prototype).await
}

/// Writes the record and adds it to the stored reference data, so it is offered at once.
async fn create(
    state: &AppState,
    client: ClientId,
    company: CompanyId,
    connection: &Connection,
    prototype: Prototype,
) -> Result<Value, ApiError> {
    let connector = state
        .connectors
        .connector(client, company, connection)
        .await
        .map_err(|e| match e {
            engine::connectors::ConnectError::Store(e) => ApiError::from(e),
            other => ApiError::new(
                StatusCode::BAD_REQUEST,
                "connection_unusable",
                other.to_string(),
            ),
        })?;
    let refused = |e: PlatformError| match e {
        PlatformError::Validation {
            merchant_message, ..
        } => ApiError::invalid(vec![ValidationItem::at(
            "",
            format!("{} refused it: {merchant_message}", connector.name()),
        )]),
        PlatformError::Unsupported(what) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_supported",
            format!("{} does not support {what}", connector.name()),
        ),
        other => ApiError::new(
            StatusCode::BAD_GATEWAY,
            "platform_unavailable",
            format!("{} could not be reached: {other}", connector.name()),
        ),
    };
    let mut reference: ReferenceData = state
        .store
        .reference_data(client, company)
        .await?
        .map(|s| s.data)
        .unwrap_or_default();
    let data = match prototype {
        Prototype::Account(p) => {
            let account = connector.create_account(&p).await.map_err(refused)?;
            let body = serde_json::to_value(&account).unwrap_or_default();
            reference.accounts.retain(|a| a.id != account.id);
            reference.accounts.push(account);
            body
        }
        Prototype::Contact(kind, name) => {
            let contact = connector
                .create_contact(kind, &name)
                .await
                .map_err(refused)?;
            let body = serde_json::to_value(&contact).unwrap_or_default();
            let list = match kind {
                ContactKind::Customer => &mut reference.customers,
                ContactKind::Supplier => &mut reference.suppliers,
            };
            list.retain(|c| c.id != contact.id);
            list.push(contact);
            body
        }
    };
    state
        .store
        .put_reference_data(
            client,
            company,
            Some(connection.id),
            reference,
            state.clock.now(),
        )
        .await?;
    Ok(data)
}

/// The pushed body as a prototype, every bad field named.
fn prototype(data_type: &str, raw: &Value) -> Result<Prototype, ApiError> {
    let mut fields = Fields::of(raw, "");
    let result = match data_type {
        "accounts" => {
            let name = fields.required_string("name");
            let kind = fields.required_string("type").and_then(|t| {
                let parsed = serde_json::from_value::<AccountType>(json!(t))
                    .ok()
                    .filter(|k| *k != AccountType::Unknown);
                if parsed.is_none() {
                    fields.error(
                        "type",
                        format!(
                            "type must be Asset, Liability, Income, Expense or Equity, found {t:?}"
                        ),
                    );
                }
                parsed
            });
            let text = |fields: &mut Fields, n: &str| {
                fields.optional_string(n).flatten().map(str::to_owned)
            };
            let nominal_code = text(&mut fields, "nominalCode");
            let description = text(&mut fields, "description");
            let category = text(&mut fields, "fullyQualifiedCategory");
            let currency = text(&mut fields, "currency");
            let bank_account_number = text(&mut fields, "bankAccountNumber");
            if currency
                .as_deref()
                .is_some_and(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_alphabetic()))
            {
                fields.error("currency", "currency must be an ISO 4217 code such as GBP");
            }
            let is_bank = match raw.get("isBankAccount") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    fields.error("isBankAccount", "isBankAccount must be true or false");
                    false
                }
            };
            let name = name.map(str::trim).filter(|n| !n.is_empty());
            if name.is_none() && raw.get("name").is_some_and(Value::is_string) {
                fields.error("name", "name must not be blank");
            }
            name.zip(kind).map(|(name, account_type)| {
                Prototype::Account(AccountPrototype {
                    name: name.to_owned(),
                    nominal_code,
                    description,
                    account_type,
                    fully_qualified_category: category,
                    is_bank_account: is_bank,
                    bank_account_number,
                    // A bank account takes payments; so does a clearing asset account made for
                    // payments (the Sync Flow creates these).
                    payments_allowed: is_bank || account_type == AccountType::Asset,
                    currency: currency.map(|c| c.to_ascii_uppercase()),
                    tax_rate_id: None,
                })
            })
        }
        "customers" | "suppliers" => {
            let (field, kind) = if data_type == "customers" {
                ("customerName", ContactKind::Customer)
            } else {
                ("supplierName", ContactKind::Supplier)
            };
            let name = fields.required_string(field).map(str::trim);
            if name.is_some_and(str::is_empty) {
                fields.error(field, format!("{field} must not be blank"));
            }
            name.filter(|n| !n.is_empty())
                .map(|n| Prototype::Contact(kind, n.to_owned()))
        }
        other => {
            return Err(ApiError::invalid(vec![ValidationItem::parameter(
                "dataType",
                format!("dataType must be accounts, customers or suppliers, found {other:?}"),
            )]));
        }
    };
    fields.finish()?;
    result
        .ok_or_else(|| ApiError::invalid(vec![ValidationItem::at("", "the request is incomplete")]))
}

//! `POST /companies/{companyId}/sync/commerce/preview` (beyond Codat): the documents the sync
//! would write for the commerce data in the body, under the stored configuration and
//! reference data. The same function as `commerce-sync preview` ([`domain::preview`]).
//!
//! Body: `{"from": DATE, "to": DATE, "timeZone"?, "platform"?, "data": {orders, payments,
//! transactions, products?}}`; `to` is exclusive. Previewing the records already pushed will
//! come with the data push; until then the records travel in the body.
//!
//! Problems in the body answer 400, each naming its field (`/from`, `/data/orders/0/...`);
//! problems with the stored configuration (a choice the engine cannot resolve) are listed
//! too, with `itemId: "configuration"` and a pointer into the configuration document; when
//! they are the only problems the answer is 409 (the request was fine, the state is not).

use super::books::books_of;
use super::company_id;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::{Fields, JsonBody};
use crate::error::{ApiError, ErrorBody, ValidationItem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::config::parse_start_date;
use domain::preview::{Part, Platform, Preview, PreviewError, PreviewInput, preview as run};

/// Preview the accounting documents for the data in the body.
#[utoipa::path(post, path = "/companies/{companyId}/sync/commerce/preview", tag = "Configuration",
    operation_id = "preview-sync",
    params(("companyId" = String, Path, format = Uuid)),
    request_body(content = Object, description = "`{from, to, timeZone?, platform?, data{orders, payments, transactions, products?}}`"),
    responses((status = 200, description = "`{documents, warnings}`", body = Object),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "No configuration or reference data, or a choice the engine cannot resolve", body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(company): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Preview>, ApiError> {
    let company = company_id(&company)?;
    let mut fields = Fields::of(&raw, "");
    let from = date(&mut fields, "from");
    let to = date(&mut fields, "to");
    let time_zone = fields.optional_string("timeZone").flatten();
    let platform = match fields.optional_string("platform").flatten() {
        None => None,
        Some(text) => {
            let parsed = Platform::parse(text);
            if parsed.is_none() {
                fields.error(
                    "platform",
                    format!("platform must be xero, quickbooks or hledger, found {text:?}"),
                );
            }
            parsed
        }
    };
    let data = raw.get("data").filter(|v| !v.is_null());
    if data.is_none() && raw.is_object() {
        fields.error(
            "data",
            "data is required: {\"orders\": [], \"payments\": [], \"transactions\": []}",
        );
    }
    fields.finish()?;
    let (Some(from), Some(to), Some(data)) = (from, to, data) else {
        return Err(ApiError::invalid(vec![ValidationItem::at(
            "",
            "the request is incomplete",
        )]));
    };
    let books = books_of(&state, client.id, company).await?;
    let stored = state.store.config(client.id, company).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "configuration_missing",
            format!("Company {company} has no configuration yet: POST it to /config/companies/{company}/sync/commerce"),
        )
    })?;
    let input = PreviewInput {
        document: &stored.document,
        reference: &books.reference,
        from,
        to,
        time_zone,
        // The linked platform's rules unless the request names another.
        platform: platform.or(books.platform),
        data,
    };
    run(&input).map(Json).map_err(refusal)
}

/// A date field (a date-time is read as its date).
fn date(fields: &mut Fields, name: &str) -> Option<jiff::civil::Date> {
    let text = fields.required_string(name)?;
    let parsed = parse_start_date(text);
    if parsed.is_none() {
        fields.error(
            name,
            format!("{name} must be a date such as 2024-05-01, found {text:?}"),
        );
    }
    parsed
}

fn refusal(errors: Vec<PreviewError>) -> ApiError {
    let only_config = errors.iter().all(|e| e.part == Part::Config);
    let items = errors.into_iter().map(|e| ValidationItem {
        item_id: (e.part == Part::Config).then(|| "configuration".to_owned()),
        pointer: Some(match e.part {
            Part::Data => format!("/data{}", e.pointer),
            Part::Request | Part::Config => e.pointer,
        }),
        message: e.message,
        validator_name: e.code,
    });
    let mut error = ApiError::invalid(items.collect());
    if only_config {
        error.status = StatusCode::CONFLICT;
        error.code = "configuration_invalid";
        error.message = format!(
            "The stored configuration cannot be mapped: {}",
            error.message.trim_start_matches("The request is invalid: ")
        );
    }
    error
}

//! Which account slots a client's merchants see, per accounting platform (Codat's visible
//! accounts): `GET /clients/{clientId}/config/ui/accounts/platform/{platformKey}` and
//! `POST /sync/commerce/config/ui/accounts/platform/{platformKey}`, body
//! `{"visibleAccounts": ["sales-accounts-sales", "payments-accounts-card", …]}`.
//!
//! Unset means every slot is visible. The configuration document offered (API and Sync Flow
//! alike) leaves out the slots not listed, except required ones and ones already chosen.

use super::integrations::integration;
use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::config::options::account_slot_keys;
use domain::config::{OfferSpec, offer};
use domain::reference_data::ReferenceData;
use domain::{ClientId, PlatformKey};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Codat `VisibleAccounts`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisibleAccounts {
    pub visible_accounts: Vec<String>,
}

fn setting(platform: PlatformKey) -> String {
    format!("visibleAccounts.{}", platform.key())
}

/// The slots a client chose to show for `platform`; `None` when it never narrowed them.
pub async fn visible_slots(
    state: &AppState,
    client: ClientId,
    platform: PlatformKey,
) -> Result<Option<Vec<String>>, ApiError> {
    let value = state
        .store
        .client_setting(client, &setting(platform))
        .await?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

/// Every slot a merchant can be offered (product categories and tax components aside).
fn every_slot() -> Vec<String> {
    account_slot_keys(&offer(
        &ReferenceData::default(),
        &OfferSpec::default(),
        None,
    ))
}

/// The account slots visible to the client's merchants on a platform.
#[utoipa::path(get, path = "/clients/{clientId}/config/ui/accounts/platform/{platformKey}", tag = "Sync Flow settings",
    operation_id = "get-visible-accounts",
    params(("clientId" = String, Path, format = Uuid), ("platformKey" = String, Path, example = "gbol")),
    responses((status = 200, body = VisibleAccounts), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path((client_id, platform)): Path<(String, String)>,
) -> Result<Json<VisibleAccounts>, ApiError> {
    if client_id != client.id.to_string() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "client_not_found",
            format!("No client {client_id} is reachable with this key"),
        ));
    }
    let platform = integration(&platform)?;
    let visible = visible_slots(&state, client.id, platform)
        .await?
        .unwrap_or_else(every_slot);
    Ok(Json(VisibleAccounts {
        visible_accounts: visible,
    }))
}

/// Sets the account slots visible to the client's merchants on a platform.
#[utoipa::path(post, path = "/sync/commerce/config/ui/accounts/platform/{platformKey}", tag = "Sync Flow settings",
    operation_id = "update-visible-accounts-sync-flow",
    params(("platformKey" = String, Path, example = "gbol")),
    request_body(content = VisibleAccounts),
    responses((status = 200, body = VisibleAccounts), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn set(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Path(platform): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<VisibleAccounts>, ApiError> {
    let platform = integration(&platform)?;
    let list = raw.get("visibleAccounts").and_then(Value::as_array).ok_or_else(|| {
        ApiError::invalid(vec![ValidationItem::at(
            "/visibleAccounts",
            "visibleAccounts is required: an array of slot keys such as \"payments-accounts-card\"",
        )])
    })?;
    let mut errors = Vec::new();
    let mut keys = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("/visibleAccounts/{i}");
        match item.as_str() {
            Some(key) if well_formed(key) => keys.push(key.to_owned()),
            Some(key) => errors.push(ValidationItem::at(
                at,
                format!("{key:?} is not a slot key: `<sales|payments|fees>-accounts-<key>`, e.g. payments-accounts-card"),
            )),
            None => errors.push(ValidationItem::at(at, "each entry must be a string")),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    keys.dedup();
    state
        .store
        .put_client_setting(
            client.id,
            &setting(platform),
            &json!(keys),
            state.clock.now(),
        )
        .await?;
    tracing::info!(client_id = %client.id, platform = platform.key(), slots = keys.len(), "visible accounts set");
    Ok(Json(VisibleAccounts {
        visible_accounts: keys,
    }))
}

/// `<section>-accounts-<key>` with a known section and a non-empty key (product category
/// ids are keys too, so the key itself is not checked against a list).
fn well_formed(key: &str) -> bool {
    ["sales", "payments", "fees"].iter().any(|section| {
        key.strip_prefix(section)
            .and_then(|rest| rest.strip_prefix("-accounts-"))
            .is_some_and(|k| !k.trim().is_empty() && !k.contains('\0'))
    })
}

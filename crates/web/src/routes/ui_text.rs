//! `GET/PATCH /sync/commerce/config/ui/text?locale=en-us|fr-fr`: the words of the merchant's
//! pages (Codat's `LocalizationInfo`: text key → `{text, required}`). PATCH replaces the texts
//! it names; `{"text": null}` goes back to our default. Unknown keys are refused by name.

use crate::AppState;
use crate::auth::AuthClient;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody, ValidationItem};
use crate::pages::text::{Locale, Texts, is_key, overrides, setting_name};
use crate::pages::text_catalog::CATALOG;
use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Longest text a client may set.
const MAX_TEXT_CHARS: usize = 1000;

#[derive(Deserialize)]
pub struct LocaleQuery {
    locale: Option<String>,
}

fn locale(query: &LocaleQuery) -> Result<Locale, ApiError> {
    let raw = query.locale.as_deref().unwrap_or_default();
    Locale::parse(raw).ok_or_else(|| {
        ApiError::invalid(vec![ValidationItem::parameter(
            "locale",
            format!("locale is required: en-us or fr-fr, found {raw:?}"),
        )])
    })
}

async fn answer(
    state: &AppState,
    client: domain::ClientId,
    locale: Locale,
) -> Result<Json<Value>, ApiError> {
    let texts = Texts::load(state, client, locale).await?;
    let map: Map<String, Value> = CATALOG
        .iter()
        .map(|(key, _, _)| {
            (
                (*key).to_owned(),
                json!({"text": texts.t(key), "required": false}),
            )
        })
        .collect();
    Ok(Json(Value::Object(map)))
}

/// Every text of the Sync Flow pages in one locale.
#[utoipa::path(get, path = "/sync/commerce/config/ui/text", tag = "Sync Flow settings",
    operation_id = "get-config-text-sync-flow",
    params(("locale" = String, Query, description = "en-us or fr-fr")),
    responses((status = 200, description = "Codat `LocalizationInfo`: key → {text, required}", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Query(query): Query<LocaleQuery>,
) -> Result<Json<Value>, ApiError> {
    answer(&state, client.id, locale(&query)?).await
}

/// Replaces the texts named in the body for one locale.
#[utoipa::path(patch, path = "/sync/commerce/config/ui/text", tag = "Sync Flow settings",
    operation_id = "update-config-text-sync-flow",
    params(("locale" = String, Query, description = "en-us or fr-fr")),
    request_body(content = Object, description = "key → {text} (null text: back to the default)"),
    responses((status = 200, description = "Every text, as GET answers", body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    Query(query): Query<LocaleQuery>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locale = locale(&query)?;
    let Value::Object(changes) = body else {
        return Err(ApiError::invalid(vec![ValidationItem::at(
            "",
            "the body must be an object: text key → {\"text\": …}",
        )]));
    };
    let mut replaced = overrides(&state, client.id, locale).await?;
    let mut errors = Vec::new();
    for (key, change) in changes {
        let pointer = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
        if !is_key(&key) {
            errors.push(ValidationItem::at(
                pointer,
                format!("{key:?} is not a text of the pages; GET this endpoint for the keys"),
            ));
            continue;
        }
        match change.get("text") {
            Some(Value::Null) => {
                replaced.remove(&key);
            }
            Some(Value::String(text))
                if text.chars().count() <= MAX_TEXT_CHARS && !text.trim().is_empty() =>
            {
                replaced.insert(key, Value::String(text.clone()));
            }
            Some(Value::String(_)) => errors.push(ValidationItem::at(
                format!("{pointer}/text"),
                format!("text must hold 1 to {MAX_TEXT_CHARS} characters"),
            )),
            _ => errors.push(ValidationItem::at(
                format!("{pointer}/text"),
                "text must be a string, or null to go back to the default",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    state
        .store
        .put_client_setting(
            client.id,
            &setting_name(locale),
            &Value::Object(replaced),
            state.clock.now(),
        )
        .await?;
    answer(&state, client.id, locale).await
}

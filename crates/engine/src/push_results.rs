//! A sync's push items: one per document, and what its write came to (the platform's id, or
//! the refusal in Codat's validation shape).

use crate::stored_document;
use domain::documents::Document;
use domain::mapping::SyncedState;
use platforms::{PlatformError, WrittenDocument};
use store::{NewPushItem, PostedChanges, PushResult, PushStatus};
use uuid::Uuid;

pub(crate) fn push_item(d: &Document) -> NewPushItem {
    NewPushItem {
        key: Uuid::new_v4(),
        document_key: d.key.full(),
        kind: d.kind.as_str().to_owned(),
        document: stored_document::to_json(d),
    }
}

/// Entries of `after` that differ from `before`: what the run posts.
pub(crate) fn posted_changes(before: &SyncedState, after: &SyncedState) -> PostedChanges {
    PostedChanges {
        records: after
            .records
            .iter()
            .filter(|(k, v)| before.records.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        revisions: after
            .revisions
            .iter()
            .filter(|(k, v)| before.revisions.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
    }
}

pub(crate) fn written(w: &WrittenDocument) -> PushResult {
    PushResult {
        status: PushStatus::Success,
        status_code: 200,
        platform_id: Some(w.platform_id.clone()),
        platform_number: w.number.clone(),
        platform_status: w.status.clone(),
        error_message: None,
        validation: None,
    }
}

pub(crate) fn push_failure(
    code: u16,
    status: PushStatus,
    message: String,
    validation: Option<serde_json::Value>,
) -> PushResult {
    PushResult {
        status,
        status_code: code,
        platform_id: None,
        platform_number: None,
        platform_status: None,
        error_message: Some(message),
        validation,
    }
}

/// A failed write as a push item shows it (Codat's validation shape for refusals).
pub(crate) fn error_result(document: &Document, e: &PlatformError) -> PushResult {
    match e {
        PlatformError::Validation {
            problem,
            merchant_message,
            platform_message,
        } => push_failure(
            400,
            PushStatus::Failed,
            merchant_message.clone(),
            Some(serde_json::json!({
                "errors": [{
                    "itemId": document.key.full(),
                    "message": platform_message,
                    "validatorName": format!("{problem:?}"),
                }],
                "warnings": [],
            })),
        ),
        PlatformError::OutcomeUnknown(_) => {
            push_failure(504, PushStatus::TimedOut, e.to_string(), None)
        }
        PlatformError::Deauthorized { .. } | PlatformError::Unauthorized(_) => {
            push_failure(401, PushStatus::Failed, e.to_string(), None)
        }
        PlatformError::RateLimited { .. } => {
            push_failure(429, PushStatus::Failed, e.to_string(), None)
        }
        PlatformError::Transient(_) => push_failure(503, PushStatus::Failed, e.to_string(), None),
        PlatformError::Unsupported(_) | PlatformError::Protocol(_) => {
            push_failure(502, PushStatus::Failed, e.to_string(), None)
        }
    }
}

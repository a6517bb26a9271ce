//! A sync as Codat's clients read it (`CompanySyncStatus`, `SyncSummary`, `SyncStatus`):
//! one JSON shape carrying the fields of all three, used by the API and by webhooks.

use serde_json::{Value, json};
use store::SyncRun;

/// The sync with Codat's field names. `syncUtc` is when it finished (or was requested, while
/// it runs); `commerceSyncId` equals `syncId`.
pub fn to_json(sync: &SyncRun) -> Value {
    let o = &sync.outcome;
    json!({
        "companyId": sync.company_id.to_string(),
        "syncId": sync.id.to_string(),
        "commerceSyncId": sync.id.to_string(),
        "syncStatusCode": o.status_code,
        "syncStatus": o.status,
        "errorMessage": o.error_message,
        "syncExceptionMessage": o.exception_message,
        "syncUtc": sync.completed.unwrap_or(sync.requested).to_string(),
        "dataPushed": o.data_pushed,
        "syncDateRangeUtc": {
            "start": sync.period_start.to_string(),
            "finish": sync.period_end.to_string(),
        },
        "syncType": sync.kind.as_str(),
        "requestedUtc": sync.requested.to_string(),
        "startedUtc": sync.started.map(|t| t.to_string()),
        "completedUtc": sync.completed.map(|t| t.to_string()),
    })
}

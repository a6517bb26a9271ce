//! Ingest: a pushed dataset becomes stored records, asynchronously but never lost.
//!
//! [`Ingest::accept_body`] reads the body in one pass, parsing every record as it is read
//! (reporting each bad field; see [`crate::dataset_body`]), records the dataset as `Queued`
//! together with its raw body in one transaction, and answers; a background task stores the
//! good records, claiming and finishing the dataset (which deletes the kept body) with its
//! counts and rejections in the same transaction.
//!
//! A 2xx is a promise: if the process dies between the answer and the stored records, the
//! dataset stays `Queued` with its body, and [`Ingest::resume`] (run by every `serve` process
//! at start-up and then periodically) parses the body again and stores it. The claim makes
//! that exactly once even when several processes resume at the same moment.

use crate::dataset_body::{ParsedBody, parse_body};
use domain::clock::Clock;
use domain::commerce::{
    CommerceRecord, Customer, DatasetKind, Location, Order, Payment, PaymentMethod, Product,
    ProductCategory, RecordError, TaxComponent, Transaction, parse_dataset_text,
};
use domain::{ClientId, CompanyId, ConnectionStatus, PlatformKey};
use jiff::Timestamp;
use serde_json::Value;
use std::sync::Arc;
use store::{
    Dataset, DatasetCounts, DatasetId, DatasetOutcome, DatasetStatus, NewDataset, RecordChange,
    Store, StoreError,
};
use tokio::sync::Semaphore;

/// Codat's published limit on records per pushed dataset.
pub const MAX_RECORDS_PER_DATASET: usize = 5000;

/// Datasets processed at once per process; further pushes wait for a slot (back-pressure
/// instead of unbounded memory).
const CONCURRENT_DATASETS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The body is not a dataset: each (JSON pointer, message).
    #[error("the dataset body is invalid")]
    Invalid(Vec<(String, String)>),
    #[error("company not found")]
    CompanyNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Accepts pushed datasets and stores them in the background.
#[derive(Clone)]
pub struct Ingest {
    store: Arc<dyn Store>,
    slots: Arc<Semaphore>,
}

impl Ingest {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            slots: Arc::new(Semaphore::new(CONCURRENT_DATASETS)),
        }
    }

    /// [`Ingest::accept_body`] for a body already parsed (seeding, tests).
    pub async fn accept(
        &self,
        client: ClientId,
        company: CompanyId,
        kind: DatasetKind,
        body: Value,
    ) -> Result<Dataset, IngestError> {
        let text = serde_json::to_vec(&body).expect("a Value always serializes");
        self.accept_body(client, company, kind, text).await
    }

    /// Reads the body, records the dataset and starts storing it; answers the `Queued`
    /// dataset. A body that is not a dataset is refused before anything is recorded.
    pub async fn accept_body<B>(
        &self,
        client: ClientId,
        company: CompanyId,
        kind: DatasetKind,
        body: B,
    ) -> Result<Dataset, IngestError>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        // Reading and validating every record is CPU work of milliseconds per dataset: on a
        // blocking thread, so it does not hold up the runtime's workers answering requests.
        let (parsed, body) = tokio::task::spawn_blocking(move || {
            let parsed = parse_body(kind, body.as_ref());
            (parsed, body)
        })
        .await
        .expect("parsing does not panic");
        let parsed = parsed.map_err(IngestError::Invalid)?;
        let count = parsed.received;
        let connection = self
            .store
            .list_connections(client, company)
            .await?
            .ok_or(IngestError::CompanyNotFound)?
            .into_iter()
            .find(|c| {
                c.platform_key == PlatformKey::Commerce && c.status == ConnectionStatus::Linked
            })
            .map(|c| c.id);
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        // The body is committed with the `Queued` row before we answer: see the module docs.
        let dataset = self
            .store
            .create_dataset_with_body(
                client,
                company,
                NewDataset {
                    kind,
                    connection_id: connection,
                    received: count as u64,
                },
                body.as_ref(),
            )
            .await?
            .ok_or(IngestError::CompanyNotFound)?;
        drop(body);
        let store = self.store.clone();
        let id = dataset.id;
        tokio::spawn(async move {
            if let Err(e) = process(store.as_ref(), company, kind, id, parsed).await {
                tracing::error!(dataset_id = %id.0, error = %e, "dataset processing failed");
                let outcome = failed(
                    DatasetStatus::ProcessingError,
                    // The database's own words stay in our log; the client gets ours.
                    "storing the records failed on our side; push the dataset again, or quote \
                     its id to support"
                        .to_owned(),
                    count,
                );
                let _ = store.finish_dataset(id, outcome).await;
            }
            drop(slot);
        });
        Ok(dataset)
    }
}

impl Ingest {
    /// Stores the datasets acknowledged before `requested_before` that no process stored
    /// (their process died after answering); the number stored. One at a time, so resuming
    /// a backlog holds one body in memory.
    pub async fn resume(&self, requested_before: Timestamp) -> Result<usize, StoreError> {
        let mut stored = 0;
        loop {
            let queued = self
                .store
                .queued_datasets(requested_before, RESUMED_PER_ROUND)
                .await?;
            let full = queued.len() as u64 == RESUMED_PER_ROUND;
            let mut progressed = false;
            for dataset in queued {
                // A dataset the database refuses now is left queued for the next round; it
                // must not hold up the ones behind it.
                match self.resume_one(&dataset).await {
                    Ok(()) => {
                        progressed = true;
                        stored += 1;
                    }
                    Err(e) => tracing::error!(dataset_id = %dataset.id.0, error = %e,
                        "resuming a dataset failed; it stays queued"),
                }
            }
            if !full || !progressed {
                return Ok(stored);
            }
        }
    }

    /// Stores (or, unreadable, fails) one acknowledged dataset.
    async fn resume_one(&self, dataset: &Dataset) -> Result<(), StoreError> {
        let Some(body) = self.store.dataset_body(dataset.id).await? else {
            return Ok(()); // finished meanwhile: the body goes with the finish
        };
        let kind = dataset.kind;
        let parsed = tokio::task::spawn_blocking(move || parse_body(kind, &body))
            .await
            .expect("parsing does not panic");
        let received = dataset.counts.received as usize;
        match parsed {
            Ok(parsed) => {
                tracing::warn!(dataset_id = %dataset.id.0, company_id = %dataset.company_id,
                    "storing a dataset acknowledged by a process that stopped before storing it");
                process(
                    self.store.as_ref(),
                    dataset.company_id,
                    kind,
                    dataset.id,
                    parsed,
                )
                .await?;
            }
            // It parsed when it was accepted; a change of rules since is ours to own.
            Err(errors) => {
                let outcome = failed(
                    DatasetStatus::ProcessingError,
                    format!(
                        "the dataset could not be read again after a restart ({} problems)",
                        errors.len()
                    ),
                    received,
                );
                self.store.finish_dataset(dataset.id, outcome).await?;
            }
        }
        Ok(())
    }

    /// Resumes at once, then every [`RESUME_EVERY`] the datasets older than [`RESUME_AFTER`]
    /// (younger ones are still being stored by the process that accepted them).
    pub fn spawn_resumer(self, clock: Arc<dyn Clock>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut before = clock.now();
            loop {
                match crate::panics::caught(self.resume(before)).await {
                    Ok(Ok(0)) => {}
                    Ok(Ok(n)) => tracing::info!(datasets = n, "acknowledged datasets resumed"),
                    Ok(Err(e)) => tracing::error!(error = %e, "resuming datasets failed"),
                    Err(reason) => tracing::error!(%reason, "resuming datasets panicked"),
                }
                tokio::time::sleep(RESUME_EVERY).await;
                before = clock.now() - RESUME_AFTER;
            }
        })
    }
}

/// Datasets read per query while resuming.
const RESUMED_PER_ROUND: u64 = 16;
/// How often a process looks for acknowledged datasets no one stored.
pub const RESUME_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
/// A `Queued` dataset younger than this is left to the process that accepted it.
pub const RESUME_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_secs(120);

fn failed(status: DatasetStatus, message: String, received: usize) -> DatasetOutcome {
    DatasetOutcome {
        status,
        error_message: Some(message),
        counts: DatasetCounts {
            received: received as u64,
            ..DatasetCounts::default()
        },
        rejections: Vec::new(),
    }
}

/// Stores and finishes one parsed dataset.
async fn process(
    store: &dyn Store,
    company: CompanyId,
    kind: DatasetKind,
    id: DatasetId,
    parsed: ParsedBody,
) -> Result<(), StoreError> {
    // Claim, records and finish in one transaction (one write on SQLite's single writer);
    // a dataset someone else claimed first is left to them.
    let stored = store
        .store_dataset(
            company,
            kind,
            id,
            parsed.changes,
            parsed.received as u64,
            &parsed.errors,
        )
        .await?;
    if let Some(c) = stored {
        let accepted = c.inserted + c.modified + c.unchanged + c.deleted;
        let rejected = (parsed.received as u64).saturating_sub(accepted);
        crate::metrics::global().dataset_stored(&kind.data_type(), accepted, rejected);
    }
    Ok(())
}

/// Every record of the dataset as a change to store, and the errors of the rejected ones.
pub fn parse(
    kind: DatasetKind,
    records: &Value,
    prefix: &str,
) -> (Vec<RecordChange>, Vec<RecordError>) {
    fn changes<T: CommerceRecord>(
        records: &Value,
        prefix: &str,
    ) -> (Vec<RecordChange>, Vec<RecordError>) {
        let (parsed, errors) = parse_dataset_text::<T>(records, prefix);
        (
            parsed
                .into_iter()
                .map(RecordChange::from_parsed_text)
                .collect(),
            errors,
        )
    }
    match kind {
        DatasetKind::Orders => changes::<Order>(records, prefix),
        DatasetKind::Payments => changes::<Payment>(records, prefix),
        DatasetKind::Transactions => changes::<Transaction>(records, prefix),
        DatasetKind::Locations => changes::<Location>(records, prefix),
        DatasetKind::Products => changes::<Product>(records, prefix),
        DatasetKind::ProductCategories => changes::<ProductCategory>(records, prefix),
        DatasetKind::Customers => changes::<Customer>(records, prefix),
        DatasetKind::PaymentMethods => changes::<PaymentMethod>(records, prefix),
        DatasetKind::TaxComponents => changes::<TaxComponent>(records, prefix),
    }
}

/// The records' array of a dataset body and its JSON pointer. Accepts the beta envelope
/// `{"contractVersion", "orders": […]}` (the key in any first-letter case, as Codat's docs
/// show `ProductCategories`) and the partner API's bare array.
pub fn records_of(
    kind: DatasetKind,
    body: Value,
) -> Result<(Value, String), Vec<(String, String)>> {
    let key = kind.json_key();
    let (records, pointer) = match body {
        Value::Array(_) => (body, String::new()),
        Value::Object(mut object) => {
            let capitalised = format!("{}{}", key[..1].to_uppercase(), &key[1..]);
            let found = [key.to_owned(), capitalised]
                .into_iter()
                .find(|k| object.contains_key(k));
            let version = object
                .get("contractVersion")
                .or_else(|| object.get("ContractVersion"));
            if version.is_some_and(|v| !v.is_string() && !v.is_null()) {
                return Err(vec![(
                    "/contractVersion".into(),
                    "contractVersion must be a string".into(),
                )]);
            }
            match found {
                Some(k) => (object.remove(&k).expect("just found"), format!("/{k}")),
                None => {
                    return Err(vec![(
                        format!("/{key}"),
                        format!("{key} is required: the array of records to push"),
                    )]);
                }
            }
        }
        _ => {
            return Err(vec![(
                String::new(),
                format!("the body must be {{\"{key}\": [...]}} or an array of records"),
            )]);
        }
    };
    match records.as_array() {
        Some(items) if items.len() > MAX_RECORDS_PER_DATASET => Err(vec![(
            pointer,
            format!(
                "a dataset holds at most {MAX_RECORDS_PER_DATASET} records; this one has {} — split it",
                items.len()
            ),
        )]),
        Some(_) => Ok((records, pointer)),
        None => Err(vec![(
            pointer,
            format!("{key} must be an array of records"),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes_and_bare_arrays_are_both_datasets() {
        let (records, pointer) = records_of(
            DatasetKind::Orders,
            json!({"contractVersion": "1", "orders": [{"id": "a"}]}),
        )
        .unwrap();
        assert_eq!(
            (records, pointer.as_str()),
            (json!([{"id": "a"}]), "/orders")
        );
        let (_, pointer) = records_of(
            DatasetKind::ProductCategories,
            json!({"ContractVersion": "9.3.1", "ProductCategories": []}),
        )
        .unwrap();
        assert_eq!(pointer, "/ProductCategories");
        let (_, pointer) = records_of(DatasetKind::Payments, json!([])).unwrap();
        assert_eq!(pointer, "");
    }

    #[test]
    fn shapes_that_are_not_datasets_are_named() {
        assert_eq!(
            records_of(DatasetKind::Orders, json!({"payments": []})).unwrap_err()[0].0,
            "/orders"
        );
        assert_eq!(
            records_of(DatasetKind::Orders, json!({"orders": {}})).unwrap_err()[0].0,
            "/orders"
        );
        assert_eq!(
            records_of(DatasetKind::Orders, json!("x")).unwrap_err()[0].0,
            ""
        );
        assert_eq!(
            records_of(
                DatasetKind::Orders,
                json!({"orders": [], "contractVersion": 3})
            )
            .unwrap_err()[0]
                .0,
            "/contractVersion"
        );
        let too_many = Value::Array(vec![json!({"id": "x"}); MAX_RECORDS_PER_DATASET + 1]);
        let error = records_of(DatasetKind::Orders, json!({"orders": too_many})).unwrap_err();
        assert!(error[0].1.contains("at most 5000"), "{error:?}");
    }

    #[test]
    fn parsing_keeps_good_records_and_names_bad_ones() {
        let records = json!([
            {"id": "p1", "amount": 10.5, "currency": "GBP", "createdDate": "2026-01-01T10:00:00Z", "type": "Card", "status": "Paid"},
            {"id": "p2", "amount": "ten", "currency": "GBP", "createdDate": "2026-01-01T10:00:00Z"},
            {"id": "p3"}
        ]);
        let (changes, errors) = parse(DatasetKind::Payments, &records, "/payments");
        let ids: Vec<_> = changes.iter().map(|c| (c.id.as_str(), c.delete)).collect();
        assert_eq!(ids, [("p1", false), ("p3", true)]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/payments/1/amount");
    }
}

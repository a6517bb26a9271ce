//! Ties push, mapping and platforms into the daily sync.
//!
//! - [`ingest`]: a pushed dataset into stored records.
//! - [`scheduler`]: who is due (each merchant's `syncHour` in its time zone) → a queued job.
//! - [`worker`]: claims jobs with leases and runs them; any number per database.
//! - [`sync_run`]: one sync: checks, mapping ([`period_records`]), the plan, the writes
//!   ([`connectors`], [`stored_document`]), the status ([`status`]), the 31-day disable.
//! - [`reference_read`]: the accounting platform's accounts, tax rates, contacts into the
//!   store, queued when a connection is linked and on demand.
//! - [`requests`]: `latest`, `historic` and retries asked for through the API.
//! - [`events`]: what clients are told; [`webhooks`]: their signed delivery, retried, logged;
//!   [`sync_status`]: a sync in Codat's words.

pub mod books_check;
pub mod connectors;
pub mod dataset_body;
pub mod demo_data;
pub mod events;
pub mod ingest;
pub mod metrics;
pub mod panics;
pub mod period_records;
mod push_results;
pub mod pushed_facts;
pub mod reference_read;
pub mod requests;
pub mod scheduler;
pub mod seeding;
pub mod status;
pub mod stored_document;
mod sync_failures;
pub mod sync_run;
pub mod sync_status;
pub mod sync_timing;
pub mod webhooks;
pub mod worker;

pub use connectors::{ConnectorSettings, Connectors};
pub use events::Events;
pub use ingest::{Ingest, IngestError, MAX_RECORDS_PER_DATASET};
pub use requests::{RequestError, Requests};
pub use scheduler::Scheduler;
pub use sync_run::SyncRunner;
pub use worker::{Worker, WorkerSettings};

//! Ties push, mapping and platforms into the daily sync. Today: [`ingest`], which turns a
//! pushed dataset into stored records. The scheduler (who is due, in which time zone), the
//! sync runner (period → documents → push items → status), retries of failed push items,
//! the disable after 31 failing days and signed webhooks to clients arrive with issue #6.

pub mod dataset_body;
pub mod ingest;

pub use ingest::{Ingest, IngestError, MAX_RECORDS_PER_DATASET};

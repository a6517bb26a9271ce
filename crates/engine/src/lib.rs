//! Ties push, mapping and platforms into the daily sync. Today: [`ingest`], which turns a
//! pushed dataset into stored records, and [`webhooks`], signed events to clients with
//! retries and a delivery log. The scheduler (who is due, in which time zone), the sync
//! runner (period → documents → push items → status), retries of failed push items and the
//! disable after 31 failing days arrive with issue #6.

pub mod ingest;
pub mod webhooks;

pub use ingest::{Ingest, IngestError, MAX_RECORDS_PER_DATASET};

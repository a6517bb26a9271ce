//! Ties push, mapping and platforms into the daily sync: the scheduler (who is due, in which
//! time zone), the sync runner (period → documents → push items → status), retries of failed
//! push items, the disable after 31 failing days, and signed webhooks to clients.
//!
//! The engine arrives with issue #6; until then this crate only names its role.

//! Local stand-ins for Xero and QuickBooks Online: OAuth consent page, token endpoint and the
//! endpoints our connectors call, enforcing the platforms' documented validation rules, rate
//! limits and error shapes, with switchable faults. Used by tests, the demo and benchmarks,
//! never by production code paths.
//!
//! The sandboxes arrive with issue #5; until then this crate only names its role.

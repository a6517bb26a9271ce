//! The way out to the merchant's books: the `AccountingPlatform` trait and one folder per
//! connector (`xero/`, `quickbooks/`, `hledger/`), each with its wire types and a
//! `transformers.rs` turning domain documents into request bodies. OAuth 2.0, token
//! encryption, per-connection rate limits and single-flight token refresh live here too.
//!
//! Connectors arrive with issue #5; until then this crate only names its role.

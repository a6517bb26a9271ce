//! The way out to the merchant's books: the `AccountingPlatform` trait and one folder per
//! connector (`xero/`, `quickbooks/`, `hledger/`), each with its wire types and a
//! `transformers.rs` turning domain documents into request bodies. OAuth 2.0, token
//! encryption, per-connection rate limits and single-flight token refresh live here too.
//!
//! Today it holds what the API needs to accept a connection's credentials: their shape per
//! platform ([`credentials`]) and their encryption at rest ([`secrets`]). Connectors arrive
//! with issue #5.

pub mod credentials;
pub mod secrets;

pub use credentials::Credentials;
pub use secrets::{SecretKey, TokenCipher};

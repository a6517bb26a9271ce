//! The way out to the merchant's books: the [`AccountingPlatform`] trait and one folder per
//! connector (`xero/`, `quickbooks/`, `hledger/`), each with its wire types and a `transformers.rs` turning domain
//! documents into request bodies.
//!
//! Around the connectors: OAuth refresh ([`oauth`]) behind a single-flight [`TokenSource`]
//! per connection ([`tokens`]), a per-connection [`RateLimiter`] ([`limits`]), a
//! [`RetryPolicy`] that looks a write up by its key before retrying it ([`retry`]), errors in
//! the merchant's language ([`error`]), and credentials with their encryption at rest
//! ([`credentials`], [`secrets`]).

pub mod authorize;
pub mod connector_config;
pub mod credentials;
pub mod document_links;
pub mod error;
pub mod hledger;
mod known_ids;
pub mod limits;
pub mod oauth;
pub mod observe;
pub mod outbound;
pub mod platform;
pub mod quickbooks;
pub mod retry;
pub mod secrets;
pub mod tokens;
pub mod xero;

pub use credentials::{Credentials, OAuthTokens};
pub use error::{PlatformError, Problem};
pub use hledger::{HledgerConfig, HledgerConnector};
pub use limits::{ManualTimer, RateLimiter, SystemTimer, Timer};
pub use platform::{
    AccountPrototype, AccountingPlatform, ContactKind, PlatformLimits, TrackingCategory,
    TrackingOption, WrittenDocument,
};
pub use quickbooks::{QuickBooksConfig, QuickBooksConnector};
pub use retry::RetryPolicy;
pub use secrets::{SecretKey, TokenCipher};
pub use tokens::{RefreshError, TokenRefresher, TokenSource, TokenStore};
pub use xero::{XeroConfig, XeroConnector};

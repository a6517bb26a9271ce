//! The pages' sessions (a merchant in the Sync Flow, a support user in Sync Health) and the
//! one-time codes already spent. A session is found by the hash of its cookie's token, so a
//! copy of the database holds no usable cookie.

use crate::StoreError;
use async_trait::async_trait;
use domain::{ClientId, CompanyId};
use jiff::Timestamp;
use serde_json::Value;

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSession {
    /// Hex SHA-256 of the cookie's token.
    pub id: String,
    /// `flow` or `support`.
    pub kind: String,
    pub client: ClientId,
    /// The one company a Sync Flow session may reach.
    pub company: Option<CompanyId>,
    /// The pages' own state: locale, CSRF token, the merchant's draft…
    pub data: Value,
    pub created: Timestamp,
    pub expires: Timestamp,
}

#[async_trait]
pub trait PageSessionStore {
    async fn create_page_session(&self, session: &PageSession) -> Result<(), StoreError>;

    /// The session with this id, if it exists and has not expired at `now`.
    async fn page_session(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<PageSession>, StoreError>;

    /// Replaces the session's data and expiry; false when it is gone.
    async fn update_page_session(
        &self,
        id: &str,
        data: &Value,
        expires: Timestamp,
    ) -> Result<bool, StoreError>;

    async fn delete_page_session(&self, id: &str) -> Result<(), StoreError>;

    /// Records that the one-time code `id` was used; false when it had been already. Codes
    /// are kept until `expires` (after which they are refused as late anyway), then purged.
    async fn spend_code(
        &self,
        id: &str,
        expires: Timestamp,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
}

pub(crate) fn parse(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt("page_sessions", e))
}

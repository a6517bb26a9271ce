//! A client's support users: who may sign in to the Sync Health pages, and for which client.
//!
//! The store keeps the password's argon2 hash only, and never checks a password itself: the
//! sign-in page reads the user by email ([`SupportUserStore::support_user_for_sign_in`]) and
//! verifies the password against the hash, so hashing stays in one place (the web crate).

use crate::StoreError;
use async_trait::async_trait;
use domain::ClientId;
use jiff::Timestamp;
use uuid::Uuid;

/// A support user as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportUser {
    pub id: Uuid,
    /// The only client whose merchants this user sees.
    pub client_id: ClientId,
    /// Trimmed and lower-cased (see [`normalize_email`]).
    pub email: String,
    /// An argon2 PHC string.
    pub password_hash: String,
    pub created: Timestamp,
}

/// Emails compare without case or surrounding spaces, so `Ann@Shop.example ` signs in as
/// `ann@shop.example`.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[async_trait]
pub trait SupportUserStore {
    /// Creates a support user of `client`. An email already used (by any client) is a
    /// [`StoreError::Conflict`]: an email signs in to one client only.
    async fn create_support_user(
        &self,
        client: ClientId,
        email: &str,
        password_hash: &str,
    ) -> Result<SupportUser, StoreError>;

    /// Removes the client's support user with this email; `false` when there is none.
    async fn remove_support_user(&self, client: ClientId, email: &str) -> Result<bool, StoreError>;

    /// The client's support users, by email.
    async fn support_users(&self, client: ClientId) -> Result<Vec<SupportUser>, StoreError>;

    /// The user signing in with `email`, with its client and password hash, for the caller
    /// to verify the password against; `None` when no user has this email.
    async fn support_user_for_sign_in(
        &self,
        email: &str,
    ) -> Result<Option<SupportUser>, StoreError>;
}

/// The conflict of an email taken, in the operator's words.
pub(crate) fn email_taken(email: &str) -> StoreError {
    StoreError::Conflict(format!(
        "a support user with the email {email:?} exists already"
    ))
}

/// Whether `e` is a unique-constraint refusal.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

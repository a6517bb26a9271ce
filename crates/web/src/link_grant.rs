//! A connection's `linkUrl` carries a grant: our sealed note of which connection it may link,
//! until when, and whether it may replace credentials already there. The link needs no API
//! key (a merchant opens it in a browser), so the grant is what stops anyone else from
//! (re-)linking a connection with their own books:
//! - it expires ([`GRANT_LIFETIME`] after the client read the connection);
//! - it is bound to its company and connection (an edited URL is refused);
//! - it re-links an already linked connection only when issued for one (the client, with
//!   its key, read a linked connection and chose to send the merchant again); a grant issued
//!   while the connection waited is spent once the connection is linked.
//!
//! Sealed with the service's secret key, so any process sharing the key can check it.

use crate::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{CompanyId, Connection, ConnectionId, ConnectionStatus};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Associated data binding sealed grants to this use.
const BINDING: &[u8] = b"commerce-sync link grant v1";
/// How long a `linkUrl` works after the client read it.
pub const GRANT_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

#[derive(Debug, Serialize, Deserialize)]
pub struct LinkGrant {
    pub company: CompanyId,
    pub connection: ConnectionId,
    /// May replace credentials of a connection that is linked (or was deauthorized).
    pub relink: bool,
    pub expires: Timestamp,
}

/// Why a link was refused, in the merchant's words.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Missing, altered, or for another connection.
    Invalid,
    Expired,
    /// The connection is linked already and the grant was not issued to re-link it.
    AlreadyLinked,
}

/// The `linkUrl` of `connection`, valid for [`GRANT_LIFETIME`] from `now`.
pub fn link_url(state: &AppState, connection: &Connection, now: Timestamp) -> String {
    let grant = LinkGrant {
        company: connection.company_id,
        connection: connection.id,
        relink: connection.status != ConnectionStatus::PendingAuth,
        expires: now + GRANT_LIFETIME,
    };
    let sealed = state.cipher.seal(
        BINDING,
        &serde_json::to_vec(&grant).expect("a grant serializes"),
    );
    format!(
        "{}/sync-flow/companies/{}/connections/{}/start?grant={}",
        state.public_url,
        connection.company_id,
        connection.id,
        URL_SAFE_NO_PAD.encode(sealed)
    )
}

/// Checks `raw` (the `grant` query value) for `connection`, as it stands `now`.
pub fn check(
    state: &AppState,
    raw: Option<&str>,
    connection: &Connection,
    now: Timestamp,
) -> Result<LinkGrant, Refusal> {
    let grant: LinkGrant = raw
        .and_then(|r| URL_SAFE_NO_PAD.decode(r).ok())
        .and_then(|sealed| state.cipher.open(BINDING, &sealed).ok())
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or(Refusal::Invalid)?;
    if grant.company != connection.company_id || grant.connection != connection.id {
        return Err(Refusal::Invalid);
    }
    if grant.expires < now {
        return Err(Refusal::Expired);
    }
    if connection.status == ConnectionStatus::Linked && !grant.relink {
        return Err(Refusal::AlreadyLinked);
    }
    Ok(grant)
}

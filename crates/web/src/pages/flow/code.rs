//! The Sync Flow start URL's one-time code: our sealed note of which client and company it
//! opens, valid [`CODE_LIFETIME`], spent on first use (its nonce is recorded), so a URL that
//! leaked from a browser's history opens nothing.

use crate::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{ClientId, CompanyId};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

const BINDING: &[u8] = b"commerce-sync flow code v1";
pub const CODE_LIFETIME: SignedDuration = SignedDuration::from_secs(30);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowCode {
    pub client: ClientId,
    pub client_name: String,
    pub company: CompanyId,
    pub nonce: String,
    pub expires: Timestamp,
    /// Checked against the client's registered origins when the code was issued.
    pub redirect_url: Option<String>,
}

/// Why a code opens nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Invalid,
    Expired,
    Used,
}

/// The start URL for `code`.
pub fn start_url(state: &AppState, code: &FlowCode) -> String {
    let sealed = state.cipher.seal(
        BINDING,
        &serde_json::to_vec(code).expect("a code serializes"),
    );
    format!(
        "{}/sync-flow/start?otp={}",
        state.public_url,
        URL_SAFE_NO_PAD.encode(sealed)
    )
}

/// Opens and spends `raw`.
pub async fn redeem(state: &AppState, raw: Option<&str>) -> Result<FlowCode, Refusal> {
    let code: FlowCode = raw
        .and_then(|r| URL_SAFE_NO_PAD.decode(r).ok())
        .and_then(|sealed| state.cipher.open(BINDING, &sealed).ok())
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or(Refusal::Invalid)?;
    let now = state.clock.now();
    if code.expires < now {
        return Err(Refusal::Expired);
    }
    match state.store.spend_code(&code.nonce, code.expires, now).await {
        Ok(true) => Ok(code),
        Ok(false) => Err(Refusal::Used),
        Err(e) => {
            tracing::error!(error = %e, "could not record a spent code");
            Err(Refusal::Invalid)
        }
    }
}

//! The signature on every delivery: Stripe's scheme, so receivers can reuse what they know.
//!
//! `Commerce-Sync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with
//! the endpoint's whole secret string (`whsec_…`). Signing the timestamp with the body lets a
//! receiver refuse replays older than its tolerance.

use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "Commerce-Sync-Signature";
pub const EVENT_ID_HEADER: &str = "Commerce-Sync-Event-Id";
pub const EVENT_TYPE_HEADER: &str = "Commerce-Sync-Event-Type";

/// How far a signature's time may be from the receiver's clock (Stripe's default too).
pub const DEFAULT_TOLERANCE: SignedDuration = SignedDuration::from_secs(300);

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(digest))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is not `t=<unix seconds>,v1=<hex>`")]
    Malformed,
    #[error("no v1 signature matches the body with this secret")]
    Mismatch,
    #[error("the signature is {age_seconds} s from now, beyond the tolerance")]
    Stale { age_seconds: i64 },
}

/// Checks a received `Commerce-Sync-Signature` header against the raw body, as a receiver
/// must: the HMAC compared in constant time, and the signed time within `tolerance` of `now`.
/// Several `v1` entries are allowed; any one matching suffices.
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: Timestamp,
    tolerance: SignedDuration,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => {
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                )
            }
            Some(("v1", value)) => signatures.push(value),
            // Other schemes (a future v2) are ignored, as Stripe's clients do.
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let matches = signatures.iter().any(|candidate| {
        hex::decode(candidate)
            .is_ok_and(|bytes| mac(secret, timestamp, body).verify_slice(&bytes).is_ok())
    });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    let age_seconds = now.as_second().saturating_sub(timestamp);
    if age_seconds.unsigned_abs() > tolerance.as_secs().unsigned_abs() {
        return Err(SignatureError::Stale { age_seconds });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test0123456789";
    const BODY: &[u8] = br#"{"id":"e1","type":"sync.completed"}"#;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    #[test]
    fn a_good_signature_verifies() {
        let header = sign(SECRET, 1_800_000_000, BODY);
        assert!(header.starts_with("t=1800000000,v1="));
        assert_eq!(header.len(), "t=1800000000,v1=".len() + 64);
        assert_eq!(
            verify(SECRET, &header, BODY, at(1_800_000_010), DEFAULT_TOLERANCE),
            Ok(())
        );
    }

    #[test]
    fn matches_an_independent_hmac_sha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        // Our message is "<t>.<body>", so t=0 and body "what…" gives "0.what…"; compute it
        // with the same primitive over the joined string to pin the framing.
        let mut reference = HmacSha256::new_from_slice(b"Jefe").unwrap();
        reference.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(reference.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut joined = HmacSha256::new_from_slice(b"Jefe").unwrap();
        joined.update(b"42.body");
        let expected = format!("t=42,v1={}", hex::encode(joined.finalize().into_bytes()));
        assert_eq!(sign("Jefe", 42, b"body"), expected);
    }

    #[test]
    fn agrees_with_the_python_sample_in_the_docs() {
        // Computed with Python's hmac module, as docs/webhooks.md verifies.
        let body = br#"{"id":"3f0a6c0e-8a51-4d7e-9a5e-3b1c2f4d5e6f","type":"sync.completed"}"#;
        assert_eq!(
            sign("whsec_docs0example0secret", 1_795_716_000, body),
            "t=1795716000,v1=da30152a87b74d18157a3237a40c7fd7e7ce3d03ae68d7cec3134c1e7c06fd7d"
        );
    }

    #[test]
    fn a_tampered_body_fails() {
        let header = sign(SECRET, 1_800_000_000, BODY);
        let tampered = br#"{"id":"e1","type":"sync.failed"}"#;
        assert_eq!(
            verify(
                SECRET,
                &header,
                tampered,
                at(1_800_000_000),
                DEFAULT_TOLERANCE
            ),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_wrong_secret_fails() {
        let header = sign(SECRET, 1_800_000_000, BODY);
        assert_eq!(
            verify(
                "whsec_other",
                &header,
                BODY,
                at(1_800_000_000),
                DEFAULT_TOLERANCE
            ),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_changed_timestamp_fails() {
        let header = sign(SECRET, 1_800_000_000, BODY).replace("t=1800000000", "t=1800000100");
        assert_eq!(
            verify(SECRET, &header, BODY, at(1_800_000_100), DEFAULT_TOLERANCE),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_stale_or_future_timestamp_fails_beyond_the_tolerance_only() {
        let header = sign(SECRET, 1_800_000_000, BODY);
        assert_eq!(
            verify(SECRET, &header, BODY, at(1_800_000_300), DEFAULT_TOLERANCE),
            Ok(())
        );
        assert_eq!(
            verify(SECRET, &header, BODY, at(1_800_000_301), DEFAULT_TOLERANCE),
            Err(SignatureError::Stale { age_seconds: 301 })
        );
        assert_eq!(
            verify(SECRET, &header, BODY, at(1_799_999_000), DEFAULT_TOLERANCE),
            Err(SignatureError::Stale { age_seconds: -1000 })
        );
    }

    #[test]
    fn malformed_headers_are_refused_and_extra_schemes_ignored() {
        let now = at(1_800_000_000);
        for bad in ["", "v1=ab", "t=1800000000", "t=soon,v1=ab", "garbage"] {
            assert_eq!(
                verify(SECRET, bad, BODY, now, DEFAULT_TOLERANCE),
                Err(SignatureError::Malformed),
                "{bad:?}"
            );
        }
        let good = sign(SECRET, 1_800_000_000, BODY);
        let with_others = format!("{good},v0=deadbeef,v1=not-hex");
        assert_eq!(
            verify(SECRET, &with_others, BODY, now, DEFAULT_TOLERANCE),
            Ok(())
        );
    }
}

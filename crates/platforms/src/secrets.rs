//! Credentials at rest: AES-256-GCM, with the connection id bound as associated data so a
//! sealed blob copied onto another connection's row does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

/// Format version, first byte of every sealed blob, so the scheme can change later.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// The 32-byte key tokens are sealed with (`COMMERCE_SYNC_SECRET_KEY`, base64).
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the secret key must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)")]
    BadKey,
    #[error("sealed credentials could not be opened (wrong key, or not this connection's)")]
    CannotOpen,
}

impl SecretKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_base64(text: &str) -> Result<Self, SecretError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| SecretError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey)?;
        Ok(Self(bytes))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }
}

/// Seals and opens credentials.
pub struct TokenCipher {
    cipher: Aes256Gcm,
}

impl TokenCipher {
    pub fn new(key: &SecretKey) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key.0)),
        }
    }

    /// `plaintext` sealed for the connection named by `binding`.
    pub fn seal(&self, binding: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: binding,
                },
            )
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(VERSION);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    pub fn open(&self, binding: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SecretError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != VERSION {
            return Err(SecretError::CannotOpen);
        }
        let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: binding,
                },
            )
            .map_err(|_| SecretError::CannotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_only_for_the_same_binding_and_key() {
        let key = SecretKey::generate();
        let cipher = TokenCipher::new(&key);
        let sealed = cipher.seal(b"connection-a", b"refresh-token");
        assert!(
            !sealed.windows(13).any(|w| w == b"refresh-token"),
            "plaintext must not show"
        );
        assert_eq!(
            cipher.open(b"connection-a", &sealed).unwrap(),
            b"refresh-token"
        );
        assert_eq!(
            cipher.open(b"connection-b", &sealed),
            Err(SecretError::CannotOpen)
        );
        let other = TokenCipher::new(&SecretKey::generate());
        assert_eq!(
            other.open(b"connection-a", &sealed),
            Err(SecretError::CannotOpen)
        );
        assert_eq!(
            cipher.open(b"connection-a", &sealed[..5]),
            Err(SecretError::CannotOpen)
        );
        assert_ne!(
            cipher.seal(b"a", b"x"),
            cipher.seal(b"a", b"x"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn keys_round_trip_through_base64_and_reject_bad_lengths() {
        let key = SecretKey::generate();
        let again = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.0, key.0);
        assert_eq!(
            SecretKey::from_base64("c2hvcnQ=").unwrap_err(),
            SecretError::BadKey
        );
        assert_eq!(
            SecretKey::from_base64("not base64!").unwrap_err(),
            SecretError::BadKey
        );
        assert_eq!(format!("{key:?}"), "SecretKey(***)");
    }
}

//! Endpoints' signing secrets: generated here, shown to the client once, kept sealed.
//!
//! We must sign with the secret, so it cannot be hashed like an API key; it is sealed with the
//! deployment's `COMMERCE_SYNC_SECRET_KEY` (AES-256-GCM, the same cipher as connection
//! credentials), bound to the endpoint's id so a sealed secret copied onto another endpoint's
//! row does not open.

use platforms::TokenCipher;
use platforms::secrets::SecretError;
use rand::Rng;
use store::WebhookEndpointId;

/// Prefix of every signing secret (Stripe's), so a leaked one is recognisable.
pub const SECRET_PREFIX: &str = "whsec_";
const SECRET_RANDOM_CHARS: usize = 40;

/// A new random signing secret.
pub fn generate_secret() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let random: String = (0..SECRET_RANDOM_CHARS)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{SECRET_PREFIX}{random}")
}

fn binding(endpoint: WebhookEndpointId) -> Vec<u8> {
    let mut binding = b"webhook-endpoint:".to_vec();
    binding.extend_from_slice(endpoint.0.as_bytes());
    binding
}

pub fn seal_secret(cipher: &TokenCipher, endpoint: WebhookEndpointId, secret: &str) -> Vec<u8> {
    cipher.seal(&binding(endpoint), secret.as_bytes())
}

pub fn open_secret(
    cipher: &TokenCipher,
    endpoint: WebhookEndpointId,
    sealed: &[u8],
) -> Result<String, SecretError> {
    let bytes = cipher.open(&binding(endpoint), sealed)?;
    String::from_utf8(bytes).map_err(|_| SecretError::CannotOpen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use platforms::SecretKey;

    #[test]
    fn secrets_are_random_prefixed_and_open_only_for_their_endpoint() {
        let secret = generate_secret();
        assert!(secret.starts_with("whsec_") && secret.len() == 46);
        assert_ne!(secret, generate_secret());
        let cipher = TokenCipher::new(&SecretKey::generate());
        let endpoint = WebhookEndpointId::new();
        let sealed = seal_secret(&cipher, endpoint, &secret);
        assert_eq!(open_secret(&cipher, endpoint, &sealed), Ok(secret));
        assert_eq!(
            open_secret(&cipher, WebhookEndpointId::new(), &sealed),
            Err(SecretError::CannotOpen)
        );
    }
}

//! The random tokens of the pages' cookies and forms, and their comparison.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

/// 32 random bytes, URL-safe.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares in constant time, so a token cannot be guessed a character at a time; an empty
/// expected token matches nothing.
pub fn same(sent: Option<&str>, expected: &str) -> bool {
    sent.is_some_and(|s| {
        !expected.is_empty()
            && s.len() == expected.len()
            && s.bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_compare_exactly() {
        let (a, b) = (token(), token());
        assert_ne!(a, b);
        assert!(same(Some(&a), &a));
        assert!(!same(Some(&b), &a));
        assert!(!same(None, &a));
        assert!(!same(Some(""), ""));
    }
}

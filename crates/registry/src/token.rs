//! API tokens: `rmk_<id>_<secret>`. The id (12 hex digits) finds the token's row; the
//! secret (64 hex digits, 256 bits from the operating system) is checked against the
//! argon2id hash stored there. The secret is shown once, at creation, and never stored.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::Error;

/// The prefix every token starts with (so secret scanners can find leaked ones).
pub const PREFIX: &str = "rmk_";

/// A new token: its id and the whole token text.
pub(crate) struct NewToken {
    pub(crate) id: String,
    pub(crate) token: String,
    pub(crate) hash: String,
}

fn random_hex(bytes: usize) -> Result<String, Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

pub(crate) fn generate() -> Result<NewToken, Error> {
    let id = random_hex(6)?;
    let secret = random_hex(32)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::Internal(format!("a token's salt: {e}")))?;
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| Error::Internal(format!("hashing a token: {e}")))?
        .to_string();
    Ok(NewToken {
        token: format!("{PREFIX}{id}_{secret}"),
        id,
        hash,
    })
}

/// Splits a token into (id, secret); `None` when it is not shaped like one.
pub(crate) fn split(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id, 12) && hex(secret, 64)).then_some((id, secret))
}

/// Whether `secret` matches the stored hash.
pub(crate) fn matches(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_own_secret() {
        let t = generate().unwrap();
        let (id, secret) = split(&t.token).unwrap();
        assert_eq!(id, t.id);
        assert!(matches(secret, &t.hash));
        let other = generate().unwrap();
        let (_, other_secret) = split(&other.token).unwrap();
        assert!(!matches(other_secret, &t.hash));
        assert!(!t.hash.contains(secret), "the secret is not in its hash");
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "rmk_",
            "rmk_abc_def",
            "xyz_0123456789ab_0000000000000000000000000000000000000000000000000000000000000000",
            "rmk_0123456789ab_000000000000000000000000000000000000000000000000000000000000000g",
        ] {
            assert!(split(bad).is_none(), "{bad}");
        }
    }
}

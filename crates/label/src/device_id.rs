//! The stable device id: readable slugs of manufacturer and model plus a short hash.

use sha2::{Digest, Sha256};

/// Longest slug kept per part.
const MAX_SLUG: usize = 32;

/// The device id of a product: `<slug(manufacturer)>-<slug(model)>-<8 hex digits>`.
///
/// The hash is SHA-256 over `norm(manufacturer) + "\n" + norm(model)` where `norm` trims,
/// collapses whitespace runs to one space and lowercases; a slug keeps ASCII letters and
/// digits (lowercased), turns every other run into one `-`, is cut at 32 characters and
/// is left out when empty (a name in another script gives just the hash).
///
/// ```
/// assert_eq!(riskmark_label::device_id("Acme Home Ltd", "SP-100"),
///            riskmark_label::device_id("  acme  home LTD ", "sp-100"));
/// assert!(riskmark_label::device_id("Acme Home Ltd", "SP-100").starts_with("acme-home-ltd-sp-100-"));
/// ```
pub fn device_id(manufacturer: &str, model: &str) -> String {
    let mut h = Sha256::new();
    h.update(norm(manufacturer).as_bytes());
    h.update(b"\n");
    h.update(norm(model).as_bytes());
    let digest = h.finalize();
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let mut parts: Vec<String> = [slug(manufacturer), slug(model)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    parts.push(hash);
    parts.join("-")
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(MAX_SLUG).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_readable() {
        let id = device_id("Acme Home Ltd", "SP-100");
        assert!(id.starts_with("acme-home-ltd-sp-100-"), "{id}");
        assert_eq!(id.len(), "acme-home-ltd-sp-100-".len() + 8);
        assert_eq!(id, device_id("acme home ltd", "sp-100"));
        assert_eq!(id, device_id(" Acme  Home Ltd ", "SP-100"));
    }

    #[test]
    fn colliding_slugs_differ_in_hash() {
        let a = device_id("Acme", "SP-100");
        let b = device_id("Acme", "SP 100");
        assert_ne!(a, b);
        assert_eq!(a[..a.len() - 8], b[..b.len() - 8]);
    }

    #[test]
    fn other_scripts_and_long_names() {
        let id = device_id("株式会社アクメ", "スマートプラグ");
        assert_eq!(id.len(), 8, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let long = device_id(&"x".repeat(100), "M/1");
        assert!(
            long.starts_with(&format!("{}-m-1-", "x".repeat(32))),
            "{long}"
        );
    }
}

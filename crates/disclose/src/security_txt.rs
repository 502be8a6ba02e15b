//! RFC 9116 `security.txt`.
//!
//! | field | from |
//! |---|---|
//! | `Contact` (required) | `disclosure.contact` (`mailto:`, `https:` or `tel:`) |
//! | `Expires` (required) | `--expires`, else `as_of` plus one year (RFC 9116 2.5.5 recommends less than a year ahead) |
//! | `Policy` | `disclosure.policy_url`, when it is an `https` URL |
//! | `Preferred-Languages` | the languages asked for (`en` by default) |
//! | `Canonical` | `disclosure.security_txt`, when it is an `https` URL |
//! | `CSAF` | `disclosure.advisories_url`, when it points at a `provider-metadata.json` (CSAF 2.0 7.1.8) |

use std::fmt::Write as _;

use jiff::ToSpan as _;
use jiff::civil::Date;
use riskmark_model::Profile;

use crate::{DiscloseError, Generated, day_start, is_https_url};

/// What to write besides the profile's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The day the file is made; `Expires` defaults to a year later.
    pub as_of: Date,
    /// `Expires`, when given; must lie after `as_of` and at most a year ahead of it.
    pub expires: Option<Date>,
    /// `Preferred-Languages` (RFC 5646 tags), in order; empty means `en`.
    pub languages: Vec<String>,
}

/// Makes the file. Its text ends with a line feed, as RFC 9116 2.2 requires.
pub fn generate(profile: &Profile, opts: &Options) -> Result<Generated<String>, DiscloseError> {
    let mut warnings = Vec::new();
    let d = profile.disclosure.as_ref();
    let contact = d
        .and_then(|d| d.contact.as_deref())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            DiscloseError::new(
                "disclosure.contact",
                "missing: security.txt requires a Contact (a `mailto:`, `https:` or `tel:` URI)",
            )
        })?;
    let contact = contact_uri(contact)?;

    let limit = opts.as_of.checked_add(1.year()).map_err(|e| {
        DiscloseError::new(
            "--as-of",
            format!("{}: no date a year later ({e})", opts.as_of),
        )
    })?;
    let expires = match opts.expires {
        None => limit,
        Some(e) if e <= opts.as_of => {
            return Err(DiscloseError::new(
                "--expires",
                format!("{e} is not after the as-of date {}", opts.as_of),
            ));
        }
        Some(e) if e > limit => {
            return Err(DiscloseError::new(
                "--expires",
                format!(
                    "{e} is more than a year after {}: RFC 9116 recommends an Expires less than a year ahead (at most {limit})",
                    opts.as_of
                ),
            ));
        }
        Some(e) => e,
    };

    let languages = if opts.languages.is_empty() {
        vec!["en".to_owned()]
    } else {
        opts.languages.clone()
    };
    if let Some(bad) = languages.iter().find(|l| !is_language_tag(l)) {
        return Err(DiscloseError::new(
            "--lang",
            format!("`{bad}` is not an RFC 5646 language tag (e.g. `en`, `de`, `pt-BR`)"),
        ));
    }

    let mut s = String::new();
    let _ = writeln!(
        s,
        "# security.txt (RFC 9116) for {} ({}), made by riskmark from its device profile.",
        one_line(&profile.product.name),
        one_line(&profile.product.model)
    );
    let _ = writeln!(s, "Contact: {contact}");
    let _ = writeln!(s, "Expires: {}", day_start(expires));
    match d.and_then(|d| d.policy_url.as_deref()) {
        Some(p) if is_https_url(p) => {
            let _ = writeln!(s, "Policy: {p}");
        }
        Some(p) => warnings.push(format!(
            "disclosure.policy_url `{p}` is not an https URL: no Policy field"
        )),
        None => {}
    }
    let _ = writeln!(s, "Preferred-Languages: {}", languages.join(", "));
    match d.and_then(|d| d.security_txt.as_deref()) {
        Some(c) if is_https_url(c) => {
            let _ = writeln!(s, "Canonical: {c}");
            if !c.ends_with("/.well-known/security.txt") {
                warnings.push(format!(
                    "disclosure.security_txt `{c}` is not at /.well-known/security.txt, where RFC 9116 3 says to publish it"
                ));
            }
        }
        Some(c) => warnings.push(format!(
            "disclosure.security_txt `{c}` is not an https URL: no Canonical field"
        )),
        None => {}
    }
    match d.and_then(|d| d.advisories_url.as_deref()) {
        Some(a) if is_https_url(a) && a.ends_with("/provider-metadata.json") => {
            let _ = writeln!(s, "CSAF: {a}");
        }
        Some(a) => warnings.push(format!(
            "disclosure.advisories_url `{a}` is not an https URL of a provider-metadata.json: no CSAF field"
        )),
        None => {}
    }
    if contact.starts_with("mailto:") {
        warnings.push(
            "the Contact is an e-mail address: consider adding an Encryption field (RFC 9116 2.5.4) and signing the file (RFC 9116 2.3)".to_owned(),
        );
    }
    Ok(Generated {
        content: s,
        warnings,
    })
}

/// The contact as a URI RFC 9116 accepts.
fn contact_uri(c: &str) -> Result<String, DiscloseError> {
    let bad = |why: &str| DiscloseError::new("disclosure.contact", format!("`{c}`: {why}"));
    if c.contains(char::is_whitespace) {
        return Err(bad("a URI has no white space"));
    }
    if let Some(addr) = c.strip_prefix("mailto:") {
        return match addr.split_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') => Ok(c.to_owned()),
            _ => Err(bad("not a mailto: URI with an e-mail address")),
        };
    }
    if c.starts_with("tel:") && c.len() > 4 {
        return Ok(c.to_owned());
    }
    if c.starts_with("http://") {
        return Err(bad("RFC 9116 2.5.3 requires https for web URIs"));
    }
    if is_https_url(c) {
        return Ok(c.to_owned());
    }
    Err(bad(
        "expected a `mailto:`, `https:` or `tel:` URI (e.g. `mailto:security@example.com`)",
    ))
}

/// A loose RFC 5646 check: a 2-3 (or 5-8) letter primary language and subtags of 1-8
/// letters or digits.
fn is_language_tag(t: &str) -> bool {
    let mut parts = t.split('-');
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        matches!(primary.len(), 2 | 3 | 5..=8) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["en", "de", "pt-BR", "zh-Hant-TW", "gsw"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e", "en_US", "englishlanguage", "en-", "12"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn contacts() {
        assert!(contact_uri("mailto:security@acme.example").is_ok());
        assert!(contact_uri("https://acme.example/report").is_ok());
        assert!(contact_uri("tel:+1-201-555-0123").is_ok());
        assert!(contact_uri("http://acme.example/report").is_err());
        assert!(contact_uri("security@acme.example").is_err());
        assert!(contact_uri("mailto:nobody").is_err());
    }
}

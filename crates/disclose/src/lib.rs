//! Disclosure files made from a device security profile (and, for CSAF, the scan of its
//! SBOM):
//!
//! - [`security_txt`]: an RFC 9116 `security.txt` (`Contact`, `Expires`, `Policy`,
//!   `Preferred-Languages`, `Canonical`, `CSAF`);
//! - [`csaf`]: a CSAF 2.0 `csaf_vex` document for the device's known vulnerabilities and a
//!   `provider-metadata.json` stub;
//! - [`mud`]: an RFC 8520 Manufacturer Usage Description with the access lists the
//!   declared services and cloud dependency call for.
//!
//! Every output is a pure function of its inputs and an `as_of` date: the same inputs give
//! the same bytes. Problems with the inputs are [`DiscloseError`]s naming the field;
//! things worth telling the user that do not stop the output are returned as warnings.

#![warn(missing_docs)]

pub mod csaf;
pub mod mud;
pub mod security_txt;

use riskmark_model::Profile;

/// An input that cannot make a valid disclosure file: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {message}")]
pub struct DiscloseError {
    /// Dotted profile field (`disclosure.contact`) or command-line option (`--expires`).
    pub field: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl DiscloseError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A generated file, with what the user should know about how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated<T> {
    /// The content.
    pub content: T,
    /// Fields that were left out or assumed, in words.
    pub warnings: Vec<String>,
}

/// The host of an `https://` URL, lower-cased, without port and user info; `None` when
/// the text is not an `https` URL with a plausible host name.
pub fn https_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    plausible_host(host)
}

fn plausible_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ok = host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    ok.then_some(host)
}

/// Whether a text is an `https://` URL with a plausible host and no white space.
pub(crate) fn is_https_url(url: &str) -> bool {
    https_host(url).is_some() && !url.contains(char::is_whitespace)
}

/// The domain the manufacturer discloses under, and the profile field it came from:
/// the host of `disclosure.policy_url`, else of `disclosure.security_txt`, else of
/// `disclosure.advisories_url`, else of `disclosure.contact` (a `mailto:` address's
/// domain or an `https:` URL's host). A leading `www.` is dropped.
pub fn manufacturer_domain(profile: &Profile) -> Option<(String, &'static str)> {
    let d = profile.disclosure.as_ref()?;
    let from_url = |v: &Option<String>| v.as_deref().and_then(https_host);
    let found = from_url(&d.policy_url)
        .map(|h| (h, "disclosure.policy_url"))
        .or_else(|| from_url(&d.security_txt).map(|h| (h, "disclosure.security_txt")))
        .or_else(|| from_url(&d.advisories_url).map(|h| (h, "disclosure.advisories_url")))
        .or_else(|| {
            let c = d.contact.as_deref()?;
            let host = match c.strip_prefix("mailto:") {
                Some(addr) => {
                    let addr = addr.split('?').next().unwrap_or("");
                    plausible_host(addr.rsplit_once('@')?.1)?
                }
                None => https_host(c)?,
            };
            Some((host, "disclosure.contact"))
        })?;
    let (host, field) = found;
    let host = match host.strip_prefix("www.") {
        Some(h) if h.contains('.') => h.to_owned(),
        _ => host,
    };
    Some((host, field))
}

/// A lower-case identifier made of `[a-z0-9-]`, for file names and ids.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "x".to_owned() } else { out }
}

/// `YYYY-MM-DDT00:00:00Z`: the start of a day in UTC.
pub(crate) fn day_start(date: jiff::civil::Date) -> String {
    format!("{date}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            https_host("https://Acme.Example:8443/x?y").as_deref(),
            Some("acme.example")
        );
        assert_eq!(https_host("http://acme.example/"), None);
        assert_eq!(https_host("https://localhost/"), None);
        assert_eq!(https_host("https://bad_host.example/"), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("SF-AX3000 1.1.4.58"), "sf-ax3000-1-1-4-58");
        assert_eq!(slug("--"), "x");
    }
}

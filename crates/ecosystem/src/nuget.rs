//! NuGet: `NuGet.Versioning.NuGetVersion` parsing and `VersionComparer.Default`
//! ordering: up to four numeric parts (missing ones are 0, leading zeros
//! allowed), SemVer 2 pre-release labels compared case-insensitively, build
//! metadata ignored. A label is numeric when .NET's `int.TryParse` reads it
//! (so `-1` is numeric and below `0`, and `2147483648` is not numeric);
//! numeric labels compare as numbers and before the others. Numeric labels
//! with leading zeros are invalid, as in `SemanticVersion.IsValidPart`.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    /// What `int.TryParse` reads: an Int32, with an optional sign.
    Numeric(i32),
    /// Upper-cased, so that ordinal comparison ignores case.
    Alpha(Box<str>),
}

/// A parsed NuGet version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NuGetVersion {
    parts: [u32; 4],
    labels: Vec<Label>,
}

/// Parses like `NuGetVersion.TryParse`.
pub(crate) fn parse(input: &str) -> Result<NuGetVersion, VersionError> {
    let err = |reason: &str| VersionError::invalid(Scheme::NuGet, input, reason);
    let s = input.trim();
    let (s, build) = match s.split_once('+') {
        Some((s, b)) => (s, Some(b)),
        None => (s, None),
    };
    let valid_id =
        |id: &str| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if let Some(b) = build
        && !b.split('.').all(valid_id)
    {
        return Err(err("invalid metadata"));
    }
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    if numbers.len() > 4 {
        return Err(err("more than four version numbers"));
    }
    let mut parts = [0u32; 4];
    for (slot, n) in parts.iter_mut().zip(&numbers) {
        if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err("invalid version number"));
        }
        *slot = n
            .parse::<u32>()
            .ok()
            .filter(|v| i32::try_from(*v).is_ok())
            .ok_or_else(|| err("version number out of range"))?;
    }
    let labels = match pre {
        None => Vec::new(),
        Some(p) => {
            let mut labels = Vec::new();
            for id in p.split('.') {
                if !valid_id(id) {
                    return Err(err("invalid pre-release label"));
                }
                if id.len() > 1 && id.starts_with('0') && id.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(err("leading zero in a numeric pre-release label"));
                }
                // Labels hold only ASCII letters, digits and `-`, on which
                // Rust's i32 parsing accepts exactly what `int.TryParse` does.
                labels.push(match id.parse::<i32>() {
                    Ok(n) => Label::Numeric(n),
                    Err(_) => Label::Alpha(id.to_ascii_uppercase().into()),
                });
            }
            labels
        }
    };
    Ok(NuGetVersion { parts, labels })
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.labels.cmp(&other.labels),
            }
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        match (parse(a), parse(b)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            (a, b) => panic!("{a:?} {b:?}"),
        }
    }

    #[test]
    fn nuget_order() {
        for (a, b, want) in [
            ("1.0", "1.0.0.0", Ordering::Equal),
            ("1.0.0-BETA", "1.0.0-beta", Ordering::Equal),
            ("1.0.0+abc", "1.0.0+def", Ordering::Equal),
            ("1.01", "1.1", Ordering::Equal),
            ("1.0.0.1", "1.0.0", Ordering::Greater),
            ("1.0.0-alpha", "1.0.0", Ordering::Less),
            ("1.0.0-alpha.2", "1.0.0-alpha.10", Ordering::Less),
            ("1.0.0-alpha.10", "1.0.0-alpha.a", Ordering::Less),
            ("1.0.0-alpha", "1.0.0-alpha.1", Ordering::Less),
            ("1.0.0-Beta", "1.0.0-alpha", Ordering::Greater),
            ("2.0.0.0-rc", "1.9.9.9", Ordering::Greater),
            // Numeric as `int.TryParse` reads it: signed, at most Int32.
            ("1.0.0-a.-1", "1.0.0-a.0", Ordering::Less),
            ("1.0.0-a.-0", "1.0.0-a.0", Ordering::Equal),
            ("1.0.0-2147483647", "1.0.0-2147483648", Ordering::Less),
            ("1.0.0-10000000000", "1.0.0-3000000000", Ordering::Less),
        ] {
            assert_eq!(cmp(a, b), want, "{a} {b}");
        }
        for v in [
            "",
            "1.0.0.0.0",
            "a",
            "1.0-",
            "1..0",
            "1.0.0-a..b",
            "1.0.0+",
            "3000000000.0",
            "1.0.0-01",
            "1.0.0-a.00",
        ] {
            assert!(parse(v).is_err(), "{v:?}");
        }
    }
}

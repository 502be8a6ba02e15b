//! PyPI: PEP 440 through the `pep440_rs` crate (uv's implementation), which
//! orders exactly as pypa `packaging.version.Version`.

use std::str::FromStr;

use crate::{Scheme, VersionError};

/// Parses a PEP 440 version, normalizing spellings (`1.0RC1`, `1.0-post1`,
/// `v1.0`, surrounding whitespace).
pub(crate) fn parse(input: &str) -> Result<pep440_rs::Version, VersionError> {
    pep440_rs::Version::from_str(input)
        .map_err(|e| VersionError::invalid(Scheme::Pep440, input, e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        match (parse(a), parse(b)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            (a, b) => panic!("{a:?} {b:?}"),
        }
    }

    #[test]
    fn pep440_order() {
        // The ordering example of PEP 440 ("Summary of permitted suffixes and
        // relative ordering"), extended with epochs and local versions.
        let chain = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(w[0], w[1]), Ordering::Less, "{w:?}");
        }
    }

    #[test]
    fn pep440_normalization() {
        for (a, b) in [
            ("1.0RC1", "1.0rc1"),
            ("1.0-post1", "1.0.post1"),
            ("1.0-1", "1.0.post1"),
            ("1.0c1", "1.0rc1"),
            ("1.0alpha1", "1.0a1"),
            ("1.0.0", "1.0"),
            ("v1.0", "1.0"),
            ("0!1.0", "1.0"),
            ("1.0a", "1.0a0"),
            ("1.0-dev", "1.0.dev0"),
        ] {
            assert_eq!(cmp(a, b), Ordering::Equal, "{a} {b}");
        }
        for v in ["", "1.0-", "foo", "1.0+", "1..0"] {
            assert!(parse(v).is_err(), "{v}");
        }
    }
}

//! Debian and Ubuntu: a port of dpkg's `dpkg_version_compare` and
//! `parseversion` (lib/dpkg/version.c, lib/dpkg/parsehelp.c).
//!
//! A version is `[epoch:]upstream[-revision]`. Epochs compare numerically;
//! upstream and revision with `verrevcmp`: alternating non-digit and digit
//! runs, where in non-digit runs `~` sorts before everything (even the end),
//! then the end of the string, then letters, then other characters; digit
//! runs compare numerically.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// A parsed dpkg version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DebVersion {
    epoch: u32,
    upstream: Box<str>,
    revision: Box<str>,
}

/// Parses like dpkg's `parseversion`. What dpkg reports only as a warning
/// (upstream not starting with a digit, unusual characters) is accepted, as
/// `dpkg --compare-versions` does; its hard errors are returned.
pub(crate) fn parse(input: &str) -> Result<DebVersion, VersionError> {
    let err = |reason: &str| VersionError::invalid(Scheme::Dpkg, input, reason);
    let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    if s.contains(|c: char| c.is_ascii_whitespace()) {
        return Err(err("version string has embedded spaces"));
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) => {
            if e.is_empty() {
                return Err(err("epoch in version is empty"));
            }
            if !e.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err("epoch in version is not number"));
            }
            let epoch = e
                .parse::<u32>()
                .ok()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or_else(|| err("epoch in version is too big"))?;
            if rest.is_empty() {
                return Err(err("nothing after colon in version number"));
            }
            (epoch, rest)
        }
        None => (0, s),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => {
            if r.is_empty() {
                return Err(err("revision number is empty"));
            }
            (u, r)
        }
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err(err("version number is empty"));
    }
    Ok(DebVersion {
        epoch,
        upstream: upstream.into(),
        revision: revision.into(),
    })
}

/// dpkg's `order`: the weight of a non-digit character (0 for the end).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for DebVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

impl PartialOrd for DebVersion {
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
    fn dpkg_order() {
        // Debian Policy 5.6.12 and dpkg's t/version tests.
        let chain = [
            "~~", "~~a", "~", "", "a", "1.0~rc1", "1.0", "1.0-1", "1.0a", "1.0+b1", "1.0.1",
            "1:0.1",
        ];
        let chain: Vec<String> = chain
            .iter()
            .map(|s| {
                if s.starts_with(|c: char| c.is_ascii_digit()) {
                    (*s).to_owned()
                } else {
                    format!("0{s}")
                }
            })
            .collect();
        for w in chain.windows(2) {
            assert_eq!(cmp(&w[0], &w[1]), Ordering::Less, "{w:?}");
        }
        // An absent revision reads as "", which verrevcmp finds equal to "0".
        assert_eq!(cmp("1.0", "1.0-0"), Ordering::Equal);
        assert_eq!(cmp("0:1.0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("1.001", "1.1"), Ordering::Equal);
        assert_eq!(cmp("1.0-1ubuntu1", "1.0-1"), Ordering::Greater);
        assert_eq!(cmp("2.30-1ubuntu1~22.04", "2.30-1ubuntu1"), Ordering::Less);
        assert_eq!(cmp("1.2-3-4", "1.2-3"), Ordering::Greater);
    }

    #[test]
    fn dpkg_errors() {
        for v in [
            "",
            "  ",
            ":1.0",
            "a:1.0",
            "1:",
            "1.0-",
            "1 0",
            "99999999999:1",
        ] {
            assert!(parse(v).is_err(), "{v:?}");
        }
    }
}

//! RPM distributions: a port of rpm's `rpmvercmp` (rpmio/rpmvercmp.c) and of
//! the `[epoch:]version[-release]` comparison `rpmverCmp` (rpm 4.16+, as
//! used by the Lua `rpm.vercmp`).

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// A parsed RPM EVR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RpmVersion {
    epoch: Option<Box<str>>,
    version: Box<str>,
    release: Option<Box<str>>,
}

/// Splits `[epoch:]version[-release]` as rpm's `parseEVR`: the epoch is a
/// leading run of digits followed by `:`, the release follows the last `-`.
pub(crate) fn parse(input: &str) -> Result<RpmVersion, VersionError> {
    if input.is_empty() {
        return Err(VersionError::invalid(
            Scheme::Rpm,
            input,
            "version is empty",
        ));
    }
    let digits = input.bytes().take_while(u8::is_ascii_digit).count();
    let (epoch, rest) = match input[digits..].strip_prefix(':') {
        Some(rest) => {
            let e = &input[..digits];
            (Some(if e.is_empty() { "0" } else { e }), rest)
        }
        None => (None, input),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((v, r)) => (v, Some(r)),
        None => (rest, None),
    };
    Ok(RpmVersion {
        epoch: epoch.map(Into::into),
        version: version.into(),
        release: release.map(Into::into),
    })
}

/// rpm's `rpmvercmp` on two version (or release) strings.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    let at = |s: &[u8], k: usize| s.get(k).copied().unwrap_or(0);
    let skip = |c: u8| c != 0 && !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    while at(a, i) != 0 || at(b, j) != 0 {
        while skip(at(a, i)) {
            i += 1;
        }
        while skip(at(b, j)) {
            j += 1;
        }
        let (ca, cb) = (at(a, i), at(b, j));
        // Tilde sorts before everything else, even the end.
        if ca == b'~' || cb == b'~' {
            if ca != b'~' {
                return Ordering::Greater;
            }
            if cb != b'~' {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        // Caret sorts after the end but before anything else.
        if ca == b'^' || cb == b'^' {
            if ca == 0 {
                return Ordering::Less;
            }
            if cb == 0 {
                return Ordering::Greater;
            }
            if ca != b'^' {
                return Ordering::Greater;
            }
            if cb != b'^' {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == 0 || cb == 0 {
            break;
        }
        let isnum = ca.is_ascii_digit();
        let class = |c: u8| {
            if isnum {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let (si, sj) = (i, j);
        while class(at(a, i)) {
            i += 1;
        }
        while class(at(b, j)) {
            j += 1;
        }
        // Segments of different types: the numeric one is newer.
        if sj == j {
            return if isnum {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (mut sa, mut sb) = (&a[si..i], &b[sj..j]);
        if isnum {
            while sa.first() == Some(&b'0') {
                sa = &sa[1..];
            }
            while sb.first() == Some(&b'0') {
                sb = &sb[1..];
            }
            match sa.len().cmp(&sb.len()) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        match sa.cmp(sb) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    match (at(a, i) == 0, at(b, j) == 0) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let e1 = self.epoch.as_deref().unwrap_or("0");
        let e2 = other.epoch.as_deref().unwrap_or("0");
        rpmvercmp(e1, e2)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (Some(_), None) => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (None, None) => Ordering::Equal,
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpmvercmp_known() {
        // From rpm's tests/rpmvercmp.at.
        let cases: &[(&str, &str, Ordering)] = &[
            ("1.0", "1.0", Ordering::Equal),
            ("1.0", "2.0", Ordering::Less),
            ("2.0.1", "2.0", Ordering::Greater),
            ("2.0.1a", "2.0.1", Ordering::Greater),
            ("5.5p1", "5.5p10", Ordering::Less),
            ("10xyz", "10.1xyz", Ordering::Less),
            ("xyz10", "xyz10.1", Ordering::Less),
            ("xyz.4", "8", Ordering::Less),
            ("5.5p2", "5.6p1", Ordering::Less),
            ("6.0", "6.0.rc1", Ordering::Less),
            ("10b2", "10a1", Ordering::Greater),
            ("1.0aa", "1.0a", Ordering::Greater),
            ("10.0001", "10.1", Ordering::Equal),
            ("10.0039", "10.39", Ordering::Equal),
            ("4.999.9", "5.0", Ordering::Less),
            ("20101121", "20101122", Ordering::Less),
            ("2_0", "2_0", Ordering::Equal),
            ("2.0", "2_0", Ordering::Equal),
            ("a", "a", Ordering::Equal),
            ("+", "_", Ordering::Equal),
            ("1.0~rc1", "1.0", Ordering::Less),
            ("1.0~rc1", "1.0~rc2", Ordering::Less),
            ("1.0~rc1~git123", "1.0~rc1", Ordering::Less),
            ("1.0^", "1.0", Ordering::Greater),
            ("1.0^git1", "1.0", Ordering::Greater),
            ("1.0^git1", "1.01", Ordering::Less),
            ("1.0^20160101", "1.0.1", Ordering::Less),
            ("1.0^git1~pre", "1.0^git1", Ordering::Less),
            ("1.0~rc1^git1", "1.0~rc1", Ordering::Greater),
            ("1.0^git1", "1.0^git2", Ordering::Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(rpmvercmp(a, b), *want, "{a} {b}");
            assert_eq!(rpmvercmp(b, a), want.reverse(), "{b} {a}");
        }
    }

    #[test]
    fn evr() {
        let cmp = |a: &str, b: &str| match (parse(a), parse(b)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            (a, b) => panic!("{a:?} {b:?}"),
        };
        assert_eq!(cmp("1:1.0-1", "2.0-1"), Ordering::Greater);
        assert_eq!(cmp("0:1.0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("1.0-1.el9", "1.0-2.el9"), Ordering::Less);
        assert_eq!(cmp("1.0-1", "1.0"), Ordering::Greater);
        assert!(parse("").is_err());
    }
}

//! RubyGems: a port of `Gem::Version` (RubyGems 3.x): its validity pattern,
//! `-` meaning `.pre.`, segments of digits or letters, and `<=>` on the
//! canonical segments (trailing zeros of the numeric and of the string part
//! dropped). A letter segment marks a pre-release and sorts before numbers.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Digits without leading zeros.
    Num(Box<str>),
    Str(Box<str>),
}

impl Segment {
    fn is_zero(&self) -> bool {
        matches!(self, Self::Num(n) if &**n == "0")
    }
}

/// A parsed gem version (its canonical segments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GemVersion(Vec<Segment>);

/// `Gem::Version::ANCHORED_VERSION_PATTERN`:
/// `\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`
fn is_correct(v: &str) -> bool {
    let (main, pre) = match v.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (v, None),
    };
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    if !first_ok || !parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return false;
    }
    pre.is_none_or(|p| {
        p.split('.')
            .all(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
    })
}

/// Parses like `Gem::Version.new`: blank means `"0"`.
pub(crate) fn parse(input: &str) -> Result<GemVersion, VersionError> {
    // Ruby's \s: space, \t, \n, \v, \f, \r.
    let v = input.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r'));
    if !v.is_empty() && !is_correct(v) {
        return Err(VersionError::invalid(
            Scheme::RubyGems,
            input,
            "malformed version number string",
        ));
    }
    let v = if v.is_empty() {
        "0".to_owned()
    } else {
        v.replace('-', ".pre.")
    };
    // `scan(/[0-9]+|[a-z]+/i)`
    let mut segments = Vec::new();
    let bytes = v.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n = v[start..i].trim_start_matches('0');
            segments.push(Segment::Num(if n.is_empty() { "0" } else { n }.into()));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            segments.push(Segment::Str(v[start..i].into()));
        } else {
            i += 1;
        }
    }
    // `canonical_segments`: drop trailing zeros of the numeric part and of
    // the part from the first string segment on, separately.
    let split = segments
        .iter()
        .position(|s| matches!(s, Segment::Str(_)))
        .unwrap_or(segments.len());
    let mut string_part = segments.split_off(split);
    while segments.last().is_some_and(Segment::is_zero) {
        segments.pop();
    }
    while string_part.last().is_some_and(Segment::is_zero) {
        string_part.pop();
    }
    segments.append(&mut string_part);
    Ok(GemVersion(segments))
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Num("0".into());
        let n = self.0.len().max(other.0.len());
        for i in 0..n {
            let l = self.0.get(i).unwrap_or(&zero);
            let r = other.0.get(i).unwrap_or(&zero);
            let o = match (l, r) {
                (Segment::Num(a), Segment::Num(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
                (Segment::Str(a), Segment::Str(b)) => a.cmp(b),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
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
    fn gem_order() {
        // From RubyGems' test_gem_version.rb (test_spaceship, test_eql).
        for (a, b, want) in [
            ("1.0", "1.0.a", Ordering::Greater),
            ("1.8.2", "0.0.0", Ordering::Greater),
            ("1.8.2", "1.8.2.a", Ordering::Greater),
            ("1.8.2.b", "1.8.2.a", Ordering::Greater),
            ("1.8.2.a", "1.8.2", Ordering::Less),
            ("1.8.2.a10", "1.8.2.a9", Ordering::Greater),
            ("", "0", Ordering::Equal),
            ("0.beta.1", "0.0.beta.1", Ordering::Equal),
            ("0.0.beta", "0.0.beta.1", Ordering::Less),
            ("5.a", "5.0.0.rc2", Ordering::Less),
            ("5.x", "5.0.0.rc2", Ordering::Greater),
            ("1.9.3", "1.9.3.0", Ordering::Equal),
            ("1.0.0-rc1", "1.0.0.pre.rc1", Ordering::Equal),
            ("1.0.0-rc1", "1.0.0", Ordering::Less),
            ("1.0.0a", "1.0.0.a", Ordering::Equal),
            ("1.0.0.A", "1.0.0.a", Ordering::Less),
        ] {
            assert_eq!(cmp(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn gem_invalid() {
        for v in [
            "junk",
            "1.0\n2.0",
            "1..2",
            "1.2\\ 3.4",
            "2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.",
            "1.0-",
            "a1",
        ] {
            assert!(parse(v).is_err(), "{v:?}");
        }
    }
}

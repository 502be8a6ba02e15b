//! Packagist: Composer's ordering, i.e. `VersionParser::normalize` (Composer
//! 2.x) followed by PHP's `version_compare` (ext/standard/versioning.c).
//!
//! Normalization turns `v1.2`, `1.2-RC1`, `1.2.0-beta.2`, `1.2-p1` into
//! `1.2.0.0`, `1.2.0.0-RC1`, `1.2.0.0-beta2`, `1.2.0.0-patch1`; PHP then
//! orders `dev < alpha = a < beta = b < RC = rc < (number) < patch = pl = p`.
//! Branch versions (`dev-main`, `1.x-dev`) have no order and are rejected.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// A normalized Composer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComposerVersion(Box<str>);

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    head.eq_ignore_ascii_case(p).then(|| &s[p.len()..])
}

/// Matches `([.-]?dev)?$`: `Some(true)` when a `dev` marker ends `s`.
fn match_dev_end(s: &str) -> Option<bool> {
    if s.is_empty() {
        return Some(false);
    }
    let r = s.strip_prefix(['.', '-']).unwrap_or(s);
    r.eq_ignore_ascii_case("dev").then_some(true)
}

/// Matches `((?:[.-]?\d+)*+)?([.-]?dev)?$` on `s`: the stability number
/// (the repetition is possessive, so it is taken greedily) and the dev flag.
fn match_tail(s: &str) -> Option<(&str, bool)> {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let j = if matches!(b.get(i), Some(b'.' | b'-')) {
            i + 1
        } else {
            i
        };
        let digits = b
            .get(j..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            break;
        }
        i = j + digits;
    }
    match_dev_end(&s[i..]).map(|dev| (&s[..i], dev))
}

/// Matches Composer's `$modifierRegex` followed by `$` on `s`, trying the
/// alternatives in the order a backtracking regex engine does:
/// `[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?`.
/// Returns (stability, number, dev).
fn match_modifier(s: &str) -> Option<(Option<&str>, &str, bool)> {
    let starts: &[&str] = match s.strip_prefix(['.', '_', '-']) {
        Some(rest) => &[rest, s],
        None => &[s],
    };
    for start in starts {
        for st in STABILITIES {
            if let Some(after) = strip_prefix_ci(start, st)
                && let Some((number, dev)) = match_tail(after)
            {
                return Some((Some(&start[..st.len()]), number, dev));
            }
        }
        if let Some(dev) = match_dev_end(start) {
            return Some((None, "", dev));
        }
    }
    None
}

fn expand_stability(s: &str) -> String {
    match s.to_ascii_lowercase().as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        other => other.to_owned(),
    }
}

/// Composer's `normalize`, restricted to what can be ordered.
fn normalize(input: &str) -> Result<String, &'static str> {
    let mut v = input.trim();
    // Strip aliasing: `1.0 as 2.0`.
    if let Some((left, _)) = v.split_once(" as ") {
        v = left.trim();
    }
    // Strip a stability flag: `@beta`.
    if let Some((left, flag)) = v.rsplit_once('@')
        && ["stable", "rc", "beta", "alpha", "dev"]
            .iter()
            .any(|f| flag.eq_ignore_ascii_case(f))
    {
        v = left;
    }
    if matches!(v, "master" | "trunk" | "default") || strip_prefix_ci(v, "dev-").is_some() {
        return Err("branch versions have no order");
    }
    // Strip build metadata.
    if let Some((left, meta)) = v.split_once('+')
        && !left.is_empty()
        && !meta.is_empty()
        && !meta.contains(char::is_whitespace)
    {
        v = left;
    }
    let body = v.strip_prefix(['v', 'V']).unwrap_or(v);
    // Classical: ^v?(\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)?<modifier>$
    let b = body.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=5).contains(&lead) && !b.get(lead).is_some_and(u8::is_ascii_digit) {
        let mut numbers = vec![&body[..lead]];
        let mut i = lead;
        while numbers.len() < 4 && b.get(i) == Some(&b'.') {
            let d = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if d == 0 {
                break;
            }
            numbers.push(&body[i + 1..i + 1 + d]);
            i += 1 + d;
        }
        if let Some((stability, number, dev)) = match_modifier(&body[i..]) {
            let mut out = numbers.join(".");
            for _ in numbers.len()..4 {
                out.push_str(".0");
            }
            return Ok(finish(out, stability, number, dev));
        }
    }
    // Date based: ^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})<modifier>$
    let max = body
        .bytes()
        .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b':' | b'-'))
        .count();
    for end in (4..=max).rev() {
        if is_date(&body[..end])
            && let Some((stability, number, dev)) = match_modifier(&body[end..])
        {
            let out: String = body[..end]
                .chars()
                .map(|c| if c.is_ascii_digit() { c } else { '.' })
                .collect();
            return Ok(finish(out, stability, number, dev));
        }
    }
    // Numeric branches: `1.x-dev`, `2.1.*-dev`.
    if body.len() > 3
        && body
            .get(body.len() - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case("dev"))
    {
        return Err("branch versions have no order");
    }
    Err("not a Composer version")
}

fn finish(mut out: String, stability: Option<&str>, number: &str, dev: bool) -> String {
    if let Some(st) = stability {
        if st == "stable" {
            return out;
        }
        out.push('-');
        out.push_str(&expand_stability(st));
        out.push_str(number.trim_start_matches(['.', '-']));
    }
    if dev {
        out.push_str("-dev");
    }
    out
}

/// `\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2}` on all of `s`.
fn is_date(s: &str) -> bool {
    fn groups(
        s: &[u8],
        min: usize,
        max: usize,
        count: usize,
        lo: usize,
        hi: usize,
        then: &dyn Fn(&[u8]) -> bool,
    ) -> bool {
        if count >= min && then(s) {
            return true;
        }
        if count == max {
            return false;
        }
        let body = s
            .strip_prefix(b".")
            .or_else(|| s.strip_prefix(b":"))
            .or_else(|| s.strip_prefix(b"-"));
        let mut bodies = vec![s];
        if let Some(b) = body {
            bodies.insert(0, b);
        }
        bodies.into_iter().any(|b| {
            (lo..=hi).rev().any(|n| {
                b.len() >= n
                    && b[..n].iter().all(u8::is_ascii_digit)
                    && groups(&b[n..], min, max, count + 1, lo, hi, then)
            })
        })
    }
    let b = s.as_bytes();
    b.len() >= 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && groups(&b[4..], 1, 6, 0, 2, 2, &|rest| {
            groups(rest, 0, 2, 0, 1, 3, &|r| r.is_empty())
        })
}

/// Parses and normalizes a Composer version.
pub(crate) fn parse(input: &str) -> Result<ComposerVersion, VersionError> {
    normalize(input)
        .map(|v| ComposerVersion(v.into()))
        .map_err(|reason| VersionError::invalid(Scheme::Composer, input, reason))
}

/// PHP's `php_canonicalize_version`.
fn canonicalize(v: &str) -> Vec<u8> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len() * 2);
    let Some(&first) = b.first() else {
        return out;
    };
    out.push(first);
    let mut lp = first;
    let isdig = |c: u8| c.is_ascii_digit();
    let isndig = |c: u8| !c.is_ascii_digit() && c != b'.';
    for &c in &b[1..] {
        let last_dot = out.last() == Some(&b'.');
        if matches!(c, b'-' | b'_' | b'+') {
            if !last_dot {
                out.push(b'.');
            }
        } else if (isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c)) {
            if !last_dot {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if !last_dot {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        lp = c;
    }
    out
}

/// PHP's `compare_special_version_forms` (prefix match, in table order).
fn special_form(form: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| form.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

/// C `strtol` on a digit run, saturating like glibc.
fn strtol(s: &[u8]) -> i64 {
    s.iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0i64, |acc, c| {
            acc.saturating_mul(10).saturating_add(i64::from(c - b'0'))
        })
}

/// PHP's `php_version_compare`.
fn php_version_compare(v1: &[u8], v2: &[u8]) -> Ordering {
    if v1.is_empty() || v2.is_empty() {
        return (!v1.is_empty()).cmp(&!v2.is_empty());
    }
    let c1 = if v1[0] == b'#' {
        v1.to_vec()
    } else {
        canonicalize(&String::from_utf8_lossy(v1))
    };
    let c2 = if v2[0] == b'#' {
        v2.to_vec()
    } else {
        canonicalize(&String::from_utf8_lossy(v2))
    };
    let mut p1: &[u8] = &c1;
    let mut p2: &[u8] = &c2;
    let (mut more1, mut more2) = (true, true);
    let mut compare = Ordering::Equal;
    while !p1.is_empty() && !p2.is_empty() && more1 && more2 {
        let (e1, r1) = split_dot(p1);
        let (e2, r2) = split_dot(p2);
        more1 = r1.is_some();
        more2 = r2.is_some();
        let d1 = e1.first().is_some_and(u8::is_ascii_digit);
        let d2 = e2.first().is_some_and(u8::is_ascii_digit);
        compare = match (d1, d2) {
            (true, true) => strtol(e1).cmp(&strtol(e2)),
            (false, false) => special_form(e1).cmp(&special_form(e2)),
            (true, false) => special_form(b"#N#").cmp(&special_form(e2)),
            (false, true) => special_form(e1).cmp(&special_form(b"#N#")),
        };
        if compare != Ordering::Equal {
            break;
        }
        if let Some(r) = r1 {
            p1 = r;
        }
        if let Some(r) = r2 {
            p2 = r;
        }
    }
    if compare == Ordering::Equal {
        if more1 && !c1.is_empty() && p1.as_ptr() != c1.as_ptr() {
            compare = if p1.first().is_some_and(u8::is_ascii_digit) {
                Ordering::Greater
            } else {
                php_version_compare(p1, b"#N#")
            };
        } else if more2 && !c2.is_empty() && p2.as_ptr() != c2.as_ptr() {
            compare = if p2.first().is_some_and(u8::is_ascii_digit) {
                Ordering::Less
            } else {
                php_version_compare(b"#N#", p2)
            };
        }
    }
    compare
}

fn split_dot(s: &[u8]) -> (&[u8], Option<&[u8]>) {
    match s.iter().position(|c| *c == b'.') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        php_version_compare(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: &str) -> String {
        match normalize(v) {
            Ok(n) => n,
            Err(e) => panic!("{v}: {e}"),
        }
    }

    #[test]
    fn composer_normalize() {
        // From Composer's VersionParserTest::successfulNormalizedVersions.
        for (input, want) in [
            ("1.0.0", "1.0.0.0"),
            ("1.2.3.4", "1.2.3.4"),
            ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
            ("1.0.0-rC15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0.RC.15-dev", "1.0.0.0-RC15-dev"),
            ("1.0.0-rc1", "1.0.0.0-RC1"),
            ("1.0.0.pl3-dev", "1.0.0.0-patch3-dev"),
            ("1.0-dev", "1.0.0.0-dev"),
            ("0", "0.0.0.0"),
            ("10.4.13-beta", "10.4.13.0-beta"),
            ("10.4.13beta2", "10.4.13.0-beta2"),
            ("10.4.13beta.2", "10.4.13.0-beta2"),
            ("v1.13.11-beta.0", "1.13.11.0-beta0"),
            ("10.4.13-b", "10.4.13.0-beta"),
            ("10.4.13-b5", "10.4.13.0-beta5"),
            ("v1.0.0", "1.0.0.0"),
            ("2010.01", "2010.01.0.0"),
            ("2010.01.02", "2010.01.02.0"),
            ("2010-01-02", "2010.01.02"),
            ("20100102-203040", "20100102.203040"),
            ("20100102203040-10", "20100102203040.10"),
            ("1.0.0-beta.5+foo", "1.0.0.0-beta5"),
            ("1.0.0+foo", "1.0.0.0"),
            ("1.0.0-alpha.3.1+foo", "1.0.0.0-alpha3.1"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0 as 2.0", "1.0.0.0"),
            ("1.0@beta", "1.0.0.0"),
            ("1.0.0-patch1", "1.0.0.0-patch1"),
        ] {
            assert_eq!(norm(input), want, "{input}");
        }
        for v in [
            "",
            "a",
            "1.0.0-meh",
            "1.0.0.0.0",
            "feature-foo",
            "dev-main",
            "1.x-dev",
            "master",
            "1234567890123456789012345",
        ] {
            assert!(parse(v).is_err(), "{v}");
        }
    }

    #[test]
    fn composer_order() {
        let chain = [
            "1.0.0-dev",
            "1.0.0-alpha1-dev",
            "1.0.0-alpha1",
            "1.0.0-alpha2",
            "1.0.0-beta1",
            "1.0.0-b2",
            "1.0.0-RC1",
            "1.0.0-rc2",
            "1.0.0",
            "1.0.0-p1",
            "1.0.0-patch2",
            "1.0.1",
            "1.0.10",
            "v1.1",
            "2010.01.02",
        ];
        let parsed: Vec<ComposerVersion> = chain.iter().filter_map(|v| parse(v).ok()).collect();
        assert_eq!(parsed.len(), chain.len());
        for (i, a) in parsed.iter().enumerate() {
            for b in &parsed[i + 1..] {
                assert_eq!(a.cmp(b), Ordering::Less, "{a:?} < {b:?}");
            }
        }
        assert_eq!(
            parse("1.0").ok().cmp(&parse("v1.0.0.0").ok()),
            Ordering::Equal
        );
    }
}

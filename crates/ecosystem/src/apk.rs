//! Alpine (and other apk users): a port of apk-tools 2.x version ordering
//! (`apk_version_compare` in src/version.c).
//!
//! A version is `digits{.digits}[letter]{_suffix[number]}[-rN]`; suffixes
//! order `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg <
//! _p`. Numbers after a `.` that start with `0` are compared as decimal
//! fractions would be (`1.01 < 1.1`, `1.0 > 1.00`... exactly as apk-tools
//! does it, by counting the leading zeros).

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// apk-tools' token types, in their numeric order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    Invalid,
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

/// A cursor over the version, mirroring apk-tools' `apk_blob_t` walk.
#[derive(Clone)]
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
    ty: Token,
}

impl Cursor<'_> {
    fn rest(&self) -> &[u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    /// apk-tools' `next_token`: the type of the token starting here.
    fn next_token(&mut self) {
        let rest = self.rest();
        let mut n = Token::Invalid;
        match rest.first() {
            None => n = Token::End,
            Some(c)
                if matches!(self.ty, Token::Digit | Token::DigitOrZero)
                    && c.is_ascii_lowercase() =>
            {
                n = Token::Letter;
            }
            Some(c) if self.ty == Token::Letter && c.is_ascii_digit() => n = Token::Digit,
            Some(c) if self.ty == Token::Suffix && c.is_ascii_digit() => n = Token::SuffixNo,
            Some(c) => {
                match c {
                    b'.' => n = Token::DigitOrZero,
                    b'_' => n = Token::Suffix,
                    b'-' if rest.get(1) == Some(&b'r') => {
                        n = Token::RevisionNo;
                        self.pos += 1;
                    }
                    _ => {}
                }
                self.pos += 1;
            }
        }
        if n < self.ty
            && !((n == Token::DigitOrZero && self.ty == Token::Digit)
                || (n == Token::Suffix && self.ty == Token::SuffixNo)
                || (n == Token::Digit && self.ty == Token::Letter))
        {
            n = Token::Invalid;
        }
        self.ty = n;
    }

    /// apk-tools' `get_token`: the value of the current token; advances.
    fn get_token(&mut self) -> i64 {
        let rest = self.rest();
        if rest.is_empty() {
            self.ty = Token::End;
            return 0;
        }
        let mut v: i64 = 0;
        let mut i = 0usize;
        let mut nt = Token::Invalid;
        match self.ty {
            Token::DigitOrZero if rest[0] == b'0' => {
                // Leading zeros get a special treatment.
                // Zeros before the last one count negatively; the last zero
                // is read again as a digit token.
                while i + 1 < rest.len() && rest[i + 1] == b'0' {
                    i += 1;
                }
                nt = Token::Digit;
                v = -i64::try_from(i).unwrap_or(i64::MAX);
            }
            Token::DigitOrZero | Token::Digit | Token::SuffixNo | Token::RevisionNo => {
                while i < rest.len() && rest[i].is_ascii_digit() {
                    v = v
                        .saturating_mul(10)
                        .saturating_add(i64::from(rest[i] - b'0'));
                    i += 1;
                }
            }
            Token::Letter => {
                v = i64::from(rest[0]);
                i = 1;
            }
            Token::Suffix => {
                if let Some(k) = PRE_SUFFIXES
                    .iter()
                    .position(|p| rest.starts_with(p.as_bytes()))
                {
                    i = PRE_SUFFIXES[k].len();
                    v = i64::try_from(k).unwrap_or(0) - 4;
                } else if let Some(k) = POST_SUFFIXES
                    .iter()
                    .position(|p| rest.starts_with(p.as_bytes()))
                {
                    i = POST_SUFFIXES[k].len();
                    v = i64::try_from(k).unwrap_or(0);
                } else {
                    self.ty = Token::Invalid;
                    return -1;
                }
            }
            Token::Invalid | Token::End => {
                self.ty = Token::Invalid;
                return -1;
            }
        }
        self.pos += i;
        if self.rest().is_empty() {
            self.ty = Token::End;
        } else if nt != Token::Invalid {
            self.ty = nt;
        } else {
            self.next_token();
        }
        v
    }
}

/// A validated apk version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApkVersion(Box<str>);

/// Validates like `apk_version_validate`: the token walk must reach the end.
pub(crate) fn parse(input: &str) -> Result<ApkVersion, VersionError> {
    let mut c = Cursor {
        s: input.as_bytes(),
        pos: 0,
        ty: Token::Digit,
    };
    while c.ty != Token::End && c.ty != Token::Invalid {
        c.get_token();
    }
    if c.ty == Token::Invalid || input.is_empty() {
        return Err(VersionError::invalid(
            Scheme::Apk,
            input,
            "not an apk version",
        ));
    }
    Ok(ApkVersion(input.into()))
}

fn compare(a: &str, b: &str) -> Ordering {
    let mut ca = Cursor {
        s: a.as_bytes(),
        pos: 0,
        ty: Token::Digit,
    };
    let mut cb = Cursor {
        s: b.as_bytes(),
        pos: 0,
        ty: Token::Digit,
    };
    let (mut av, mut bv) = (0i64, 0i64);
    while ca.ty == cb.ty && ca.ty != Token::End && ca.ty != Token::Invalid && av == bv {
        av = ca.get_token();
        bv = cb.get_token();
    }
    match av.cmp(&bv) {
        Ordering::Equal => {}
        other => return other,
    }
    if ca.ty == cb.ty {
        return Ordering::Equal;
    }
    // The longer version is newer, unless what it has more is a pre-release
    // suffix. The suffix is read on a copy: the token types compared below
    // are the ones before it (apk-tools reads it into a scratch type too).
    if ca.ty == Token::Suffix && ca.clone().get_token() < 0 {
        return Ordering::Less;
    }
    if cb.ty == Token::Suffix && cb.clone().get_token() < 0 {
        return Ordering::Greater;
    }
    cb.ty.cmp(&ca.ty)
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.0, &other.0)
    }
}

impl PartialOrd for ApkVersion {
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
    fn apk_order() {
        // Vectors in the style of apk-tools' test/version.data.
        let chain = [
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_alpha2",
            "1.0_beta",
            "1.0_beta3",
            "1.0_pre1",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0-r2",
            "1.0-r10",
            "1.0_cvs20200101",
            "1.0_svn1",
            "1.0_git20210101",
            "1.0_hg1",
            "1.0_p1",
            "1.0_p2",
            "1.0a",
            "1.0b",
            "1.0.1",
            "1.1_rc1",
            "1.1",
            "2",
        ];
        for (i, a) in chain.iter().enumerate() {
            for b in &chain[i + 1..] {
                assert_eq!(cmp(a, b), Ordering::Less, "{a} < {b}");
                assert_eq!(cmp(b, a), Ordering::Greater, "{b} > {a}");
            }
        }
        for (a, b, want) in [
            ("1.01", "1.1", Ordering::Less),
            ("1.0", "1.00", Ordering::Greater),
            ("1.2.3", "1.2.3", Ordering::Equal),
            ("1.2.3-r0", "1.2.3", Ordering::Greater),
            ("2.0_rc1-r1", "2.0", Ordering::Less),
            ("1.2.3_p1-r0", "1.2.3-r5", Ordering::Greater),
            ("10", "9", Ordering::Greater),
            ("0.9.9", "0.10", Ordering::Less),
            // A post-release suffix makes the longer version newer, whatever
            // follows the suffix (apk-tools probes it on a copy of the type).
            ("1.0_p", "1.0", Ordering::Greater),
            ("1.0_git", "1.0", Ordering::Greater),
            ("1.0_p-r1", "1.0-r1", Ordering::Greater),
            ("1.0-r1", "1.0_p-r1", Ordering::Less),
            ("1.0_alpha", "1.0", Ordering::Less),
        ] {
            assert_eq!(cmp(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn apk_invalid() {
        for v in [
            "",
            "1.0_foo",
            "1.0-x",
            "1.0A",
            "1.0 ",
            "1.0_rc1_x",
            "1.0-r1a",
        ] {
            assert!(parse(v).is_err(), "{v:?}");
        }
    }
}

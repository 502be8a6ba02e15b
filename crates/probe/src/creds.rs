//! Default credentials: a small public list, or the user's own file.

/// One user name and password to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// User name.
    pub user: String,
    /// Password (may be empty).
    pub password: String,
    /// Where it comes from (`built-in list`, `creds.txt:4`), for the evidence: passwords
    /// from the user's file are not written into evidence, only where they came from.
    pub source: String,
    /// Whether the password is public knowledge (the built-in list) and may be shown.
    pub public: bool,
}

impl Credential {
    /// `user:password` for public pairs, `user (password from FILE:N)` otherwise.
    pub fn shown(&self) -> String {
        if self.public {
            format!("{}:{}", self.user, self.password)
        } else {
            format!("{} (password from {})", self.user, self.source)
        }
    }
}

/// The pairs the Mirai botnet's scanner tried first (its published `scanner.c`,
/// jgamblin/Mirai-Source-Code; the same pairs head every IoT default-credential list since,
/// e.g. nmap's http-default-accounts and routersploit's credential modules). 24 pairs.
pub const BUILTIN: &[(&str, &str)] = &[
    ("admin", "admin"),
    ("root", "root"),
    ("root", "admin"),
    ("admin", "password"),
    ("root", "xc3511"),
    ("root", "vizxv"),
    ("root", "888888"),
    ("root", "xmhdipc"),
    ("root", "default"),
    ("root", "juantech"),
    ("root", "123456"),
    ("root", "54321"),
    ("support", "support"),
    ("root", ""),
    ("admin", ""),
    ("user", "user"),
    ("root", "12345"),
    ("root", "pass"),
    ("admin", "admin1234"),
    ("admin", "1234"),
    ("guest", "guest"),
    ("ubnt", "ubnt"),
    ("admin", "smcadmin"),
    ("root", "1234"),
];

/// At most this many pairs per service.
pub const MAX_PAIRS: usize = 64;

/// The built-in list.
pub fn builtin() -> Vec<Credential> {
    BUILTIN
        .iter()
        .map(|(u, p)| Credential {
            user: (*u).to_owned(),
            password: (*p).to_owned(),
            source: "built-in list".into(),
            public: true,
        })
        .collect()
}

/// Why a credentials file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {why}")]
pub struct CredsError {
    /// The file.
    pub file: String,
    /// The line (1-based).
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

/// Reads `user:password` lines (`#` comments and blank lines ignored; `user:` for an empty
/// password), at most [`MAX_PAIRS`].
///
/// # Errors
/// [`CredsError`] naming the line.
pub fn parse(file: &str, text: &str) -> Result<Vec<Credential>, CredsError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = |why: &str| CredsError {
            file: file.to_owned(),
            line: i + 1,
            why: why.to_owned(),
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((user, password)) = line.split_once(':') else {
            return Err(bad("expected `user:password`"));
        };
        if user.is_empty() || user.len() > 128 || password.len() > 128 {
            return Err(bad(
                "a user name of 1-128 bytes and a password of at most 128",
            ));
        }
        if user.chars().chain(password.chars()).any(char::is_control) {
            return Err(bad("control characters are not allowed"));
        }
        if out.len() == MAX_PAIRS {
            return Err(bad(&format!("at most {MAX_PAIRS} pairs")));
        }
        out.push(Credential {
            user: user.to_owned(),
            password: password.to_owned(),
            source: format!("{file}:{}", i + 1),
            public: false,
        });
    }
    if out.is_empty() {
        return Err(CredsError {
            file: file.to_owned(),
            line: 1,
            why: "no `user:password` line".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_names_the_bad_line() {
        let c = parse("c.txt", "# lab list\nadmin:admin\n\nroot:\n").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].password, "");
        assert_eq!(c[1].shown(), "root (password from c.txt:4)");
        let e = parse("c.txt", "admin:admin\nrootonly\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse("c.txt", "# nothing\n").is_err());
        assert!(parse("c.txt", ":x\n").is_err());
        assert_eq!(builtin()[0].shown(), "admin:admin");
        assert!(BUILTIN.len() <= MAX_PAIRS);
    }
}

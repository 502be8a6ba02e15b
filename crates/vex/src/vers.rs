//! Evaluation of `vers:` version ranges (the purl project's version range
//! specifier), as CycloneDX `affects[].versions[].range` uses them.

use std::cmp::Ordering;

use crate::purl::generic_cmp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Is `version` inside `range`? `None` when the range is not `vers:`
/// syntax, its scheme is not one this crate can order (`generic`, `semver`,
/// `npm`, `cargo`, `golang`), or a version cannot be read in that scheme.
/// Callers treat `None` as "no match".
pub(crate) fn contains(range: &str, version: &str) -> Option<bool> {
    let rest = range.trim().strip_prefix("vers:")?;
    let (scheme, constraints) = rest.split_once('/')?;
    let scheme = scheme.to_ascii_lowercase();
    let cmp: fn(&str, &str) -> Option<Ordering> = match scheme.as_str() {
        "generic" => |a, b| Some(generic_cmp(a, b)),
        "semver" | "npm" | "cargo" | "golang" => semver_cmp,
        _ => return None,
    };
    let constraints = constraints.trim();
    if constraints == "*" {
        return Some(true);
    }
    let mut parsed = Vec::new();
    for c in constraints.split('|') {
        let c = c.trim();
        let (op, v) = if let Some(v) = c.strip_prefix(">=") {
            (Cmp::Ge, v)
        } else if let Some(v) = c.strip_prefix("<=") {
            (Cmp::Le, v)
        } else if let Some(v) = c.strip_prefix("!=") {
            (Cmp::Ne, v)
        } else if let Some(v) = c.strip_prefix('<') {
            (Cmp::Lt, v)
        } else if let Some(v) = c.strip_prefix('>') {
            (Cmp::Gt, v)
        } else if let Some(v) = c.strip_prefix('=') {
            (Cmp::Eq, v)
        } else {
            (Cmp::Eq, c)
        };
        let v = crate::purl::decode(v.trim());
        if v.is_empty() {
            return None;
        }
        // Every constraint must be readable in the scheme.
        cmp(&v, &v)?;
        parsed.push((op, v));
    }
    cmp(version, version)?;

    // The algorithm of the vers specification ("Checking if a version is
    // contained within a range"), on constraints sorted by version.
    for (op, v) in &parsed {
        let o = cmp(version, v)?;
        match op {
            Cmp::Eq if o == Ordering::Equal => return Some(true),
            Cmp::Ne if o == Ordering::Equal => return Some(false),
            _ => {}
        }
    }
    let mut ranges: Vec<&(Cmp, String)> = parsed
        .iter()
        .filter(|(op, _)| !matches!(op, Cmp::Eq | Cmp::Ne))
        .collect();
    let mut sort_failed = false;
    ranges.sort_by(|a, b| {
        cmp(&a.1, &b.1).unwrap_or_else(|| {
            sort_failed = true;
            Ordering::Equal
        })
    });
    if sort_failed {
        return None;
    }
    let satisfies = |op: Cmp, v: &str| -> Option<bool> {
        let o = cmp(version, v)?;
        Some(match op {
            Cmp::Lt => o == Ordering::Less,
            Cmp::Le => o != Ordering::Greater,
            Cmp::Gt => o == Ordering::Greater,
            Cmp::Ge => o != Ordering::Less,
            Cmp::Eq => o == Ordering::Equal,
            Cmp::Ne => o != Ordering::Equal,
        })
    };
    if let Some((op, v)) = ranges.first()
        && matches!(op, Cmp::Lt | Cmp::Le)
        && satisfies(*op, v)?
    {
        return Some(true);
    }
    if let Some((op, v)) = ranges.last()
        && matches!(op, Cmp::Gt | Cmp::Ge)
        && satisfies(*op, v)?
    {
        return Some(true);
    }
    for pair in ranges.windows(2) {
        let (lo_op, lo) = pair[0];
        let (hi_op, hi) = pair[1];
        if matches!(lo_op, Cmp::Gt | Cmp::Ge)
            && matches!(hi_op, Cmp::Lt | Cmp::Le)
            && satisfies(*lo_op, lo)?
            && satisfies(*hi_op, hi)?
        {
            return Some(true);
        }
    }
    Some(false)
}

/// True when [`contains`] can evaluate `range` for some version.
pub(crate) fn evaluable(range: &str) -> bool {
    contains(range, "0").is_some() || contains(range, "0.0.0").is_some()
}

fn semver_cmp(a: &str, b: &str) -> Option<Ordering> {
    let a = semver::Version::parse(a.strip_prefix('v').unwrap_or(a)).ok()?;
    let b = semver::Version::parse(b.strip_prefix('v').unwrap_or(b)).ok()?;
    Some(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn cisa_case_ranges() {
        let r = "vers:generic/>=2.9|<=4.1";
        assert_eq!(contains(r, "2.9"), Some(true));
        assert_eq!(contains(r, "3.0"), Some(true));
        assert_eq!(contains(r, "4.1"), Some(true));
        assert_eq!(contains(r, "4.2"), Some(false));
        assert_eq!(contains(r, "2.8"), Some(false));
    }

    #[test]
    fn unsorted_constraints_are_sorted_first() {
        // As written in CycloneDX Use-Cases Case-5.
        let r = "vers:semver/<7.0.0|>=1.5.0";
        assert_eq!(contains(r, "1.5.0"), Some(true));
        assert_eq!(contains(r, "6.9.9"), Some(true));
        assert_eq!(contains(r, "7.0.0"), Some(false));
        assert_eq!(contains(r, "1.4.9"), Some(false));
        let outside = "vers:semver/<1.5.0|>=7.0.0";
        assert_eq!(contains(outside, "1.4.0"), Some(true));
        assert_eq!(contains(outside, "8.0.0"), Some(true));
        assert_eq!(contains(outside, "2.0.0"), Some(false));
    }

    #[test]
    fn equality_exclusion_star_and_unknown() {
        assert_eq!(contains("vers:generic/1.0|2.0", "2.0"), Some(true));
        assert_eq!(contains("vers:generic/1.0|2.0", "3.0"), Some(false));
        assert_eq!(contains("vers:generic/>=1|!=1.5", "1.5"), Some(false));
        assert_eq!(contains("vers:generic/*", "anything"), Some(true));
        assert_eq!(contains("vers:deb/>=1.0", "1.0"), None);
        assert_eq!(contains("<=1.14.0", "1.0"), None);
        assert_eq!(contains("vers:semver/>=1.0.0", "not-a-version"), None);
        assert_eq!(contains("vers:generic/", "1"), None);
    }
}

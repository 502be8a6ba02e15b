//! Maven: a port of `org.apache.maven.artifact.versioning.ComparableVersion`
//! (maven-artifact 3.8.x, as shipped with Debian's maven 3.8.7), which every string is a valid input of.
//!
//! The version is split into a tree of items at `.` and `-` and at every
//! switch between digits and letters; `-` and a digit/letter switch open a
//! sub-list. Trailing "null" items (`0`, `""`, `ga`, `final`, `release`,
//! empty lists) are removed from each list. Qualifiers order as
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
//! release < sp < (other, lexically)`; `a1`, `b1`, `m1` mean alpha, beta,
//! milestone when directly followed by a digit.

use std::cmp::Ordering;

/// One item of the version tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A number, without leading zeros; compared numerically.
    Int(Box<str>),
    /// A qualifier, already lower-cased and de-aliased.
    Str(Box<str>),
    /// A sub-list, opened by `-` or a digit/letter switch.
    List(Vec<Self>),
}

/// A parsed Maven version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MavenVersion(Vec<Item>);

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: &str = "5";

/// `ComparableVersion.StringItem.comparableQualifier`: known qualifiers map
/// to their index, others to `"7-" + qualifier`; compared as strings.
fn comparable_qualifier(q: &str) -> String {
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{q}", QUALIFIERS.len()),
    }
}

/// Java `String.compareTo`: by UTF-16 code units.
fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn int_cmp(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

impl Item {
    fn string(value: &str, followed_by_digit: bool) -> Self {
        let value = if followed_by_digit && value.chars().count() == 1 {
            match value {
                "a" => "alpha",
                "b" => "beta",
                "m" => "milestone",
                other => other,
            }
        } else {
            value
        };
        let value = match value {
            "ga" | "final" | "release" => "",
            "cr" => "rc",
            other => other,
        };
        Self::Str(value.into())
    }

    fn parse(is_digit: bool, buf: &str) -> Self {
        if is_digit {
            let trimmed = buf.trim_start_matches('0');
            Self::Int(if trimmed.is_empty() { "0" } else { trimmed }.into())
        } else {
            Self::string(buf, false)
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Self::Int(v) => &**v == "0",
            Self::Str(v) => comparable_qualifier(v) == RELEASE_INDEX,
            Self::List(l) => l.is_empty(),
        }
    }

    /// `Item.compareTo(null)`: how this item compares with a missing one.
    fn cmp_null(&self) -> Ordering {
        match self {
            Self::Int(v) => {
                if &**v == "0" {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Self::Str(v) => java_cmp(&comparable_qualifier(v), RELEASE_INDEX),
            Self::List(l) => {
                for item in l {
                    let r = item.cmp_null();
                    if r != Ordering::Equal {
                        return r;
                    }
                }
                Ordering::Equal
            }
        }
    }

    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => int_cmp(a, b),
            (Self::Int(_), _) => Ordering::Greater,
            (Self::Str(a), Self::Str(b)) => {
                java_cmp(&comparable_qualifier(a), &comparable_qualifier(b))
            }
            (Self::Str(_), Self::Int(_) | Self::List(_)) => Ordering::Less,
            (Self::List(_), Self::Int(_)) => Ordering::Less,
            (Self::List(_), Self::Str(_)) => Ordering::Greater,
            (Self::List(a), Self::List(b)) => list_cmp(a, b),
        }
    }
}

fn list_cmp(a: &[Item], b: &[Item]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let r = match (a.get(i), b.get(i)) {
            (Some(l), Some(r)) => l.cmp(r),
            (Some(l), None) => l.cmp_null(),
            (None, Some(r)) => r.cmp_null().reverse(),
            (None, None) => Ordering::Equal,
        };
        if r != Ordering::Equal {
            return r;
        }
    }
    Ordering::Equal
}

/// Removes trailing null items, stopping at the first non-null non-list item
/// (`ListItem.normalize`).
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// Builds the item tree. Lists are kept on a stack (innermost last); each
/// new list is a child of the current one.
struct Builder {
    stack: Vec<Vec<Item>>,
}

impl Builder {
    fn push(&mut self, item: Item) {
        if let Some(top) = self.stack.last_mut() {
            top.push(item);
        }
    }

    fn open_list(&mut self) {
        self.stack.push(Vec::new());
    }

    fn open_list_unless_empty(&mut self) {
        if self.stack.last().is_some_and(|top| !top.is_empty()) {
            self.open_list();
        }
    }

    /// Normalizes and closes every list, innermost first.
    fn finish(mut self) -> Vec<Item> {
        loop {
            let Some(mut list) = self.stack.pop() else {
                return Vec::new();
            };
            normalize(&mut list);
            match self.stack.last_mut() {
                Some(parent) => parent.push(Item::List(list)),
                None => return list,
            }
        }
    }
}

/// Parses any string as a Maven version (`ComparableVersion.parseVersion`).
pub(crate) fn parse(input: &str) -> MavenVersion {
    let version = input.to_lowercase();
    let chars: Vec<(usize, char)> = version.char_indices().collect();
    let mut b = Builder {
        stack: vec![Vec::new()],
    };
    let mut is_digit = false;
    let mut start = 0usize; // byte offset
    for &(i, c) in &chars {
        if c == '.' || c == '-' {
            if i == start {
                b.push(Item::Int("0".into()));
            } else {
                b.push(Item::parse(is_digit, &version[start..i]));
            }
            start = i + c.len_utf8();
            if c == '-' {
                b.open_list();
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // `1.0.0.X1 < 1.0.0-X2`: a qualifier followed by a digit
                // opens a sub-list unless the current list is empty.
                b.open_list_unless_empty();
                b.push(Item::string(&version[start..i], true));
                start = i;
                b.open_list();
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                b.push(Item::parse(true, &version[start..i]));
                start = i;
                b.open_list();
            }
            is_digit = false;
        }
    }
    if version.len() > start {
        // A trailing qualifier is treated like `-X`: `.X` opens a sub-list.
        if !is_digit {
            b.open_list_unless_empty();
        }
        b.push(Item::parse(is_digit, &version[start..]));
    }
    MavenVersion(b.finish())
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        list_cmp(&self.0, &other.0)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        parse(a).cmp(&parse(b))
    }

    #[test]
    fn maven_documented_order() {
        // From ComparableVersionTest.VERSIONS_QUALIFIER and VERSIONS_NUMBER.
        let chains: [&[&str]; 2] = [
            &[
                "1-alpha2snapshot",
                "1-alpha2",
                "1-alpha-123",
                "1-beta-2",
                "1-beta123",
                "1-m2",
                "1-m11",
                "1-rc",
                "1-cr2",
                "1-rc123",
                "1-SNAPSHOT",
                "1",
                "1-sp",
                "1-sp2",
                "1-sp123",
                "1-abc",
                "1-def",
                "1-pom-1",
                "1-1-snapshot",
                "1-1",
                "1-2",
                "1-123",
            ],
            &[
                "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c",
                "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2",
                "11.m11", "11", "11.a", "11b", "11c", "11m",
            ],
        ];
        for chain in chains {
            for (i, a) in chain.iter().enumerate() {
                for b in &chain[i + 1..] {
                    assert_eq!(cmp(a, b), Ordering::Less, "{a} < {b}");
                    assert_eq!(cmp(b, a), Ordering::Greater, "{b} > {a}");
                }
            }
        }
    }

    #[test]
    fn maven_equalities() {
        for (a, b) in [
            ("1", "1.0.0"),
            ("1", "1-0"),
            ("1", "1.0-0"),
            ("1.0", "1.0.0-ga"),
            ("1-final", "1"),
            ("1-release", "1.RELEASE"),
            ("1a1", "1-alpha-1"),
            ("1b2", "1-beta-2"),
            ("1m3", "1-milestone-3"),
            ("1-cr1", "1-rc1"),
            ("1X", "1x"),
            ("1.0.0-0.0.0", "1"),
        ] {
            assert_eq!(cmp(a, b), Ordering::Equal, "{a} = {b}");
        }
    }
}

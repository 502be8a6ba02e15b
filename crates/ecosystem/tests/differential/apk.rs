//! apk against apk-tools' own test vectors.

use super::*;

/// apk-tools' own test vectors (`test/version.data`, copied unchanged with
/// a provenance header into `tests/data`). Debian packages no apk-tools and
/// no PyPI or npm package ports its comparison, so these are the reference.
#[test]
fn apk_matches_apk_tools_test_vectors() {
    let data = include_str!("../data/apk-tools-version.data");
    let mut vectors = Vec::new();
    let mut rejected = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let fields: Vec<&str> = line
            .split('#')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if fields.is_empty() {
            continue;
        }
        let [a, op, b] = fields[..] else {
            panic!("version.data line {}: {line:?}", n + 1);
        };
        let want = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            _ => panic!("version.data line {}: operator {op:?}", n + 1),
        };
        if Version::parse(Scheme::Apk, a).is_ok() && Version::parse(Scheme::Apk, b).is_ok() {
            vectors.push((a, want, b));
        } else {
            rejected.push(format!("{a} {op} {b}"));
        }
    }
    // The two lines with versions apk-tools itself treats as invalid (an
    // unknown suffix; two letters): apk orders them anyway, by its token
    // walk; we reject invalid versions instead.
    assert_eq!(rejected, ["23_foo > 4_beta", "1.0 < 1.0bc"]);
    let checked = check_vectors(Scheme::Apk, &vectors);
    assert!(checked >= 720, "only {checked} apk vectors");
}

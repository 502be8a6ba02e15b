//! SemVer 2.0.0 and crates.io against the `semver` crate (Cargo's own).

use super::*;

/// Strict SemVer candidates: long numbers, leading zeros, numeric and
/// alphanumeric pre-release identifiers, build metadata.
fn gen_semver_strict(rng: &mut Lcg) -> String {
    let core = ["0", "1", "2", "10", "18446744073709551615", "4294967296"];
    let mut v = numbers(rng, 3, 3, &core, ".");
    if rng.chance(4) {
        v = numbers(rng, 2, 4, &core, ".");
    }
    if rng.chance(4) {
        v = format!("0{v}");
    }
    if rng.chance(55) {
        v.push('-');
        v.push_str(&numbers(
            rng,
            1,
            4,
            &[
                "alpha",
                "beta",
                "rc",
                "0",
                "1",
                "2",
                "11",
                "0a",
                "a-b",
                "-",
                "--",
                "Alpha",
                "RC",
                "x",
                "18446744073709551616",
                "99999999999999999999999",
                "1a",
            ],
            ".",
        ));
        if rng.chance(6) {
            v.push_str(rng.pick(&[".01", ".00", "..1", "."]));
        }
    }
    if rng.chance(25) {
        v.push('+');
        v.push_str(&numbers(
            rng,
            1,
            2,
            &["build", "001", "sha-1", "5", "Z"],
            ".",
        ));
    }
    if rng.chance(5) {
        v = format!("{}{v}", rng.pick(&["v", "V", " ", "=", "vv"]));
    }
    if rng.chance(3) {
        v.push_str(rng.pick(&[".", "-", "+", " ", "_1", "ä"]));
    }
    v
}

/// `semver::Version` precedence (`cmp_precedence`, which ignores build
/// metadata as SemVer 2.0.0 §10 says) for each pair, `E` when one side is
/// rejected; `prepare` maps each side first.
fn semver_crate_answers(pairs: &[(String, String)], prepare: fn(&str) -> &str) -> Vec<String> {
    let parse = |s: &str| semver::Version::parse(prepare(s)).ok();
    pairs
        .iter()
        .map(|(a, b)| match (parse(a), parse(b)) {
            (Some(x), Some(y)) => match x.cmp_precedence(&y) {
                Ordering::Less => "-1".to_owned(),
                Ordering::Equal => "0".to_owned(),
                Ordering::Greater => "1".to_owned(),
            },
            _ => "E".to_owned(),
        })
        .collect()
}

/// Whether a major, minor or patch number of `v` exceeds `u64::MAX`:
/// SemVer sets no limit (and neither do we), the `semver` crate rejects it.
fn oversized_core(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or_default();
    core.trim_start_matches('v')
        .split('.')
        .any(|n| n.bytes().all(|c| c.is_ascii_digit()) && n.parse::<u64>().is_err())
}

const TRICKY: &[&str] = &[
    "1.0.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0+build",
    "1.0.0+001",
    "1.0.0-0",
    "1.0.0-00",
    "1.0.0-01",
    "1.0.0-0a",
    "1.0.0--",
    "1.0.0-a.-",
    "1.0.0-a..b",
    "1.0.0-",
    "1.0.0+",
    "1.0.0-a+b+c",
    "v1.2.3",
    "vv1.2.3",
    "V1.2.3",
    " 1.2.3",
    "=1.2.3",
    "01.2.3",
    "1.02.3",
    "1.2.03",
    "1.2",
    "1.2.3.4",
    "1.2.3-A",
    "1.2.3-a",
    "1.2.3-a.10",
    "1.2.3-a.9",
    "1.2.3-a.9a",
    "18446744073709551615.0.0",
    "18446744073709551616.0.0",
    "1.2.3-18446744073709551616",
    "1.2.3-99999999999999999999999",
    "1.2.3-100000000000000000000000",
    "1.2.3-ä",
];

#[test]
fn semver_matches_semver_crate() {
    let pairs = all_pairs(&corpus(2, 150, gen_semver_strict, TRICKY));
    // Plain SemVer (OSV `SEMVER`): we accept one leading `v`, as OSV data
    // has it, so the reference sees the string without it.
    let answers = semver_crate_answers(&pairs, |s| s.strip_prefix('v').unwrap_or(s));
    let (mut within, mut beyond) = (Vec::new(), Vec::new());
    for (pair, answer) in pairs.iter().zip(answers) {
        if oversized_core(&pair.0) || oversized_core(&pair.1) {
            beyond.push((pair.clone(), answer));
        } else {
            within.push((pair.clone(), answer));
        }
    }
    let (within_pairs, within_answers): (Vec<_>, Vec<_>) = within.into_iter().unzip();
    check(
        Scheme::SemVer,
        &within_pairs,
        &within_answers,
        Expect::SameValidity(15_000),
    );
    // Numbers beyond u64: the crate rejects what we accept, nothing else.
    for ((a, b), answer) in &beyond {
        assert_eq!(answer, "E", "{a:?} vs {b:?}");
    }
    // crates.io is the crate itself; this checks that `Version` compares
    // by precedence (build metadata ignored) rather than by the crate's Ord.
    let answers = semver_crate_answers(&pairs, |s| s);
    check(
        Scheme::Cargo,
        &pairs,
        &answers,
        Expect::SameValidity(15_000),
    );
}

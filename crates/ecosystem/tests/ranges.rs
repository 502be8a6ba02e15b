//! OSV range evaluation: known cases, OSV JSON, and properties.

use proptest::prelude::*;
use riskmark_ecosystem::{Ecosystem, Event, Range, RangeError, RangeKind, evaluate, is_affected};

fn range(kind: RangeKind, events: &[Event]) -> Range {
    Range {
        kind,
        repo: None,
        events: events.to_vec(),
    }
}

fn intro(v: &str) -> Event {
    Event::Introduced(v.to_owned())
}

fn fixed(v: &str) -> Event {
    Event::Fixed(v.to_owned())
}

fn last(v: &str) -> Event {
    Event::LastAffected(v.to_owned())
}

fn affected(eco: &Ecosystem, v: &str, ranges: &[Range]) -> bool {
    match is_affected(eco, v, ranges, &[]) {
        Ok(a) => a,
        Err(e) => panic!("{v}: {e}"),
    }
}

#[test]
fn introduced_fixed_half_open() {
    let r = [range(RangeKind::Ecosystem, &[intro("1.0"), fixed("2.0")])];
    let eco = Ecosystem::PyPI;
    assert!(!affected(&eco, "0.9", &r));
    assert!(affected(&eco, "1.0", &r));
    assert!(affected(&eco, "1.5", &r));
    assert!(affected(&eco, "2.0rc1", &r));
    assert!(!affected(&eco, "2.0", &r));
    assert!(!affected(&eco, "2.0.post1", &r));
}

#[test]
fn introduced_zero_and_last_affected() {
    let r = [range(RangeKind::Ecosystem, &[intro("0"), last("1:2.3-4")])];
    let eco: Ecosystem = "Debian:12".parse().unwrap_or(Ecosystem::Debian(None));
    assert!(affected(&eco, "0.1", &r));
    assert!(affected(&eco, "2.3-4", &r));
    assert!(affected(&eco, "1:2.3-4", &r));
    assert!(affected(&eco, "1:2.3-3~deb12u1", &r));
    assert!(!affected(&eco, "1:2.3-4+deb12u1", &r));
    assert!(!affected(&eco, "2:0.1", &r));
}

#[test]
fn several_intervals_in_any_order() {
    // Events are given out of order; the evaluation sorts them.
    let r = [range(
        RangeKind::Semver,
        &[
            fixed("4.0.0"),
            intro("3.0.0"),
            fixed("2.0.0"),
            intro("1.0.0"),
        ],
    )];
    let eco = Ecosystem::Npm;
    for (v, want) in [
        ("0.9.0", false),
        ("1.0.0", true),
        ("1.9.9", true),
        ("2.0.0", false),
        ("2.5.0", false),
        ("3.0.0-rc.1", false),
        ("3.0.0", true),
        ("4.0.0-beta", true),
        ("4.0.0", false),
    ] {
        assert_eq!(affected(&eco, v, &r), want, "{v}");
    }
}

#[test]
fn semver_ranges_for_go_take_v_prefixed_versions() {
    let r = [range(RangeKind::Semver, &[intro("0"), fixed("1.2.4")])];
    assert!(affected(&Ecosystem::Go, "v1.2.3", &r));
    assert!(affected(
        &Ecosystem::Go,
        "v0.0.0-20200101000000-abcdefabcdef",
        &r
    ));
    assert!(!affected(&Ecosystem::Go, "v1.2.4", &r));
    assert!(!affected(&Ecosystem::Go, "v2.0.0+incompatible", &r));
}

#[test]
fn limit_events() {
    let r = [range(
        RangeKind::Ecosystem,
        &[intro("0"), Event::Limit("2.0".to_owned())],
    )];
    assert!(affected(&Ecosystem::PyPI, "1.9", &r));
    assert!(!affected(&Ecosystem::PyPI, "2.0", &r));
    let star = [range(
        RangeKind::Ecosystem,
        &[intro("1.0"), Event::Limit("*".to_owned())],
    )];
    assert!(affected(&Ecosystem::PyPI, "99", &star));
}

#[test]
fn equal_introduced_and_fixed_is_empty() {
    let r = [range(RangeKind::Ecosystem, &[fixed("1.0"), intro("1.0")])];
    assert!(!affected(&Ecosystem::PyPI, "1.0", &r));
}

#[test]
fn explicit_versions_and_git_ranges() {
    let git = Range {
        kind: RangeKind::Git,
        repo: Some("https://example.invalid/repo".to_owned()),
        events: vec![intro("abc123"), fixed("def456")],
    };
    let versions = vec!["1.0.0".to_owned(), "1.1".to_owned()];
    let eco = Ecosystem::Maven(None);
    let e = evaluate(&eco, "1.1.0", std::slice::from_ref(&git), &versions);
    assert_eq!(e.map(|e| (e.affected, e.unevaluated_ranges)), Ok((true, 1)));
    let e = evaluate(&eco, "1.2", std::slice::from_ref(&git), &versions);
    assert_eq!(
        e.map(|e| (e.affected, e.unevaluated_ranges)),
        Ok((false, 1))
    );
    // A listed string matches even where the ecosystem cannot parse it.
    let odd = vec!["not a version".to_owned()];
    assert_eq!(
        is_affected(&Ecosystem::PyPI, "not a version", &[], &odd),
        Ok(true)
    );
}

#[test]
fn errors_are_typed() {
    let r = [range(RangeKind::Ecosystem, &[intro("0"), fixed("2.0")])];
    assert!(matches!(
        is_affected(&Ecosystem::PyPI, "not a version", &r, &[]),
        Err(RangeError::Version(_))
    ));
    let bad = [range(RangeKind::Ecosystem, &[intro("0"), fixed("two")])];
    assert!(matches!(
        is_affected(&Ecosystem::PyPI, "1.0", &bad, &[]),
        Err(RangeError::Version(_))
    ));
    let none = [range(RangeKind::Ecosystem, &[fixed("2.0")])];
    assert_eq!(
        is_affected(&Ecosystem::PyPI, "1.0", &none, &[]),
        Err(RangeError::NoIntroduced)
    );
}

#[test]
fn deserializes_osv_json() {
    let json = r#"[
        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}],
         "database_specific": {"x": 1}},
        {"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.4.2"}]},
        {"type": "GIT", "repo": "https://example.invalid/openssl",
         "events": [{"introduced": "0"}, {"limit": "abcdef"}]},
        {"type": "SOMETHING_NEW", "events": []}
    ]"#;
    let ranges: Vec<Range> = match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(ranges[0].kind, RangeKind::Ecosystem);
    assert_eq!(ranges[1].events[1], last("1.4.2"));
    assert_eq!(ranges[2].kind, RangeKind::Git);
    assert_eq!(ranges[3].kind, RangeKind::Unknown);
    let eco = Ecosystem::Debian(Some("12".to_owned()));
    let e = evaluate(&eco, "3.0.11-1~deb12u1", &ranges, &[]);
    assert_eq!(e.map(|e| (e.affected, e.unevaluated_ranges)), Ok((true, 2)));
    assert_eq!(
        is_affected(&eco, "3.0.11-1~deb12u2", &ranges[..1], &[]),
        Ok(false)
    );
}

/// A PEP 440 version from small parts, so that ties are common.
fn pep440() -> impl Strategy<Value = String> {
    (
        0u8..4,
        0u8..4,
        prop::option::of(("a|b|rc", 0u8..3)),
        prop::option::of(0u8..3),
    )
        .prop_map(|(major, minor, pre, post)| {
            let mut v = format!("{major}.{minor}");
            if let Some((l, n)) = pre {
                v.push_str(&format!("{l}{n}"));
            }
            if let Some(p) = post {
                v.push_str(&format!(".post{p}"));
            }
            v
        })
}

fn cmp(a: &str, b: &str) -> std::cmp::Ordering {
    riskmark_ecosystem::compare(&Ecosystem::PyPI, a, b).unwrap_or(std::cmp::Ordering::Equal)
}

proptest! {
    #[test]
    fn before_introduced_is_never_affected(v in pep440(), i in pep440(), f in prop::option::of(pep440())) {
        let mut events = vec![intro(&i)];
        if let Some(f) = &f {
            events.push(fixed(f));
        }
        let r = [range(RangeKind::Ecosystem, &events)];
        if cmp(&v, &i).is_lt() {
            prop_assert_eq!(is_affected(&Ecosystem::PyPI, &v, &r, &[]), Ok(false));
        }
    }

    #[test]
    fn one_pair_is_exactly_the_half_open_interval(v in pep440(), a in pep440(), b in pep440()) {
        // (With `fixed` below `introduced` the walk affects everything
        // from `introduced` on; that is not this property.)
        let (a, b) = if cmp(&a, &b).is_le() { (a, b) } else { (b, a) };
        let r = [range(RangeKind::Ecosystem, &[fixed(&b), intro(&a)])];
        let want = cmp(&a, &v).is_le() && cmp(&v, &b).is_lt();
        prop_assert_eq!(is_affected(&Ecosystem::PyPI, &v, &r, &[]), Ok(want));
    }

    #[test]
    fn last_affected_is_the_closed_interval(v in pep440(), a in pep440(), b in pep440()) {
        let (a, b) = if cmp(&a, &b).is_le() { (a, b) } else { (b, a) };
        let r = [range(RangeKind::Ecosystem, &[intro(&a), last(&b)])];
        let want = cmp(&a, &v).is_le() && cmp(&v, &b).is_le();
        prop_assert_eq!(is_affected(&Ecosystem::PyPI, &v, &r, &[]), Ok(want));
    }

    #[test]
    fn introduced_zero_without_fix_affects_everything(v in pep440()) {
        let r = [range(RangeKind::Ecosystem, &[intro("0")])];
        prop_assert_eq!(is_affected(&Ecosystem::PyPI, &v, &r, &[]), Ok(true));
    }

    #[test]
    fn ranges_are_a_union(v in pep440(), a in pep440(), b in pep440(), c in pep440(), d in pep440()) {
        let r1 = range(RangeKind::Ecosystem, &[intro(&a), fixed(&b)]);
        let r2 = range(RangeKind::Ecosystem, &[intro(&c), fixed(&d)]);
        let one = is_affected(&Ecosystem::PyPI, &v, std::slice::from_ref(&r1), &[]);
        let two = is_affected(&Ecosystem::PyPI, &v, std::slice::from_ref(&r2), &[]);
        let both = is_affected(&Ecosystem::PyPI, &v, &[r1, r2], &[]);
        prop_assert_eq!(both, Ok(one == Ok(true) || two == Ok(true)));
    }

    #[test]
    fn no_input_panics(
        v in prop_oneof!["\\PC{0,12}", "[0-9a-zA-Z.~^_+:@ -]{0,16}"],
        a in prop_oneof!["\\PC{0,8}", "[0-9a-zA-Z.~^_+:@ -]{0,16}"],
    ) {
        for eco in ["PyPI", "npm", "crates.io", "Go", "Maven", "NuGet", "RubyGems", "Packagist",
                    "Debian", "Alpine", "Red Hat"] {
            let eco: Ecosystem = eco.parse().unwrap_or(Ecosystem::Npm);
            let r = [range(RangeKind::Ecosystem, &[intro(&a), fixed(&v), last(&a), Event::Limit(v.clone())])];
            let _ = is_affected(&eco, &v, &r, std::slice::from_ref(&a));
            let _ = riskmark_ecosystem::compare(&eco, &v, &a);
        }
    }

    #[test]
    fn comparison_is_antisymmetric(a in "[0-9a-z.~^_+:-]{1,10}", b in "[0-9a-z.~^_+:-]{1,10}") {
        for eco in ["PyPI", "npm", "crates.io", "Go", "Maven", "NuGet", "RubyGems", "Packagist",
                    "Debian", "Alpine", "Red Hat"] {
            let eco: Ecosystem = eco.parse().unwrap_or(Ecosystem::Npm);
            let ab = riskmark_ecosystem::compare(&eco, &a, &b);
            let ba = riskmark_ecosystem::compare(&eco, &b, &a);
            if let (Ok(ab), Ok(ba)) = (ab, ba) {
                prop_assert_eq!(ab.reverse(), ba, "{}", eco);
            }
        }
    }
}

/// Events listed out of order are read as the listed pairs (#14): the advisories'
/// own texts, and Trivy, read them so. Events copied from the OSV PyPI archive
/// (`../shared/data/osv/PyPI.zip`, 2026-11).
#[test]
fn out_of_order_events_are_the_listed_pairs() {
    let eco = Ecosystem::PyPI;
    // PYSEC-2022-42972, apache-iotdb: "0.12.2 to 0.12.6, 0.13.0 to 0.13.2 are vulnerable".
    let iotdb = [range(
        RangeKind::Ecosystem,
        &[
            intro("0.13.0"),
            fixed("0.14.0rc1"),
            intro("0.12.2"),
            fixed("0.13.0"),
        ],
    )];
    for (v, want) in [
        ("0.12.1", false),
        ("0.12.2", true),
        ("0.12.6", true),
        ("0.13.0", true),
        ("0.13.2", true),
        ("0.14.0rc1", false),
        ("0.14.0", false),
    ] {
        assert_eq!(affected(&eco, v, &iotdb), want, "apache-iotdb {v}");
    }
    // PYSEC-2022-236, pyspark: before 3.1.3, and 3.2.0 to 3.2.1.
    let pyspark = [range(
        RangeKind::Ecosystem,
        &[
            intro("0"),
            fixed("3.1.1"),
            intro("3.2.0"),
            fixed("3.2.2"),
            intro("3.1.1"),
            fixed("3.1.3"),
        ],
    )];
    for (v, want) in [
        ("3.0.0", true),
        ("3.1.1", true),
        ("3.1.2", true),
        ("3.1.3", false),
        ("3.2.0", true),
        ("3.2.1", true),
        ("3.2.2", false),
    ] {
        assert_eq!(affected(&eco, v, &pyspark), want, "pyspark {v}");
    }
    // PYSEC-2023-72, pyspark: the same with the last interval up to 3.2.0.
    let pyspark72 = [range(
        RangeKind::Ecosystem,
        &[
            intro("0"),
            fixed("3.1.1"),
            intro("3.2.0"),
            fixed("3.2.2"),
            intro("3.1.1"),
            fixed("3.2.0"),
        ],
    )];
    for (v, want) in [
        ("3.1.1", true),
        ("3.1.3", true),
        ("3.2.1", true),
        ("3.2.2", false),
    ] {
        assert_eq!(affected(&eco, v, &pyspark72), want, "pyspark {v}");
    }
}

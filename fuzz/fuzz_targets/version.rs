//! Every ecosystem's version parser and comparator. The first byte picks the scheme,
//! the rest is three versions separated by newlines; among those that parse the order
//! must be reflexive, antisymmetric and transitive. Maven is held to the first two
//! only: its reference comparator (`ComparableVersion`, which riskmark follows exactly)
//! is not transitive for odd strings (`1.b/.e0t0a.3` < `1.0.0-beta.11` < `1.0.0` <
//! `1.b/.e0t0a.3`: a string item is below a list item, and an unknown qualifier above
//! the release), so riskmark never sorts with it assuming it is (see `sort_versions`).
#![no_main]
use std::cmp::Ordering;

use riskmark_ecosystem::{Scheme, Version};

const SCHEMES: [Scheme; 12] = [
    Scheme::SemVer,
    Scheme::Npm,
    Scheme::Cargo,
    Scheme::Go,
    Scheme::Pep440,
    Scheme::Maven,
    Scheme::NuGet,
    Scheme::RubyGems,
    Scheme::Composer,
    Scheme::Dpkg,
    Scheme::Apk,
    Scheme::Rpm,
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let scheme = SCHEMES[usize::from(first) % SCHEMES.len()];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let vs: Vec<Version> = text
        .splitn(3, '\n')
        .filter_map(|s| Version::parse(scheme, s).ok())
        .collect();
    let cmp = |a: &Version, b: &Version| a.partial_cmp(b);
    for a in &vs {
        assert_eq!(cmp(a, a), Some(Ordering::Equal), "{scheme:?} {a:?} reflexive");
        for b in &vs {
            let (ab, ba) = (cmp(a, b), cmp(b, a));
            assert_eq!(ab, ba.map(Ordering::reverse), "{scheme:?} {a:?} {b:?} antisymmetric");
            for c in &vs {
                if scheme != Scheme::Maven
                    && ab.is_some_and(Ordering::is_le) && cmp(b, c).is_some_and(Ordering::is_le) {
                    assert!(
                        cmp(a, c).is_some_and(Ordering::is_le),
                        "{scheme:?} {a:?} <= {b:?} <= {c:?} transitive"
                    );
                }
            }
        }
    }
});

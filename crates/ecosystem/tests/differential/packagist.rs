//! Packagist: PHP's `version_compare` on Composer-normalized versions.

use super::*;

/// Versions in Composer's normalized form (normalization is idempotent on
/// them), so that PHP's `version_compare` on the raw strings is the
/// reference for our comparison.
fn gen_composer(rng: &mut Lcg) -> String {
    let mut v = numbers(rng, 4, 4, &["0", "1", "2", "10", "9999999"], ".");
    if rng.chance(50) {
        v.push('-');
        v.push_str(rng.pick(&["alpha", "beta", "RC", "patch"]));
        v.push_str(rng.pick(&["", "1", "2", "10", "1.2", "0"]));
    }
    if rng.chance(20) {
        v.push_str("-dev");
    }
    v
}

const TRICKY: &[&str] = &[
    "1.0.0.0",
    "1.0.0.0-dev",
    "1.0.0.0-alpha1-dev",
    "1.0.0.0-alpha1",
    "1.0.0.0-beta",
    "1.0.0.0-RC1",
    "1.0.0.0-RC1.2",
    "1.0.0.0-patch1",
    "1.0.0.1",
    "1.0.9999999.9999999-dev",
    "2010.01.02",
    "20100102.203040",
    "1.0.0.0-beta10",
    "1.0.0.0-beta9",
];

/// Prints, per tab-separated pair, `version_compare`.
const SCRIPT: &str = r#"
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    [$a, $b] = explode("\t", $line, 2);
    echo version_compare($a, $b), "\n";
}
"#;

#[test]
fn packagist_matches_php_version_compare() {
    if !runs("php", &["--version"]) {
        missing("php (Debian package `php-cli`)");
        return;
    }
    let pairs = all_pairs(&corpus(82, 110, gen_composer, TRICKY));
    // version_compare takes any string; validity is Composer's, unit-tested.
    differential(
        Scheme::Composer,
        &pairs,
        tsv,
        Expect::OrderOnly(10_000),
        |input| {
            let mut cmd = Command::new("php");
            cmd.arg("-r").arg(SCRIPT).arg(input);
            run(cmd, "php version_compare")
        },
    );
}

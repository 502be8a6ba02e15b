//! Differential tests: our orderings against the reference implementations.
//!
//! Each test writes all its version pairs to one temporary file, runs the
//! reference once over the whole file, and compares every answer. The
//! references are installed by `.ci/setup.d/ecosystem.sh`. When one is
//! missing, the test fails under `CI=true` and is skipped (with a note on
//! stderr) otherwise.
//!
//! This file holds the harness; each ecosystem module holds its version
//! generator, its hand-picked tricky versions and the way to ask its
//! reference. `apk` and `nuget` check published test vectors instead.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use riskmark_ecosystem::{Scheme, Version};

mod apk;
mod dpkg;
mod go;
mod maven;
mod npm;
mod nuget;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver_crate;

/// Where `.ci/setup.d/ecosystem.sh` installs the pip and npm references.
const REF_DIR: &str = "/opt/riskmark-ref";
const SETUP: &str = "bash .ci/setup.d/ecosystem.sh";

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// `count` items from `pool`, `count` between `min` and `max`, joined by `sep`.
fn numbers(rng: &mut Lcg, min: usize, max: usize, pool: &[&str], sep: &str) -> String {
    let count = min + rng.below(max - min + 1);
    (0..count)
        .map(|_| rng.pick(pool))
        .collect::<Vec<_>>()
        .join(sep)
}

/// `n` generated versions plus the hand-picked ones, without duplicates.
fn corpus(seed: u64, n: usize, gen_one: fn(&mut Lcg) -> String, tricky: &[&str]) -> Vec<String> {
    let mut rng = Lcg(seed);
    let mut out: Vec<String> = tricky.iter().map(|s| (*s).to_owned()).collect();
    while out.len() < n + tricky.len() {
        let v = gen_one(&mut rng);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// All pairs among `versions` (ordered both ways) plus each with itself.
fn all_pairs(versions: &[String]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for a in versions {
        for b in versions {
            pairs.push((a.clone(), b.clone()));
        }
    }
    pairs
}

/// Reports a missing reference: a failure in CI; locally a note on the terminal (stderr
/// written directly, which the test harness does not capture: a skip is never silent).
fn missing(what: &str) {
    use std::io::Write as _;
    let msg = format!("reference missing: {what}; install it with `{SETUP}` (as root)");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    let _ = writeln!(std::io::stderr(), "note: skipping differential test, {msg}");
}

/// Whether `program args` runs and succeeds (probes for a reference).
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A fresh path in the temporary directory, unique to this process.
fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("riskmark-ecosystem-{}-{name}", std::process::id()))
}

/// A temporary directory for a reference's sources and caches, removed
/// when dropped (also when the test fails).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = temp_path(name);
        let _ = std::fs::create_dir_all(&path);
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `cmd` once; returns stdout lines.
fn run(mut cmd: Command, what: &str) -> Vec<String> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The pairs file for references that read JSON: `["a","b"]` a line.
fn jsonl(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for pair in pairs {
        let _ = writeln!(s, "{}", serde_json::json!([pair.0, pair.1]));
    }
    s
}

/// The pairs file for the others: `a<TAB>b` a line. Every generated string
/// must be free of tabs and newlines.
fn tsv(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for (a, b) in pairs {
        assert!(!a.contains(['\t', '\n']) && !b.contains(['\t', '\n']));
        let _ = writeln!(s, "{a}\t{b}");
    }
    s
}

/// Writes `pairs` to one temporary file with `format` (`jsonl` or `tsv`),
/// has `ask` run the reference over that file, and returns its answers,
/// one a line: `-1`, `0`, `1`, or anything else when the reference rejects
/// a side. The file is named after `scheme`, so that tests running in
/// parallel do not share one.
fn ask_reference(
    scheme: Scheme,
    pairs: &[(String, String)],
    format: fn(&[(String, String)]) -> String,
    ask: impl FnOnce(&Path) -> Vec<String>,
) -> Vec<String> {
    let input = temp_path(&format!("{scheme}-pairs").replace(' ', ""));
    std::fs::write(&input, format(pairs))
        .unwrap_or_else(|e| panic!("writing {}: {e}", input.display()));
    let answers = ask(&input);
    let _ = std::fs::remove_file(&input);
    answers
}

/// What the reference's answers must satisfy besides giving our order on
/// every pair both sides accept; the number is the least count of such pairs.
#[derive(Clone, Copy)]
enum Expect {
    /// It also accepts and rejects the same strings as we do.
    SameValidity(usize),
    /// Only its order counts: it accepts everything, or is stricter than we
    /// are (our validity is checked by the unit tests).
    OrderOnly(usize),
}

/// The differential test proper: asks the reference about every pair and
/// checks its answers against ours (see [`check`]); returns the answers,
/// for checking further schemes against the same reference.
fn differential(
    scheme: Scheme,
    pairs: &[(String, String)],
    format: fn(&[(String, String)]) -> String,
    expect: Expect,
    ask: impl FnOnce(&Path) -> Vec<String>,
) -> Vec<String> {
    let answers = ask_reference(scheme, pairs, format, ask);
    check(scheme, pairs, &answers, expect);
    answers
}

/// The reference's answer for one pair: `None` when it rejects a side.
fn parse_answer(line: &str) -> Option<Ordering> {
    match line.trim() {
        "-1" => Some(Ordering::Less),
        "0" => Some(Ordering::Equal),
        "1" => Some(Ordering::Greater),
        _ => None,
    }
}

/// Compares our answers with the reference's, pair by pair, as `expect` says.
fn check(scheme: Scheme, pairs: &[(String, String)], answers: &[String], expect: Expect) {
    let (same_validity, min_compared) = match expect {
        Expect::SameValidity(n) => (true, n),
        Expect::OrderOnly(n) => (false, n),
    };
    assert_eq!(
        answers.len(),
        pairs.len(),
        "reference answered {} of {} pairs",
        answers.len(),
        pairs.len()
    );
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for ((a, b), answer) in pairs.iter().zip(answers) {
        let ours = match (Version::parse(scheme, a), Version::parse(scheme, b)) {
            (Ok(x), Ok(y)) => x.try_cmp(&y).ok(),
            _ => None,
        };
        let theirs = parse_answer(answer);
        match (ours, theirs) {
            (Some(o), Some(t)) => {
                compared += 1;
                if o != t {
                    mismatches.push(format!("{a:?} vs {b:?}: ours {o:?}, reference {t:?}"));
                }
            }
            (None, None) => {}
            (o, t) => {
                if same_validity {
                    mismatches.push(format!(
                        "{a:?} vs {b:?}: ours {o:?}, reference {t:?} ({answer})"
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{scheme}: {} of {} pairs differ from the reference:\n{}",
        mismatches.len(),
        pairs.len(),
        mismatches
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        compared >= min_compared,
        "{scheme}: only {compared} valid pairs compared (want {min_compared})"
    );
}

/// Checks `(a, want, b)` triples both ways; returns how many were checked.
/// For ecosystems whose reference does not run here.
fn check_vectors(scheme: Scheme, vectors: &[(&str, Ordering, &str)]) -> usize {
    let mut mismatches = Vec::new();
    for (a, want, b) in vectors {
        match (Version::parse(scheme, a), Version::parse(scheme, b)) {
            (Ok(x), Ok(y)) => {
                let there = x.try_cmp(&y).ok();
                let back = y.try_cmp(&x).ok();
                if there != Some(*want) || back != Some(want.reverse()) {
                    mismatches.push(format!(
                        "{a:?} vs {b:?}: want {want:?}, ours {there:?} (reversed {back:?})"
                    ));
                }
            }
            (x, y) => mismatches.push(format!("{a:?} vs {b:?}: rejected: {x:?} {y:?}")),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{scheme}: {} of {} vectors fail:\n{}",
        mismatches.len(),
        vectors.len(),
        mismatches.join("\n")
    );
    vectors.len()
}

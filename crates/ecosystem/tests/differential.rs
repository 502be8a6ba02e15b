//! Differential tests: our orderings against the reference implementations.
//!
//! Each test writes all its version pairs to one temporary file, runs the
//! reference once over the whole file, and compares every answer. The
//! references are installed by `.ci/setup.d/ecosystem.sh`. When one is
//! missing, the test fails under `CI=true` and is skipped (with a note on
//! stderr) otherwise.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use riskmark_ecosystem::{Scheme, Version};

/// Where `.ci/setup.d/ecosystem.sh` installs the pip and npm references.
const REF_DIR: &str = "/opt/riskmark-ref";
const SETUP: &str = "bash .ci/setup.d/ecosystem.sh";

// ---------------------------------------------------------------------------
// Harness

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

/// Reports a missing reference: a failure in CI, a skip note locally.
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
fn missing(what: &str) {
    let msg = format!("reference missing: {what}; install it with `{SETUP}` (as root)");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("note: skipping differential test, {msg}");
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("riskmark-ecosystem-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
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

/// Every generated string must be free of tabs and newlines (file format).
fn tsv(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for (a, b) in pairs {
        assert!(!a.contains(['\t', '\n']) && !b.contains(['\t', '\n']));
        let _ = writeln!(s, "{a}\t{b}");
    }
    s
}

fn jsonl(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for pair in pairs {
        let _ = writeln!(s, "{}", serde_json::json!([pair.0, pair.1]));
    }
    s
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

/// Compares our answers with the reference's, pair by pair.
///
/// `check_validity`: whether the reference's accept/reject must match ours
/// (it does not for references that accept everything).
fn check(
    scheme: Scheme,
    pairs: &[(String, String)],
    answers: &[String],
    check_validity: bool,
    min_compared: usize,
) {
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
                if check_validity {
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

fn numbers(rng: &mut Lcg, min: usize, max: usize, pool: &[&str], sep: &str) -> String {
    let count = min + rng.below(max - min + 1);
    (0..count)
        .map(|_| rng.pick(pool))
        .collect::<Vec<_>>()
        .join(sep)
}

// ---------------------------------------------------------------------------
// PEP 440 against pypa `packaging`

fn gen_pep440(rng: &mut Lcg) -> String {
    let mut v = String::new();
    if rng.chance(5) {
        v.push_str(rng.pick(&["v", "V", " "]));
    }
    if rng.chance(10) {
        v.push_str(rng.pick(&["0!", "1!", "2!"]));
    }
    v.push_str(&numbers(rng, 1, 4, &["0", "1", "2", "10", "00", "01"], "."));
    let seps = ["", ".", "-", "_"];
    if rng.chance(40) {
        v.push_str(rng.pick(&seps));
        v.push_str(rng.pick(&[
            "a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "RC", "A",
        ]));
        v.push_str(rng.pick(&seps));
        v.push_str(rng.pick(&["", "0", "1", "2", "11"]));
    }
    if rng.chance(30) {
        if rng.chance(20) {
            v.push('-');
            v.push_str(rng.pick(&["1", "2"]));
        } else {
            v.push_str(rng.pick(&seps));
            v.push_str(rng.pick(&["post", "rev", "r", "Post"]));
            v.push_str(rng.pick(&seps));
            v.push_str(rng.pick(&["", "0", "1", "3"]));
        }
    }
    if rng.chance(25) {
        v.push_str(rng.pick(&seps));
        v.push_str(rng.pick(&["dev", "DEV"]));
        v.push_str(rng.pick(&["", "0", "1", "5"]));
    }
    if rng.chance(15) {
        v.push('+');
        let sep = rng.pick(&[".", "-", "_"]);
        v.push_str(&numbers(
            rng,
            1,
            3,
            &["abc", "5", "ubuntu1", "7", "05", "A"],
            sep,
        ));
    }
    if rng.chance(3) {
        v.push_str(rng.pick(&[" ", "-", ".", "x", "+"]));
    }
    v
}

#[test]
fn pep440_matches_packaging() {
    let python = Path::new(REF_DIR).join("python");
    if !python.join("packaging").is_dir() {
        missing("pypa packaging (pip) under /opt/riskmark-ref/python");
        return;
    }
    let tricky = [
        "1.0",
        "1.0.0",
        "1.0RC1",
        "1.0rc1",
        "1.0-post1",
        "1.0.post1",
        "1.0-1",
        "1.0a.",
        "1.0.post.",
        "1!1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0+05",
        "1.0.dev456",
        "1.0a12.dev456",
        "1.0b2.post345.dev456",
        "1.0.post456.dev34",
        "v1.0",
        " 1.0 ",
        "1.0c1",
        "1.0-dev",
        "1.0.r",
        "1.0_a_1",
        "1.0+abc-1",
        "1.0+ABC",
        "1.0+abc",
        "01.0",
        "1.0-",
        "1..0",
        "1.0.post-dev",
        "0.0",
        "1.0a1.post1.dev1",
        "1.0.0.0.0.0",
        "1.0.post-1",
    ];
    let versions = corpus(440, 130, gen_pep440, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("pep440.jsonl", &jsonl(&pairs));
    let script = r#"
import json, sys
from packaging.version import Version, InvalidVersion
def p(s):
    try: return Version(s)
    except InvalidVersion: return None
for line in open(sys.argv[1], encoding="utf-8"):
    a, b = json.loads(line)
    x, y = p(a), p(b)
    print("E" if x is None or y is None else (x > y) - (x < y))
"#;
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONPATH", &python)
        .arg("-c")
        .arg(script)
        .arg(&input);
    let answers = run(cmd, "python3 packaging");
    let _ = std::fs::remove_file(&input);
    check(Scheme::Pep440, &pairs, &answers, true, 5_000);
}

// ---------------------------------------------------------------------------
// SemVer / npm against node-semver

fn gen_semver(rng: &mut Lcg) -> String {
    let mut v = String::new();
    if rng.chance(5) {
        v.push('v');
    }
    v.push_str(&numbers(
        rng,
        3,
        3,
        &["0", "1", "2", "10", "9007199254740991"],
        ".",
    ));
    if rng.chance(3) {
        v = numbers(rng, 1, 4, &["0", "1", "01", "2"], ".");
    }
    if rng.chance(50) {
        v.push('-');
        v.push_str(&numbers(
            rng,
            1,
            3,
            &[
                "alpha", "beta", "rc", "1", "2", "11", "0", "01", "1a", "a-b", "-", "Alpha", "RC",
                "x",
            ],
            ".",
        ));
    }
    if rng.chance(20) {
        v.push('+');
        v.push_str(&numbers(rng, 1, 2, &["build", "001", "sha-1", "5"], "."));
    }
    if rng.chance(3) {
        v.push_str(rng.pick(&[".", "-", "+", " x", ".."]));
    }
    v
}

#[test]
fn npm_matches_node_semver() {
    let module = Path::new(REF_DIR).join("node/node_modules/semver");
    if !module.join("package.json").is_file() {
        missing("node-semver (npm) under /opt/riskmark-ref/node");
        return;
    }
    let tricky = [
        "1.0.0",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0+build",
        "1.0.0-0",
        "1.0.0-00",
        "1.0.0--",
        "1.0.0-a.-",
        "v1.2.3",
        " 1.2.3 ",
        "1.2.3-a.10",
        "1.2.3-a.9",
        "1.2.3-A",
        "1.2.3-a",
        "01.2.3",
        "1.2",
        "9007199254740992.0.0",
        "1.2.3-999999999999999",
        "1.2.3-1000000000000000",
    ];
    let versions = corpus(1, 140, gen_semver, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("npm.jsonl", &jsonl(&pairs));
    let script = r#"
const semver = require(process.argv[1]);
const fs = require("fs");
const out = [];
for (const line of fs.readFileSync(process.argv[2], "utf8").split("\n")) {
  if (!line) continue;
  const [a, b] = JSON.parse(line);
  out.push(semver.valid(a) === null || semver.valid(b) === null ? "E" : String(semver.compare(a, b)));
}
process.stdout.write(out.join("\n") + "\n");
"#;
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(script).arg(&module).arg(&input);
    let answers = run(cmd, "node semver");
    let _ = std::fs::remove_file(&input);
    check(Scheme::Npm, &pairs, &answers, true, 5_000);
    // Plain SemVer orders like node-semver wherever both accept.
    check(Scheme::SemVer, &pairs, &answers, false, 5_000);
    // crates.io's semver crate too (it is stricter on what it accepts).
    check(Scheme::Cargo, &pairs, &answers, false, 3_000);
}

// ---------------------------------------------------------------------------
// dpkg against apt's apt_pkg.version_compare (python3-apt)

fn gen_dpkg(rng: &mut Lcg) -> String {
    let mut v = String::new();
    if rng.chance(15) {
        v.push_str(rng.pick(&["0:", "1:", "2:", "10:"]));
    }
    let pool = [
        "0", "1", "2", "10", "01", "1a", "1b", "a", "0~", "1~rc1", "1~~", "1+b1", "2+dfsg", "9",
    ];
    let sep = rng.pick(&[".", ".", "+", "~"]);
    v.push_str(&numbers(rng, 1, 4, &pool, sep));
    if rng.chance(10) {
        v.push_str(rng.pick(&["~", "~~", "+", ".", "a", "~beta1", "+really1.0"]));
    }
    if rng.chance(50) {
        v.push('-');
        v.push_str(&numbers(
            rng,
            1,
            3,
            &[
                "0",
                "1",
                "2",
                "1ubuntu1",
                "0ubuntu0",
                "22.04",
                "~",
                "1~bpo11+1",
                "deb12u1",
            ],
            ".",
        ));
    }
    v
}

#[test]
fn dpkg_matches_apt_pkg() {
    let probe = Command::new("/usr/bin/python3")
        .args(["-c", "import apt_pkg"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        missing("python3-apt (apt_pkg) for /usr/bin/python3");
        return;
    }
    let tricky = [
        "1.0",
        "1.0-0",
        "1.0-1",
        "1.0~rc1",
        "1.0~rc1-1",
        "1.0~",
        "1.0~~",
        "1.0a",
        "1.0+",
        "1.0.",
        "0:1.0",
        "1:0.1",
        "1.001",
        "1.1",
        "2.30-1ubuntu1~22.04",
        "2.30-1ubuntu1",
        "1.2-3-4",
        "1.0-1+deb12u1",
        "1.0-1+deb11u1",
        "7.88.1-10+deb12u5",
        "1:7.88.1-10",
        "3.0.11-1~deb12u2",
        "a",
        "~",
        "1.0-a",
        "1.0-~",
        "1:1.0-",
        "1.0 1",
        "1.0-",
        ":1.0",
    ];
    let versions = corpus(12, 130, gen_dpkg, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("dpkg.jsonl", &jsonl(&pairs));
    let script = r#"
import json, sys, apt_pkg
apt_pkg.init_system()
for line in open(sys.argv[1], encoding="utf-8"):
    a, b = json.loads(line)
    r = apt_pkg.version_compare(a, b)
    print((r > 0) - (r < 0))
"#;
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.arg("-c").arg(script).arg(&input);
    let answers = run(cmd, "python3 apt_pkg");
    let _ = std::fs::remove_file(&input);
    // apt compares any string; validity is checked by the unit tests.
    check(Scheme::Dpkg, &pairs, &answers, false, 10_000);
}

// ---------------------------------------------------------------------------
// RPM against rpm's Lua rpm.vercmp

fn gen_rpm(rng: &mut Lcg) -> String {
    let mut v = String::new();
    if rng.chance(15) {
        v.push_str(rng.pick(&["0:", "1:", "2:", ":"]));
    }
    let pool = [
        "0", "1", "2", "10", "01", "a", "b", "1a", "rc1", "git", "20240101", "001",
    ];
    let sep = rng.pick(&[".", ".", "_", "+", "~", "^", ""]);
    v.push_str(&numbers(rng, 1, 4, &pool, sep));
    if rng.chance(15) {
        v.push_str(rng.pick(&["~", "^", "~rc1", "^git1", ".", "a", "~~", "^^"]));
    }
    if rng.chance(50) {
        v.push('-');
        v.push_str(&numbers(
            rng,
            1,
            3,
            &["0", "1", "2", "el9", "el9_3", "fc40", "1.el8", "lp155"],
            ".",
        ));
    }
    v
}

#[test]
fn rpm_matches_rpm_vercmp() {
    if !Command::new("rpm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing("rpm (Debian package `rpm`)");
        return;
    }
    let tricky = [
        "1.0",
        "1.0-1",
        "1:1.0",
        "0:1.0",
        ":1.0",
        "1.0~rc1",
        "1.0^",
        "1.0^git1",
        "1.01",
        "1.0^git1~pre",
        "1.0-",
        "a:1.0",
        "1.0-1-2",
        "5.5p1",
        "5.5p10",
        "10xyz",
        "10.1xyz",
        "xyz.4",
        "8",
        "2_0",
        "+",
        "_",
        "1.0aa",
        "1.0a",
        "6.0.rc1",
        "3.2.1-1.el9_3",
        "3.2.1-1.el9",
        "1.0-1.fc40",
        "2.0",
    ];
    let versions = corpus(418, 130, gen_rpm, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("rpm.tsv", &tsv(&pairs));
    let lua = format!(
        "%{{lua: local out = {{}} for line in io.lines('{}') do local a, b = line:match('^(.-)\\t(.*)$') \
         local ok, r = pcall(rpm.vercmp, a, b) out[#out + 1] = ok and tostring(r) or 'E' end \
         print(table.concat(out, '\\n'))}}",
        input.display()
    );
    let mut cmd = Command::new("rpm");
    cmd.arg("--eval").arg(lua);
    let answers: Vec<String> = run(cmd, "rpm --eval")
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let _ = std::fs::remove_file(&input);
    check(Scheme::Rpm, &pairs, &answers, true, 10_000);
}

// ---------------------------------------------------------------------------
// Maven against maven-artifact's ComparableVersion

fn gen_maven(rng: &mut Lcg) -> String {
    let pool = [
        "0",
        "1",
        "2",
        "10",
        "01",
        "alpha",
        "a",
        "beta",
        "b",
        "m",
        "milestone",
        "rc",
        "cr",
        "snapshot",
        "SNAPSHOT",
        "ga",
        "final",
        "release",
        "sp",
        "abc",
        "foo",
        "",
        "a1",
        "1a",
        "RC1",
        "Final",
        "0.0",
        "x",
    ];
    let count = 1 + rng.below(5);
    let mut v = String::new();
    for i in 0..count {
        if i > 0 {
            v.push_str(rng.pick(&[".", "-", "", "."]));
        }
        v.push_str(rng.pick(&pool));
    }
    v
}

fn maven_jar() -> Option<PathBuf> {
    let dir = std::fs::read_dir("/usr/share/maven/lib").ok()?;
    dir.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("maven-artifact-"))
    })
}

#[test]
fn maven_matches_comparable_version() {
    let Some(jar) = maven_jar() else {
        missing("maven-artifact jar (Debian package `maven`)");
        return;
    };
    if !Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing("java (Debian package `default-jdk-headless`)");
        return;
    }
    let tricky = [
        "1",
        "1.0",
        "1.0.0",
        "1-0",
        "1.0-0",
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
        "2.0",
        "2.0.a",
        "2-1",
        "2.0.2",
        "2.1-a",
        "2.1b",
        "2.1-c",
        "2.1-1",
        "2.1.0.1",
        "11.a2",
        "11.a11",
        "11.b2",
        "11",
        "11.a",
        "11b",
        "11c",
        "11m",
        "1.0-RELEASE",
        "1.0.Final",
        "1-ga-1",
        "1-0.1",
        "1.0.0-0.1",
        "1--1",
        "1..1",
        "-1",
        ".1",
        "1-",
        "1.",
        "",
        "1.0-alpha.1",
        "1.0-alpha-1",
        "1.0alpha1",
        "1.0a1",
        "1.0-sp-1",
        "1.0.0.0.0.1",
        "2.0.0.RELEASE",
        "1234567890123",
        "12345678901234567890",
        "1.0-SNAPSHOT",
        "1.0-20240101.123456-1",
    ];
    let versions = corpus(38, 120, gen_maven, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("maven.tsv", &tsv(&pairs));
    let dir = std::env::temp_dir().join(format!("riskmark-ecosystem-{}-java", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let source = dir.join("MavenCmp.java");
    let program = r#"
import java.nio.file.*;
import org.apache.maven.artifact.versioning.ComparableVersion;
public class MavenCmp {
  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]))) {
      int tab = line.indexOf('\t');
      int r = new ComparableVersion(line.substring(0, tab)).compareTo(new ComparableVersion(line.substring(tab + 1)));
      out.append(Integer.signum(r)).append('\n');
    }
    System.out.print(out);
  }
}
"#;
    std::fs::write(&source, program).unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = Command::new("java");
    cmd.arg("-cp").arg(&jar).arg(&source).arg(&input);
    let answers = run(cmd, "java ComparableVersion");
    let _ = std::fs::remove_file(&input);
    let _ = std::fs::remove_dir_all(&dir);
    check(Scheme::Maven, &pairs, &answers, true, 10_000);
}

// ---------------------------------------------------------------------------
// RubyGems against Gem::Version

fn gen_gem(rng: &mut Lcg) -> String {
    let mut v = numbers(rng, 1, 4, &["0", "1", "2", "10", "01", "00"], ".");
    if rng.chance(40) {
        v.push_str(rng.pick(&[".", "", "-", ".", "-"]));
        v.push_str(&numbers(
            rng,
            1,
            3,
            &[
                "a", "b", "pre", "rc", "beta", "0", "1", "2", "A", "rc1", "a-b",
            ],
            ".",
        ));
    }
    if rng.chance(5) {
        v = format!(" {v}");
    }
    if rng.chance(4) {
        v.push_str(rng.pick(&[".", "-", "..", "_", "+1"]));
    }
    v
}

#[test]
fn rubygems_matches_gem_version() {
    if !Command::new("ruby")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing("ruby (Debian package `ruby`)");
        return;
    }
    let tricky = [
        "1.0",
        "1.0.a",
        "1.8.2",
        "0.0.0",
        "1.8.2.a",
        "1.8.2.b",
        "1.8.2.a10",
        "1.8.2.a9",
        "",
        "0",
        "0.beta.1",
        "0.0.beta",
        "0.0.beta.1",
        "5.a",
        "5.0.0.rc2",
        "5.x",
        "1.9.3",
        "1.9.3.0",
        "1.0.0-rc1",
        "1.0.0.pre.rc1",
        "1.0.0a",
        "1.0.0.A",
        "junk",
        "1..2",
        "1.0-",
        "a1",
        "  1.0  ",
        "1.0.0-1",
        "1-1",
    ];
    let versions = corpus(33, 130, gen_gem, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("gem.jsonl", &jsonl(&pairs));
    let script = r#"
require "json"
require "rubygems"
def v(s)
  Gem::Version.new(s)
rescue ArgumentError
  nil
end
out = []
File.foreach(ARGV[0]) do |line|
  a, b = JSON.parse(line)
  x, y = v(a), v(b)
  out << (x.nil? || y.nil? ? "E" : (x <=> y).to_s)
end
puts out
"#;
    let mut cmd = Command::new("ruby");
    cmd.arg("-e").arg(script).arg(&input);
    let answers = run(cmd, "ruby Gem::Version");
    let _ = std::fs::remove_file(&input);
    check(Scheme::RubyGems, &pairs, &answers, true, 8_000);
}

// ---------------------------------------------------------------------------
// Packagist: PHP's version_compare on Composer-normalized versions

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

#[test]
fn packagist_matches_php_version_compare() {
    if !Command::new("php")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing("php (Debian package `php-cli`)");
        return;
    }
    let tricky = [
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
    let versions = corpus(82, 110, gen_composer, &tricky);
    let pairs = all_pairs(&versions);
    let input = temp_file("composer.tsv", &tsv(&pairs));
    let script = r#"
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    [$a, $b] = explode("\t", $line, 2);
    echo version_compare($a, $b), "\n";
}
"#;
    let mut cmd = Command::new("php");
    cmd.arg("-r").arg(script).arg(&input);
    let answers = run(cmd, "php version_compare");
    let _ = std::fs::remove_file(&input);
    // version_compare takes any string; validity is Composer's, unit-tested.
    check(Scheme::Composer, &pairs, &answers, false, 10_000);
}

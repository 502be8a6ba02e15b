//! SemVer / npm against node-semver.

use super::*;

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

/// Prints, per JSON pair, `E` when `semver.valid` rejects a side, else
/// `semver.compare`.
const SCRIPT: &str = r#"
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

#[test]
fn npm_matches_node_semver() {
    let module = Path::new(REF_DIR).join("node/node_modules/semver");
    if !module.join("package.json").is_file() {
        missing("node-semver (npm) under /opt/riskmark-ref/node");
        return;
    }
    let pairs = all_pairs(&corpus(1, 140, gen_semver, TRICKY));
    let answers = differential(
        Scheme::Npm,
        &pairs,
        jsonl,
        Expect::SameValidity(5_000),
        |input| {
            let mut cmd = Command::new("node");
            cmd.arg("-e").arg(SCRIPT).arg(&module).arg(input);
            run(cmd, "node semver")
        },
    );
    // Plain SemVer orders like node-semver wherever both accept.
    check(Scheme::SemVer, &pairs, &answers, Expect::OrderOnly(5_000));
    // crates.io's semver crate too (it is stricter on what it accepts).
    check(Scheme::Cargo, &pairs, &answers, Expect::OrderOnly(3_000));
}

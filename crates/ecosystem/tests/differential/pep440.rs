//! PEP 440 against pypa `packaging`.

use super::*;

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

const TRICKY: &[&str] = &[
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

/// Prints, per JSON pair, `E` when `Version` rejects a side, else -1/0/1.
const SCRIPT: &str = r#"
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

#[test]
fn pep440_matches_packaging() {
    let python = Path::new(REF_DIR).join("python");
    if !python.join("packaging").is_dir() {
        missing("pypa packaging (pip) under /opt/riskmark-ref/python");
        return;
    }
    let pairs = all_pairs(&corpus(440, 130, gen_pep440, TRICKY));
    differential(
        Scheme::Pep440,
        &pairs,
        jsonl,
        Expect::SameValidity(5_000),
        |input| {
            let mut cmd = Command::new("python3");
            cmd.env("PYTHONPATH", &python)
                .arg("-c")
                .arg(SCRIPT)
                .arg(input);
            run(cmd, "python3 packaging")
        },
    );
}

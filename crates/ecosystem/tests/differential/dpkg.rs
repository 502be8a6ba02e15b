//! dpkg against apt's `apt_pkg.version_compare` (python3-apt).

use super::*;

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

const TRICKY: &[&str] = &[
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

/// Prints, per JSON pair, the sign of `apt_pkg.version_compare`.
const SCRIPT: &str = r#"
import json, sys, apt_pkg
apt_pkg.init_system()
for line in open(sys.argv[1], encoding="utf-8"):
    a, b = json.loads(line)
    r = apt_pkg.version_compare(a, b)
    print((r > 0) - (r < 0))
"#;

#[test]
fn dpkg_matches_apt_pkg() {
    if !runs("/usr/bin/python3", &["-c", "import apt_pkg"]) {
        missing("python3-apt (apt_pkg) for /usr/bin/python3");
        return;
    }
    let pairs = all_pairs(&corpus(12, 130, gen_dpkg, TRICKY));
    // apt compares any string; validity is checked by the unit tests.
    differential(
        Scheme::Dpkg,
        &pairs,
        jsonl,
        Expect::OrderOnly(10_000),
        |input| {
            let mut cmd = Command::new("/usr/bin/python3");
            cmd.arg("-c").arg(SCRIPT).arg(input);
            run(cmd, "python3 apt_pkg")
        },
    );
}

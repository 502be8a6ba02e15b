//! RPM against rpm's Lua `rpm.vercmp`.

use super::*;

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

const TRICKY: &[&str] = &[
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

/// `rpm --eval` of a Lua chunk that prints, per tab-separated pair in
/// `input`, `rpm.vercmp` or `E` when it raises.
fn lua(input: &Path) -> String {
    format!(
        "%{{lua: local out = {{}} for line in io.lines('{}') do local a, b = line:match('^(.-)\\t(.*)$') \
         local ok, r = pcall(rpm.vercmp, a, b) out[#out + 1] = ok and tostring(r) or 'E' end \
         print(table.concat(out, '\\n'))}}",
        input.display()
    )
}

#[test]
fn rpm_matches_rpm_vercmp() {
    if !runs("rpm", &["--version"]) {
        missing("rpm (Debian package `rpm`)");
        return;
    }
    let pairs = all_pairs(&corpus(418, 130, gen_rpm, TRICKY));
    differential(
        Scheme::Rpm,
        &pairs,
        tsv,
        Expect::SameValidity(10_000),
        |input| {
            let mut cmd = Command::new("rpm");
            cmd.arg("--eval").arg(lua(input));
            run(cmd, "rpm --eval")
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect()
        },
    );
}

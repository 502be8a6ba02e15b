//! Go modules against `golang.org/x/mod/semver`.

use super::*;

fn gen_go(rng: &mut Lcg) -> String {
    let mut v = String::new();
    if !rng.chance(8) {
        v.push('v');
    }
    if rng.chance(2) {
        v.push_str(rng.pick(&["v", "V", " ", "0"]));
    }
    let parts = if rng.chance(85) { 3 } else { 1 + rng.below(2) };
    v.push_str(&numbers(
        rng,
        parts,
        parts,
        &["0", "1", "2", "10", "99999999999999999999"],
        ".",
    ));
    if rng.chance(3) {
        v.push_str(".0");
    }
    if rng.chance(45) {
        v.push('-');
        v.push_str(&numbers(
            rng,
            1,
            3,
            &[
                "alpha",
                "beta",
                "rc",
                "pre",
                "0",
                "1",
                "11",
                "20190101000000-aaaaaaaaaaaa",
                "20191109021931-daa7c04131f5",
                "0.20200101000000-bbbbbbbbbbbb",
                "x-y",
                "A",
            ],
            ".",
        ));
        if rng.chance(5) {
            v.push_str(rng.pick(&[".01", "..1", "."]));
        }
    }
    if rng.chance(15) {
        v.push('+');
        v.push_str(rng.pick(&["incompatible", "incompatible", "build.1", "001", "", "a..b"]));
    }
    if rng.chance(3) {
        v.push_str(rng.pick(&[".", "-", "+", " ", "ä"]));
    }
    v
}

/// The Go program that answers for each tab-separated pair: `E` when
/// `semver.IsValid` rejects a side, else `semver.Compare`.
const GO_PROGRAM: &str = r#"package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(os.Stdout)
	s := bufio.NewScanner(f)
	for s.Scan() {
		a, b, _ := strings.Cut(s.Text(), "\t")
		if !semver.IsValid(a) || !semver.IsValid(b) {
			fmt.Fprintln(w, "E")
		} else {
			fmt.Fprintln(w, semver.Compare(a, b))
		}
	}
	if err := s.Err(); err != nil {
		panic(err)
	}
	w.Flush()
}
"#;

/// Where Debian's golang-golang-x-mod-dev puts the sources (a GOPATH).
const GOPATH: &str = "/usr/share/gocode";

const TRICKY: &[&str] = &[
    "v1.0.0",
    "v1",
    "v1.2",
    "v1.2.0",
    "1.2.3",
    "v1.2-pre",
    "v1.2+meta",
    "v1.2.3-pre",
    "v1.2.3-pre.0.20200101000000-bbbbbbbbbbbb",
    "v1.2.4-0.20200101000000-cccccccccccc",
    "v0.0.0-20190101000000-aaaaaaaaaaaa",
    "v0.0.0-20191109021931-daa7c04131f5",
    "v2.0.0+incompatible",
    "v2.0.0",
    "v2.0.1-0.20200101000000-cccccccccccc+incompatible",
    "v1.0.0-01",
    "v1.0.0-0",
    "v1.0.0-a.10",
    "v1.0.0-a.9",
    "v1.0.0-A",
    "v01.0.0",
    "v1.0.0-",
    "v1.0.0+",
    "v1.0.0-a..b",
    "v1.0.0+a..b",
    "v1.0.0+001",
    "V1.0.0",
    "vv1.0.0",
    "v",
    "",
    "v99999999999999999999.0.0",
    "v1.0.0-99999999999999999999",
    "v1.0.0-100000000000000000000",
];

#[test]
fn go_matches_x_mod_semver() {
    if !Path::new(GOPATH)
        .join("src/golang.org/x/mod/semver/semver.go")
        .is_file()
    {
        missing("golang.org/x/mod (Debian package `golang-golang-x-mod-dev`)");
        return;
    }
    if !runs("go", &["version"]) {
        missing("go (Debian package `golang-go`)");
        return;
    }
    let pairs = all_pairs(&corpus(7, 150, gen_go, TRICKY));
    // OSV's Go ranges omit the `v` that Go requires; we add it when missing,
    // so the reference is asked about the string with it.
    let with_v = |s: &String| {
        if s.starts_with('v') {
            s.clone()
        } else {
            format!("v{s}")
        }
    };
    let reference_pairs: Vec<(String, String)> =
        pairs.iter().map(|(a, b)| (with_v(a), with_v(b))).collect();
    let dir = TempDir::new("go");
    let source = dir.0.join("gocmp.go");
    std::fs::write(&source, GO_PROGRAM).unwrap_or_else(|e| panic!("{e}"));
    let ask = |input: &Path| {
        let mut cmd = Command::new("go");
        cmd.arg("run")
            .arg(&source)
            .arg(input)
            .env("GOPATH", GOPATH)
            .env("GO111MODULE", "off")
            .env("GOFLAGS", "")
            .env("GOPROXY", "off")
            .env("GOTOOLCHAIN", "local")
            .env("GOCACHE", dir.0.join("cache"));
        run(cmd, "go run (x/mod/semver)")
    };
    let answers = ask_reference(Scheme::Go, &reference_pairs, tsv, ask);
    check(Scheme::Go, &pairs, &answers, Expect::SameValidity(12_000));
}

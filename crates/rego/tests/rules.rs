//! Loading and evaluating Rego checks: the shipped examples on real profiles, and every
//! malformed input located by file, line and code.

use std::path::{Path, PathBuf};

use jiff::civil::date;
use riskmark_checks::{Basis, Role, Status};
use riskmark_rego::{RegoError, RuleSet};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn profile(name: &str) -> riskmark_model::Profile {
    riskmark_model::load_path(&root().join("examples").join(name))
        .unwrap()
        .profile
}

fn examples() -> RuleSet {
    RuleSet::load(&[root().join("examples/rules")]).unwrap()
}

fn one(text: &str) -> Result<RuleSet, RegoError> {
    let mut set = RuleSet::default();
    set.add_source("policy.rego", text)?;
    Ok(set)
}

fn eval(text: &str) -> Result<Vec<riskmark_checks::Verdict>, RegoError> {
    one(text)?.evaluate(&profile("smart-plug.toml"), date(2026, 11, 24), &"low")
}

#[test]
fn examples_load_with_their_meta() {
    let set = examples();
    assert_eq!(set.codes(), ["no-telnet", "support-five-years"]);
    let c = &set.checks()[0];
    assert_eq!(c.title, "No telnet service");
    assert_eq!(c.responsible, [Role::Manufacturer]);
    assert!(c.source.ends_with("no-telnet.rego"), "{}", c.source);
}

#[test]
fn telnet_fails_on_the_baby_monitor_and_passes_on_the_smart_plug() {
    let set = examples();
    let v = set
        .evaluate(&profile("baby-monitor.toml"), date(2026, 11, 24), &"high")
        .unwrap();
    assert_eq!(v[0].code, "no-telnet");
    assert_eq!(v[0].status, Status::Fail);
    assert!(v[0].reasons[0].contains("23/tcp"), "{:?}", v[0].reasons);
    assert_eq!(v[0].facts[0].path, "connectivity.services");
    assert!(v[0].facts[0].value.is_array());
    assert_eq!(v[0].evidence, Basis::Declared);
    // The baby monitor declares no support end.
    assert_eq!(v[1].status, Status::NeedsEvidence);
    assert_eq!(v[1].evidence, Basis::None);

    let v = set
        .evaluate(&profile("smart-plug.toml"), date(2026, 11, 24), &"low")
        .unwrap();
    assert_eq!(v[0].status, Status::Pass, "{:?}", v[0].reasons);
    assert_eq!(v[1].status, Status::Pass, "{:?}", v[1].reasons);
    assert!(v[1].reasons[0].contains("2031-11-24"), "{:?}", v[1].reasons);
}

#[test]
fn support_period_follows_the_assessment_date() {
    let set = examples();
    let plug = profile("smart-plug.toml"); // support ends 2031-12-31
    let v = set.evaluate(&plug, date(2027, 1, 1), &"low").unwrap();
    assert_eq!(v[1].status, Status::Fail, "{:?}", v[1].reasons);
    assert!(
        v[1].reasons[0].contains("before 2032-01-01"),
        "{:?}",
        v[1].reasons
    );
    let v = set.evaluate(&plug, date(2026, 12, 31), &"low").unwrap();
    assert_eq!(v[1].status, Status::Pass, "{:?}", v[1].reasons);
}

#[test]
fn input_carries_the_assessment_date_and_tier() {
    let v = eval(
        r#"package riskmark.checks["echo-input"]
verdict := {"status": "pass", "reason": concat(" ", [input.assessed, input.tier, input.product.category])}
"#,
    )
    .unwrap();
    assert_eq!(v[0].code, "echo-input");
    assert_eq!(v[0].reasons, ["2026-11-24 low smart-plug"]);
    assert!(v[0].facts.is_empty());
}

fn err(text: &str) -> RegoError {
    match eval(text) {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn syntax_error_names_file_and_line() {
    let e =
        one("package riskmark.checks.broken\n\nverdict := {\"status\": \"pass\",\n").unwrap_err();
    assert_eq!(e.file, "policy.rego");
    assert!(e.line.is_some_and(|l| l >= 3), "{e}");
    assert!(e.to_string().starts_with("policy.rego:"), "{e}");
    assert_eq!(e.code.as_deref(), Some("broken"));
    assert!(e.message.contains("expecting"), "{e}");
}

#[test]
fn package_outside_riskmark_checks_is_refused() {
    let e = one("package acme.policy\n\nverdict := {}\n").unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("riskmark.checks"), "{e}");
}

#[test]
fn builtin_code_is_refused() {
    let e = one("package riskmark.checks.update_signed\n\nverdict := {}\n").unwrap_err();
    assert_eq!(e.code.as_deref(), Some("update-signed"));
    assert!(e.message.contains("built-in"), "{e}");
}

#[test]
fn duplicate_code_is_refused() {
    let mut set = RuleSet::default();
    let text =
        "package riskmark.checks.twice\n\nverdict := {\"status\": \"pass\", \"reason\": \"x\"}\n";
    set.add_source("a.rego", text).unwrap();
    let e = set.add_source("b.rego", text).unwrap_err();
    assert_eq!(e.file, "b.rego");
    assert!(e.message.contains("a.rego"), "{e}");
}

#[test]
fn missing_verdict() {
    let e = one("package riskmark.checks.nothing\n\nallow := true\n").unwrap_err();
    assert_eq!((e.line, e.code.as_deref()), (Some(1), Some("nothing")));
    assert!(e.message.contains("no `verdict`"), "{e}");
}

#[test]
fn undefined_verdict() {
    let e = err(
        "package riskmark.checks.sometimes\n\nverdict := {\"status\": \"pass\", \"reason\": \"x\"} if input.nope\n",
    );
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("undefined"), "{e}");
}

#[test]
fn wrong_shape() {
    let e = err("package riskmark.checks.shape\n\nverdict := \"pass\"\n");
    assert_eq!((e.line, e.code.as_deref()), (Some(3), Some("shape")));
    let e = err("package riskmark.checks.shape\n\nverdict := {\"status\": \"pass\"}\n");
    assert!(e.message.contains("reason"), "{e}");
    let e = err(
        "package riskmark.checks.shape\n\nverdict := {\"status\": \"pass\", \"reason\": \"x\", \"extra\": 1}\n",
    );
    assert!(e.message.contains("extra"), "{e}");
}

#[test]
fn unknown_status() {
    let e = err(
        "package riskmark.checks.status\n\n\nverdict := {\"status\": \"ok\", \"reason\": \"x\"}\n",
    );
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("unknown status `ok`"), "{e}");
}

#[test]
fn bad_meta() {
    let e = one("package riskmark.checks.meta_bad\n\nmeta := {\"area\": \"everywhere\"}\nverdict := {\"status\": \"pass\", \"reason\": \"x\"}\n").unwrap_err();
    assert_eq!((e.line, e.code.as_deref()), (Some(3), Some("meta-bad")));
}

#[test]
fn evaluation_error() {
    let e = err(
        "package riskmark.checks.divide\n\nverdict := {\"status\": \"pass\", \"reason\": sprintf(\"%v\", [1 / 0])}\n",
    );
    assert_eq!(e.code.as_deref(), Some("divide"));
    assert_eq!(e.line, Some(3), "{e}");
}

#[test]
fn runaway_rule_stops_at_the_time_limit() {
    let started = std::time::Instant::now();
    let e = err(r#"package riskmark.checks.forever

n := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); x := a * b])
verdict := {"status": "pass", "reason": sprintf("%v", [n])}
"#);
    assert!(
        started.elapsed() < riskmark_rego::TIME_LIMIT * 5,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.code.as_deref(), Some("forever"));
    assert!(e.message.contains("time limit"), "{e}");
}

/// #14: about 20 unclosed `{` made the Rego parser run for seconds (24: 7.7 s) before
/// failing, outside the evaluation's time limit. Refused up front, located.
#[test]
fn regression_fuzz_rego_crash_minus_run_stack_overflow() {
    // The fuzz target's input, as found (fixtures/PROVENANCE.md): refused, not a crash.
    let found = include_str!("fixtures/fuzz-crash-d562b2d8.rego");
    let e = one(found).unwrap_err();
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.message.contains("minus signs in a row"), "{e}");
    // Reduced: thousands of unary minus signs, with or without spaces between them.
    for minus in ["-".repeat(5000), "- ".repeat(5000)] {
        let text = format!("package riskmark.checks.neg\n\nx := {minus}1\n");
        let e = one(&text).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("minus signs in a row"), "{e}");
    }
    // Subtraction and a negated negative still load.
    one(
        "package riskmark.checks.sub\n\nx := 10 - -2 - 3\ny := -(-(1))\n\
         verdict := {\"status\": \"pass\", \"reason\": sprintf(\"%v %v\", [x, y])}\n",
    )
    .unwrap();
}

#[test]
fn regression_fuzz_rego_timeout_huge_exponent() {
    // The fuzz target's input, as found (fixtures/PROVENANCE.md).
    let found = include_str!("fixtures/fuzz-timeout-5079f898.rego");
    let e = one(found).unwrap_err();
    assert_eq!(e.line, Some(found.lines().count()), "{e}");
    assert!(e.message.contains("exponent over 400"), "{e}");
    // Reduced: a literal in scientific notation with a huge exponent, or huge digits.
    for number in ["0e2222225", "1E+999999999", "2.5e401", &"7".repeat(1001)] {
        let text = format!("package riskmark.checks.big\n\nverdict := {number}\n");
        let e = one(&text).unwrap_err();
        assert_eq!(e.line, Some(3), "{number}: {e}");
        assert!(e.message.contains("number literal"), "{number}: {e}");
    }
    // What real checks write still loads: ordinary and large-but-sane numbers, names
    // with digits and an `e`, and any text inside strings and comments.
    let fine = "package riskmark.checks.fine\n\
        # 1e99999999 in a comment\n\
        a1e999 := 1e300\n\
        b := 12345678901234567890\n\
        c := \"9e999999999\"\n\
        verdict := {\"status\": \"pass\", \"reason\": sprintf(\"%v %v %v\", [a1e999, b, c])}\n";
    one(fine).unwrap();
}

#[test]
fn regression_rego_parser_hang_unclosed_braces() {
    for open in ["{", "[", "("] {
        let text = format!(
            "package riskmark.checks.deep\n\nverdict := x if {{\n  x := {}\n}}\n",
            open.repeat(40)
        );
        let e = one(&text).unwrap_err();
        assert_eq!(e.file, "policy.rego");
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("nested deeper than 16"), "{e}");
    }
    // Brackets inside strings and comments do not count.
    let quoted = format!(
        "package riskmark.checks.quoted\n# {}\nverdict := {{\"status\": \"pass\", \"reason\": \"{}\"}}\n",
        "{".repeat(40),
        "[".repeat(40)
    );
    let e = one(&quoted).err();
    assert!(
        e.as_ref()
            .is_none_or(|e| !e.message.contains("nested deeper")),
        "{e:?}"
    );
    // A rules file larger than 1 MiB is refused.
    let big = format!("package riskmark.checks.big\n#{}\n", "x".repeat(1 << 20));
    assert!(one(&big).unwrap_err().message.contains("at most"));
}

//! Custom checks written in Rego, evaluated with [regorus](https://github.com/microsoft/regorus)
//! over a device profile's facts: a user adds a check without recompiling riskmark, and a
//! user framework catalog (`assess --catalog`) maps its controls to the check's code.
//!
//! # The contract
//!
//! - **One check per file.** A Rego module has exactly one package; a check's package is
//!   `riskmark.checks.<name>`, and its code is `<name>` with `_` turned into `-`
//!   (`package riskmark.checks.no_telnet` declares `no-telnet`;
//!   `package riskmark.checks["no-telnet"]` declares the same code). The code must be
//!   kebab-case (`[a-z][a-z0-9]*(-[a-z0-9]+)*`), must not be a built-in check's code and must
//!   not be declared twice. Rego v1 syntax (`if`, `contains`, `:=`).
//! - **`verdict`** (required) is an object, defined for every profile (give it a
//!   `default`), with exactly these keys:
//!   - `status`: `"pass"`, `"fail"`, `"needs-evidence"` or `"not-applicable"`;
//!   - `reason`: a non-empty string, why;
//!   - `facts` (optional): the dotted profile paths it read (`"connectivity.services"`),
//!     recorded with their values; whether they are declared or verified by the profile's
//!     `[[evidence]]` decides the verdict's `evidence`, as for the built-in checks.
//! - **`meta`** (optional) is a constant object with any of `title` (string), `area` (one of
//!   the built-in areas: `identity`, `updates`, `disclosure`, `communication`, `data`,
//!   `network`, `integrity`, `resilience`, `logging`, `development`, `documentation`,
//!   `vulnerabilities`) and `responsible` (a list of `manufacturer`, `software-developer`,
//!   `operator`, `user`; default `["manufacturer"]`). It is evaluated once, with an empty input.
//! - **`input`** is the profile as JSON, with the field names of the profile format
//!   (`input.product.category`, `input.connectivity.services[_].name`,
//!   `input.updates.support_end`; a field that is not declared is absent), plus
//!   `input.assessed` (the assessment date, `"YYYY-MM-DD"`) and `input.tier` (the risk tier:
//!   `"low"`, `"medium"`, `"high"` or `"critical"`).
//! - **Builtins**: regorus's core set (strings, numbers, arrays, sets, objects, aggregates,
//!   types, encoding). The time, regex, glob, net, http and uuid builtins are not compiled in;
//!   compare ISO dates as strings.
//! - **Limits**: each evaluation stops after [`TIME_LIMIT`] (regorus's cooperative execution
//!   timer) with an error naming the check; policy files are bounded by regorus's default
//!   length limits (size, lines, columns) and riskmark's input size limit. Rego has no
//!   unbounded recursion; memory is not bounded (regorus only meters it with its allocator
//!   feature, which would replace the global allocator).
//!
//! Every problem (unreadable file, syntax error, missing or malformed `verdict` or `meta`,
//! unknown status, evaluation error, time limit) is a [`RegoError`] naming the file, the line
//! and the check code.

#![warn(missing_docs)]

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value as RegoValue};
use riskmark_checks::{Area, Basis, FactRef, Role, Status, Verdict};
use riskmark_model::Profile;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How long one evaluation of a check's `verdict` (or `meta`) may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(2);

/// Work units between two looks at the clock.
const CHECK_INTERVAL: NonZeroU32 = match NonZeroU32::new(32) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

/// The largest rules file read (1 MiB; a check is a few kilobytes).
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// The deepest nesting of `(`, `[` and `{` a rules file may have. The Rego parser
/// (regorus 0.14) backtracks over unclosed brackets in time that doubles with each
/// one: 20/22/24 unclosed `{` took 0.6/2.0/7.7 s to fail, outside the evaluation's
/// time limit (#14). Real checks nest a handful of levels.
pub const MAX_NESTING: usize = 16;

/// The largest exponent a number literal may have (`1e400`). regorus 0.14 turns a literal
/// in scientific notation into an exact big integer, computing the power of ten whole:
/// `0e2222225` took over 2 s to parse (found by the `rego` fuzz target), `1e999999999`
/// would not end. Real checks compare small numbers.
pub const MAX_NUMBER_EXPONENT: u64 = 400;

/// The most digits a number literal may have (parsing them is quadratic).
pub const MAX_NUMBER_DIGITS: usize = 1000;

/// What [`screen`] refuses in a rules file before the Rego parser sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screened {
    /// A bracket nested deeper than [`MAX_NESTING`].
    TooDeep,
    /// A number literal with an exponent over [`MAX_NUMBER_EXPONENT`] or more than
    /// [`MAX_NUMBER_DIGITS`] digits.
    HugeNumber,
    /// More than [`MAX_NESTING`] minus signs in a row (whitespace between them aside):
    /// regorus parses each unary minus by recursion, and a long run overflowed the stack
    /// (found by the `rego` fuzz target).
    MinusRun,
}

/// The line and kind of the first thing in `text` the Rego parser would take too long
/// over, or recurse too deep into: brackets nested deeper than [`MAX_NESTING`], a run of
/// more minus signs than that, or a huge number literal. Strings, raw strings and
/// comments are skipped.
fn screen(text: &str) -> Option<(usize, Screened)> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut chars = text.chars().peekable();
    // Whether the previous character continues a name (`x1e999` is a name, not a number).
    let mut in_name = false;
    let mut minus_run = 0usize;
    while let Some(c) = chars.next() {
        let name_char = c.is_alphanumeric() || c == '_';
        if c == '-' {
            minus_run += 1;
            if minus_run > MAX_NESTING {
                return Some((line, Screened::MinusRun));
            }
        } else if !c.is_whitespace() {
            minus_run = 0;
        }
        match c {
            '\n' => line += 1,
            // A comment runs to the end of the line.
            '#' if chars.by_ref().any(|c| c == '\n') => line += 1,
            '#' => {}
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        (false, '\n') => line += 1,
                        _ => {}
                    }
                }
            }
            '`' => {
                for c in chars.by_ref() {
                    match c {
                        '`' => break,
                        '\n' => line += 1,
                        _ => {}
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, Screened::TooDeep));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '0'..='9' if !in_name => {
                let mut digits = 1;
                while let Some(&d) = chars.peek() {
                    match d {
                        '0'..='9' => digits += 1,
                        '.' => {}
                        _ => break,
                    }
                    chars.next();
                }
                let mut exponent: u64 = 0;
                if chars.next_if(|&e| e == 'e' || e == 'E').is_some() {
                    let _ = chars.next_if(|&s| s == '+' || s == '-');
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        exponent = exponent
                            .saturating_mul(10)
                            .saturating_add(u64::from(d.to_digit(10).unwrap_or(0)));
                    }
                }
                if exponent > MAX_NUMBER_EXPONENT || digits > MAX_NUMBER_DIGITS {
                    return Some((line, Screened::HugeNumber));
                }
                // The number ends a token: what follows starts a new one.
                in_name = false;
                continue;
            }
            _ => {}
        }
        in_name = name_char;
    }
    None
}

/// The package every custom check lives under.
pub const PACKAGE_PREFIX: &str = "riskmark.checks.";

/// A problem with a rules file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default(), code.as_deref().map(|c| format!(": check `{c}`")).unwrap_or_default())]
pub struct RegoError {
    /// The rules file.
    pub file: String,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// The check's code, when known.
    pub code: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A custom check, loaded from a Rego file.
#[derive(Debug, Clone, Serialize)]
pub struct CustomCheck {
    /// Its code (leaked once per process: verdicts carry `&'static str` codes).
    pub code: &'static str,
    /// Area, when `meta` names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    /// Title (`meta.title`, else the code).
    pub title: String,
    /// Who is responsible (`meta.responsible`, else the manufacturer).
    pub responsible: Vec<Role>,
    /// The Rego file.
    pub source: String,
    #[serde(skip)]
    engine: Engine,
    #[serde(skip)]
    rule: String,
    #[serde(skip)]
    verdict_line: usize,
}

/// The custom checks of one or more Rego files.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    checks: Vec<CustomCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerdict {
    status: String,
    reason: String,
    #[serde(default)]
    facts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    area: Option<Area>,
    responsible: Option<Vec<Role>>,
}

impl RuleSet {
    /// Loads the given files; a directory contributes its `*.rego` files, in name order.
    pub fn load(paths: &[PathBuf]) -> Result<Self, RegoError> {
        let mut set = Self::default();
        for path in paths {
            if path.is_dir() {
                let io = |e: std::io::Error| RegoError {
                    file: path.display().to_string(),
                    line: None,
                    code: None,
                    message: format!("cannot read directory: {e}"),
                };
                let mut files = Vec::new();
                for entry in std::fs::read_dir(path).map_err(io)? {
                    let p = entry.map_err(io)?.path();
                    if p.extension().is_some_and(|e| e == "rego") && p.is_file() {
                        files.push(p);
                    }
                }
                files.sort();
                for f in files {
                    set.add_file(&f)?;
                }
            } else {
                set.add_file(path)?;
            }
        }
        Ok(set)
    }

    /// Loads one Rego file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), RegoError> {
        let file = path.display().to_string();
        // The load error's own message, without the file name it starts with (the
        // RegoError names the file once).
        let bytes = riskmark_model::read_limited(path).map_err(|e| RegoError {
            file: file.clone(),
            line: None,
            code: None,
            message: e
                .diagnostics()
                .first()
                .map_or_else(|| e.to_string(), |d| d.message.clone()),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| RegoError {
            file: file.clone(),
            line: None,
            code: None,
            message: format!("not UTF-8: {e}"),
        })?;
        self.add_source(&file, &text)
    }

    /// Loads one Rego module from text (`file` names it in messages).
    pub fn add_source(&mut self, file: &str, text: &str) -> Result<(), RegoError> {
        let err = |line: Option<usize>, code: Option<&str>, message: String| RegoError {
            file: file.to_owned(),
            line,
            code: code.map(str::to_owned),
            message,
        };
        if text.len() > MAX_SOURCE_BYTES {
            return Err(err(
                None,
                None,
                format!(
                    "{} bytes: a rules file may hold at most {MAX_SOURCE_BYTES} bytes",
                    text.len()
                ),
            ));
        }
        if let Some((line, what)) = screen(text) {
            let message = match what {
                Screened::TooDeep => format!(
                    "brackets nested deeper than {MAX_NESTING} levels (or left open); the Rego \
                     parser's time grows exponentially with unclosed brackets"
                ),
                Screened::MinusRun => format!(
                    "more than {MAX_NESTING} minus signs in a row; the Rego parser nests a \
                     level for each"
                ),
                Screened::HugeNumber => format!(
                    "a number literal with an exponent over {MAX_NUMBER_EXPONENT} or more than \
                     {MAX_NUMBER_DIGITS} digits; the Rego parser computes it exactly, in time \
                     that grows with its size"
                ),
            };
            return Err(err(Some(line), declared_code(text).as_deref(), message));
        }
        let mut engine = Engine::new();
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: TIME_LIMIT,
            check_interval: CHECK_INTERVAL,
        });
        let package = engine
            .add_policy(file.to_owned(), text.to_owned())
            .map_err(|e| {
                let message = e.to_string();
                let code = declared_code(text);
                err(
                    error_line(file, &message),
                    code.as_deref(),
                    first_line(&message),
                )
            })?;
        let package_line = find_line(text, |l| l.starts_with("package ")).unwrap_or(1);
        let name = package
            .strip_prefix("data.")
            .and_then(|p| p.strip_prefix(PACKAGE_PREFIX))
            .filter(|n| !n.is_empty() && !n.contains('.'))
            .ok_or_else(|| {
                err(
                    Some(package_line),
                    None,
                    format!(
                        "package `{}` is not a check: declare `package riskmark.checks.<name>`",
                        package.strip_prefix("data.").unwrap_or(&package)
                    ),
                )
            })?;
        let code = name.replace('_', "-");
        if !is_kebab(&code) {
            return Err(err(
                Some(package_line),
                Some(&code),
                "a check code is kebab-case: lower-case letters and digits in words joined by `-`"
                    .into(),
            ));
        }
        if riskmark_checks::info(&code).is_some() {
            return Err(err(
                Some(package_line),
                Some(&code),
                "is a built-in check's code; choose another package name".into(),
            ));
        }
        if let Some(other) = self.checks.iter().find(|c| c.code == code) {
            return Err(err(
                Some(package_line),
                Some(&code),
                format!("is already declared by {}", other.source),
            ));
        }
        let base = if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            format!("data.riskmark.checks.{name}")
        } else {
            format!("data.riskmark.checks[\"{name}\"]")
        };
        let verdict_line = find_line(text, |l| {
            rule_named(l, "verdict")
                || l.strip_prefix("default ")
                    .is_some_and(|r| rule_named(r.trim_start(), "verdict"))
        });
        let Some(verdict_line) = verdict_line else {
            return Err(err(
                Some(package_line),
                Some(&code),
                "no `verdict` rule: define `verdict := {\"status\": ..., \"reason\": ...}`".into(),
            ));
        };
        // `meta`: constant, evaluated once with an empty input.
        let mut meta = RawMeta {
            title: None,
            area: None,
            responsible: None,
        };
        if let Some(meta_line) = find_line(text, |l| rule_named(l, "meta")) {
            engine.set_input(RegoValue::new_object());
            let v = engine
                .eval_rule(format!("{base}.meta"))
                .map_err(|e| eval_error(file, &code, meta_line, &e.to_string()))?;
            if v != RegoValue::Undefined {
                let json = to_json(&v)
                    .map_err(|m| err(Some(meta_line), Some(&code), format!("`meta`: {m}")))?;
                meta = serde_json::from_value(json).map_err(|e| {
                    err(
                        Some(meta_line),
                        Some(&code),
                        format!(
                            "`meta`: {e}; expected an object with `title`, `area`, `responsible`"
                        ),
                    )
                })?;
            }
        }
        // Codes are `&'static str` in verdicts; a rules file is loaded once per process.
        let code: &'static str = Box::leak(code.into_boxed_str());
        self.checks.push(CustomCheck {
            code,
            area: meta.area,
            title: meta.title.unwrap_or_else(|| code.to_owned()),
            responsible: meta.responsible.unwrap_or_else(|| vec![Role::Manufacturer]),
            source: file.to_owned(),
            engine,
            rule: format!("{base}.verdict"),
            verdict_line,
        });
        Ok(())
    }

    /// The checks, in load order.
    pub fn checks(&self) -> &[CustomCheck] {
        &self.checks
    }

    /// Their codes.
    pub fn codes(&self) -> Vec<&'static str> {
        self.checks.iter().map(|c| c.code).collect()
    }

    /// Whether no check was loaded.
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// Evaluates every check against a profile, in load order.
    pub fn evaluate<T: Serialize>(
        &self,
        profile: &Profile,
        assessed: Date,
        tier: &T,
    ) -> Result<Vec<Verdict>, RegoError> {
        let input = input_document(profile, assessed, tier).map_err(|message| RegoError {
            file: String::new(),
            line: None,
            code: None,
            message,
        })?;
        let profile_json = serde_json::to_value(profile).unwrap_or(Value::Null);
        self.checks
            .iter()
            .map(|c| c.evaluate(profile, &profile_json, &input))
            .collect()
    }
}

impl CustomCheck {
    fn evaluate(
        &self,
        profile: &Profile,
        profile_json: &Value,
        input: &RegoValue,
    ) -> Result<Verdict, RegoError> {
        let err = |message: String| RegoError {
            file: self.source.clone(),
            line: Some(self.verdict_line),
            code: Some(self.code.to_owned()),
            message,
        };
        let mut engine = self.engine.clone();
        engine.set_input(input.clone());
        let v = engine
            .eval_rule(self.rule.clone())
            .map_err(|e| eval_error(&self.source, self.code, self.verdict_line, &e.to_string()))?;
        if v == RegoValue::Undefined {
            return Err(err(
                "`verdict` is undefined for this profile: give it a value in every case (`default verdict := {...}`)".into(),
            ));
        }
        let json = to_json(&v).map_err(|m| err(format!("`verdict`: {m}")))?;
        let raw: RawVerdict = serde_json::from_value(json).map_err(|e| {
            err(format!(
                "`verdict`: {e}; expected an object {{\"status\": ..., \"reason\": ..., \"facts\": [...]}}"
            ))
        })?;
        let status = match raw.status.as_str() {
            "pass" => Status::Pass,
            "fail" => Status::Fail,
            "needs-evidence" => Status::NeedsEvidence,
            "not-applicable" => Status::NotApplicable,
            other => {
                return Err(err(format!(
                    "`verdict.status`: unknown status `{other}`; expected pass, fail, needs-evidence or not-applicable"
                )));
            }
        };
        if raw.reason.trim().is_empty() {
            return Err(err("`verdict.reason` is empty".into()));
        }
        let mut facts = Vec::new();
        for path in raw.facts {
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(err(format!(
                    "`verdict.facts`: `{path}` is not a dotted profile path"
                )));
            }
            let value = lookup(profile_json, &path).cloned().unwrap_or(Value::Null);
            facts.push(FactRef { path, value });
        }
        let declared: Vec<&FactRef> = facts.iter().filter(|f| !f.value.is_null()).collect();
        let evidence = if declared.is_empty() {
            Basis::None
        } else if declared.iter().all(|f| profile.is_verified(&f.path)) {
            Basis::Verified
        } else {
            Basis::Declared
        };
        Ok(Verdict {
            code: self.code,
            status,
            reasons: vec![raw.reason],
            facts,
            evidence,
            responsible: self.responsible.clone(),
        })
    }
}

/// The input document: the profile's JSON plus `assessed` and `tier`.
fn input_document<T: Serialize>(
    profile: &Profile,
    assessed: Date,
    tier: &T,
) -> Result<RegoValue, String> {
    let mut doc = serde_json::to_value(profile).map_err(|e| e.to_string())?;
    if let Value::Object(m) = &mut doc {
        m.insert("assessed".into(), Value::String(assessed.to_string()));
        m.insert(
            "tier".into(),
            serde_json::to_value(tier).map_err(|e| e.to_string())?,
        );
    }
    RegoValue::from_json_str(&doc.to_string()).map_err(|e| e.to_string())
}

fn to_json(v: &RegoValue) -> Result<Value, String> {
    let s = v.to_json_str().map_err(|e| e.to_string())?;
    serde_json::from_str(&s).map_err(|e| e.to_string())
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn eval_error(file: &str, code: &str, line: usize, message: &str) -> RegoError {
    let located = error_line(file, message);
    let message = if message.contains("time limit") || message.contains("TimeLimit") {
        format!(
            "evaluation stopped after {} s (the time limit): {}",
            TIME_LIMIT.as_secs(),
            first_line(message)
        )
    } else {
        format!("evaluation failed: {}", first_line(message))
    };
    RegoError {
        file: file.to_owned(),
        line: Some(located.unwrap_or(line)),
        code: Some(code.to_owned()),
        message,
    }
}

/// The line regorus names in a message (`FILE:LINE:COL: ...`).
fn error_line(file: &str, message: &str) -> Option<usize> {
    let i = message.find(file)?;
    let rest = message[i + file.len()..].strip_prefix(':')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// regorus's message without its location line and source excerpt
/// (`--> FILE:LINE:COL`, `4 | source`, `  | ^`, `error: MESSAGE`).
fn first_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(e) = lines.iter().rev().find_map(|l| l.strip_prefix("error:")) {
        return e.trim().to_owned();
    }
    lines
        .iter()
        .find(|l| !l.starts_with("-->") && !l.contains('|'))
        .or(lines.first())
        .map_or_else(|| message.trim().to_owned(), |l| (*l).to_owned())
}

/// The code a file's `package` line declares, read from the text (for messages about
/// files that do not parse).
fn declared_code(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))?;
    let name = line.trim().strip_prefix("riskmark.checks")?;
    let name = name
        .strip_prefix('.')
        .or_else(|| name.strip_prefix("[\"").and_then(|n| n.strip_suffix("\"]")))?;
    let code = name.replace('_', "-");
    is_kebab(&code).then_some(code)
}

fn find_line(text: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines()
        .position(|l| pred(l.trim_start()))
        .map(|i| i + 1)
}

/// Whether a (trimmed) line starts a rule called `name`.
fn rule_named(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', ':', '=', '{', '[', '.']))
}

fn is_kebab(code: &str) -> bool {
    code.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    }) && code.starts_with(|c: char| c.is_ascii_lowercase())
}

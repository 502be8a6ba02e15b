//! `vulns --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts (the SARIF
//! Multitool's GitHub and SARIF rules pass with no error or warning; tested in CI).
//!
//! Every rule has a `fullDescription`, a `help` (text and Markdown), a `helpUri` and a
//! `security-severity` (GitHub ranks security alerts by it): the advisory's CVSS base
//! score, else its severity label's band (critical 9.5, high 8.0, medium 5.5, low 2.5),
//! else 5.0. Artifact locations are relative references with a `uriBaseId`
//! (`%SRCROOT%`) when the input path is relative, `file://` URIs when it is absolute.

use serde_json::{Value, json};

use crate::{Scan, ScanFinding};

/// The riskmark version that writes the log.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `artifactLocation` of a file named on the command line: a relative reference
/// against `%SRCROOT%` for a relative path, an absolute `file://` URI otherwise.
pub fn sarif_artifact_location(path: &str) -> Value {
    let forward = path.replace('\\', "/");
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let absolute = forward.starts_with('/');
    let normal = normalize(&forward);
    if absolute {
        json!({ "uri": format!("file:///{}", encode(&normal)) })
    } else if normal == ".." || normal.starts_with("../") {
        // Above the working directory: no relative reference reaches it.
        let cwd = std::env::current_dir()
            .map(|d| d.display().to_string().replace('\\', "/"))
            .unwrap_or_default();
        let full = normalize(&format!("{cwd}/{normal}"));
        json!({ "uri": format!("file:///{}", encode(&full)) })
    } else {
        json!({ "uri": encode(&normal), "uriBaseId": "%SRCROOT%" })
    }
}

/// Removes `.` and empty segments and resolves `..` lexically (RFC 3986 5.2.4); the
/// result has no leading slash. `..` that cannot be resolved stays at the front.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            ".." if path.starts_with('/') => {}
            s => out.push(s),
        }
    }
    out.join("/")
}

/// GitHub's `security-severity` (0.0-10.0, as text) of a score.
pub fn sarif_security_severity(score: f64) -> String {
    format!("{:.1}", score.clamp(0.0, 10.0))
}

fn severity_score(f: &ScanFinding) -> f64 {
    if let Some(c) = &f.cvss {
        return c.score;
    }
    match f.severity.map(|s| s.as_str()) {
        Some("critical") => 9.5,
        Some("high") => 8.0,
        Some("medium") => 5.5,
        Some("low") => 2.5,
        _ => 5.0,
    }
}

fn rule(f: &ScanFinding) -> Value {
    let summary = f
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("Known vulnerability {}", f.id));
    let aliases = if f.aliases.is_empty() {
        String::new()
    } else {
        format!(" Also known as {}.", f.aliases.join(", "))
    };
    let kev = if f.kev {
        " It is in CISA's Known Exploited Vulnerabilities catalog."
    } else {
        ""
    };
    let fixed = if f.fixed.is_empty() {
        "No fixed version is known: mitigate, or replace the component.".to_owned()
    } else {
        format!("Upgrade to a fixed version: {}.", f.fixed.join(", "))
    };
    let text = format!("{}: {summary}.{aliases}{kev} {fixed}", f.id);
    let markdown = format!(
        "**{}**: {summary}{}\n\n{}{}\n\n{fixed}",
        f.id,
        if f.kev { " (known exploited)" } else { "" },
        if f.aliases.is_empty() {
            ""
        } else {
            "Aliases: "
        },
        f.aliases.join(", "),
    );
    json!({
        "id": f.id,
        "shortDescription": { "text": summary },
        "fullDescription": { "text": format!("{summary}.{aliases}{kev}") },
        "help": { "text": text, "markdown": markdown },
        "helpUri": format!("https://osv.dev/vulnerability/{}", f.id),
        "properties": {
            "security-severity": sarif_security_severity(severity_score(f)),
            "tags": ["security", "vulnerability"],
            "aliases": f.aliases,
            "cvss": f.cvss,
            "kev": f.kev
        }
    })
}

/// The log of [`sarif`], serialized as it is written: results are made one at a time
/// from the findings (a large SBOM has hundreds of thousands), and the rules they
/// name, which serialize after them (keys in order), are gathered on the way.
struct Log<'a> {
    scan: &'a Scan,
    rules: std::cell::RefCell<Rules>,
}

#[derive(Default)]
struct Rules {
    list: Vec<Value>,
    index: std::collections::HashMap<std::sync::Arc<str>, usize>,
}

impl Log<'_> {
    fn result(&self, f: &ScanFinding) -> Value {
        let rule_index = {
            let mut rules = self.rules.borrow_mut();
            let Rules { list, index } = &mut *rules;
            *index.entry(f.id.clone()).or_insert_with(|| {
                list.push(rule(f));
                list.len() - 1
            })
        };
        let level = match f.severity.map(|s| s.as_str()) {
            _ if f.confidence == crate::Confidence::Low => "note",
            Some("critical" | "high") => "error",
            Some("medium") => "warning",
            _ => "note",
        };
        json!({
            "ruleId": f.id,
            "ruleIndex": rule_index,
            "level": level,
            "message": { "text": format!("{}@{} is affected by {}{}{}", f.component, f.version, f.id,
                if f.kev { " (known exploited)" } else { "" },
                f.fixed.first().map(|v| format!("; fixed in {v}")).unwrap_or_default()) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": sarif_artifact_location(&self.scan.sbom),
                    // The SBOM as a whole: its first character (readers do not keep
                    // each component's line).
                    "region": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2 }
                },
                "logicalLocations": [{
                    "fullyQualifiedName": f.purl.as_deref().unwrap_or(&f.component_id),
                    "kind": "module"
                }]
            }],
            "partialFingerprints": {
                "riskmarkFinding/v1": format!("{}|{}|{}", f.id, f.purl.as_deref().unwrap_or(&f.component), f.version)
            },
            "properties": { "matchedBy": f.matched_by, "confidence": f.confidence }
        })
    }
}

/// The one run, keys in the order `serde_json` writes a map's.
struct Run<'a>(&'a Log<'a>);

impl serde::Serialize for Run<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let log = self.0;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry(
            "artifacts",
            &json!([{ "location": sarif_artifact_location(&log.scan.sbom) }]),
        )?;
        m.serialize_entry("results", &Results(log))?;
        let rules = std::mem::take(&mut log.rules.borrow_mut().list);
        m.serialize_entry(
            "tool",
            &json!({ "driver": {
                "name": "riskmark",
                "version": VERSION,
                "semanticVersion": VERSION,
                "informationUri": "https://riskmark.dev",
                "rules": rules
            } }),
        )?;
        m.end()
    }
}

struct Results<'a>(&'a Log<'a>);

impl serde::Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.scan.unsuppressed().map(|f| self.0.result(f)))
    }
}

impl serde::Serialize for Log<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
        m.serialize_entry("runs", &[Run(self)])?;
        m.serialize_entry("version", "2.1.0")?;
        m.end()
    }
}

/// SARIF 2.1.0: one result per finding VEX does not suppress, located at the SBOM;
/// low-confidence CPE matches are notes with `properties.confidence: low`.
pub fn sarif(scan: &Scan) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only on a serializer error, which these values cannot
    // produce.
    let _ = write_sarif(scan, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`sarif`], written to `w` as it is made: memory does not grow with the number of
/// findings.
///
/// # Errors
/// What writing to `w` returns.
pub fn write_sarif(scan: &Scan, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let log = Log {
        scan,
        rules: std::cell::RefCell::default(),
    };
    serde_json::to_writer_pretty(&mut *w, &log).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_locations_are_relative_references_or_file_uris() {
        assert_eq!(
            sarif_artifact_location("examples/sbom/a b.json"),
            json!({"uri": "examples/sbom/a%20b.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            sarif_artifact_location("./x.json"),
            json!({"uri": "x.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            sarif_artifact_location("/work/x y/é.json"),
            json!({"uri": "file:///work/x%20y/%C3%A9.json"})
        );
        assert_eq!(
            sarif_artifact_location("/a/b/../../c/./d.json"),
            json!({"uri": "file:///c/d.json"})
        );
        assert_eq!(
            sarif_artifact_location("x/../y/z.json"),
            json!({"uri": "y/z.json", "uriBaseId": "%SRCROOT%"})
        );
        let up = sarif_artifact_location("../up.json");
        assert!(up["uri"].as_str().unwrap().starts_with("file:///"), "{up}");
        assert!(!up["uri"].as_str().unwrap().contains(".."), "{up}");
        assert_eq!(sarif_security_severity(9.81), "9.8");
        assert_eq!(sarif_security_severity(12.0), "10.0");
    }
}

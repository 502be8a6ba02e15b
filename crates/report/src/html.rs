//! `assess --format html`: one self-contained page (no scripts, no external files) with
//! per-framework charts and the shared-responsibility matrix.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use riskmark_assess::Assessment;
use riskmark_checks::Status;

use crate::status_str;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COLORS: [(&str, &str); 4] = [
    ("pass", "#1a7f37"),
    ("fail", "#c62828"),
    ("needs-evidence", "#9a6700"),
    ("not-applicable", "#6e7781"),
];

fn bar(counts: [usize; 4]) -> String {
    let total: usize = counts.iter().sum::<usize>().max(1);
    let mut x = 0.0;
    let mut svg = String::new();
    let label: Vec<String> = COLORS
        .iter()
        .zip(counts)
        .map(|((n, _), c)| format!("{c} {n}"))
        .collect();
    let _ = write!(
        svg,
        "<svg class=\"bar\" viewBox=\"0 0 300 18\" width=\"300\" height=\"18\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        label.join(", "),
        label.join(", ")
    );
    for ((_, color), c) in COLORS.iter().zip(counts) {
        #[allow(clippy::cast_precision_loss)]
        let w = 300.0 * c as f64 / total as f64;
        if w > 0.0 {
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"0\" width=\"{w:.1}\" height=\"18\" fill=\"{color}\"/>"
            );
        }
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

/// The assessment as an HTML page.
pub fn html(a: &Assessment) -> String {
    let sub = &a.subject;
    let r = &a.risk;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Security assessment: {} {}</title>\n<style>\n\
body{{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328;background:#fff;line-height:1.45}}\n\
table{{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}}th{{background:#f6f8fa}}\n\
.tier{{font-weight:700;font-size:1.3rem}}.pass{{color:#1a7f37}}.fail{{color:#c62828}}.needs-evidence{{color:#7d4e00}}.not-applicable{{color:#57606a}}\n\
.legend span{{display:inline-block;margin-right:1rem}}.swatch{{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}}\n\
.id,code{{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}}.purl{{font-family:ui-monospace,monospace;overflow-wrap:anywhere}}\n\
nav.toc ul{{columns:2;list-style:none;padding-left:0}}nav.toc li{{margin:.15rem 0}}\n\
</style>\n</head>\n<body>\n<main>\n",
        esc(&sub.manufacturer),
        esc(&sub.name)
    );
    let _ = writeln!(
        s,
        "<h1>{} {} <small>({})</small></h1>",
        esc(&sub.manufacturer),
        esc(&sub.name),
        esc(&sub.model)
    );
    let _ = writeln!(
        s,
        "<p><span class=\"tier\">Risk tier: {}</span> &middot; score {}/100 &middot; EU CRA class <strong>{}</strong> ({})</p>",
        r.tier,
        r.score,
        r.cra_class,
        esc(&r.cra_entry)
    );
    let _ = writeln!(
        s,
        "<p>{}</p><p><strong>Assurance:</strong> {}</p>",
        esc(&r.cra_reason),
        esc(&r.assurance.evidence)
    );
    s.push_str("<nav class=\"toc\" aria-label=\"Contents\"><h2 id=\"contents\">Contents</h2><ul>\n<li><a href=\"#factors\">Risk factors</a></li>\n");
    if a.vulnerabilities.is_some() {
        s.push_str("<li><a href=\"#vulnerabilities\">Known vulnerabilities</a></li>\n");
    }
    s.push_str("<li><a href=\"#frameworks\">Frameworks</a></li>\n<li><a href=\"#responsibility\">Shared responsibility</a></li>\n");
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let _ = writeln!(
            s,
            "<li><a href=\"#fw-{}\">{}</a></li>",
            anchor(&f.id),
            esc(&f.title)
        );
    }
    s.push_str("</ul></nav>\n");
    let _ = writeln!(
        s,
        "<h2 id=\"factors\">Risk factors</h2>\n<table><thead><tr><th>Factor</th><th>Value</th><th>Points</th><th>Why</th></tr></thead><tbody>"
    );
    for f in &r.factors {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.name),
            esc(&crate::words(&f.value)),
            f.contribution,
            esc(&f.reason)
        );
    }
    s.push_str("</tbody></table>\n");
    if let Some(scan) = &a.vulnerabilities {
        let c = scan.counts();
        let _ = writeln!(
            s,
            "<h2 id=\"vulnerabilities\">Known vulnerabilities</h2>\n<p>{} of {} components of <code>{}</code> matched; {} findings ({} critical, {} high, {} known exploited), {} suppressed by VEX.</p>",
            scan.matched_components,
            scan.components,
            esc(&scan.sbom),
            c.total,
            c.critical,
            c.high,
            c.kev,
            c.suppressed
        );
        s.push_str("<table><thead><tr><th>Id</th><th>Component</th><th>Severity</th><th>KEV</th><th>Fixed in</th><th>Summary</th></tr></thead><tbody>\n");
        for f in scan.active() {
            let _ = writeln!(
                s,
                "<tr><td class=\"id\">{}</td><td class=\"purl\">{}@{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.id),
                esc(&f.component),
                esc(&f.version),
                f.severity.map_or("unknown", |x| x.as_str()),
                if f.kev { "yes" } else { "" },
                esc(&f.fixed.join(", ")),
                esc(f.summary.as_deref().unwrap_or(""))
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("<h2 id=\"frameworks\">Frameworks</h2>\n<p class=\"legend\">");
    for (name, color) in COLORS {
        let _ = write!(
            s,
            "<span><span class=\"swatch\" style=\"background:{color}\"></span>{name}</span>"
        );
    }
    s.push_str("</p>\n<table><thead><tr><th>Framework</th><th>Applies</th><th>Controls</th><th>Pass</th><th>Fail</th><th>Needs evidence</th><th>N/A</th></tr></thead><tbody>\n");
    for f in &a.frameworks {
        let m = &f.summary;
        let _ = writeln!(
            s,
            "<tr><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&f.title),
            esc(&f.version),
            if f.applies { "yes" } else { "no" },
            bar([m.pass, m.fail, m.needs_evidence, m.not_applicable]),
            m.pass,
            m.fail,
            m.needs_evidence,
            m.not_applicable
        );
    }
    s.push_str("</tbody></table>\n<h2 id=\"responsibility\">Shared responsibility</h2>\n<p>Controls of the applicable frameworks, by who is responsible and their status.</p>\n");
    let mut matrix: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for f in a.frameworks.iter().filter(|f| f.applies) {
        for c in &f.controls {
            let i = match c.status {
                Status::Pass => 0,
                Status::Fail => 1,
                Status::NeedsEvidence => 2,
                Status::NotApplicable => 3,
            };
            for who in &c.responsible {
                matrix.entry(status_str(who)).or_default()[i] += 1;
            }
        }
    }
    s.push_str("<table><thead><tr><th>Responsible</th><th>Pass</th><th>Fail</th><th>Needs evidence</th><th>N/A</th></tr></thead><tbody>\n");
    for (who, c) in &matrix {
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(who),
            c[0],
            c[1],
            c[2],
            c[3]
        );
    }
    s.push_str("</tbody></table>\n");
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let _ = writeln!(
            s,
            "<h2 id=\"fw-{}\">{} <small>{}</small></h2>\n<p>{}</p>",
            anchor(&f.id),
            esc(&f.title),
            esc(&f.version),
            esc(&f.applies_reason)
        );
        s.push_str("<table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Obligation</th><th>Responsible</th><th>Evidence</th><th>Reasons</th></tr></thead><tbody>\n");
        for c in &f.controls {
            let st = status_str(&c.status);
            let who: Vec<String> = c.responsible.iter().map(status_str).collect();
            let _ = writeln!(
                s,
                "<tr><td class=\"id\">{}</td><td>{}</td><td class=\"{st}\">{st}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.id),
                esc(&c.title),
                status_str(&c.obligation),
                esc(&who.join(", ")),
                status_str(&c.evidence),
                esc(&c.reasons.join("; "))
            );
        }
        s.push_str("</tbody></table>\n");
    }
    let _ = writeln!(
        s,
        "<footer><p>Assessed {} with {} {}. Standards' texts are summarised in riskmark's own words.</p></footer>\n</main>\n</body>\n</html>",
        r.as_of, a.tool.name, a.tool.version
    );
    s
}

/// A framework id as an HTML id token (letters, digits, `-`, `_`).
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

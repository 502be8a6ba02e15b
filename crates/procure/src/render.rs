//! The gate's outputs: a text table (candidates as columns), JSON (`riskmark/procure/v1`)
//! and a self-contained HTML comparison page.

use std::fmt::Write as _;

use riskmark_report::hang;

use crate::{Candidate, Decision, Report};

/// The narrowest text output.
const MIN_WIDTH: usize = 60;
/// Width of a candidate's column in the table (fits `needs-evidence` and a space).
const COLUMN: usize = 16;
/// Width of the requirement id column.
const ID_COLUMN: usize = 24;
/// Width of the mandatory column.
const M_COLUMN: usize = 5;

/// The report as JSON, pretty, with a final newline.
pub fn json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

fn who(c: &Candidate) -> String {
    let fw = c
        .firmware_version
        .as_deref()
        .map(|v| format!(", firmware {v}"))
        .unwrap_or_default();
    format!("{} {} ({}{fw})", c.name, c.model, c.manufacturer)
}

/// The report as text, at most `width` columns wide (at least 60): a matrix with one
/// column per candidate (split into several matrices when they do not fit), then every
/// candidate's facts.
pub fn table(r: &Report, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut s = String::new();
    let title = r
        .requirements
        .title
        .as_deref()
        .unwrap_or("procurement requirements");
    hang(&mut s, "", 2, &format!("Procurement gate: {title}"), width);
    hang(
        &mut s,
        "",
        2,
        &format!(
            "requirements {} ({}), purchase {}, assessed {}",
            r.requirements.file,
            r.requirements.requirements.len(),
            r.purchase_date,
            r.as_of
        ),
        width,
    );
    let _ = writeln!(s);
    for (i, c) in r.profiles.iter().enumerate() {
        let first = format!("  [{}] ", i + 1);
        let n = first.chars().count();
        hang(&mut s, &first, n, &who(c), width);
        hang(
            &mut s,
            &" ".repeat(n),
            n,
            &format!(
                "{}: tier {} (score {}), EU CRA class {}",
                c.file, c.tier, c.score, c.cra_class
            ),
            width,
        );
    }
    let per = ((width - 2 - ID_COLUMN - M_COLUMN) / COLUMN).max(1);
    let indexed: Vec<(usize, &Candidate)> = r.profiles.iter().enumerate().collect();
    for chunk in indexed.chunks(per) {
        let _ = writeln!(s);
        let mut head = format!("  {:<ID_COLUMN$}{:<M_COLUMN$}", "REQUIREMENT", "MAND");
        for (i, _) in chunk {
            head.push_str(&format!("{:<COLUMN$}", format!("[{}]", i + 1)));
        }
        let _ = writeln!(s, "{}", head.trim_end());
        for (k, q) in r.requirements.requirements.iter().enumerate() {
            let mut row = if q.id.chars().count() < ID_COLUMN {
                format!("  {:<ID_COLUMN$}", q.id)
            } else {
                let _ = writeln!(s, "  {}", q.id);
                format!("  {:<ID_COLUMN$}", "")
            };
            row.push_str(&format!(
                "{:<M_COLUMN$}",
                if q.mandatory { "yes" } else { "no" }
            ));
            for (_, c) in chunk {
                let st = c.results.get(k).map_or("-", |o| o.status.as_str());
                row.push_str(&format!("{st:<COLUMN$}"));
            }
            let _ = writeln!(s, "{}", row.trim_end());
        }
        let mut row = format!("  {:<ID_COLUMN$}{:<M_COLUMN$}", "DECISION", "");
        for (_, c) in chunk {
            row.push_str(&format!("{:<COLUMN$}", c.decision.as_str()));
        }
        let _ = writeln!(s, "{}", row.trim_end());
    }
    for (i, c) in r.profiles.iter().enumerate() {
        let _ = writeln!(s);
        hang(
            &mut s,
            "",
            4,
            &format!("[{}] {}: {}", i + 1, c.name, c.decision.as_str()),
            width,
        );
        for (q, o) in r.requirements.requirements.iter().zip(&c.results) {
            let first = format!(
                "  {:<15}{} ",
                o.status.as_str(),
                if o.mandatory { "M" } else { " " }
            );
            let n = first.chars().count();
            hang(&mut s, &first, n, &format!("{}: {}", q.id, q.title), width);
            for f in &o.facts {
                hang(&mut s, &" ".repeat(n + 2), n + 2, f, width);
            }
            hang(
                &mut s,
                &" ".repeat(n + 2),
                n + 2,
                &format!("source: {}", q.source),
                width,
            );
        }
    }
    let _ = writeln!(s);
    for line in summary(r) {
        hang(&mut s, "", 2, &line, width);
    }
    s
}

/// The closing lines: who is rejected for what, and which mandatory requirements need
/// evidence (not a failure).
pub fn summary(r: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, c) in r.profiles.iter().enumerate() {
        if c.decision == Decision::Reject {
            lines.push(format!(
                "[{}] {} is rejected: mandatory requirements fail: {}",
                i + 1,
                c.name,
                c.mandatory_failing.join(", ")
            ));
        }
        if !c.mandatory_needing_evidence.is_empty() {
            lines.push(format!(
                "[{}] {}: mandatory requirements need evidence (not a failure; ask the vendor): {}",
                i + 1,
                c.name,
                c.mandatory_needing_evidence.join(", ")
            ));
        }
    }
    if lines.is_empty() {
        lines.push("every candidate meets every mandatory requirement".into());
    }
    lines
}

use riskmark_report::escape_html as esc;

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:1.5rem;color:#1f2328;line-height:1.4}\
table{border-collapse:collapse;width:100%}\
caption{text-align:left;font-weight:600;font-size:1.1rem;padding:.5rem 0}\
th,td{border:1px solid #d0d7de;padding:.4rem .5rem;vertical-align:top;text-align:left}\
thead th{background:#f6f8fa}\
tbody th{font-weight:normal}\
.id{font-family:ui-monospace,monospace;font-weight:600}\
.st{font-weight:600;padding:0 .3rem;border-radius:.2rem}\
.pass{color:#1a7f37}.fail{color:#c62828}.needs-evidence{color:#7d4e00}\
.accept{color:#1a7f37}.reject{color:#c62828}\
ul{margin:.2rem 0 0 1rem;padding:0}li{font-size:.9rem}\
.src{font-size:.85rem;color:#57606a}";

/// The report as one self-contained HTML page (no script, no outside resource): the
/// candidates side by side in one table with a caption.
pub fn html(r: &Report) -> String {
    let title = r
        .requirements
        .title
        .as_deref()
        .unwrap_or("Procurement requirements");
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Procurement gate: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <h1>Procurement gate: {}</h1>\n<p>Requirements <code>{}</code>; purchase date {}; \
         assessed {} by riskmark {}.</p>\n",
        esc(title),
        esc(title),
        esc(&r.requirements.file),
        esc(&r.purchase_date),
        esc(&r.as_of),
        esc(r.tool.version),
    );
    let _ = write!(
        s,
        "<table>\n<caption>{} candidate(s) against {} requirement(s): pass, fail or needs \
         evidence, with the facts that decided each</caption>\n<thead>\n<tr><th scope=\"col\">\
         Requirement</th><th scope=\"col\">Mandatory</th>",
        r.profiles.len(),
        r.requirements.requirements.len()
    );
    for c in &r.profiles {
        let _ = write!(
            s,
            "<th scope=\"col\">{}<br><span class=\"src\">{}; tier {} (score {}), EU CRA class {}</span></th>",
            esc(&who(c)),
            esc(&c.file),
            esc(&c.tier),
            c.score,
            esc(&c.cra_class)
        );
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");
    for (k, q) in r.requirements.requirements.iter().enumerate() {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span> {}<br><span class=\"src\">Source: {}</span></th><td>{}</td>",
            esc(&q.id),
            esc(&q.title),
            esc(&q.source),
            if q.mandatory { "yes" } else { "no" }
        );
        for c in &r.profiles {
            match c.results.get(k) {
                Some(o) => {
                    let _ = write!(
                        s,
                        "<td><span class=\"st {0}\">{0}</span><ul>",
                        o.status.as_str()
                    );
                    for f in &o.facts {
                        let _ = write!(s, "<li>{}</li>", esc(f));
                    }
                    s.push_str("</ul></td>");
                }
                None => s.push_str("<td>-</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n<tfoot>\n<tr><th scope=\"row\">Decision</th><td></td>");
    for c in &r.profiles {
        let _ = write!(
            s,
            "<td><span class=\"st {0}\">{0}</span></td>",
            c.decision.as_str()
        );
    }
    s.push_str("</tr>\n</tfoot>\n</table>\n<ul>\n");
    for line in summary(r) {
        let _ = writeln!(s, "<li>{}</li>", esc(&line));
    }
    s.push_str("</ul>\n</main>\n</body>\n</html>\n");
    s
}

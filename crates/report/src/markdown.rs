//! `assess --format markdown`: a report for procurement and review.

use std::fmt::Write as _;

use riskmark_assess::Assessment;

use crate::status_str;

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The assessment as Markdown.
pub fn markdown(a: &Assessment) -> String {
    let mut s = String::new();
    let sub = &a.subject;
    let r = &a.risk;
    let _ = writeln!(
        s,
        "# Security assessment: {} {} ({})\n",
        sub.manufacturer, sub.name, sub.model
    );
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Category | {} |", sub.category);
    let _ = writeln!(s, "| Risk tier | **{}** (score {}/100) |", r.tier, r.score);
    let _ = writeln!(
        s,
        "| EU CRA class | {} ({}) |",
        r.cra_class,
        esc(&r.cra_entry)
    );
    let _ = writeln!(s, "| Assurance | {} |", esc(&r.assurance.evidence));
    let _ = writeln!(
        s,
        "| Assessed | {} with {} {} |\n",
        r.as_of, a.tool.name, a.tool.version
    );
    let _ = writeln!(
        s,
        "## Risk factors\n\n| Factor | Value | Points | Why |\n|---|---|---:|---|"
    );
    for f in &r.factors {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            f.name,
            esc(&f.value.to_string()),
            f.contribution,
            esc(&f.reason)
        );
    }
    if let Some(scan) = &a.vulnerabilities {
        let c = scan.counts();
        let _ = writeln!(
            s,
            "\n## Known vulnerabilities\n\n{} findings ({} critical, {} high, {} known exploited), {} suppressed by VEX, in `{}`.\n\n| Id | Component | Severity | KEV | Fixed in |\n|---|---|---|---|---|",
            c.total, c.critical, c.high, c.kev, c.suppressed, scan.sbom
        );
        for f in scan.active() {
            let _ = writeln!(
                s,
                "| {} | {}@{} | {} | {} | {} |",
                esc(&f.id),
                esc(&f.component),
                esc(&f.version),
                f.severity.map_or("unknown", |x| x.as_str()),
                if f.kev { "yes" } else { "" },
                esc(&f.fixed.join(", "))
            );
        }
    }
    let _ = writeln!(
        s,
        "\n## Frameworks\n\n| Framework | Version | Applies | Pass | Fail | Needs evidence | N/A |\n|---|---|---|---:|---:|---:|---:|"
    );
    for f in &a.frameworks {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            esc(&f.title),
            esc(&f.version),
            if f.applies { "yes" } else { "no" },
            f.summary.pass,
            f.summary.fail,
            f.summary.needs_evidence,
            f.summary.not_applicable
        );
    }
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let _ = writeln!(
            s,
            "\n### {} ({})\n\n{}\n",
            esc(&f.title),
            f.version,
            esc(&f.applies_reason)
        );
        let _ = writeln!(
            s,
            "| Control | Title | Status | Obligation | Responsible | Evidence | Reasons |\n|---|---|---|---|---|---|---|"
        );
        for c in &f.controls {
            let who: Vec<String> = c.responsible.iter().map(status_str).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                esc(&c.id),
                esc(&c.title),
                status_str(&c.status),
                status_str(&c.obligation),
                who.join(", "),
                status_str(&c.evidence),
                esc(&c.reasons.join("; "))
            );
        }
    }
    s
}

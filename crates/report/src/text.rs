//! `assess --format text`: the risk table, then one block per framework.

use std::fmt::Write as _;

use riskmark_assess::Assessment;
use riskmark_checks::Status;

use crate::risk_text::{truncate, wrap};
use crate::status_str;

/// The assessment as text.
pub fn text(a: &Assessment, product: &riskmark_model::Product) -> String {
    let mut s = crate::classification_text(product, &a.risk);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "  FRAMEWORKS                          APPLIES  PASS  FAIL  NEEDS-EV  N/A"
    );
    for f in &a.frameworks {
        let _ = writeln!(
            s,
            "  {:<35} {:<7} {:>5} {:>5} {:>9} {:>4}{}",
            truncate(&format!("{} {}", f.id, f.version), 35),
            if f.applies { "yes" } else { "no" },
            f.summary.pass,
            f.summary.fail,
            f.summary.needs_evidence,
            f.summary.not_applicable,
            f.highest_level
                .as_deref()
                .map(|l| format!("  (level supported: {l})"))
                .unwrap_or_default()
        );
    }
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let _ = writeln!(s);
        let _ = writeln!(s, "  {} ({} {})", f.title, f.id, f.version);
        wrap(&mut s, "    ", &f.applies_reason);
        for c in f
            .controls
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::NeedsEvidence))
        {
            let who: Vec<String> = c.responsible.iter().map(status_str).collect();
            let _ = writeln!(
                s,
                "    {:<15} {:<14} {:<11} {} [{}]",
                status_str(&c.status),
                truncate(&c.id, 14),
                status_str(&c.obligation),
                truncate(&c.title, 40),
                who.join(", ")
            );
            if let Some(r) = c.reasons.first() {
                wrap(&mut s, "                    ", r);
            }
        }
    }
    s
}

//! `assess --format text`: the risk table, then one block per framework.

use std::fmt::Write as _;

use riskmark_assess::Assessment;
use riskmark_checks::Status;

use crate::risk_text::{MIN_WIDTH, classification_text_width, hang};
use crate::status_str;

/// The assessment as text, 80 columns wide.
pub fn text(a: &Assessment, product: &riskmark_model::Product) -> String {
    text_width(a, product, 80)
}

/// The assessment as text, at most `width` columns wide: long titles, versions, control
/// ids and reasons wrap; nothing is cut.
pub fn text_width(a: &Assessment, product: &riskmark_model::Product, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut s = classification_text_width(product, &a.risk, width);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "  FRAMEWORK              APPLIES  PASS  FAIL  NEEDS-EV  N/A"
    );
    for f in &a.frameworks {
        let row = format!(
            "  {:<22} {:<7} {:>5} {:>5} {:>9} {:>4}",
            f.id,
            if f.applies { "yes" } else { "no" },
            f.summary.pass,
            f.summary.fail,
            f.summary.needs_evidence,
            f.summary.not_applicable,
        );
        let _ = writeln!(s, "{row}");
        let detail = match f.highest_level.as_deref() {
            Some(l) => format!("{} (level supported: {l})", f.version),
            None => f.version.clone(),
        };
        hang(&mut s, "    ", 4, &detail, width);
    }
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let _ = writeln!(s);
        hang(
            &mut s,
            "  ",
            4,
            &format!("{} ({} {})", f.title, f.id, f.version),
            width,
        );
        hang(&mut s, "    ", 4, &f.applies_reason, width);
        for c in f
            .controls
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::NeedsEvidence))
        {
            let who: Vec<String> = c.responsible.iter().map(status_str).collect();
            let first = format!(
                "    {:<15} {:<14} {:<11} ",
                status_str(&c.status),
                c.id,
                status_str(&c.obligation),
            );
            let n = first.chars().count();
            let at = if n <= 50 { n } else { 20 };
            hang(
                &mut s,
                &first,
                at,
                &format!("{} [{}]", c.title, who.join(", ")),
                width,
            );
            if let Some(r) = c.reasons.first() {
                hang(&mut s, "                    ", 20, r, width);
            }
        }
    }
    s
}

//! Renderers of the one [`Assessment`] value: each format in its own module. Renderers
//! only read the assessment; they never recompute a verdict.

#![warn(missing_docs)]

mod html;
mod markdown;
mod oscal;
mod risk_text;
mod sarif;
mod text;

pub use html::html;
pub use markdown::markdown;
pub use oscal::oscal_assessment_results;
pub use risk_text::{MIN_WIDTH, classification_text, classification_text_width, hang, words};
pub use sarif::sarif;
pub use text::{text, text_width};

/// Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`): the
/// registry's pages, the fleet report and the procurement gate write with it.
pub fn escape_html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

use riskmark_assess::Assessment;

/// The assessment as pretty JSON (the contract of `assess --format json`).
pub fn json(a: &Assessment) -> String {
    let mut s =
        serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A status as written in outputs.
pub(crate) fn status_str<T: serde::Serialize>(s: &T) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

//! Framework catalogs as data: each framework is an OSCAL catalog whose controls map to
//! riskmark's atomic checks. This crate loads them (embedded, or the user's own),
//! decides which apply to a product, tailors recommended controls to the risk tier,
//! turns check verdicts into control verdicts, and relates frameworks (crosswalks).

#![warn(missing_docs)]

mod applicability;
mod catalog;
mod crosswalk;
mod evaluate;
pub mod oscal;

use std::sync::OnceLock;

pub use applicability::{Applicability, applicability};
pub use catalog::{Control, Framework, Status, from_oscal, from_path, from_path_with_checks};
pub use crosswalk::{Crosswalk, Link, crosswalk};
pub use evaluate::{ControlResult, FrameworkResult, Obligation, Summary, evaluate};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Problems with the embedded catalogs (found by tests; never expected in a release).
pub fn embedded_errors() -> Vec<String> {
    embedded::CATALOGS
        .iter()
        .filter_map(|(name, text)| {
            from_oscal(&format!("embedded:{name}"), text.as_bytes())
                .err()
                .map(|e| e.to_string())
        })
        .collect()
}

/// The frameworks shipped in the binary, in a stable order.
pub fn embedded() -> &'static [Framework] {
    static ALL: OnceLock<Vec<Framework>> = OnceLock::new();
    ALL.get_or_init(|| {
        embedded::CATALOGS
            .iter()
            .filter_map(|(name, text)| {
                from_oscal(&format!("embedded:{name}"), text.as_bytes()).ok()
            })
            .collect()
    })
}

/// An embedded framework by id.
pub fn find(id: &str) -> Option<&'static Framework> {
    embedded().iter().find(|f| f.id == id)
}

/// The embedded OSCAL mapping collections (published crosswalks): (file name, JSON).
pub fn embedded_mappings() -> &'static [(&'static str, &'static str)] {
    embedded::MAPPINGS
}

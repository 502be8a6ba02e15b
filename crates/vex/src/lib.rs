//! VEX for riskmark: OpenVEX, CycloneDX VEX and CSAF 2.0 VEX documents read
//! into one normalized [`VexDocument`], and a [`VexSet`] that finds the
//! statement that applies to a finding.
//!
//! ```
//! use riskmark_vex::{ComponentKey, VexSet, VexStatus};
//!
//! let json = br#"{
//!   "@context": "https://openvex.dev/ns/v0.2.0",
//!   "@id": "https://example.com/vex/1",
//!   "author": "Example PSIRT",
//!   "timestamp": "2024-01-01T00:00:00Z",
//!   "version": 1,
//!   "statements": [{
//!     "vulnerability": {"name": "CVE-2023-0001", "aliases": ["GHSA-aaaa-bbbb-cccc"]},
//!     "products": [{"@id": "pkg:deb/debian/busybox"}],
//!     "status": "not_affected",
//!     "justification": "vulnerable_code_not_in_execute_path"
//!   }]
//! }"#;
//! let doc = riskmark_vex::parse(json, "device.openvex.json")?;
//! let set = VexSet::from_documents([doc]);
//!
//! // The finding names the GHSA id; the VEX names the CVE and lists the GHSA as alias.
//! let key = ComponentKey {
//!     purl: Some("pkg:deb/debian/busybox@1.36.1-3?arch=armhf"),
//!     bom_ref: None,
//!     cpes: &[],
//! };
//! let st = set.lookup("GHSA-aaaa-bbbb-cccc", &[], &key).expect("a statement applies");
//! assert_eq!(st.status, VexStatus::NotAffected);
//! assert!(st.status.suppresses());
//! # Ok::<(), riskmark_vex::VexError>(())
//! ```
//!
//! The format is recognised from the content. Input that is not JSON, or
//! none of the three formats, or has a field of the wrong type, is a
//! [`VexError`] naming the input, the line and column and the field.
//! Everything else that is odd (an unknown status, a product id that is
//! never defined, a product without any identifier riskmark can match) is
//! skipped or kept and recorded as a warning on the document. No input makes
//! the readers panic.
//!
//! ## Mapping
//!
//! | normalized | OpenVEX | CycloneDX `analysis.state` | CSAF `product_status` |
//! |---|---|---|---|
//! | `not_affected` | `not_affected` | `not_affected`, `false_positive` | `known_not_affected` |
//! | `affected` | `affected` | `exploitable` | `known_affected`, `first_affected`, `last_affected` |
//! | `fixed` | `fixed` | `resolved`, `resolved_with_pedigree` | `fixed`, `first_fixed` |
//! | `under_investigation` | `under_investigation` | `in_triage` | `under_investigation` |
//!
//! A CycloneDX `affects[].versions[].status` overrides the analysis state for
//! that version (`affected`, `unaffected`, `unknown`), so one source
//! vulnerability can yield several statements.

#![warn(missing_docs)]

mod csaf;
mod cyclonedx;
mod error;
mod model;
mod openvex;
mod purl;
mod set;
mod vers;

use std::path::Path;

use serde::de::DeserializeOwned;

mod justification;

pub use error::VexError;
pub use justification::Justification;
pub use model::{ProductRef, Statement, VexDocument, VexFormat, VexStatus};
pub use set::{ComponentKey, VexSet};

/// Reads a VEX document from bytes. `origin` names the input in errors and
/// becomes [`VexDocument::source`] (normally the file path).
pub fn parse(bytes: &[u8], origin: &str) -> Result<VexDocument, VexError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| VexError::syntax(origin, &e))?;
    let format = detect(&value).map_err(|reason| VexError::UnknownFormat {
        origin: origin.to_owned(),
        reason,
    })?;
    let mut reader = Reader {
        origin,
        bytes,
        statements: Vec::new(),
        warnings: Vec::new(),
    };
    match format {
        VexFormat::OpenVex => {
            if value.get("@context").is_none() {
                reader
                    .warn("no `@context`; read as OpenVEX because it has `statements`".to_owned());
            }
            openvex::read(&mut reader)?;
        }
        VexFormat::CycloneDx => cyclonedx::read(&mut reader)?,
        VexFormat::Csaf => csaf::read(&mut reader)?,
    }
    let unmatchable: Vec<String> = reader
        .statements
        .iter()
        .flat_map(|s| &s.products)
        .filter(|p| !p.is_matchable())
        .map(|p| p.name.clone().unwrap_or_else(|| "(unnamed)".to_owned()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !unmatchable.is_empty() {
        const SHOWN: usize = 5;
        let mut list = unmatchable
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if unmatchable.len() > SHOWN {
            list.push_str(&format!(" and {} more", unmatchable.len() - SHOWN));
        }
        reader.warnings.push(format!(
            "{} product(s) have no purl, CPE or bom-ref, so statements about them never match an \
             SBOM component: {list}",
            unmatchable.len(),
        ));
    }
    Ok(VexDocument {
        format,
        source: origin.to_owned(),
        statements: reader.statements,
        warnings: reader.warnings,
    })
}

/// Reads a VEX file; errors name the file's path.
pub fn parse_file(path: impl AsRef<Path>) -> Result<VexDocument, VexError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| VexError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes, &path.display().to_string())
}

/// Which of the three formats `value` is, or why it is none.
fn detect(value: &serde_json::Value) -> Result<VexFormat, String> {
    let Some(obj) = value.as_object() else {
        let kind = match value {
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(format!("the JSON document is {kind}, not an object"));
    };
    if let Some(ctx) = obj.get("@context").and_then(|c| c.as_str())
        && ctx.contains("openvex")
    {
        return Ok(VexFormat::OpenVex);
    }
    if let Some(f) = obj.get("bomFormat").and_then(|f| f.as_str())
        && f.eq_ignore_ascii_case("CycloneDX")
    {
        return Ok(VexFormat::CycloneDx);
    }
    if obj
        .get("document")
        .and_then(|d| d.as_object())
        .is_some_and(|d| d.contains_key("csaf_version"))
    {
        return Ok(VexFormat::Csaf);
    }
    if obj.get("statements").is_some_and(|s| s.is_array()) {
        return Ok(VexFormat::OpenVex);
    }
    let keys: Vec<&str> = obj.keys().take(6).map(String::as_str).collect();
    Err(format!(
        "no OpenVEX `@context`, CycloneDX `bomFormat` or CSAF `document.csaf_version` \
         (top-level keys: {})",
        if keys.is_empty() {
            "none".to_owned()
        } else {
            keys.join(", ")
        }
    ))
}

/// State shared by the three readers.
pub(crate) struct Reader<'a> {
    origin: &'a str,
    bytes: &'a [u8],
    statements: Vec<Statement>,
    warnings: Vec<String>,
}

impl Reader<'_> {
    /// Deserializes the whole input into the reader's raw type; errors carry
    /// the field path, line and column.
    fn typed<T: DeserializeOwned>(&self) -> Result<T, VexError> {
        let mut de = serde_json::Deserializer::from_slice(self.bytes);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| VexError::field_error(self.origin, &e))
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    fn push(&mut self, statement: Statement) {
        if let Some(t) = &statement.timestamp
            && t.parse::<jiff::Timestamp>().is_err()
            && !self.warnings.iter().any(|w| w.contains(t.as_str()))
        {
            self.warnings.push(format!(
                "timestamp `{t}` is not RFC 3339; statements with it count as undated"
            ));
        }
        self.statements.push(statement);
    }
}

/// `Some` only for a non-blank string, trimmed.
pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

//! SBOM readers for riskmark: CycloneDX (JSON, XML) and SPDX 2.x (JSON,
//! tag-value) read into one normalized [`Sbom`].
//!
//! ```
//! let json = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
//!   "components": [{"type": "library", "name": "busybox", "version": "1.36.1",
//!                   "purl": "pkg:apk/alpine/busybox@1.36.1"}]}"#;
//! let sbom = riskmark_sbom::parse(json, "example.cdx.json")?;
//! assert_eq!(sbom.components[0].name, "busybox");
//! assert_eq!(sbom.components[0].purl_parsed.as_ref().map(|p| p.ty.as_str()), Some("apk"));
//! # Ok::<(), riskmark_sbom::SbomError>(())
//! ```
//!
//! The format is recognised from the content, not the file name. Input that
//! is not an SBOM at all, or is not well-formed, is an [`SbomError`] that
//! names the input and, where known, the line and column. Everything else
//! that is odd (a component without a name, a malformed purl, a duplicate,
//! a relation to an unknown id) is skipped or repaired and recorded as a
//! [`Warning`] on the result. No input makes the readers panic.

mod build;
mod error;
mod json;
mod model;
mod spdx;
mod tagvalue;
mod text;
mod xml;

use std::path::Path;

pub use error::SbomError;
pub use model::{
    Component, ComponentKind, Format, Hash, HashAlg, Purl, Relation, RelationKind, Sbom, Warning,
    WarningKind,
};

/// Reads an SBOM from bytes. `origin` names the input in errors (normally
/// the file path).
///
/// UTF-8 (with or without a byte-order mark) and UTF-16 are accepted.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Sbom, SbomError> {
    let (text, encoding_warning) = text::decode(bytes);
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let err = |reason: &str| SbomError::NotAnSbom {
        origin: origin.to_owned(),
        reason: reason.to_owned(),
    };
    if trimmed.is_empty() {
        return Err(SbomError::Empty {
            origin: origin.to_owned(),
        });
    }
    let mut sbom = match trimmed.as_bytes()[0] {
        b'{' => {
            let (mut sbom, trailing) = json::parse(&text, origin)?;
            if let Some(line) = trailing {
                sbom.warnings.push(Warning {
                    kind: WarningKind::Encoding,
                    message: "content after the end of the JSON document was ignored".to_owned(),
                    location: format!("line {line}"),
                });
            }
            sbom
        }
        b'[' => {
            return Err(err(
                "the JSON document is an array, not a CycloneDX or SPDX object",
            ));
        }
        b'<' => xml::parse(&text, origin)?,
        _ if tagvalue::looks_like(trimmed) => tagvalue::parse(&text, origin)?,
        _ if text.contains('\u{FFFD}') || text.contains('\0') => {
            return Err(err(
                "the content is binary, not JSON, XML or SPDX tag-value",
            ));
        }
        _ => return Err(err("the content is not JSON, XML or SPDX tag-value")),
    };
    if let Some(w) = encoding_warning {
        sbom.warnings.insert(0, w);
    }
    Ok(sbom)
}

/// Reads an SBOM file; errors name the file's path.
pub fn parse_file(path: impl AsRef<Path>) -> Result<Sbom, SbomError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| SbomError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes, &path.display().to_string())
}

//! SPDX 2.x tag-value documents.
//!
//! Every non-blank line outside a `<text>…</text>` block is `Tag: value`
//! (lines starting with `#` are comments). A `PackageName` tag starts a
//! package, `FileName`, `SnippetSPDXID` and `LicenseID` start other
//! sections. Tags this model does not use are skipped.

use std::borrow::Cow;

use crate::error::SbomError;
use crate::model::{Format, Sbom, WarningKind};
use crate::spdx;
use crate::text;

/// True when one of the first meaningful lines is an `SPDXVersion` tag.
pub(crate) fn looks_like(text: &str) -> bool {
    text::lines(text)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(50)
        .any(|l| l.starts_with("SPDXVersion:"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    File,
    Other,
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Reads a tag-value document.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Sbom, SbomError> {
    let error = |line: usize, message: String| SbomError::TagValue {
        origin: origin.to_owned(),
        line,
        message,
    };
    let mut b = spdx::builder();
    let mut doc = spdx::Document::default();
    let mut version = String::new();
    let mut section = Section::Document;
    let mut package: Option<spdx::Package> = None;
    let mut lines = text::lines(text).enumerate();
    while let Some((index, line)) = lines.next() {
        let line_no = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            return Err(error(
                line_no,
                format!("expected `Tag: value`, found `{}`", shorten(trimmed)),
            ));
        };
        let tag = tag.trim_end();
        if tag.is_empty()
            || !tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(error(
                line_no,
                format!("expected `Tag: value`, found `{}`", shorten(trimmed)),
            ));
        }
        let value = value.trim();
        let value: Cow<'_, str> = match value.strip_prefix("<text>") {
            None => Cow::Borrowed(value),
            Some(rest) => match rest.find("</text>") {
                Some(end) => Cow::Borrowed(&rest[..end]),
                None => {
                    let mut buf = rest.to_owned();
                    loop {
                        let Some((_, next)) = lines.next() else {
                            return Err(error(
                                line_no,
                                format!("`{tag}` starts a <text> block that is never closed"),
                            ));
                        };
                        buf.push('\n');
                        if let Some(end) = next.find("</text>") {
                            buf.push_str(&next[..end]);
                            break;
                        }
                        buf.push_str(next);
                    }
                    Cow::Owned(buf)
                }
            },
        };
        let location = || format!("line {line_no}");
        match tag {
            "SPDXVersion" => version = value.into_owned(),
            "DocumentName" => doc.info.name = Some(value.into_owned()),
            "DocumentNamespace" => doc.info.serial = Some(value.into_owned()),
            "Created" => doc.info.created = Some(value.into_owned()),
            "Creator" => {
                if let Some(tool) = value.trim().strip_prefix("Tool:") {
                    doc.info.tools.push(tool.trim().to_owned());
                }
            }
            "SPDXID" => match section {
                Section::Document if doc.id.is_none() => doc.id = Some(value.into_owned()),
                Section::Package => {
                    if let Some(p) = &mut package
                        && p.id.is_none()
                    {
                        p.id = Some(value.into_owned());
                    }
                }
                Section::File => {
                    doc.other_elements.insert(value.into_owned());
                }
                _ => {}
            },
            "PackageName" => {
                doc.packages.extend(package.take());
                section = Section::Package;
                package = Some(spdx::Package {
                    name: Some(value.into_owned()),
                    location: format!("packages[{}]", doc.packages.len()),
                    line: Some(line_no),
                    ..spdx::Package::default()
                });
            }
            "FileName" => {
                doc.packages.extend(package.take());
                section = Section::File;
            }
            "SnippetSPDXID" => {
                doc.packages.extend(package.take());
                section = Section::Other;
                doc.other_elements.insert(value.into_owned());
            }
            "LicenseID" => {
                doc.packages.extend(package.take());
                section = Section::Other;
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [element, kind, related] = parts.as_slice() {
                    doc.relationships.push(spdx::Relationship {
                        element: (*element).to_owned(),
                        kind: (*kind).to_owned(),
                        related: (*related).to_owned(),
                        location: location(),
                    });
                } else {
                    b.warn(
                        WarningKind::InvalidElement,
                        format!(
                            "relationship `{}` is not `ELEMENT TYPE RELATED`; skipped",
                            shorten(&value)
                        ),
                        location(),
                    );
                }
            }
            _ => {
                if let Some(p) = package.as_mut().filter(|_| section == Section::Package) {
                    package_tag(&mut b, p, tag, value, line_no);
                }
            }
        }
    }
    doc.packages.extend(package.take());
    if version.is_empty() {
        return Err(error(1, "the document has no `SPDXVersion` tag".to_owned()));
    }
    doc.info.spec_version = spdx::spec_version(&mut b, &version);
    Ok(spdx::build(b, doc, Format::SpdxTagValue))
}

fn package_tag(
    b: &mut crate::build::Builder,
    p: &mut spdx::Package,
    tag: &str,
    value: Cow<'_, str>,
    line_no: usize,
) {
    // Formatted only for a warning: most tags need no location.
    let location = || format!("line {line_no}");
    match tag {
        "PackageVersion" => p.version = Some(value.into_owned()),
        "PackageSupplier" => p.supplier = Some(value.into_owned()),
        "PrimaryPackagePurpose" => p.purpose = Some(value.into_owned()),
        "PackageLicenseConcluded" => p.license_concluded = Some(value.into_owned()),
        "PackageLicenseDeclared" => p.license_declared = Some(value.into_owned()),
        "PackageChecksum" => match value.split_once(':') {
            Some((alg, digest)) => p
                .checksums
                .push((alg.trim().to_owned(), digest.trim().to_owned())),
            None => b.warn(
                WarningKind::InvalidElement,
                format!(
                    "checksum `{}` is not `ALGORITHM: value`; skipped",
                    shorten(&value)
                ),
                location(),
            ),
        },
        "ExternalRef" => {
            let mut parts = value.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(category), Some(kind), Some(locator)) => {
                    p.external_refs
                        .push((category.to_owned(), kind.to_owned(), locator.to_owned()))
                }
                _ => b.warn(
                    WarningKind::InvalidElement,
                    format!(
                        "external reference `{}` is not `CATEGORY TYPE LOCATOR`; skipped",
                        shorten(&value)
                    ),
                    location(),
                ),
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_text_and_lone_cr_line_ends() {
        let doc = "SPDXVersion: SPDX-2.3\rDataLicense: CC0-1.0\rSPDXID: SPDXRef-DOCUMENT\r\
                   DocumentComment: <text>one\r\ntwo: three\nfour</text>\n\
                   PackageName: zlib\nSPDXID: SPDXRef-zlib\nPackageVersion: 1.3\n\
                   PackageChecksum: SHA256: abcd\n\
                   ExternalRef: SECURITY cpe23Type cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*\n\
                   ExternalRef: PACKAGE-MANAGER purl pkg:generic/zlib@1.3\n\
                   Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-zlib\n";
        let sbom = parse(doc, "t.spdx").expect("parses");
        assert_eq!(sbom.spec_version, "2.3");
        let root = sbom.root.expect("root");
        assert_eq!(root.name, "zlib");
        assert_eq!(root.purl.as_deref(), Some("pkg:generic/zlib@1.3"));
        assert_eq!(root.cpes.len(), 1);
        assert_eq!(root.hashes[0].alg.as_str(), "SHA-256");
        assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    }

    #[test]
    fn broken_line_names_the_line() {
        let doc = "SPDXVersion: SPDX-2.3\nPackageName: a\nthis line is broken\n";
        let err = parse(doc, "t.spdx").expect_err("broken");
        assert_eq!(err.line(), Some(3));
    }

    #[test]
    fn unclosed_text_names_its_start() {
        let doc = "SPDXVersion: SPDX-2.3\n\nPackageComment: <text>never\nclosed\n";
        let err = parse(doc, "t.spdx").expect_err("unclosed");
        assert_eq!(err.line(), Some(3));
    }
}

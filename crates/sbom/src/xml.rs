//! CycloneDX XML, read with quick-xml's streaming reader: one pass, no DOM.
//!
//! Elements are recognised by their path of local names (namespace prefixes
//! are ignored): `bom/components/component`, nested
//! `component/components/component`, `bom/metadata/component` (the root)
//! and `bom/dependencies/dependency/dependency`.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::build::{Builder, DocInfo, RawComponent};
use crate::error::SbomError;
use crate::json::cdx_spec_version;
use crate::model::{ComponentKind, Format, RelationKind, Sbom};

const CDX_NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";

/// A component being read: its element's index in the path, and its slot.
struct Open {
    depth: usize,
    item: usize,
    children: usize,
}

struct Item {
    raw: RawComponent,
    parent: Option<usize>,
    is_root: bool,
}

/// Counts lines forward through the text (offsets only grow).
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset > self.offset {
            self.line += self.bytes[self.offset..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.offset = offset;
        }
        self.line
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, quick_xml::Error> {
    match e.try_get_attribute(name)? {
        Some(a) => Ok(Some(
            a.normalized_value(XmlVersion::Implicit1_0)?.into_owned(),
        )),
        None => Ok(None),
    }
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

fn is(path: &[String], expected: &[&str]) -> bool {
    path.len() == expected.len() && path.iter().zip(expected).all(|(a, b)| a == b)
}

/// Reads a CycloneDX XML document.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Sbom, SbomError> {
    let bytes = text.as_bytes();
    let xml_error = |offset: u64, message: String| {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        let (line, column) = crate::text::line_col(bytes, offset);
        SbomError::Xml {
            origin: origin.to_owned(),
            line,
            column,
            message,
        }
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut lines = Lines {
        bytes,
        offset: 0,
        line: 1,
    };

    let mut b = Builder::new(ComponentKind::Library);
    let mut info = DocInfo::default();
    let mut namespace_version: Option<String> = None;
    let mut path: Vec<String> = Vec::new();
    let mut text_buf = String::new();
    let mut items: Vec<Item> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut top_level_count = 0usize;
    let mut pending_alg: Option<String> = None;
    let mut pending_property: Option<String> = None;
    let mut tool: (Option<String>, Option<String>) = (None, None);
    let mut current_dependency: Option<String> = None;
    let mut edges: Vec<(String, String, usize)> = Vec::new();
    let mut seen_root = false;

    loop {
        let start_offset = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(reader.error_position(), e.to_string()))?;
        match event {
            Event::Start(e) => {
                // Well-formedness quick-xml leaves to the reader: no raw `<` in an
                // attribute value (XML 1.0 AttValue), each attribute once (#14).
                for a in e.attributes() {
                    let a = a.map_err(|err| xml_error(start_offset, err.to_string()))?;
                    if a.value.contains('<') {
                        return Err(xml_error(
                            start_offset,
                            format!(
                                "not well-formed: a raw `<` in the value of attribute `{}`",
                                AsRef::<str>::as_ref(&a.key)
                            ),
                        ));
                    }
                }
                let name = local(&e);
                let attr = |n: &str| {
                    attr(&e, n).map_err(|err| xml_error(reader.buffer_position(), err.to_string()))
                };
                if !seen_root {
                    seen_root = true;
                    if name != "bom" {
                        let raw_name = e.name().as_ref().to_owned();
                        let reason = if raw_name == "rdf:RDF" {
                            "SPDX RDF/XML is not supported; convert it to SPDX JSON".to_owned()
                        } else {
                            format!("XML root element is <{raw_name}>, not a CycloneDX <bom>")
                        };
                        return Err(SbomError::NotAnSbom {
                            origin: origin.to_owned(),
                            reason,
                        });
                    }
                    namespace_version = attr("xmlns")?
                        .and_then(|ns| ns.strip_prefix(CDX_NAMESPACE).map(str::to_owned));
                    info.serial = attr("serialNumber")?;
                }
                text_buf.clear();
                let parent_is = |expected: &[&str]| is(&path, expected);
                if name == "component" {
                    let nested_in = open
                        .last()
                        .filter(|o| path.len() == o.depth + 2 && path[o.depth + 1] == "components");
                    let (is_root, parent, location) = if parent_is(&["bom", "metadata"]) {
                        (true, None, Some("metadata.component".to_owned()))
                    } else if parent_is(&["bom", "components"]) {
                        top_level_count += 1;
                        (
                            false,
                            None,
                            Some(format!("components[{}]", top_level_count - 1)),
                        )
                    } else if let Some(o) = nested_in {
                        let parent_location = &items[o.item].raw.location;
                        let location = format!("{parent_location}.components[{}]", o.children);
                        (false, Some(o.item), Some(location))
                    } else {
                        (false, None, None)
                    };
                    if let Some(location) = location {
                        if let Some(o) = open.last_mut().filter(|_| parent.is_some()) {
                            o.children += 1;
                        }
                        let raw = RawComponent {
                            id: attr("bom-ref")?,
                            kind: attr("type")?,
                            location,
                            line: Some(lines.at(usize::try_from(start_offset).unwrap_or(0))),
                            ..RawComponent::default()
                        };
                        open.push(Open {
                            depth: path.len(),
                            item: items.len(),
                            children: 0,
                        });
                        items.push(Item {
                            raw,
                            parent,
                            is_root,
                        });
                    }
                } else if name == "dependency" {
                    if parent_is(&["bom", "dependencies"]) {
                        current_dependency = attr("ref")?;
                    } else if parent_is(&["bom", "dependencies", "dependency"])
                        && let (Some(from), Some(to)) = (&current_dependency, attr("ref")?)
                    {
                        let line = lines.at(usize::try_from(start_offset).unwrap_or(0));
                        edges.push((from.clone(), to, line));
                    }
                } else if name == "hash" {
                    pending_alg = attr("alg")?;
                } else if name == "property" {
                    pending_property = attr("name")?;
                }
                path.push(name);
            }
            Event::End(_) => {
                let value = text_buf.trim();
                if let Some(o) = open.last()
                    && path.len() > o.depth
                {
                    let raw = &mut items[o.item].raw;
                    let rel: Vec<&str> = path[o.depth + 1..].iter().map(String::as_str).collect();
                    match rel.as_slice() {
                        [] => {
                            open.pop();
                        }
                        ["name"] => raw.name = Some(value.to_owned()),
                        ["version"] => raw.version = Some(value.to_owned()),
                        ["group"] => raw.group = Some(value.to_owned()),
                        ["purl"] => raw.purl = Some(value.to_owned()),
                        ["cpe"] => raw.cpes.insert(0, value.to_owned()),
                        ["supplier", "name"] => raw.supplier = Some(value.to_owned()),
                        ["hashes", "hash"] => {
                            if let Some(alg) = pending_alg.take() {
                                raw.hashes.push((alg, value.to_owned()));
                            }
                        }
                        ["licenses", "license", "id" | "name"] | ["licenses", "expression"] => {
                            raw.licenses.push(value.to_owned());
                        }
                        ["properties", "property"]
                            if pending_property.as_deref() == Some("syft:cpe23") =>
                        {
                            raw.cpes.push(value.to_owned());
                        }
                        _ => {}
                    }
                } else if path.len() >= 3 && path[..3] == ["bom", "metadata", "tools"] {
                    let rel: Vec<&str> = path[3..].iter().map(String::as_str).collect();
                    match rel.as_slice() {
                        ["tool", "name"] | ["components", "component", "name"] => {
                            tool.0 = Some(value.to_owned());
                        }
                        ["tool", "version"] | ["components", "component", "version"] => {
                            tool.1 = Some(value.to_owned());
                        }
                        ["tool"] | ["components", "component"] => match std::mem::take(&mut tool) {
                            (Some(n), Some(v)) => info.tools.push(format!("{n} {v}")),
                            (Some(n), None) => info.tools.push(n),
                            _ => {}
                        },
                        _ => {}
                    }
                } else if is(&path, &["bom", "metadata", "timestamp"]) {
                    info.created = Some(value.to_owned());
                }
                text_buf.clear();
                path.pop();
            }
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::CData(t) => text_buf.push_str(&t),
            Event::GeneralRef(r) => {
                let resolved = r
                    .resolve_char_ref()
                    .map_err(|e| xml_error(reader.buffer_position(), e.to_string()))?;
                match (resolved, &*r) {
                    (Some(c), _) => text_buf.push(c),
                    (None, "amp") => text_buf.push('&'),
                    (None, "lt") => text_buf.push('<'),
                    (None, "gt") => text_buf.push('>'),
                    (None, "quot") => text_buf.push('"'),
                    (None, "apos") => text_buf.push('\''),
                    (None, other) => {
                        text_buf.push('&');
                        text_buf.push_str(other);
                        text_buf.push(';');
                    }
                }
            }
            Event::Eof => break,
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
    if let Some(unclosed) = path.last() {
        return Err(xml_error(
            bytes.len() as u64,
            format!("unexpected end of document: <{unclosed}> is not closed"),
        ));
    }
    if !seen_root {
        return Err(SbomError::NotAnSbom {
            origin: origin.to_owned(),
            reason: "the XML document has no root element".to_owned(),
        });
    }

    info.spec_version = cdx_spec_version(&mut b, namespace_version.as_deref());
    let mut ids: Vec<Option<String>> = Vec::with_capacity(items.len());
    for item in items {
        let parent = item.parent.and_then(|p| ids.get(p).cloned().flatten());
        let id = if item.is_root {
            b.set_root(item.raw)
        } else {
            b.add(item.raw, parent.as_deref())
        };
        ids.push(id);
    }
    for (from, to, line) in edges {
        b.relate(&from, &to, RelationKind::DependsOn, &format!("line {line}"));
    }
    Ok(b.finish(Format::CycloneDxXml, info))
}

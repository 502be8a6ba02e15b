//! Format-independent normalization: every reader hands its components and
//! relations to a [`Builder`], which validates them, removes duplicates and
//! records a [`Warning`] for everything it skips or repairs.

use std::collections::{HashMap, HashSet};

use crate::model::{
    Component, ComponentKind, Format, Hash, HashAlg, Purl, Relation, RelationKind, Sbom, Warning,
    WarningKind,
};

/// A component as a reader found it, before validation.
#[derive(Debug, Default)]
pub(crate) struct RawComponent {
    pub(crate) id: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) purl: Option<String>,
    /// Further purls, as written.
    pub(crate) other_purls: Vec<String>,
    pub(crate) cpes: Vec<String>,
    pub(crate) supplier: Option<String>,
    pub(crate) licenses: Vec<String>,
    /// (algorithm, value) pairs as written.
    pub(crate) hashes: Vec<(String, String)>,
    /// CycloneDX `type` or SPDX `primaryPackagePurpose`, as written.
    pub(crate) kind: Option<String>,
    /// Where the component was found (`components[3]`), for warnings and
    /// synthesized ids.
    pub(crate) location: String,
    /// The line it starts on, when the reader knows it.
    pub(crate) line: Option<usize>,
}

impl RawComponent {
    /// The location for warnings: path and, when known, line.
    fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{} (line {line})", self.location),
            None => self.location.clone(),
        }
    }
}

/// Document-level facts, filled by each reader.
#[derive(Debug, Default)]
pub(crate) struct DocInfo {
    pub(crate) spec_version: String,
    pub(crate) name: Option<String>,
    pub(crate) serial: Option<String>,
    pub(crate) created: Option<String>,
    pub(crate) tools: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Root,
    Component(usize),
}

/// Collects and validates components and relations.
#[derive(Debug)]
pub(crate) struct Builder {
    default_kind: ComponentKind,
    root: Option<Component>,
    root_id: Option<String>,
    components: Vec<Component>,
    index: HashMap<String, Slot>,
    relations: Vec<Relation>,
    /// Relations already recorded, by the slots of their ends.
    seen_relations: HashSet<(Slot, Slot, RelationKind)>,
    warnings: Vec<Warning>,
}

impl Builder {
    /// `default_kind` is used when a component states no kind.
    pub(crate) fn new(default_kind: ComponentKind) -> Self {
        Self {
            default_kind,
            root: None,
            root_id: None,
            components: Vec::new(),
            index: HashMap::new(),
            relations: Vec::new(),
            seen_relations: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn warn(
        &mut self,
        kind: WarningKind,
        message: impl Into<String>,
        location: impl Into<String>,
    ) {
        self.warnings.push(Warning {
            kind,
            message: message.into(),
            location: location.into(),
        });
    }

    /// True when `id` names a component (or the root) read so far.
    pub(crate) fn knows(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Sets the top-level component. Returns its id, or `None` if it was
    /// skipped (a warning says why).
    pub(crate) fn set_root(&mut self, raw: RawComponent) -> Option<String> {
        let component = self.validate(raw, None)?;
        let id = component.id.clone();
        self.index.insert(id.clone(), Slot::Root);
        self.root = Some(component);
        Some(id)
    }

    /// Marks an already-added component as the top-level one; it is moved
    /// out of the component list when the document is finished.
    pub(crate) fn promote_to_root(&mut self, id: &str) {
        if self.root.is_none() {
            self.root_id = Some(id.to_owned());
        }
    }

    /// Adds a component; a nested one names its parent, which also records
    /// a `Contains` relation. Returns the id the component ended up with
    /// (that of the earlier copy for a duplicate), or `None` if it was
    /// skipped.
    pub(crate) fn add(&mut self, raw: RawComponent, parent: Option<&str>) -> Option<String> {
        let location = raw.place();
        let mut component = self.validate(raw, parent)?;
        if let Some(slot) = self.index.get(&component.id).copied() {
            let earlier = match slot {
                Slot::Root => self.root.as_ref(),
                Slot::Component(i) => self.components.get(i),
            };
            if earlier.is_some_and(|e| same_content(e, &component)) {
                self.warn(
                    WarningKind::DuplicateComponent,
                    format!(
                        "duplicate of component `{}` ({}); skipped",
                        component.id, component.name
                    ),
                    location,
                );
                return Some(component.id);
            }
            let new_id = (2..)
                .map(|n| format!("{}#{n}", component.id))
                .find(|c| !self.index.contains_key(c))
                .unwrap_or_default();
            self.warn(
                WarningKind::DuplicateId,
                format!(
                    "id `{}` is already used by a different component; `{}` is read as `{new_id}`",
                    component.id, component.name
                ),
                location.clone(),
            );
            component.id = new_id;
        }
        let id = component.id.clone();
        self.index
            .insert(id.clone(), Slot::Component(self.components.len()));
        self.components.push(component);
        if let Some(parent) = parent {
            self.relate(parent, &id, RelationKind::Contains, &location);
        }
        Some(id)
    }

    /// Adds a relation between two known ids; a relation naming an unknown
    /// id is skipped with a warning. Duplicates are dropped silently.
    pub(crate) fn relate(&mut self, from: &str, to: &str, kind: RelationKind, location: &str) {
        let mut slots = [Slot::Root; 2];
        for (slot, end) in slots.iter_mut().zip([from, to]) {
            match self.index.get(end) {
                Some(s) => *slot = *s,
                None => {
                    self.warn(
                        WarningKind::DanglingReference,
                        format!(
                            "relation `{from}` {kind} `{to}` names unknown element `{end}`; skipped"
                        ),
                        location,
                    );
                    return;
                }
            }
        }
        if self
            .seen_relations
            .insert((slots[0], slots[1], kind.clone()))
        {
            self.relations.push(Relation {
                from: from.to_owned(),
                to: to.to_owned(),
                kind,
            });
        }
    }

    fn validate(&mut self, raw: RawComponent, parent: Option<&str>) -> Option<Component> {
        let place = raw.place();
        let RawComponent {
            id,
            name,
            version,
            group,
            purl,
            other_purls,
            cpes,
            supplier,
            licenses,
            hashes,
            kind,
            location: path,
            line: _,
        } = raw;
        let location = place;
        let id = non_empty(id);
        let Some(name) = non_empty(name) else {
            let what = match (&id, &purl) {
                (Some(id), _) => format!("component `{id}` has no name; skipped"),
                (None, Some(purl)) => format!("component with purl `{purl}` has no name; skipped"),
                (None, None) => "component has no name; skipped".to_owned(),
            };
            self.warn(WarningKind::MissingName, what, location);
            return None;
        };
        let kind = match non_empty(kind) {
            None => self.default_kind.clone(),
            Some(k) => ComponentKind::parse(&k).unwrap_or_else(|| {
                self.warn(
                    WarningKind::UnknownValue,
                    format!("unknown component type `{k}` for `{name}`; kept as written"),
                    location.clone(),
                );
                ComponentKind::Other(k.to_ascii_lowercase())
            }),
        };
        let purl = non_empty(purl);
        let purl_parsed = match &purl {
            None => None,
            Some(p) => match parse_purl(p) {
                Ok(parsed) if parsed.version.is_none() && parsed.name.contains('@') => {
                    self.warn(
                        WarningKind::MalformedPurl,
                        format!(
                            "purl `{p}` for `{name}` percent-encodes the `@` before its version \
                             (`%40`); read as the version separator"
                        ),
                        location.clone(),
                    );
                    Some(parsed)
                }
                Ok(parsed) => Some(parsed),
                Err(reason) => {
                    self.warn(
                        WarningKind::MalformedPurl,
                        format!("malformed purl `{p}` for `{name}`: {reason}; kept unparsed"),
                        location.clone(),
                    );
                    None
                }
            },
        };
        let mut clean_other: Vec<String> = Vec::new();
        for p in other_purls {
            let p = p.trim();
            if !p.is_empty() && purl.as_deref() != Some(p) && !clean_other.iter().any(|o| o == p) {
                clean_other.push(p.to_owned());
            }
        }
        let mut clean_cpes: Vec<String> = Vec::with_capacity(cpes.len());
        for cpe in cpes {
            let cpe = cpe.trim();
            if cpe.is_empty() || clean_cpes.iter().any(|c| c == cpe) {
                continue;
            }
            if !is_cpe(cpe) {
                self.warn(
                    WarningKind::MalformedCpe,
                    format!("malformed CPE `{cpe}` for `{name}`; kept as written"),
                    location.clone(),
                );
            }
            clean_cpes.push(cpe.to_owned());
        }
        let mut clean_hashes = Vec::with_capacity(hashes.len());
        for (alg, value) in hashes {
            let value = value.trim();
            if value.is_empty() {
                self.warn(
                    WarningKind::InvalidElement,
                    format!("empty {alg} hash for `{name}`; skipped"),
                    location.clone(),
                );
                continue;
            }
            let alg = HashAlg::parse(&alg);
            if let HashAlg::Other(a) = &alg {
                self.warn(
                    WarningKind::UnknownValue,
                    format!("unknown hash algorithm `{a}` for `{name}`; kept as written"),
                    location.clone(),
                );
            }
            let hash = Hash {
                alg,
                value: value.to_owned(),
            };
            if !clean_hashes.contains(&hash) {
                clean_hashes.push(hash);
            }
        }
        let mut clean_licenses: Vec<String> = Vec::new();
        for l in licenses {
            let l = l.trim();
            if !l.is_empty() && !is_no_assertion(l) && !clean_licenses.iter().any(|c| c == l) {
                clean_licenses.push(l.to_owned());
            }
        }
        Some(Component {
            id: id.unwrap_or(path),
            name,
            version: non_empty(version),
            group: non_empty(group),
            purl,
            purl_parsed,
            other_purls: clean_other,
            cpes: clean_cpes,
            supplier: non_empty(supplier).filter(|s| !is_no_assertion(s)),
            licenses: clean_licenses,
            hashes: clean_hashes,
            kind,
            parent: parent.map(str::to_owned),
        })
    }

    /// Builds the document.
    pub(crate) fn finish(mut self, format: Format, info: DocInfo) -> Sbom {
        if self.root.is_none()
            && let Some(id) = self.root_id.take()
            && let Some(pos) = self.components.iter().position(|c| c.id == id)
        {
            self.root = Some(self.components.remove(pos));
        }
        let name = info
            .name
            .or_else(|| self.root.as_ref().map(|r| r.name.clone()));
        Sbom {
            format,
            spec_version: info.spec_version,
            name,
            serial: info.serial,
            created: info.created,
            tools: info.tools,
            root: self.root,
            components: self.components,
            relations: self.relations,
            warnings: self.warnings,
        }
    }
}

/// Equal apart from the id (which is known to be equal when this is asked).
fn same_content(a: &Component, b: &Component) -> bool {
    a.name == b.name
        && a.version == b.version
        && a.group == b.group
        && a.purl == b.purl
        && a.cpes == b.cpes
        && a.hashes == b.hashes
        && a.kind == b.kind
        && a.parent == b.parent
}

/// Trims; empty becomes `None`.
pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    let s = s?;
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_owned())
    }
}

/// SPDX's "no information" values.
pub(crate) fn is_no_assertion(s: &str) -> bool {
    s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE")
}

fn parse_purl(s: &str) -> Result<Purl, String> {
    let p: packageurl::PackageUrl<'_> = s.parse().map_err(|e: packageurl::Error| e.to_string())?;
    let mut qualifiers: Vec<(String, String)> = p
        .qualifiers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    qualifiers.sort();
    Ok(Purl {
        ty: p.ty().to_owned(),
        namespace: p.namespace().map(str::to_owned),
        name: p.name().to_owned(),
        version: p.version().map(str::to_owned),
        qualifiers,
        subpath: p.subpath().map(str::to_owned),
    })
}

/// A CPE 2.3 formatted string (13 colon-separated fields) or a CPE 2.2 URI.
fn is_cpe(s: &str) -> bool {
    if s.starts_with("cpe:/") {
        return s.len() > 5;
    }
    let Some(rest) = s.strip_prefix("cpe:2.3:") else {
        return false;
    };
    let mut fields = 1;
    let mut escaped = false;
    for c in rest.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, ':') => fields += 1,
            _ => {}
        }
    }
    fields == 11 && matches!(rest.chars().next(), Some('a' | 'o' | 'h' | '*' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(id: &str, name: &str) -> RawComponent {
        RawComponent {
            id: Some(id.to_owned()),
            name: Some(name.to_owned()),
            location: "components[0]".to_owned(),
            ..RawComponent::default()
        }
    }

    #[test]
    fn cpe_shapes() {
        assert!(is_cpe("cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*"));
        assert!(is_cpe(r"cpe:2.3:a:a\:b:c:1:*:*:*:*:*:*:*"));
        assert!(is_cpe("cpe:/a:openssl:openssl:1.1.1"));
        assert!(!is_cpe("cpe:2.3:a:busybox"));
        assert!(!is_cpe("busybox"));
    }

    #[test]
    fn duplicates_are_skipped_or_renamed() {
        let mut b = Builder::new(ComponentKind::Library);
        assert_eq!(b.add(raw("a", "x"), None).as_deref(), Some("a"));
        assert_eq!(b.add(raw("a", "x"), None).as_deref(), Some("a"));
        assert_eq!(b.add(raw("a", "y"), None).as_deref(), Some("a#2"));
        let sbom = b.finish(Format::CycloneDxJson, DocInfo::default());
        assert_eq!(sbom.components.len(), 2);
        let kinds: Vec<_> = sbom.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [WarningKind::DuplicateComponent, WarningKind::DuplicateId]
        );
    }

    #[test]
    fn purl_is_kept_exactly_and_parsed() {
        let mut b = Builder::new(ComponentKind::Library);
        let mut r = raw("a", "adduser");
        r.purl = Some("pkg:deb/ubuntu/adduser@3.118ubuntu2?distro=ubuntu-20.04&arch=all".into());
        b.add(r, None);
        let mut bad = raw("b", "bad");
        bad.purl = Some("not-a-purl".into());
        b.add(bad, None);
        let sbom = b.finish(Format::CycloneDxJson, DocInfo::default());
        let p = sbom.components[0].purl_parsed.as_ref().expect("parsed");
        assert_eq!(p.ty, "deb");
        assert_eq!(p.namespace.as_deref(), Some("ubuntu"));
        assert_eq!(p.qualifier("arch"), Some("all"));
        assert_eq!(sbom.components[1].purl.as_deref(), Some("not-a-purl"));
        assert_eq!(sbom.warnings[0].kind, WarningKind::MalformedPurl);
    }
}

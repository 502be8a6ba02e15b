//! Applying VEX statements to findings.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{ProductRef, Statement, VexDocument};
use crate::purl::{NormPurl, cpe_eq, decode};

/// The component a finding is about, as the SBOM identifies it.
///
/// Build it from a `riskmark_sbom::Component`: `purl` from `purl`,
/// `bom_ref` from `id`, `cpes` from `cpes`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComponentKey<'a> {
    /// The component's package URL, as written.
    pub purl: Option<&'a str>,
    /// The component's bom-ref (or SPDX id), or a BOM-Link to it.
    pub bom_ref: Option<&'a str>,
    /// The component's CPEs.
    pub cpes: &'a [String],
}

/// Statements from several VEX documents, indexed for [`VexSet::lookup`].
///
/// ## Which statement applies
///
/// A statement applies to a finding when
///
/// 1. its vulnerability id or one of its aliases equals the finding's id or
///    one of the finding's aliases, ignoring ASCII case (`cve-2021-44228`
///    and `CVE-2021-44228`; a GHSA id listed as alias); and
/// 2. one of its [`ProductRef`]s names the component, by
///    - **purl**: type, namespace and name equal after normalization (type
///      always lower-cased; namespace and name lower-cased for the types the
///      purl specification declares case insensitive: `alpm`, `apk`,
///      `bitbucket`, `composer`, `deb`, `github`, `hex`, `npm`; `pypi` names
///      PEP 503-normalized, `nuget` names and `rpm` namespaces lower-cased).
///      A VEX purl without a version matches every version; with one, the
///      versions must be equal. Every qualifier of the VEX purl must be on
///      the component's purl with the same value, in any order; the
///      component may carry more (`arch`, `distro`). A VEX subpath must be
///      equal; without one any subpath matches. Or
///    - **bom-ref**: equal to the component's bom-ref. A BOM-Link
///      `urn:cdx:<serial>/<version>#<bom-ref>` matches through its
///      (percent-decoded) fragment; the serial is not checked, because
///      [`ComponentKey`] does not carry it. When the reference pins a
///      version (`version` or a `vers:` `version_range`), the component's
///      version must be known and match: it is the `version` given to
///      [`VexSet::lookup_at_version`], else the version of the component's
///      purl. A range this crate cannot evaluate never matches. Or
///    - **CPE**: equal to one of the component's CPEs, ignoring ASCII case.
///
/// When several statements apply, the most recent wins: the one with the
/// latest [`Statement::timestamp`]; undated statements (and those whose
/// timestamp is not RFC 3339) count as older than every dated one; among
/// equal times the one added last wins (documents in the order given to
/// [`VexSet::add`], statements in document order).
///
/// ## What the caller does with it
///
/// [`VexStatus::NotAffected`](crate::VexStatus::NotAffected) and
/// [`VexStatus::Fixed`](crate::VexStatus::Fixed) mean the finding is
/// suppressed (see [`VexStatus::suppresses`](crate::VexStatus::suppresses));
/// the caller shows the status with [`Statement::justification`] and
/// [`Statement::detail`] so the suppression stays auditable. `affected` and
/// `under_investigation` keep the finding and add the statement's detail
/// and action.
#[derive(Debug, Clone, Default)]
pub struct VexSet {
    entries: Vec<Entry>,
    /// Upper-cased vulnerability id or alias -> entry indices.
    by_id: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone)]
struct Entry {
    statement: Statement,
    source: String,
    products: Vec<NormProduct>,
    time: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone)]
struct NormProduct {
    purl: Option<NormPurl>,
    /// The bom-ref, or the decoded fragment of a BOM-Link.
    bom_ref: Option<String>,
    cpe: Option<String>,
    version: Option<String>,
    version_range: Option<String>,
}

impl NormProduct {
    fn new(p: &ProductRef) -> Self {
        Self {
            purl: p.purl.as_deref().and_then(NormPurl::parse),
            bom_ref: p.bom_ref.as_deref().map(bom_ref_target),
            cpe: p.cpe.clone(),
            version: p.version.clone(),
            version_range: p.version_range.clone(),
        }
    }

    fn matches(&self, key: &NormKey<'_>) -> bool {
        if let (Some(vex), Some(comp)) = (&self.purl, &key.purl)
            && vex.covers(comp)
        {
            return true;
        }
        if let Some(cpe) = &self.cpe
            && key.cpes.iter().any(|c| cpe_eq(cpe, c))
        {
            return true;
        }
        if let (Some(r), Some(kr)) = (&self.bom_ref, &key.bom_ref)
            && r == kr
        {
            return self.version_ok(key.version);
        }
        false
    }

    fn version_ok(&self, version: Option<&str>) -> bool {
        match (&self.version, &self.version_range) {
            (None, None) => true,
            (Some(v), _) => version == Some(v.as_str()),
            (None, Some(range)) => {
                version.is_some_and(|v| crate::vers::contains(range, v) == Some(true))
            }
        }
    }
}

/// The target of a bom-ref: the fragment of a BOM-Link, percent-decoded,
/// else the bom-ref itself.
fn bom_ref_target(r: &str) -> String {
    match r.strip_prefix("urn:cdx:").and_then(|l| l.split_once('#')) {
        Some((_, fragment)) => decode(fragment),
        None => r.to_owned(),
    }
}

struct NormKey<'a> {
    purl: Option<NormPurl>,
    bom_ref: Option<String>,
    cpes: &'a [String],
    version: Option<&'a str>,
}

impl VexSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A set of the statements of all `documents`, in order.
    pub fn from_documents(documents: impl IntoIterator<Item = VexDocument>) -> Self {
        let mut set = Self::new();
        for d in documents {
            set.add(d);
        }
        set
    }

    /// Adds the statements of one document; they win ties against those
    /// added before.
    pub fn add(&mut self, document: VexDocument) {
        for statement in document.statements {
            let index = self.entries.len();
            let mut ids: Vec<String> = std::iter::once(&statement.vulnerability)
                .chain(&statement.aliases)
                .map(|s| s.trim().to_ascii_uppercase())
                .collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                self.by_id.entry(id).or_default().push(index);
            }
            self.entries.push(Entry {
                products: statement.products.iter().map(NormProduct::new).collect(),
                time: statement.timestamp.as_deref().and_then(|t| t.parse().ok()),
                source: document.source.clone(),
                statement,
            });
        }
    }

    /// The number of statements.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the set holds no statement.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All statements, in the order they were added.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.entries.iter().map(|e| &e.statement)
    }

    /// The statement that applies to vulnerability `vuln_id` (also known as
    /// `aliases`) in `component`, by the rules in the [type
    /// documentation](Self). The component's version, for references that
    /// pin one, is that of its purl.
    pub fn lookup(
        &self,
        vuln_id: &str,
        aliases: &[String],
        component: &ComponentKey<'_>,
    ) -> Option<&Statement> {
        self.lookup_at_version(vuln_id, aliases, component, None)
    }

    /// Like [`VexSet::lookup`], with the component's version given
    /// explicitly (for components without a purl, matched by bom-ref against
    /// statements that list versions or ranges).
    pub fn lookup_at_version(
        &self,
        vuln_id: &str,
        aliases: &[String],
        component: &ComponentKey<'_>,
        version: Option<&str>,
    ) -> Option<&Statement> {
        self.find(vuln_id, aliases, component, version)
            .map(|e| &e.statement)
    }

    /// Like [`VexSet::lookup_at_version`], also returning the
    /// [`VexDocument::source`] the statement came from.
    pub fn lookup_with_source(
        &self,
        vuln_id: &str,
        aliases: &[String],
        component: &ComponentKey<'_>,
        version: Option<&str>,
    ) -> Option<(&Statement, &str)> {
        self.find(vuln_id, aliases, component, version)
            .map(|e| (&e.statement, e.source.as_str()))
    }

    fn find(
        &self,
        vuln_id: &str,
        aliases: &[String],
        component: &ComponentKey<'_>,
        version: Option<&str>,
    ) -> Option<&Entry> {
        let purl = component.purl.and_then(NormPurl::parse);
        let purl_version = purl.as_ref().and_then(|p| p.version.clone());
        let key = NormKey {
            bom_ref: component.bom_ref.map(bom_ref_target),
            cpes: component.cpes,
            version: version.or(purl_version.as_deref()),
            purl,
        };
        let mut candidates: Vec<usize> = std::iter::once(vuln_id)
            .chain(aliases.iter().map(String::as_str))
            .filter_map(|id| self.by_id.get(&id.trim().to_ascii_uppercase()))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| self.entries.get(i).map(|e| (i, e)))
            .filter(|(_, e)| e.products.iter().any(|p| p.matches(&key)))
            .max_by(|(ia, a), (ib, b)| newer(a.time, b.time).then(ia.cmp(ib)))
            .map(|(_, e)| e)
    }
}

/// Orders times, undated before dated.
fn newer(a: Option<jiff::Timestamp>, b: Option<jiff::Timestamp>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

//! Scanning an SBOM: every component with a version is matched against the offline
//! vulnerability database (exact version semantics per ecosystem), findings of the same
//! vulnerability are reported once per component, and VEX statements decide which
//! findings are suppressed.
//!
//! A component is matched by its purl (or, without one, by its name in the curated
//! firmware set) and, when it carries CPE 2.3 names, by each CPE against NVD's
//! applicability statements. A CVE found by several routes is one finding, whose
//! `matched_by` names the first route that found it (`purl`, then `name`, then `cpe`).
//! A CPE whose version is `*` is queried with the component's version.
//!
//! CPE matches NVD describes too loosely to be sure of (every version of a product, or a
//! platform the SBOM neither confirms nor rules out) are reported with `confidence: low`.
//! Low-confidence findings are listed (table, JSON, SARIF as notes) but are not
//! [`Scan::active`]: they do not make `--fail-on` fail, are not in [`Scan::counts`]
//! (except `low_confidence`) and do not raise the risk score. For an AND configuration
//! (an application on an operating system, firmware on hardware) the other CPEs of the
//! SBOM are the platform: a platform the SBOM names makes the match certain, another
//! platform of the same kind (another OS) rules it out.

#![warn(missing_docs)]

mod formats;
mod sarif;

pub use formats::{cyclonedx_vex, openvex, write_cyclonedx_vex, write_openvex};
pub use sarif::{sarif, sarif_artifact_location, sarif_security_severity, write_sarif};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use riskmark_sbom::{Component, Sbom};
pub use riskmark_vulndb::Confidence;
use riskmark_vulndb::{
    Cpe, CpeValue, Cvss, Db, FIRMWARE_ECOSYSTEM, Finding, Severity, Stats, VulnDbError,
};
use serde::Serialize;

/// The VEX status of a finding (`affected` when no VEX statement speaks to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// Affected (no statement, or a VEX `affected`).
    Affected,
    /// VEX says not affected: suppressed.
    NotAffected,
    /// VEX says fixed: suppressed.
    Fixed,
    /// VEX says under investigation.
    UnderInvestigation,
}

impl FindingStatus {
    /// `not_affected` and `fixed` suppress a finding.
    pub const fn suppressed(self) -> bool {
        matches!(self, Self::NotAffected | Self::Fixed)
    }
}

/// How a finding was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The component's purl, against OSV (or the curated set for `pkg:generic`).
    Purl,
    /// The component's name, in the curated firmware set (no purl).
    Name,
    /// One of the component's CPE 2.3 names, against NVD's applicability statements.
    Cpe,
}

/// A VEX decision on one finding, supplied by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexDecision {
    /// The status.
    pub status: FindingStatus,
    /// The justification (e.g. `vulnerable_code_not_in_execute_path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The statement's detail or impact statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What to do (OpenVEX `action_statement`, CycloneDX `analysis.response`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Which VEX document said it.
    pub source: String,
}

/// One vulnerability of one component.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFinding {
    /// The component's purl, when it has one.
    pub purl: Option<Arc<str>>,
    /// The component's name.
    pub component: Arc<str>,
    /// The component's version.
    pub version: Arc<str>,
    /// The component's SBOM id (bom-ref or SPDXID).
    pub component_id: Arc<str>,
    /// The advisory id as published (the CVE when there is one).
    pub id: Arc<str>,
    /// Other ids of the same vulnerability.
    pub aliases: Arc<[String]>,
    /// One-line summary.
    pub summary: Option<Arc<str>>,
    /// Qualitative severity.
    pub severity: Option<Severity>,
    /// CVSS vector and base score.
    pub cvss: Option<Cvss>,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    pub kev: bool,
    /// EPSS probability.
    pub epss: Option<f64>,
    /// Versions that fix it.
    pub fixed: Arc<[String]>,
    /// `affected`, or what VEX says.
    pub status: FindingStatus,
    /// The route that found it (the first, when several did).
    pub matched_by: MatchedBy,
    /// `high`, or `low` for a CPE match that may be a false positive (see the crate
    /// documentation); low-confidence findings are not [`Scan::active`].
    pub confidence: Confidence,
    /// The VEX statement applied, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vex: Option<Box<VexDecision>>,
}

/// A component that could not be matched, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The component.
    pub component: String,
    /// Why.
    pub reason: String,
}

/// The result of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct Scan {
    /// The SBOM file.
    pub sbom: String,
    /// Components in the SBOM (the top-level one included).
    pub components: usize,
    /// Components matched against the database.
    pub matched_components: usize,
    /// Every finding, suppressed ones included (see `status`).
    pub findings: Vec<ScanFinding>,
    /// Components that could not be matched.
    pub skipped: Vec<Skipped>,
    /// The database: when it was built and from which sources.
    pub db: Stats,
    /// Where the database is (`:memory:` for the embedded curated set).
    pub db_path: String,
}

impl Scan {
    /// The findings that count: not suppressed by VEX and not of low confidence. These
    /// decide `--fail-on`, the counts and the risk score.
    pub fn active(&self) -> impl Iterator<Item = &ScanFinding> {
        self.findings
            .iter()
            .filter(|f| !f.status.suppressed() && f.confidence != Confidence::Low)
    }

    /// The findings VEX does not suppress, low-confidence ones included.
    pub fn unsuppressed(&self) -> impl Iterator<Item = &ScanFinding> {
        self.findings.iter().filter(|f| !f.status.suppressed())
    }
}

/// Decides, for a finding (vulnerability id, its aliases, the component), whether a VEX
/// statement applies.
pub type VexLookup<'a> = &'a dyn Fn(&str, &[String], &Component) -> Option<VexDecision>;

/// Scans an SBOM. `vex` decides, for a finding (vulnerability id, its aliases, the
/// component), whether a VEX statement applies.
pub fn scan(sbom: &Sbom, origin: &str, db: &Db, vex: VexLookup<'_>) -> Result<Scan, VulnDbError> {
    // One read transaction for the thousands of queries of a large SBOM.
    db.read_snapshot(|db| scan_in(sbom, origin, db, vex))
}

/// The purl or name query of a component, as the key of the answers already had: an
/// SBOM often lists one package version several times (under several ids), and the
/// answer depends on nothing else.
#[derive(PartialEq, Eq, Hash)]
enum Query<'a> {
    /// A purl with its version.
    Purl(std::borrow::Cow<'a, str>),
    /// A name and version in the curated firmware set.
    Name(&'a str, &'a str),
    /// A CPE (with the component's version when it had none); the platform is the same
    /// for the whole SBOM.
    Cpe(String),
}

/// Every CPE of the SBOM: the platform of AND configurations. Parsed on first use:
/// only a database with NVD CPE data evaluates configurations, and syft writes
/// several CPEs per package.
struct Platform<'s> {
    components: &'s [&'s Component],
    cpes: std::cell::OnceCell<Vec<Cpe>>,
}

impl Platform<'_> {
    fn get(&self) -> &[Cpe] {
        self.cpes.get_or_init(|| {
            self.components
                .iter()
                .flat_map(|c| c.cpes.iter())
                .filter_map(|s| Cpe::parse(s).ok())
                .collect()
        })
    }
}

/// The database's answers, asked once per scan: kept only for the queries the SBOM asks
/// more than once, so that the findings of a large SBOM are not held twice.
struct Answers<'a> {
    kept: HashMap<Query<'a>, Vec<Finding>>,
    /// How many times each purl or name query is still to be asked.
    pending: HashMap<Query<'a>, u32>,
}

impl<'a> Answers<'a> {
    /// Counts the purl and name queries of the components.
    fn new(all: &[&'a Component]) -> Self {
        let mut pending: HashMap<Query<'a>, u32> = HashMap::new();
        for c in all {
            for (q, _) in package_queries(c) {
                *pending.entry(q).or_default() += 1;
            }
        }
        pending.retain(|_, n| *n > 1);
        Self {
            kept: HashMap::new(),
            pending,
        }
    }

    /// The database's answer to a query (errors are not kept).
    fn ask(
        &mut self,
        db: &Db,
        platform: &Platform<'_>,
        query: Query<'a>,
    ) -> Result<Vec<Finding>, VulnDbError> {
        // A purl or name query asked once is not kept; a CPE query always is (an SBOM
        // writes few, and syft repeats them).
        let again = match &query {
            Query::Cpe(_) => true,
            q => match self.pending.get_mut(q) {
                Some(n) => {
                    *n -= 1;
                    *n > 0
                }
                None => false,
            },
        };
        let found = if again {
            self.kept.get(&query).cloned()
        } else {
            self.kept.remove(&query)
        };
        if let Some(h) = found {
            return Ok(h);
        }
        let h = match &query {
            Query::Purl(purl) => db.matches_purl(purl)?,
            Query::Name(name, version) => db.matches(FIRMWARE_ECOSYSTEM, name, version)?,
            // Without CPE data the answer is empty on any platform (the CPE is
            // still checked), so the SBOM's CPEs are not parsed for one.
            Query::Cpe(cpe) if db.has_cpe_data()? => db.matches_cpe_on(cpe, platform.get())?,
            Query::Cpe(cpe) => db.matches_cpe_on(cpe, &[])?,
        };
        if again {
            self.kept.insert(query, h.clone());
        }
        Ok(h)
    }
}

/// Strings and lists kept once per scan.
#[derive(Default)]
struct Interner {
    strs: HashSet<Arc<str>>,
    lists: HashSet<Arc<[String]>>,
}

impl Interner {
    fn str(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strs.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.strs.insert(a.clone());
        a
    }

    fn list(&mut self, v: Vec<String>) -> Arc<[String]> {
        if let Some(a) = self.lists.get(v.as_slice()) {
            return a.clone();
        }
        let a: Arc<[String]> = Arc::from(v);
        self.lists.insert(a.clone());
        a
    }
}

/// A component's version: trimmed, `None` when empty.
fn version_of(c: &Component) -> Option<&str> {
    c.version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The queries of a component and the route each stands for: one per purl it has (an
/// SPDX package may give several, the first sometimes wrong), or, without a purl, its
/// name in the curated firmware set. Empty when there is no version to ask about.
fn package_queries(c: &Component) -> Vec<(Query<'_>, MatchedBy)> {
    let version = version_of(c);
    let mut out: Vec<(Query<'_>, MatchedBy)> = Vec::new();
    for purl in c.purl.iter().chain(&c.other_purls) {
        if let Some(q) = purl_query(purl, version)
            && !out.iter().any(|(o, _)| *o == q)
        {
            out.push((q, MatchedBy::Purl));
        }
    }
    if c.purl.is_none()
        && let Some(version) = version
    {
        out.push((Query::Name(&c.name, version), MatchedBy::Name));
    }
    out
}

/// The purl to ask the database: the purl as written when it has a version; else with
/// the component's version inserted before its qualifiers. A percent-encoded `@`
/// (`pkg:golang/google.golang.org/grpc%40v1.45.0`, written so by some tools) is read
/// as the version separator, the component's own version first. `None` without any
/// version.
fn purl_query<'a>(purl: &'a str, version: Option<&str>) -> Option<Query<'a>> {
    let end = purl.find(['?', '#']).unwrap_or(purl.len());
    let (head, tail) = purl.split_at(end);
    if head.contains('@') {
        return Some(Query::Purl(purl.into()));
    }
    let last = head.rfind('/').map_or(0, |i| i + 1);
    let encoded = head.as_bytes()[last..]
        .windows(3)
        .position(|w| w[0] == b'%' && w[1] == b'4' && w[2] == b'0')
        .map(|i| last + i);
    let (head, own) = match encoded {
        Some(at) => (&head[..at], Some(&head[at + 3..]).filter(|v| !v.is_empty())),
        None => (head, None),
    };
    let version = version.or(own)?;
    Some(Query::Purl(format!("{head}@{version}{tail}").into()))
}

fn scan_in(sbom: &Sbom, origin: &str, db: &Db, vex: VexLookup<'_>) -> Result<Scan, VulnDbError> {
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut matched = 0;
    let all: Vec<&Component> = sbom.all_components().collect();
    let mut answers = Answers::new(&all);
    // A large SBOM's findings repeat the same components, advisories and summaries:
    // each string is kept once.
    let mut intern = Interner::default();
    let platform = Platform {
        components: &all,
        cpes: std::cell::OnceCell::new(),
    };
    for c in &all {
        let version = version_of(c);
        let queries = package_queries(c);
        if queries.is_empty() && c.cpes.is_empty() {
            if c.purl.is_some() {
                skipped.push(Skipped {
                    component: c.name.clone(),
                    reason: "no version".into(),
                });
            }
            continue;
        }
        let mut routes: Vec<(Finding, MatchedBy)> = Vec::new();
        let mut reasons: Vec<String> = Vec::new();
        let mut answered = false;
        for (query, by) in queries {
            let result = answers.ask(db, &platform, query);
            match result {
                Ok(h) => {
                    answered = true;
                    routes.extend(h.into_iter().map(|f| (f, by)));
                }
                Err(
                    e @ (VulnDbError::Purl { .. }
                    | VulnDbError::UnknownEcosystem(_)
                    | VulnDbError::InvalidVersion { .. }),
                ) => reasons.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        let mut cpe_version = None;
        for cpe in &c.cpes {
            let (query, v) = cpe_query(cpe, version);
            cpe_version = cpe_version.or(v);
            let result = answers.ask(db, &platform, Query::Cpe(query));
            match result {
                Ok(h) => {
                    answered = true;
                    routes.extend(h.into_iter().map(|f| (f, MatchedBy::Cpe)));
                }
                Err(e @ VulnDbError::Cpe { .. }) => reasons.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        if !answered {
            skipped.push(Skipped {
                component: c.name.clone(),
                reason: reasons.join("; "),
            });
            continue;
        }
        matched += 1;
        // One finding per vulnerability: a CVE found by purl and by CPE, or an OSV
        // advisory and the NVD CVE it aliases.
        let mut merged: Vec<(Finding, MatchedBy)> = Vec::new();
        for (f, by) in routes {
            match merged.iter_mut().find(|(m, _)| m.same_vulnerability(&f)) {
                Some((m, _)) => m.merge(f),
                None => merged.push((f, by)),
            }
        }
        let shown_version = version
            .map(str::to_owned)
            .or_else(|| c.purl_parsed.as_ref().and_then(|p| p.version.clone()))
            .or(cpe_version)
            .unwrap_or_default();
        let purl = c.purl.as_deref().map(|p| intern.str(p));
        let component = intern.str(&c.name);
        let shown_version = intern.str(&shown_version);
        let component_id = intern.str(&c.id);
        for (f, by) in merged {
            let decision = vex(&f.id, &f.aliases, c);
            findings.push(ScanFinding {
                purl: purl.clone(),
                component: component.clone(),
                version: shown_version.clone(),
                component_id: component_id.clone(),
                status: decision
                    .as_ref()
                    .map_or(FindingStatus::Affected, |d| d.status),
                vex: decision.map(Box::new),
                matched_by: by,
                confidence: f.confidence,
                id: intern.str(&f.id),
                aliases: intern.list(f.aliases),
                summary: f.summary.as_deref().map(|s| intern.str(s)),
                severity: f.severity,
                cvss: f.cvss,
                kev: f.kev,
                epss: f.epss,
                fixed: intern.list(f.fixed),
            });
        }
    }
    drop(answers);
    order(&mut findings);
    Ok(Scan {
        sbom: origin.to_owned(),
        components: all.len(),
        matched_components: matched,
        findings,
        skipped,
        db: db.stats()?,
        db_path: db.path().display().to_string(),
    })
}

/// Puts the findings in report order: high confidence first, then KEV, severity,
/// component and id; ties keep the SBOM's order. Sorts indices and moves each finding
/// once, so that no second buffer of findings is allocated.
fn order(findings: &mut [ScanFinding]) {
    let mut perm: Vec<u32> = (0..findings.len()).map(|i| i as u32).collect();
    perm.sort_unstable_by(|&i, &j| {
        let (a, b) = (&findings[i as usize], &findings[j as usize]);
        b.confidence
            .cmp(&a.confidence)
            .then(b.kev.cmp(&a.kev))
            .then(b.severity.cmp(&a.severity))
            .then(a.component.cmp(&b.component))
            .then(a.id.cmp(&b.id))
            .then(i.cmp(&j))
    });
    // Position k takes the finding at perm[k]: follow each cycle once.
    for start in 0..perm.len() {
        let mut k = start;
        while perm[k] as usize != start {
            let next = perm[k] as usize;
            findings.swap(k, next);
            perm[k] = k as u32;
            k = next;
        }
        perm[k] = k as u32;
    }
}

/// The CPE to query for a component: a CPE whose version is `*` takes the component's
/// version (an SBOM often writes the CPE without one). Also returns the CPE's version.
fn cpe_query(cpe: &str, version: Option<&str>) -> (String, Option<String>) {
    let Ok(mut parsed) = Cpe::parse(cpe) else {
        return (cpe.to_owned(), None);
    };
    if parsed.version.is_any()
        && let Some(v) = version
    {
        parsed.version = CpeValue::Value(v.to_owned());
        return (parsed.to_string(), Some(v.to_owned()));
    }
    let v = parsed.version.as_value().map(str::to_owned);
    (cpe.to_owned(), v)
}

/// A VEX lookup over a set of VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX): matches
/// by vulnerability id or alias, and by the component's purl, bom-ref or CPE.
pub fn vex_lookup(
    set: &riskmark_vex::VexSet,
) -> impl Fn(&str, &[String], &Component) -> Option<VexDecision> + '_ {
    move |id, aliases, c| {
        let key = riskmark_vex::ComponentKey {
            purl: c.purl.as_deref(),
            bom_ref: Some(c.id.as_str()),
            cpes: &c.cpes,
        };
        set.lookup_with_source(id, aliases, &key, c.version.as_deref())
            .map(|(st, src)| VexDecision {
                status: match st.status {
                    riskmark_vex::VexStatus::NotAffected => FindingStatus::NotAffected,
                    riskmark_vex::VexStatus::Fixed => FindingStatus::Fixed,
                    riskmark_vex::VexStatus::UnderInvestigation => {
                        FindingStatus::UnderInvestigation
                    }
                    _ => FindingStatus::Affected,
                },
                justification: st.justification.clone(),
                detail: st.detail.clone(),
                action: st.action.clone(),
                source: src.to_owned(),
            })
    }
}

/// Counts of the active (not suppressed) findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Active findings.
    pub total: usize,
    /// ... critical.
    pub critical: usize,
    /// ... high.
    pub high: usize,
    /// ... in CISA KEV.
    pub kev: usize,
    /// ... with an EPSS probability of at least 0.1.
    pub high_epss: usize,
    /// Findings VEX suppresses.
    pub suppressed: usize,
    /// Low-confidence findings (not suppressed), not counted in the other numbers.
    pub low_confidence: usize,
}

impl Scan {
    /// Counts of the active findings.
    pub fn counts(&self) -> Counts {
        let unsuppressed = self.unsuppressed().count();
        let mut c = Counts {
            suppressed: self.findings.len() - unsuppressed,
            low_confidence: unsuppressed - self.active().count(),
            ..Counts::default()
        };
        for f in self.active() {
            c.total += 1;
            match f.severity {
                Some(Severity::Critical) => c.critical += 1,
                Some(Severity::High) => c.high += 1,
                _ => {}
            }
            c.kev += usize::from(f.kev);
            c.high_epss += usize::from(f.epss.is_some_and(|e| e >= 0.1));
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(component: &str, id: &str, kev: bool, n: usize) -> ScanFinding {
        ScanFinding {
            purl: None,
            component: component.into(),
            version: n.to_string().into(),
            component_id: "".into(),
            id: id.into(),
            aliases: Arc::new([]),
            summary: None,
            severity: None,
            cvss: None,
            kev,
            epss: None,
            fixed: Arc::new([]),
            status: FindingStatus::Affected,
            matched_by: MatchedBy::Purl,
            confidence: Confidence::High,
            vex: None,
        }
    }

    /// The in-place permutation gives exactly the stable sort's order, ties included.
    #[test]
    fn order_is_the_stable_sort() {
        let names = ["b", "a", "c", "a"];
        let ids = ["X-2", "X-1", "X-1"];
        for size in [0, 1, 2, 7, 50, 333] {
            let mut v: Vec<ScanFinding> = (0..size)
                .map(|n| {
                    let k = n * 7919 % 13;
                    finding(names[k % 4], ids[k % 3], k % 5 == 0, n)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by(|a, b| {
                b.kev
                    .cmp(&a.kev)
                    .then(a.component.cmp(&b.component))
                    .then(a.id.cmp(&b.id))
            });
            order(&mut v);
            let got: Vec<&str> = v.iter().map(|f| &*f.version).collect();
            let want: Vec<&str> = expected.iter().map(|f| &*f.version).collect();
            assert_eq!(got, want, "size {size}");
        }
    }
}

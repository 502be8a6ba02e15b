//! Scanning an SBOM: every component with a version is matched against the offline
//! vulnerability database (exact version semantics per ecosystem), findings of the same
//! vulnerability are reported once per component, and VEX statements decide which
//! findings are suppressed.

#![warn(missing_docs)]

mod formats;

pub use formats::{cyclonedx_vex, openvex, sarif};

use std::collections::BTreeSet;

use riskmark_sbom::{Component, Sbom};
use riskmark_vulndb::{Cvss, Db, FIRMWARE_ECOSYSTEM, Severity, Stats, VulnDbError};
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
    /// Which VEX document said it.
    pub source: String,
}

/// One vulnerability of one component.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFinding {
    /// The component's purl, when it has one.
    pub purl: Option<String>,
    /// The component's name.
    pub component: String,
    /// The component's version.
    pub version: String,
    /// The component's SBOM id (bom-ref or SPDXID).
    pub component_id: String,
    /// The advisory id as published (the CVE when there is one).
    pub id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Qualitative severity.
    pub severity: Option<Severity>,
    /// CVSS vector and base score.
    pub cvss: Option<Cvss>,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    pub kev: bool,
    /// EPSS probability.
    pub epss: Option<f64>,
    /// Versions that fix it.
    pub fixed: Vec<String>,
    /// `affected`, or what VEX says.
    pub status: FindingStatus,
    /// The VEX statement applied, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vex: Option<VexDecision>,
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
    /// The findings VEX does not suppress.
    pub fn active(&self) -> impl Iterator<Item = &ScanFinding> {
        self.findings.iter().filter(|f| !f.status.suppressed())
    }
}

/// Decides, for a finding (vulnerability id, its aliases, the component), whether a VEX
/// statement applies.
pub type VexLookup<'a> = &'a dyn Fn(&str, &[String], &Component) -> Option<VexDecision>;

/// Scans an SBOM. `vex` decides, for a finding (vulnerability id, its aliases, the
/// component), whether a VEX statement applies.
pub fn scan(sbom: &Sbom, origin: &str, db: &Db, vex: VexLookup<'_>) -> Result<Scan, VulnDbError> {
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut matched = 0;
    let all: Vec<&Component> = sbom.all_components().collect();
    for c in &all {
        let Some(version) = c.version.as_deref().filter(|v| !v.trim().is_empty()) else {
            if c.purl.is_some() {
                skipped.push(Skipped {
                    component: c.name.clone(),
                    reason: "no version".into(),
                });
            }
            continue;
        };
        let result = match c.purl.as_deref() {
            Some(purl) if purl.contains('@') => db.matches_purl(purl),
            Some(purl) => db.matches_purl(&format!("{purl}@{version}")),
            None => db.matches(FIRMWARE_ECOSYSTEM, &c.name, version),
        };
        let hits = match result {
            Ok(h) => h,
            Err(
                e @ (VulnDbError::Purl { .. }
                | VulnDbError::UnknownEcosystem(_)
                | VulnDbError::InvalidVersion { .. }),
            ) => {
                skipped.push(Skipped {
                    component: c.name.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        matched += 1;
        let mut seen = BTreeSet::new();
        for f in hits {
            if !seen.insert(f.id.clone()) {
                continue;
            }
            let decision = vex(&f.id, &f.aliases, c);
            findings.push(ScanFinding {
                purl: c.purl.clone(),
                component: c.name.clone(),
                version: version.to_owned(),
                component_id: c.id.clone(),
                status: decision
                    .as_ref()
                    .map_or(FindingStatus::Affected, |d| d.status),
                vex: decision,
                id: f.id,
                aliases: f.aliases,
                summary: f.summary,
                severity: f.severity,
                cvss: f.cvss,
                kev: f.kev,
                epss: f.epss,
                fixed: f.fixed,
            });
        }
    }
    findings.sort_by(|a, b| {
        b.kev
            .cmp(&a.kev)
            .then(b.severity.cmp(&a.severity))
            .then(a.component.cmp(&b.component))
            .then(a.id.cmp(&b.id))
    });
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
}

impl Scan {
    /// Counts of the active findings.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            suppressed: self.findings.len() - self.active().count(),
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

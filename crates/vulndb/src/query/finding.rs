//! A finding: one vulnerability of a package version, merged over its aliases.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::severity::{Cvss, Severity};

/// One vulnerability affecting a package version. Advisories that are
/// aliases of each other (a CVE, its GHSA, PYSEC, GO and RUSTSEC ids) are
/// merged into one finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The CVE id when the vulnerability has one, else the id of the
    /// first merged advisory.
    pub id: String,
    /// Every other id of the vulnerability (advisory ids and aliases),
    /// sorted.
    pub aliases: Vec<String>,
    /// The ids of the database records merged into this finding.
    pub advisories: Vec<String>,
    /// A one-line summary, when an advisory has one.
    pub summary: Option<String>,
    /// From the CVSS score when present, else the advisory's qualitative
    /// rating (`database_specific.severity`); `None` when neither exists.
    pub severity: Option<Severity>,
    /// The CVSS vector with the highest base score among the merged
    /// advisories.
    pub cvss: Option<Cvss>,
    /// Listed in the CISA Known Exploited Vulnerabilities catalog.
    pub kev: bool,
    /// The EPSS probability of exploitation (highest among its CVEs).
    pub epss: Option<f64>,
    /// Versions that fix it, above the queried version, in version order.
    /// For CPE matches: the `versionEndExcluding` bounds that matched.
    pub fixed: Vec<String>,
    /// How sure the match is: `high` for OSV and curated matches and for
    /// CPE matches on an exact version or explicit bounds; `low` for the
    /// CPE patterns known to over-match (see [`Confidence`]).
    pub confidence: Confidence,
}

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A CPE match that may well be a false positive: the criteria names
    /// every version of the product (`*` without bounds), or the CVE
    /// applies only on a platform (an AND configuration) that the SBOM
    /// neither confirms nor rules out. Reported, but not counted by
    /// `--fail-on` or in the risk score (see `riskmark-scan`).
    Low,
    /// The version is listed, inside a range, or equal to the criteria's.
    High,
}

impl Finding {
    /// Whether two findings are the same vulnerability: they share an id
    /// or an alias (a CVE from NVD and an OSV advisory aliasing it).
    #[must_use]
    pub fn same_vulnerability(&self, other: &Self) -> bool {
        let mine = || std::iter::once(&self.id).chain(&self.aliases);
        std::iter::once(&other.id)
            .chain(&other.aliases)
            .any(|x| mine().any(|y| y == x))
    }

    /// Merges a finding of the same vulnerability (found by another route,
    /// e.g. a CPE as well as a purl) into this one: ids, aliases and
    /// advisories united, the CVE id preferred, the highest CVSS, KEV if
    /// either, the highest EPSS, the fix versions united, the higher
    /// confidence.
    pub fn merge(&mut self, other: Self) {
        let mut ids: BTreeSet<String> = self.aliases.drain(..).collect();
        ids.insert(std::mem::take(&mut self.id));
        ids.insert(other.id);
        ids.extend(other.aliases);
        self.id = ids
            .iter()
            .find(|i| i.starts_with("CVE-"))
            .or_else(|| ids.iter().next())
            .cloned()
            .unwrap_or_default();
        self.aliases = ids.into_iter().filter(|i| *i != self.id).collect();
        self.advisories.extend(other.advisories);
        self.advisories.sort();
        self.advisories.dedup();
        self.summary = self.summary.take().or(other.summary);
        if other
            .cvss
            .as_ref()
            .is_some_and(|o| self.cvss.as_ref().is_none_or(|s| o.score > s.score))
        {
            self.cvss = other.cvss;
        }
        self.severity = self
            .cvss
            .as_ref()
            .and_then(Cvss::severity)
            .or(self.severity.max(other.severity));
        self.kev |= other.kev;
        self.epss = match (self.epss, other.epss) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for f in other.fixed {
            if !self.fixed.contains(&f) {
                self.fixed.push(f);
            }
        }
        self.confidence = self.confidence.max(other.confidence);
    }
}

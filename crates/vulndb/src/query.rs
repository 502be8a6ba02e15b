//! Reading the database: matching a package version, statistics.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use riskmark_ecosystem::{Ecosystem, Event, Range, RangeKind, Scheme, Version, evaluate};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::eco::{FIRMWARE_ECOSYSTEM, MatchEcosystem};
use crate::error::{VulnDbError, db_err};
use crate::import::import_into;
use crate::schema::{self, SCHEMA_VERSION};
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
    pub fixed: Vec<String>,
}

/// Database statistics and provenance.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// The schema version.
    pub schema_version: u32,
    /// When the last import committed; `check` compares it with a maximum
    /// age.
    pub built_at: Option<jiff::Timestamp>,
    /// Advisories stored, withdrawn ones included.
    pub advisories: u64,
    /// Withdrawn advisories (stored, never matched).
    pub withdrawn: u64,
    /// Advisories per ecosystem key, sorted by ecosystem.
    pub ecosystems: Vec<(String, u64)>,
    /// CISA KEV entries.
    pub kev: u64,
    /// EPSS scores.
    pub epss: u64,
    /// One entry per imported input.
    pub sources: Vec<Source>,
}

/// An imported input, as recorded in the database.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Source {
    /// The input's file name, or `embedded:curated`.
    pub name: String,
    /// `osv-zip`, `osv-dir`, `osv-json`, `kev` or `epss`.
    pub kind: String,
    /// Records read from it at its last import.
    pub records: u64,
    /// When it was last imported (RFC 3339).
    pub imported_at: String,
    /// The KEV catalog version or the EPSS score date.
    pub detail: Option<String>,
}

/// A vulnerability database, opened read-only.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

/// A matching affected entry of one advisory.
struct Hit {
    id: String,
    aliases: Vec<String>,
    summary: Option<String>,
    severity: Option<Severity>,
    cvss: Option<Cvss>,
    fixed: Vec<Version>,
}

impl Db {
    /// Opens a database written by [`crate::import`], read-only.
    ///
    /// # Errors
    /// [`VulnDbError::Io`] when the file is missing,
    /// [`VulnDbError::SchemaVersion`] when it is not a database of this
    /// schema version, [`VulnDbError::Database`] otherwise.
    pub fn open(path: &Path) -> Result<Self, VulnDbError> {
        Ok(Self {
            conn: schema::open_ro(path)?,
            path: path.to_path_buf(),
        })
    }

    /// An in-memory database of the embedded curated firmware set (real
    /// public advisories for OpenSSL, BusyBox, Dropbear, dnsmasq, curl,
    /// lighttpd, OpenSSH, the Linux kernel, uClibc-ng and musl, with their
    /// KEV flags), so a fresh install answers offline.
    ///
    /// # Errors
    /// [`VulnDbError`] only if the embedded data were broken (a test
    /// guards against that).
    pub fn embedded_default() -> Result<Self, VulnDbError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(db_err(&path))?;
        import_into(&mut conn, &path, &[], &mut |_| ControlFlow::Continue(()))?;
        Ok(Self { conn, path })
    }

    /// [`Db::open`] when `path` exists, else [`Db::embedded_default`].
    ///
    /// # Errors
    /// As [`Db::open`].
    pub fn open_or_default(path: &Path) -> Result<Self, VulnDbError> {
        if path.exists() {
            Self::open(path)
        } else {
            Self::embedded_default()
        }
    }

    /// The database file (`:memory:` for the embedded set).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The vulnerabilities affecting `version` of package `name` in
    /// `ecosystem`, withdrawn advisories excluded, aliases merged.
    ///
    /// `ecosystem` is an OSV ecosystem string (`PyPI`, `Go`, `crates.io`,
    /// `Debian:12` ...; a distribution release must match exactly) or
    /// [`FIRMWARE_ECOSYSTEM`]. Names are compared the way the ecosystem
    /// does (PyPI names PEP 503-normalized, and so on). Versions are
    /// evaluated with `riskmark-ecosystem`, following the OSV schema.
    ///
    /// # Errors
    /// [`VulnDbError::UnknownEcosystem`], [`VulnDbError::InvalidVersion`]
    /// when `version` is not a version of the ecosystem, or
    /// [`VulnDbError::Database`].
    pub fn matches(
        &self,
        ecosystem: &str,
        name: &str,
        version: &str,
    ) -> Result<Vec<Finding>, VulnDbError> {
        let eco = MatchEcosystem::parse(ecosystem)
            .ok_or_else(|| VulnDbError::UnknownEcosystem(ecosystem.to_owned()))?;
        let ordering = eco.ordering();
        let queried =
            Version::parse_in(&ordering, version).map_err(|e| VulnDbError::InvalidVersion {
                ecosystem: ecosystem.to_owned(),
                version: version.to_owned(),
                message: e.to_string(),
            })?;
        let err = db_err(&self.path);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.aliases, a.summary, a.severity, a.cvss_vector, a.cvss_score,
                        f.ranges, f.versions
                 FROM affected f JOIN advisories a ON a.id = f.advisory_id
                 WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([eco.key(), eco.normalize_name(name)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<f64>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(&err)?;
        let mut hits: Vec<Hit> = Vec::new();
        for row in rows {
            let (id, aliases, summary, severity, vector, score, ranges, versions) =
                row.map_err(&err)?;
            let ranges: Vec<Range> = serde_json::from_str(&ranges).unwrap_or_default();
            let versions: Vec<String> = serde_json::from_str(&versions).unwrap_or_default();
            if !affects(&ordering, version, &ranges, &versions) {
                continue;
            }
            let fixed = fixed_above(&ordering, &queried, version, &ranges);
            // Two affected entries of one advisory for the same package
            // (Go lists a module once per range set): one hit.
            if let Some(h) = hits.iter_mut().find(|h| h.id == id) {
                h.fixed.extend(fixed);
                continue;
            }
            hits.push(Hit {
                id,
                aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                summary,
                severity: severity.as_deref().and_then(Severity::from_label),
                cvss: vector
                    .zip(score)
                    .map(|(vector, score)| Cvss { vector, score }),
                fixed,
            });
        }
        let mut findings = Vec::new();
        for group in merge(hits) {
            findings.push(self.finding(group)?);
        }
        findings.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(findings)
    }

    /// [`Db::matches`] for a purl with a version: the purl types that
    /// `riskmark-ecosystem` maps to OSV ecosystems, and `pkg:generic/<name>`
    /// for the curated firmware set ([`FIRMWARE_ECOSYSTEM`]).
    ///
    /// # Errors
    /// [`VulnDbError::Purl`] when the purl is malformed, has no version or
    /// is of a type without vulnerability data; as [`Db::matches`]
    /// otherwise.
    pub fn matches_purl(&self, purl: &str) -> Result<Vec<Finding>, VulnDbError> {
        use riskmark_ecosystem::{Purl, PurlMapping, map_purl};
        let bad = |message: String| VulnDbError::Purl {
            purl: purl.to_owned(),
            message,
        };
        let (eco, name, version) = match map_purl(purl).map_err(|e| bad(e.to_string()))? {
            PurlMapping::Mapped(p) => (p.ecosystem.to_string(), p.name, p.version),
            PurlMapping::Unsupported { kind } if kind == "generic" => {
                let p = Purl::parse(purl).map_err(|e| bad(e.to_string()))?;
                (FIRMWARE_ECOSYSTEM.to_owned(), p.name, p.version)
            }
            PurlMapping::Unsupported { kind } => {
                return Err(bad(format!("purl type `{kind}` has no vulnerability data")));
            }
        };
        let version = version.ok_or_else(|| bad("the purl has no version".to_owned()))?;
        self.matches(&eco, &name, &version)
    }

    fn finding(&self, hits: Vec<Hit>) -> Result<Finding, VulnDbError> {
        let err = db_err(&self.path);
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for h in &hits {
            ids.insert(h.id.clone());
            ids.extend(h.aliases.iter().cloned());
        }
        let cves: Vec<&String> = ids.iter().filter(|i| i.starts_with("CVE-")).collect();
        let mut advisories: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        advisories.sort();
        let id = cves
            .first()
            .map(|c| (*c).clone())
            .or_else(|| advisories.first().cloned())
            .unwrap_or_default();
        let mut kev = false;
        let mut epss: Option<f64> = None;
        for cve in &cves {
            kev |= self
                .conn
                .query_row("SELECT 1 FROM kev WHERE cve = ?1", [cve], |_| Ok(()))
                .optional()
                .map_err(&err)?
                .is_some();
            let e: Option<f64> = self
                .conn
                .query_row("SELECT epss FROM epss WHERE cve = ?1", [cve], |r| r.get(0))
                .optional()
                .map_err(&err)?;
            epss = match (epss, e) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        let mut hits = hits;
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        let cvss = hits
            .iter()
            .filter_map(|h| h.cvss.clone())
            .max_by(|a, b| a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal));
        let severity = cvss
            .as_ref()
            .and_then(Cvss::severity)
            .or_else(|| hits.iter().filter_map(|h| h.severity).max());
        let summary = hits.iter().find_map(|h| h.summary.clone());
        let mut fixed: Vec<Version> = hits.into_iter().flat_map(|h| h.fixed).collect();
        fixed.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
        fixed.dedup_by(|a, b| a.as_str() == b.as_str());
        Ok(Finding {
            aliases: ids.into_iter().filter(|i| *i != id).collect(),
            id,
            advisories,
            summary,
            severity,
            cvss,
            kev,
            epss,
            fixed: fixed.into_iter().map(|v| v.as_str().to_owned()).collect(),
        })
    }

    /// Counts, build time and sources.
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn stats(&self) -> Result<Stats, VulnDbError> {
        let err = db_err(&self.path);
        let count = |sql: &str| -> Result<u64, VulnDbError> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0)).map_err(&err)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let built_at = schema::meta(&self.conn, "built_at")
            .map_err(&err)?
            .and_then(|s| s.parse().ok());
        let mut stmt = self
            .conn
            .prepare(
                "SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected
                 GROUP BY ecosystem ORDER BY ecosystem",
            )
            .map_err(&err)?;
        let ecosystems = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind, records, imported_at, detail FROM sources ORDER BY name")
            .map_err(&err)?;
        let sources = stmt
            .query_map([], |r| {
                Ok(Source {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    records: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    imported_at: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        Ok(Stats {
            schema_version: SCHEMA_VERSION,
            built_at,
            advisories: count("SELECT COUNT(*) FROM advisories")?,
            withdrawn: count("SELECT COUNT(*) FROM advisories WHERE withdrawn IS NOT NULL")?,
            ecosystems,
            kev: count("SELECT COUNT(*) FROM kev")?,
            epss: count("SELECT COUNT(*) FROM epss")?,
            sources,
        })
    }
}

/// Whether the version is affected: listed, or inside one evaluable range.
/// Ranges are evaluated one at a time, so one range with a malformed
/// event version does not hide the others.
fn affects(eco: &Ecosystem, version: &str, ranges: &[Range], versions: &[String]) -> bool {
    if !versions.is_empty() && evaluate(eco, version, &[], versions).is_ok_and(|e| e.affected) {
        return true;
    }
    ranges
        .iter()
        .any(|r| evaluate(eco, version, std::slice::from_ref(r), &[]).is_ok_and(|e| e.affected))
}

/// The `fixed` events above the queried version.
fn fixed_above(
    eco: &Ecosystem,
    queried: &Version,
    version: &str,
    ranges: &[Range],
) -> Vec<Version> {
    let mut out = Vec::new();
    for r in ranges {
        let scheme = match r.kind {
            RangeKind::Semver => Scheme::SemVer,
            RangeKind::Ecosystem => eco.scheme(),
            _ => continue,
        };
        let q = if scheme == queried.scheme() {
            Some(queried.clone())
        } else {
            Version::parse(scheme, version).ok()
        };
        let Some(q) = q else { continue };
        for e in &r.events {
            if let Event::Fixed(f) = e
                && let Ok(f) = Version::parse(scheme, f)
                && f > q
            {
                out.push(f);
            }
        }
    }
    out
}

/// Groups hits that share an id or alias.
fn merge(hits: Vec<Hit>) -> Vec<Vec<Hit>> {
    let mut groups: Vec<(BTreeSet<String>, Vec<Hit>)> = Vec::new();
    for hit in hits {
        let mut keys: BTreeSet<String> = hit.aliases.iter().cloned().collect();
        keys.insert(hit.id.clone());
        let mut members = vec![hit];
        let mut i = 0;
        while i < groups.len() {
            if groups[i].0.intersection(&keys).next().is_some() {
                let (k, h) = groups.swap_remove(i);
                keys.extend(k);
                members.extend(h);
            } else {
                i += 1;
            }
        }
        groups.push((keys, members));
    }
    groups.into_iter().map(|(_, h)| h).collect()
}

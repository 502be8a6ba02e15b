//! Reading the database: matching a package version ([`Finding`]s), statistics
//! ([`Stats`]).

mod finding;
mod stats;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use riskmark_ecosystem::{Ecosystem, Event, Range, RangeKind, Scheme, Version, evaluate};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

pub use finding::{Confidence, Finding};
pub use stats::{Source, Stats, Storage};

use crate::cpe::Cpe;
use crate::eco::{FIRMWARE_ECOSYSTEM, MatchEcosystem};
use crate::error::{VulnDbError, db_err};
use crate::import::import_into;
use crate::nvd;
use crate::schema;
use crate::severity::{Cvss, Severity};

/// A vulnerability database, opened read-only.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// The database has the NVD tables.
    nvd: bool,
    /// Inside [`Db::read_snapshot`]: whether `cpe_match` has rows, asked
    /// once on first use and forgotten when the snapshot ends.
    snapshot: RefCell<Option<Option<bool>>>,
}

/// A package as the database indexes advisories: an ecosystem key (`PyPI`, `Debian`,
/// `riskmark:firmware`, or `cpe`) and a normalized name (`vendor:product` for CPEs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PackageKey {
    /// The ecosystem key.
    pub ecosystem: String,
    /// The normalized name.
    pub name: String,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A matching affected entry of one advisory.
struct Hit {
    id: String,
    aliases: Vec<String>,
    summary: Option<String>,
    severity: Option<Severity>,
    cvss: Option<Cvss>,
    fixed: Vec<Version>,
    confidence: Confidence,
}

impl Db {
    /// Opens a database written by [`crate::import`], read-only.
    ///
    /// # Errors
    /// [`VulnDbError::Io`] when the file is missing,
    /// [`VulnDbError::SchemaVersion`] when it is not a database of this
    /// schema version, [`VulnDbError::Database`] otherwise.
    pub fn open(path: &Path) -> Result<Self, VulnDbError> {
        let conn = schema::open_ro(path)?;
        let nvd = schema::has_table(&conn, "nvd_cves").map_err(db_err(path))?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            nvd,
            snapshot: RefCell::new(None),
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
        import_into(&mut conn, &path, &[], true, None, &mut |_| {
            ControlFlow::Continue(())
        })?;
        // The embedded set was built when its data was written, not when this process
        // loaded it: its date is the newest advisory's modification time.
        conn.execute(
            "UPDATE meta SET value = (SELECT max(modified) FROM advisories)
             WHERE key = 'built_at' AND EXISTS (SELECT 1 FROM advisories)",
            [],
        )
        .map_err(db_err(&path))?;
        schema::plan_once(&conn, &path)?;
        Ok(Self {
            conn,
            path,
            nvd: true,
            snapshot: RefCell::new(None),
        })
    }

    /// [`Db::open`] when `path` holds a database, else [`Db::embedded_default`]: when there
    /// is no file, or only one left empty by an interrupted first import
    /// ([`VulnDbError::Unfinished`]).
    ///
    /// # Errors
    /// As [`Db::open`].
    pub fn open_or_default(path: &Path) -> Result<Self, VulnDbError> {
        if !path.exists() {
            return Self::embedded_default();
        }
        match Self::open(path) {
            // An interrupted first import stored nothing: as if there were no file.
            Err(VulnDbError::Unfinished { .. }) => Self::embedded_default(),
            other => other,
        }
    }

    /// Runs `f` inside one read transaction, so that its queries see one
    /// snapshot of the database and share one lock instead of taking and
    /// releasing it per query (a scan of thousands of components runs
    /// thousands of queries). Inside a transaction already, just runs `f`.
    ///
    /// # Errors
    /// What `f` returns, or [`VulnDbError::Database`] when the transaction
    /// cannot begin or end.
    pub fn read_snapshot<T>(
        &self,
        f: impl FnOnce(&Self) -> Result<T, VulnDbError>,
    ) -> Result<T, VulnDbError> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        let err = db_err(&self.path);
        self.conn.execute_batch("BEGIN").map_err(&err)?;
        *self.snapshot.borrow_mut() = Some(None);
        let out = f(self);
        *self.snapshot.borrow_mut() = None;
        // A read transaction has nothing to keep: end it either way.
        let end = self.conn.execute_batch("COMMIT").map_err(&err);
        let out = out?;
        end?;
        Ok(out)
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
        let (key, name) = (eco.key(), eco.normalize_name(name));
        // Most components of an SBOM have no advisory at all. Their query
        // (a cached statement, one index probe) costs a few thousand
        // instructions, less than reading every package name of the
        // database into a set first, and it does not grow with the database.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.aliases, a.summary, a.severity, a.cvss_vector, a.cvss_score,
                        f.ranges, f.versions
                 FROM affected f JOIN advisories a ON a.id = f.advisory_id
                 WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([key, name], |r| {
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
                confidence: Confidence::High,
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

    /// The packages a component's advisories are indexed under: its purl's (ecosystem,
    /// normalized name), else its name in the curated firmware set, plus
    /// `("cpe", "vendor:product")` for each CPE. A registry keeps these to find the
    /// devices a changed advisory affects without rescanning them.
    pub fn package_keys(purl: Option<&str>, name: &str, cpes: &[String]) -> Vec<PackageKey> {
        use riskmark_ecosystem::{Purl, PurlMapping, map_purl};
        let mut keys = Vec::new();
        let firmware = |n: &str| PackageKey {
            ecosystem: FIRMWARE_ECOSYSTEM.to_owned(),
            name: MatchEcosystem::Firmware.normalize_name(n),
        };
        match purl.map(map_purl) {
            Some(Ok(PurlMapping::Mapped(p))) => {
                let eco = MatchEcosystem::Osv(p.ecosystem);
                keys.push(PackageKey {
                    ecosystem: eco.key(),
                    name: eco.normalize_name(&p.name),
                });
            }
            Some(Ok(PurlMapping::Unsupported { kind })) if kind == "generic" => {
                if let Some(p) = purl.and_then(|p| Purl::parse(p).ok()) {
                    keys.push(firmware(&p.name));
                }
            }
            Some(_) => {}
            None if !name.trim().is_empty() => keys.push(firmware(name)),
            None => {}
        }
        for c in cpes {
            if let Some((vendor, product)) = Cpe::parse(c).ok().and_then(|c| c.key()) {
                keys.push(PackageKey {
                    ecosystem: "cpe".into(),
                    name: format!("{vendor}:{product}"),
                });
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// A digest of what the database says about a package: its advisories (ids,
    /// modification times, withdrawals) and whether each is known exploited (KEV) or
    /// likely exploited (EPSS >= 0.1). It changes exactly when a re-assessment of a
    /// device with the package could change.
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn package_digest(&self, key: &PackageKey) -> Result<u64, VulnDbError> {
        let err = db_err(&self.path);
        let rows: Vec<(String, i64, bool, String)> = if key.ecosystem == "cpe" {
            if !self.nvd {
                return Ok(FNV_OFFSET);
            }
            let Some((vendor, product)) = key.name.split_once(':') else {
                return Ok(FNV_OFFSET);
            };
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT n.id, n.last_modified_us, n.withdrawn IS NOT NULL, '[]'
                     FROM cpe_match c JOIN nvd_cves n ON n.id = c.cve_id
                     WHERE c.vendor = ?1 AND c.product = ?2 ORDER BY n.id",
                )
                .map_err(&err)?;
            stmt.query_map([vendor, product], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(&err)?
            .collect::<Result<_, _>>()
            .map_err(&err)?
        } else {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT DISTINCT a.id, a.modified_us, a.withdrawn IS NOT NULL, a.aliases
                     FROM affected f JOIN advisories a ON a.id = f.advisory_id
                     WHERE f.ecosystem = ?1 AND f.name = ?2 ORDER BY a.id",
                )
                .map_err(&err)?;
            stmt.query_map([&key.ecosystem, &key.name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(&err)?
            .collect::<Result<_, _>>()
            .map_err(&err)?
        };
        let mut h = FNV_OFFSET;
        let mut feed = |bytes: &[u8]| {
            for b in bytes {
                h ^= u64::from(*b);
                h = h.wrapping_mul(FNV_PRIME);
            }
        };
        for (id, modified, withdrawn, aliases) in rows {
            feed(id.as_bytes());
            feed(&modified.to_le_bytes());
            feed(&[u8::from(withdrawn)]);
            let aliases: Vec<String> = serde_json::from_str(&aliases).unwrap_or_default();
            for cve in std::iter::once(&id)
                .chain(aliases.iter())
                .filter(|a| a.starts_with("CVE-"))
            {
                let kev: bool = self
                    .conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM kev WHERE cve = ?1)")
                    .and_then(|mut s| s.query_row([cve], |r| r.get(0)))
                    .map_err(&err)?;
                let epss: bool = self
                    .conn
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM epss WHERE cve = ?1 AND epss >= 0.1)",
                    )
                    .and_then(|mut s| s.query_row([cve], |r| r.get(0)))
                    .map_err(&err)?;
                feed(&[u8::from(kev), u8::from(epss)]);
            }
        }
        Ok(h)
    }

    /// The `modified` time (microseconds since the epoch) of each of `ids` the
    /// database holds as an OSV advisory; ids it does not hold are left out.
    /// `db sync` compares these with a feed's modified-id list to download
    /// only the records that changed.
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn advisory_modified<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<std::collections::HashMap<String, i64>, VulnDbError> {
        let err = db_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT modified_us FROM advisories WHERE id = ?1")
            .map_err(&err)?;
        let mut out = std::collections::HashMap::new();
        for id in ids {
            let m: Option<i64> = stmt
                .query_row([id], |r| r.get(0))
                .optional()
                .map_err(&err)?;
            if let Some(m) = m {
                out.insert(id.to_owned(), m);
            }
        }
        Ok(out)
    }

    /// Whether the database holds NVD CPE data: without it, every CPE
    /// query answers nothing whatever the platform, so a caller can skip
    /// gathering one.
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn has_cpe_data(&self) -> Result<bool, VulnDbError> {
        if !self.nvd {
            return Ok(false);
        }
        let err = db_err(&self.path);
        let ask = || {
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM cpe_match)", [], |r| r.get(0))
                .map_err(&err)
        };
        let mut snap = self.snapshot.borrow_mut();
        match snap.as_mut() {
            None => ask(),
            Some(Some(known)) => Ok(*known),
            Some(slot @ None) => {
                let known = ask()?;
                *slot = Some(known);
                Ok(known)
            }
        }
    }

    /// The NVD CVEs whose CPE applicability statements name `cpe`, a CPE
    /// 2.3 formatted string, with no knowledge of the platform it runs
    /// on: [`Db::matches_cpe_on`] with no platform CPEs.
    ///
    /// # Errors
    /// As [`Db::matches_cpe_on`].
    pub fn matches_cpe(&self, cpe: &str) -> Result<Vec<Finding>, VulnDbError> {
        self.matches_cpe_on(cpe, &[])
    }

    /// The NVD CVEs whose configurations make the component named by
    /// `cpe` vulnerable, rejected CVEs excluded, one finding per CVE
    /// (merged with other findings by [`Finding::merge`]). `platform` are
    /// the other CPEs of the SBOM, for AND configurations.
    ///
    /// The rules, each guarding a known false-positive pattern:
    ///
    /// - part, vendor and product must be equal (case-insensitive); a
    ///   criteria with `*` (or a pattern) as vendor or product is never
    ///   indexed and never matches, and a query without a literal vendor
    ///   and product is an error;
    /// - an exact criteria version must equal the component's; `*` with
    ///   `versionStart*`/`versionEnd*` bounds is compared in generic
    ///   upstream order (dpkg's algorithm: `1.0.1f < 1.0.1g`), and a bound
    ///   or version that cannot be read does not match; `*` with no bounds
    ///   (every version) matches with [`Confidence::Low`]; a component
    ///   version `*` or `-` matches only such every-version criteria (or
    ///   `-` criteria for `-`);
    /// - an update (`beta1`, `sp1`) in the criteria must be the
    ///   component's; other attributes must be equal when both name them;
    /// - criteria marked `vulnerable: false` never make a component
    ///   affected (they describe platforms);
    /// - a negated configuration never matches; a negated node is a
    ///   platform condition that holds when no SBOM CPE meets it;
    /// - AND configurations (application running on an operating system,
    ///   firmware on hardware): the component must meet a vulnerable
    ///   criteria of one node, and every other node is a platform
    ///   condition checked against `platform`: met by one of its CPEs,
    ///   the match stands; ruled out when the SBOM names CPEs of that
    ///   part (an OS, a hardware) and none meets it, no match; when the
    ///   SBOM names none of that part, the match stands with
    ///   [`Confidence::Low`].
    ///
    /// # Errors
    /// [`VulnDbError::Cpe`] when `cpe` is not a CPE 2.3 formatted string
    /// or has no literal vendor and product, [`VulnDbError::Database`].
    pub fn matches_cpe_on(&self, cpe: &str, platform: &[Cpe]) -> Result<Vec<Finding>, VulnDbError> {
        let bad = |message: String| VulnDbError::Cpe {
            cpe: cpe.to_owned(),
            message,
        };
        let target = Cpe::parse(cpe).map_err(|e| bad(e.to_string()))?;
        let Some((vendor, product)) = target.key() else {
            return Err(bad(
                "vendor and product must be named (not `*`, `-` or a pattern)".to_owned(),
            ));
        };
        if !self.nvd {
            return Ok(Vec::new());
        }
        // A database without NVD data (the tables exist but are empty)
        // answers every CPE with nothing: inside a snapshot, known at once.
        if !self.has_cpe_data()? {
            return Ok(Vec::new());
        }
        let err = db_err(&self.path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.summary, c.severity, c.cvss_vector, c.cvss_score, c.configurations
                 FROM nvd_cves c
                 WHERE c.withdrawn IS NULL AND c.id IN
                   (SELECT cve_id FROM cpe_match WHERE vendor = ?1 AND product = ?2)
                 ORDER BY c.id",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([vendor, product], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(&err)?;
        let mut hits = Vec::new();
        for row in rows {
            let (id, summary, severity, vector, score, configs) = row.map_err(&err)?;
            let configs: Vec<nvd::Config> = serde_json::from_str(&configs).unwrap_or_default();
            let Some(outcome) = nvd::evaluate(&configs, &target, platform) else {
                continue;
            };
            hits.push(Hit {
                id,
                aliases: Vec::new(),
                summary,
                severity: severity.as_deref().and_then(Severity::from_label),
                cvss: vector
                    .zip(score)
                    .map(|(vector, score)| Cvss { vector, score }),
                fixed: outcome.fixed,
                confidence: match outcome.strength {
                    nvd::Strength::Strong => Confidence::High,
                    nvd::Strength::Weak => Confidence::Low,
                },
            });
        }
        let mut findings = Vec::new();
        for group in merge(hits) {
            findings.push(self.finding(group)?);
        }
        findings.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(findings)
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
                .prepare_cached("SELECT 1 FROM kev WHERE cve = ?1")
                .and_then(|mut s| s.query_row([cve], |_| Ok(())).optional())
                .map_err(&err)?
                .is_some();
            let e: Option<f64> = self
                .conn
                .prepare_cached("SELECT epss FROM epss WHERE cve = ?1")
                .and_then(|mut s| s.query_row([cve], |r| r.get(0)).optional())
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
        let confidence = hits
            .iter()
            .map(|h| h.confidence)
            .max()
            .unwrap_or(Confidence::High);
        let mut fixed: Vec<Version> = hits.into_iter().flat_map(|h| h.fixed).collect();
        sort_versions(&mut fixed);
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
            confidence,
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

/// Sorts versions in their ecosystem's order without relying on it being a total
/// order: Maven's `ComparableVersion`, which riskmark follows exactly, is not transitive
/// for odd strings (`1.b/.e0t0a.3` < `1.0.0-beta.11` < `1.0.0` < `1.b/.e0t0a.3`, found
/// by the `version` fuzz target), and the standard sorts may panic on such an order. An
/// insertion sort never does; the lists are a handful of fixed versions.
fn sort_versions(v: &mut [Version]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1].partial_cmp(&v[j]) == Some(Ordering::Greater) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
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
            // A `fixed` that another interval of the range affects again (events
            // listed out of order, read as pairs) fixes nothing.
            if let Event::Fixed(f) = e
                && let Ok(f) = Version::parse(scheme, f)
                && f > q
                && !evaluate(eco, f.as_str(), std::slice::from_ref(r), &[])
                    .is_ok_and(|e| e.affected)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `version` fuzz target's finding: a non-transitive Maven triple sorts without
    /// a panic, and a consistent list comes out in order.
    #[test]
    fn regression_fuzz_version_maven_not_transitive() {
        let parse = |s: &str| Version::parse(Scheme::Maven, s).unwrap();
        let mut odd: Vec<Version> = ["1.0.0", "1.b/.e0t0a.3", "1.0.0-beta.11"]
            .into_iter()
            .map(parse)
            .collect();
        sort_versions(&mut odd);
        assert_eq!(odd.len(), 3);
        let mut plain: Vec<Version> = ["2.0", "1.0-rc1", "1.0", "1.1"]
            .into_iter()
            .map(parse)
            .collect();
        sort_versions(&mut plain);
        let got: Vec<&str> = plain.iter().map(Version::as_str).collect();
        assert_eq!(got, ["1.0-rc1", "1.0", "1.1", "2.0"]);
    }

    /// Inside a snapshot the queries share one transaction and the CPE data
    /// flag is asked once: the answers must be those of the plain queries.
    #[test]
    fn a_snapshot_answers_as_the_plain_queries() {
        let db = Db::embedded_default().unwrap();
        let queries = [
            ("curl", "8.0.1"),
            ("Curl", "8.0.1"),
            ("curl", "99.0"),
            ("no-such-package", "1.0"),
        ];
        let plain: Vec<Vec<Finding>> = queries
            .iter()
            .map(|(n, v)| db.matches(FIRMWARE_ECOSYSTEM, n, v).unwrap())
            .collect();
        assert!(!plain[0].is_empty(), "curl 8.0.1 has curated advisories");
        assert!(plain[3].is_empty());
        let stats = db.stats().unwrap();
        assert!(!stats.ecosystems.is_empty());
        let (snap, snap_stats) = db
            .read_snapshot(|db| {
                let found = queries
                    .iter()
                    .map(|(n, v)| db.matches(FIRMWARE_ECOSYSTEM, n, v))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((found, db.stats()?))
            })
            .unwrap();
        assert_eq!(snap, plain);
        assert_eq!(snap_stats.ecosystems, stats.ecosystems);
        let cpe = "cpe:2.3:a:haxx:curl:8.0.1:*:*:*:*:*:*:*";
        assert_eq!(
            db.read_snapshot(|db| db.matches_cpe(cpe)).unwrap(),
            db.matches_cpe(cpe).unwrap()
        );
        // A CPE without a literal vendor is still an error.
        assert!(
            db.read_snapshot(|db| db.matches_cpe("cpe:2.3:a:*:curl:8.0.1:*:*:*:*:*:*:*"))
                .is_err()
        );
        // A version the ecosystem cannot read is still an error for a
        // package without advisories.
        assert!(
            db.read_snapshot(|db| db.matches("PyPI", "nothing-here", "not a version"))
                .is_err()
        );
        assert!(db.conn.is_autocommit(), "the snapshot ended");
        assert!(db.snapshot.borrow().is_none());
    }
}

//! NVD CVE JSON 2.0 (the API 2.0 response and the JSON 2.0 feed files, same
//! shape) into the lean form the database stores, and the evaluation of
//! its CPE applicability statements (`configurations`) against a
//! component's CPE.

use riskmark_ecosystem::Version;
use serde::{Deserialize, Deserializer, Serialize};

use crate::cpe::{Cpe, CpeValue};
use crate::eco::upstream_version;
use crate::error::{Location, VulnDbError};
use crate::severity::{Cvss, Severity};

/// One CVE as stored.
#[derive(Debug)]
pub(crate) struct NvdCve {
    pub(crate) id: String,
    pub(crate) last_modified: String,
    pub(crate) last_modified_us: i64,
    pub(crate) published: Option<String>,
    pub(crate) status: Option<String>,
    /// `lastModified` when `vulnStatus` is `Rejected`.
    pub(crate) withdrawn: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) cvss: Option<Cvss>,
    pub(crate) severity: Option<Severity>,
    /// JSON of the `configurations` ([`Config`]s).
    pub(crate) configurations: String,
    /// The `(part, vendor, product)` keys of the vulnerable criteria with
    /// a literal vendor and product (lower-cased), deduplicated: the index.
    pub(crate) keys: Vec<(String, String, String)>,
}

/// A feed file (or an API page).
pub(crate) struct NvdFeed {
    /// `timestamp`.
    pub(crate) timestamp: Option<String>,
    pub(crate) cves: Vec<NvdCve>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFeed {
    #[serde(default)]
    timestamp: Option<String>,
    vulnerabilities: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawItem {
    cve: RawCve,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCve {
    id: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(deserialize_with = "nvd_time")]
    last_modified: String,
    #[serde(default)]
    vuln_status: Option<String>,
    #[serde(default)]
    descriptions: Vec<LangString>,
    #[serde(default)]
    metrics: RawMetrics,
    #[serde(default)]
    configurations: Vec<Config>,
}

#[derive(Deserialize)]
struct LangString {
    lang: String,
    value: String,
}

#[derive(Deserialize, Default)]
struct RawMetrics {
    #[serde(default, rename = "cvssMetricV40")]
    v40: Vec<RawMetric>,
    #[serde(default, rename = "cvssMetricV31")]
    v31: Vec<RawMetric>,
    #[serde(default, rename = "cvssMetricV30")]
    v30: Vec<RawMetric>,
    #[serde(default, rename = "cvssMetricV2")]
    v2: Vec<RawMetric>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMetric {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    cvss_data: RawCvssData,
    /// v2 puts the qualitative rating here.
    #[serde(default)]
    base_severity: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCvssData {
    vector_string: String,
    #[serde(default)]
    base_score: Option<f64>,
    #[serde(default)]
    base_severity: Option<String>,
}

/// `AND` or `OR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum Operator {
    And,
    #[default]
    Or,
}

/// A configuration: its nodes joined by `operator` (absent: one node, or
/// the nodes are alternatives).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Config {
    #[serde(default)]
    pub(crate) operator: Option<Operator>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) negate: bool,
    pub(crate) nodes: Vec<Node>,
}

/// A node: its criteria joined by `operator`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Node {
    #[serde(default)]
    pub(crate) operator: Operator,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) negate: bool,
    #[serde(rename = "cpeMatch")]
    pub(crate) cpe_match: Vec<CpeMatch>,
}

/// A match criteria: a CPE name, with version bounds when its version is
/// `*`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CpeMatch {
    pub(crate) vulnerable: bool,
    #[serde(deserialize_with = "criteria")]
    pub(crate) criteria: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version_start_including: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version_start_excluding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version_end_including: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version_end_excluding: Option<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// A `criteria` must be a CPE 2.3 formatted string: checked while
/// deserializing, so the error carries the line and the field path.
fn criteria<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    Cpe::parse(&s).map_err(|e| serde::de::Error::custom(format!("invalid CPE {s:?}: {e}")))?;
    Ok(s)
}

/// `lastModified` must be a time (NVD writes `2024-06-10T17:15:58.230`,
/// UTC without an offset).
fn nvd_time<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if time_us(&s).is_none() {
        return Err(serde::de::Error::custom(format!("not a time: {s:?}")));
    }
    Ok(s)
}

/// An NVD time in microseconds since the epoch: RFC 3339, or an ISO 8601
/// date-time without offset read as UTC.
pub(crate) fn time_us(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_microsecond());
    }
    // `2024-06-10T17:15:58.230`: a civil date-time, UTC.
    let _: jiff::civil::DateTime = s.parse().ok()?;
    let t: jiff::Timestamp = format!("{s}Z").parse().ok()?;
    Some(t.as_microsecond())
}

/// Parses a feed file. `loc` names the file for errors, which carry the
/// line, column and field path (`vulnerabilities[3].cve.configurations[0]
/// .nodes[0].cpeMatch[1].criteria`).
pub(crate) fn parse(bytes: &[u8], loc: &Location) -> Result<NvdFeed, VulnDbError> {
    if let Some((line, column, message)) = crate::feeds::not_utf8(bytes) {
        return Err(VulnDbError::Nvd {
            location: Box::new(loc.clone().at(line, Some(column))),
            field: None,
            message,
        });
    }
    let raw: RawFeed = match serde_json::from_slice(bytes) {
        Ok(r) => r,
        Err(e) => {
            // Only on failure: parse again tracking the path.
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let field = match serde_path_to_error::deserialize::<_, RawFeed>(&mut de) {
                Err(pe) => Some(pe.path().to_string()),
                Ok(_) => None,
            };
            return Err(VulnDbError::Nvd {
                location: Box::new(loc.clone().at(e.line(), Some(e.column()))),
                field,
                message: e.to_string(),
            });
        }
    };
    let mut cves = Vec::with_capacity(raw.vulnerabilities.len());
    for (i, item) in raw.vulnerabilities.into_iter().enumerate() {
        let c = item.cve;
        if c.id.trim().is_empty() {
            return Err(VulnDbError::Nvd {
                location: Box::new(loc.clone()),
                field: Some(format!("vulnerabilities[{i}].cve.id")),
                message: "the id is empty".to_owned(),
            });
        }
        cves.push(lean(c));
    }
    Ok(NvdFeed {
        timestamp: raw.timestamp,
        cves,
    })
}

fn lean(c: RawCve) -> NvdCve {
    let last_modified_us = time_us(&c.last_modified).unwrap_or(0);
    let rejected = c
        .vuln_status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("rejected"));
    let description = c
        .descriptions
        .iter()
        .find(|d| d.lang.eq_ignore_ascii_case("en"))
        .or_else(|| c.descriptions.first())
        .map(|d| d.value.trim().to_owned())
        .filter(|d| !d.is_empty());
    let (cvss, label) = metrics(&c.metrics);
    let severity = cvss.as_ref().and_then(Cvss::severity).or(label);
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for cfg in &c.configurations {
        for node in &cfg.nodes {
            for m in node.cpe_match.iter().filter(|m| m.vulnerable) {
                let Ok(cpe) = Cpe::parse(&m.criteria) else {
                    continue;
                };
                // Criteria with a wildcard vendor or product are never
                // indexed: they would match every product.
                let Some((vendor, product)) = cpe.key() else {
                    continue;
                };
                let part = cpe.part.as_value().unwrap_or("*").to_ascii_lowercase();
                let k = (part, vendor, product);
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    NvdCve {
        summary: description.as_deref().map(one_line),
        description,
        withdrawn: rejected.then(|| c.last_modified.clone()),
        id: c.id.trim().to_owned(),
        last_modified_us,
        last_modified: c.last_modified,
        published: c.published,
        status: c.vuln_status,
        cvss,
        severity,
        configurations: serde_json::to_string(&c.configurations)
            .unwrap_or_else(|_| "[]".to_owned()),
        keys,
    }
}

/// The first line, at most about 160 characters, cut at a word.
fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= 160 {
        return line.to_owned();
    }
    let cut: String = line.chars().take(157).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}...", cut.trim_end_matches([',', ';', ':']))
}

/// The CVSS to report: v3.1, then v3.0, v4.0, v2 (as for OSV: v3 is what
/// thresholds are written against); the `Primary` metric (NVD's own) of a
/// version before `Secondary` ones (CNAs').
fn metrics(m: &RawMetrics) -> (Option<Cvss>, Option<Severity>) {
    let mut label = None;
    for list in [&m.v31, &m.v30, &m.v40, &m.v2] {
        let mut sorted: Vec<&RawMetric> = list.iter().collect();
        sorted.sort_by_key(|x| {
            !x.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("primary"))
        });
        for x in sorted {
            let l = x
                .cvss_data
                .base_severity
                .as_deref()
                .or(x.base_severity.as_deref())
                .and_then(Severity::from_label);
            label = label.or(l);
            let vector = x.cvss_data.vector_string.trim();
            if let Some(c) = Cvss::from_vector(vector) {
                return (Some(c), label);
            }
            // v2 vectors come without a `CVSS:` prefix, which the cvss
            // crate may not take: keep NVD's base score then.
            if let Some(score) = x.cvss_data.base_score.filter(|s| s.is_finite()) {
                return (
                    Some(Cvss {
                        vector: vector.to_owned(),
                        score,
                    }),
                    label,
                );
            }
        }
    }
    (None, label)
}

/// How sure a CPE match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// The criteria names every version (`*`, no bounds), or the platform
    /// an AND configuration requires is not known from the SBOM.
    Weak,
    /// An exact version, or a version inside explicit bounds.
    Strong,
}

/// The outcome of one configuration for a component.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) strength: Strength,
    /// `versionEndExcluding` of the matching bounded criteria.
    pub(crate) fixed: Vec<Version>,
}

impl Outcome {
    fn absorb(&mut self, o: Self) {
        self.strength = self.strength.max(o.strength);
        self.fixed.extend(o.fixed);
    }
}

/// Evaluates configurations for a component CPE, given the platform CPEs
/// (the other CPEs of the SBOM). `None`: not affected.
pub(crate) fn evaluate(configs: &[Config], comp: &Cpe, platform: &[Cpe]) -> Option<Outcome> {
    let mut best: Option<Outcome> = None;
    for cfg in configs {
        if let Some(o) = evaluate_config(cfg, comp, platform) {
            match &mut best {
                Some(b) => b.absorb(o),
                None => best = Some(o),
            }
        }
    }
    best
}

/// A condition of a conjunction: one of its entries must hold (or, when
/// negated, none).
struct Condition<'a> {
    negate: bool,
    entries: Vec<&'a CpeMatch>,
}

fn evaluate_config(cfg: &Config, comp: &Cpe, platform: &[Cpe]) -> Option<Outcome> {
    // A negated configuration says where the CVE does NOT apply: it
    // never makes a component affected.
    if cfg.negate {
        return None;
    }
    // Conjunctions of conditions, any of which suffices.
    let mut alternatives: Vec<Vec<Condition<'_>>> = Vec::new();
    fn node_conditions(n: &Node) -> Vec<Condition<'_>> {
        match n.operator {
            Operator::Or => vec![Condition {
                negate: n.negate,
                entries: n.cpe_match.iter().collect(),
            }],
            // An AND node: each criteria must hold.
            Operator::And => n
                .cpe_match
                .iter()
                .map(|m| Condition {
                    negate: n.negate,
                    entries: vec![m],
                })
                .collect(),
        }
    }
    match cfg.operator {
        Some(Operator::And) => {
            alternatives.push(cfg.nodes.iter().flat_map(node_conditions).collect());
        }
        _ => {
            for n in &cfg.nodes {
                alternatives.push(node_conditions(n));
            }
        }
    }
    let mut best: Option<Outcome> = None;
    for conds in &alternatives {
        if let Some(o) = evaluate_conjunction(conds, comp, platform) {
            match &mut best {
                Some(b) => b.absorb(o),
                None => best = Some(o),
            }
        }
    }
    best
}

/// What the SBOM says about a platform condition.
#[derive(PartialEq, Eq)]
enum Platform {
    Satisfied,
    Contradicted,
    Unknown,
}

fn evaluate_conjunction(conds: &[Condition<'_>], comp: &Cpe, platform: &[Cpe]) -> Option<Outcome> {
    // The component must be named by a vulnerable criteria of a
    // non-negated condition.
    let mut anchor: Option<(usize, Outcome)> = None;
    for (i, c) in conds.iter().enumerate() {
        if c.negate {
            continue;
        }
        for m in c.entries.iter().filter(|m| m.vulnerable) {
            if let Some(o) = match_criteria(m, comp) {
                match &mut anchor {
                    Some((_, a)) => a.absorb(o),
                    None => anchor = Some((i, o)),
                }
            }
        }
    }
    let (anchor_index, mut outcome) = anchor?;
    for (i, c) in conds.iter().enumerate() {
        if i == anchor_index {
            continue;
        }
        match platform_state(c, comp, platform) {
            Platform::Satisfied => {}
            Platform::Contradicted => return None,
            Platform::Unknown => outcome.strength = Strength::Weak,
        }
    }
    Some(outcome)
}

/// A platform condition (`application AND operating system`): satisfied
/// when a CPE of the SBOM (or the component itself) meets it;
/// contradicted when the SBOM names CPEs of that part (an OS, a hardware)
/// and none meets it; unknown when the SBOM names none of that part. A
/// negated condition is satisfied when no CPE of the SBOM meets it.
fn platform_state(c: &Condition<'_>, comp: &Cpe, platform: &[Cpe]) -> Platform {
    let met = c.entries.iter().any(|m| {
        std::iter::once(comp)
            .chain(platform)
            .any(|p| match_platform(m, p))
    });
    if c.negate {
        return if met {
            Platform::Contradicted
        } else {
            Platform::Satisfied
        };
    }
    if met {
        return Platform::Satisfied;
    }
    let parts: Vec<String> = c
        .entries
        .iter()
        .filter_map(|m| Cpe::parse(&m.criteria).ok())
        .filter_map(|cpe| cpe.part.as_value().map(str::to_ascii_lowercase))
        .collect();
    let declared = platform.iter().any(|p| {
        p.part
            .as_value()
            .is_some_and(|v| parts.iter().any(|x| x.eq_ignore_ascii_case(v)))
    });
    if declared {
        Platform::Contradicted
    } else {
        Platform::Unknown
    }
}

/// Whether a platform criteria names a CPE of the SBOM. NVD writes
/// platforms with version `-` (`cpe:2.3:o:microsoft:windows:-`) meaning
/// the platform whatever its version: such a criteria accepts any version.
fn match_platform(m: &CpeMatch, p: &Cpe) -> bool {
    match Cpe::parse(&m.criteria) {
        Ok(c) if c.version == CpeValue::Na => {
            let mut any = m.clone();
            let mut c = c;
            c.version = CpeValue::Any;
            any.criteria = c.to_string();
            match_criteria(&any, p).is_some()
        }
        _ => match_criteria(m, p).is_some(),
    }
}

/// Whether one criteria names the target CPE, and how strongly.
///
/// - part, vendor and product equal, case-insensitively; a criteria whose
///   vendor or product is `*`, `-` or a pattern never matches;
/// - version: an exact version must equal the target's (so a target
///   without a version does not match it); `-` matches only `-`; `*` with
///   bounds: the target's version must be inside them, compared in
///   upstream order; `*` without bounds matches every version, weakly;
/// - update: when the criteria names one (`beta1`, `sp1`), the target
///   must name the same (`1.0.2` release does not match `1.0.2:beta1`);
///   a criteria update `-` accepts a target with `*` or `-`;
/// - the other attributes (edition, language, sw_edition, target_sw,
///   target_hw, other) must be equal when both sides name them.
pub(crate) fn match_criteria(m: &CpeMatch, target: &Cpe) -> Option<Outcome> {
    let c = Cpe::parse(&m.criteria).ok()?;
    match &c.part {
        CpeValue::Any => {}
        p => {
            if !target.part.is_any() && !p.same(&target.part) {
                return None;
            }
        }
    }
    let (cv, cp) = (c.vendor.as_value()?, c.product.as_value()?);
    let (tv, tp) = (target.vendor.as_value()?, target.product.as_value()?);
    if !crate::cpe::eq_ci(cv, tv) || !crate::cpe::eq_ci(cp, tp) {
        return None;
    }
    match &c.update {
        CpeValue::Any => {}
        CpeValue::Na => {
            if !matches!(target.update, CpeValue::Any | CpeValue::Na) {
                return None;
            }
        }
        u => {
            if !u.same(&target.update) {
                return None;
            }
        }
    }
    for ((_, a), (_, b)) in c.qualifiers().iter().zip(target.qualifiers()).skip(1) {
        if a.is_any() || b.is_any() {
            continue;
        }
        if !a.same(b) {
            return None;
        }
    }
    let bounded = m.version_start_including.is_some()
        || m.version_start_excluding.is_some()
        || m.version_end_including.is_some()
        || m.version_end_excluding.is_some();
    match (&c.version, bounded) {
        (CpeValue::Value(v), _) => {
            let t = target.version.as_value()?;
            crate::cpe::eq_ci(v, t).then(|| Outcome {
                strength: Strength::Strong,
                fixed: Vec::new(),
            })
        }
        (CpeValue::Na, _) => matches!(target.version, CpeValue::Na).then(|| Outcome {
            strength: Strength::Strong,
            fixed: Vec::new(),
        }),
        (CpeValue::Pattern(_), _) => None,
        (CpeValue::Any, false) => Some(Outcome {
            strength: Strength::Weak,
            fixed: Vec::new(),
        }),
        (CpeValue::Any, true) => {
            let t = upstream_version(target.version.as_value()?)?;
            let bound = |b: &Option<String>| -> Option<Option<Version>> {
                match b {
                    None => Some(None),
                    Some(s) => upstream_version(s).map(Some),
                }
            };
            // A bound that cannot be read: no match rather than a guess.
            let si = bound(&m.version_start_including)?;
            let se = bound(&m.version_start_excluding)?;
            let ei = bound(&m.version_end_including)?;
            let ee = bound(&m.version_end_excluding)?;
            let ok = si.as_ref().is_none_or(|b| t >= *b)
                && se.as_ref().is_none_or(|b| t > *b)
                && ei.as_ref().is_none_or(|b| t <= *b)
                && ee.as_ref().is_none_or(|b| t < *b);
            ok.then(|| Outcome {
                strength: Strength::Strong,
                fixed: ee.into_iter().collect(),
            })
        }
    }
}

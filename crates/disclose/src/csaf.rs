//! CSAF 2.0: a `csaf_vex` document for the device's known vulnerabilities, and a
//! `provider-metadata.json` stub for the publisher.
//!
//! The product tree has the firmware as vendor → product name → product version (with
//! the model number, and the SBOM's URL when `disclosure.sbom` is one), each component
//! with findings as a full product name identified by purl and CPE, and one
//! `default_component_of` relationship per component: "component X as a component of the
//! firmware". Statuses are stated for these relationship products (a finding on the
//! SBOM's top-level component is stated for the firmware itself):
//!
//! | scan status (VEX) | CSAF |
//! |---|---|
//! | affected | `known_affected`, with a `vendor_fix` remediation naming the fixed versions (or `none_available`) |
//! | not affected | `known_not_affected`, with the justification as a flag and the statement as an impact threat |
//! | fixed | `fixed` |
//! | under investigation | `under_investigation` |
//! | affected, low confidence (a loose CPE match) | `under_investigation`, with a note |
//!
//! CVSS v2 and v3 vectors become `scores`; a CISA KEV listing becomes an `exploit_status`
//! threat. CSAF 2.0 has no place for CVSS v4 vectors: they are left out, with a warning.
//! Ids and dates derive from the profile and the as-of day only, so the same inputs give
//! the same document.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use riskmark_model::Profile;
use riskmark_sbom::Sbom;
use riskmark_scan::{Confidence, FindingStatus, Scan, ScanFinding};
use serde_json::{Value, json};

use crate::{DiscloseError, Generated, day_start, is_https_url, manufacturer_domain, slug};

/// What to build from, besides the profile and the scan.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The day the documents speak for: tracking dates, `last_updated`, the tracking id.
    pub as_of: Date,
    /// The scanned SBOM, for the components' CPEs.
    pub sbom: Option<&'a Sbom>,
}

/// The CSAF files.
#[derive(Debug, Clone, PartialEq)]
pub struct CsafFiles {
    /// The `csaf_vex` document; `None` when the scan found no vulnerability (CSAF needs at
    /// least one in a VEX document).
    pub vex: Option<Value>,
    /// Its file name under CSAF 2.0 section 5.1 (lower-cased tracking id, `.json`).
    pub vex_file_name: String,
    /// The provider metadata (`provider-metadata.json`).
    pub provider_metadata: Value,
}

/// Builds the CSAF VEX document and the provider metadata.
pub fn generate(
    profile: &Profile,
    scan: &Scan,
    opts: Options<'_>,
) -> Result<Generated<CsafFiles>, DiscloseError> {
    let mut warnings = Vec::new();
    let (domain, _) = manufacturer_domain(profile).ok_or_else(|| {
        DiscloseError::new(
            "disclosure.policy_url",
            "CSAF needs the publisher's namespace: declare an https `disclosure.policy_url` (or a `disclosure.contact` with a domain)",
        )
    })?;
    let publisher = publisher(profile, &domain);
    let provider_metadata = provider_metadata(profile, &publisher, &domain, opts.as_of);

    let p = &profile.product;
    let fw_version = p
        .firmware_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let tracking_id = format!(
        "{}-VEX-{}{}",
        slug(&p.model).to_ascii_uppercase(),
        fw_version.map_or_else(String::new, |v| format!("{}-", slug(v))),
        opts.as_of.strftime("%Y%m%d")
    );
    let vex_file_name = format!("{}.json", file_stem(&tracking_id));

    if scan.findings.is_empty() {
        warnings.push(format!(
            "{}: no known vulnerabilities: no CSAF VEX document (CSAF needs at least one vulnerability)",
            scan.sbom
        ));
        return Ok(Generated {
            content: CsafFiles {
                vex: None,
                vex_file_name,
                provider_metadata,
            },
            warnings,
        });
    }

    let fw_name = match fw_version {
        Some(v) => format!("{} {v}", p.name),
        None => p.name.clone(),
    };
    let fw_pid = match fw_version {
        Some(v) => format!("{}-{}", slug(&p.model), slug(v)),
        None => slug(&p.model),
    };
    let root_id = opts
        .sbom
        .and_then(|s| s.root.as_ref())
        .map(|r| r.id.as_str());

    // Components with findings, in a stable order, each with its product id.
    let mut comps: Vec<&ScanFinding> = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &scan.findings {
        if Some(&*f.component_id) != root_id && seen.insert(&*f.component_id) {
            comps.push(f);
        }
    }
    comps.sort_by(|a, b| {
        (&a.component, &a.version, &a.component_id).cmp(&(
            &b.component,
            &b.version,
            &b.component_id,
        ))
    });
    let mut used: BTreeSet<String> = BTreeSet::from([fw_pid.clone()]);
    // component id -> (component product id, relationship product id)
    let mut pids: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let mut full_product_names = Vec::new();
    let mut relationships = Vec::new();
    for c in &comps {
        let base = format!("{}-{}", slug(&c.component), slug(&c.version));
        let mut pid = base.clone();
        let mut n = 2;
        while used.contains(&pid) {
            pid = format!("{base}-{n}");
            n += 1;
        }
        used.insert(pid.clone());
        let rel = format!("{pid}-in-{fw_pid}");
        used.insert(rel.clone());
        let name = format!("{} {}", c.component, c.version);
        let mut helper = serde_json::Map::new();
        if let Some(purl) = c.purl.as_deref().filter(|u| is_purl(u)) {
            helper.insert("purl".into(), json!(purl));
        }
        let cpe = opts
            .sbom
            .and_then(|s| s.component(&c.component_id))
            .and_then(|comp| comp.cpes.iter().find_map(|x| cpe_for_csaf(x)));
        if let Some(cpe) = cpe {
            helper.insert("cpe".into(), json!(cpe));
        }
        if helper.is_empty() {
            // Every product is identifiable (CSAF 6.2.16): a component the SBOM names
            // without purl or CPE gets the generic purl of its name and version.
            helper.insert("purl".into(), json!(generic_purl(&c.component, &c.version)));
        }
        let product = json!({
            "name": name,
            "product_id": pid,
            "product_identification_helper": Value::Object(helper.clone()),
        });
        full_product_names.push(product);
        relationships.push(json!({
            "category": "default_component_of",
            "full_product_name": {
                "name": format!("{name} as a component of {fw_name}"),
                "product_id": rel,
                "product_identification_helper": Value::Object(helper),
            },
            "product_reference": pid,
            "relates_to_product_reference": fw_pid,
        }));
        pids.insert(&*c.component_id, (pid, rel));
    }
    let product_of = |f: &ScanFinding| -> String {
        pids.get(&*f.component_id)
            .map_or_else(|| fw_pid.clone(), |(_, rel)| rel.clone())
    };

    let mut fw_helper = serde_json::Map::new();
    fw_helper.insert("model_numbers".into(), json!([p.model]));
    if let Some(url) = profile
        .disclosure
        .as_ref()
        .and_then(|d| d.sbom.as_deref())
        .filter(|u| is_https_url(u))
    {
        fw_helper.insert("sbom_urls".into(), json!([url]));
    }
    let mut version_branch = json!({
        "category": "product_version",
        "name": fw_version.unwrap_or("unspecified"),
        "product": {
            "name": fw_name,
            "product_id": fw_pid,
            "product_identification_helper": Value::Object(fw_helper),
        }
    });
    if fw_version.is_none() {
        warnings.push(
            "product.firmware_version is not declared: the firmware's product version is `unspecified`".into(),
        );
        version_branch["category"] = json!("product_version_range");
        version_branch["name"] = json!("vers:all/*");
    }
    let mut product_tree = json!({
        "branches": [{
            "category": "vendor",
            "name": p.manufacturer,
            "branches": [{
                "category": "product_name",
                "name": p.name,
                "branches": [version_branch],
            }],
        }],
    });
    if !full_product_names.is_empty() {
        product_tree["full_product_names"] = Value::Array(full_product_names);
        product_tree["relationships"] = Value::Array(relationships);
    }

    // One vulnerability per CVE (or advisory id), in scan order (KEV, then severity).
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&ScanFinding>> = BTreeMap::new();
    for f in &scan.findings {
        let key = cve_of(f).unwrap_or_else(|| f.id.to_string());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(f);
    }
    let mut counts = BTreeMap::<&str, usize>::new();
    let mut v4_skipped = BTreeSet::new();
    let mut vulnerabilities = Vec::new();
    for key in &order {
        let fs = &groups[key];
        let (v, statuses) = vulnerability(key, fs, &product_of, &mut v4_skipped);
        for s in statuses {
            *counts.entry(s).or_default() += 1;
        }
        vulnerabilities.push(v);
    }
    if !v4_skipped.is_empty() {
        warnings.push(format!(
            "CSAF 2.0 has no place for CVSS v4 vectors: left out for {}",
            v4_skipped.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }

    let date = day_start(opts.as_of);
    let summary = format!(
        "Known vulnerabilities of {fw_name} ({}) found by matching its SBOM ({} components) against riskmark's vulnerability database ({}), with VEX statements applied: {} vulnerabilities; product statuses: {} known affected, {} known not affected, {} fixed, {} under investigation.",
        p.model,
        scan.components,
        if scan.db_path == ":memory:" {
            "the embedded curated set"
        } else {
            "an imported database"
        },
        order.len(),
        counts.get("known_affected").copied().unwrap_or(0),
        counts.get("known_not_affected").copied().unwrap_or(0),
        counts.get("fixed").copied().unwrap_or(0),
        counts.get("under_investigation").copied().unwrap_or(0),
    );
    // The canonical URL (CSAF 6.2.11): where the publisher's directory distribution
    // (the provider metadata) puts this document.
    let mut references = Vec::new();
    if let Some(dir) = provider_metadata["distributions"][0]["directory_url"].as_str() {
        references.push(json!({
            "category": "self",
            "summary": "Canonical URL",
            "url": format!("{dir}{}/{vex_file_name}", opts.as_of.year()),
        }));
    }
    if let Some(url) = profile
        .disclosure
        .as_ref()
        .and_then(|d| d.policy_url.as_deref())
        .filter(|u| is_https_url(u))
    {
        references.push(json!({
            "category": "external",
            "summary": "Vulnerability disclosure policy",
            "url": url,
        }));
    }
    let mut document = json!({
        "category": "csaf_vex",
        "csaf_version": "2.0",
        "distribution": { "tlp": { "label": "WHITE", "url": "https://www.first.org/tlp/" } },
        "lang": "en",
        "notes": [{ "category": "summary", "title": "Summary", "text": summary }],
        "publisher": publisher,
        "title": format!("{fw_name}: known vulnerabilities (VEX)"),
        "tracking": {
            "current_release_date": date,
            "generator": { "engine": { "name": "riskmark", "version": env!("CARGO_PKG_VERSION") } },
            "id": tracking_id,
            "initial_release_date": date,
            "revision_history": [{ "date": date, "number": "1", "summary": "Initial version." }],
            "status": "final",
            "version": "1",
        },
    });
    if !references.is_empty() {
        document["references"] = Value::Array(references);
    }
    let vex = json!({
        "document": document,
        "product_tree": product_tree,
        "vulnerabilities": vulnerabilities,
    });
    Ok(Generated {
        content: CsafFiles {
            vex: Some(vex),
            vex_file_name,
            provider_metadata,
        },
        warnings,
    })
}

/// One `vulnerabilities[]` item for the findings of one CVE (or advisory id), and the
/// status of each product it states.
fn vulnerability(
    key: &str,
    fs: &[&ScanFinding],
    product_of: &dyn Fn(&ScanFinding) -> String,
    v4_skipped: &mut BTreeSet<String>,
) -> (Value, Vec<&'static str>) {
    // The first finding per product decides its status (no product in two groups).
    let mut by_product: BTreeMap<String, &ScanFinding> = BTreeMap::new();
    for f in fs {
        by_product.entry(product_of(f)).or_insert(f);
    }
    let mut status: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut flags: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut impacts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut fixes: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    let mut statuses = Vec::new();
    let mut low_confidence = Vec::new();
    for (pid, f) in &by_product {
        // A match the scan is not sure of (a loose CPE match) is not claimed as affected.
        let low = f.confidence == Confidence::Low;
        let s = match f.status {
            FindingStatus::Affected if low => "under_investigation",
            FindingStatus::Affected => "known_affected",
            FindingStatus::NotAffected => "known_not_affected",
            FindingStatus::Fixed => "fixed",
            FindingStatus::UnderInvestigation => "under_investigation",
        };
        statuses.push(s);
        status.entry(s).or_default().push(pid.clone());
        match f.status {
            FindingStatus::NotAffected => {
                let flag = f
                    .vex
                    .as_ref()
                    .and_then(|v| v.justification.as_deref())
                    .and_then(csaf_flag);
                if let Some(flag) = flag {
                    flags.entry(flag).or_default().push(pid.clone());
                }
                let v = f.vex.as_ref();
                let details = match (v.and_then(|v| v.detail.as_deref()), v) {
                    (Some(d), _) if !d.trim().is_empty() => d.trim().to_owned(),
                    (_, Some(v)) => format!(
                        "Not affected according to the VEX statement in {}{}.",
                        v.source,
                        v.justification
                            .as_deref()
                            .map_or_else(String::new, |j| format!(" ({j})"))
                    ),
                    (_, None) => "Not affected.".to_owned(),
                };
                impacts.entry(details).or_default().push(pid.clone());
            }
            FindingStatus::Affected if low => {
                low_confidence.push(pid.clone());
            }
            FindingStatus::Affected => {
                let (available, details) = if f.fixed.is_empty() {
                    (
                        false,
                        format!("No fixed version of {} is known.", f.component),
                    )
                } else {
                    (
                        true,
                        format!(
                            "Fixed in {} {}: update the firmware to a release that contains a fixed version.",
                            f.component,
                            f.fixed.join(", ")
                        ),
                    )
                };
                fixes
                    .entry((available, details))
                    .or_default()
                    .push(pid.clone());
            }
            FindingStatus::Fixed | FindingStatus::UnderInvestigation => {}
        }
    }
    let mut product_status = serde_json::Map::new();
    for (s, ids) in status {
        product_status.insert(s.into(), json!(ids));
    }

    let all_ids: BTreeSet<&str> = fs
        .iter()
        .flat_map(|f| std::iter::once(&*f.id).chain(f.aliases.iter().map(String::as_str)))
        // The key is the `cve` when it is one; any other key (GO-2026-4950) is kept here,
        // or the vulnerability would have no identifier at all (CSAF 6.1.27.8).
        .filter(|id| *id != key || !is_cve(key))
        .collect();
    // CVE ids other than `cve` do not belong in `ids` (CSAF 6.2.17): they are named in
    // a note.
    let other_cves: Vec<&str> = all_ids.iter().copied().filter(|id| is_cve(id)).collect();
    let ids: Vec<Value> = all_ids
        .into_iter()
        .filter(|id| !is_cve(id))
        .map(|id| json!({ "system_name": system_name(id), "text": id }))
        .collect();

    let summary = fs.iter().find_map(|f| f.summary.as_deref()).map(str::trim);
    let components: BTreeSet<String> = fs
        .iter()
        .map(|f| match &f.purl {
            Some(purl) => format!("{} {} ({purl})", f.component, f.version),
            None => format!("{} {}", f.component, f.version),
        })
        .collect();
    let mut notes = vec![json!({
        "category": "description",
        "title": "Description",
        "text": summary.filter(|s| !s.is_empty()).map_or_else(|| format!("{key}."), str::to_owned),
    })];
    notes.push(json!({
        "category": "details",
        "title": "Affected components found in the SBOM",
        "text": components.into_iter().collect::<Vec<_>>().join("; "),
    }));

    if !other_cves.is_empty() {
        notes.push(json!({
            "category": "other",
            "title": "Other CVE ids of this vulnerability",
            "text": other_cves.join(", "),
        }));
    }
    if !low_confidence.is_empty() {
        notes.push(json!({
            "category": "other",
            "title": "Unconfirmed match",
            "text": format!(
                "Found only by a loose CPE match that may be a false positive, so stated as under investigation: {}.",
                low_confidence.join(", ")
            ),
        }));
    }
    let mut v = json!({ "notes": notes, "product_status": product_status });
    if is_cve(key) {
        v["cve"] = json!(key);
    }
    if !ids.is_empty() {
        v["ids"] = Value::Array(ids);
    }
    if let Some(s) = summary.filter(|s| !s.is_empty()) {
        v["title"] = json!(s);
    }
    if !flags.is_empty() {
        v["flags"] = flags
            .into_iter()
            .map(|(label, ids)| json!({ "label": label, "product_ids": ids }))
            .collect();
    }

    let mut threats: Vec<Value> = impacts
        .into_iter()
        .map(|(details, ids)| json!({ "category": "impact", "details": details, "product_ids": ids }))
        .collect();
    if fs.iter().any(|f| f.kev) {
        let affected: Vec<String> = by_product
            .iter()
            .filter(|(_, f)| f.kev && f.status == FindingStatus::Affected)
            .map(|(pid, _)| pid.clone())
            .collect();
        let mut t = json!({
            "category": "exploit_status",
            "details": "Listed in CISA's Known Exploited Vulnerabilities catalog: exploited in the wild.",
        });
        if !affected.is_empty() {
            t["product_ids"] = json!(affected);
        }
        threats.push(t);
    }
    if !threats.is_empty() {
        v["threats"] = Value::Array(threats);
    }

    if !fixes.is_empty() {
        v["remediations"] = fixes
            .into_iter()
            .map(|((available, details), ids)| {
                json!({
                    "category": if available { "vendor_fix" } else { "none_available" },
                    "details": details,
                    "product_ids": ids,
                })
            })
            .collect();
    }

    // Scores: one per vector, for the products whose finding carries it.
    let mut by_vector: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for (pid, f) in &by_product {
        if let Some(c) = &f.cvss {
            // The score in tenths, so it can be a map key.
            let tenths = (c.score * 10.0).round().clamp(0.0, 100.0) as u64;
            by_vector
                .entry((c.vector.clone(), tenths))
                .or_default()
                .push(pid.clone());
        }
    }
    let mut scores = Vec::new();
    for ((vector, tenths), ids) in by_vector {
        let score = tenths as f64 / 10.0;
        let cvss = if let Some(version) = ["3.1", "3.0"]
            .into_iter()
            .find(|v| vector.starts_with(&format!("CVSS:{v}/")))
        {
            json!({ "cvss_v3": {
                "version": version,
                "vectorString": vector,
                "baseScore": score,
                "baseSeverity": v3_severity(score),
            }})
        } else if vector.starts_with("AV:") {
            json!({ "cvss_v2": { "version": "2.0", "vectorString": vector, "baseScore": score } })
        } else {
            v4_skipped.insert(key.to_owned());
            continue;
        };
        let mut s = cvss;
        s["products"] = json!(ids);
        scores.push(s);
    }
    if !scores.is_empty() {
        v["scores"] = Value::Array(scores);
    }
    (v, statuses)
}

/// The provider metadata: `canonical_url` is `disclosure.advisories_url` when it names a
/// `provider-metadata.json`, else `https://DOMAIN/.well-known/csaf/provider-metadata.json`
/// (CSAF 2.0 7.1.9). The role is `csaf_publisher`; the directory distribution it names
/// is where the documents are to be published (under `white/YYYY/`, with `index.txt` and
/// `changes.csv`, which the publisher maintains).
fn provider_metadata(profile: &Profile, publisher: &Value, domain: &str, as_of: Date) -> Value {
    let canonical = profile
        .disclosure
        .as_ref()
        .and_then(|d| d.advisories_url.as_deref())
        .filter(|u| is_https_url(u) && u.ends_with("/provider-metadata.json"))
        .map_or_else(
            || format!("https://{domain}/.well-known/csaf/provider-metadata.json"),
            str::to_owned,
        );
    let dir = canonical.trim_end_matches("provider-metadata.json");
    json!({
        "canonical_url": canonical,
        "distributions": [{ "directory_url": format!("{dir}white/") }],
        "last_updated": day_start(as_of),
        "list_on_CSAF_aggregators": true,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": true,
        "publisher": publisher,
        "role": "csaf_publisher",
    })
}

fn publisher(profile: &Profile, domain: &str) -> Value {
    let mut p = json!({
        "category": "vendor",
        "name": profile.product.manufacturer,
        "namespace": format!("https://{domain}"),
    });
    if let Some(c) = profile
        .disclosure
        .as_ref()
        .and_then(|d| d.contact.as_deref())
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        p["contact_details"] = json!(c);
    }
    p
}

/// A CSAF flag label for a VEX justification (OpenVEX and CSAF share theirs; CycloneDX's
/// are mapped to the nearest CSAF label).
pub fn csaf_flag(justification: &str) -> Option<&'static str> {
    riskmark_vex::Justification::parse(justification).map(riskmark_vex::Justification::csaf_flag)
}

fn cve_of(f: &ScanFinding) -> Option<String> {
    std::iter::once(&*f.id)
        .chain(f.aliases.iter().map(String::as_str))
        .find(|id| is_cve(id))
        .map(str::to_owned)
}

fn is_cve(id: &str) -> bool {
    let mut parts = id.splitn(3, '-');
    parts.next() == Some("CVE")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn system_name(id: &str) -> String {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "CVE" => "CVE".into(),
        "GHSA" => "GitHub Security Advisory".into(),
        "RISKMARK" => "riskmark curated advisory".into(),
        p if p != id && !p.is_empty() => format!("{p} advisory"),
        _ => "advisory".into(),
    }
}

fn v3_severity(score: f64) -> &'static str {
    match score {
        s if s >= 9.0 => "CRITICAL",
        s if s >= 7.0 => "HIGH",
        s if s >= 4.0 => "MEDIUM",
        s if s > 0.0 => "LOW",
        _ => "NONE",
    }
}

/// `pkg:TYPE/...` without white space (the shape the CSAF schema asks for).
fn is_purl(s: &str) -> bool {
    s.strip_prefix("pkg:").is_some_and(|rest| {
        rest.split_once('/').is_some_and(|(ty, name)| {
            !ty.is_empty()
                && !name.is_empty()
                && ty
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
                && !ty.as_bytes()[0].is_ascii_digit()
        })
    }) && !s.contains(char::is_whitespace)
}

/// A CPE in the form the CSAF schema accepts, or `None`: CPE 2.3 formatted strings get
/// every special character of a value quoted with `\` as CPE 2.3 (NISTIR 7695 6.2)
/// requires (SBOM tools often write `x/mod` or `+incompatible` bare); CPE 2.2 URIs are kept
/// when they are well formed. Anything else is left out rather than written wrong.
fn cpe_for_csaf(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("cpe:/") {
        let ok = rest.chars().next().is_none_or(|c| "AHOaho:".contains(c))
            && rest.split(':').count() <= 7
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-~%:".contains(c));
        return ok.then(|| s.to_owned());
    }
    let rest = s.strip_prefix("cpe:2.3:")?;
    // Split on unquoted colons.
    let mut fields = vec![String::new()];
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                fields.last_mut()?.extend(['\\', next]);
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    if fields.len() != 11 {
        return None;
    }
    let part = &fields[0];
    if !matches!(part.as_str(), "a" | "h" | "o" | "*" | "-") {
        return None;
    }
    let mut out = format!("cpe:2.3:{part}");
    for (i, f) in fields.iter().enumerate().skip(1) {
        out.push(':');
        if i == 6 {
            // language: a tag of the shape the schema allows, or a logical value.
            let alpha = |x: &str, n: std::ops::RangeInclusive<usize>| {
                n.contains(&x.len()) && x.chars().all(|c| c.is_ascii_alphabetic())
            };
            let ok = f == "*"
                || f == "-"
                || f.split_once('-').map_or_else(
                    || alpha(f, 2..=3),
                    |(l, r)| {
                        alpha(l, 2..=3)
                            && (alpha(r, 2..=2)
                                || (r.len() == 3 && r.chars().all(|c| c.is_ascii_digit())))
                    },
                );
            if !ok {
                return None;
            }
            out.push_str(f);
        } else {
            out.push_str(&cpe_value(f)?);
        }
    }
    Some(out)
}

/// One CPE 2.3 value, quoted: `*` and `-` alone are the logical values; `*` and `?` at
/// the ends are wildcards; every other character outside `[A-Za-z0-9._-]` is quoted.
fn cpe_value(v: &str) -> Option<String> {
    const QUOTABLE: &str = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~";
    if v == "*" || v == "-" {
        return Some(v.to_owned());
    }
    if v.is_empty() {
        return Some("*".to_owned());
    }
    let chars: Vec<char> = v.chars().collect();
    let has_body = chars.iter().any(|c| !matches!(c, '*' | '?'));
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_end = i == 0 || i == chars.len() - 1;
        match c {
            '\\' => {
                let next = *chars.get(i + 1)?;
                if QUOTABLE.contains(next) {
                    out.extend(['\\', next]);
                } else if next.is_ascii_alphanumeric() || matches!(next, '.' | '_' | '-') {
                    out.push(next);
                } else {
                    return None;
                }
                i += 2;
                continue;
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') => out.push(c),
            '*' | '?' if at_end && has_body => out.push(c),
            c if QUOTABLE.contains(c) => out.extend(['\\', c]),
            _ => return None,
        }
        i += 1;
    }
    Some(out)
}

/// `pkg:generic/NAME@VERSION`, percent-encoded (the purl spec's generic type).
fn generic_purl(name: &str, version: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let name = if name.trim().is_empty() {
        "unnamed"
    } else {
        name.trim()
    };
    if version.trim().is_empty() {
        format!("pkg:generic/{}", enc(name))
    } else {
        format!("pkg:generic/{}@{}", enc(name), enc(version.trim()))
    }
}

/// CSAF 2.0 5.1: the tracking id lower-cased, every character outside `[+\-a-z0-9]`
/// replaced by `_`.
pub fn file_stem(tracking_id: &str) -> String {
    tracking_id
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '+' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2023-38545"));
        assert!(is_cve("CVE-2021-123456"));
        assert!(!is_cve("CVE-23-1"));
        assert!(!is_cve("RISKMARK-CVE-2022-0847"));
        assert!(!is_cve("GHSA-xxxx-yyyy-zzzz"));
    }

    #[test]
    fn flags() {
        assert_eq!(
            csaf_flag("vulnerable_code_not_in_execute_path"),
            Some("vulnerable_code_not_in_execute_path")
        );
        assert_eq!(
            csaf_flag("code_not_reachable"),
            Some("vulnerable_code_not_in_execute_path")
        );
        assert_eq!(csaf_flag("because"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_stem("SF-AX3000-VEX-1-1-4-58-20261124"),
            "sf-ax3000-vex-1-1-4-58-20261124"
        );
        assert_eq!(file_stem("A B/c"), "a_b_c");
    }

    #[test]
    fn purls_and_cpes() {
        assert!(is_purl("pkg:generic/curl@7.74.0"));
        assert!(!is_purl("pkg:curl"));
        assert!(!is_purl("npm/x"));
        assert_eq!(
            cpe_for_csaf("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*").as_deref(),
            Some("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*")
        );
        assert_eq!(cpe_for_csaf("openssl"), None);
        // Real syft CPEs: a Go module path and a +incompatible version, unquoted.
        assert_eq!(
            cpe_for_csaf("cpe:2.3:a:golang:x/mod:v0.17.0:*:*:*:*:*:*:*").as_deref(),
            Some(r"cpe:2.3:a:golang:x\/mod:v0.17.0:*:*:*:*:*:*:*")
        );
        assert_eq!(
            cpe_for_csaf("cpe:2.3:a:docker:docker:v20.10.7+incompatible:*:*:*:*:*:*:*").as_deref(),
            Some(r"cpe:2.3:a:docker:docker:v20.10.7\+incompatible:*:*:*:*:*:*:*")
        );
        // Already quoted stays quoted; wildcards at the ends stay wildcards.
        assert_eq!(
            cpe_for_csaf(r"cpe:2.3:a:x:a\/b:1.*:*:*:*:*:*:*:*").as_deref(),
            Some(r"cpe:2.3:a:x:a\/b:1.*:*:*:*:*:*:*:*")
        );
        assert_eq!(cpe_for_csaf("cpe:2.3:a:x:y:1:*:*:english:*:*:*:*"), None);
        assert_eq!(cpe_for_csaf("cpe:2.3:a:x:y:1:*:*"), None);
        assert_eq!(cpe_for_csaf("cpe:2.3:a:x:y:caf\u{e9}:*:*:*:*:*:*:*"), None);
        assert_eq!(
            cpe_for_csaf("cpe:/a:openssl:openssl:1.1.1").as_deref(),
            Some("cpe:/a:openssl:openssl:1.1.1")
        );
        assert_eq!(
            generic_purl("my lib", "1.0+b"),
            "pkg:generic/my%20lib@1.0%2Bb"
        );
    }
}

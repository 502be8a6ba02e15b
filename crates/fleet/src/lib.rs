//! Fleets: an operator's whole estate through the one engine. Many instances share a
//! model, so each distinct (profile, firmware, SBOM) is assessed once, in parallel, and
//! the result fanned out to its instances. Then every device gets its tier, score,
//! known vulnerabilities (KEV first), support status and the actions that matter, and
//! the actions are ranked across the estate by the risk they remove, weighted by how
//! much each device matters to its operator.
//!
//! The result is one [`Fleet`] value (`riskmark/fleet/v1`) that every renderer reads.
//! The library never prints; progress is reported through a callback.

#![warn(missing_docs)]

mod actions;
pub mod html;
pub mod inventory;
pub mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use riskmark_engine::{Database, Document, Inputs};
use riskmark_model::Diagnostic;
use serde::Serialize;

pub use actions::{Action, ActionKind};
pub use inventory::{Criticality, Instance, Inventory, InventoryError};

/// The JSON schema id of a [`Fleet`].
pub const SCHEMA: &str = "riskmark/fleet/v1";

/// How a fleet is assessed.
#[derive(Debug, Clone)]
pub struct Options {
    /// The vulnerability database.
    pub database: Database,
    /// The date the assessment speaks for.
    pub as_of: jiff::civil::Date,
    /// A risk policy file; `None`: the shipped default.
    pub policy: Option<PathBuf>,
    /// Support ending within this many days asks for replacement planning.
    pub horizon_days: i64,
}

/// One distinct model as the estate runs it: a profile with a firmware and an SBOM.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Its index in [`Fleet::models`].
    pub index: usize,
    /// The profile.
    pub profile: String,
    /// The SBOM scanned (the inventory's, else the firmware image's, else the
    /// profile's), when any.
    pub sbom: Option<String>,
    /// The firmware image analysed, when the inventory gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware_image: Option<String>,
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model number.
    pub model: String,
    /// Category id.
    pub category: String,
    /// The firmware (the inventory's, else the profile's).
    pub firmware_version: Option<String>,
    /// Risk tier.
    pub tier: String,
    /// Risk score, 0-100.
    pub score: u32,
    /// EU CRA class.
    pub cra_class: String,
    /// Each factor's contribution to the score, by name.
    pub factors: BTreeMap<String, i32>,
    /// The active known vulnerabilities, KEV first, then by EPSS and CVSS.
    pub vulnerabilities: Vec<Vulnerability>,
    /// How many of them are in CISA's KEV catalog.
    pub kev: usize,
    /// The highest EPSS probability among them.
    pub max_epss: Option<f64>,
    /// When security updates end, as declared.
    pub support_end: Option<String>,
    /// Support status on the assessment's date.
    pub support: Support,
    /// Days of support left (negative: ended that long ago).
    pub support_days_left: Option<i64>,
    /// Checks whose declared facts fail them.
    pub failing_checks: Vec<String>,
    /// Checks that need evidence.
    pub needs_evidence: Vec<String>,
    /// Applicable frameworks: `pass`, `fail` or `needs-evidence`.
    pub frameworks: BTreeMap<String, String>,
    /// Instances of it in the estate.
    pub instances: usize,
}

/// A known vulnerability of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vulnerability {
    /// CVE or advisory id.
    pub id: String,
    /// The component (name@version).
    pub component: String,
    /// In CISA's KEV catalog.
    pub kev: bool,
    /// EPSS probability.
    pub epss: Option<f64>,
    /// CVSS base score.
    pub cvss: Option<f64>,
    /// Qualitative severity (`critical`, `high`, `medium`, `low`), when known.
    pub severity: Option<String>,
    /// The lowest fixed version, when known.
    pub fixed: Option<String>,
}

/// Support status of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    /// Supported beyond the horizon.
    Supported,
    /// Support ends within the horizon.
    Ending,
    /// Support has ended.
    Expired,
    /// No support end declared.
    Unknown,
}

impl Support {
    /// `supported`, `ending`, `expired` or `unknown`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::Ending => "ending",
            Self::Expired => "expired",
            Self::Unknown => "unknown",
        }
    }
}

/// One device of the estate with its model's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Device {
    /// The operator's id.
    pub device_id: String,
    /// Its model (index into [`Fleet::models`]).
    pub model: usize,
    /// Where it is.
    pub location: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// Its network zone.
    pub network_zone: Option<String>,
    /// How much it matters.
    pub criticality: Criticality,
    /// Other inventory columns.
    pub tags: inventory::Tags,
    /// Risk tier.
    pub tier: &'static str,
    /// Risk score.
    pub score: u32,
    /// Known exploited vulnerabilities.
    pub kev: usize,
    /// Active known vulnerabilities.
    pub vulnerabilities: usize,
    /// Support status.
    pub support: Support,
    /// Days of support left (negative: ended that long ago).
    pub support_days_left: Option<i64>,
    /// The ranks of the actions that cover it.
    pub actions: Vec<usize>,
}

/// Counts for one group (a zone, an owner).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    /// Devices.
    pub devices: usize,
    /// Devices per tier.
    pub tiers: BTreeMap<String, usize>,
    /// Devices with a known exploited vulnerability.
    pub kev_devices: usize,
    /// Devices whose support ended.
    pub expired: usize,
    /// The mean risk score.
    pub mean_score: f64,
}

/// The estate's summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Devices assessed.
    pub devices: usize,
    /// Distinct models (profile, firmware, SBOM) assessed.
    pub models: usize,
    /// Devices per tier.
    pub tiers: BTreeMap<String, usize>,
    /// Per network zone (`-` when none is given).
    pub zones: BTreeMap<String, Group>,
    /// Per owner (`-` when none is given).
    pub owners: BTreeMap<String, Group>,
    /// Devices per support status.
    pub support: BTreeMap<String, usize>,
    /// Devices with a known exploited vulnerability.
    pub kev_devices: usize,
    /// Actions per kind.
    pub actions: BTreeMap<String, usize>,
}

/// A whole estate, assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    /// `riskmark/fleet/v1`.
    pub schema: &'static str,
    /// The inventory.
    pub source: String,
    /// The date it speaks for.
    pub as_of: String,
    /// The summary.
    pub summary: Summary,
    /// Every action, the most risk removed first.
    pub actions: Vec<Action>,
    /// Every distinct model.
    pub models: Vec<Model>,
    /// Every device, the riskiest first.
    pub devices: Vec<Device>,
    /// Inventory rows and models that could not be assessed, located.
    pub problems: Vec<Diagnostic>,
}

/// The key of a distinct model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    profile: PathBuf,
    firmware: Option<String>,
    sbom: Option<PathBuf>,
    image: Option<PathBuf>,
    evidence: Option<PathBuf>,
}

/// Assesses an inventory: each distinct model once (in parallel), fanned out to its
/// instances, then actions ranked. `progress(done, total)` is called as models finish.
/// The inventory is consumed: its instances become the devices (an estate of a million
/// is held once).
pub fn assess(inv: Inventory, opts: &Options, progress: &(dyn Fn(usize, usize) + Sync)) -> Fleet {
    // Each instance's model: distinct keys, and each instance's key index.
    let mut index: BTreeMap<Key, usize> = BTreeMap::new();
    let mut keys: Vec<Key> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let of: Vec<usize> = inv
        .instances
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            let key = Key {
                profile: inst.profile.clone(),
                firmware: inst.firmware_version.clone(),
                sbom: inst.sbom.clone(),
                image: inst.firmware_image.clone(),
                evidence: inst.evidence.clone(),
            };
            let k = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                members.push(Vec::new());
                keys.len() - 1
            });
            members[k].push(i);
            k
        })
        .collect();
    drop(index);
    let total = keys.len();
    let done = AtomicUsize::new(0);
    let evaluated: Vec<Result<Model, Vec<Diagnostic>>> = keys
        .par_iter()
        .zip(members.par_iter())
        .map(|(key, members)| {
            let r = evaluate(key, members.len(), opts);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            r
        })
        .collect();

    let mut problems = inv.problems;
    let mut models = Vec::new();
    // Key index -> model index, for the keys that assessed.
    let mut model_of: Vec<Option<usize>> = vec![None; keys.len()];
    for (k, result) in evaluated.into_iter().enumerate() {
        match result {
            Ok(mut m) => {
                m.index = models.len();
                model_of[k] = Some(m.index);
                models.push(m);
            }
            Err(diags) => {
                let ids: Vec<&str> = members[k]
                    .iter()
                    .map(|&i| inv.instances[i].device_id.as_str())
                    .collect();
                for mut d in diags {
                    d.message = format!("{} (not assessed: {})", d.message, abbreviate(&ids, 5));
                    problems.push(d);
                }
            }
        }
    }
    drop(members);
    let mut devices: Vec<Device> = inv
        .instances
        .into_iter()
        .zip(of)
        .filter_map(|(inst, k)| model_of[k].map(|m| device(inst, &models[m])))
        .collect();
    let actions = actions::plan(&models, &mut devices, opts.horizon_days);
    devices.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.kev.cmp(&a.kev))
            .then(b.criticality.cmp(&a.criticality))
            .then(a.device_id.cmp(&b.device_id))
    });
    let summary = summarize(&models, &devices, &actions);
    Fleet {
        schema: SCHEMA,
        source: inv.source,
        as_of: opts.as_of.to_string(),
        summary,
        actions,
        models,
        devices,
        problems,
    }
}

/// `a, b, c and 4 more`.
pub(crate) fn abbreviate(items: &[&str], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}

/// A firmware image's SBOM (as an in-memory document) and its findings as verified
/// checks, as `assess --firmware` has them.
fn firmware(
    image: &std::path::Path,
    as_of: jiff::civil::Date,
) -> Result<(Option<Document>, Vec<riskmark_engine::VerifiedCheck>), Vec<Diagnostic>> {
    let file = image.display().to_string();
    let problem = |message: String| {
        vec![Diagnostic {
            file: file.clone(),
            line: 0,
            column: 0,
            field: Some("firmware_image".into()),
            message,
            source_line: None,
        }]
    };
    let limits = riskmark_firmware::Limits::default();
    let bytes = riskmark_model::read_capped(image, limits.max_total_bytes, "a firmware image")
        .map_err(|e| problem(e.reason()))?;
    let a =
        riskmark_firmware::analyze(&bytes, &file, &limits).map_err(|e| problem(e.to_string()))?;
    let (sbom, verified) =
        riskmark_engine::firmware_inputs(&a, as_of).map_err(|e| problem(e.to_string()))?;
    Ok((Some(sbom), verified))
}

/// A signed evidence file's decided checks, as `assess --evidence` has them (its signature
/// checked against the key it carries).
fn evidence(
    file: &std::path::Path,
    today: jiff::civil::Date,
) -> Result<Vec<riskmark_engine::VerifiedCheck>, Vec<Diagnostic>> {
    let name = file.display().to_string();
    let problem = |message: String| {
        vec![Diagnostic {
            file: name.clone(),
            line: 0,
            column: 0,
            field: Some("evidence".into()),
            message,
            source_line: None,
        }]
    };
    let bytes = riskmark_model::read_limited(file).map_err(|e| problem(e.to_string()))?;
    let o = riskmark_evidence::open(&bytes, None).map_err(|e| problem(e.to_string()))?;
    o.statement
        .validate(today)
        .map_err(|e| problem(e.to_string()))?;
    Ok(o.verified(&name))
}

fn evaluate(key: &Key, instances: usize, opts: &Options) -> Result<Model, Vec<Diagnostic>> {
    let (image_sbom, mut verified) = match &key.image {
        Some(image) => firmware(image, opts.as_of)?,
        None => (None, Vec::new()),
    };
    if let Some(file) = &key.evidence {
        verified.extend(evidence(file, opts.as_of)?);
    }
    let inputs = Inputs {
        sbom: key
            .sbom
            .as_ref()
            .map(|p| Document::path(p.clone()))
            .or(image_sbom),
        verified,
        database: opts.database.clone(),
        policy: opts.policy.clone(),
        ..Inputs::new(Document::path(key.profile.clone()), opts.as_of)
    };
    let e = riskmark_engine::evaluate(&inputs).map_err(|e| {
        e.diagnostics().unwrap_or_else(|| {
            vec![Diagnostic {
                file: key.profile.display().to_string(),
                line: 0,
                column: 0,
                field: None,
                message: e.to_string(),
                source_line: None,
            }]
        })
    })?;
    let a = &e.assessment;
    let mut vulnerabilities: Vec<Vulnerability> = a
        .vulnerabilities
        .iter()
        .flat_map(|s| s.active())
        .map(|f| Vulnerability {
            id: f.id.to_string(),
            component: format!("{}@{}", f.component, f.version),
            kev: f.kev,
            epss: f.epss,
            cvss: f.cvss.as_ref().map(|c| c.score),
            severity: f.severity.map(|s| s.to_string().to_ascii_lowercase()),
            fixed: f.fixed.first().cloned(),
        })
        .collect();
    vulnerabilities.sort_by(|x, y| {
        y.kev
            .cmp(&x.kev)
            .then(y.epss.unwrap_or(0.0).total_cmp(&x.epss.unwrap_or(0.0)))
            .then(y.cvss.unwrap_or(0.0).total_cmp(&x.cvss.unwrap_or(0.0)))
            .then(x.id.cmp(&y.id))
            .then(x.component.cmp(&y.component))
    });
    vulnerabilities.dedup_by(|x, y| x.id == y.id && x.component == y.component);
    let kev = vulnerabilities.iter().filter(|v| v.kev).count();
    let max_epss = vulnerabilities
        .iter()
        .filter_map(|v| v.epss)
        .max_by(f64::total_cmp);
    let code = |v: &riskmark_checks::Verdict| v.code.to_owned();
    let support_end = e
        .loaded
        .profile
        .updates
        .as_ref()
        .and_then(|u| u.support_end.as_ref())
        .map(|d| d.0);
    let days_left = support_end
        .and_then(|end| opts.as_of.until(end).ok())
        .map(|span| i64::from(span.get_days()));
    let support = match days_left {
        None => Support::Unknown,
        Some(d) if d < 0 => Support::Expired,
        Some(d) if d <= opts.horizon_days => Support::Ending,
        Some(_) => Support::Supported,
    };
    let frameworks = a
        .frameworks
        .iter()
        .filter(|f| f.applies)
        .map(|f| {
            let required = |c: &&riskmark_frameworks::ControlResult| {
                c.obligation != riskmark_frameworks::Obligation::Recommended
            };
            let outcome = if f
                .controls
                .iter()
                .filter(required)
                .any(|c| c.status == riskmark_checks::Status::Fail)
            {
                "fail"
            } else if f
                .controls
                .iter()
                .filter(required)
                .any(|c| c.status == riskmark_checks::Status::NeedsEvidence)
            {
                "needs-evidence"
            } else {
                "pass"
            };
            (f.id.clone(), outcome.to_owned())
        })
        .collect();
    Ok(Model {
        index: 0,
        profile: key.profile.display().to_string(),
        sbom: e.sbom.clone(),
        firmware_image: key.image.as_ref().map(|p| p.display().to_string()),
        manufacturer: a.subject.manufacturer.clone(),
        name: a.subject.name.clone(),
        model: a.subject.model.clone(),
        category: a.subject.category.as_str().to_owned(),
        firmware_version: key
            .firmware
            .clone()
            .or_else(|| a.subject.firmware_version.clone()),
        tier: a.risk.tier.as_str().to_owned(),
        score: a.risk.score,
        cra_class: a.risk.cra_class.as_str().to_owned(),
        factors: a
            .risk
            .factors
            .iter()
            .map(|f| (f.name.clone(), f.contribution))
            .collect(),
        vulnerabilities,
        kev,
        max_epss,
        support_end: support_end.map(|d| d.to_string()),
        support,
        support_days_left: days_left,
        failing_checks: a
            .checks
            .iter()
            .filter(|v| v.status == riskmark_checks::Status::Fail)
            .map(code)
            .collect(),
        needs_evidence: a
            .checks
            .iter()
            .filter(|v| v.status == riskmark_checks::Status::NeedsEvidence)
            .map(code)
            .collect(),
        frameworks,
        instances,
    })
}

fn device(inst: Instance, m: &Model) -> Device {
    Device {
        device_id: inst.device_id,
        model: m.index,
        location: inst.location,
        owner: inst.owner,
        network_zone: inst.network_zone,
        criticality: inst.criticality,
        tags: inst.tags,
        tier: static_tier(&m.tier),
        score: m.score,
        kev: m.kev,
        vulnerabilities: m.vulnerabilities.len(),
        support: m.support,
        support_days_left: m.support_days_left,
        actions: Vec::new(),
    }
}

/// Counts one more of `key` (allocating its name only the first time).
fn bump(map: &mut BTreeMap<String, usize>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

/// The tier's name without an allocation per device.
fn static_tier(t: &str) -> &'static str {
    ["critical", "high", "medium", "low"]
        .into_iter()
        .find(|x| *x == t)
        .unwrap_or("unknown")
}

fn summarize(models: &[Model], devices: &[Device], actions: &[Action]) -> Summary {
    let mut s = Summary {
        devices: devices.len(),
        models: models.len(),
        ..Summary::default()
    };
    for d in devices {
        bump(&mut s.tiers, d.tier);
        bump(&mut s.support, d.support.as_str());
        if d.kev > 0 {
            s.kev_devices += 1;
        }
        for (groups, key) in [
            (&mut s.zones, d.network_zone.as_deref()),
            (&mut s.owners, d.owner.as_deref()),
        ] {
            let key = key.unwrap_or("-");
            if !groups.contains_key(key) {
                groups.insert(key.to_owned(), Group::default());
            }
            let Some(g) = groups.get_mut(key) else {
                continue;
            };
            g.devices += 1;
            bump(&mut g.tiers, d.tier);
            if d.kev > 0 {
                g.kev_devices += 1;
            }
            if d.support == Support::Expired {
                g.expired += 1;
            }
            // The sum for now; the mean below.
            g.mean_score += f64::from(d.score);
        }
    }
    for groups in [&mut s.zones, &mut s.owners] {
        for g in groups.values_mut() {
            #[allow(clippy::cast_precision_loss)]
            let mean = g.mean_score / g.devices.max(1) as f64;
            g.mean_score = (mean * 10.0).round() / 10.0;
        }
    }
    for a in actions {
        *s.actions.entry(a.kind.as_str().to_owned()).or_default() += 1;
    }
    s
}

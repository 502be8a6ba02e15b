//! The actions that matter, ranked across the estate by the risk they remove.
//!
//! Each action removes the score points of the factors it fixes (the policy's own
//! numbers, read off the assessment), on every device it covers, weighted by the
//! device's criticality (low 1, medium 2, high 3, critical 4):
//!
//! | action | for | points removed per device |
//! |---|---|---|
//! | update-firmware | devices on a firmware of a model whose other firmware in the estate scores lower | the score difference |
//! | replace | support ended, or ends within the horizon | `support_period` (+ `known_vulnerabilities` once ended: no fix will come) |
//! | isolate | known exploited vulnerabilities left after any update, or exposure with findings | `internet_reachable` + `upnp` + `unauthenticated_services` (+ half of `known_vulnerabilities` with KEV) |
//! | change-default-password | a universal default password | `default_password` |
//! | request-fixed-firmware | findings with fixed versions and no better firmware in the estate | `known_vulnerabilities` |
//! | request-evidence | checks that need evidence | 0 (ranked after, by devices) |

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Device, Model, Support, abbreviate};

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Apply the model's better firmware.
    UpdateFirmware,
    /// Replace the device before (or because) its support ends.
    Replace,
    /// Isolate it, or restrict it to its MUD profile.
    Isolate,
    /// Change a universal default password.
    ChangeDefaultPassword,
    /// Ask the manufacturer for firmware with the fixed components.
    RequestFixedFirmware,
    /// Ask the manufacturer for evidence.
    RequestEvidence,
}

impl ActionKind {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UpdateFirmware => "update-firmware",
            Self::Replace => "replace",
            Self::Isolate => "isolate",
            Self::ChangeDefaultPassword => "change-default-password",
            Self::RequestFixedFirmware => "request-fixed-firmware",
            Self::RequestEvidence => "request-evidence",
        }
    }
}

/// One action over the devices it covers.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// 1 for the action that removes the most risk.
    pub rank: usize,
    /// What to do.
    pub kind: ActionKind,
    /// In words, with the model and versions.
    pub title: String,
    /// Why.
    pub reason: String,
    /// The models it concerns (indexes into the fleet's models).
    pub models: Vec<usize>,
    /// The devices it covers.
    pub devices: Vec<String>,
    /// Risk points removed, summed over the devices and weighted by criticality.
    pub risk_removed: u64,
}

fn factor(m: &Model, name: &str) -> u64 {
    m.factors
        .get(name)
        .map_or(0, |p| u64::try_from(*p).unwrap_or(0))
}

/// `Name (model)`: the product, whatever firmware it runs.
fn product(m: &Model) -> String {
    if m.model.is_empty() || m.name.contains(&m.model) {
        m.name.clone()
    } else {
        format!("{} ({})", m.name, m.model)
    }
}

/// `Name (model) firmware X`.
fn label(m: &Model) -> String {
    let fw = m
        .firmware_version
        .as_deref()
        .map_or_else(String::new, |f| format!(" firmware {f}"));
    format!("{}{fw}", product(m))
}

/// A finding serious enough to isolate an exposed device for: known exploited, likely
/// exploited (EPSS >= 0.1), or of high or critical severity.
fn serious(v: &crate::Vulnerability) -> bool {
    v.kev
        || v.epss.is_some_and(|e| e >= 0.1)
        || matches!(v.severity.as_deref(), Some("high" | "critical"))
}

/// Version order good enough for firmware strings: numeric runs compare as numbers.
fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty())
            .map(|p| (p.parse::<u64>().unwrap_or(0), p.to_owned()))
            .collect()
    };
    parts(a).cmp(&parts(b))
}

/// One action before it is merged and ranked.
struct Draft {
    kind: ActionKind,
    title: String,
    reason: String,
    model: usize,
    points: u64,
}

/// Derives, merges and ranks the actions; records each device's action ranks. The
/// drafts are made once per model (a model's devices share its support dates and
/// findings); each device adds its weighted points.
pub(crate) fn plan(models: &[Model], devices: &mut [Device], horizon_days: i64) -> Vec<Action> {
    // The best firmware of each model family (same profile): lowest score, then newest.
    let mut best: BTreeMap<&str, &Model> = BTreeMap::new();
    for m in models {
        let e = best.entry(m.profile.as_str()).or_insert(m);
        let newer = version_cmp(
            m.firmware_version.as_deref().unwrap_or(""),
            e.firmware_version.as_deref().unwrap_or(""),
        )
        .is_gt();
        if m.score < e.score || (m.score == e.score && newer) {
            *e = m;
        }
    }
    let mut actions: Vec<Action> = Vec::new();
    let mut index: BTreeMap<(ActionKind, String), usize> = BTreeMap::new();
    // Per model: (action index, points per device).
    let per_model: Vec<Vec<(usize, u64)>> = models
        .iter()
        .map(|m| {
            drafts(m, best.get(m.profile.as_str()).copied(), horizon_days)
                .into_iter()
                .map(|d| {
                    let i = *index.entry((d.kind, d.title.clone())).or_insert_with(|| {
                        actions.push(Action {
                            rank: 0,
                            kind: d.kind,
                            title: d.title,
                            reason: d.reason,
                            models: Vec::new(),
                            devices: Vec::new(),
                            risk_removed: 0,
                        });
                        actions.len() - 1
                    });
                    if !actions[i].models.contains(&d.model) {
                        actions[i].models.push(d.model);
                    }
                    (i, d.points)
                })
                .collect()
        })
        .collect();
    let mut per_device: Vec<Vec<usize>> = Vec::with_capacity(devices.len());
    for d in devices.iter() {
        let mine = &per_model[d.model];
        for &(i, points) in mine {
            actions[i].devices.push(d.device_id.clone());
            actions[i].risk_removed += points * d.criticality.weight();
        }
        per_device.push(mine.iter().map(|(i, _)| *i).collect());
    }
    let mut order: Vec<usize> = (0..actions.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&actions[a], &actions[b]);
        b.risk_removed
            .cmp(&a.risk_removed)
            .then(b.devices.len().cmp(&a.devices.len()))
            .then(a.kind.cmp(&b.kind))
            .then(a.title.cmp(&b.title))
    });
    let mut rank = vec![0; actions.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r + 1;
    }
    for (d, mine) in devices.iter_mut().zip(per_device) {
        d.actions = mine.iter().map(|&i| rank[i]).collect();
        d.actions.sort_unstable();
    }
    let mut slots: Vec<Option<Action>> = actions.into_iter().map(Some).collect();
    order
        .iter()
        .enumerate()
        .filter_map(|(r, &i)| {
            let mut a = slots[i].take()?;
            a.rank = r + 1;
            a.devices.sort_unstable();
            Some(a)
        })
        .collect()
}

fn drafts(m: &Model, best: Option<&Model>, horizon_days: i64) -> Vec<Draft> {
    let mut out = Vec::new();
    let kev_ids: Vec<&str> = m
        .vulnerabilities
        .iter()
        .filter(|v| v.kev)
        .map(|v| v.id.as_str())
        .collect();
    // A better firmware of the same model runs elsewhere in the estate.
    let better = best.filter(|b| b.index != m.index && b.score < m.score);
    if let Some(b) = better {
        let gone: Vec<&str> = m
            .vulnerabilities
            .iter()
            .filter(|v| !b.vulnerabilities.iter().any(|w| w.id == v.id))
            .map(|v| v.id.as_str())
            .collect();
        out.push(Draft {
            kind: ActionKind::UpdateFirmware,
            title: format!(
                "Update {} from firmware {} to {}",
                product(m),
                m.firmware_version.as_deref().unwrap_or("(unknown)"),
                b.firmware_version.as_deref().unwrap_or("(unknown)")
            ),
            reason: format!(
                "score {} -> {}{}",
                m.score,
                b.score,
                if gone.is_empty() {
                    String::new()
                } else {
                    format!("; removes {}", abbreviate(&gone, 4))
                }
            ),
            model: m.index,
            points: u64::from(m.score - b.score),
        });
    }
    // What remains after the update (or now, without one).
    let after = better.unwrap_or(m);
    let kev_after = after.vulnerabilities.iter().filter(|v| v.kev).count();
    match (m.support, m.support_days_left) {
        (Support::Expired, Some(days)) => out.push(Draft {
            kind: ActionKind::Replace,
            title: format!("Replace {}: support ended", product(m)),
            reason: format!(
                "security updates ended {} ({} days ago); no fix will come for the known \
                 vulnerabilities",
                m.support_end.as_deref().unwrap_or("?"),
                -days
            ),
            model: m.index,
            points: factor(m, "support_period") + factor(m, "known_vulnerabilities"),
        }),
        (Support::Ending, Some(days)) => out.push(Draft {
            kind: ActionKind::Replace,
            title: format!(
                "Plan to replace {} before support ends {}",
                product(m),
                m.support_end.as_deref().unwrap_or("?")
            ),
            reason: format!("security updates end in {days} days (horizon {horizon_days})"),
            model: m.index,
            points: factor(m, "support_period"),
        }),
        _ => {}
    }
    let exposure =
        factor(m, "internet_reachable") + factor(m, "upnp") + factor(m, "unauthenticated_services");
    let serious_after = after.vulnerabilities.iter().filter(|v| serious(v)).count();
    if kev_after > 0 || (exposure > 0 && serious_after > 0) {
        let kev_points = if kev_after > 0 {
            factor(after, "known_vulnerabilities") / 2
        } else {
            0
        };
        out.push(Draft {
            kind: ActionKind::Isolate,
            title: format!("Isolate {} or restrict it to its MUD profile", label(m)),
            reason: if kev_after > 0 {
                format!(
                    "known exploited: {}",
                    abbreviate(
                        &after
                            .vulnerabilities
                            .iter()
                            .filter(|v| v.kev)
                            .map(|v| v.id.as_str())
                            .collect::<Vec<_>>(),
                        4
                    )
                )
            } else {
                format!(
                    "exposed ({exposure} points: internet reachable, UPnP or unauthenticated \
                     services) with {serious_after} high or likely exploited vulnerabilities{}",
                    if better.is_some() {
                        " even after the update"
                    } else {
                        ""
                    }
                )
            },
            model: m.index,
            points: exposure + kev_points,
        });
    }
    if m.failing_checks
        .iter()
        .any(|c| c == "default-password-universal")
        || factor(m, "default_password") > 0
    {
        out.push(Draft {
            kind: ActionKind::ChangeDefaultPassword,
            title: format!("Change the universal default password of {}", label(m)),
            reason: "every unit ships with the same password (ETSI EN 303 645 5.1-1, UK PSTI, \
                     NIST IR 8425)"
                .into(),
            model: m.index,
            points: factor(m, "default_password").max(1),
        });
    }
    if better.is_none() {
        let fixable: Vec<String> = m
            .vulnerabilities
            .iter()
            .filter_map(|v| {
                v.fixed
                    .as_ref()
                    .map(|f| format!("{} ({} -> {f})", v.id, v.component))
            })
            .collect();
        if !fixable.is_empty() {
            let first: Vec<&str> = fixable.iter().map(String::as_str).collect();
            out.push(Draft {
                kind: ActionKind::RequestFixedFirmware,
                title: format!(
                    "Ask {} for {} firmware with fixed components",
                    m.manufacturer,
                    product(m)
                ),
                reason: format!(
                    "{} of {} known vulnerabilities have fixed versions{}: {}",
                    fixable.len(),
                    m.vulnerabilities.len(),
                    if kev_ids.is_empty() {
                        String::new()
                    } else {
                        format!(", {} known exploited", kev_ids.len())
                    },
                    abbreviate(&first, 3)
                ),
                model: m.index,
                points: factor(m, "known_vulnerabilities"),
            });
        }
    }
    if !m.needs_evidence.is_empty() {
        let codes: Vec<&str> = m.needs_evidence.iter().map(String::as_str).collect();
        out.push(Draft {
            kind: ActionKind::RequestEvidence,
            title: format!("Ask {} for evidence about {}", m.manufacturer, product(m)),
            reason: format!(
                "{} checks need evidence: {}",
                codes.len(),
                abbreviate(&codes, 5)
            ),
            model: m.index,
            points: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::version_cmp;

    #[test]
    fn firmware_versions_compare_numerically() {
        assert!(version_cmp("1.10.0", "1.9.2").is_gt());
        assert!(version_cmp("2.0", "10.0").is_lt());
        assert!(version_cmp("1.2.3", "1.2.3").is_eq());
    }
}

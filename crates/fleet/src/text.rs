//! The fleet in the terminal (a summary, the top actions, the riskiest devices) and as
//! CSV for spreadsheets (one row per device).

use std::fmt::Write as _;

use crate::Fleet;

/// How many devices the terminal table lists (CSV and JSON list them all).
pub const TABLE_DEVICES: usize = 40;

fn counts(map: &std::collections::BTreeMap<String, usize>, order: &[&str]) -> String {
    order
        .iter()
        .filter_map(|k| map.get(*k).map(|n| format!("{k} {n}")))
        .collect::<Vec<_>>()
        .join(", ")
}

const TIERS: [&str; 4] = ["critical", "high", "medium", "low"];

/// The terminal report.
pub fn table(f: &Fleet) -> String {
    let mut s = String::new();
    let s_ = &f.summary;
    let _ = writeln!(s, "riskmark fleet: {} (as of {})", f.source, f.as_of);
    let _ = writeln!(
        s,
        "{} devices of {} models: {}",
        s_.devices,
        s_.models,
        counts(&s_.tiers, &TIERS)
    );
    let _ = writeln!(
        s,
        "known exploited vulnerabilities on {} devices; support: {}",
        s_.kev_devices,
        counts(&s_.support, &["expired", "ending", "supported", "unknown"])
    );
    if !f.problems.is_empty() {
        let _ = writeln!(s, "{} inventory problems (see below)", f.problems.len());
    }
    if s_.zones.len() > 1 || !s_.zones.contains_key("-") {
        let _ = writeln!(s, "\nby network zone:");
        let w = s_.zones.keys().map(String::len).max().unwrap_or(1).max(4);
        for (z, g) in &s_.zones {
            let _ = writeln!(
                s,
                "  {z:<w$}  {:>6} devices  mean score {:>5.1}  KEV {:>5}  expired {:>5}  {}",
                g.devices,
                g.mean_score,
                g.kev_devices,
                g.expired,
                counts(&g.tiers, &TIERS)
            );
        }
    }
    let _ = writeln!(s, "\nactions, the most risk removed first:");
    if f.actions.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for a in f.actions.iter().take(10) {
        let _ = writeln!(
            s,
            "{:>3}. {}\n     {} device(s), {} risk points: {}",
            a.rank,
            a.title,
            a.devices.len(),
            a.risk_removed,
            a.reason
        );
    }
    if f.actions.len() > 10 {
        let _ = writeln!(
            s,
            "     ... and {} more actions (--format json, csv or html)",
            f.actions.len() - 10
        );
    }
    let _ = writeln!(s, "\ndevices, the riskiest first:");
    let _ = writeln!(
        s,
        "  {:<20} {:<28} {:<9} {:>5} {:>4} {:>5}  {:<9} actions",
        "device", "model", "tier", "score", "KEV", "vulns", "support"
    );
    for d in f.devices.iter().take(TABLE_DEVICES) {
        let m = &f.models[d.model];
        let model = format!(
            "{} {}",
            m.model,
            m.firmware_version.as_deref().unwrap_or("")
        );
        let _ = writeln!(
            s,
            "  {:<20} {:<28} {:<9} {:>5} {:>4} {:>5}  {:<9} {}",
            clip(&d.device_id, 20),
            clip(model.trim(), 28),
            d.tier,
            d.score,
            d.kev,
            d.vulnerabilities,
            d.support.as_str(),
            d.actions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    if f.devices.len() > TABLE_DEVICES {
        let _ = writeln!(
            s,
            "  ... and {} more devices (--format csv, json or html)",
            f.devices.len() - TABLE_DEVICES
        );
    }
    if !f.problems.is_empty() {
        let _ = writeln!(s, "\ninventory problems:");
        for p in &f.problems {
            let _ = writeln!(
                s,
                "  {}:{}:{}: {}: {}",
                p.file,
                p.line,
                p.column,
                p.field.as_deref().unwrap_or("-"),
                p.message
            );
        }
    }
    s
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// One row per device, for spreadsheets.
///
/// # Errors
/// Only when writing to memory fails (it does not).
pub fn csv(f: &Fleet) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "device_id",
        "manufacturer",
        "name",
        "model",
        "firmware_version",
        "network_zone",
        "owner",
        "location",
        "criticality",
        "tier",
        "score",
        "cra_class",
        "kev",
        "vulnerabilities",
        "max_epss",
        "support_end",
        "support_days_left",
        "support",
        "actions",
        "top_action",
    ])?;
    for d in &f.devices {
        let m = &f.models[d.model];
        let top = d
            .actions
            .first()
            .and_then(|r| f.actions.get(r - 1))
            .map_or("", |a| a.title.as_str());
        w.write_record([
            d.device_id.as_str(),
            &m.manufacturer,
            &m.name,
            &m.model,
            m.firmware_version.as_deref().unwrap_or(""),
            d.network_zone.as_deref().unwrap_or(""),
            d.owner.as_deref().unwrap_or(""),
            d.location.as_deref().unwrap_or(""),
            match d.criticality {
                crate::Criticality::Low => "low",
                crate::Criticality::Medium => "medium",
                crate::Criticality::High => "high",
                crate::Criticality::Critical => "critical",
            },
            d.tier,
            &d.score.to_string(),
            &m.cra_class,
            &d.kev.to_string(),
            &d.vulnerabilities.to_string(),
            &m.max_epss.map_or_else(String::new, |e| format!("{e:.4}")),
            m.support_end.as_deref().unwrap_or(""),
            &d.support_days_left
                .map_or_else(String::new, |n| n.to_string()),
            d.support.as_str(),
            &d.actions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            top,
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

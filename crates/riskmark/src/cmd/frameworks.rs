//! `riskmark frameworks list | show ID | crosswalk ID ID`

use std::fmt::Write as _;

use riskmark_frameworks::Framework;
use serde_json::json;

use super::Outcome;
use crate::cli::TextJson;
use crate::output;

fn find(id: &str) -> anyhow::Result<&'static Framework> {
    riskmark_frameworks::find(id).ok_or_else(|| {
        let ids: Vec<&str> = riskmark_frameworks::embedded()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        match riskmark_model::suggest(id, &ids) {
            Some(s) => anyhow::anyhow!("unknown framework `{id}` (did you mean `{s}`?)"),
            None => anyhow::anyhow!("unknown framework `{id}`; known: {}", ids.join(", ")),
        }
    })
}

pub(crate) fn list(format: TextJson) -> anyhow::Result<Outcome> {
    let all = riskmark_frameworks::embedded();
    match format {
        TextJson::Json => {
            let v: Vec<_> = all
                .iter()
                .map(|f| {
                    json!({
                        "id": f.id, "title": f.title, "version": f.version, "kind": f.kind,
                        "markets": f.markets, "controls": f.controls.len(),
                        "mandatory": f.controls.iter().filter(|c| c.status == riskmark_frameworks::Status::Mandatory).count(),
                    })
                })
                .collect();
            output::out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json!({ "frameworks": v }))?
            ))?;
        }
        TextJson::Text => {
            let mut s = format!(
                "{:<20} {:>8}  {:<24} {}\n",
                "ID", "CONTROLS", "VERSION", "KIND"
            );
            for f in all {
                let version: String = f.version.chars().take(24).collect();
                let _ = writeln!(
                    s,
                    "{:<20} {:>8}  {:<24} {}",
                    f.id,
                    f.controls.len(),
                    version,
                    f.kind
                );
            }
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}

pub(crate) fn show(id: &str, format: TextJson) -> anyhow::Result<Outcome> {
    let f = find(id)?;
    match format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(f)?))?,
        TextJson::Text => {
            let mut s = format!(
                "{} ({} {}), {} controls\n\n",
                f.title,
                f.id,
                f.version,
                f.controls.len()
            );
            for c in &f.controls {
                let who: Vec<String> = c
                    .responsible
                    .iter()
                    .map(|r| {
                        serde_json::to_value(r)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "{:<14} {:<4} {}\n{:<19}checks: {}; responsible: {}",
                    c.id,
                    c.status_code.as_deref().unwrap_or(
                        if c.status == riskmark_frameworks::Status::Mandatory {
                            "M"
                        } else {
                            "R"
                        }
                    ),
                    c.title,
                    "",
                    if c.manual {
                        "manual".to_owned()
                    } else {
                        c.checks.join(", ")
                    },
                    who.join(", ")
                );
            }
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}

pub(crate) fn crosswalk(a: &str, b: &str, format: TextJson) -> anyhow::Result<Outcome> {
    let (fa, fb) = (find(a)?, find(b)?);
    let cw = riskmark_frameworks::crosswalk(fa, fb, riskmark_frameworks::embedded_mappings());
    match format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(&cw)?))?,
        TextJson::Text => {
            let mut s = format!("{} -> {}: {} relations\n", cw.from, cw.to, cw.links.len());
            for l in &cw.links {
                let _ = writeln!(
                    s,
                    "  {:<14} {:<16} {:<14} {}{}",
                    l.from,
                    l.relationship,
                    l.to,
                    l.basis,
                    l.source
                        .as_deref()
                        .map(|x| format!(" ({}...)", x.chars().take(48).collect::<String>()))
                        .unwrap_or_default()
                );
            }
            let _ = writeln!(
                s,
                "unmatched in {}: {}",
                cw.from,
                cw.unmatched_from.join(", ")
            );
            let _ = writeln!(s, "unmatched in {}: {}", cw.to, cw.unmatched_to.join(", "));
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}

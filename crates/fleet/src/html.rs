//! The fleet as one self-contained HTML page: no script, no external asset, inline CSS
//! and SVG charts (risk by zone, the support horizon, known exploited vulnerabilities by
//! model), then the actions and the devices. It opens from a file or an e-mail.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Fleet, Support};

/// How many devices the page lists (the CSV and JSON list them all).
pub const PAGE_DEVICES: usize = 500;

use riskmark_report::escape_html as esc;

const TIERS: [(&str, &str); 4] = [
    ("critical", "#8b1a1a"),
    ("high", "#c2410c"),
    ("medium", "#a16207"),
    ("low", "#3f6212"),
];

const CSS: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;\
padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #ddd;\
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}\
td.n{text-align:right;font-variant-numeric:tabular-nums}.t-critical{color:#8b1a1a;\
font-weight:600}.t-high{color:#c2410c;font-weight:600}.t-medium{color:#a16207}\
.t-low{color:#3f6212}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}\
.legend span{display:inline-block;margin-right:1rem}.sw{display:inline-block;width:.8rem;\
height:.8rem;margin-right:.3rem;vertical-align:middle}.note{color:#555}";

/// The page.
pub fn page(f: &Fleet) -> String {
    let s_ = &f.summary;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Fleet risk: {}</title><style>{CSS}</style></head><body>\n",
        esc(&f.source)
    );
    let _ = writeln!(
        h,
        "<h1>Fleet risk</h1><p>{} &middot; as of {} &middot; {} devices of {} models \
         &middot; known exploited vulnerabilities on {} devices</p>",
        esc(&f.source),
        esc(&f.as_of),
        s_.devices,
        s_.models,
        s_.kev_devices
    );
    h.push_str("<p class=\"legend\">");
    for (t, c) in TIERS {
        let _ = write!(
            h,
            "<span><span class=\"sw\" style=\"background:{c}\"></span>{t}: {}</span>",
            s_.tiers.get(t).copied().unwrap_or(0)
        );
    }
    h.push_str("</p>\n");
    zones_chart(&mut h, f);
    support_chart(&mut h, f);
    kev_chart(&mut h, f);
    actions_table(&mut h, f);
    devices_table(&mut h, f);
    if !f.problems.is_empty() {
        h.push_str(
            "<h2 id=\"problems\">Inventory problems</h2><table><caption>Rows and models \
                    that were not assessed</caption><thead><tr><th scope=\"col\">Where</th>\
                    <th scope=\"col\">Field</th><th scope=\"col\">Problem</th></tr></thead><tbody>",
        );
        for p in &f.problems {
            let _ = write!(
                h,
                "<tr><td>{}:{}:{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.file),
                p.line,
                p.column,
                esc(p.field.as_deref().unwrap_or("")),
                esc(&p.message)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str(
        "<p class=\"note\">Made by riskmark (<code>riskmark fleet</code>); schema \
                riskmark/fleet/v1.</p></body></html>\n",
    );
    h
}

/// Horizontal stacked bars: devices per tier in each zone.
fn zones_chart(h: &mut String, f: &Fleet) {
    let zones = &f.summary.zones;
    let max = zones.values().map(|g| g.devices).max().unwrap_or(0).max(1);
    let (bar_h, label_w, width) = (22, 160, 560);
    let height = zones.len() * (bar_h + 8) + 10;
    let _ = write!(
        h,
        "<h2>Risk by network zone</h2><figure><figcaption id=\"zones-cap\">Devices per risk \
         tier in each zone</figcaption><svg role=\"img\" aria-labelledby=\"zones-cap\" \
         width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        label_w + width + 60,
        label_w + width + 60
    );
    for (i, (zone, g)) in zones.iter().enumerate() {
        let y = i * (bar_h + 8) + 5;
        let _ = write!(
            h,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>",
            y + 16,
            esc(zone)
        );
        let mut x = label_w;
        for (t, c) in TIERS {
            let n = g.tiers.get(t).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = (n * width / max).max(1);
            let _ = write!(
                h,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" fill=\"{c}\">\
                 <title>{}: {n} {t}</title></rect>",
                esc(zone)
            );
            x += w;
        }
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
            x + 6,
            y + 16,
            g.devices
        );
    }
    h.push_str("</svg></figure>\n");
}

/// Columns: devices whose support ends in each year (ended ones first, in red).
fn support_chart(h: &mut String, f: &Fleet) {
    // Ended first, then by year, then unknown.
    let mut years: BTreeMap<(u8, String), (usize, bool)> = BTreeMap::new();
    for d in &f.devices {
        let m = &f.models[d.model];
        let key = match (&m.support_end, d.support) {
            (Some(end), Support::Expired) => (0, format!("ended {}", &end[..4.min(end.len())])),
            (Some(end), _) => (1, end[..4.min(end.len())].to_owned()),
            (None, _) => (2, "unknown".to_owned()),
        };
        let e = years
            .entry(key)
            .or_insert((0, d.support == Support::Expired));
        e.0 += 1;
    }
    let max = years.values().map(|v| v.0).max().unwrap_or(0).max(1);
    let (col_w, chart_h) = (72, 160);
    let width = years.len() * (col_w + 10) + 10;
    let _ = write!(
        h,
        "<h2>Support horizon</h2><figure><figcaption id=\"support-cap\">Devices by the year \
         their security updates end</figcaption><svg role=\"img\" \
         aria-labelledby=\"support-cap\" width=\"{width}\" height=\"{}\" \
         viewBox=\"0 0 {width} {}\">",
        chart_h + 40,
        chart_h + 40
    );
    for (i, ((_, year), (n, ended))) in years.iter().enumerate() {
        let x = i * (col_w + 10) + 10;
        let bh = (n * chart_h / max).max(1);
        let top = 16;
        let fill = if *ended {
            "#8b1a1a"
        } else if year == "unknown" {
            "#888"
        } else {
            "#2b6cb0"
        };
        let _ = write!(
            h,
            "<rect x=\"{x}\" y=\"{}\" width=\"{col_w}\" height=\"{bh}\" fill=\"{fill}\">\
             <title>{}: {n} devices</title></rect><text x=\"{x}\" y=\"{}\" \
             font-size=\"12\">{}</text><text x=\"{x}\" y=\"{}\" font-size=\"12\">{n}</text>",
            chart_h - bh + top,
            esc(year),
            chart_h + top + 16,
            esc(year),
            chart_h - bh + top - 4
        );
    }
    h.push_str("</svg></figure>\n");
}

/// Bars: devices exposed to known exploited vulnerabilities, per model.
fn kev_chart(h: &mut String, f: &Fleet) {
    let mut rows: Vec<(String, usize, usize)> = f
        .models
        .iter()
        .filter(|m| m.kev > 0)
        .map(|m| {
            (
                format!(
                    "{} {} {}",
                    m.manufacturer,
                    m.model,
                    m.firmware_version.as_deref().unwrap_or("")
                ),
                m.instances,
                m.kev,
            )
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(15);
    let _ = write!(h, "<h2>Known exploited vulnerabilities</h2>");
    if rows.is_empty() {
        h.push_str("<p>No device has a vulnerability in CISA's KEV catalog.</p>\n");
        return;
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let (bar_h, label_w, width) = (20, 300, 420);
    let height = rows.len() * (bar_h + 6) + 10;
    let _ = write!(
        h,
        "<figure><figcaption id=\"kev-cap\">Devices per model with a KEV-listed \
         vulnerability (the models with most devices)</figcaption><svg role=\"img\" \
         aria-labelledby=\"kev-cap\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        label_w + width + 120,
        label_w + width + 120
    );
    for (i, (name, n, kev)) in rows.iter().enumerate() {
        let y = i * (bar_h + 6) + 5;
        let w = (n * width / max).max(1);
        let _ = write!(
            h,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"{label_w}\" y=\"{y}\" \
             width=\"{w}\" height=\"{bar_h}\" fill=\"#8b1a1a\"><title>{}: {n} devices, {kev} \
             KEV</title></rect><text x=\"{}\" y=\"{}\" font-size=\"13\">{n} devices, {kev} KEV</text>",
            y + 15,
            esc(name.trim()),
            esc(name.trim()),
            label_w + w + 6,
            y + 15
        );
    }
    h.push_str("</svg></figure>\n");
}

fn actions_table(h: &mut String, f: &Fleet) {
    h.push_str(
        "<h2 id=\"actions\">Actions</h2><table><caption>Actions, the most risk removed first \
         (risk points summed over the devices, weighted by criticality)</caption><thead><tr>\
         <th scope=\"col\">#</th><th scope=\"col\">Action</th><th scope=\"col\">Why</th>\
         <th scope=\"col\">Devices</th><th scope=\"col\">Risk removed</th></tr></thead><tbody>",
    );
    for a in &f.actions {
        let ids: Vec<&str> = a.devices.iter().map(String::as_str).collect();
        let _ = write!(
            h,
            "<tr id=\"a{}\"><td class=\"n\">{}</td><td>{}</td><td>{}</td><td><span \
             title=\"{}\">{}</span></td><td class=\"n\">{}</td></tr>",
            a.rank,
            a.rank,
            esc(&a.title),
            esc(&a.reason),
            esc(&crate::abbreviate(&ids, 20)),
            a.devices.len(),
            a.risk_removed
        );
    }
    if f.actions.is_empty() {
        h.push_str("<tr><td colspan=\"5\">No action.</td></tr>");
    }
    h.push_str("</tbody></table>\n");
}

fn devices_table(h: &mut String, f: &Fleet) {
    let _ = write!(
        h,
        "<h2 id=\"devices\">Devices</h2><table><caption>Devices, the riskiest first{}</caption>\
         <thead><tr><th scope=\"col\">Device</th><th scope=\"col\">Model</th>\
         <th scope=\"col\">Zone</th><th scope=\"col\">Tier</th><th scope=\"col\">Score</th>\
         <th scope=\"col\">KEV</th><th scope=\"col\">Vulnerabilities</th>\
         <th scope=\"col\">Support</th><th scope=\"col\">Actions</th></tr></thead><tbody>",
        if f.devices.len() > PAGE_DEVICES {
            format!(
                " ({PAGE_DEVICES} of {}; the CSV and JSON list all)",
                f.devices.len()
            )
        } else {
            String::new()
        }
    );
    for d in f.devices.iter().take(PAGE_DEVICES) {
        let m = &f.models[d.model];
        let support = match (d.support, d.support_days_left) {
            (Support::Expired, Some(n)) => format!("ended {} days ago", -n),
            (Support::Ending | Support::Supported, Some(n)) => format!("{n} days left"),
            _ => "unknown".into(),
        };
        let actions: Vec<String> = d
            .actions
            .iter()
            .map(|r| format!("<a href=\"#a{r}\">{r}</a>"))
            .collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{} {} {}</td><td>{}</td><td class=\"t-{}\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>\
             <td>{}</td></tr>",
            esc(&d.device_id),
            esc(&m.manufacturer),
            esc(&m.model),
            esc(m.firmware_version.as_deref().unwrap_or("")),
            esc(d.network_zone.as_deref().unwrap_or("")),
            esc(d.tier),
            esc(d.tier),
            d.score,
            d.kev,
            d.vulnerabilities,
            esc(&support),
            actions.join(" ")
        );
    }
    h.push_str("</tbody></table>\n");
}

//! The secondary layer: one self-contained, accessible HTML page (no JavaScript, real
//! text, `lang` set, contrast of at least 4.5:1 for all text).
//!
//! It shows every framework verdict with its reasons, the responsibility matrix, the
//! SBOM's known vulnerabilities when an SBOM was scanned, and the US Cyber Trust Mark
//! registry fields (FCC 24-26 ¶113), saying "not declared" where riskmark has no fact.

use riskmark_assess::Assessment;
use riskmark_checks::{Role, Status};
use riskmark_frameworks::{FrameworkResult, Obligation};
use riskmark_model::Profile;
use serde::Serialize;

use crate::Label;
use crate::i18n::Messages;
use crate::svg::{Facts, esc};

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "Noto Sans", "Noto Sans CJK JP", "Noto Sans JP", system-ui, sans-serif;
  color: #111; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3 { color: #14213d; line-height: 1.25; }
h2 { border-bottom: 2px solid #14213d; padding-bottom: .2rem; margin-top: 2.2rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #c5cdd9; }
a { color: #0b4fa3; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .95rem; }
caption { text-align: left; font-weight: 700; padding: .3rem 0; }
th, td { border: 1px solid #c5cdd9; padding: .35rem .5rem; text-align: left; vertical-align: top; }
.id { font-family: ui-monospace, monospace; white-space: nowrap; }
th { background: #eef1f6; }
.st { font-weight: 700; white-space: nowrap; }
.pass { color: #1e6b34; } .fail { color: #a3141e; }
.needs-evidence { color: #7a4500; } .not-applicable { color: #4f5866; }
.nd { color: #4f5866; font-style: italic; }
details { margin: .8rem 0; border: 1px solid #c5cdd9; padding: .4rem .8rem; }
summary { cursor: pointer; font-weight: 700; color: #14213d; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
footer { margin-top: 2rem; color: #3d4757; font-size: .9rem; }
"#;

/// A serde value's kebab-case token (`needs-evidence`, `critical` ...).
fn token<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Pass => "status-pass",
        Status::Fail => "status-fail",
        Status::NeedsEvidence => "status-needs-evidence",
        Status::NotApplicable => "status-not-applicable",
    }
}

const ROLES: [(Role, &str); 4] = [
    (Role::Manufacturer, "role-manufacturer"),
    (Role::SoftwareDeveloper, "role-software-developer"),
    (Role::Operator, "role-operator"),
    (Role::User, "role-user"),
];

fn role_key(r: Role) -> &'static str {
    ROLES
        .iter()
        .find(|(role, _)| *role == r)
        .map_or("role-manufacturer", |(_, k)| k)
}

fn obligation_key(o: Obligation) -> &'static str {
    match o {
        Obligation::Mandatory => "obligation-mandatory",
        Obligation::Recommended => "obligation-recommended",
        Obligation::Expected => "obligation-expected",
    }
}

/// Renders the secondary layer; `primary_svg` is embedded as the page's first figure.
pub fn secondary(label: &Label, a: &Assessment, profile: &Profile, primary_svg: &str) -> String {
    let m = Messages::new(label.lang);
    let f = Facts::new(label, &m);
    let nd = format!("<span class=\"nd\">{}</span>", esc(&m.t("not-declared")));
    let mut h = String::new();
    let product = &label.product.name;
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}: {product}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        lang = label.lang.tag(),
        title = esc(&m.t("details-title")),
        product = esc(product),
    ));
    h.push_str(&format!(
        "<h1>{}: {}</h1>\n<p>{}</p>\n",
        esc(&m.t("details-title")),
        esc(product),
        esc(&m.t_args("details-intro", &[("product", product)]))
    ));

    // The primary layer, and where the registry page lives.
    h.push_str(&format!(
        "<h2>{}</h2>\n<figure>\n",
        esc(&m.t("primary-layer"))
    ));
    // The SVG's own <title> names it for assistive technology.
    h.push_str(primary_svg.trim_end());
    h.push_str("\n</figure>\n<dl class=\"facts\">\n");
    let url = esc(&label.registry_url);
    for (k, v) in [
        (
            "device-id",
            format!("<code>{}</code>", esc(&label.device_id)),
        ),
        ("registry-page", format!("<a href=\"{url}\">{url}</a>")),
        ("risk-tier", format!("{} ({})", esc(&f.tier), esc(&f.score))),
    ] {
        h.push_str(&format!("<dt>{}</dt><dd>{v}</dd>\n", esc(&m.t(k))));
    }
    h.push_str("</dl>\n");

    registry_fields(&mut h, &m, label, profile, &f, &nd);
    frameworks(&mut h, &m, &a.frameworks);
    matrix(&mut h, &m, &a.frameworks);
    sbom(&mut h, &m, a);

    h.push_str(&format!(
        "<footer>\n<p>{} · {}</p>\n<p>{}</p>\n</footer>\n</main>\n</body>\n</html>\n",
        esc(&f.assessed),
        esc(&f.made_with),
        esc(&m.t("signature-note"))
    ));
    h
}

fn registry_fields(
    h: &mut String,
    m: &Messages,
    label: &Label,
    profile: &Profile,
    f: &Facts,
    nd: &str,
) {
    let labs: Vec<String> = {
        let mut v: Vec<String> = profile
            .evidence
            .iter()
            .filter(|e| e.kind.is_third_party())
            .filter_map(|e| e.issuer.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let sbom = profile.disclosure.as_ref().and_then(|d| d.sbom.as_deref());
    let rows: Vec<(&str, String)> = vec![
        ("rf-product-name", esc(&label.product.name)),
        ("rf-manufacturer", esc(&label.product.manufacturer)),
        ("rf-authorisation", nd.to_owned()),
        ("rf-cla", nd.to_owned()),
        (
            "rf-test-lab",
            if labs.is_empty() {
                esc(&m.t("rf-test-lab-none"))
            } else {
                esc(&labs.join(", "))
            },
        ),
        (
            "rf-change-password",
            format!(
                "{nd} ({}: {})",
                esc(&m.t("default-password")),
                esc(&f.password)
            ),
        ),
        ("rf-secure-config", nd.to_owned()),
        ("rf-updates", esc(&f.updates)),
        (
            "rf-support-end",
            label
                .updates
                .support_end
                .as_deref()
                .map_or_else(|| nd.to_owned(), esc),
        ),
        (
            "rf-sbom-hbom",
            match sbom {
                Some(loc) => esc(&m.t_args("rf-sbom-yes", &[("location", loc)])),
                None => nd.to_owned(),
            },
        ),
    ];
    h.push_str(&format!(
        "<h2 id=\"registry\">{}</h2>\n<p>{}</p>\n<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        esc(&m.t("registry-fields")),
        esc(&m.t("registry-intro")),
        esc(&m.t("field")),
        esc(&m.t("value"))
    ));
    for (k, v) in rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{v}</td></tr>\n",
            esc(&m.t(k))
        ));
    }
    h.push_str("</tbody>\n</table>\n");
}

fn frameworks(h: &mut String, m: &Messages, fws: &[FrameworkResult]) {
    h.push_str(&format!(
        "<h2 id=\"frameworks\">{}</h2>\n",
        esc(&m.t("framework-verdicts"))
    ));
    for fw in fws {
        let s = &fw.summary;
        let counts = m.t_args(
            "summary-counts",
            &[
                ("pass", &s.pass.to_string()),
                ("fail", &s.fail.to_string()),
                ("needs", &s.needs_evidence.to_string()),
                ("na", &s.not_applicable.to_string()),
            ],
        );
        let applies = if fw.applies {
            m.t_args("applies-yes", &[("reason", &fw.applies_reason)])
        } else {
            m.t_args("applies-no", &[("reason", &fw.applies_reason)])
        };
        h.push_str(&format!(
            "<details{open}>\n<summary>{title} ({version}): {counts}</summary>\n<p>{applies}</p>\n",
            open = if fw.applies { " open" } else { "" },
            title = esc(&fw.title),
            version = esc(&fw.version),
            counts = esc(&counts),
            applies = esc(&applies),
        ));
        if let Some(level) = &fw.highest_level {
            let text = if level == "none" {
                m.t("cls-none")
            } else {
                m.t_args("cls-level", &[("level", level.trim_start_matches('L'))])
            };
            h.push_str(&format!("<p><strong>{}</strong></p>\n", esc(&text)));
        }
        h.push_str(&format!(
            "<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
            esc(&m.t("control")),
            esc(&m.t("obligation")),
            esc(&m.t("status")),
            esc(&m.t("responsible")),
            esc(&m.t("reasons")),
        ));
        for c in &fw.controls {
            let roles: Vec<String> = c.responsible.iter().map(|r| m.t(role_key(*r))).collect();
            // Catalog titles and reasons are in English (the catalogs carry no
            // translations): marked so that screen readers switch language.
            let en = if m.lang().tag() == "en" {
                ""
            } else {
                " lang=\"en\""
            };
            let reasons: String = c
                .reasons
                .iter()
                .map(|r| format!("<li{en}>{}</li>", esc(r)))
                .collect();
            h.push_str(&format!(
                "<tr><th scope=\"row\"><span class=\"id\">{id}</span> <span{en}>{title}</span></th><td>{ob}</td><td class=\"st {cls}\">{st}</td><td>{roles}</td><td><ul class=\"reasons\">{reasons}</ul></td></tr>\n",
                id = esc(&c.id),
                title = esc(&c.title),
                ob = esc(&m.t(obligation_key(c.obligation))),
                cls = token(&c.status),
                st = esc(&m.t(status_key(c.status))),
                roles = esc(&roles.join(", ")),
            ));
        }
        h.push_str("</tbody>\n</table>\n</details>\n");
    }
}

fn matrix(h: &mut String, m: &Messages, fws: &[FrameworkResult]) {
    h.push_str(&format!(
        "<h2 id=\"responsibility\">{}</h2>\n<p>{}</p>\n<table>\n<thead><tr><th scope=\"col\">{}</th>",
        esc(&m.t("responsibility-matrix")),
        esc(&m.t("responsibility-intro")),
        esc(&m.t("framework"))
    ));
    for (_, k) in ROLES {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(&m.t(k))));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for fw in fws.iter().filter(|f| f.applies) {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(&fw.title)));
        for (role, _) in ROLES {
            let mine = fw
                .controls
                .iter()
                .filter(|c| c.status != Status::NotApplicable && c.responsible.contains(&role));
            let all = mine.clone().count();
            let open = mine
                .filter(|c| matches!(c.status, Status::Fail | Status::NeedsEvidence))
                .count();
            h.push_str(&format!("<td>{open} / {all}</td>"));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

fn sbom(h: &mut String, m: &Messages, a: &Assessment) {
    h.push_str(&format!("<h2 id=\"sbom\">{}</h2>\n", esc(&m.t("sbom"))));
    let Some(scan) = &a.vulnerabilities else {
        h.push_str(&format!("<p>{}</p>\n", esc(&m.t("no-sbom"))));
        return;
    };
    h.push_str(&format!(
        "<dl class=\"facts\">\n<dt>{}</dt><dd><code>{}</code></dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
        esc(&m.t("sbom-file")),
        esc(&scan.sbom),
        esc(&m.t("components")),
        scan.components,
        esc(&m.t("known-vulnerabilities")),
        scan.active().count(),
    ));
    if scan.findings.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>\n",
            esc(&m.t("no-known-vulnerabilities"))
        ));
        return;
    }
    h.push_str(&format!(
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        esc(&m.t("known-vulnerabilities")),
        esc(&m.t("vuln-id")),
        esc(&m.t("vuln-component")),
        esc(&m.t("vuln-severity")),
        esc(&m.t("vuln-kev")),
        esc(&m.t("vuln-fixed")),
        esc(&m.t("vuln-status")),
    ));
    for fnd in &scan.findings {
        h.push_str(&format!(
            "<tr><th scope=\"row\" class=\"id\">{}</th><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&fnd.id),
            esc(&fnd.component),
            esc(&fnd.version),
            esc(&fnd.severity.as_ref().map(token).unwrap_or_default()),
            esc(&m.t(if fnd.kev { "yes" } else { "no" })),
            esc(&fnd.fixed.join(", ")),
            esc(&token(&fnd.status)),
        ));
    }
    h.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::STYLE;

    /// WCAG 2.x relative luminance of `#rrggbb` or `#rgb`.
    fn luminance(hex: &str) -> f64 {
        let h = hex.trim_start_matches('#');
        let h: String = if h.len() == 3 {
            h.chars().flat_map(|c| [c, c]).collect()
        } else {
            h.to_owned()
        };
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_text_colour_has_aa_contrast_on_every_background() {
        // The formula against WCAG's own extremes.
        assert!((contrast("#000", "#fff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777", "#fff") - 4.48).abs() < 0.01);
        let values = |prop: &str| -> Vec<String> {
            STYLE
                .split(prop)
                .skip(1)
                .filter_map(|rest| rest.trim_start().split([';', ' ', '}']).next())
                .filter(|v| v.starts_with('#'))
                .map(str::to_owned)
                .collect()
        };
        let texts = values(" color:");
        let grounds = values("background:");
        assert!(
            texts.len() >= 8 && grounds.len() >= 2,
            "{texts:?} {grounds:?}"
        );
        for fg in &texts {
            for bg in &grounds {
                let c = contrast(fg, bg);
                assert!(c >= 4.5, "{fg} on {bg}: contrast {c:.2} below WCAG AA 4.5");
            }
        }
    }
}

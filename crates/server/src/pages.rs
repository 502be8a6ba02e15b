//! The public pages: server-rendered HTML, no script, one stylesheet from this server.
//! The device page carries the US Cyber Trust Mark registry fields (FCC 24-26 para. 113)
//! from the stored label and assessment.

use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use riskmark_registry::{Device, Error, Page};
use serde_json::Value;

use crate::AppState;
use crate::api::{SearchParams, blocking, status};

const CSS: &str = "\
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}
.id,code{font-family:ui-monospace,monospace;white-space:nowrap}
.tier{display:inline-block;padding:.1rem .6rem;border-radius:.3rem;font-weight:700;color:#fff}
.tier-low{background:#1e6b34}.tier-medium{background:#7a5a00}.tier-high{background:#a33d00}.tier-critical{background:#9b1c1c}
.kev{font-weight:700;color:#9b1c1c}form{margin:1rem 0}input,select,button{font:inherit;padding:.3rem}
nav a{margin-right:1rem}footer{margin-top:3rem;font-size:.85rem;color:#555}
";

/// `GET /static/site.css`
pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// HTML-escapes text.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} - riskmark registry</title><link rel=\"stylesheet\" href=\"/static/site.css\">\
         </head><body><header><nav aria-label=\"site\"><a href=\"/\">riskmark registry</a></nav></header>\
         <main>{body}</main><footer>Facts declared by the manufacturer and assessed by riskmark \
         {}; verified facts are marked with the lab that verified them.</footer></body></html>\n",
        esc(title),
        env!("CARGO_PKG_VERSION")
    )
}

fn error_page(e: &Error) -> Response {
    let code = status(e);
    let body = format!("<h1>{}</h1><p>{}</p>", code.as_u16(), esc(&e.to_string()));
    (code, Html(page("Error", &body))).into_response()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn tier_badge(tier: &str) -> String {
    format!(
        "<span class=\"tier tier-{t}\">{T}</span>",
        t = esc(tier),
        T = esc(&tier.to_uppercase())
    )
}

/// `GET /`
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Response {
    let q = p.q.clone().unwrap_or_default();
    let tier = p.tier.clone().unwrap_or_default();
    let r = state.registry.clone();
    match blocking(move || r.search(&p.query())).await {
        Ok(result) => Html(page("Search", &search_body(&q, &tier, &result))).into_response(),
        Err(e) => error_page(&e.0),
    }
}

fn search_body(q: &str, tier: &str, p: &Page) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>Connected products</h1><form method=\"get\" action=\"/\" role=\"search\">\
         <label for=\"q\">Product, manufacturer or model</label> \
         <input id=\"q\" name=\"q\" value=\"{}\"> <label for=\"tier\">Risk tier</label> \
         <select id=\"tier\" name=\"tier\"><option value=\"\">any</option>",
        esc(q)
    );
    for t in ["low", "medium", "high", "critical"] {
        let _ = write!(
            b,
            "<option value=\"{t}\"{}>{t}</option>",
            if t == tier { " selected" } else { "" }
        );
    }
    let _ = write!(
        b,
        "</select> <button type=\"submit\">Search</button></form><p>{} product(s)</p>",
        p.total
    );
    if !p.devices.is_empty() {
        b.push_str(
            "<table><thead><tr><th scope=\"col\">Product</th><th scope=\"col\">Manufacturer</th>\
             <th scope=\"col\">Model</th><th scope=\"col\">Risk</th><th scope=\"col\">Updated</th></tr></thead><tbody>",
        );
        for d in &p.devices {
            let _ = write!(
                b,
                "<tr><td><a href=\"/d/{id}\">{name}</a></td><td>{m}</td><td class=\"id\">{model}</td>\
                 <td>{tier} {score}/100</td><td>{u}</td></tr>",
                id = esc(&d.id),
                name = esc(&d.name),
                m = esc(&d.manufacturer),
                model = esc(&d.model),
                tier = tier_badge(&d.tier),
                score = d.score,
                u = esc(&d.updated),
            );
        }
        b.push_str("</tbody></table>");
    }
    let pages = (p.total + i64::from(p.per_page) - 1) / i64::from(p.per_page).max(1);
    if pages > 1 {
        b.push_str("<nav aria-label=\"pages\">");
        let link = |n: u32, text: &str| {
            format!(
                "<a href=\"/?q={}&amp;tier={}&amp;page={n}\">{text}</a>",
                enc(q),
                enc(tier)
            )
        };
        if p.page > 1 {
            b.push_str(&link(p.page - 1, "previous"));
        }
        if i64::from(p.page) < pages {
            b.push_str(&link(p.page + 1, "next"));
        }
        b.push_str("</nav>");
    }
    b
}

/// Rendered device pages by id, with the version and change time they show: a page is
/// rendered once per version and served from memory until the device changes (one index
/// probe per request tells). Bounded: emptied when it holds too many.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    map: std::sync::Mutex<std::collections::HashMap<String, (Shown, std::sync::Arc<String>)>>,
}

/// The version a page shows and when that version was made.
pub(crate) type Shown = (i64, String);

const CACHED_PAGES: usize = 4096;

impl Cache {
    pub(crate) fn get(&self, id: &str, at: &Shown) -> Option<std::sync::Arc<String>> {
        let map = self.map.lock().ok()?;
        map.get(id).filter(|(k, _)| k == at).map(|(_, p)| p.clone())
    }

    pub(crate) fn put(&self, id: String, at: Shown, page: std::sync::Arc<String>) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CACHED_PAGES {
                map.clear();
            }
            map.insert(id, (at, page));
        }
    }
}

/// `GET /d/{id}`
pub(crate) async fn device(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let r = state.registry.clone();
    let cache = state.pages.clone();
    let found = blocking(move || {
        let at = r.current(&id)?;
        if let Some(page) = cache.get(&id, &at) {
            return Ok(page);
        }
        let d = r.device(&id)?;
        let label = r.label(&id)?;
        let label: Value = serde_json::from_str(&label).unwrap_or(Value::Null);
        let rendered = std::sync::Arc::new(page(&d.summary.name, &device_body(&d, &label)));
        // The version rendered is the one read: keyed by what the device said then.
        let shown = (d.summary.version, d.summary.updated.clone());
        cache.put(id, shown, rendered.clone());
        Ok(rendered)
    })
    .await;
    match found {
        Ok(html) => Html(html.as_str().to_owned()).into_response(),
        Err(e) if matches!(e.0, Error::NotFound(_)) => {
            let body = "<h1>Not registered</h1><p>No product with this id is registered here. \
                        Check the code on the label, or search the registry.</p>";
            (StatusCode::NOT_FOUND, Html(page("Not registered", body))).into_response()
        }
        Err(e) => error_page(&e.0),
    }
}

fn check_status<'a>(a: &'a Value, code: &str) -> &'a str {
    a["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == code))
        .map_or("", |c| s(&c["status"]))
}

fn words(status: &str) -> &'static str {
    match status {
        "pass" => "yes",
        "fail" => "no",
        "needs-evidence" => "not shown (evidence needed)",
        "not-applicable" => "not applicable",
        _ => "not assessed",
    }
}

fn device_body(d: &Device, label: &Value) -> String {
    let a = &d.assessment;
    let sm = &d.summary;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p>{m}</p><h1>{name}</h1><p>Model <span class=\"id\">{model}</span>{fw} · registry id \
         <span class=\"id\">{id}</span></p><p>Risk {tier} {score}/100</p>",
        m = esc(&sm.manufacturer),
        name = esc(&sm.name),
        model = esc(&sm.model),
        fw = label["product"]["firmware_version"]
            .as_str()
            .map(|f| format!(", firmware <span class=\"id\">{}</span>", esc(f)))
            .unwrap_or_default(),
        id = esc(&sm.id),
        tier = tier_badge(&sm.tier),
        score = sm.score,
    );

    // The Cyber Trust Mark registry fields.
    let updates = &label["updates"];
    let support = match (s(&updates["support_end"]), updates["supported"].as_bool()) {
        ("", _) => "not declared".to_owned(),
        (end, Some(false)) => format!("unsupported: security updates ended on {end}"),
        (end, _) => format!("security updates guaranteed until {end}"),
    };
    let password = match s(&label["default_password"]) {
        "unique-per-device" => "unique per device; change it in the product's settings",
        "user-set-at-setup" => "none: the user sets a password at setup",
        "none" => "the product uses no passwords",
        "universal" => "the same default password on every unit (a failure)",
        _ => "not declared",
    };
    let _ = write!(
        b,
        "<h2 id=\"registry\">Registry facts</h2><dl>\
         <dt>Product</dt><dd>{name} ({model})</dd><dt>Manufacturer</dt><dd>{m}</dd>\
         <dt>Assessed</dt><dd>{assessed}, version {v} of this registration, updated {updated}</dd>\
         <dt>Assessing lab</dt><dd>{lab}</dd>\
         <dt>Default password</dt><dd>{password}</dd>\
         <dt>Update mechanism</dt><dd>{mech}</dd><dt>Support period</dt><dd>{support}</dd>\
         <dt>SBOM maintained</dt><dd>{sbom}</dd>\
         <dt>Report a vulnerability</dt><dd>{contact}</dd></dl>",
        name = esc(&sm.name),
        model = esc(&sm.model),
        m = esc(&sm.manufacturer),
        assessed = esc(s(&label["assessed"])),
        v = sm.version,
        updated = esc(&sm.updated),
        lab = if d.attestations.is_empty() {
            "none yet: the facts are the manufacturer's declaration".to_owned()
        } else {
            let mut labs: Vec<&str> = d.attestations.iter().map(|a| s(&a["lab"])).collect();
            labs.dedup();
            esc(&labs.join(", "))
        },
        mech = esc(match s(&updates["mechanism"]) {
            "" => "not declared",
            m => m,
        }),
        support = esc(&support),
        sbom = words(check_status(a, "sbom-available")),
        contact = esc(match s(&label["vulnerability_contact"]) {
            "" => "not declared",
            c => c,
        }),
    );

    // Why this tier.
    b.push_str("<h2 id=\"risk\">Why this risk tier</h2><ul>");
    for r in a["risk"]["tier_reasons"].as_array().into_iter().flatten() {
        let _ = write!(b, "<li>{}</li>", esc(s(r)));
    }
    b.push_str("</ul><table><thead><tr><th scope=\"col\">Factor</th><th scope=\"col\">Points</th><th scope=\"col\">Why</th></tr></thead><tbody>");
    for f in a["risk"]["factors"].as_array().into_iter().flatten() {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s(&f["name"]).replace('_', " ")),
            f["contribution"],
            esc(s(&f["reason"]))
        );
    }
    b.push_str("</tbody></table>");

    // Frameworks.
    b.push_str("<h2 id=\"frameworks\">Frameworks</h2><table><thead><tr><th scope=\"col\">Framework</th><th scope=\"col\">Applies</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
    for f in a["frameworks"].as_array().into_iter().flatten() {
        let sum = &f["summary"];
        let n = |k: &str| sum[k].as_u64().unwrap_or(0);
        let outcome = format!(
            "{} pass, {} fail ({} required), {} need evidence",
            n("pass"),
            n("fail"),
            n("required-failing"),
            n("needs-evidence")
        );
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(s(&f["title"])),
            if f["applies"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            esc(&outcome)
        );
    }
    b.push_str("</tbody></table>");

    // Known vulnerabilities, known exploited first.
    b.push_str("<h2 id=\"vulnerabilities\">Known vulnerabilities</h2>");
    let mut findings: Vec<&Value> = a["vulnerabilities"]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| !matches!(s(&f["status"]), "not_affected" | "fixed"))
        .collect();
    if a["vulnerabilities"].is_null() {
        b.push_str("<p>No SBOM was submitted: known vulnerabilities are not tracked.</p>");
    } else if findings.is_empty() {
        b.push_str("<p>None known in the submitted SBOM.</p>");
    } else {
        findings.sort_by_key(|f| !f["kev"].as_bool().unwrap_or(false));
        b.push_str("<table><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Component</th><th scope=\"col\">Severity</th><th scope=\"col\">Fixed in</th></tr></thead><tbody>");
        for f in findings {
            let kev = if f["kev"].as_bool() == Some(true) {
                " <span class=\"kev\">known exploited</span>"
            } else {
                ""
            };
            let fixed: Vec<&str> = f["fixed"].as_array().into_iter().flatten().map(s).collect();
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}{kev}</td><td class=\"id\">{}@{}</td><td>{}</td><td>{}</td></tr>",
                esc(s(&f["id"])),
                esc(s(&f["component"])),
                esc(s(&f["version"])),
                esc(match s(&f["severity"]) {
                    "" => "unknown",
                    x => x,
                }),
                esc(&fixed.join(", "))
            );
        }
        b.push_str("</tbody></table>");
    }

    // Who verified what.
    b.push_str("<h2 id=\"attestations\">Verified by labs</h2>");
    if d.attestations.is_empty() {
        b.push_str("<p>No lab has attested this product yet: every fact above is declared by the manufacturer.</p>");
    } else {
        b.push_str("<table><thead><tr><th scope=\"col\">Lab</th><th scope=\"col\">Date</th><th scope=\"col\">Check</th><th scope=\"col\">Result</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
        for at in &d.attestations {
            for c in at["checks"].as_array().into_iter().flatten() {
                let _ = write!(
                    b,
                    "<tr><td>{}</td><td>{}</td><td class=\"id\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(s(&at["lab"])),
                    esc(s(&at["date"])),
                    esc(s(&c["code"])),
                    esc(s(&c["result"])),
                    esc(s(&c["evidence"]))
                );
            }
        }
        b.push_str("</tbody></table>");
    }

    // History.
    b.push_str("<h2 id=\"history\">Version history</h2><table><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Firmware</th><th scope=\"col\">Risk</th><th scope=\"col\">Submitted</th></tr></thead><tbody>");
    for v in &d.versions {
        let _ = write!(
            b,
            "<tr><td>{}</td><td class=\"id\">{}</td><td>{} {}/100</td><td>{}{}</td></tr>",
            v.version,
            esc(v.firmware_version.as_deref().unwrap_or("-")),
            tier_badge(&v.tier),
            v.score,
            esc(&v.created),
            v.note
                .as_deref()
                .map(|n| format!(" ({})", esc(n)))
                .unwrap_or_default()
        );
    }
    let _ = write!(
        b,
        "</tbody></table><p><a href=\"/api/v1/devices/{id}\">This record as JSON</a> · \
         <a href=\"/api/v1/devices/{id}/label.json\">label.json</a> · \
         <a href=\"/d/{id}/feed.atom\" type=\"application/atom+xml\">changes (Atom feed)</a></p>",
        id = enc(&sm.id)
    );
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
        assert_eq!(enc("a b&c/é"), "a%20b%26c%2F%C3%A9");
    }
}

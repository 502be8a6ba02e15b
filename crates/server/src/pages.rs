//! The public pages: server-rendered HTML, no script, one stylesheet from this server.
//! The device page carries the US Cyber Trust Mark registry fields (FCC 24-26 para. 113)
//! from the stored label and assessment.

use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use riskmark_label::Lang;
use riskmark_label::i18n::Messages;
use riskmark_registry::{Device, Error, Page};
use serde_json::Value;

use crate::AppState;
use crate::api::{ApiError, SearchParams, blocking};

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

use riskmark_report::escape_html as esc;

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

/// The language a page is asked in (`?lang=`), English by default.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct LangParam {
    lang: Option<String>,
}

pub(crate) fn lang_of(tag: Option<&str>) -> Lang {
    Lang::ALL
        .into_iter()
        .find(|l| Some(l.tag()) == tag)
        .unwrap_or(Lang::En)
}

fn page(title: &str, body: &str, m: &Messages) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title} - {reg}</title><link rel=\"stylesheet\" href=\"/static/site.css\">\
         </head><body><header><nav aria-label=\"site\"><a href=\"/?lang={lang}\">{reg}</a></nav></header>\
         <main>{body}</main><footer>{footer}</footer></body></html>\n",
        lang = m.lang().tag(),
        title = esc(title),
        reg = esc(&m.t("page-registry")),
        footer = esc(&m.t_args("page-footer", &[("version", env!("CARGO_PKG_VERSION"))])),
    )
}

fn error_page(e: &ApiError) -> Response {
    let code = e.status();
    let body = format!("<h1>{}</h1><p>{}</p>", code.as_u16(), esc(&e.message()));
    (code, Html(page("Error", &body, &messages(Lang::En)))).into_response()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn tier_badge(tier: &str, m: &Messages) -> String {
    format!(
        "<span class=\"tier tier-{t}\">{T}</span>",
        t = esc(tier),
        T = esc(&m.t(&format!("tier-{tier}")).to_uppercase())
    )
}

/// `GET /`
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Response {
    let q = p.q.clone().unwrap_or_default();
    let tier = p.tier.clone().unwrap_or_default();
    let lang = lang_of(p.lang.as_deref());
    let r = state.registry.clone();
    let found = blocking(move || r.search(&p.query())).await;
    // Messages are not Send: made after the await.
    let m = messages(lang);
    match found {
        Ok(result) => Html(page(
            &m.t("page-search"),
            &search_body(&q, &tier, &result, &m),
            &m,
        ))
        .into_response(),
        Err(e) => error_page(&e),
    }
}

fn search_body(q: &str, tier: &str, p: &Page, m: &Messages) -> String {
    let t = |k: &str| esc(&m.t(k));
    let lang = m.lang().tag();
    let mut b = languages(m, "/");
    let _ = write!(
        b,
        "<h1>{h}</h1><form method=\"get\" action=\"/\" role=\"search\">\
         <input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
         <label for=\"q\">{ql}</label> \
         <input id=\"q\" name=\"q\" value=\"{q}\"> <label for=\"tier\">{tl}</label> \
         <select id=\"tier\" name=\"tier\"><option value=\"\">{any}</option>",
        h = t("page-products"),
        ql = t("page-query"),
        q = esc(q),
        tl = t("risk-tier"),
        any = t("page-any"),
    );
    for level in ["low", "medium", "high", "critical"] {
        let _ = write!(
            b,
            "<option value=\"{level}\"{}>{}</option>",
            if level == tier { " selected" } else { "" },
            t(&format!("tier-{level}"))
        );
    }
    let _ = write!(
        b,
        "</select> <button type=\"submit\">{}</button></form><p>{}</p>",
        t("page-search"),
        esc(&m.t_args("page-count", &[("count", &p.total.to_string())]))
    );
    if !p.devices.is_empty() {
        let _ = write!(
            b,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t("product"),
            t("rf-manufacturer"),
            t("model"),
            t("risk-tier"),
            t("page-updated")
        );
        for d in &p.devices {
            let _ = write!(
                b,
                "<tr><td><a href=\"/d/{id}?lang={lang}\">{name}</a></td><td>{mf}</td><td class=\"id\">{model}</td>\
                 <td>{tier} {score}/100</td><td>{u}</td></tr>",
                id = esc(&d.id),
                name = esc(&d.name),
                mf = esc(&d.manufacturer),
                model = esc(&d.model),
                tier = tier_badge(&d.tier, m),
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
                "<a href=\"/?q={}&amp;tier={}&amp;lang={lang}&amp;page={n}\">{text}</a>",
                enc(q),
                enc(tier)
            )
        };
        if p.page > 1 {
            b.push_str(&link(p.page - 1, &t("page-previous")));
        }
        if i64::from(p.page) < pages {
            b.push_str(&link(p.page + 1, &t("page-next")));
        }
        b.push_str("</nav>");
    }
    b
}

/// Rendered device pages (and API answers) by key, with the version and change time they
/// show: rendered once per version and served from memory. An entry checked against the
/// database within the last [`FRESH`] is served without asking again (so the database is
/// not on the path of a popular page); after that one index probe tells whether the
/// device changed. Writes through this server forget the device's entries at once;
/// another server's writes show within [`FRESH`]. Bounded: emptied when it holds too
/// many.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    map: std::sync::Mutex<std::collections::HashMap<String, Entry>>,
}

/// A cached answer: what it shows, itself, and when it was last known current.
type Entry = (Shown, std::sync::Arc<String>, std::time::Instant);

/// How long a cached answer is served without asking the database whether its device
/// changed.
pub(crate) const FRESH: std::time::Duration = std::time::Duration::from_secs(1);

thread_local! {
    /// Each language's messages, parsed once per thread (a page names all five
    /// languages; parsing their catalogs for every page cost more than the page).
    static MESSAGES: std::cell::RefCell<Vec<(Lang, std::rc::Rc<Messages>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The messages of a language, from this thread's cache.
pub(crate) fn messages(lang: Lang) -> std::rc::Rc<Messages> {
    MESSAGES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, m)) = cache.iter().find(|(l, _)| *l == lang) {
            return m.clone();
        }
        let m = std::rc::Rc::new(Messages::new(lang));
        cache.push((lang, m.clone()));
        m
    })
}

/// The version a page shows and when that version was made.
pub(crate) type Shown = (i64, String);

const CACHED_PAGES: usize = 4096;

impl Cache {
    /// The entry, when it was known current within [`FRESH`].
    pub(crate) fn fresh(&self, key: &str) -> Option<std::sync::Arc<String>> {
        let map = self.map.lock().ok()?;
        map.get(key)
            .filter(|(_, _, checked)| checked.elapsed() < FRESH)
            .map(|(_, p, _)| p.clone())
    }

    /// The entry, when it shows `at` (the device's current version): known current now.
    pub(crate) fn get(&self, key: &str, at: &Shown) -> Option<std::sync::Arc<String>> {
        let mut map = self.map.lock().ok()?;
        let e = map.get_mut(key).filter(|(k, _, _)| k == at)?;
        e.2 = std::time::Instant::now();
        Some(e.1.clone())
    }

    pub(crate) fn put(&self, key: String, at: Shown, page: std::sync::Arc<String>) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= CACHED_PAGES {
                map.clear();
            }
            map.insert(key, (at, page, std::time::Instant::now()));
        }
    }

    /// Forgets every entry of a device (keys are `<kind>:<id>`): it was just written.
    pub(crate) fn forget(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|k, _| k.split_once(':').map(|(_, i)| i) != Some(id));
        }
    }
}

/// `GET /d/{id}` (`?lang=`)
pub(crate) async fn device(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangParam>,
) -> Response {
    let lang = lang_of(q.lang.as_deref());
    let key = format!("{}:{id}", lang.tag());
    if let Some(html) = state.pages.fresh(&key) {
        return Html(crate::shared_body(html)).into_response();
    }
    let r = state.registry.clone();
    let cache = state.pages.clone();
    let found = blocking(move || {
        let at = r.current(&id)?;
        if let Some(page) = cache.get(&key, &at) {
            return Ok(page);
        }
        let m = messages(lang);
        let d = r.device_lean(&id)?;
        let label = r.label(&id)?;
        let label: Value = serde_json::from_str(&label).unwrap_or(Value::Null);
        let rendered = std::sync::Arc::new(page(&d.summary.name, &device_body(&d, &label, &m), &m));
        // The version rendered is the one read: keyed by what the device said then.
        let shown = (d.summary.version, d.summary.updated.clone());
        cache.put(key, shown, rendered.clone());
        Ok(rendered)
    })
    .await;
    match found {
        Ok(html) => Html(crate::shared_body(html)).into_response(),
        Err(ApiError::Registry(Error::NotFound(_))) => {
            let m = messages(lang);
            let body = format!(
                "<h1>{}</h1><p>{}</p>",
                esc(&m.t("page-not-registered")),
                esc(&m.t("page-not-registered-text"))
            );
            (
                StatusCode::NOT_FOUND,
                Html(page(&m.t("page-not-registered"), &body, &m)),
            )
                .into_response()
        }
        Err(e) => error_page(&e),
    }
}

fn check_status<'a>(a: &'a Value, code: &str) -> &'a str {
    a["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == code))
        .map_or("", |c| s(&c["status"]))
}

/// ` lang="en"` on English text (from the engine or the catalogs) in a page of another
/// language, so screen readers switch.
fn en(m: &Messages) -> &'static str {
    if m.lang() == Lang::En {
        ""
    } else {
        " lang=\"en\""
    }
}

/// The language links of a page.
fn languages(m: &Messages, path: &str) -> String {
    let links: Vec<String> = Lang::ALL
        .iter()
        .map(|l| {
            let name = messages(*l).t("lang-name");
            if *l == m.lang() {
                format!("<strong lang=\"{}\">{}</strong>", l.tag(), esc(&name))
            } else {
                format!(
                    "<a href=\"{path}?lang={t}\" lang=\"{t}\" hreflang=\"{t}\">{}</a>",
                    esc(&name),
                    t = l.tag()
                )
            }
        })
        .collect();
    format!(
        "<nav aria-label=\"{}\">{}</nav>",
        esc(&m.t("page-languages")),
        links.join(" · ")
    )
}

fn device_body(d: &Device, label: &Value, m: &Messages) -> String {
    let a = &d.assessment;
    let sm = &d.summary;
    let en = en(m);
    let t = |k: &str| esc(&m.t(k));
    let mut b = languages(m, &format!("/d/{}", enc(&sm.id)));
    let _ = write!(
        b,
        "<p>{mf}</p><h1>{name}</h1><p>{model_l} <span class=\"id\">{model}</span>{fw} · {id_l} \
         <span class=\"id\">{id}</span></p><p>{risk_l} {tier} {score}/100</p>",
        mf = esc(&sm.manufacturer),
        name = esc(&sm.name),
        model_l = t("model"),
        model = esc(&sm.model),
        fw = label["product"]["firmware_version"]
            .as_str()
            .map(|f| format!(", {} <span class=\"id\">{}</span>", t("firmware"), esc(f)))
            .unwrap_or_default(),
        id_l = t("device-id"),
        id = esc(&sm.id),
        risk_l = t("risk-tier"),
        tier = tier_badge(&sm.tier, m),
        score = sm.score,
    );

    // The Cyber Trust Mark registry fields (FCC 24-26 para. 113).
    let updates = &label["updates"];
    let support = match (s(&updates["support_end"]), updates["supported"].as_bool()) {
        ("", _) => m.t("support-not-declared"),
        (end, Some(false)) => m.t_args("support-ended", &[("date", end)]),
        (end, _) => m.t_args("support-until", &[("date", end)]),
    };
    let password = match s(&label["default_password"]) {
        "" => m.t("not-declared"),
        p => m.t(&format!("password-{p}")),
    };
    let mech = match s(&updates["mechanism"]) {
        "" => m.t("updates-not-declared"),
        u => m.t(&format!("updates-{u}")),
    };
    let sbom = match check_status(a, "sbom-available") {
        "pass" => m.t("yes"),
        "fail" => m.t("no"),
        "needs-evidence" => m.t("status-needs-evidence"),
        _ => m.t("not-declared"),
    };
    let lab = if d.attestations.is_empty() {
        t("rf-test-lab-none")
    } else {
        let mut labs: Vec<&str> = d.attestations.iter().map(|a| s(&a["lab"])).collect();
        labs.dedup();
        esc(&labs.join(", "))
    };
    let _ = write!(
        b,
        "<h2 id=\"registry\">{h}</h2><dl>\
         <dt>{l_name}</dt><dd>{name} ({model})</dd><dt>{l_mf}</dt><dd>{mf}</dd>\
         <dt>{l_assessed}</dt><dd>{assessed}</dd>\
         <dt>{l_lab}</dt><dd>{lab}</dd>\
         <dt>{l_pw}</dt><dd>{password}</dd>\
         <dt>{l_up}</dt><dd>{mech}</dd><dt>{l_sup}</dt><dd>{support}</dd>\
         <dt>{l_sbom}</dt><dd>{sbom}</dd>\
         <dt>{l_contact}</dt><dd>{contact}</dd></dl>",
        h = t("registry-fields"),
        l_name = t("rf-product-name"),
        name = esc(&sm.name),
        model = esc(&sm.model),
        l_mf = t("rf-manufacturer"),
        mf = esc(&sm.manufacturer),
        l_assessed = t("page-assessed"),
        assessed = esc(&m.t_args(
            "page-version-of",
            &[
                ("date", s(&label["assessed"])),
                ("version", &sm.version.to_string())
            ]
        )),
        l_lab = t("rf-test-lab"),
        l_pw = t("rf-change-password"),
        password = esc(&password),
        l_up = t("rf-updates"),
        mech = esc(&mech),
        l_sup = t("rf-support-end"),
        support = esc(&support),
        l_sbom = t("rf-sbom-hbom"),
        sbom = esc(&sbom),
        l_contact = t("report-vulnerability"),
        contact = match s(&label["vulnerability_contact"]) {
            "" => t("not-declared"),
            c => esc(c),
        },
    );

    // Why this tier (the engine's words, in English).
    let _ = write!(b, "<h2 id=\"risk\">{}</h2><ul>", t("page-why-tier"));
    for r in a["risk"]["tier_reasons"].as_array().into_iter().flatten() {
        let _ = write!(b, "<li{en}>{}</li>", esc(s(r)));
    }
    let _ = write!(
        b,
        "</ul><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("page-factor"),
        t("page-points"),
        t("page-why")
    );
    for f in a["risk"]["factors"].as_array().into_iter().flatten() {
        let _ = write!(
            b,
            "<tr><td{en}>{}</td><td>{}</td><td{en}>{}</td></tr>",
            esc(&s(&f["name"]).replace('_', " ")),
            f["contribution"],
            esc(s(&f["reason"]))
        );
    }
    b.push_str("</tbody></table>");

    // Frameworks.
    let _ = write!(
        b,
        "<h2 id=\"frameworks\">{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("framework-verdicts"),
        t("framework"),
        t("applies"),
        t("page-outcome")
    );
    for f in a["frameworks"].as_array().into_iter().flatten() {
        let sum = &f["summary"];
        let n = |k: &str| sum[k].as_u64().unwrap_or(0).to_string();
        let outcome = m.t_args(
            "summary-counts",
            &[
                ("pass", &n("pass")),
                ("fail", &n("fail")),
                ("needs", &n("needs-evidence")),
                ("na", &n("not-applicable")),
            ],
        );
        let _ = write!(
            b,
            "<tr><td{en}>{}</td><td>{}</td><td>{}</td></tr>",
            esc(s(&f["title"])),
            t(if f["applies"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            }),
            esc(&outcome)
        );
    }
    b.push_str("</tbody></table>");

    // Known vulnerabilities, known exploited first.
    let _ = write!(
        b,
        "<h2 id=\"vulnerabilities\">{}</h2>",
        t("known-vulnerabilities")
    );
    let mut findings: Vec<&Value> = a["vulnerabilities"]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| !matches!(s(&f["status"]), "not_affected" | "fixed"))
        .collect();
    if a["vulnerabilities"].is_null() {
        let _ = write!(b, "<p>{}</p>", t("no-sbom"));
    } else if findings.is_empty() {
        let _ = write!(b, "<p>{}</p>", t("no-known-vulnerabilities"));
    } else {
        findings.sort_by_key(|f| !f["kev"].as_bool().unwrap_or(false));
        let _ = write!(
            b,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t("vuln-id"),
            t("vuln-component"),
            t("vuln-severity"),
            t("vuln-fixed")
        );
        let kev_badge = format!(" <span class=\"kev\">{}</span>", t("vuln-kev"));
        for f in findings {
            let kev = if f["kev"].as_bool() == Some(true) {
                kev_badge.as_str()
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
                    "" => "-",
                    x => x,
                }),
                esc(&fixed.join(", "))
            );
        }
        b.push_str("</tbody></table>");
    }

    // Who verified what.
    let _ = write!(b, "<h2 id=\"attestations\">{}</h2>", t("page-verified"));
    if d.attestations.is_empty() {
        let _ = write!(b, "<p>{}</p>", t("page-no-attestation"));
    } else {
        let _ = write!(
            b,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t("page-lab"),
            t("page-date"),
            t("page-check"),
            t("page-result"),
            t("page-evidence")
        );
        for at in &d.attestations {
            for c in at["checks"].as_array().into_iter().flatten() {
                let result = match s(&c["result"]) {
                    "pass" => m.t("status-pass"),
                    "fail" => m.t("status-fail"),
                    r => r.to_owned(),
                };
                let _ = write!(
                    b,
                    "<tr><td>{}</td><td>{}</td><td class=\"id\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(s(&at["lab"])),
                    esc(s(&at["date"])),
                    esc(s(&c["code"])),
                    esc(&result),
                    esc(s(&c["evidence"]))
                );
            }
        }
        b.push_str("</tbody></table>");
    }

    // History.
    let _ = write!(
        b,
        "<h2 id=\"history\">{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("page-history"),
        t("page-version"),
        t("firmware"),
        t("risk-tier"),
        t("page-submitted")
    );
    for v in &d.versions {
        let _ = write!(
            b,
            "<tr><td>{}</td><td class=\"id\">{}</td><td>{} {}/100</td><td>{}{}</td></tr>",
            v.version,
            esc(v.firmware_version.as_deref().unwrap_or("-")),
            tier_badge(&v.tier, m),
            v.score,
            esc(&v.created),
            v.note
                .as_deref()
                .map(|n| format!(" <span{en}>({})</span>", esc(n)))
                .unwrap_or_default()
        );
    }
    let _ = write!(
        b,
        "</tbody></table><p><a href=\"/api/v1/devices/{id}\">{json}</a> · \
         <a href=\"/api/v1/devices/{id}/label.json\">label.json</a> · \
         <a href=\"/d/{id}/feed.atom\" type=\"application/atom+xml\">{feed}</a></p>",
        id = enc(&sm.id),
        json = t("page-json"),
        feed = t("page-feed"),
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

//! The primary layer: the box on the package, as SVG with real text.
//!
//! Lines are wrapped with the embedded font's own advances ([`crate::fonts::width`]), so
//! the layout holds in every language; the PNG and PDF render the same SVG with the
//! same fonts.

use riskmark_model::{DataKind, DefaultPassword, UpdateMechanism};
use riskmark_risk::Tier;

use crate::i18n::Messages;
use crate::{Error, Label, Outcome, fonts, qr};

/// Width of the label in SVG units (CSS pixels; about 111 mm at 96 dpi).
pub const WIDTH: f32 = 420.0;
const MARGIN: f32 = 18.0;
const CONTENT: f32 = WIDTH - 2.0 * MARGIN;
const QR_SIZE: f32 = 128.0;

const NAVY: &str = "#14213d";
const INK: &str = "#111111";
const MUTED: &str = "#3d4757";
const RULE: &str = "#c5cdd9";
const GOOD: &str = "#1e6b34";
const BAD: &str = "#a3141e";
const NEUTRAL: &str = "#4f5866";
/// Evidence needed: amber, neither the pass green nor the fail red (6.5:1 on white).
const EVIDENCE: &str = "#8a4f00";

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The text of one fact, in the label's language (shared with the HTML layer).
pub(crate) struct Facts {
    pub(crate) tier: String,
    pub(crate) score: String,
    pub(crate) updates: String,
    pub(crate) support: String,
    pub(crate) password: String,
    pub(crate) contact: String,
    pub(crate) data: String,
    pub(crate) offline: String,
    /// (framework name, outcome text, outcome).
    pub(crate) requirements: Vec<(String, String, Outcome)>,
    pub(crate) assessed: String,
    pub(crate) made_with: String,
}

pub(crate) fn tier_key(t: Tier) -> &'static str {
    match t {
        Tier::Low => "tier-low",
        Tier::Medium => "tier-medium",
        Tier::High => "tier-high",
        Tier::Critical => "tier-critical",
    }
}

fn tier_color(t: Tier) -> &'static str {
    match t {
        Tier::Low => "#1e6b34",
        Tier::Medium => "#8a4f00",
        Tier::High => "#b0361a",
        Tier::Critical => "#7a0010",
    }
}

fn data_key(d: DataKind) -> &'static str {
    match d {
        DataKind::Personal => "data-personal",
        DataKind::Audio => "data-audio",
        DataKind::Video => "data-video",
        DataKind::Location => "data-location",
        DataKind::Health => "data-health",
        DataKind::Biometric => "data-biometric",
        DataKind::Credentials => "data-credentials",
        DataKind::Usage => "data-usage",
        DataKind::None => "data-none",
    }
}

impl Facts {
    pub(crate) fn new(label: &Label, m: &Messages) -> Self {
        let nd = || m.t("not-declared");
        let updates = m.t(match label.updates.mechanism {
            Some(UpdateMechanism::Automatic) => "updates-automatic",
            Some(UpdateMechanism::UserInitiated) => "updates-user-initiated",
            Some(UpdateMechanism::Manual) => "updates-manual",
            Some(UpdateMechanism::None) => "updates-none",
            None => "updates-not-declared",
        });
        let support = match (&label.updates.support_end, label.updates.supported) {
            (Some(d), Some(false)) => m.t_args("support-ended", &[("date", d)]),
            (Some(d), _) => m.t_args("support-until", &[("date", d)]),
            (None, _) => m.t("support-not-declared"),
        };
        let password = match label.default_password {
            Some(DefaultPassword::None) => m.t("password-none"),
            Some(DefaultPassword::UniquePerDevice) => m.t("password-unique-per-device"),
            Some(DefaultPassword::UserSetAtSetup) => m.t("password-user-set-at-setup"),
            Some(DefaultPassword::Universal) => m.t("password-universal"),
            None => nd(),
        };
        let contact = label
            .vulnerability_contact
            .as_deref()
            .map(|c| c.strip_prefix("mailto:").unwrap_or(c).to_owned())
            .unwrap_or_else(nd);
        let data = match &label.data_collected {
            Some(kinds) if !kinds.is_empty() => {
                let sep = if m.lang() == crate::Lang::Ja {
                    "、"
                } else {
                    ", "
                };
                kinds
                    .iter()
                    .map(|k| m.t(data_key(*k)))
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            Some(_) => m.t("data-none"),
            None => nd(),
        };
        let offline = match label.works_offline {
            Some(true) => m.t("yes"),
            Some(false) => m.t("no"),
            None => nd(),
        };
        let requirements = label
            .requirements
            .iter()
            .map(|r| {
                let name = m.t(match r.framework.as_str() {
                    "uk-psti" => "fw-uk-psti",
                    "sg-cls" => "fw-sg-cls",
                    _ => "fw-etsi",
                });
                let text = match (r.outcome, r.level.as_deref()) {
                    (Outcome::NotApplicable, _) => m.t("not-applicable"),
                    (Outcome::Meets, Some(level)) => {
                        m.t_args("cls-level", &[("level", level.trim_start_matches('L'))])
                    }
                    (Outcome::DoesNotMeet, Some(_)) => m.t("cls-none"),
                    (Outcome::Meets, None) => m.t("meets"),
                    (Outcome::DoesNotMeet, None) => m.t("does-not-meet"),
                    (Outcome::EvidenceNeeded, Some(_)) => m.t("cls-none"),
                    (Outcome::EvidenceNeeded, None) => m.t("evidence-needed"),
                };
                (name, text, r.outcome)
            })
            .collect();
        Self {
            tier: m.t(tier_key(label.risk.tier)),
            score: m.t_args("risk-score", &[("score", &label.risk.score.to_string())]),
            updates,
            support,
            password,
            contact,
            data,
            offline,
            requirements,
            assessed: m.t_args("assessed", &[("date", &label.assessed)]),
            made_with: m.t_args(
                "generated-by",
                &[(
                    "tool",
                    &format!("{} {}", label.tool.name, label.tool.version),
                )],
            ),
        }
    }
}

/// Accumulates SVG elements top to bottom.
struct Canvas {
    body: String,
    y: f32,
}

impl Canvas {
    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, fill: &str, s: &str) {
        let weight = if bold { r#" font-weight="700""# } else { "" };
        self.body.push_str(&format!(
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}">{}</text>"#,
            esc(s)
        ));
        self.body.push('\n');
    }

    /// Wrapped text from the current y; advances y past it.
    fn para(&mut self, x: f32, max: f32, size: f32, bold: bool, fill: &str, s: &str) {
        let lead = size * 1.35;
        for line in fonts::wrap(s, size, bold, max) {
            self.y += lead;
            let y = self.y - (lead - size) / 2.0 - size * 0.12;
            self.text(x, y, size, bold, fill, &line);
        }
    }

    fn rule(&mut self) {
        self.y += 7.0;
        self.body.push_str(&format!(
            r#"<line x1="{MARGIN}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="{RULE}" stroke-width="1"/>"#,
            y = self.y,
            x2 = WIDTH - MARGIN
        ));
        self.body.push('\n');
        self.y += 3.0;
    }

    /// A labelled fact: a small bold caption, then the value lines.
    fn row(&mut self, caption: &str, values: &[&str]) {
        self.para(MARGIN, CONTENT, 10.5, true, MUTED, caption);
        for v in values {
            self.para(MARGIN, CONTENT, 13.0, false, INK, v);
        }
        self.rule();
    }

    fn mark(&mut self, cx: f32, cy: f32, outcome: Outcome) {
        let (fill, d) = match outcome {
            Outcome::Meets => (GOOD, "M-3.6 0.2l2.4 2.5l4.8-5"),
            Outcome::DoesNotMeet => (BAD, "M-3 -3l6 6M3 -3l-6 6"),
            Outcome::EvidenceNeeded => (EVIDENCE, "M0 -4.2v4.4M0 3.6v0.2"),
            Outcome::NotApplicable => (NEUTRAL, "M-3.5 0h7"),
        };
        self.body.push_str(&format!(
            r##"<g transform="translate({cx:.1} {cy:.1})"><circle r="7.5" fill="{fill}"/><path d="{d}" fill="none" stroke="#ffffff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></g>"##
        ));
        self.body.push('\n');
    }
}

/// Renders the primary layer.
pub fn primary(label: &Label) -> Result<String, Error> {
    let m = Messages::new(label.lang);
    let f = Facts::new(label, &m);
    let mut c = Canvas {
        body: String::new(),
        y: 10.0,
    };

    // Header band: title, product, model and firmware.
    let header_start = c.body.len();
    c.para(MARGIN, CONTENT, 20.0, true, "#ffffff", &m.t("label-title"));
    c.para(
        MARGIN,
        CONTENT,
        10.5,
        false,
        "#e6ebf2",
        &m.t("label-subtitle"),
    );
    c.y += 6.0;
    c.para(MARGIN, CONTENT, 16.0, true, "#ffffff", &label.product.name);
    let mut line = format!(
        "{} · {} {}",
        label.product.manufacturer,
        m.t("model"),
        label.product.model
    );
    line.push_str(&format!(
        " · {} {}",
        m.t("firmware"),
        label
            .product
            .firmware_version
            .clone()
            .unwrap_or_else(|| m.t("not-declared"))
    ));
    c.para(MARGIN, CONTENT, 11.0, false, "#e6ebf2", &line);
    c.y += 12.0;
    let band = format!(
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{h:.1}\" fill=\"{NAVY}\"/>\n",
        h = c.y
    );
    c.body.insert_str(header_start, &band);
    c.y += 4.0;

    // Risk tier, with a coloured badge that also carries the word.
    let top = c.y;
    c.para(
        MARGIN,
        CONTENT - 150.0,
        10.5,
        true,
        MUTED,
        &m.t("risk-tier"),
    );
    c.para(MARGIN, CONTENT - 150.0, 11.5, false, INK, &f.score);
    let bw = fonts::width(&f.tier, 15.0, true) + 28.0;
    let bx = WIDTH - MARGIN - bw;
    let by = top + 5.0;
    c.body.push_str(&format!(
        "<rect x=\"{bx:.1}\" y=\"{by:.1}\" width=\"{bw:.1}\" height=\"28\" rx=\"14\" fill=\"{}\"/>\n",
        tier_color(label.risk.tier)
    ));
    c.text(bx + 14.0, by + 19.5, 15.0, true, "#ffffff", &f.tier);
    c.y = c.y.max(by + 28.0);
    c.rule();

    c.row(&m.t("security-updates"), &[&f.updates, &f.support]);
    c.row(&m.t("default-password"), &[&f.password]);
    c.row(&m.t("report-vulnerability"), &[&f.contact]);
    c.row(&m.t("data-collected"), &[&f.data]);
    c.row(&m.t("works-offline"), &[&f.offline]);

    // Requirements met.
    c.para(MARGIN, CONTENT, 10.5, true, MUTED, &m.t("requirements"));
    for (name, text, outcome) in &f.requirements {
        c.y += 3.0;
        let first = c.y;
        c.para(
            MARGIN + 24.0,
            CONTENT - 24.0,
            12.0,
            false,
            INK,
            &format!("{name}: {text}"),
        );
        c.mark(MARGIN + 8.0, first + 8.5, *outcome);
    }
    c.rule();

    // Footer: QR code to the registry page, with the URL and date beside it.
    let top = c.y + 4.0;
    c.body.push_str(&qr::svg_group(
        &label.registry_url,
        MARGIN - 8.0,
        top,
        QR_SIZE,
    )?);
    c.body.push('\n');
    let tx = MARGIN + QR_SIZE;
    let tw = WIDTH - MARGIN - tx;
    c.y = top + 8.0;
    c.para(tx, tw, 12.0, true, INK, &m.t("scan-for-details"));
    c.para(tx, tw, 10.0, false, INK, &label.registry_url);
    c.y += 4.0;
    c.para(tx, tw, 11.0, false, INK, &f.assessed);
    c.para(tx, tw, 9.5, false, MUTED, &f.made_with);
    let height = (c.y + 10.0).max(top + QR_SIZE + 6.0).ceil();

    let title = format!("{}: {}", m.t("label-title"), label.product.name);
    Ok(format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" ",
            "viewBox=\"0 0 {w} {h}\" lang=\"{lang}\" role=\"img\" aria-labelledby=\"label-title\" ",
            "font-family=\"'{family}', 'Noto Sans JP', sans-serif\">\n",
            "<title id=\"label-title\">{title}</title>\n",
            "<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            "{body}",
            "<rect x=\"1\" y=\"1\" width=\"{w2}\" height=\"{h2}\" fill=\"none\" stroke=\"{navy}\" stroke-width=\"2\"/>\n",
            "</svg>\n"
        ),
        w = WIDTH,
        h = height,
        w2 = WIDTH - 2.0,
        h2 = height - 2.0,
        lang = label.lang.tag(),
        family = fonts::FAMILY,
        title = esc(&title),
        body = c.body,
        navy = NAVY,
    ))
}

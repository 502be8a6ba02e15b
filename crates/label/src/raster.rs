//! The primary layer as PNG (resvg) and PDF (svg2pdf), with the embedded fonts only.

use resvg::{tiny_skia, usvg};

use crate::{Error, fonts};

/// Pixels per SVG unit in the PNG (3: about 288 dpi at the label's printed size).
pub const PNG_SCALE: f32 = 3.0;

fn tree(svg: &str) -> Result<usvg::Tree, Error> {
    let opts = usvg::Options {
        font_family: fonts::FAMILY.to_owned(),
        fontdb: fonts::database(),
        languages: vec!["en".into(), "ja".into()],
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opts).map_err(|e| Error::Svg(e.to_string()))
}

/// Renders an SVG to PNG at [`PNG_SCALE`].
pub fn png(svg: &str) -> Result<Vec<u8>, Error> {
    let tree = tree(svg)?;
    let size = tree.size().to_int_size().scale_by(PNG_SCALE);
    let size = size.ok_or_else(|| Error::Png("empty image".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::Png(format!("cannot allocate {size:?}")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| Error::Png(e.to_string()))
}

/// Converts an SVG to a one-page PDF; text stays text, with the fonts embedded (subset).
pub fn pdf(svg: &str) -> Result<Vec<u8>, Error> {
    let tree = tree(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| Error::Pdf(e.to_string()))
}

/// The primary layer as a self-contained SVG file: every glyph outlined as a path from the
/// embedded fonts (so it looks the same as the PNG and PDF wherever it is opened, with no
/// font installed), and its words kept for people who cannot see it: the `<title>`, and
/// a `<desc>` with every line of text, referenced by `aria-describedby`.
pub fn outlined(svg: &str) -> Result<String, Error> {
    let tree = tree(svg)?;
    let opts = usvg::WriteOptions {
        preserve_text: false,
        coordinates_precision: 2,
        transforms_precision: 4,
        ..usvg::WriteOptions::default()
    };
    let drawn = tree.to_string(&opts);
    // The root's language and role, and the title, from the source.
    let root_end = svg.find('>').unwrap_or(0);
    let root = &svg[..root_end];
    let attr = |name: &str| -> Option<&str> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = root[start..].find('"')?;
        Some(&root[start..start + len])
    };
    let title = svg
        .find("<title")
        .and_then(|s| svg[s..].find("</title>").map(|e| &svg[s..s + e + 8]))
        .unwrap_or("");
    // Every <text> element's content, in order (already XML-escaped).
    let mut lines = Vec::new();
    let mut rest = svg;
    while let Some(s) = rest.find("<text") {
        let after = &rest[s..];
        let Some(open) = after.find('>') else { break };
        let Some(close) = after.find("</text>") else {
            break;
        };
        if open < close {
            lines.push(after[open + 1..close].trim().to_owned());
        }
        rest = &after[close + 7..];
    }
    let Some(drawn_root_end) = drawn.find('>') else {
        return Err(Error::Svg("usvg wrote no root element".into()));
    };
    let mut out = String::with_capacity(drawn.len() + 4096);
    out.push_str(&drawn[..drawn_root_end]);
    if let Some(lang) = attr("lang") {
        out.push_str(&format!(" lang=\"{lang}\""));
    }
    out.push_str(
        " role=\"img\" aria-labelledby=\"label-title\" aria-describedby=\"label-text\">\n",
    );
    out.push_str(title);
    out.push_str("\n<desc id=\"label-text\">");
    out.push_str(&lines.join("\n"));
    out.push_str("</desc>");
    out.push_str(&drawn[drawn_root_end + 1..]);
    Ok(out)
}

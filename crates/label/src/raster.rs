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

//! The QR code, as SVG drawing commands.

use qrcode::{Color, EcLevel, QrCode};

use crate::Error;

/// Modules of white border on each side (the QR standard's quiet zone).
const QUIET: usize = 4;

/// An SVG group drawing `data` as a QR code (error correction M) in a `size` square at
/// (`x`, `y`), quiet zone included.
pub(crate) fn svg_group(data: &str, x: f32, y: f32, size: f32) -> Result<String, Error> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| {
        Error::Qr {
            len: data.len(),
            reason: e.to_string(),
        }
    })?;
    let n = code.width();
    let colors = code.to_colors();
    let total = n + 2 * QUIET;
    let scale = size / total as f32;
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == Color::Dark {
            let (mx, my) = (i % n + QUIET, i / n + QUIET);
            path.push_str(&format!("M{mx} {my}h1v1h-1z"));
        }
    }
    Ok(format!(
        concat!(
            r##"<g transform="translate({x:.2} {y:.2}) scale({s:.4})" shape-rendering="crispEdges">"##,
            r##"<rect width="{t}" height="{t}" fill="#ffffff"/>"##,
            r##"<path d="{p}" fill="#000000"/></g>"##
        ),
        x = x,
        y = y,
        s = scale,
        t = total,
        p = path
    ))
}

//! `riskmark firmware IMAGE`: what a firmware image ships (see the `riskmark-firmware`
//! crate), and the image as verified evidence for `assess --firmware`.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use riskmark_firmware::{Analysis, Limits};

use super::Outcome;
use crate::output;

#[derive(Debug, Args)]
pub(crate) struct FirmwareArgs {
    /// The firmware image: a squashfs, cpio(.gz), tar, uImage or raw flash dump.
    #[arg(value_name = "IMAGE")]
    image: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FirmwareFormat::Table)]
    format: FirmwareFormat,
    /// Also write `firmware.json` and `sbom.cdx.json` into this directory (created when
    /// missing).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FirmwareFormat {
    /// Components and findings for a terminal.
    Table,
    /// `riskmark/firmware/v1`.
    Json,
    /// The image's SBOM, CycloneDX 1.6.
    Cyclonedx,
}

/// Reads and analyses an image; reports a problem itself and returns `None` when the
/// image cannot be used.
pub(crate) fn analyze(image: &Path) -> Option<Analysis> {
    // Bounded by the most the analysis reads in all: an endless stream stops there.
    let max = Limits::default().max_total_bytes;
    let bytes = match riskmark_model::read_capped(image, max, "a firmware image") {
        Ok(b) => b,
        Err(e) => {
            super::report_load_error(&e);
            return None;
        }
    };
    match riskmark_firmware::analyze(&bytes, &image.display().to_string(), &Limits::default()) {
        Ok(a) => Some(a),
        Err(e) => {
            output::problem(&format!("error: {e}"));
            None
        }
    }
}

/// For `assess` and `label --firmware`: the image's SBOM as an in-memory document and
/// its findings as verified checks (`riskmark_engine::firmware_inputs`); `None`
/// (reported) when the image cannot be used.
pub(crate) fn evidence(
    image: &Path,
    as_of: jiff::civil::Date,
) -> anyhow::Result<
    Option<(
        riskmark_engine::Document,
        Vec<riskmark_engine::VerifiedCheck>,
    )>,
> {
    let Some(a) = analyze(image) else {
        return Ok(None);
    };
    Ok(Some(riskmark_engine::firmware_inputs(&a, as_of)?))
}

pub(crate) fn run(args: &FirmwareArgs) -> anyhow::Result<Outcome> {
    let Some(a) = analyze(&args.image) else {
        return Ok(Outcome::InputError);
    };
    for n in &a.notes {
        output::problem(&format!("note: {}: {}", n.at, n.message));
    }
    let json = || serde_json::to_string_pretty(&a).map(|s| s + "\n");
    let sbom = || serde_json::to_string_pretty(&a.cyclonedx()).map(|s| s + "\n");
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("firmware.json"), json()?)?;
        std::fs::write(dir.join("sbom.cdx.json"), sbom()?)?;
    }
    let text = match args.format {
        FirmwareFormat::Json => json()?,
        FirmwareFormat::Cyclonedx => sbom()?,
        FirmwareFormat::Table => table(&a),
    };
    output::out(&text)?;
    Ok(Outcome::Success)
}

fn table(a: &Analysis) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({} bytes, sha256 {})",
        a.image,
        a.size,
        &a.sha256[..16]
    );
    // The image's own layout in full; streams inside its filesystems (gzipped man pages)
    // counted, not listed.
    let (outer, inner): (Vec<_>, Vec<_>) = a
        .containers
        .iter()
        .partition(|c| c.path == a.image || !matches!(c.format.as_str(), "gzip" | "xz" | "zstd"));
    for c in &outer {
        let _ = writeln!(s, "  {} at 0x{:x} in {}", c.format, c.offset, c.path);
    }
    if !inner.is_empty() {
        let _ = writeln!(
            s,
            "  {} compressed files inside (see --format json)",
            inner.len()
        );
    }
    let _ = writeln!(s, "\n{} files; {} components", a.files, a.components.len());
    for c in &a.components {
        let _ = writeln!(s, "  {:<20} {:<16} {}", c.name, c.version, c.path);
    }
    let _ = writeln!(s, "\n{} findings", a.findings.len());
    for f in &a.findings {
        let sev = serde_json::to_value(f.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {sev:<8} {:<21} {}\n           {}",
            f.code, f.detail, f.path
        );
    }
    s
}

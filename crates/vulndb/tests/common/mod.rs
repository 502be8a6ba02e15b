//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use riskmark_vulndb::{Finding, ImportReport, VulnDbError};

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn import(db: &Path, inputs: &[PathBuf]) -> Result<ImportReport, VulnDbError> {
    riskmark_vulndb::import(db, inputs, |_| ControlFlow::Continue(()))
}

/// Writes a zip archive holding `entries` (name, content), deflated.
pub(crate) fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
}

/// The fixture OSV files of one ecosystem directory as zip entries.
pub(crate) fn fixture_entries(ecosystem: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixtures().join("osv").join(ecosystem);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

pub(crate) fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

pub(crate) fn find<'a>(findings: &'a [Finding], advisory: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.id == advisory || f.advisories.iter().any(|a| a == advisory))
        .unwrap_or_else(|| panic!("{advisory} not in {:?}", ids(findings)))
}

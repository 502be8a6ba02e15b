//! Reads every SBOM of the shared real-world corpus (`<workspace>/../shared/data/sboms`).
//!
//! The corpus is not part of the repository: when it is absent the test says
//! so and passes. Files in it that are not SBOMs at all are listed below and
//! must be rejected with [`SbomError::NotAnSbom`].
#![allow(
    clippy::print_stdout,
    reason = "the corpus summary is the test's report"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use riskmark_sbom::{SbomError, parse_file};

/// Files of the corpus that are not SBOMs, with what they are.
const NOT_SBOMS: &[(&str, &str)] = &[
    (
        "cyclonedx-in-the-wild-dataset-metadata.csv",
        "the dataset's metadata",
    ),
    (
        "spdx-in-the-wild-dataset-metadata.csv",
        "the dataset's metadata",
    ),
    (
        "bashrc2-sbom-cdx.json",
        "a SCANOSS scan result keyed by file name",
    ),
    ("scanoss-sbom-cdx.json", "a JSON array of SCANOSS findings"),
    (
        "maubot-spdx.json",
        "the SPDX licence list, not an SPDX document",
    ),
];

fn corpus_dir() -> PathBuf {
    // crates/sbom -> workspace root -> ../shared
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sboms")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_sbom_parses() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        shared_missing(&dir);
        return;
    }
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    assert!(
        paths.len() > 50,
        "corpus looks incomplete: {} files",
        paths.len()
    );

    let mut failures = Vec::new();
    let mut warnings_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut parsed = 0usize;
    let mut components = 0usize;
    let mut slowest = (String::new(), 0u128);
    for path in &paths {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let started = Instant::now();
        let result = parse_file(path);
        let micros = started.elapsed().as_micros();
        if let Some((_, what)) = NOT_SBOMS.iter().find(|(n, _)| *n == file_name) {
            match result {
                Err(SbomError::NotAnSbom { .. }) => {}
                other => failures.push(format!(
                    "{file_name} is {what}, expected NotAnSbom, got {other:?}"
                )),
            }
            continue;
        }
        match result {
            Ok(sbom) => {
                parsed += 1;
                components += sbom.components.len();
                if sbom.components.is_empty() && sbom.root.is_none() {
                    println!("note: {file_name}: no components (files only)");
                }
                for w in &sbom.warnings {
                    *warnings_by_kind.entry(w.kind.to_string()).or_default() += 1;
                }
                if micros > slowest.1 {
                    slowest = (file_name.to_owned(), micros);
                }
            }
            Err(e) => failures.push(e.to_string()),
        }
    }
    println!(
        "corpus: {parsed} SBOMs parsed, {components} components, {} non-SBOM files rejected",
        NOT_SBOMS.len()
    );
    println!("warnings by kind: {warnings_by_kind:?}");
    println!("slowest: {} ({} µs)", slowest.0, slowest.1);
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

/// `../shared` (the real data beside the repository) is absent: a failure in CI, where
/// it is always there; elsewhere a note on the terminal (stderr written directly, which
/// the test harness does not capture) and the test skips.
fn shared_missing(dir: &Path) {
    use std::io::Write as _;
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is absent: required in CI",
        dir.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: skipped: {} is absent",
        dir.display()
    );
}

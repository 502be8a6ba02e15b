//! Embeds every OSCAL catalog in `catalogs/` and mapping in `mappings/`.

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &str) -> Vec<String> {
    println!("cargo:rerun-if-changed={dir}");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let mut out = String::new();
    for (konst, dir) in [("CATALOGS", "catalogs"), ("MAPPINGS", "mappings")] {
        let _ = writeln!(out, "/// Embedded `{dir}/*.json`: (file name, contents).");
        let _ = writeln!(out, "pub(crate) const {konst}: &[(&str, &str)] = &[");
        for f in list(dir) {
            let path = Path::new(&root).join(dir).join(&f);
            let _ = writeln!(
                out,
                "    ({f:?}, include_str!({:?})),",
                path.display().to_string()
            );
        }
        let _ = writeln!(out, "];");
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

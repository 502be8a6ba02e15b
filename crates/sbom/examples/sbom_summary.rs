//! Prints a summary of SBOM files: format, counts, parse time and warnings.
//!
//! `cargo run --release -p riskmark-sbom --example sbom_summary -- FILE... [--json]`
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example"
)]

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let mut status = ExitCode::SUCCESS;
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let started = Instant::now();
        match riskmark_sbom::parse_file(path) {
            Ok(sbom) => {
                let elapsed = started.elapsed();
                if json {
                    match serde_json::to_string_pretty(&sbom) {
                        Ok(s) => println!("{s}"),
                        Err(e) => eprintln!("{path}: {e}"),
                    }
                    continue;
                }
                println!(
                    "{path}: {} {} | root: {} | {} components, {} relations, {} warnings | {:.1} ms",
                    sbom.format,
                    sbom.spec_version,
                    sbom.root.as_ref().map_or("-", |r| r.name.as_str()),
                    sbom.components.len(),
                    sbom.relations.len(),
                    sbom.warnings.len(),
                    elapsed.as_secs_f64() * 1000.0
                );
                for w in &sbom.warnings {
                    println!("  warning: {w}");
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

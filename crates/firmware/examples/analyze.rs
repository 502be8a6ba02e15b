//! Times [`riskmark_firmware::analyze`] on images (for docs/firmware.md):
//! `cargo run --release -p riskmark-firmware --example analyze -- IMAGE...`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let t = std::time::Instant::now();
        match riskmark_firmware::analyze(&bytes, &path, &riskmark_firmware::Limits::default()) {
            Ok(a) => {
                println!(
                    "{path}: {} bytes, {} containers, {} files, {} components, {} findings, {} notes, {:.3} s",
                    a.size,
                    a.containers.len(),
                    a.files,
                    a.components.len(),
                    a.findings.len(),
                    a.notes.len(),
                    t.elapsed().as_secs_f64()
                );
                for c in &a.containers {
                    println!("  container {} in {} at 0x{:x}", c.format, c.path, c.offset);
                }
                for n in &a.notes {
                    println!("  note: {} at {}", n.message, n.at);
                }
            }
            Err(e) => println!("{path}: {e}"),
        }
    }
}

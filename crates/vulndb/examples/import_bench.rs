//! Imports the given inputs into a fresh database and prints figures:
//! `cargo run --release -p riskmark-vulndb --example import_bench -- DB INPUT...`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let Some(db) = args.next() else {
        eprintln!("usage: import_bench DB INPUT...");
        std::process::exit(2);
    };
    let inputs: Vec<PathBuf> = args.collect();
    match riskmark_vulndb::import(&db, &inputs, |_| ControlFlow::Continue(())) {
        Ok(r) => {
            for i in &r.inputs {
                let mb = i.bytes as f64 / 1e6;
                println!(
                    "{}: {} {} records (+{} ~{} ={}), {:.1} MB in {:.3} s = {:.0} MB/s",
                    i.path.display(),
                    i.kind.as_str(),
                    i.records,
                    i.added,
                    i.updated,
                    i.unchanged,
                    mb,
                    i.seconds,
                    mb / i.seconds
                );
            }
            let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
            println!("total {:.3} s, db {:.1} MB", r.seconds, size as f64 / 1e6);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
    let t = Instant::now();
    match riskmark_vulndb::Db::open(&db) {
        Ok(d) => {
            let open = t.elapsed();
            let q = Instant::now();
            let n = d
                .matches("crates.io", "tokio", "1.13.0")
                .map_or(0, |f| f.len());
            println!(
                "open {:.2} ms, one query {:.2} ms ({n} findings)",
                open.as_secs_f64() * 1e3,
                q.elapsed().as_secs_f64() * 1e3
            );
        }
        Err(e) => eprintln!("error: {e}"),
    }
    let t = Instant::now();
    match riskmark_vulndb::Db::open(&db).and_then(|d| d.stats().map(|s| (d, s))) {
        Ok((_, s)) => println!(
            "open+stats {:.1} ms: {} advisories ({} withdrawn), kev {}, epss {}",
            t.elapsed().as_secs_f64() * 1e3,
            s.advisories,
            s.withdrawn,
            s.kev,
            s.epss
        ),
        Err(e) => eprintln!("error: {e}"),
    }
}

//! `riskmark db import | stats` (`db sync` is in `sync.rs`)

use std::fmt::Write as _;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use riskmark_vulndb::{Db, ImportReport, Progress, VulnDbError};

use super::Outcome;
use crate::cli::TextJson;
use crate::output;

/// The database file inside `--db DIR`.
pub(crate) const DB_FILE: &str = riskmark_engine::DB_FILE;

/// `--db DIR`, else the engine's default ([`riskmark_engine::default_db_dir`]).
pub(crate) fn db_dir(flag: Option<&Path>) -> PathBuf {
    flag.map_or_else(riskmark_engine::default_db_dir, Path::to_path_buf)
}

pub(crate) fn import(paths: &[PathBuf], db: Option<&Path>) -> anyhow::Result<Outcome> {
    let dir = db_dir(db);
    std::fs::create_dir_all(&dir).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot create the database directory: {e}",
            dir.display()
        )
    })?;
    let file = dir.join(DB_FILE);
    let result = import_with_progress(&file, paths);
    match result {
        Ok(r) => {
            let mut s = String::new();
            for i in &r.inputs {
                #[allow(clippy::cast_precision_loss)]
                let mb = i.bytes as f64 / 1e6;
                let what = match i.kind.as_str() {
                    "kev" => format!(
                        "{} CISA KEV entries: {} CVEs newly flagged as known exploited, {} already flagged",
                        i.records, i.added, i.unchanged
                    ),
                    "epss" => format!("{} EPSS scores", i.records),
                    _ => format!(
                        "{} records, {} added, {} updated, {} unchanged",
                        i.records, i.added, i.updated, i.unchanged
                    ),
                };
                let _ = writeln!(
                    s,
                    "imported {} ({}): {what}, {:.1} MB in {:.2} s",
                    i.path.display(),
                    i.kind.as_str(),
                    mb,
                    i.seconds
                );
                if i.records == 0 && i.path.is_dir() {
                    output::problem(&format!(
                        "warning: {}: no OSV records found in this directory (nothing was imported from it)",
                        i.path.display()
                    ));
                }
            }
            let _ = writeln!(
                s,
                "database {} built at {} ({:.2} s)",
                file.display(),
                r.built_at,
                r.seconds
            );
            output::out(&s)?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            output::problem(&format!("error: {e}"));
            output::problem(&format!(
                "note: the database at {} is unchanged",
                file.display()
            ));
            Ok(Outcome::InputError)
        }
    }
}

/// Imports `paths` into the database `file` in one transaction, with a
/// progress bar on stderr (hidden when stderr is not a terminal).
pub(crate) fn import_with_progress(
    file: &Path,
    paths: &[PathBuf],
) -> Result<ImportReport, VulnDbError> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} files, {human_pos} ")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = riskmark_vulndb::import(file, paths, |p: &Progress<'_>| {
        bar.set_message(format!(
            "{} ({}, {} records)",
            p.input.display(),
            p.kind.as_str(),
            p.records
        ));
        if let Some(total) = p.total {
            bar.set_length(total);
        }
        bar.set_position(p.entries);
        ControlFlow::Continue(())
    });
    bar.finish_and_clear();
    result
}

pub(crate) fn stats(db: Option<&Path>, format: TextJson, tables: bool) -> anyhow::Result<Outcome> {
    let file = db_dir(db).join(DB_FILE);
    let db = if file.exists() {
        Db::open(&file)?
    } else {
        Db::embedded_default()?
    };
    let st = db.stats()?;
    let storage = if file.exists() {
        Some(db.storage(tables)?)
    } else {
        None
    };
    // Bytes on disk (file and WAL) per advisory, and per record counting
    // NVD CVEs too.
    let on_disk = storage.as_ref().map(|s| s.file_bytes + s.wal_bytes);
    let per = |n: u64| on_disk.filter(|_| n > 0).map(|b| b / n);
    let per_advisory = per(st.advisories);
    let per_record = per(st.advisories + st.nvd_cves);
    match format {
        TextJson::Json => {
            let mut v = serde_json::json!({ "path": db.path().display().to_string(), "stats": st });
            if let Some(s) = &storage {
                let mut sv = serde_json::to_value(s)?;
                if !tables && let Some(o) = sv.as_object_mut() {
                    o.remove("tables");
                }
                sv["bytes_per_advisory"] = per_advisory.into();
                sv["bytes_per_record"] = per_record.into();
                v["storage"] = sv;
            }
            output::out(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        TextJson::Text => {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "database   {}",
                if file.exists() {
                    file.display().to_string()
                } else {
                    format!("embedded curated set (no database at {})", file.display())
                }
            );
            let _ = writeln!(
                s,
                "built at   {}",
                st.built_at
                    .map_or_else(|| "unknown".into(), |t| t.to_string())
            );
            let _ = writeln!(
                s,
                "advisories {} ({} withdrawn), KEV {}, EPSS {}",
                st.advisories, st.withdrawn, st.kev, st.epss
            );
            for (eco, n) in &st.ecosystems {
                let _ = writeln!(s, "  {eco:<24} {n}");
            }
            if let (Some(g), Some(b)) = (&storage, on_disk) {
                #[allow(clippy::cast_precision_loss)]
                let mb = |x: u64| x as f64 / 1e6;
                let _ = write!(
                    s,
                    "on disk    {:.1} MB (WAL {:.1} MB, free {:.1} MB)",
                    mb(b),
                    mb(g.wal_bytes),
                    mb(g.free_bytes)
                );
                if let Some(a) = per_advisory {
                    let _ = write!(s, ", {a} bytes per advisory");
                }
                if st.nvd_cves > 0
                    && let Some(r) = per_record
                {
                    let _ = write!(s, ", {r} per record with the NVD CVEs");
                }
                s.push('\n');
                for (name, bytes) in &g.tables {
                    let _ = writeln!(s, "  {name:<32} {:>10.1} MB", mb(*bytes));
                }
            }
            for src in &st.sources {
                let _ = writeln!(
                    s,
                    "source     {} ({}): {} records, imported {}",
                    src.name, src.kind, src.records, src.imported_at
                );
            }
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}

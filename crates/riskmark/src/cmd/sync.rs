//! `riskmark db sync`: download the public feeds, then import them in one
//! transaction. Only this command touches the network; `vulns` and `assess`
//! read the local database. An OSV ecosystem synced before downloads only
//! the records that changed (see `osv.rs`).

mod osv;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use indicatif::{ProgressBar, ProgressStyle};
use riskmark_fetch::{
    Config, DEFAULT_OSV_ECOSYSTEMS, Endpoints, FetchError, Fetcher, NvdOptions, Progress, Request,
    RetryPolicy, Status, download_nvd, osv_file_name,
};
use riskmark_vulndb::ImportReport;

use super::Outcome;
use super::db::{DB_FILE, db_dir, import_with_progress};
use crate::cli::SyncSource;
use crate::output;

/// The downloads, inside the database directory.
const DOWNLOADS: &str = "downloads";
/// Which downloaded files the database holds (name → size and mtime).
const IMPORTED: &str = "imported.json";
/// NVD pages and the end of the last imported NVD window.
const NVD_DIR: &str = "nvd";
const NVD_STATE: &str = "state.json";
/// The newest modified-id list time of each OSV ecosystem the database holds.
const OSV_STATE: &str = "osv-state.json";

pub(crate) struct Args<'a> {
    pub(crate) sources: &'a [SyncSource],
    pub(crate) db: Option<&'a Path>,
    pub(crate) ecosystems: &'a [String],
    pub(crate) mirror: Option<&'a str>,
    pub(crate) retries: u32,
    pub(crate) full: bool,
}

/// One downloaded source (one OSV ecosystem, KEV, EPSS, or the NVD pages).
struct Item {
    label: String,
    files: Vec<PathBuf>,
    status: Status,
    transferred: u64,
    resumed: bool,
    nvd: bool,
    /// OSV: the changed records downloaded instead of the archive.
    delta: Option<usize>,
    /// OSV: why the archive was downloaded although the ecosystem was synced before.
    note: Option<String>,
}

pub(crate) fn run(a: &Args<'_>) -> anyhow::Result<Outcome> {
    let dir = db_dir(a.db);
    let db_file = dir.join(DB_FILE);
    let downloads = dir.join(DOWNLOADS);
    std::fs::create_dir_all(&downloads).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot create the download directory: {e}",
            downloads.display()
        )
    })?;

    let mirror = a.mirror.map(str::to_owned).or_else(|| {
        std::env::var("RISKMARK_MIRROR")
            .ok()
            .filter(|v| !v.trim().is_empty())
    });
    let endpoints = match mirror.as_deref().map(Endpoints::mirror) {
        None => Endpoints::official(),
        Some(Ok(e)) => e,
        Some(Err(e)) => return Ok(input_error(&format!("error: {e}"), None)),
    };
    let mut sources: Vec<SyncSource> = if a.sources.is_empty() {
        vec![SyncSource::Osv, SyncSource::Kev, SyncSource::Epss]
    } else {
        a.sources.to_vec()
    };
    sources.sort();
    sources.dedup();
    let ecosystems: Vec<String> = if a.ecosystems.is_empty() {
        DEFAULT_OSV_ECOSYSTEMS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    } else {
        a.ecosystems.to_vec()
    };

    // Every URL first, so a bad name stops the command before any download.
    // The OSV entries carry their ecosystem.
    let mut plan: Vec<(String, String, PathBuf, Option<&str>)> = Vec::new();
    for s in &sources {
        match s {
            SyncSource::Osv => {
                for eco in &ecosystems {
                    let url = match endpoints.osv(eco) {
                        Ok(u) => u,
                        Err(e) => return Ok(input_error(&format!("error: {e}"), None)),
                    };
                    plan.push((
                        format!("osv {eco}"),
                        url,
                        downloads.join(osv_file_name(eco)),
                        Some(eco.as_str()),
                    ));
                }
            }
            SyncSource::Kev => plan.push((
                "kev".into(),
                endpoints.kev(),
                downloads.join("kev.json"),
                None,
            )),
            SyncSource::Epss => plan.push((
                "epss".into(),
                endpoints.epss(),
                downloads.join("epss.csv.gz"),
                None,
            )),
            SyncSource::Nvd => {}
        }
    }

    let fetcher = Fetcher::new(&Config::default().with_retry(RetryPolicy {
        attempts: a.retries.saturating_add(1),
        ..RetryPolicy::default()
    }));
    let bar = ProgressBar::new(0);
    // Without a known size, a spinner and the bytes so far: an empty bar of length 0
    // would be drawn full.
    let sized = ProgressStyle::with_template(
        "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let unsized_ = ProgressStyle::with_template("{spinner} {msg} {bytes} {bytes_per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(unsized_.clone());
    let label_now = std::cell::RefCell::new(String::new());
    let mut on_progress = |p: Progress<'_>| {
        match p.total {
            Some(t) if t > 0 => {
                bar.set_style(sized.clone());
                bar.set_length(t);
            }
            _ => bar.set_style(unsized_.clone()),
        }
        if p.attempt > 1 {
            bar.set_message(format!(
                "{} (retry: attempt {} of {})",
                label_now.borrow(),
                p.attempt,
                p.attempts
            ));
        }
        bar.set_position(p.done);
    };

    let mut items = Vec::new();
    let mut failures: Vec<(String, FetchError)> = Vec::new();
    // What each OSV ecosystem's list said, remembered once its data is imported.
    let last_osv = if db_file.exists() {
        read_osv_state(&downloads)
    } else {
        BTreeMap::new()
    };
    let mut osv_newest: BTreeMap<String, jiff::Timestamp> = BTreeMap::new();
    for (label, url, dest, eco) in &plan {
        label_now.borrow_mut().clone_from(label);
        bar.set_message(label.clone());
        bar.set_position(0);
        let mut note = None;
        if let Some(eco) = eco {
            let last = last_osv.get(*eco).copied();
            match osv::plan(
                &fetcher, &endpoints, eco, last, a.full, &db_file, &downloads,
            ) {
                Ok(osv::Plan::Delta(d)) => {
                    if let Some(t) = d.newest {
                        osv_newest.insert((*eco).to_owned(), t);
                    }
                    items.push(Item {
                        label: label.clone(),
                        files: if d.records > 0 { vec![d.dir] } else { vec![] },
                        status: if d.records > 0 {
                            Status::Downloaded
                        } else {
                            Status::NotModified
                        },
                        transferred: d.transferred,
                        resumed: false,
                        nvd: false,
                        delta: Some(d.records),
                        note: None,
                    });
                    continue;
                }
                Ok(osv::Plan::Full { newest, why }) => {
                    if let Some(t) = newest {
                        osv_newest.insert((*eco).to_owned(), t);
                    }
                    note = why;
                }
                Err(e) => {
                    failures.push((label.clone(), e));
                    continue;
                }
            }
        }
        match fetcher.download(&Request::new(url, dest), &mut on_progress) {
            Ok(d) => items.push(Item {
                label: label.clone(),
                files: vec![d.path],
                status: d.status,
                transferred: d.transferred,
                resumed: d.resumed,
                nvd: false,
                delta: None,
                note,
            }),
            // Every source is tried; the failures are reported together below.
            Err(e) => failures.push((label.clone(), e)),
        }
    }
    let nvd_dir = downloads.join(NVD_DIR);
    let mut nvd_until = None;
    if sources.contains(&SyncSource::Nvd) {
        bar.set_message("nvd");
        let until = jiff::Timestamp::now();
        let mut opts = NvdOptions::new(
            std::env::var("NVD_API_KEY")
                .ok()
                .filter(|k| !k.trim().is_empty()),
        );
        if let Some(since) = db_file.exists().then(|| read_nvd_state(&nvd_dir)).flatten() {
            opts = opts.modified_between(since, until);
        }
        match download_nvd(
            &fetcher,
            &endpoints.nvd(),
            &nvd_dir,
            &opts,
            &mut on_progress,
        ) {
            Ok(d) => {
                nvd_until = Some(until);
                items.push(Item {
                    label: "nvd".into(),
                    files: d.pages,
                    status: Status::Downloaded,
                    transferred: d.transferred,
                    resumed: false,
                    nvd: true,
                    delta: None,
                    note: None,
                });
            }
            Err(e) => failures.push(("nvd".into(), e)),
        }
    }
    bar.finish_and_clear();
    if !failures.is_empty() {
        for (label, e) in &failures {
            output::problem(&format!("error: {label}: {e}"));
        }
        let names: Vec<&str> = failures.iter().map(|(l, _)| l.as_str()).collect();
        return Ok(input_error(
            &format!(
                "error: {} of {} sources failed: {}",
                failures.len(),
                plan.len() + usize::from(sources.contains(&SyncSource::Nvd)),
                names.join(", ")
            ),
            Some(&db_file),
        ));
    }

    // What the database does not hold yet: new downloads, and earlier ones
    // whose import did not happen (or a database that was removed).
    let imported_path = downloads.join(IMPORTED);
    let mut imported = if db_file.exists() {
        read_imported(&imported_path)
    } else {
        BTreeMap::new()
    };
    // NVD pages and OSV's changed records are new every run (the run removed
    // the earlier ones); other files are imported when the database does not
    // hold them yet.
    let to_import: Vec<PathBuf> = items
        .iter()
        .flat_map(|i| i.files.iter().map(move |p| (i.nvd || i.delta.is_some(), p)))
        .filter(|(new, p)| *new || imported.get(&file_key(p)) != signature(p).as_ref())
        .map(|(_, p)| p.clone())
        .collect();

    let mut text = String::new();
    let result = if to_import.is_empty() {
        Ok(None)
    } else {
        import_with_progress(&db_file, &to_import).map(Some)
    };
    let report = match result {
        Ok(r) => r,
        Err(e) => return Ok(input_error(&format!("error: {e}"), Some(&db_file))),
    };

    if let Some(r) = &report {
        for p in to_import
            .iter()
            .filter(|p| !p.starts_with(&nvd_dir) && p.is_file())
        {
            if let Some(sig) = signature(p) {
                imported.insert(file_key(p), sig);
            }
        }
        write_imported(&imported_path, &imported)?;
        if let Some(until) = nvd_until {
            write_nvd_state(&nvd_dir, until)?;
        }
        write_lines(&mut text, &items, Some(r));
        let _ = writeln!(
            text,
            "database {} built at {} ({:.2} s)",
            db_file.display(),
            r.built_at,
            r.seconds
        );
    } else {
        write_lines(&mut text, &items, None);
        let _ = writeln!(
            text,
            "database {} is up to date: nothing new to import",
            db_file.display()
        );
    }
    // The database now holds each ecosystem down to its list's newest time.
    if !osv_newest.is_empty() {
        let mut state = last_osv;
        state.extend(osv_newest);
        write_osv_state(&downloads, &state)?;
    }
    output::out(&text)?;
    Ok(Outcome::Success)
}

/// One line per source: what was downloaded, what was imported.
fn write_lines(text: &mut String, items: &[Item], report: Option<&ImportReport>) {
    for i in items {
        let download = match (i.status, i.delta) {
            (_, Some(0)) => "no record changed".to_owned(),
            (_, Some(n)) => format!(
                "{n} changed record{}, {} bytes",
                if n == 1 { "" } else { "s" },
                i.transferred
            ),
            (Status::NotModified, None) => "not modified".to_owned(),
            (Status::Downloaded, None) if i.nvd => format!(
                "downloaded {} page{}, {} bytes",
                i.files.len(),
                if i.files.len() == 1 { "" } else { "s" },
                i.transferred
            ),
            (Status::Downloaded, None) => format!(
                "downloaded {} bytes{}",
                i.transferred,
                if i.resumed { " (resumed)" } else { "" }
            ),
        };
        let records: Option<u64> = report.and_then(|r| {
            let rs: Vec<u64> = r
                .inputs
                .iter()
                .filter(|x| i.files.contains(&x.path))
                .map(|x| x.records)
                .collect();
            (!rs.is_empty()).then(|| rs.iter().sum())
        });
        let imported = match records {
            Some(1) => "1 record imported".to_owned(),
            Some(n) => format!("{n} records imported"),
            None => "already in the database".to_owned(),
        };
        let note = i
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(" (whole archive: {n})"));
        let _ = writeln!(text, "{:<16} {download:<32} {imported}{note}", i.label);
    }
}

fn input_error(msg: &str, db_file: Option<&Path>) -> Outcome {
    output::problem(msg);
    if let Some(f) = db_file {
        output::problem(&format!(
            "note: nothing was imported; the database at {} is unchanged",
            f.display()
        ));
    }
    Outcome::InputError
}

fn file_key(p: &Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Size and modification time: a new download changes them.
fn signature(p: &Path) -> Option<String> {
    let m = std::fs::metadata(p).ok()?;
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "{}:{}.{:09}",
        m.len(),
        t.as_secs(),
        t.subsec_nanos()
    ))
}

fn read_imported(p: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(p)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_imported(p: &Path, m: &BTreeMap<String, String>) -> anyhow::Result<()> {
    write_atomic(p, &serde_json::to_string_pretty(m)?)
}

fn read_osv_state(downloads: &Path) -> BTreeMap<String, jiff::Timestamp> {
    let m: BTreeMap<String, String> = std::fs::read_to_string(downloads.join(OSV_STATE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    m.into_iter()
        .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
        .collect()
}

fn write_osv_state(
    downloads: &Path,
    state: &BTreeMap<String, jiff::Timestamp>,
) -> anyhow::Result<()> {
    let m: BTreeMap<&String, String> = state.iter().map(|(k, v)| (k, v.to_string())).collect();
    write_atomic(
        &downloads.join(OSV_STATE),
        &serde_json::to_string_pretty(&m)?,
    )
}

fn read_nvd_state(dir: &Path) -> Option<jiff::Timestamp> {
    let t = std::fs::read_to_string(dir.join(NVD_STATE)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&t).ok()?;
    v.get("last_modified_until")?.as_str()?.parse().ok()
}

fn write_nvd_state(dir: &Path, until: jiff::Timestamp) -> anyhow::Result<()> {
    let v = serde_json::json!({ "last_modified_until": until.to_string() });
    write_atomic(&dir.join(NVD_STATE), &serde_json::to_string_pretty(&v)?)
}

fn write_atomic(p: &Path, text: &str) -> anyhow::Result<()> {
    let mut tmp = p.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| anyhow::anyhow!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
}

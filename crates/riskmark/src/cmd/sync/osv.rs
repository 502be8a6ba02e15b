//! OSV ecosystems in `db sync`: only the records that changed since the last
//! sync, found in the ecosystem's modified-id list, or else the whole archive.
//!
//! The rule (README, "Keeping the database current"):
//! - The first sync of an ecosystem into a database downloads its archive,
//!   and remembers the newest time of its modified-id list, read (one line)
//!   before the archive.
//! - A later sync reads the list from its newest line down to that time
//!   minus [`MARGIN`] (an archive may lag the list; the overlap is read
//!   again), and downloads each listed record the database does not hold at
//!   that modification time or later. A record already held at that time is
//!   not downloaded again, so the overlap costs a line each, not a download.
//! - The whole archive is downloaded instead when `--full` is given, when
//!   more than [`MAX_RECORDS`] records changed (one archive is then cheaper
//!   than that many requests), or when the list cannot be used (a mirror
//!   without one answers 404; an unreadable or unordered list).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use riskmark_fetch::{Endpoints, FetchError, Fetcher, Request, osv_file_name};

/// How far before the last sync's newest time a list is read again.
pub(super) const MARGIN: SignedDuration = SignedDuration::from_hours(48);
/// Above this many changed records, the archive is downloaded instead.
pub(super) const MAX_RECORDS: usize = 500;
/// Records downloaded at once.
const PARALLEL: usize = 8;

/// What to do for one ecosystem.
pub(super) enum Plan {
    /// The changed records were downloaded into `dir` (none when nothing
    /// changed).
    Delta(Delta),
    /// Download the archive. `newest` is the list's newest time, when there
    /// is a list; `why` says why not the changed records alone, when there
    /// was an earlier sync.
    Full {
        newest: Option<Timestamp>,
        why: Option<String>,
    },
}

pub(super) struct Delta {
    /// The directory of the downloaded records (`osv-<ecosystem>-delta`).
    pub(super) dir: PathBuf,
    /// Records downloaded.
    pub(super) records: usize,
    /// Bytes transferred: the part of the list read, and the records.
    pub(super) transferred: u64,
    /// The list's newest time.
    pub(super) newest: Option<Timestamp>,
}

/// Where the changed records of `ecosystem` are downloaded.
pub(super) fn delta_dir(downloads: &Path, ecosystem: &str) -> PathBuf {
    let zip = osv_file_name(ecosystem);
    downloads.join(format!(
        "{}-delta",
        zip.strip_suffix(".zip").unwrap_or(&zip)
    ))
}

/// Decides, and for a delta downloads, what one ecosystem needs. `last`
/// is the newest list time remembered by the last sync into this database.
///
/// # Errors
/// A record that the list names could not be downloaded.
pub(super) fn plan(
    fetcher: &Fetcher,
    endpoints: &Endpoints,
    ecosystem: &str,
    last: Option<Timestamp>,
    full: bool,
    db_file: &Path,
    downloads: &Path,
) -> Result<Plan, FetchError> {
    let list = endpoints.osv_modified_ids(ecosystem)?;
    let Some(last) = last.filter(|_| !full) else {
        // The archive. The list's first line, read before it, is what the
        // next sync reads down to.
        let newest = fetcher
            .modified_ids(&list, Timestamp::MAX, 0)
            .ok()
            .and_then(|m| m.newest);
        return Ok(Plan::Full { newest, why: None });
    };
    let since = last.checked_sub(MARGIN).unwrap_or(last);
    let m = match fetcher.modified_ids(&list, since, MAX_RECORDS) {
        Ok(m) if m.truncated => {
            return Ok(Plan::Full {
                newest: m.newest,
                why: Some(format!("more than {MAX_RECORDS} records changed")),
            });
        }
        Ok(m) => m,
        Err(FetchError::Status { status: 404, .. }) => {
            return Ok(Plan::Full {
                newest: None,
                why: Some("no modified_id.csv at the source".to_owned()),
            });
        }
        Err(e) => {
            return Ok(Plan::Full {
                newest: None,
                why: Some(format!("modified_id.csv unusable: {e}")),
            });
        }
    };
    let held = match riskmark_vulndb::Db::open(db_file)
        .and_then(|db| db.advisory_modified(m.changed.iter().map(|(_, id)| id.as_str())))
    {
        Ok(h) => h,
        Err(e) => {
            return Ok(Plan::Full {
                newest: m.newest,
                why: Some(format!("the database cannot be read: {e}")),
            });
        }
    };
    let todo = changed(&m.changed, &held);

    let dir = delta_dir(downloads, ecosystem);
    match std::fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(FetchError::Io {
                path: dir,
                source: e,
            });
        }
        _ => {}
    }
    let mut transferred = m.transferred;
    if !todo.is_empty() {
        std::fs::create_dir_all(&dir).map_err(|source| FetchError::Io {
            path: dir.clone(),
            source,
        })?;
    }
    let urls = todo
        .iter()
        .map(|id| {
            Ok((
                endpoints.osv_record(ecosystem, id)?,
                dir.join(format!("{id}.json")),
            ))
        })
        .collect::<Result<Vec<_>, FetchError>>()?;
    transferred += download_all(fetcher, &urls)?;
    Ok(Plan::Delta(Delta {
        dir,
        records: todo.len(),
        transferred,
        newest: m.newest,
    }))
}

/// Downloads `(url, file)` pairs, [`PARALLEL`] at a time (each request is
/// small: its round trip, not the bandwidth, is what costs). Returns the
/// bytes transferred, or the first failure.
fn download_all(fetcher: &Fetcher, urls: &[(String, PathBuf)]) -> Result<u64, FetchError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Result<u64, FetchError>>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(urls.len()) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((url, dest)) = urls.get(i) else {
                        break;
                    };
                    let r = fetcher
                        .download(&Request::new(url, dest).unconditional(), &mut |_| {})
                        .map(|d| d.transferred);
                    if r.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if let Ok(mut all) = results.lock() {
                        all.push(r);
                    }
                }
            });
        }
    });
    let mut bytes = 0;
    for r in results.into_inner().unwrap_or_default() {
        bytes += r?;
    }
    Ok(bytes)
}

/// The listed records the database does not hold at their listed
/// modification time or later, each once, newest first.
fn changed<'a>(listed: &'a [(Timestamp, String)], held: &HashMap<String, i64>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    listed
        .iter()
        .filter(|(t, id)| held.get(id).is_none_or(|&have| have < t.as_microsecond()))
        .map(|(_, id)| id.as_str())
        .filter(|id| seen.insert(*id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_records_newer_than_the_database_are_downloaded() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap_or(Timestamp::UNIX_EPOCH);
        let listed = vec![
            (t("2026-12-05T10:00:00Z"), "NEW-1".to_owned()),
            (t("2026-12-05T09:00:00Z"), "UPDATED-1".to_owned()),
            (t("2026-12-04T09:00:00Z"), "HELD-1".to_owned()),
            (t("2026-12-04T08:00:00Z"), "NEW-1".to_owned()),
        ];
        let held = HashMap::from([
            (
                "UPDATED-1".to_owned(),
                t("2026-12-01T00:00:00Z").as_microsecond(),
            ),
            (
                "HELD-1".to_owned(),
                t("2026-12-04T09:00:00Z").as_microsecond(),
            ),
        ]);
        assert_eq!(changed(&listed, &held), ["NEW-1", "UPDATED-1"]);
    }

    #[test]
    fn the_delta_directory_sits_beside_the_archive() {
        assert_eq!(
            delta_dir(Path::new("/d"), "GitHub Actions"),
            Path::new("/d/osv-GitHub_Actions-delta")
        );
    }
}

//! OSV's modified-id lists: `<ecosystem>/modified_id.csv` names every record
//! of an ecosystem with its modification time, newest first, one
//! `<RFC 3339 time>,<id>` a line (the bucket-wide list writes
//! `<ecosystem>/<id>`; both are read). A sync that knows when it last looked
//! reads the list only down to that time, so what it transfers grows with
//! what changed, not with the size of the ecosystem.

use std::io::{BufRead, BufReader, Read};

use jiff::Timestamp;

use crate::download::{Failure, Fetcher};
use crate::error::FetchError;
use crate::sources::check_osv_id;

/// The longest line read (a time and an id take well under 200 bytes).
const MAX_LINE: u64 = 512;

/// What [`Fetcher::modified_ids`] read from a modified-id list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModifiedIds {
    /// The newest modification time in the list (its first line); `None`
    /// for an empty list.
    pub newest: Option<Timestamp>,
    /// The records modified at or after the time asked for, newest first.
    pub changed: Vec<(Timestamp, String)>,
    /// More records than the limit asked for were modified since that time;
    /// `changed` holds the first ones only.
    pub truncated: bool,
    /// Bytes read from the list.
    pub transferred: u64,
}

impl Fetcher {
    /// Reads the modified-id list at `url` down to `since`: the records
    /// modified at or after it, at most `max` of them (then
    /// [`ModifiedIds::truncated`] says there were more), and the list's
    /// newest time. The rest of the list is not transferred. Failures are
    /// retried as for [`Fetcher::download`].
    ///
    /// # Errors
    /// [`FetchError::Status`] when the server has no list (404: a mirror
    /// without one), [`FetchError::Unreachable`] once the attempts are
    /// spent, [`FetchError::Protocol`] naming the line when the list is not
    /// `<time>,<id>` lines newest first or names an id that is not an OSV id.
    pub fn modified_ids(
        &self,
        url: &str,
        since: Timestamp,
        max: usize,
    ) -> Result<ModifiedIds, FetchError> {
        self.retrying(url, |_| {
            let resp = self.get_ok(url)?;
            read_list(url, resp.into_body().into_reader(), since, max)
        })
    }
}

/// Reads `<time>,<id>` lines, newest first, down to `since`.
fn read_list(
    url: &str,
    reader: impl Read,
    since: Timestamp,
    max: usize,
) -> Result<ModifiedIds, Failure> {
    let protocol = |line: usize, message: String| {
        Failure::Fatal(FetchError::Protocol {
            url: url.to_owned(),
            message: format!("line {line}: {message}"),
        })
    };
    let mut out = ModifiedIds {
        newest: None,
        changed: Vec::new(),
        truncated: false,
        transferred: 0,
    };
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    let mut previous: Option<Timestamp> = None;
    let mut n = 0;
    loop {
        buf.clear();
        let read = match reader
            .by_ref()
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Failure::Retry {
                    reason: format!("connection lost after {} bytes: {e}", out.transferred),
                    retry_after: None,
                });
            }
        };
        if read == 0 {
            break;
        }
        n += 1;
        out.transferred += read as u64;
        if read as u64 > MAX_LINE && !buf.ends_with(b"\n") {
            return Err(protocol(n, format!("longer than {MAX_LINE} bytes")));
        }
        let line = std::str::from_utf8(&buf)
            .map_err(|_| protocol(n, "not UTF-8".to_owned()))?
            .trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let shown: String = line.chars().take(80).collect();
        let (time, id) = line
            .split_once(',')
            .ok_or_else(|| protocol(n, format!("{shown:?} is not `<time>,<id>`")))?;
        let time: Timestamp = time
            .trim()
            .parse()
            .map_err(|e| protocol(n, format!("{shown:?}: the time is not RFC 3339: {e}")))?;
        // The bucket-wide list prefixes the ecosystem's directory.
        let id = id.trim();
        let id = id.split_once('/').map_or(id, |(_, id)| id);
        check_osv_id(id).map_err(|e| protocol(n, e.to_string()))?;
        if previous.is_some_and(|p| time > p) {
            return Err(protocol(
                n,
                format!("{shown:?} is newer than the line before: the list is not newest first"),
            ));
        }
        previous = Some(time);
        out.newest.get_or_insert(time);
        if time < since {
            break;
        }
        if out.changed.len() == max {
            out.truncated = true;
            break;
        }
        out.changed.push((time, id.to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn read(text: &str, since: &str, max: usize) -> Result<ModifiedIds, String> {
        read_list(
            "http://mirror/PyPI/modified_id.csv",
            text.as_bytes(),
            ts(since),
            max,
        )
        .map_err(|f| match f {
            Failure::Fatal(e) => e.to_string(),
            Failure::Retry { reason, .. } => format!("retry: {reason}"),
        })
    }

    const LIST: &str = "2026-12-05T10:00:00.123456Z,PYSEC-2026-3\n\
        2026-12-04T09:00:00Z,PyPI/GHSA-aaaa-bbbb-cccc\n\
        2026-12-04T09:00:00Z,PYSEC-2026-2\n\
        2026-11-01T00:00:00Z,PYSEC-2020-1\n";

    #[test]
    fn reads_down_to_the_time_asked_and_no_further() {
        let m = read(LIST, "2026-12-04T09:00:00Z", 100).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.newest, Some(ts("2026-12-05T10:00:00.123456Z")));
        let ids: Vec<&str> = m.changed.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["PYSEC-2026-3", "GHSA-aaaa-bbbb-cccc", "PYSEC-2026-2"]);
        assert!(!m.truncated);
        // The fourth line was read (it ends the list) but nothing after it.
        assert_eq!(m.transferred, LIST.len() as u64);
        let none = read(LIST, "2027-01-01T00:00:00Z", 100).unwrap_or_else(|e| panic!("{e}"));
        assert!(none.changed.is_empty());
        assert_eq!(none.newest, Some(ts("2026-12-05T10:00:00.123456Z")));
        assert_eq!(
            none.transferred,
            LIST.lines().next().map_or(0, |l| l.len() + 1) as u64
        );
    }

    #[test]
    fn more_changes_than_the_limit_say_so() {
        let m = read(LIST, "2020-01-01T00:00:00Z", 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.changed.len(), 2);
        assert!(m.truncated);
    }

    #[test]
    fn an_empty_list_has_no_newest_time() {
        let m = read("", "2020-01-01T00:00:00Z", 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.newest, None);
        assert!(m.changed.is_empty());
    }

    #[test]
    fn malformed_lists_name_the_line() {
        for (text, want) in [
            ("2026-12-05T10:00:00Z PYSEC-1\n", "line 1"),
            (
                "2026-12-05T10:00:00Z,PYSEC-1\nyesterday,PYSEC-2\n",
                "line 2: \"yesterday,PYSEC-2\": the time is not RFC 3339",
            ),
            ("2026-12-05T10:00:00Z,../../etc/passwd\n", "line 1: OSV id"),
            (
                "2026-12-01T10:00:00Z,A-1\n2026-12-05T10:00:00Z,A-2\n",
                "line 2: \"2026-12-05T10:00:00Z,A-2\" is newer",
            ),
        ] {
            let e = read(text, "2020-01-01T00:00:00Z", 10)
                .err()
                .unwrap_or_default();
            assert!(e.contains(want), "{text:?}: {e}");
            assert!(e.starts_with("http://mirror/PyPI/modified_id.csv: "), "{e}");
        }
        let long = format!("2026-12-05T10:00:00Z,{}\n", "A".repeat(600));
        let e = read(&long, "2020-01-01T00:00:00Z", 10)
            .err()
            .unwrap_or_default();
        assert!(e.contains("line 1: longer than 512 bytes"), "{e}");
    }
}

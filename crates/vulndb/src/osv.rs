//! Reading OSV records (<https://ossf.github.io/osv-schema/>) into the lean
//! form the database stores.

use std::borrow::Cow;

use riskmark_ecosystem::Range;
use serde::{Deserialize, Deserializer, Serialize};

use crate::eco::index_key;
use crate::error::{Location, VulnDbError};
use crate::severity::{Cvss, Severity};

/// An OSV record as stored: the indexed fields and the raw JSON.
#[derive(Debug)]
pub(crate) struct Advisory {
    pub(crate) id: String,
    pub(crate) modified: String,
    /// `modified` in microseconds since the Unix epoch, for ordering.
    pub(crate) modified_us: i64,
    pub(crate) published: Option<String>,
    pub(crate) withdrawn: Option<String>,
    pub(crate) summary: Option<String>,
    /// JSON array of the aliases.
    pub(crate) aliases: String,
    pub(crate) cvss: Option<Cvss>,
    pub(crate) severity: Option<Severity>,
    pub(crate) affected: Vec<Affected>,
    /// The record as read.
    pub(crate) raw: String,
    /// `raw` zstd-compressed, as stored (filled by the import's workers;
    /// the writer compresses what they did not).
    pub(crate) raw_z: Option<Vec<u8>>,
}

/// One `affected[]` entry with a package, ready to index.
#[derive(Debug)]
pub(crate) struct Affected {
    pub(crate) ecosystem: String,
    pub(crate) name: String,
    /// Compact JSON of the `ranges`.
    pub(crate) ranges: String,
    /// Compact JSON of the `versions`.
    pub(crate) versions: String,
}

/// The record's fields, borrowed from its text where they hold no escapes
/// (strings that are only looked at or re-serialized are then never
/// copied).
#[derive(Deserialize)]
struct RawOsv<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    modified: Cow<'a, str>,
    #[serde(default, borrow)]
    published: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    withdrawn: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    aliases: Vec<Text<'a>>,
    #[serde(default, borrow)]
    summary: Option<Cow<'a, str>>,
    /// Only checked (a string or null): `details` is read from the raw
    /// record, which the database keeps, and not stored apart.
    #[serde(default, borrow)]
    #[allow(dead_code)]
    details: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    severity: Vec<RawSeverity<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    affected: Vec<RawAffected<'a>>,
    #[serde(default)]
    database_specific: Option<RawDatabaseSpecific>,
}

/// A string in an array, borrowed when it can be.
#[derive(Deserialize, Serialize)]
#[serde(transparent)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize)]
struct RawSeverity<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    score: Cow<'a, str>,
}

#[derive(Deserialize)]
struct RawAffected<'a> {
    #[serde(default, borrow)]
    package: Option<RawPackage<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    severity: Vec<RawSeverity<'a>>,
    #[serde(default, deserialize_with = "nullable")]
    ranges: Vec<Range>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    versions: Vec<Text<'a>>,
    #[serde(default)]
    database_specific: Option<RawDatabaseSpecific>,
}

#[derive(Deserialize)]
struct RawPackage<'a> {
    #[serde(borrow)]
    ecosystem: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// Only the qualitative `severity` of a `database_specific` object (GitHub
/// and PyPA write `"severity": "HIGH"`); other fields are skipped.
#[derive(Deserialize)]
struct RawDatabaseSpecific {
    #[serde(default)]
    severity: Option<serde_json::Value>,
}

fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Parses one OSV record. `location` names the file and entry for errors.
pub(crate) fn parse(raw: String, location: &Location) -> Result<Advisory, VulnDbError> {
    let fields = parse_fields(&raw, location)?;
    Ok(Advisory { raw, ..fields })
}

/// [`parse`] without the raw text (left empty), so the record's fields can
/// borrow from it.
fn parse_fields(raw: &str, location: &Location) -> Result<Advisory, VulnDbError> {
    let rec: RawOsv<'_> = match serde_json::from_str(raw) {
        Ok(r) => r,
        Err(e) => return Err(json_error(raw, &e, location)),
    };
    let invalid = |field: &str, message: String| VulnDbError::Osv {
        location: Box::new(location.clone()),
        field: Some(field.to_owned()),
        message,
    };
    if rec.id.trim().is_empty() {
        return Err(invalid("id", "the id is empty".to_owned()));
    }
    let modified_us = timestamp_us(&rec.modified).ok_or_else(|| {
        invalid(
            "modified",
            format!("not an RFC 3339 time: {:?}", rec.modified),
        )
    })?;

    let mut cvss: Option<(u8, Cvss)> = None;
    let mut label: Option<Severity> = None;
    let mut consider = |sev: &[RawSeverity]| {
        for s in sev {
            // Prefer v3 (what most thresholds are written against), then
            // v4, then v2; the first vector of a kind wins.
            let rank = match s.kind.as_ref() {
                "CVSS_V3" => 0,
                "CVSS_V4" => 1,
                "CVSS_V2" => 2,
                _ => {
                    label = label.or_else(|| Severity::from_label(&s.score));
                    continue;
                }
            };
            if cvss.as_ref().is_none_or(|(r, _)| rank < *r)
                && let Some(c) = Cvss::from_vector(&s.score)
            {
                cvss = Some((rank, c));
            }
        }
    };
    consider(&rec.severity);
    for a in &rec.affected {
        consider(&a.severity);
    }
    let db_label = |d: &Option<RawDatabaseSpecific>| {
        d.as_ref()
            .and_then(|d| d.severity.as_ref())
            .and_then(serde_json::Value::as_str)
            .and_then(Severity::from_label)
    };
    let label = label
        .or_else(|| db_label(&rec.database_specific))
        .or_else(|| {
            rec.affected
                .iter()
                .find_map(|a| db_label(&a.database_specific))
        });
    let cvss = cvss.map(|(_, c)| c);
    let severity = cvss.as_ref().and_then(Cvss::severity).or(label);

    let mut affected = Vec::with_capacity(rec.affected.len());
    for a in rec.affected {
        let Some(p) = a.package else { continue };
        let (ecosystem, name) = index_key(&p.ecosystem, &p.name);
        affected.push(Affected {
            ecosystem,
            name,
            ranges: to_json(&a.ranges),
            versions: to_json(&a.versions),
        });
    }
    Ok(Advisory {
        id: rec.id.into_owned(),
        modified: rec.modified.into_owned(),
        modified_us,
        published: rec.published.map(Cow::into_owned),
        withdrawn: rec.withdrawn.map(Cow::into_owned),
        summary: rec
            .summary
            .filter(|s| !s.trim().is_empty())
            .map(Cow::into_owned),
        aliases: to_json(&rec.aliases),
        cvss,
        severity,
        affected,
        raw: String::new(),
        raw_z: None,
    })
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

/// An RFC 3339 time in microseconds since the Unix epoch.
pub(crate) fn timestamp_us(s: &str) -> Option<i64> {
    let t: jiff::Timestamp = s.trim().parse().ok()?;
    Some(t.as_microsecond())
}

/// Turns a serde error into a located error naming the field: the record is
/// parsed a second time with `serde_path_to_error` (only on failure, so the
/// fast path pays nothing).
fn json_error(raw: &str, e: &serde_json::Error, location: &Location) -> VulnDbError {
    let mut de = serde_json::Deserializer::from_str(raw);
    let field = match serde_path_to_error::deserialize::<_, RawOsv>(&mut de) {
        Err(pe) => Some(pe.path().to_string()),
        Ok(_) => None,
    };
    VulnDbError::Osv {
        location: Box::new(location.clone().at(e.line(), Some(e.column()))),
        field,
        message: e.to_string(),
    }
}

/// Whether a JSON document looks like an OSV record: an object with `id`
/// and `modified` near its start. Used to tell OSV files from KEV catalogs.
pub(crate) fn looks_like_osv(head: &[u8]) -> bool {
    let has = |k: &[u8]| head.windows(k.len()).any(|w| w == k);
    has(b"\"id\"") && (has(b"\"modified\"") || has(b"\"affected\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::file("x.json")
    }

    #[test]
    fn lean_parse_keeps_what_matching_needs() {
        let raw = r#"{"id":"PYSEC-1","modified":"2022-02-02T21:26:17.207117Z",
          "aliases":["CVE-2021-1","GHSA-aaaa-bbbb-cccc"],"details":"d",
          "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
          "affected":[{"package":{"name":"Foo_Bar","ecosystem":"PyPI"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}],
            "versions":["1.0"]},{"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"abc"}]}]}]}"#;
        let a = parse(raw.to_owned(), &loc());
        let a = match a {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(a.id, "PYSEC-1");
        assert_eq!(a.severity, Some(Severity::Critical));
        assert_eq!(a.cvss.map(|c| c.score), Some(9.8));
        assert_eq!(a.affected.len(), 1);
        assert_eq!(a.affected[0].name, "foo-bar");
        assert_eq!(a.aliases, r#"["CVE-2021-1","GHSA-aaaa-bbbb-cccc"]"#);
    }

    #[test]
    fn errors_name_line_and_field() {
        let raw = "{\"id\":\"X-1\",\"modified\":\"2024-01-01T00:00:00Z\",\n\"affected\":[{\"package\":{\"name\":\"a\",\"ecosystem\":\"PyPI\"},\n\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":7}]}]}";
        match parse(raw.to_owned(), &loc()) {
            Err(VulnDbError::Osv {
                location, field, ..
            }) => {
                assert_eq!(location.line, Some(3));
                assert_eq!(field.as_deref(), Some("affected[0].ranges[0].events"));
            }
            other => panic!("{other:?}"),
        }
        match parse(r#"{"id":"X","modified":"yesterday"}"#.to_owned(), &loc()) {
            Err(VulnDbError::Osv { field, .. }) => assert_eq!(field.as_deref(), Some("modified")),
            other => panic!("{other:?}"),
        }
    }
}

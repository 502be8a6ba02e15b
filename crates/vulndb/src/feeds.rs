//! The CISA KEV catalog and FIRST EPSS scores.

use serde::Deserialize;

use crate::error::{Location, VulnDbError};

/// A KEV catalog, reduced to what the database keeps.
#[derive(Debug)]
pub(crate) struct KevCatalog {
    /// `catalogVersion`.
    pub(crate) version: Option<String>,
    pub(crate) entries: Vec<KevEntry>,
}

/// One `vulnerabilities[]` entry (field names as in CISA's JSON schema).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KevEntry {
    #[serde(rename = "cveID")]
    pub(crate) cve: String,
    #[serde(default, rename = "vendorProject")]
    pub(crate) vendor: Option<String>,
    #[serde(default)]
    pub(crate) product: Option<String>,
    #[serde(default, rename = "vulnerabilityName")]
    pub(crate) name: Option<String>,
    pub(crate) date_added: String,
    #[serde(default)]
    pub(crate) due_date: Option<String>,
    #[serde(default, rename = "knownRansomwareCampaignUse")]
    pub(crate) ransomware: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKev {
    #[serde(default)]
    catalog_version: Option<String>,
    vulnerabilities: Vec<KevEntry>,
}

/// Parses a KEV catalog.
pub(crate) fn parse_kev(bytes: &[u8], loc: &Location) -> Result<KevCatalog, VulnDbError> {
    if let Some((line, column, message)) = not_utf8(bytes) {
        return Err(VulnDbError::Kev {
            location: Box::new(loc.clone().at(line, Some(column))),
            field: None,
            message,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let raw: RawKev = match serde_path_to_error::deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => {
            let field = e.path().to_string();
            let inner = e.into_inner();
            return Err(VulnDbError::Kev {
                location: Box::new(loc.clone().at(inner.line(), Some(inner.column()))),
                field: Some(field),
                message: inner.to_string(),
            });
        }
    };
    if let Err(e) = de.end() {
        return Err(VulnDbError::Kev {
            location: Box::new(loc.clone().at(e.line(), Some(e.column()))),
            field: None,
            message: "text after the end of the JSON document".to_owned(),
        });
    }
    for (i, e) in raw.vulnerabilities.iter().enumerate() {
        let bad = |field: &str, message: String| VulnDbError::Kev {
            location: Box::new(loc.clone()),
            field: Some(format!("vulnerabilities[{i}].{field}")),
            message,
        };
        if !is_cve(&e.cve) {
            return Err(bad("cveID", format!("not a CVE id: {:?}", e.cve)));
        }
        if e.date_added.parse::<jiff::civil::Date>().is_err() {
            return Err(bad(
                "dateAdded",
                format!("not a YYYY-MM-DD date: {:?}", e.date_added),
            ));
        }
    }
    Ok(KevCatalog {
        version: raw.catalog_version,
        entries: raw.vulnerabilities,
    })
}

/// Where a feed stops being UTF-8: (line, column, message). serde_json does not look
/// inside the strings of fields it skips, so a feed with bad bytes there would be read
/// without a word (#14).
pub(crate) fn not_utf8(bytes: &[u8]) -> Option<(usize, usize, String)> {
    let e = std::str::from_utf8(bytes).err()?;
    let good = &bytes[..e.valid_up_to()];
    let line = 1 + good.iter().filter(|b| **b == b'\n').count();
    let start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(&good[start..]).chars().count();
    Some((
        line,
        column,
        format!("not UTF-8 (byte {} of the file)", e.valid_up_to() + 1),
    ))
}

/// `CVE-YYYY-NNNN...`.
pub(crate) fn is_cve(s: &str) -> bool {
    let mut parts = s.splitn(3, '-');
    let digits = |p: Option<&str>, min: usize| {
        p.is_some_and(|p| p.len() >= min && p.bytes().all(|b| b.is_ascii_digit()))
    };
    parts.next() == Some("CVE") && digits(parts.next(), 4) && digits(parts.next(), 4)
}

/// An EPSS snapshot.
#[derive(Debug)]
pub(crate) struct EpssScores {
    /// The `score_date` of the `#model_version` comment (`YYYY-MM-DD`).
    pub(crate) date: Option<String>,
    pub(crate) rows: Vec<EpssRow>,
}

#[derive(Debug)]
pub(crate) struct EpssRow {
    pub(crate) cve: String,
    pub(crate) epss: f64,
    pub(crate) percentile: f64,
}

/// Parses FIRST's EPSS CSV: an optional comment line
/// `#model_version:v2023.03.01,score_date:2023-03-05T00:00:00+0000`, the
/// header `cve,epss,percentile`, then one row per CVE.
pub(crate) fn parse_epss(text: &str, loc: &Location) -> Result<EpssScores, VulnDbError> {
    let bad = |line: usize, field: Option<&str>, message: String| VulnDbError::Epss {
        location: Box::new(loc.clone().at(line, None)),
        field: field.map(str::to_owned),
        message,
    };
    let mut date = None;
    let mut header_seen = false;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if !header_seen {
                date = comment
                    .split(',')
                    .find_map(|kv| kv.trim().strip_prefix("score_date:"))
                    .and_then(|d| d.get(..10))
                    .map(str::to_owned);
            }
            continue;
        }
        if !header_seen {
            let cols: Vec<String> = line
                .split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            if cols != ["cve", "epss", "percentile"] {
                return Err(bad(
                    n,
                    Some("header"),
                    format!("expected the header `cve,epss,percentile`, found {line:?}"),
                ));
            }
            header_seen = true;
            continue;
        }
        let mut cols = line.split(',').map(str::trim);
        let (Some(cve), Some(epss), Some(pct), None) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            return Err(bad(n, None, format!("expected 3 columns, found {line:?}")));
        };
        let cve = cve.to_ascii_uppercase();
        if !is_cve(&cve) {
            return Err(bad(n, Some("cve"), format!("not a CVE id: {cve:?}")));
        }
        let prob = |v: &str, field: &str| match v.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
            _ => Err(bad(
                n,
                Some(field),
                format!("expected a number from 0 to 1, found {v:?}"),
            )),
        };
        rows.push(EpssRow {
            epss: prob(epss, "epss")?,
            percentile: prob(pct, "percentile")?,
            cve,
        });
    }
    if !header_seen {
        return Err(bad(
            1,
            Some("header"),
            "no `cve,epss,percentile` header".to_owned(),
        ));
    }
    Ok(EpssScores { date, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epss_layout() {
        let text = "#model_version:v2023.03.01,score_date:2024-05-01T00:00:00+0000\ncve,epss,percentile\nCVE-2014-0160,0.97,0.999\n\ncve-2023-38545,0.2,0.95\n";
        let s = parse_epss(text, &Location::file("e.csv"));
        let s = match s {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(s.date.as_deref(), Some("2024-05-01"));
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[1].cve, "CVE-2023-38545");
        let e = parse_epss(
            "cve,epss,percentile\nCVE-2014-0160,1.7,0.5\n",
            &Location::file("e.csv"),
        );
        match e {
            Err(VulnDbError::Epss {
                location, field, ..
            }) => {
                assert_eq!(location.line, Some(2));
                assert_eq!(field.as_deref(), Some("epss"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2014-0160"));
        assert!(is_cve("CVE-2021-1234567"));
        assert!(!is_cve("CVE-14-0160"));
        assert!(!is_cve("GHSA-xxxx"));
        assert!(!is_cve("CVE-2014-016a"));
    }
}

//! The embedded curated set: real public advisories for components common
//! in device firmware, in OSV format under the [`FIRMWARE_ECOSYSTEM`]
//! ecosystem, with a CISA KEV excerpt. See `data/curated/PROVENANCE.md`.
//!
//! [`FIRMWARE_ECOSYSTEM`]: crate::FIRMWARE_ECOSYSTEM

use std::path::Path;

use crate::error::{Location, VulnDbError};
use crate::feeds;
use crate::import::{InputKind, InputReport, Writer, parse_json_file};

/// The OSV files of the set (each a JSON array of OSV records).
pub(crate) const FILES: &[(&str, &str)] = &[
    ("busybox.json", include_str!("../data/curated/busybox.json")),
    ("curl.json", include_str!("../data/curated/curl.json")),
    ("dnsmasq.json", include_str!("../data/curated/dnsmasq.json")),
    (
        "dropbear.json",
        include_str!("../data/curated/dropbear.json"),
    ),
    ("libc.json", include_str!("../data/curated/libc.json")),
    (
        "lighttpd.json",
        include_str!("../data/curated/lighttpd.json"),
    ),
    ("linux.json", include_str!("../data/curated/linux.json")),
    ("openssh.json", include_str!("../data/curated/openssh.json")),
    ("openssl.json", include_str!("../data/curated/openssl.json")),
];

/// The CISA KEV entries of the curated CVEs, copied from the catalog.
const KEV: &str = include_str!("../data/curated/kev.json");

/// Upserts the curated advisories and adds their KEV entries (without
/// touching KEV entries already present). Returns the number of
/// advisories.
pub(crate) fn seed(w: &mut Writer<'_>) -> Result<u64, VulnDbError> {
    let mut report = InputReport::new("embedded:curated".into(), InputKind::OsvJson);
    for (name, text) in FILES {
        let loc = Location::file(Path::new("embedded:curated")).entry(Some((*name).to_owned()));
        for adv in parse_json_file((*text).to_owned(), &loc)? {
            w.advisory(&adv, &mut report)?;
        }
    }
    let loc = Location::file(Path::new("embedded:curated")).entry(Some("kev.json".to_owned()));
    let kev = feeds::parse_kev(KEV.as_bytes(), &loc)?;
    w.kev(&kev, false)?;
    Ok(report.records)
}

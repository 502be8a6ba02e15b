//! Firmware images as verified evidence: what a device actually ships.
//!
//! [`analyze`] unpacks an image recursively ([`unpack`]: squashfs, cpio, tar,
//! gzip/xz/zstd, uImage, JFFS2, UBI, filesystems carved from a flash layout), identifies its
//! components from version signatures and package databases ([`identify`]), and finds
//! weaknesses: published default passwords in `/etc/shadow`, private keys, telnet at
//! boot, unsigned or plain-HTTP updates, world-writable files, credentials in
//! configuration ([`weakness`]). [`Analysis::cyclonedx`] writes the image's SBOM
//! (CycloneDX 1.6), [`Analysis::verified`] the checks its findings decide, as verified
//! evidence for an assessment.
//!
//! In memory, bounded by [`Limits`]; never writes outside what the caller asks; the
//! library prints nothing.

mod identify;
mod jffs2;
mod keys;
mod ubi;
pub mod unpack;
mod weakness;

use riskmark_checks::Status;
use serde::Serialize;

pub use weakness::{DEFAULT_PASSWORDS, MAX_ACCOUNTS};

/// The schema of the JSON report.
pub const SCHEMA: &str = "riskmark/firmware/v1";

/// Bounds on what unpacking reads.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Containers inside containers.
    pub max_depth: usize,
    /// Files kept.
    pub max_files: usize,
    /// One file (or decompressed stream).
    pub max_file_bytes: u64,
    /// All files together.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 6,
            max_files: 100_000,
            max_file_bytes: 256 << 20,
            max_total_bytes: 2 << 30,
        }
    }
}

/// A container found in the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Container {
    /// `squashfs`, `cpio`, `gzip`, `uimage (NAME)`, ...
    pub format: String,
    /// The file it was found in.
    pub path: String,
    /// Its byte offset there.
    pub offset: u64,
    /// Its size, when known (0 otherwise).
    pub size: u64,
}

/// A component the image ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Its name (`busybox`, a package name).
    pub name: String,
    /// Its version as found.
    pub version: String,
    /// Package URL.
    pub purl: String,
    /// CPE 2.3 name, for binaries identified by signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// The file it was found in.
    pub path: String,
    /// The text that showed it.
    pub evidence: String,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// Worth fixing.
    Medium,
    /// Fix before shipping.
    High,
    /// Exploitable at scale as shipped.
    Critical,
}

/// A weakness found in the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind: `default-password`, `empty-password`, `private-key`, `debug-service`,
    /// `update-unsigned`, `update-plain-http`, `world-writable`, `setuid`,
    /// `hardcoded-credential`.
    pub code: String,
    /// The file.
    pub path: String,
    /// What was seen.
    pub detail: String,
    /// How bad.
    pub severity: Severity,
}

/// Something recognised but not read, or a limit reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// What.
    pub message: String,
    /// Where.
    pub at: String,
}

/// What an image holds.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The image's name.
    pub image: String,
    /// SHA-256 of the image, hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Containers opened.
    pub containers: Vec<Container>,
    /// Files read out of them.
    pub files: usize,
    /// Components identified.
    pub components: Vec<Component>,
    /// Weaknesses found.
    pub findings: Vec<Finding>,
    /// Formats recognised but not opened, limits reached.
    pub notes: Vec<Note>,
}

/// Why an image could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum FirmwareError {
    /// Nothing in it could be opened.
    #[error("{image}: no filesystem, archive or compressed stream found{}", if .notes.is_empty() { String::new() } else { format!(" ({})", .notes.join("; ")) })]
    Unrecognised {
        /// The image.
        image: String,
        /// What was recognised but not opened.
        notes: Vec<String>,
    },
    /// The image is empty.
    #[error("{0}: the image is empty")]
    Empty(String),
}

/// Analyses an image (`name` names it in reports and errors).
///
/// # Errors
/// [`FirmwareError`] when the image is empty or nothing in it opens.
pub fn analyze(bytes: &[u8], name: &str, limits: &Limits) -> Result<Analysis, FirmwareError> {
    use sha2::Digest as _;
    if bytes.is_empty() {
        return Err(FirmwareError::Empty(name.to_owned()));
    }
    let u = unpack::unpack(bytes, name, limits);
    if u.containers.is_empty() {
        return Err(FirmwareError::Unrecognised {
            image: name.to_owned(),
            notes: u.notes.iter().map(|(w, a)| format!("{w} at {a}")).collect(),
        });
    }
    Ok(Analysis {
        schema: SCHEMA,
        image: name.to_owned(),
        sha256: format!("{:x}", sha2::Sha256::digest(bytes)),
        size: bytes.len() as u64,
        containers: u.containers.clone(),
        files: u.files.len(),
        components: identify::identify(&u.files),
        findings: weakness::find(&u.files),
        notes: u
            .notes
            .into_iter()
            .map(|(message, at)| Note { message, at })
            .collect(),
    })
}

/// A check an image's findings decide, as a lab's statement would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The check's code.
    pub code: &'static str,
    /// What the image shows.
    pub status: Status,
    /// The file and what was seen.
    pub evidence: String,
}

/// The built-in check each finding contradicts.
fn check_of(code: &str) -> Option<&'static str> {
    Some(match code {
        "default-password" | "empty-password" => "default-password-universal",
        "debug-service" => "debug-service-exposed",
        "update-unsigned" => "update-signed",
        "update-plain-http" => "update-secure-delivery",
        "private-key" | "hardcoded-credential" => "credential-storage",
        _ => return None,
    })
}

impl Analysis {
    /// The checks the findings decide: each a fail, with every finding behind it as
    /// evidence (the file inside the image and what was seen). An image without a
    /// finding for a check decides nothing about it (absence is not proof).
    pub fn verified(&self) -> Vec<Verified> {
        let mut out: Vec<Verified> = Vec::new();
        for f in &self.findings {
            let Some(code) = check_of(&f.code) else {
                continue;
            };
            let evidence = format!("{}: {}", f.path, f.detail);
            match out.iter_mut().find(|v| v.code == code) {
                Some(v) => {
                    v.evidence.push_str("; ");
                    v.evidence.push_str(&evidence);
                }
                None => out.push(Verified {
                    code,
                    status: Status::Fail,
                    evidence,
                }),
            }
        }
        out
    }

    /// The image's SBOM, CycloneDX 1.6 JSON: the image as the described component,
    /// each identified component with its purl, CPE and where it was found.
    pub fn cyclonedx(&self) -> serde_json::Value {
        let ns = uuid::Uuid::from_bytes([
            0x6b, 0x1f, 0x3c, 0x52, 0x9a, 0x0e, 0x4d, 0x7b, 0x8e, 0x21, 0x5c, 0x44, 0x0a, 0x93,
            0x6f, 0x12,
        ]);
        let serial = uuid::Uuid::new_v5(&ns, self.sha256.as_bytes());
        let components: Vec<serde_json::Value> = self
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut v = serde_json::json!({
                    "type": if c.purl.starts_with("pkg:generic/linux@") { "operating-system" } else { "application" },
                    "bom-ref": format!("component-{i}"),
                    "name": c.name,
                    "version": c.version,
                    "purl": c.purl,
                    "evidence": { "occurrences": [{ "location": c.path }] },
                    "properties": [{ "name": "riskmark:firmware:evidence", "value": c.evidence }]
                });
                if let Some(cpe) = &c.cpe {
                    v["cpe"] = serde_json::Value::String(cpe.clone());
                }
                v
            })
            .collect();
        serde_json::json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": format!("urn:uuid:{serial}"),
            "version": 1,
            "metadata": {
                "tools": { "components": [{ "type": "application", "name": "riskmark", "version": env!("CARGO_PKG_VERSION") }] },
                "component": {
                    "type": "firmware",
                    "bom-ref": "image",
                    "name": self.image.rsplit('/').next().unwrap_or(&self.image),
                    "hashes": [{ "alg": "SHA-256", "content": self.sha256 }]
                }
            },
            "components": components,
            "dependencies": [{
                "ref": "image",
                "dependsOn": (0..self.components.len()).map(|i| format!("component-{i}")).collect::<Vec<_>>()
            }]
        })
    }
}

//! Inventories: what an operator holds. A CSV (one row per device instance), a directory
//! of profiles (one device each), or a CycloneDX BOM whose `device` components are the
//! instances. Every problem is located (file, line, column, field) and none stops the
//! others: the rows that are fine are assessed, the others reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use riskmark_model::Diagnostic;
use serde::Serialize;

/// How much an instance matters to its operator: weighs the risk its actions remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    /// Weight 1.
    Low,
    /// Weight 2 (the default).
    #[default]
    Medium,
    /// Weight 3.
    High,
    /// Weight 4.
    Critical,
}

impl Criticality {
    /// Parses `low`, `medium`, `high` or `critical` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }

    /// The weight of the risk points its devices' actions remove.
    pub const fn weight(self) -> u64 {
        match self {
            Self::Low => 1,
            Self::Medium => 2,
            Self::High => 3,
            Self::Critical => 4,
        }
    }
}

/// Other columns of an inventory row, in order: `name -> value`. Column names are
/// shared between rows (an estate of a million rows keeps each name once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(pub Vec<(Arc<str>, String)>);

impl Tags {
    /// The value of a column.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Tags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&**k, v)?;
        }
        m.end()
    }
}

/// One device instance of the estate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instance {
    /// The operator's id for it.
    pub device_id: String,
    /// Its model's profile.
    pub profile: PathBuf,
    /// The firmware it runs, when the inventory says (else the profile's).
    pub firmware_version: Option<String>,
    /// The SBOM of that firmware, when the inventory gives one (else the profile's).
    pub sbom: Option<PathBuf>,
    /// The firmware image itself, when the inventory gives one: its SBOM is scanned
    /// (unless `sbom` names another) and its weaknesses are verified verdicts.
    pub firmware_image: Option<PathBuf>,
    /// Signed evidence about the device (`riskmark probe --out`): the checks it decides
    /// are verified verdicts.
    pub evidence: Option<PathBuf>,
    /// Where it is.
    pub location: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// Its network zone.
    pub network_zone: Option<String>,
    /// How much it matters.
    pub criticality: Criticality,
    /// Every other column, kept.
    pub tags: Tags,
    /// Where it was read (line of the CSV, index of the component, the file).
    #[serde(skip)]
    pub line: usize,
}

/// An inventory read: its instances and the problems of the rest.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// What was read.
    pub source: String,
    /// The instances that can be assessed.
    pub instances: Vec<Instance>,
    /// Rows that could not be used, located.
    pub problems: Vec<Diagnostic>,
}

/// Why nothing could be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    /// The file or directory cannot be read.
    #[error("{path}: {message}")]
    Read {
        /// It.
        path: String,
        /// Why.
        message: String,
    },
    /// The inventory as a whole is unusable (no header, missing required columns, not a
    /// BOM).
    #[error("{}", .0.message)]
    Invalid(Diagnostic),
}

const KNOWN: [&str; 10] = [
    "device_id",
    "profile",
    "firmware_version",
    "sbom",
    "firmware_image",
    "evidence",
    "location",
    "owner",
    "network_zone",
    "criticality",
];

fn diag(file: &str, line: usize, column: usize, field: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        field: Some(field.to_owned()),
        message,
        source_line: None,
    }
}

/// The largest inventory file read (256 MiB): a million devices in CSV is well under it.
pub const MAX_INVENTORY_BYTES: u64 = 256 << 20;

/// Reads an inventory: a directory of profiles, a CycloneDX BOM (`.json` with
/// `bomFormat`), or a CSV.
///
/// # Errors
/// [`InventoryError`] when nothing can be read (or the file is over
/// [`MAX_INVENTORY_BYTES`]); row problems are in
/// [`Inventory::problems`].
pub fn read(path: &Path) -> Result<Inventory, InventoryError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return read_dir(path);
    }
    let bytes =
        riskmark_model::read_capped(path, MAX_INVENTORY_BYTES, "an inventory").map_err(|e| {
            InventoryError::Read {
                path: name.clone(),
                message: e.reason(),
            }
        })?;
    let head = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied()
        .unwrap_or(b' ');
    if head == b'{' {
        return read_cyclonedx(&bytes, path);
    }
    read_csv(&bytes, path)
}

/// A CSV inventory; paths in it are relative to the CSV's directory.
///
/// # Errors
/// [`InventoryError::Invalid`] without a header naming `device_id` and `profile`.
pub fn read_csv(bytes: &[u8], path: &Path) -> Result<Inventory, InventoryError> {
    let file = path.display().to_string();
    let base = path.parent().unwrap_or_else(|| Path::new(""));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes);
    let headers: Vec<Arc<str>> = reader
        .headers()
        .map_err(|e| {
            InventoryError::Invalid(diag(
                &file,
                1,
                1,
                "header",
                format!("not a CSV header: {e}"),
            ))
        })?
        .iter()
        .map(|h| Arc::from(h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()))
        .collect();
    for required in ["device_id", "profile"] {
        if !headers.iter().any(|h| &**h == required) {
            return Err(InventoryError::Invalid(diag(
                &file,
                1,
                1,
                required,
                format!(
                    "the header has no `{required}` column (found: {}); the columns are {}",
                    headers.iter().map(|h| &**h).collect::<Vec<_>>().join(", "),
                    KNOWN.join(", ")
                ),
            )));
        }
    }
    let mut inv = Inventory {
        source: file.clone(),
        ..Inventory::default()
    };
    let mut seen = HashSet::new();
    let mut exists = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                inv.problems
                    .push(diag(&file, line, 1, "row", format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut row = Row {
            file: &file,
            base,
            line,
            problems: Vec::new(),
            exists: &mut exists,
        };
        let mut cols: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        let mut tags = Tags::default();
        if record.len() > headers.len() {
            row.problem(
                headers.len() + 1,
                "row",
                format!(
                    "{} fields, the header names {}",
                    record.len(),
                    headers.len()
                ),
            );
        }
        for (i, (h, v)) in headers.iter().zip(record.iter()).enumerate() {
            if KNOWN.contains(&&**h) {
                cols.insert(h, (i + 1, v));
            } else if !v.is_empty() && !h.is_empty() {
                tags.0.push((h.clone(), v.to_owned()));
            }
        }
        if let Some(i) = row.instance(&cols, tags, &mut seen) {
            inv.instances.push(i);
        }
        inv.problems.extend(row.problems);
    }
    Ok(inv)
}

struct Row<'a> {
    file: &'a str,
    base: &'a Path,
    line: usize,
    problems: Vec<Diagnostic>,
    /// Paths already looked for (an estate names the same profiles many times).
    exists: &'a mut HashMap<PathBuf, bool>,
}

impl Row<'_> {
    fn is_file(&mut self, path: &Path) -> bool {
        if let Some(known) = self.exists.get(path) {
            return *known;
        }
        let found = path.is_file();
        self.exists.insert(path.to_path_buf(), found);
        found
    }

    fn problem(&mut self, column: usize, field: &str, message: String) {
        self.problems
            .push(diag(self.file, self.line, column, field, message));
    }

    /// An instance from the known columns (`name -> (column, value)`), or `None` with
    /// the problems recorded.
    fn instance(
        &mut self,
        cols: &BTreeMap<&str, (usize, &str)>,
        tags: Tags,
        seen: &mut HashSet<String>,
    ) -> Option<Instance> {
        let get = |k: &str| {
            cols.get(k)
                .map(|(c, v)| (*c, v.trim()))
                .filter(|(_, v)| !v.is_empty())
        };
        let before = self.problems.len();
        let device_id = match get("device_id") {
            Some((c, id)) => {
                if !seen.insert(id.to_owned()) {
                    self.problem(c, "device_id", format!("`{id}` is listed twice"));
                }
                Some(id.to_owned())
            }
            None => {
                let c = cols.get("device_id").map_or(1, |(c, _)| *c);
                self.problem(c, "device_id", "empty: every row needs a device_id".into());
                None
            }
        };
        let profile = match get("profile") {
            Some((c, p)) => {
                let path = self.base.join(p);
                if self.is_file(&path) {
                    Some(path)
                } else {
                    self.problem(
                        c,
                        "profile",
                        format!("`{p}` does not exist (looked for {})", path.display()),
                    );
                    None
                }
            }
            None => {
                let c = cols.get("profile").map_or(1, |(c, _)| *c);
                self.problem(c, "profile", "empty: every row needs a profile".into());
                None
            }
        };
        let sbom = get("sbom").and_then(|(c, p)| {
            let path = self.base.join(p);
            if self.is_file(&path) {
                Some(path)
            } else {
                self.problem(
                    c,
                    "sbom",
                    format!("`{p}` does not exist (looked for {})", path.display()),
                );
                None
            }
        });
        let firmware_image = get("firmware_image").and_then(|(c, p)| {
            let path = self.base.join(p);
            if self.is_file(&path) {
                Some(path)
            } else {
                self.problem(
                    c,
                    "firmware_image",
                    format!("`{p}` does not exist (looked for {})", path.display()),
                );
                None
            }
        });
        let evidence = get("evidence").and_then(|(c, p)| {
            let path = self.base.join(p);
            if self.is_file(&path) {
                Some(path)
            } else {
                self.problem(
                    c,
                    "evidence",
                    format!("`{p}` does not exist (looked for {})", path.display()),
                );
                None
            }
        });
        let criticality = match get("criticality") {
            Some((c, v)) => Criticality::parse(v).unwrap_or_else(|| {
                self.problem(
                    c,
                    "criticality",
                    format!("`{v}` is not one of low, medium, high, critical"),
                );
                Criticality::default()
            }),
            None => Criticality::default(),
        };
        if self.problems.len() > before {
            return None;
        }
        let text = |k: &str| get(k).map(|(_, v)| v.to_owned());
        Some(Instance {
            device_id: device_id?,
            profile: profile?,
            firmware_version: text("firmware_version"),
            sbom,
            firmware_image,
            evidence,
            location: text("location"),
            owner: text("owner"),
            network_zone: text("network_zone"),
            criticality,
            tags,
            line: self.line,
        })
    }
}

/// A directory of profiles (`*.toml`, `*.json`): one device each, named by its file.
fn read_dir(dir: &Path) -> Result<Inventory, InventoryError> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| InventoryError::Read {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("toml") || x.eq_ignore_ascii_case("json")
                })
        })
        .collect();
    files.sort();
    let instances = files
        .into_iter()
        .map(|p| Instance {
            device_id: p
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            profile: p,
            firmware_version: None,
            sbom: None,
            firmware_image: None,
            evidence: None,
            location: None,
            owner: None,
            network_zone: None,
            criticality: Criticality::default(),
            tags: Tags::default(),
            line: 0,
        })
        .collect();
    Ok(Inventory {
        source: name,
        instances,
        problems: Vec::new(),
    })
}

/// A CycloneDX BOM: each component of type `device` is an instance; its `bom-ref` is the
/// device id, its `version` the firmware, and `riskmark:`-prefixed properties give the
/// other columns (`riskmark:profile` is required). Other properties are kept as tags.
fn read_cyclonedx(bytes: &[u8], path: &Path) -> Result<Inventory, InventoryError> {
    let file = path.display().to_string();
    let base = path.parent().unwrap_or_else(|| Path::new(""));
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        InventoryError::Invalid(diag(
            &file,
            e.line(),
            e.column(),
            "bom",
            format!("not JSON: {e}"),
        ))
    })?;
    if v["bomFormat"] != "CycloneDX" {
        return Err(InventoryError::Invalid(diag(
            &file,
            1,
            1,
            "bomFormat",
            "a JSON inventory is a CycloneDX BOM (`\"bomFormat\": \"CycloneDX\"`)".into(),
        )));
    }
    let mut inv = Inventory {
        source: file.clone(),
        ..Inventory::default()
    };
    let mut seen = HashSet::new();
    let mut exists = HashMap::new();
    let mut devices = Vec::new();
    collect_devices(&v["components"], "components", &mut devices);
    for (pointer, c) in devices {
        let mut row = Row {
            file: &file,
            base,
            line: 0,
            problems: Vec::new(),
            exists: &mut exists,
        };
        let id = c["bom-ref"]
            .as_str()
            .or_else(|| c["name"].as_str())
            .unwrap_or("");
        let mut cols: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        cols.insert("device_id", (0, id));
        if let Some(version) = c["version"].as_str() {
            cols.insert("firmware_version", (0, version));
        }
        let mut tags = Tags::default();
        for p in c["properties"].as_array().into_iter().flatten() {
            let (Some(name), Some(value)) = (p["name"].as_str(), p["value"].as_str()) else {
                continue;
            };
            match name.strip_prefix("riskmark:") {
                Some(k) if KNOWN.contains(&k) => {
                    if let Some(k) = KNOWN.iter().find(|x| **x == k) {
                        cols.insert(k, (0, value));
                    }
                }
                _ => {
                    tags.0.push((Arc::from(name), value.to_owned()));
                }
            }
        }
        if let Some(i) = row.instance(&cols, tags, &mut seen) {
            inv.instances.push(i);
        }
        // The BOM has no lines: name the component by its JSON pointer.
        for mut d in row.problems {
            d.field = Some(format!("{pointer} ({})", d.field.unwrap_or_default()));
            inv.problems.push(d);
        }
    }
    Ok(inv)
}

fn collect_devices<'a>(
    components: &'a serde_json::Value,
    at: &str,
    out: &mut Vec<(String, &'a serde_json::Value)>,
) {
    for (i, c) in components.as_array().into_iter().flatten().enumerate() {
        let here = format!("{at}[{i}]");
        if c["type"] == "device" {
            out.push((here.clone(), c));
        }
        collect_devices(&c["components"], &format!("{here}.components"), out);
    }
}

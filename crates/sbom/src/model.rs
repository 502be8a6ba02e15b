//! The normalized SBOM model every reader produces.

use std::fmt;

use serde::{Serialize, Serializer};

/// The concrete serialization an SBOM was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Format {
    /// CycloneDX, JSON encoding (`cyclonedx-json`).
    #[serde(rename = "cyclonedx-json")]
    CycloneDxJson,
    /// CycloneDX, XML encoding (`cyclonedx-xml`).
    #[serde(rename = "cyclonedx-xml")]
    CycloneDxXml,
    /// SPDX 2.x, JSON encoding (`spdx-json`).
    #[serde(rename = "spdx-json")]
    SpdxJson,
    /// SPDX 2.x, tag-value encoding (`spdx-tag-value`).
    #[serde(rename = "spdx-tag-value")]
    SpdxTagValue,
    /// SPDX 3.x, JSON-LD encoding (`spdx3-json-ld`).
    #[serde(rename = "spdx3-json-ld")]
    Spdx3JsonLd,
}

impl Format {
    /// A short human name, e.g. `CycloneDX JSON`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "CycloneDX JSON",
            Self::CycloneDxXml => "CycloneDX XML",
            Self::SpdxJson => "SPDX JSON",
            Self::SpdxTagValue => "SPDX tag-value",
            Self::Spdx3JsonLd => "SPDX 3 JSON-LD",
        }
    }

    /// True for the CycloneDX encodings.
    pub fn is_cyclonedx(self) -> bool {
        matches!(self, Self::CycloneDxJson | Self::CycloneDxXml)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One SBOM document, normalized across formats.
#[derive(Debug, Clone, Serialize)]
pub struct Sbom {
    /// The format the document was read from.
    pub format: Format,
    /// The specification version as written, without prefix (`1.4`, `2.3`).
    pub spec_version: String,
    /// Document name (SPDX `name`/`DocumentName`; for CycloneDX the name of the
    /// metadata component, when there is one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Document identity: CycloneDX `serialNumber` or SPDX `documentNamespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// Creation time as written (CycloneDX `metadata.timestamp`, SPDX `created`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Tools that produced the document, as `name` or `name version`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
    /// The top-level component the SBOM describes (the device, firmware,
    /// image or application): CycloneDX `metadata.component`, or the single
    /// SPDX package the document `DESCRIBES`. It is not repeated in
    /// [`Sbom::components`]. `None` when the document names none (or several).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<Component>,
    /// Every other component, nested CycloneDX components flattened
    /// (see [`Component::parent`]), in document order.
    pub components: Vec<Component>,
    /// Relations between components (and the root), normalized to one
    /// direction each; see [`RelationKind`].
    pub relations: Vec<Relation>,
    /// Everything that was skipped or repaired while reading, with the reason.
    pub warnings: Vec<Warning>,
}

impl Sbom {
    /// The root component (if any) followed by all other components.
    pub fn all_components(&self) -> impl Iterator<Item = &Component> {
        self.root.iter().chain(self.components.iter())
    }

    /// The component (or root) with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.all_components().find(|c| c.id == id)
    }

    /// Ids of the components `id` depends on (any [`RelationKind`] whose
    /// name ends in `DependsOn`).
    pub fn dependencies_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.relations
            .iter()
            .filter(move |r| r.from == id && r.kind.is_dependency())
            .map(|r| r.to.as_str())
    }
}

/// One software or hardware component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Identifier unique in the document: CycloneDX `bom-ref`, SPDX `SPDXID`,
    /// or, when the document gives none, a synthesized one naming its
    /// location (`components[3]`).
    pub id: String,
    /// Component name (CycloneDX `name`, SPDX package `name`).
    pub name: String,
    /// Version as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// CycloneDX `group` (Maven group id, npm scope, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The package URL exactly as written in the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// The package URL split into its parts; `None` when absent or malformed
    /// (a malformed one also yields a [`Warning`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl_parsed: Option<Purl>,
    /// Further package URLs the document gives for the component, as written (SPDX
    /// allows several external references; tools write a wrong one first at times).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_purls: Vec<String>,
    /// CPE names (2.3 formatted string or 2.2 URI) as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cpes: Vec<String>,
    /// Supplier name (CycloneDX `supplier.name`, SPDX `supplier` without its
    /// `Organization:`/`Person:` prefix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// Declared licences: SPDX ids, names or expressions, as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Content hashes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    /// What sort of component this is.
    pub kind: ComponentKind,
    /// For a flattened nested CycloneDX component: the id of its parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A package URL split into parts (see the purl specification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purl {
    /// Package type (`npm`, `deb`, `golang`, ...), lower-cased.
    #[serde(rename = "type")]
    pub ty: String,
    /// Namespace (npm scope, Maven group, Debian vendor, ...), decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Package name, decoded.
    pub name: String,
    /// Version, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Qualifiers (`arch`, `distro`, ...), sorted by key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<(String, String)>,
    /// Sub-path inside the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subpath: Option<String>,
}

impl Purl {
    /// The value of one qualifier.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A content hash of a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hash {
    /// The algorithm.
    pub alg: HashAlg,
    /// The digest as written (normally lower-case hex).
    pub value: String,
}

/// Hash algorithms, named as CycloneDX names them; SPDX names map onto them
/// (`SHA256` is [`HashAlg::Sha256`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlg {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// BLAKE2b-256.
    Blake2b256,
    /// BLAKE2b-384.
    Blake2b384,
    /// BLAKE2b-512.
    Blake2b512,
    /// BLAKE3.
    Blake3,
    /// Any other algorithm, as written (upper-cased).
    Other(String),
}

impl HashAlg {
    /// Reads a CycloneDX or SPDX algorithm name (case-insensitive,
    /// `-` and `_` ignored). Unknown names become [`HashAlg::Other`].
    pub fn parse(name: &str) -> Self {
        let key: String = name
            .chars()
            .filter(|c| *c != '-' && *c != '_' && !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect();
        match key.as_str() {
            "MD5" => Self::Md5,
            "SHA1" => Self::Sha1,
            "SHA224" => Self::Sha224,
            "SHA256" => Self::Sha256,
            "SHA384" => Self::Sha384,
            "SHA512" => Self::Sha512,
            "SHA3256" => Self::Sha3_256,
            "SHA3384" => Self::Sha3_384,
            "SHA3512" => Self::Sha3_512,
            "BLAKE2B256" => Self::Blake2b256,
            "BLAKE2B384" => Self::Blake2b384,
            "BLAKE2B512" => Self::Blake2b512,
            "BLAKE3" => Self::Blake3,
            _ => Self::Other(name.trim().to_uppercase()),
        }
    }

    /// The CycloneDX spelling (`SHA-256`), or the raw name for
    /// [`HashAlg::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
            Self::Sha3_256 => "SHA3-256",
            Self::Sha3_384 => "SHA3-384",
            Self::Sha3_512 => "SHA3-512",
            Self::Blake2b256 => "BLAKE2b-256",
            Self::Blake2b384 => "BLAKE2b-384",
            Self::Blake2b512 => "BLAKE2b-512",
            Self::Blake3 => "BLAKE3",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for HashAlg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for HashAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What sort of component: the CycloneDX `type` or SPDX
/// `primaryPackagePurpose`, merged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ComponentKind {
    /// A software application.
    Application,
    /// A framework.
    Framework,
    /// A library (the CycloneDX default).
    Library,
    /// A container image.
    Container,
    /// A runtime platform.
    Platform,
    /// An operating system (or an OS package set).
    OperatingSystem,
    /// A hardware device.
    Device,
    /// A device driver.
    DeviceDriver,
    /// Firmware.
    Firmware,
    /// A single file.
    File,
    /// A source package or archive (SPDX `SOURCE`/`ARCHIVE`).
    Source,
    /// An installer (SPDX `INSTALL`).
    Install,
    /// A machine-learning model.
    MachineLearningModel,
    /// Data.
    Data,
    /// A cryptographic asset.
    CryptographicAsset,
    /// The document did not say (SPDX before 2.3, or no purpose given).
    Unspecified,
    /// A value outside both vocabularies, as written (lower-cased).
    Other(String),
}

impl ComponentKind {
    /// Reads a CycloneDX `type` or SPDX `primaryPackagePurpose`
    /// (case-insensitive, `_` read as `-`). Returns `None` for unknown values.
    pub fn parse(value: &str) -> Option<Self> {
        // `operating-system`, `OPERATING_SYSTEM` (SPDX 2) and
        // `operatingSystem` (SPDX 3) are one value.
        let mut key = String::with_capacity(value.len() + 2);
        let mut previous_lower = false;
        for c in value.trim().chars() {
            if c.is_ascii_uppercase() && previous_lower {
                key.push('-');
            }
            previous_lower = c.is_ascii_lowercase();
            key.push(if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            });
        }
        Some(match key.as_str() {
            "application" => Self::Application,
            "framework" => Self::Framework,
            "library" => Self::Library,
            "container" => Self::Container,
            "platform" => Self::Platform,
            "operating-system" => Self::OperatingSystem,
            "device" => Self::Device,
            "device-driver" => Self::DeviceDriver,
            "firmware" => Self::Firmware,
            "file" => Self::File,
            "source" | "archive" => Self::Source,
            "install" => Self::Install,
            "machine-learning-model" => Self::MachineLearningModel,
            "data" => Self::Data,
            "cryptographic-asset" => Self::CryptographicAsset,
            "other" => Self::Unspecified,
            _ => return None,
        })
    }

    /// The kebab-case name (`operating-system`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Application => "application",
            Self::Framework => "framework",
            Self::Library => "library",
            Self::Container => "container",
            Self::Platform => "platform",
            Self::OperatingSystem => "operating-system",
            Self::Device => "device",
            Self::DeviceDriver => "device-driver",
            Self::Firmware => "firmware",
            Self::File => "file",
            Self::Source => "source",
            Self::Install => "install",
            Self::MachineLearningModel => "machine-learning-model",
            Self::Data => "data",
            Self::CryptographicAsset => "cryptographic-asset",
            Self::Unspecified => "unspecified",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for ComponentKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A directed relation: `from` *kind* `to` (e.g. `from` depends on `to`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Relation {
    /// Id of the source component.
    pub from: String,
    /// Id of the target component.
    pub to: String,
    /// The relation.
    pub kind: RelationKind,
}

/// Relation kinds, each with one direction. SPDX inverse types are turned
/// around (`B DEPENDENCY_OF A` becomes `A DependsOn B`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RelationKind {
    /// `from` needs `to` at run time (CycloneDX `dependsOn`; SPDX
    /// `DEPENDS_ON`, `DEPENDENCY_OF`, `RUNTIME_DEPENDENCY_OF`,
    /// `PROVIDED_DEPENDENCY_OF`, `STATIC_LINK`, `DYNAMIC_LINK`,
    /// `HAS_PREREQUISITE`, `PREREQUISITE_FOR`).
    DependsOn,
    /// `from` needs `to` only to build, develop or test (SPDX
    /// `BUILD_DEPENDENCY_OF`, `DEV_DEPENDENCY_OF`, `TEST_DEPENDENCY_OF`).
    DevDependsOn,
    /// `from` can use `to` but does not need it (SPDX
    /// `OPTIONAL_DEPENDENCY_OF`).
    OptionalDependsOn,
    /// `from` contains `to` (CycloneDX nesting; SPDX `CONTAINS`,
    /// `CONTAINED_BY`).
    Contains,
    /// Any other SPDX relationship type, as written, in the document's
    /// direction.
    Other(String),
}

impl RelationKind {
    /// A stable name (`depends-on`), or the SPDX type for
    /// [`RelationKind::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            Self::DependsOn => "depends-on",
            Self::DevDependsOn => "dev-depends-on",
            Self::OptionalDependsOn => "optional-depends-on",
            Self::Contains => "contains",
            Self::Other(s) => s,
        }
    }

    /// True for the three dependency kinds.
    pub fn is_dependency(&self) -> bool {
        matches!(
            self,
            Self::DependsOn | Self::DevDependsOn | Self::OptionalDependsOn
        )
    }
}

impl Serialize for RelationKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something skipped or repaired while reading; the document was still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What sort of problem.
    pub kind: WarningKind,
    /// What was found and what was done about it.
    pub message: String,
    /// Where: a JSON path (`components[3].purl`), an XML or tag-value line
    /// (`line 120`), or `document`.
    pub location: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.location, self.message, self.kind)
    }
}

/// Sorts of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A component without a name; it was skipped.
    MissingName,
    /// A second copy of an already-read component (same id and content);
    /// it was skipped.
    DuplicateComponent,
    /// Two different components share an id; the later one was given a new id.
    DuplicateId,
    /// A purl that does not follow the purl specification; it is kept as
    /// written but not parsed.
    MalformedPurl,
    /// A CPE that is neither a CPE 2.3 string nor a CPE 2.2 URI; it is kept
    /// as written.
    MalformedCpe,
    /// A value outside the specification's vocabulary (component type,
    /// relationship type, hash algorithm, ...); read as described.
    UnknownValue,
    /// An element of the wrong shape (e.g. a component that is a number,
    /// a relationship without a target); it was skipped.
    InvalidElement,
    /// A relation that names an element the document does not contain;
    /// it was skipped.
    DanglingReference,
    /// A specification version this reader was not written for; the
    /// document was read anyway.
    UnsupportedVersion,
    /// Bytes that are not valid UTF-8 were replaced, or content after the
    /// end of the document was ignored.
    Encoding,
}

impl WarningKind {
    /// The kebab-case name (`missing-name`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingName => "missing-name",
            Self::DuplicateComponent => "duplicate-component",
            Self::DuplicateId => "duplicate-id",
            Self::MalformedPurl => "malformed-purl",
            Self::MalformedCpe => "malformed-cpe",
            Self::UnknownValue => "unknown-value",
            Self::InvalidElement => "invalid-element",
            Self::DanglingReference => "dangling-reference",
            Self::UnsupportedVersion => "unsupported-version",
            Self::Encoding => "encoding",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

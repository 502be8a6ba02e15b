//! Strict loading of profiles from TOML or JSON, with every problem located.
//!
//! Each top-level section is deserialized on its own so that one file reports the
//! problems of all its sections at once; within a section the first problem is reported.

use crate::read::read_limited;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value as JsonValue;
use serde_path_to_error::{Path as DePath, Segment};

use crate::diag::Diagnostic;
use crate::ids::suggest;
use crate::locate::{LineIndex, Locations, Pos, json_locations, toml_locations};
use crate::profile::{
    Connectivity, DataProtection, Development, Disclosure, Evidence, Identity, Product, Profile,
    Resilience, Updates, Use,
};
use crate::values::SchemaId;

/// Profiles larger than this are refused before parsing (a profile is a few KiB).
pub const MAX_PROFILE_BYTES: u64 = 4 * 1024 * 1024;

/// The top-level keys of format v1.
pub const SECTIONS: &[&str] = &[
    "schema",
    "product",
    "use",
    "connectivity",
    "identity",
    "updates",
    "disclosure",
    "development",
    "data_protection",
    "resilience",
    "evidence",
];

/// Input syntax of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (`*.toml`).
    Toml,
    /// JSON (`*.json`).
    Json,
}

impl Format {
    /// From the file name's extension, else from the first non-blank character.
    pub fn detect(name: &str, text: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Self::Json
        } else if lower.ends_with(".toml") {
            Self::Toml
        } else if text.trim_start().starts_with('{') {
            Self::Json
        } else {
            Self::Toml
        }
    }
}

/// A profile as loaded, with where each of its fields was written.
#[derive(Debug, Clone)]
pub struct LoadedProfile {
    /// The validated profile.
    pub profile: Profile,
    /// The file as the user named it.
    pub file: String,
    /// Its syntax.
    pub format: Format,
    /// Field path -> position.
    pub locations: Locations,
}

/// Why a profile could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// The file.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// The file was read but is not a valid profile.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
}

impl LoadError {
    /// Why the input could not be used, in one line without its file name: the I/O
    /// error, or the first problem found (for callers that name the file themselves).
    pub fn reason(&self) -> String {
        match self {
            Self::Io { message, .. } => message.clone(),
            Self::Invalid(d) => d.first().map_or_else(String::new, |d| d.message.clone()),
        }
    }

    /// The located problems (one for an I/O error, with line 0).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Self::Io { file, message } => vec![Diagnostic {
                file: file.clone(),
                line: 0,
                column: 0,
                field: None,
                message: format!("cannot read: {message}"),
                source_line: None,
            }],
            Self::Invalid(d) => d.clone(),
        }
    }
}

fn render(diags: &[Diagnostic]) -> String {
    let mut s = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&d.to_string());
    }
    s
}

/// Reads and validates a profile file.
pub fn load_path(path: &Path) -> Result<LoadedProfile, LoadError> {
    let bytes = read_limited(path)?;
    load_bytes(&path.display().to_string(), &bytes)
}

/// Validates a profile held in memory; `file` names it in diagnostics and picks the format.
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<LoadedProfile, LoadError> {
    let text = text_of(file, bytes, EMPTY_PROFILE)?;
    let format = Format::detect(file, text);
    let index = LineIndex::new(text);
    let mut sink = Sink {
        file,
        index: &index,
        diags: Vec::new(),
        locations: Locations::default(),
    };
    let profile = match format {
        Format::Toml => load_toml(text, &mut sink),
        Format::Json => load_json(text, &mut sink),
    };
    match profile {
        Some(profile) if sink.diags.is_empty() => {
            validate(&profile, &mut sink);
            if sink.diags.is_empty() {
                return Ok(LoadedProfile {
                    profile,
                    file: file.to_owned(),
                    format,
                    locations: sink.locations,
                });
            }
            Err(LoadError::Invalid(sink.diags))
        }
        _ => Err(LoadError::Invalid(sink.diags)),
    }
}

const EMPTY_PROFILE: &str = "file is empty: a profile needs at least `schema = \"riskmark/device-profile/v1\"` and the [product], [use] and [connectivity] sections";

/// Checks size and encoding, and returns the text without a byte-order mark.
fn text_of<'b>(file: &str, bytes: &'b [u8], empty_message: &str) -> Result<&'b str, LoadError> {
    if bytes.len() as u64 > MAX_PROFILE_BYTES {
        return Err(whole_file(
            file,
            format!(
                "file is {} bytes; the limit is {MAX_PROFILE_BYTES}",
                bytes.len()
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.rsplit(|&b| b == b'\n').next().map_or(0, <[u8]>::len) + 1;
            return Err(LoadError::Invalid(vec![Diagnostic {
                file: file.to_owned(),
                line,
                column: col,
                field: None,
                message: format!(
                    "not UTF-8 text (invalid byte at offset {}): expected a TOML or JSON text file",
                    e.valid_up_to()
                ),
                source_line: None,
            }]));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(whole_file(file, empty_message.to_owned()));
    }
    if text.contains('\0') {
        return Err(whole_file(
            file,
            "file contains NUL bytes: not a text file".into(),
        ));
    }
    Ok(text)
}

/// Reports problems found after deserialization, by field path.
pub struct Reporter<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl Reporter<'_, '_> {
    /// Records an error at the field `path` (dotted, with `[i]` for array elements).
    pub fn error(&mut self, path: &str, message: impl Into<String>) {
        self.sink.at_path(path, message.into());
    }
}

/// Strictly loads any TOML or JSON document into `T`, then lets `validate` report
/// problems by field path; every error names the file, line, column and field.
pub fn load_document<T: DeserializeOwned>(
    file: &str,
    bytes: &[u8],
    validate: impl FnOnce(&T, &mut Reporter<'_, '_>),
) -> Result<(T, Locations), LoadError> {
    let text = text_of(file, bytes, "file is empty")?;
    let index = LineIndex::new(text);
    let mut sink = Sink {
        file,
        index: &index,
        diags: Vec::new(),
        locations: Locations::default(),
    };
    let value = match Format::detect(file, text) {
        Format::Toml => match toml::de::DeTable::parse(text) {
            Ok(doc) => {
                sink.locations = toml_locations(doc.get_ref(), sink.index);
                let de = toml::de::Deserializer::from(doc);
                match serde_path_to_error::deserialize::<_, T>(de) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        let off = e.inner().span().map(|s| s.start);
                        let msg = e.inner().message().trim_end().to_owned();
                        report(&mut sink, "", e.path(), off, &msg);
                        None
                    }
                }
            }
            Err(e) => {
                let off = e.span().map_or(0, |s| s.start);
                sink.at_offset(
                    off,
                    None,
                    format!("invalid TOML: {}", e.message().trim_end()),
                );
                None
            }
        },
        Format::Json => match serde_json::from_str::<JsonValue>(text) {
            Ok(v) => {
                sink.locations = json_locations(text, sink.index);
                match serde_path_to_error::deserialize::<_, T>(v) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        report(&mut sink, "", e.path(), None, &e.inner().to_string());
                        None
                    }
                }
            }
            Err(e) => {
                json_syntax(&mut sink, &e);
                None
            }
        },
    };
    let Some(value) = value else {
        return Err(LoadError::Invalid(sink.diags));
    };
    validate(&value, &mut Reporter { sink: &mut sink });
    if sink.diags.is_empty() {
        Ok((value, sink.locations))
    } else {
        Err(LoadError::Invalid(sink.diags))
    }
}

fn json_syntax(sink: &mut Sink<'_>, e: &serde_json::Error) {
    let pos = Pos {
        line: e.line().max(1),
        column: e.column().max(1),
    };
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    sink.at(pos, None, format!("invalid JSON: {msg}"));
}

pub(crate) fn whole_file(file: &str, message: String) -> LoadError {
    LoadError::Invalid(vec![Diagnostic {
        file: file.to_owned(),
        line: 0,
        column: 0,
        field: None,
        message,
        source_line: None,
    }])
}

struct Sink<'a> {
    file: &'a str,
    index: &'a LineIndex<'a>,
    diags: Vec<Diagnostic>,
    locations: Locations,
}

impl Sink<'_> {
    fn at(&mut self, pos: Pos, field: Option<String>, message: String) {
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            line: pos.line,
            column: pos.column,
            field,
            message,
            source_line: Some(self.index.line_text(pos.line).to_owned()),
        });
    }

    fn at_offset(&mut self, offset: usize, field: Option<String>, message: String) {
        let pos = self.index.pos(offset);
        self.at(pos, field, message);
    }

    fn at_path(&mut self, path: &str, message: String) {
        let pos = self.locations.nearest(path);
        self.at(pos, Some(path.to_owned()), message);
    }

    fn unknown_keys<'k>(&mut self, keys: impl Iterator<Item = &'k str>) {
        for key in keys {
            if !SECTIONS.contains(&key) {
                let msg = match suggest(key, SECTIONS) {
                    Some(s) => format!("unknown key `{key}` (did you mean `{s}`?)"),
                    None => format!(
                        "unknown key `{key}`; the top-level keys are: {}",
                        SECTIONS.join(", ")
                    ),
                };
                self.at_path(key, msg);
            }
        }
    }
}

/// Which sections are present, and a way to deserialize each.
trait Sections {
    type Error: std::error::Error;
    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<Result<T, (DePath, Self::Error)>>;
    fn error_offset(e: &Self::Error) -> Option<usize>;
    fn error_message(e: &Self::Error) -> String;
}

fn assemble<S: Sections>(src: &mut S, sink: &mut Sink<'_>) -> Option<Profile> {
    fn one<S: Sections, T: DeserializeOwned>(
        src: &mut S,
        sink: &mut Sink<'_>,
        key: &str,
        required: bool,
    ) -> Option<Option<T>> {
        match src.take::<T>(key) {
            None if required => {
                let msg = if key == "schema" {
                    "missing `schema = \"riskmark/device-profile/v1\"`".to_owned()
                } else {
                    format!("missing required section [{key}]")
                };
                sink.at(Pos::START, Some(key.to_owned()), msg);
                None
            }
            None => Some(None),
            Some(Ok(v)) => Some(Some(v)),
            Some(Err((path, e))) => {
                report(sink, key, &path, S::error_offset(&e), &S::error_message(&e));
                None
            }
        }
    }
    let schema = one::<S, SchemaId>(src, sink, "schema", true);
    let product = one::<S, Product>(src, sink, "product", true);
    let use_ = one::<S, Use>(src, sink, "use", true);
    let connectivity = one::<S, Connectivity>(src, sink, "connectivity", true);
    let identity = one::<S, Identity>(src, sink, "identity", false);
    let updates = one::<S, Updates>(src, sink, "updates", false);
    let disclosure = one::<S, Disclosure>(src, sink, "disclosure", false);
    let development = one::<S, Development>(src, sink, "development", false);
    let data_protection = one::<S, DataProtection>(src, sink, "data_protection", false);
    let resilience = one::<S, Resilience>(src, sink, "resilience", false);
    let evidence = one::<S, Vec<Evidence>>(src, sink, "evidence", false);
    Some(Profile {
        schema: schema??,
        product: product??,
        use_: use_??,
        connectivity: connectivity??,
        identity: identity?,
        updates: updates?,
        disclosure: disclosure?,
        development: development?,
        data_protection: data_protection?,
        resilience: resilience?,
        evidence: evidence?.unwrap_or_default(),
    })
}

/// Turns a serde error at `path` inside section `key` into a located diagnostic.
fn report(sink: &mut Sink<'_>, key: &str, path: &DePath, offset: Option<usize>, message: &str) {
    let mut field = key.to_owned();
    for seg in path {
        match seg {
            Segment::Seq { index } => field.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    let (message, field) = improve(message, field);
    let pos = match offset {
        Some(off) => sink.index.pos(off),
        None => sink.locations.nearest(&field),
    };
    let field = (!field.is_empty()).then_some(field);
    sink.at(pos, field, message);
}

/// Rewrites serde's messages into shorter ones with a suggestion; adds the unknown key to
/// the field path.
fn improve(message: &str, field: String) -> (String, String) {
    let ticks: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected = ticks.get(1..).unwrap_or_default();
        let field = if field.ends_with(&format!(".{name}")) || field == name {
            field
        } else {
            crate::locate::join(&field, name)
        };
        let msg = match suggest(name, expected) {
            Some(s) => format!("unknown key `{name}` (did you mean `{s}`?)"),
            None => format!(
                "unknown key `{name}`; allowed keys: {}",
                expected.join(", ")
            ),
        };
        return (msg, field);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected = ticks.get(1..).unwrap_or_default();
        if field == "schema" {
            return (
                format!(
                    "unsupported schema `{name}`: expected exactly \"riskmark/device-profile/v1\""
                ),
                field,
            );
        }
        let msg = match suggest(name, expected) {
            Some(s) => format!(
                "unknown value `{name}` (did you mean `{s}`?); expected one of: {}",
                expected.join(", ")
            ),
            None => format!(
                "unknown value `{name}`; expected one of: {}",
                expected.join(", ")
            ),
        };
        return (msg, field);
    }
    (in_user_words(message), field)
}

/// serde's type words ("invalid type: string \"many\", expected u64") in the words of
/// the profile format ("expected a whole number of 0 or more, found the text \"many\"").
pub(crate) fn in_user_words(message: &str) -> String {
    const TYPES: [(&str, &str); 13] = [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number of 0 or more"),
        ("u64", "a whole number of 0 or more"),
        ("usize", "a whole number of 0 or more"),
        ("i8", "a whole number"),
        ("i16", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f32", "a number"),
        ("f64", "a number"),
        ("a boolean", "true or false"),
        ("a string", "text in quotes"),
    ];
    let table = |e: &str| e.trim().starts_with("struct ") || e.trim().starts_with("a map");
    let found = |what: &str| -> String {
        let what = what.trim();
        if let Some(v) = what.strip_prefix("string ") {
            format!("the text {v}")
        } else if let Some(v) = what.strip_prefix("integer ") {
            format!("the number {}", v.trim_matches('`'))
        } else if let Some(v) = what.strip_prefix("floating point ") {
            format!("the number {}", v.trim_matches('`'))
        } else if let Some(v) = what.strip_prefix("boolean ") {
            v.trim_matches('`').to_owned()
        } else {
            match what {
                "map" => "a table".to_owned(),
                "sequence" => "a list".to_owned(),
                "unit value" | "unit" => "null".to_owned(),
                w => w.to_owned(),
            }
        }
    };
    let split = |rest: &str| -> Option<(String, String)> {
        let (what, expected) = rest.rsplit_once(", expected ")?;
        let expected = if table(expected) {
            "a table".to_owned()
        } else {
            TYPES
                .iter()
                .find(|(t, _)| *t == expected.trim())
                .map_or_else(|| expected.trim().to_owned(), |(_, w)| (*w).to_owned())
        };
        Some((found(what), expected))
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message.strip_prefix(prefix).and_then(split) {
            return format!("expected {expected}, found {found}");
        }
    }
    message.to_owned()
}

struct TomlSections<'i> {
    table: toml::de::DeTable<'i>,
}

impl Sections for TomlSections<'_> {
    type Error = toml::de::Error;
    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<Result<T, (DePath, Self::Error)>> {
        let value = self.table.remove(key)?;
        let de = toml::de::ValueDeserializer::from(value);
        Some(serde_path_to_error::deserialize(de).map_err(|e| (e.path().clone(), e.into_inner())))
    }
    fn error_offset(e: &Self::Error) -> Option<usize> {
        e.span().map(|s| s.start)
    }
    fn error_message(e: &Self::Error) -> String {
        e.message().trim_end().to_owned()
    }
}

fn load_toml(text: &str, sink: &mut Sink<'_>) -> Option<Profile> {
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let off = e.span().map_or(0, |s| s.start);
            sink.at_offset(
                off,
                None,
                format!("invalid TOML: {}", e.message().trim_end()),
            );
            return None;
        }
    };
    sink.locations = toml_locations(doc.get_ref(), sink.index);
    let table = doc.into_inner();
    let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
    sink.unknown_keys(keys.iter().map(String::as_str));
    assemble(&mut TomlSections { table }, sink)
}

struct JsonSections {
    map: serde_json::Map<String, JsonValue>,
}

impl Sections for JsonSections {
    type Error = serde_json::Error;
    fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<Result<T, (DePath, Self::Error)>> {
        let value = self.map.remove(key)?;
        // `"identity": null` is a section not declared, as the JSON Schema says (a
        // required section that is null is then reported missing, as the schema does).
        if value.is_null() {
            return None;
        }
        Some(
            serde_path_to_error::deserialize(value).map_err(|e| (e.path().clone(), e.into_inner())),
        )
    }
    fn error_offset(_: &Self::Error) -> Option<usize> {
        None
    }
    fn error_message(e: &Self::Error) -> String {
        e.to_string()
    }
}

fn load_json(text: &str, sink: &mut Sink<'_>) -> Option<Profile> {
    let value: JsonValue = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            json_syntax(sink, &e);
            return None;
        }
    };
    let JsonValue::Object(map) = value else {
        sink.at(Pos::START, None, "a JSON profile must be an object".into());
        return None;
    };
    sink.locations = json_locations(text, sink.index);
    sink.unknown_keys(map.keys().map(String::as_str));
    assemble(&mut JsonSections { map }, sink)
}

/// Checks that need the whole profile.
fn validate(p: &Profile, sink: &mut Sink<'_>) {
    for (field, value) in [
        ("product.manufacturer", &p.product.manufacturer),
        ("product.name", &p.product.name),
        ("product.model", &p.product.model),
    ] {
        if value.trim().is_empty() {
            sink.at_path(field, "must not be empty".into());
        }
    }
    if let Some(price) = p.product.price_usd
        && !(price.is_finite() && price >= 0.0)
    {
        sink.at_path(
            "product.price_usd",
            format!("must be a non-negative number, got {price}"),
        );
    }
    let claims = claim_paths();
    for (i, e) in p.evidence.iter().enumerate() {
        if !claims.contains(e.claim.as_str()) {
            let all: Vec<&str> = claims.iter().map(String::as_str).collect();
            let msg = match suggest(&e.claim, &all) {
                Some(s) => format!(
                    "claim `{}` names no profile field (did you mean `{s}`?)",
                    e.claim
                ),
                None => format!(
                    "claim `{}` names no profile field; claims are dotted paths such as `updates.signed`",
                    e.claim
                ),
            };
            sink.at_path(&format!("evidence[{i}].claim"), msg);
        }
    }
}

/// Every `section.field` (and `section`) a piece of evidence may name, from the schema.
pub fn claim_paths() -> &'static BTreeSet<String> {
    static PATHS: OnceLock<BTreeSet<String>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let schema = crate::schema::profile_schema_value();
        let mut out = BTreeSet::new();
        let defs = schema.get("$defs");
        let resolve = |v: &JsonValue| -> JsonValue {
            let mut v = v.clone();
            // Optional sections are `anyOf [ {$ref}, {null} ]` or carry a `$ref` directly.
            if let Some(any) = v.get("anyOf").and_then(JsonValue::as_array)
                && let Some(first) = any.iter().find(|x| x.get("$ref").is_some())
            {
                v = first.clone();
            }
            if let Some(r) = v.get("$ref").and_then(JsonValue::as_str)
                && let Some(name) = r.rsplit('/').next()
                && let Some(def) = defs.and_then(|d| d.get(name))
            {
                return def.clone();
            }
            v
        };
        if let Some(props) = schema.get("properties").and_then(JsonValue::as_object) {
            for (section, sub) in props {
                if section == "schema" || section == "evidence" {
                    continue;
                }
                out.insert(section.clone());
                let sub = resolve(sub);
                if let Some(fields) = sub.get("properties").and_then(JsonValue::as_object) {
                    for field in fields.keys() {
                        out.insert(format!("{section}.{field}"));
                    }
                }
            }
        }
        out
    })
}

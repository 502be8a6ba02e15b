//! The JSON Schema of the profile format, generated from the Rust types.

use crate::profile::Profile;

/// The JSON Schema (draft 2020-12) of format v1, as a JSON value.
pub fn profile_schema_value() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Profile).to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            "https://riskmark.dev/schema/device-profile.v1.schema.json".into(),
        );
    }
    schema
}

/// The JSON Schema, pretty-printed with a trailing newline (the shipped file's form).
pub fn profile_schema_pretty() -> String {
    let mut s = serde_json::to_string_pretty(&profile_schema_value()).unwrap_or_default();
    s.push('\n');
    s
}

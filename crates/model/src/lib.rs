//! riskmark's device security profile: types, category catalogue, strict loading with
//! located diagnostics, and the generated JSON Schema.
//!
//! The format is specified in `device-profile.md` (normative core, v1). riskmark
//! extends it with optional fields, documented on the types and published in the schema.

#![warn(missing_docs)]

pub mod catalogue;
mod diag;
pub mod enums;
pub(crate) mod ids;
mod load;
mod locate;
pub mod profile;
mod read;
pub mod schema;
mod values;

pub use diag::Diagnostic;
pub use enums::*;
pub use ids::{UnknownId, suggest};
pub use load::{
    Format, LoadError, LoadedProfile, MAX_PROFILE_BYTES, Reporter, SECTIONS, claim_paths,
    load_bytes, load_document, load_path,
};
pub use locate::{Locations, Pos};
pub use profile::*;
pub use read::{binary_at, binary_message, read_capped, read_capped_text, read_limited, too_large};
pub use values::{IsoDate, Market, SchemaId};

//! Checks of the documentation area.

pub(crate) mod model_designation;
pub(crate) mod sbom_available;

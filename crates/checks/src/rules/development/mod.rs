//! Checks of the development area.

pub(crate) mod code_review;
pub(crate) mod dependency_scanning;
pub(crate) mod input_validation;
pub(crate) mod penetration_test;
pub(crate) mod secure_development;
pub(crate) mod ssdf_attestation;
pub(crate) mod threat_modeling;

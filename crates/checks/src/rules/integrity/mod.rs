//! Checks of the integrity area.

pub(crate) mod secure_boot;

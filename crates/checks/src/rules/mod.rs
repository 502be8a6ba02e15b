//! The checks, one file per check, grouped by area.

pub(crate) mod communication;
pub(crate) mod data;
pub(crate) mod development;
pub(crate) mod disclosure;
pub(crate) mod documentation;
pub(crate) mod identity;
pub(crate) mod integrity;
pub(crate) mod logging;
pub(crate) mod network;
pub(crate) mod resilience;
pub(crate) mod updates;
pub(crate) mod vulnerabilities;

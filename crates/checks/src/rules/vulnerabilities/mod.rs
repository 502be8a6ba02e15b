//! Checks of the vulnerabilities area.

pub(crate) mod known_exploited_vulnerabilities;
pub(crate) mod known_vulnerabilities;

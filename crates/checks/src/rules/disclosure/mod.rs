//! Checks of the disclosure area.

pub(crate) mod disclosure_contact;
pub(crate) mod disclosure_policy;
pub(crate) mod disclosure_response_time;
pub(crate) mod security_advisories;
pub(crate) mod security_txt;

//! Checks of the data area.

pub(crate) mod encryption_at_rest;
pub(crate) mod privacy_notice;
pub(crate) mod user_data_deletion;

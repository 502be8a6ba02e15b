//! Checks of the communication area.

pub(crate) mod encryption_in_transit;
pub(crate) mod legacy_crypto_protocol;

//! Checks of the identity area.

pub(crate) mod brute_force_protection;
pub(crate) mod credential_storage;
pub(crate) mod default_password_universal;
pub(crate) mod user_authentication;

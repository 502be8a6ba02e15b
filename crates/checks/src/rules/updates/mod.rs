//! Checks of the updates area.

pub(crate) mod rollback_protection;
pub(crate) mod support_period_expired;
pub(crate) mod support_period_published;
pub(crate) mod update_automatic;
pub(crate) mod update_mechanism;
pub(crate) mod update_notification;
pub(crate) mod update_secure_delivery;
pub(crate) mod update_signed;

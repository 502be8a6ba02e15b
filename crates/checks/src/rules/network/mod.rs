//! Checks of the network area.

pub(crate) mod debug_service_exposed;
pub(crate) mod internet_reachable;
pub(crate) mod services_inventory;
pub(crate) mod unauthenticated_service;
pub(crate) mod upnp_enabled;

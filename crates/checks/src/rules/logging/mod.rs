//! Checks of the logging area.

pub(crate) mod security_logging;

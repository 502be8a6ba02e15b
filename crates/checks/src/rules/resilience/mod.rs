//! Checks of the resilience area.

pub(crate) mod works_offline;

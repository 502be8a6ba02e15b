//! Device security profile model (placeholder).

//! Risk categorization (placeholder).

//! Error types of this crate.

use crate::Scheme;

/// A version string could not be read, or two versions cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The string is not a version of the given scheme.
    #[error("invalid {scheme} version {version:?}: {reason}")]
    Invalid {
        /// The version scheme the string was read with.
        scheme: Scheme,
        /// The rejected input.
        version: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Two parsed versions of different schemes were compared.
    #[error("cannot compare a {left} version with a {right} version")]
    SchemeMismatch {
        /// Scheme of the left operand.
        left: Scheme,
        /// Scheme of the right operand.
        right: Scheme,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: Scheme, version: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            scheme,
            version: version.to_owned(),
            reason: reason.into(),
        }
    }
}

/// An OSV ecosystem string that this crate does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown or unsupported OSV ecosystem {0:?}")]
pub struct EcosystemError(pub String);

/// An OSV range could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// The queried version, an event version or a listed version is not valid.
    #[error(transparent)]
    Version(#[from] VersionError),
    /// A range of type `SEMVER` or `ECOSYSTEM` has no `introduced` event.
    #[error("OSV range has no `introduced` event")]
    NoIntroduced,
}

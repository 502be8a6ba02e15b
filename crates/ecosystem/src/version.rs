//! A parsed version of any scheme: parse once, compare many.

use std::cmp::Ordering;

use crate::{
    Ecosystem, Scheme, VersionError, apk, dpkg, maven, nuget, packagist, pypi, rpm, rubygems,
    semver,
};

#[derive(Debug, Clone)]
enum Repr {
    SemVer(semver::SemVersion),
    Npm(semver::SemVersion),
    Go(semver::SemVersion),
    Cargo(::semver::Version),
    Pep440(pep440_rs::Version),
    Maven(maven::MavenVersion),
    NuGet(nuget::NuGetVersion),
    RubyGems(rubygems::GemVersion),
    Composer(packagist::ComposerVersion),
    Dpkg(dpkg::DebVersion),
    Apk(apk::ApkVersion),
    Rpm(rpm::RpmVersion),
}

/// A version parsed with one [`Scheme`].
///
/// Versions of the same scheme compare with [`Version::try_cmp`] or the
/// `PartialOrd` operators; versions of different schemes are unordered
/// (`partial_cmp` gives `None`, `try_cmp` an error). Equality is equality of
/// precedence, so `1.0` equals `1.0.0` in Maven and `1.0+a` equals `1.0+b`
/// in SemVer.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    repr: Repr,
}

impl Version {
    /// Parses `input` as a version of `scheme`.
    ///
    /// # Errors
    /// [`VersionError::Invalid`] when the reference implementation would
    /// reject the string (Maven accepts every string).
    pub fn parse(scheme: Scheme, input: &str) -> Result<Self, VersionError> {
        let repr = match scheme {
            Scheme::SemVer => Repr::SemVer(semver::parse(input, semver::Dialect::SemVer)?),
            Scheme::Npm => Repr::Npm(semver::parse(input, semver::Dialect::Npm)?),
            Scheme::Go => Repr::Go(semver::parse(input, semver::Dialect::Go)?),
            Scheme::Cargo => Repr::Cargo(semver::cargo::parse(input)?),
            Scheme::Pep440 => Repr::Pep440(pypi::parse(input)?),
            Scheme::Maven => Repr::Maven(maven::parse(input)),
            Scheme::NuGet => Repr::NuGet(nuget::parse(input)?),
            Scheme::RubyGems => Repr::RubyGems(rubygems::parse(input)?),
            Scheme::Composer => Repr::Composer(packagist::parse(input)?),
            Scheme::Dpkg => Repr::Dpkg(dpkg::parse(input)?),
            Scheme::Apk => Repr::Apk(apk::parse(input)?),
            Scheme::Rpm => Repr::Rpm(rpm::parse(input)?),
        };
        Ok(Self {
            text: input.into(),
            repr,
        })
    }

    /// Parses `input` with the scheme of `ecosystem`.
    ///
    /// # Errors
    /// As [`Version::parse`].
    pub fn parse_in(ecosystem: &Ecosystem, input: &str) -> Result<Self, VersionError> {
        Self::parse(ecosystem.scheme(), input)
    }

    /// The string this version was parsed from.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme this version was parsed with.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        match self.repr {
            Repr::SemVer(_) => Scheme::SemVer,
            Repr::Npm(_) => Scheme::Npm,
            Repr::Go(_) => Scheme::Go,
            Repr::Cargo(_) => Scheme::Cargo,
            Repr::Pep440(_) => Scheme::Pep440,
            Repr::Maven(_) => Scheme::Maven,
            Repr::NuGet(_) => Scheme::NuGet,
            Repr::RubyGems(_) => Scheme::RubyGems,
            Repr::Composer(_) => Scheme::Composer,
            Repr::Dpkg(_) => Scheme::Dpkg,
            Repr::Apk(_) => Scheme::Apk,
            Repr::Rpm(_) => Scheme::Rpm,
        }
    }

    /// Orders two versions of the same scheme as the reference does.
    ///
    /// # Errors
    /// [`VersionError::SchemeMismatch`] when the schemes differ.
    pub fn try_cmp(&self, other: &Self) -> Result<Ordering, VersionError> {
        Ok(match (&self.repr, &other.repr) {
            (Repr::SemVer(a), Repr::SemVer(b))
            | (Repr::Npm(a), Repr::Npm(b))
            | (Repr::Go(a), Repr::Go(b)) => a.cmp(b),
            (Repr::Cargo(a), Repr::Cargo(b)) => a.cmp_precedence(b),
            (Repr::Pep440(a), Repr::Pep440(b)) => a.cmp(b),
            (Repr::Maven(a), Repr::Maven(b)) => a.cmp(b),
            (Repr::NuGet(a), Repr::NuGet(b)) => a.cmp(b),
            (Repr::RubyGems(a), Repr::RubyGems(b)) => a.cmp(b),
            (Repr::Composer(a), Repr::Composer(b)) => a.cmp(b),
            (Repr::Dpkg(a), Repr::Dpkg(b)) => a.cmp(b),
            (Repr::Apk(a), Repr::Apk(b)) => a.cmp(b),
            (Repr::Rpm(a), Repr::Rpm(b)) => a.cmp(b),
            _ => {
                return Err(VersionError::SchemeMismatch {
                    left: self.scheme(),
                    right: other.scheme(),
                });
            }
        })
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.try_cmp(other) == Ok(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.try_cmp(other).ok()
    }
}

/// Orders two version strings of `ecosystem`, exactly as the ecosystem's
/// reference implementation does.
///
/// # Errors
/// [`VersionError::Invalid`] when either string is not a valid version.
pub fn compare(ecosystem: &Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let scheme = ecosystem.scheme();
    Version::parse(scheme, a)?.try_cmp(&Version::parse(scheme, b)?)
}

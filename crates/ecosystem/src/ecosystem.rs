//! OSV ecosystems and the version scheme each one orders with.

use std::fmt;
use std::str::FromStr;

use crate::EcosystemError;

/// A version ordering, named after its reference implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// SemVer 2.0.0 precedence (OSV `SEMVER` ranges, Hex).
    SemVer,
    /// node-semver (npm).
    Npm,
    /// Cargo's `semver` crate (crates.io).
    Cargo,
    /// `golang.org/x/mod/semver` (Go modules).
    Go,
    /// PEP 440 as pypa `packaging` implements it (PyPI).
    Pep440,
    /// Maven's `ComparableVersion`.
    Maven,
    /// `NuGet.Versioning`.
    NuGet,
    /// RubyGems' `Gem::Version`.
    RubyGems,
    /// Composer's normalization plus PHP `version_compare` (Packagist).
    Composer,
    /// dpkg (Debian, Ubuntu).
    Dpkg,
    /// apk-tools (Alpine, Wolfi, Chainguard).
    Apk,
    /// rpm's `rpmvercmp` on `[epoch:]version[-release]`.
    Rpm,
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SemVer => "SemVer",
            Self::Npm => "npm",
            Self::Cargo => "Cargo",
            Self::Go => "Go",
            Self::Pep440 => "PEP 440",
            Self::Maven => "Maven",
            Self::NuGet => "NuGet",
            Self::RubyGems => "RubyGems",
            Self::Composer => "Composer",
            Self::Dpkg => "dpkg",
            Self::Apk => "apk",
            Self::Rpm => "RPM",
        })
    }
}

/// An OSV ecosystem (the `affected[].package.ecosystem` field).
///
/// Distribution ecosystems keep their release suffix as written after the
/// first `:` (`"Debian:12"` keeps `"12"`, `"Ubuntu:22.04:LTS"` keeps
/// `"22.04:LTS"`); it does not change the version ordering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ecosystem {
    /// `npm`.
    Npm,
    /// `crates.io`.
    CratesIo,
    /// `Go`.
    Go,
    /// `PyPI`.
    PyPI,
    /// `Maven` (an optional repository suffix is kept).
    Maven(Option<String>),
    /// `NuGet`.
    NuGet,
    /// `RubyGems`.
    RubyGems,
    /// `Packagist`.
    Packagist,
    /// `Hex` (Elixir/Erlang; SemVer 2.0.0).
    Hex,
    /// `Debian[:release]`.
    Debian(Option<String>),
    /// `Ubuntu[:release]`, e.g. `Ubuntu:22.04:LTS`.
    Ubuntu(Option<String>),
    /// `Alpine[:vX.Y]`.
    Alpine(Option<String>),
    /// `Wolfi`.
    Wolfi,
    /// `Chainguard`.
    Chainguard,
    /// `Red Hat[:...]`.
    RedHat(Option<String>),
    /// `Rocky Linux[:release]`.
    RockyLinux(Option<String>),
    /// `AlmaLinux[:release]`.
    AlmaLinux(Option<String>),
    /// `SUSE[:product]`.
    Suse(Option<String>),
    /// `openSUSE[:product]`.
    OpenSuse(Option<String>),
    /// `Mageia[:release]`.
    Mageia(Option<String>),
    /// `openEuler[:release]`.
    OpenEuler(Option<String>),
}

impl Ecosystem {
    /// The version scheme this ecosystem's `ECOSYSTEM` ranges use.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        match self {
            Self::Npm => Scheme::Npm,
            Self::CratesIo => Scheme::Cargo,
            Self::Go => Scheme::Go,
            Self::PyPI => Scheme::Pep440,
            Self::Maven(_) => Scheme::Maven,
            Self::NuGet => Scheme::NuGet,
            Self::RubyGems => Scheme::RubyGems,
            Self::Packagist => Scheme::Composer,
            Self::Hex => Scheme::SemVer,
            Self::Debian(_) | Self::Ubuntu(_) => Scheme::Dpkg,
            Self::Alpine(_) | Self::Wolfi | Self::Chainguard => Scheme::Apk,
            Self::RedHat(_)
            | Self::RockyLinux(_)
            | Self::AlmaLinux(_)
            | Self::Suse(_)
            | Self::OpenSuse(_)
            | Self::Mageia(_)
            | Self::OpenEuler(_) => Scheme::Rpm,
        }
    }

    /// The OSV name without the release suffix, e.g. `"Debian"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::CratesIo => "crates.io",
            Self::Go => "Go",
            Self::PyPI => "PyPI",
            Self::Maven(_) => "Maven",
            Self::NuGet => "NuGet",
            Self::RubyGems => "RubyGems",
            Self::Packagist => "Packagist",
            Self::Hex => "Hex",
            Self::Debian(_) => "Debian",
            Self::Ubuntu(_) => "Ubuntu",
            Self::Alpine(_) => "Alpine",
            Self::Wolfi => "Wolfi",
            Self::Chainguard => "Chainguard",
            Self::RedHat(_) => "Red Hat",
            Self::RockyLinux(_) => "Rocky Linux",
            Self::AlmaLinux(_) => "AlmaLinux",
            Self::Suse(_) => "SUSE",
            Self::OpenSuse(_) => "openSUSE",
            Self::Mageia(_) => "Mageia",
            Self::OpenEuler(_) => "openEuler",
        }
    }

    /// The release suffix (after the first `:`), if any.
    #[must_use]
    pub fn release(&self) -> Option<&str> {
        match self {
            Self::Maven(r)
            | Self::Debian(r)
            | Self::Ubuntu(r)
            | Self::Alpine(r)
            | Self::RedHat(r)
            | Self::RockyLinux(r)
            | Self::AlmaLinux(r)
            | Self::Suse(r)
            | Self::OpenSuse(r)
            | Self::Mageia(r)
            | Self::OpenEuler(r) => r.as_deref(),
            _ => None,
        }
    }
}

impl FromStr for Ecosystem {
    type Err = EcosystemError;

    /// Reads an OSV ecosystem string such as `"PyPI"`, `"Debian:12"` or
    /// `"Rocky Linux:9"`. Names match case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, release) = match s.split_once(':') {
            Some((n, r)) => (n, Some(r.to_owned()).filter(|r| !r.is_empty())),
            None => (s, None),
        };
        let bare = |eco: Self| {
            if release.is_none() {
                Ok(eco)
            } else {
                Err(EcosystemError(s.to_owned()))
            }
        };
        let n = name.trim().to_ascii_lowercase();
        match n.as_str() {
            "npm" => bare(Self::Npm),
            "crates.io" => bare(Self::CratesIo),
            "go" => bare(Self::Go),
            "pypi" => bare(Self::PyPI),
            "maven" => Ok(Self::Maven(release)),
            "nuget" => bare(Self::NuGet),
            "rubygems" => bare(Self::RubyGems),
            "packagist" => bare(Self::Packagist),
            "hex" => bare(Self::Hex),
            "debian" => Ok(Self::Debian(release)),
            "ubuntu" => Ok(Self::Ubuntu(release)),
            "alpine" => Ok(Self::Alpine(release)),
            "wolfi" => bare(Self::Wolfi),
            "chainguard" => bare(Self::Chainguard),
            "red hat" => Ok(Self::RedHat(release)),
            "rocky linux" => Ok(Self::RockyLinux(release)),
            "almalinux" => Ok(Self::AlmaLinux(release)),
            "suse" => Ok(Self::Suse(release)),
            "opensuse" => Ok(Self::OpenSuse(release)),
            "mageia" => Ok(Self::Mageia(release)),
            "openeuler" => Ok(Self::OpenEuler(release)),
            _ => Err(EcosystemError(s.to_owned())),
        }
    }
}

impl fmt::Display for Ecosystem {
    /// Writes the OSV ecosystem string, e.g. `Ubuntu:22.04:LTS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        if let Some(r) = self.release() {
            write!(f, ":{r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_strings_round_trip() {
        for s in [
            "PyPI",
            "npm",
            "crates.io",
            "Go",
            "Maven",
            "NuGet",
            "RubyGems",
            "Packagist",
            "Hex",
            "Debian:12",
            "Debian",
            "Ubuntu:22.04:LTS",
            "Ubuntu:Pro:18.04:LTS",
            "Alpine:v3.19",
            "Wolfi",
            "Red Hat",
            "Red Hat:enterprise_linux:9::appstream",
            "Rocky Linux:9",
            "AlmaLinux:9",
            "SUSE:Linux Enterprise Server 15 SP5",
            "openSUSE:Leap 15.5",
            "Mageia:9",
            "openEuler:22.03-LTS",
        ] {
            match s.parse::<Ecosystem>() {
                Ok(e) => assert_eq!(e.to_string(), s),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(
            "Debian:12".parse::<Ecosystem>().map(|e| e.scheme()),
            Ok(Scheme::Dpkg)
        );
        assert_eq!("pypi".parse::<Ecosystem>(), Ok(Ecosystem::PyPI));
        assert!("Hackage".parse::<Ecosystem>().is_err());
        assert!("PyPI:3".parse::<Ecosystem>().is_err());
        assert!("".parse::<Ecosystem>().is_err());
    }
}

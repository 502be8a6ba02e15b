//! Version semantics per package ecosystem, OSV range evaluation, and purl
//! to OSV ecosystem mapping, for riskmark's vulnerability matcher.
//!
//! This is a pure library: no I/O, no printing, no panics on input. Every
//! ordering follows one reference implementation exactly; the differential
//! tests (`tests/differential.rs`) run the references on generated and
//! hand-picked versions.
//!
//! | Ecosystem | [`Scheme`] | Implementation | Reference |
//! | --- | --- | --- | --- |
//! | OSV `SEMVER` ranges, Hex | `SemVer` | own (`semver.rs`) | SemVer 2.0.0 §11, as the `semver` crate's `cmp_precedence` |
//! | npm | `Npm` | own, same core | node-semver `compare` |
//! | Go | `Go` | own, same core | `golang.org/x/mod/semver` `Compare` |
//! | crates.io | `Cargo` | the `semver` crate | itself (Cargo's own), by precedence |
//! | PyPI | `Pep440` | the `pep440_rs` crate | pypa `packaging` |
//! | Maven | `Maven` | own port | maven-artifact `ComparableVersion` |
//! | NuGet | `NuGet` | own port | `NuGet.Versioning` |
//! | RubyGems | `RubyGems` | own port | `Gem::Version` |
//! | Packagist | `Composer` | own port | Composer `VersionParser::normalize` + PHP `version_compare` |
//! | Debian, Ubuntu | `Dpkg` | own port | dpkg `dpkg_version_compare` |
//! | Alpine, Wolfi, Chainguard | `Apk` | own port | apk-tools 2.x `apk_version_compare` |
//! | Red Hat, Rocky, AlmaLinux, SUSE, openSUSE, Mageia, openEuler | `Rpm` | own port | rpm `rpmvercmp` / `rpmverCmp` |
//!
//! Verification: the differential tests compare every pair among about 160
//! generated and hand-picked versions (25,000-35,000 pairs per scheme) with
//! pypa `packaging` (PEP 440), node-semver (npm, and SemVer and Cargo where
//! they accept), the `semver` crate's `cmp_precedence` (SemVer and Cargo,
//! accept/reject included), Go's own `golang.org/x/mod/semver` (Debian's
//! golang-golang-x-mod-dev, built offline), python3-apt's `apt_pkg`
//! (dpkg's algorithm), rpm's Lua `rpm.vercmp`, maven-artifact 3.8.7's
//! `ComparableVersion`, RubyGems 3.3's `Gem::Version` and PHP's
//! `version_compare` (Composer, on normalized versions). NuGet and apk-tools
//! have no runnable reference on this platform (no .NET SDK or apk-tools in
//! Debian bookworm, no faithful port on PyPI or npm): they are checked
//! against the references' own test vectors (731 of the 733 lines of
//! apk-tools' `test/version.data`, the other two holding versions apk-tools
//! calls invalid; NuGet.Versioning's unit tests and the NuGet docs'
//! examples), and Composer's normalization by unit tests from Composer's.
//! Known divergences: node-semver compares numeric pre-release identifiers
//! above 2^53 as floats, we compare them exactly; SemVer major, minor and
//! patch numbers above `u64::MAX` are accepted here (SemVer sets no limit)
//! and rejected by the `semver` crate; non-ASCII digits are not digits here
//! (Java's `isDigit` says they are); whitespace inside a NuGet version
//! number (`1. 2`, which .NET's `Version.TryParse` may accept) is rejected;
//! apk-tools orders versions it considers invalid (`1.0bc`) while we reject
//! them; apk-tools 3's changes are not followed.
//!
//! Why these choices:
//! - `semver` (dtolnay, no dependencies) *is* Cargo's version type, so it
//!   is exact for crates.io by definition; [`Version`] uses its
//!   `cmp_precedence`, which ignores build metadata like SemVer does. For
//!   plain SemVer, npm and Go a ~150-line core is used instead, because
//!   their grammars differ from Cargo's (a `v` prefix, Go's `v1.2`
//!   shorthand, node-semver's length and integer limits, numbers of any
//!   size in SemVer).
//! - `pep440_rs` (uv's PEP 440 implementation; light dependencies) matches
//!   `packaging`'s parsing and ordering, including normalization; the
//!   differential test checks it against `packaging` itself.
//! - `debversion` was not taken: it pulls in regex, chrono and num-bigint
//!   for what is a 60-line algorithm. No crate ports `ComparableVersion`,
//!   `Gem::Version`, Composer or apk-tools faithfully, so those are ported
//!   here, small and commented, from the reference sources.
//! - purls are parsed here (see [`purl`]) rather than with `packageurl`:
//!   that crate validates per type and rejects some purls found in real
//!   SBOMs, while the mapping to OSV needs its own per-type rules anyway.

mod apk;
mod dpkg;
mod ecosystem;
mod error;
mod maven;
mod nuget;
pub mod osv;
mod packagist;
pub mod purl;
mod pypi;
mod rpm;
mod rubygems;
mod semver;
mod version;

pub use ecosystem::{Ecosystem, Scheme};
pub use error::{EcosystemError, RangeError, VersionError};
pub use osv::{Evaluation, Event, Range, RangeKind, evaluate, is_affected};
pub use purl::{Purl, PurlError, PurlMapping, PurlPackage, map_purl};
pub use version::{Version, compare};

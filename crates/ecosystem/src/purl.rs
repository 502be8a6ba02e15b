//! Package URL (<https://github.com/package-url/purl-spec>) to OSV
//! ecosystem and package name.

use crate::Ecosystem;

/// A purl that is not well-formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurlError {
    /// The string does not start with `pkg:`.
    #[error("purl {0:?} does not start with `pkg:`")]
    Scheme(String),
    /// The type or the name is missing.
    #[error("purl {0:?} has no type or no name")]
    Incomplete(String),
    /// A percent-escape decodes to invalid UTF-8.
    #[error("purl {0:?} has a percent-encoding that is not UTF-8")]
    Encoding(String),
}

/// The parts of a purl, percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// The type, lower-cased (`pypi`, `deb`...).
    pub ty: String,
    /// The namespace segments joined with `/`, if any.
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
    /// The version.
    pub version: Option<String>,
    /// The qualifiers, keys lower-cased, in their order.
    pub qualifiers: Vec<(String, String)>,
    /// The subpath.
    pub subpath: Option<String>,
}

impl Purl {
    /// Parses a purl as the purl specification's "How to parse" says, with
    /// one leniency: an unencoded `@` (an npm scope) is only taken as the
    /// version separator when it is in the last path segment.
    ///
    /// # Errors
    /// [`PurlError`] when the string is not a purl.
    pub fn parse(input: &str) -> Result<Self, PurlError> {
        let s = input.trim();
        let rest = s
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("pkg:"))
            .map(|_| &s[4..])
            .ok_or_else(|| PurlError::Scheme(input.to_owned()))?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.rsplit_once('#') {
            Some((r, sp)) => {
                let segs: Vec<String> = sp
                    .split('/')
                    .filter(|p| !p.is_empty() && *p != "." && *p != "..")
                    .map(|p| decode(p, input))
                    .collect::<Result<_, _>>()?;
                (r, Some(segs.join("/")).filter(|p| !p.is_empty()))
            }
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.rsplit_once('?') {
            Some((r, q)) => {
                let mut out = Vec::new();
                for pair in q.split('&') {
                    if let Some((k, v)) = pair.split_once('=')
                        && !v.is_empty()
                    {
                        out.push((k.to_ascii_lowercase(), decode(v, input)?));
                    }
                }
                (r, out)
            }
            None => (rest, Vec::new()),
        };
        let rest = rest.trim_end_matches('/');
        let last_slash = rest.rfind('/').unwrap_or(0);
        let (rest, version) = match rest.rfind('@') {
            Some(at) if at > last_slash => (&rest[..at], Some(decode(&rest[at + 1..], input)?)),
            _ => (rest, None),
        };
        let mut segs = rest.split('/').filter(|p| !p.is_empty());
        let ty = segs.next().unwrap_or_default().to_ascii_lowercase();
        let mut path: Vec<String> = segs.map(|p| decode(p, input)).collect::<Result<_, _>>()?;
        let name = path.pop().unwrap_or_default();
        if ty.is_empty() || name.is_empty() {
            return Err(PurlError::Incomplete(input.to_owned()));
        }
        Ok(Self {
            ty,
            namespace: Some(path.join("/")).filter(|n| !n.is_empty()),
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
            subpath,
        })
    }

    /// The value of qualifier `key` (lower-case).
    #[must_use]
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-decodes `s`; malformed escapes are kept as written.
fn decode(s: &str, input: &str) -> Result<String, PurlError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| PurlError::Encoding(input.to_owned()))
}

/// A purl mapped to OSV terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurlPackage {
    /// The OSV ecosystem, with the distribution release when the purl says.
    pub ecosystem: Ecosystem,
    /// The package name as OSV writes it.
    pub name: String,
    /// The version, ready to compare in the ecosystem (`v` added for Go, the
    /// `epoch` qualifier prefixed for rpm).
    pub version: Option<String>,
}

/// The outcome of [`map_purl`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurlMapping {
    /// The purl names a package of a known OSV ecosystem.
    Mapped(PurlPackage),
    /// The purl type (or distribution) has no OSV ecosystem here; not an
    /// error, the scan goes on without it.
    Unsupported {
        /// The purl type, with the namespace for `deb`, `apk` and `rpm`.
        kind: String,
    },
}

/// A Go toolchain version as the toolchain spells it (`go1.20.1`, `go1.21`,
/// `go1.21rc2`, what `pkg:golang/stdlib@...` often carries) in the semantic-version
/// form of the Go vulnerability database (`v1.20.1`, `v1.21.0`, `v1.21.0-rc.2`), as
/// `golang.org/x/vuln` converts it. `None` for anything else.
fn go_toolchain(v: &str) -> Option<String> {
    let rest = v.strip_prefix("go")?;
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(rest.len());
    let (numbers, pre) = rest.split_at(end);
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let part = |i: usize| parts.get(i).copied().unwrap_or("0");
    let core = format!("v{}.{}.{}", part(0), part(1), part(2));
    if pre.is_empty() {
        return Some(core);
    }
    let (kind, n) = pre.split_at(pre.find(|c: char| c.is_ascii_digit())?);
    if !matches!(kind, "rc" | "beta" | "alpha") || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{core}-{kind}.{n}"))
}

/// Maps a purl to an OSV ecosystem, package name and version.
///
/// | purl | OSV |
/// | --- | --- |
/// | `pkg:pypi/Foo_Bar` | `PyPI` `foo-bar` (PEP 503 normalized) |
/// | `pkg:npm/%40scope/name` | `npm` `@scope/name` |
/// | `pkg:golang/github.com/foo/bar` | `Go` `github.com/foo/bar`, version `v`-prefixed |
/// | `pkg:cargo/name` | `crates.io` |
/// | `pkg:maven/group/artifact` | `Maven` `group:artifact` |
/// | `pkg:nuget/Name` | `NuGet` |
/// | `pkg:gem/name` | `RubyGems` |
/// | `pkg:composer/vendor/name` | `Packagist` `vendor/name` |
/// | `pkg:hex/name` | `Hex` |
/// | `pkg:deb/debian/x?distro=debian-12` or `bookworm` | `Debian:12` |
/// | `pkg:deb/ubuntu/x?distro=jammy` or `ubuntu-22.04` | `Ubuntu:22.04:LTS` |
/// | `pkg:apk/alpine/x?distro=alpine-3.19.1` | `Alpine:v3.19` |
/// | `pkg:apk/wolfi/x`, `pkg:apk/chainguard/x` | `Wolfi`, `Chainguard` |
/// | `pkg:deb/debian/libssl3@3.0.11-1?upstream=openssl`, `upstream=util-linux%402.34-0.1`, `pkg:apk/alpine/libcrypto3?upstream=openssl` | the source package (Debian, Ubuntu) or origin (Alpine) `openssl`, `util-linux`: the names the distributions' advisories use; with the source version when the qualifier gives one |
/// | `pkg:rpm/redhat/x`, `rocky`, `almalinux`, `suse`, `opensuse`, `mageia`, `openeuler` | the OSV RPM ecosystems (release from `distro` for Rocky, AlmaLinux, Mageia, openEuler) |
///
/// # Errors
/// [`PurlError`] only when the string is not a purl.
pub fn map_purl(purl: &str) -> Result<PurlMapping, PurlError> {
    let p = Purl::parse(purl)?;
    let joined = |sep: &str| match &p.namespace {
        Some(ns) => format!("{ns}{sep}{}", p.name),
        None => p.name.clone(),
    };
    let distro = p.qualifier("distro");
    let ns = p.namespace.as_deref().map(str::to_ascii_lowercase);
    let mut version = p.version.clone();
    let unsupported = || {
        Ok(PurlMapping::Unsupported {
            kind: match &ns {
                Some(ns) if matches!(p.ty.as_str(), "deb" | "apk" | "rpm") => {
                    format!("{}/{ns}", p.ty)
                }
                _ => p.ty.clone(),
            },
        })
    };
    let (ecosystem, name) = match p.ty.as_str() {
        "pypi" => (Ecosystem::PyPI, pep503(&p.name)),
        "npm" => (Ecosystem::Npm, joined("/")),
        "golang" => {
            version = version.map(|v| {
                if let Some(t) = go_toolchain(&v) {
                    t
                } else if v.starts_with('v') {
                    v
                } else {
                    format!("v{v}")
                }
            });
            (Ecosystem::Go, joined("/"))
        }
        "cargo" => (Ecosystem::CratesIo, p.name.clone()),
        "maven" => (Ecosystem::Maven(None), joined(":")),
        "nuget" => (Ecosystem::NuGet, p.name.clone()),
        "gem" => (Ecosystem::RubyGems, p.name.clone()),
        "composer" => (Ecosystem::Packagist, joined("/").to_ascii_lowercase()),
        "hex" => (Ecosystem::Hex, p.name.to_ascii_lowercase()),
        "deb" | "apk" => {
            let eco = match (p.ty.as_str(), ns.as_deref()) {
                ("deb", Some("debian")) => Ecosystem::Debian(distro.and_then(debian_release)),
                ("deb", Some("ubuntu")) => Ecosystem::Ubuntu(distro.and_then(ubuntu_release)),
                ("apk", Some("alpine")) => Ecosystem::Alpine(distro.and_then(alpine_release)),
                ("apk", Some("wolfi")) => Ecosystem::Wolfi,
                ("apk", Some("chainguard")) => Ecosystem::Chainguard,
                _ => return unsupported(),
            };
            // Distribution advisories name source packages (Debian, Ubuntu) and origins
            // (Alpine), which SBOM tools record in `upstream` as NAME or NAME@VERSION.
            let name = match p.qualifier("upstream").map(str::trim) {
                Some(up) if !up.is_empty() => {
                    let (src, src_version) = match up.split_once('@') {
                        Some((n, v)) => (n.trim(), Some(v.trim())),
                        None => (up, None),
                    };
                    if let Some(v) = src_version.filter(|v| !v.is_empty()) {
                        version = Some(v.to_owned());
                    }
                    if src.is_empty() {
                        p.name.clone()
                    } else {
                        src.to_owned()
                    }
                }
                _ => p.name.clone(),
            };
            (eco, name)
        }
        "rpm" => {
            if let (Some(e), Some(v)) = (p.qualifier("epoch"), &version)
                && !v.contains(':')
            {
                version = Some(format!("{e}:{v}"));
            }
            let major = distro.and_then(rpm_release);
            let eco = match ns.as_deref() {
                Some("redhat") => Ecosystem::RedHat(None),
                Some("rocky" | "rockylinux" | "rocky-linux") => Ecosystem::RockyLinux(major),
                Some("almalinux" | "alma") => Ecosystem::AlmaLinux(major),
                Some("suse" | "sles") => Ecosystem::Suse(None),
                Some("opensuse") => Ecosystem::OpenSuse(None),
                Some("mageia") => Ecosystem::Mageia(major),
                Some("openeuler") => Ecosystem::OpenEuler(None),
                _ => return unsupported(),
            };
            (eco, p.name.clone())
        }
        _ => return unsupported(),
    };
    Ok(PurlMapping::Mapped(PurlPackage {
        ecosystem,
        name,
        version,
    }))
}

/// PEP 503: lower-case, runs of `-`, `_`, `.` become one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// `debian-12`, `debian-12.4`, `12`, `bookworm` → `12`.
fn debian_release(distro: &str) -> Option<String> {
    let d = distro.to_ascii_lowercase();
    let d = d.strip_prefix("debian-").unwrap_or(&d);
    let by_name = match d {
        "buster" => Some("10"),
        "bullseye" => Some("11"),
        "bookworm" => Some("12"),
        "trixie" => Some("13"),
        "forky" => Some("14"),
        _ => None,
    };
    if let Some(n) = by_name {
        return Some(n.to_owned());
    }
    let major = d.split('.').next().unwrap_or_default();
    (!major.is_empty() && major.bytes().all(|c| c.is_ascii_digit())).then(|| major.to_owned())
}

/// `ubuntu-22.04`, `22.04`, `jammy` → `22.04:LTS` (even-year `.04` releases
/// are LTS, as OSV names them).
fn ubuntu_release(distro: &str) -> Option<String> {
    let d = distro.to_ascii_lowercase();
    let d = d.strip_prefix("ubuntu-").unwrap_or(&d);
    let release = match d {
        "xenial" => "16.04",
        "bionic" => "18.04",
        "focal" => "20.04",
        "jammy" => "22.04",
        "noble" => "24.04",
        other => other,
    };
    let mut parts = release.split('.');
    let (yy, mm) = (parts.next()?, parts.next()?);
    if yy.len() != 2 || mm.len() != 2 || !yy.bytes().chain(mm.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let lts = mm == "04" && yy.parse::<u8>().is_ok_and(|y| y % 2 == 0);
    Some(if lts {
        format!("{yy}.{mm}:LTS")
    } else {
        format!("{yy}.{mm}")
    })
}

/// `alpine-3.19`, `3.19.1`, `v3.19` → `v3.19`.
fn alpine_release(distro: &str) -> Option<String> {
    let d = distro.to_ascii_lowercase();
    let d = d.strip_prefix("alpine-").unwrap_or(&d);
    let d = d.strip_prefix('v').unwrap_or(d);
    let mut parts = d.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    let num = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (num(major) && num(minor)).then(|| format!("v{major}.{minor}"))
}

/// `rocky-9`, `el9`, `9.3` → `9`.
fn rpm_release(distro: &str) -> Option<String> {
    let d = distro.to_ascii_lowercase();
    let tail = d.rsplit('-').next().unwrap_or(&d);
    let tail = tail.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let major = tail.split('.').next().unwrap_or_default();
    (!major.is_empty() && major.bytes().all(|c| c.is_ascii_digit())).then(|| major.to_owned())
}

//! Components and versions from the unpacked files: version signatures of our own
//! (a banner, then the version; a version on a line next to a fixed context line),
//! package databases (opkg/ipk, dpkg, apk), and the Linux kernel's version string.
//! Each component names the file and the text it came from.

use memchr::memmem;

use crate::Component;
use crate::unpack::File;

/// A banner signature: `banner` followed directly by a version.
struct Banner {
    name: &'static str,
    banner: &'static [u8],
    /// CPE vendor:product.
    cpe: &'static str,
    /// Only in files whose name matches (`None`: any file). Keeps out version texts
    /// that programs linking a library also carry.
    file: Option<fn(&str) -> bool>,
    /// A context string that must follow the version within [`NEAR`] bytes (the
    /// adjacent-line shape: the version on one line of `.rodata`, a fixed line next to it).
    near: Option<&'static [u8]>,
}

/// Hits of one banner looked at in one file.
const MAX_HITS: usize = 4096;

/// How far after a version its [`Banner::near`] context may start.
const NEAR: usize = 64;

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

const BANNERS: &[Banner] = &[
    Banner {
        name: "busybox",
        banner: b"BusyBox v",
        cpe: "busybox:busybox",
        file: None,
        near: None,
    },
    Banner {
        name: "dropbear",
        banner: b"SSH-2.0-dropbear_",
        cpe: "dropbear_ssh_project:dropbear_ssh",
        file: None,
        near: None,
    },
    Banner {
        name: "lighttpd",
        banner: b"lighttpd/",
        cpe: "lighttpd:lighttpd",
        file: Some(|p| base(p).starts_with("lighttpd")),
        near: None,
    },
    Banner {
        name: "dnsmasq",
        banner: b"Dnsmasq version ",
        cpe: "thekelleys:dnsmasq",
        file: Some(|p| base(p).starts_with("dnsmasq")),
        near: None,
    },
    // Builds that print the version through `%s` keep it as the answer to the CHAOS
    // `version.bind` query: "dnsmasq-2.90", then "version.bind".
    Banner {
        name: "dnsmasq",
        banner: b"dnsmasq-",
        cpe: "thekelleys:dnsmasq",
        file: Some(|p| base(p).starts_with("dnsmasq")),
        near: Some(b"version.bind"),
    },
    Banner {
        name: "openssl",
        banner: b"OpenSSL ",
        cpe: "openssl:openssl",
        file: Some(|p| {
            let b = base(p);
            b.starts_with("libcrypto") || b.starts_with("libssl") || b == "openssl"
        }),
        near: None,
    },
    Banner {
        name: "curl",
        banner: b"libcurl/",
        cpe: "haxx:libcurl",
        file: Some(|p| base(p).starts_with("libcurl") || base(p) == "curl"),
        near: None,
    },
    Banner {
        name: "linux",
        banner: b"Linux version ",
        cpe: "linux:linux_kernel",
        file: None,
        near: None,
    },
];

/// A version right after `at`: digits and dots (at least one dot), then an optional
/// letter suffix (OpenSSL `1.1.1w`), ended by a non-version character.
fn version_at(b: &[u8]) -> Option<String> {
    let mut end = 0;
    let mut dots = 0;
    while end < b.len() && end < 32 && (b[end].is_ascii_digit() || b[end] == b'.') {
        if b[end] == b'.' {
            dots += 1;
        }
        end += 1;
    }
    if end == 0 || dots == 0 || !b[0].is_ascii_digit() || b[end - 1] == b'.' {
        return None;
    }
    if end < b.len()
        && b[end].is_ascii_lowercase()
        && !b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
    {
        end += 1;
    }
    std::str::from_utf8(&b[..end]).ok().map(str::to_owned)
}

/// The components the files show.
pub(crate) fn identify(files: &[File]) -> Vec<Component> {
    let mut out: Vec<Component> = Vec::new();
    let mut push = |c: Component| {
        if !out
            .iter()
            .any(|o| o.name == c.name && o.version == c.version)
        {
            out.push(c);
        }
    };
    for f in files.iter().filter(|f| !f.container) {
        // Programs are ELF files: a man page or changelog quoting an old banner is not
        // the program (Debian's dnsmasq French man page says "Dnsmasq version 2.37").
        // The kernel's banner is in a raw (decompressed) image, not an ELF file.
        let elf = f.data.starts_with(b"\x7fELF");
        for s in BANNERS {
            if s.file.is_some_and(|ok| !ok(&f.path)) || (!elf && s.name != "linux") {
                continue;
            }
            // The banner's text also starts messages ("OpenSSL " in libcrypto's error
            // strings before its version), so look past the first hits, boundedly.
            for at in memmem::find_iter(&f.data, s.banner).take(MAX_HITS) {
                let after = &f.data[at + s.banner.len()..];
                if let Some(v) = version_at(after).filter(|v| {
                    s.near.is_none_or(|near| {
                        let rest = &after[v.len()..];
                        memmem::find(&rest[..rest.len().min(NEAR + near.len())], near).is_some()
                    })
                }) {
                    let evidence =
                        String::from_utf8_lossy(&f.data[at..at + s.banner.len() + v.len()])
                            .into_owned();
                    push(Component {
                        name: s.name.to_owned(),
                        version: v.clone(),
                        purl: format!("pkg:generic/{}@{v}", s.name),
                        cpe: Some(
                            format!("cpe:2.3:a:{}:{v}:*:*:*:*:*:*:*", s.cpe)
                                .replace(":a:linux:linux_kernel", ":o:linux:linux_kernel"),
                        ),
                        path: f.path.clone(),
                        evidence,
                    });
                    break;
                }
            }
        }
        let name = base(&f.path);
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        if name == "status" && (dir.ends_with("opkg") || dir.ends_with("lib/dpkg")) {
            let deb = dir.ends_with("lib/dpkg");
            for (pkg, version) in stanzas(&f.data, "Package: ", "Version: ") {
                push(Component {
                    purl: if deb {
                        format!("pkg:deb/debian/{pkg}@{version}")
                    } else {
                        format!("pkg:generic/{pkg}@{version}")
                    },
                    cpe: None,
                    evidence: format!("Package: {pkg} / Version: {version}"),
                    name: pkg,
                    version,
                    path: f.path.clone(),
                });
            }
        }
        if name == "installed" && dir.ends_with("apk/db") {
            for (pkg, version) in stanzas(&f.data, "P:", "V:") {
                push(Component {
                    purl: format!("pkg:apk/alpine/{pkg}@{version}"),
                    cpe: None,
                    evidence: format!("P:{pkg} / V:{version}"),
                    name: pkg,
                    version,
                    path: f.path.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.version.cmp(&b.version)));
    out
}

/// (name, version) of each blank-line-separated stanza of a package database.
fn stanzas(data: &[u8], name_key: &str, version_key: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut version = None;
        for line in stanza.lines() {
            if let Some(n) = line.strip_prefix(name_key) {
                name = Some(n.trim().to_owned());
            } else if let Some(v) = line.strip_prefix(version_key) {
                version = Some(v.trim().to_owned());
            }
        }
        if let (Some(n), Some(v)) = (name, version)
            && !n.is_empty()
            && !v.is_empty()
        {
            out.push((n, v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_end_where_the_version_ends() {
        assert_eq!(super::version_at(b"1.35.0 (Debian"), Some("1.35.0".into()));
        assert_eq!(super::version_at(b"1.1.1w  11 Sep"), Some("1.1.1w".into()));
        assert_eq!(super::version_at(b"2022.83\0"), Some("2022.83".into()));
        assert_eq!(super::version_at(b"%s"), None);
        assert_eq!(super::version_at(b"3."), None);
        assert_eq!(super::version_at(b"12"), None);
    }

    fn file(path: &str, data: &[u8]) -> crate::unpack::File {
        crate::unpack::File {
            path: path.to_owned(),
            data: data.to_vec(),
            mode: None,
            uid: None,
            container: false,
        }
    }

    #[test]
    fn a_version_after_many_banner_shaped_messages() {
        // libcrypto's error strings start with "OpenSSL " long before its version text.
        let mut lib = b"\x7fELF\x02\x01\x01\0".to_vec();
        for _ in 0..100 {
            lib.extend_from_slice(b"OpenSSL internal error\0");
        }
        lib.extend_from_slice(b"OpenSSL 3.0.20 7 Apr 2026\0\0\x003.0.20\0");
        let c = super::identify(&[file("usr/lib/mipsel-linux-gnu/libcrypto.so.3", &lib)]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            (c[0].name.as_str(), c[0].version.as_str()),
            ("openssl", "3.0.20")
        );
    }

    #[test]
    fn adjacent_context_decides() {
        // As in Debian's dnsmasq 2.90 (amd64 and mipsel): `%s` in the banner, the version
        // as the `version.bind` answer.
        let real = b"\x7fELF\x01\x01\x01\0Dnsmasq version %s  %s\n\0Compile time options: %s\0/etc/dnsmasq.conf\0dnsmasq-2.90\0version.bind\0";
        let c = super::identify(&[file("usr/sbin/dnsmasq", real)]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            (c[0].name.as_str(), c[0].version.as_str()),
            ("dnsmasq", "2.90")
        );
        assert_eq!(c[0].evidence, "dnsmasq-2.90");
        // Without the context line, "dnsmasq-2.90" (a path, a log line) is not a version.
        let c = super::identify(&[file(
            "usr/sbin/dnsmasq",
            b"\x7fELF\x01\x01\x01\0/tmp/dnsmasq-2.90.tar\0other\0",
        )]);
        assert!(c.is_empty(), "{c:?}");
        // Nor in a file that is not dnsmasq, nor in one that is not a program.
        let c = super::identify(&[file("usr/bin/helper", real)]);
        assert!(c.is_empty(), "{c:?}");
        let c = super::identify(&[file(
            "usr/share/man/fr/man8/dnsmasq.8.gz:gunzip",
            b".SH NOM\ndnsmasq - Dnsmasq version 2.37\ndnsmasq-2.37\0version.bind\n",
        )]);
        assert!(c.is_empty(), "{c:?}");
    }
}

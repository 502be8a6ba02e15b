//! purl → OSV ecosystem and package name.

use riskmark_ecosystem::{Ecosystem, Purl, PurlError, PurlMapping, map_purl};

fn mapped(purl: &str) -> (String, String, Option<String>) {
    match map_purl(purl) {
        Ok(PurlMapping::Mapped(p)) => (p.ecosystem.to_string(), p.name, p.version),
        other => panic!("{purl}: {other:?}"),
    }
}

fn eco_name(purl: &str) -> (String, String) {
    let (e, n, _) = mapped(purl);
    (e, n)
}

fn pair(e: &str, n: &str) -> (String, String) {
    (e.to_owned(), n.to_owned())
}

#[test]
fn pypi_names_are_pep503_normalized() {
    assert_eq!(
        eco_name("pkg:pypi/Django_REST.framework@3.14"),
        pair("PyPI", "django-rest-framework")
    );
    assert_eq!(
        eco_name("pkg:pypi/zope.--interface"),
        pair("PyPI", "zope-interface")
    );
    assert_eq!(
        mapped("pkg:pypi/requests@2.31.0").2.as_deref(),
        Some("2.31.0")
    );
}

#[test]
fn npm_scopes() {
    assert_eq!(
        eco_name("pkg:npm/%40angular/core@17.0.0"),
        pair("npm", "@angular/core")
    );
    assert_eq!(
        eco_name("pkg:npm/@babel/core@7.0.0"),
        pair("npm", "@babel/core")
    );
    assert_eq!(eco_name("pkg:npm/@babel/core"), pair("npm", "@babel/core"));
    assert_eq!(eco_name("pkg:npm/lodash@4.17.21"), pair("npm", "lodash"));
}

#[test]
fn go_module_paths_and_v_prefix() {
    assert_eq!(
        mapped("pkg:golang/github.com/foo/bar@1.2.3"),
        (
            "Go".to_owned(),
            "github.com/foo/bar".to_owned(),
            Some("v1.2.3".to_owned())
        )
    );
    assert_eq!(
        mapped("pkg:golang/golang.org/x/net@v0.17.0").2.as_deref(),
        Some("v0.17.0")
    );
}

#[test]
fn language_ecosystems() {
    assert_eq!(
        eco_name("pkg:cargo/serde@1.0.0"),
        pair("crates.io", "serde")
    );
    assert_eq!(
        eco_name("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
        pair("Maven", "org.apache.logging.log4j:log4j-core")
    );
    assert_eq!(
        eco_name("pkg:nuget/Newtonsoft.Json@13.0.1"),
        pair("NuGet", "Newtonsoft.Json")
    );
    assert_eq!(eco_name("pkg:gem/rails@7.0.0"), pair("RubyGems", "rails"));
    assert_eq!(
        eco_name("pkg:composer/Laravel/Framework@10.0.0"),
        pair("Packagist", "laravel/framework")
    );
    assert_eq!(eco_name("pkg:hex/phoenix@1.7.0"), pair("Hex", "phoenix"));
}

#[test]
fn debian_and_ubuntu_releases() {
    for purl in [
        "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12",
        "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=bookworm",
        "pkg:deb/debian/openssl?distro=debian-12.4",
    ] {
        assert_eq!(eco_name(purl), pair("Debian:12", "openssl"), "{purl}");
    }
    for (codename, n) in [("buster", "10"), ("bullseye", "11"), ("trixie", "13")] {
        assert_eq!(
            eco_name(&format!("pkg:deb/debian/curl?distro={codename}")).0,
            format!("Debian:{n}")
        );
    }
    assert_eq!(eco_name("pkg:deb/debian/curl").0, "Debian");
    assert_eq!(
        eco_name("pkg:deb/ubuntu/curl?distro=jammy").0,
        "Ubuntu:22.04:LTS"
    );
    assert_eq!(
        eco_name("pkg:deb/ubuntu/curl?distro=focal").0,
        "Ubuntu:20.04:LTS"
    );
    assert_eq!(
        eco_name("pkg:deb/ubuntu/curl?distro=noble").0,
        "Ubuntu:24.04:LTS"
    );
    assert_eq!(
        eco_name("pkg:deb/ubuntu/curl?distro=ubuntu-22.04").0,
        "Ubuntu:22.04:LTS"
    );
    assert_eq!(
        eco_name("pkg:deb/ubuntu/curl?distro=ubuntu-23.10").0,
        "Ubuntu:23.10"
    );
    // The epoch arrives percent-encoded.
    assert_eq!(
        mapped("pkg:deb/debian/bash@1%3A5.2-1?distro=bookworm")
            .2
            .as_deref(),
        Some("1:5.2-1")
    );
}

#[test]
fn binary_packages_map_to_their_source_package() {
    // From Syft SBOMs in the shared data (ubuntu 20.04 image): `upstream` names the source
    // package, with its version when it differs from the binary's.
    assert_eq!(
        mapped(
            "pkg:deb/ubuntu/binutils-common@2.34-6ubuntu1.3?arch=amd64&upstream=binutils&distro=ubuntu-20.04"
        ),
        (
            "Ubuntu:20.04:LTS".to_owned(),
            "binutils".to_owned(),
            Some("2.34-6ubuntu1.3".to_owned())
        )
    );
    assert_eq!(
        mapped(
            "pkg:deb/ubuntu/bsdutils@1:2.34-0.1ubuntu9.3?arch=amd64&upstream=util-linux%402.34-0.1ubuntu9.3&distro=ubuntu-20.04"
        ),
        (
            "Ubuntu:20.04:LTS".to_owned(),
            "util-linux".to_owned(),
            Some("2.34-0.1ubuntu9.3".to_owned())
        )
    );
    // A binNMU: the binary carries +b1, the source version is the one advisories use.
    assert_eq!(
        mapped("pkg:deb/debian/libssl3@3.0.11-1~deb12u2+b1?upstream=openssl%403.0.11-1~deb12u2&distro=debian-12")
            .2
            .as_deref(),
        Some("3.0.11-1~deb12u2")
    );
    // Alpine origin.
    assert_eq!(
        mapped(
            "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2"
        ),
        (
            "Alpine:v3.17".to_owned(),
            "openssl".to_owned(),
            Some("3.0.8-r0".to_owned())
        )
    );
    // An empty qualifier changes nothing; other types ignore it.
    assert_eq!(
        eco_name("pkg:deb/debian/curl@7.88.1-10?upstream=&distro=debian-12"),
        pair("Debian:12", "curl")
    );
    assert_eq!(
        eco_name("pkg:npm/lodash@4.17.20?upstream=x"),
        pair("npm", "lodash")
    );
}

#[test]
fn alpine_releases() {
    for purl in [
        "pkg:apk/alpine/busybox@1.36.1-r15?distro=alpine-3.19",
        "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=3.19.1",
        "pkg:apk/alpine/busybox?distro=alpine-3.19.1",
        "pkg:apk/alpine/busybox?distro=v3.19",
    ] {
        assert_eq!(eco_name(purl), pair("Alpine:v3.19", "busybox"), "{purl}");
    }
    assert_eq!(eco_name("pkg:apk/wolfi/glibc@2.38-r1").0, "Wolfi");
    assert_eq!(eco_name("pkg:apk/chainguard/glibc").0, "Chainguard");
}

#[test]
fn rpm_distributions() {
    assert_eq!(eco_name("pkg:rpm/redhat/openssl@3.0.7-24.el9").0, "Red Hat");
    assert_eq!(
        eco_name("pkg:rpm/rocky/openssl@3.0.7-24.el9?distro=rocky-9.3").0,
        "Rocky Linux:9"
    );
    assert_eq!(
        eco_name("pkg:rpm/almalinux/openssl?distro=almalinux-9").0,
        "AlmaLinux:9"
    );
    assert_eq!(eco_name("pkg:rpm/suse/openssl-3").0, "SUSE");
    assert_eq!(eco_name("pkg:rpm/opensuse/openssl-3").0, "openSUSE");
    assert_eq!(
        eco_name("pkg:rpm/mageia/openssl?distro=mageia-9").0,
        "Mageia:9"
    );
    assert_eq!(eco_name("pkg:rpm/openeuler/openssl").0, "openEuler");
    // The epoch qualifier joins the version.
    assert_eq!(
        mapped("pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&epoch=1")
            .2
            .as_deref(),
        Some("1:3.0.7-24.el9")
    );
}

#[test]
fn unsupported_is_not_an_error() {
    for (purl, kind) in [
        ("pkg:github/package-url/purl-spec@244fd47", "github"),
        ("pkg:deb/kali/openssl", "deb/kali"),
        ("pkg:rpm/fedora/curl@8.0-1.fc40", "rpm/fedora"),
        ("pkg:apk/postmarketos/foo", "apk/postmarketos"),
        ("pkg:generic/openssl@3.0", "generic"),
    ] {
        assert_eq!(
            map_purl(purl),
            Ok(PurlMapping::Unsupported {
                kind: kind.to_owned()
            }),
            "{purl}"
        );
    }
}

#[test]
fn malformed_purls_are_typed_errors() {
    assert!(matches!(
        map_purl("npm/lodash@1.0"),
        Err(PurlError::Scheme(_))
    ));
    assert!(matches!(map_purl("pkg:"), Err(PurlError::Incomplete(_))));
    assert!(matches!(map_purl("pkg:npm"), Err(PurlError::Incomplete(_))));
    assert!(matches!(
        map_purl("pkg:npm/%ff%fe"),
        Err(PurlError::Encoding(_))
    ));
}

#[test]
fn purl_parts_are_percent_decoded() {
    let p = match Purl::parse(
        "PKG:Maven/org%2Eexample/a%20b@1.0%2B1?Classifier=sources&repository_url=https%3A%2F%2Fx#sub/./path",
    ) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(p.ty, "maven");
    assert_eq!(p.namespace.as_deref(), Some("org.example"));
    assert_eq!(p.name, "a b");
    assert_eq!(p.version.as_deref(), Some("1.0+1"));
    assert_eq!(p.qualifier("classifier"), Some("sources"));
    assert_eq!(p.qualifier("repository_url"), Some("https://x"));
    assert_eq!(p.subpath.as_deref(), Some("sub/path"));
    assert_eq!(
        map_purl("pkg:pypi/foo")
            .map(|m| matches!(m, PurlMapping::Mapped(p) if p.ecosystem == Ecosystem::PyPI)),
        Ok(true)
    );
}

/// `pkg:golang/stdlib@go1.20.1`: the toolchain's own spelling is the Go vulnerability
/// database's semantic version (#14), as `golang.org/x/vuln` converts it.
#[test]
fn go_toolchain_versions_are_accepted() {
    for (purl, want) in [
        ("pkg:golang/stdlib@go1.20.1", "v1.20.1"),
        ("pkg:golang/stdlib@go1.21", "v1.21.0"),
        ("pkg:golang/stdlib@go1.21rc2", "v1.21.0-rc.2"),
        ("pkg:golang/stdlib@go1.22beta1", "v1.22.0-beta.1"),
        ("pkg:golang/toolchain@go1.19.13", "v1.19.13"),
        ("pkg:golang/stdlib@1.20.1", "v1.20.1"),
        ("pkg:golang/stdlib@v1.20.1", "v1.20.1"),
    ] {
        assert_eq!(mapped(purl).2.as_deref(), Some(want), "{purl}");
    }
    // Not a toolchain version: left as it was.
    assert_eq!(
        mapped("pkg:golang/stdlib@gox").2.as_deref(),
        Some("vgox"),
        "not a toolchain spelling"
    );
    let stdlib = Ecosystem::Go;
    let r = [riskmark_ecosystem::Range {
        kind: riskmark_ecosystem::RangeKind::Semver,
        repo: None,
        events: vec![
            riskmark_ecosystem::Event::Introduced("0".into()),
            riskmark_ecosystem::Event::Fixed("1.20.2".into()),
        ],
    }];
    let v = mapped("pkg:golang/stdlib@go1.20.1").2.unwrap();
    assert_eq!(
        riskmark_ecosystem::is_affected(&stdlib, &v, &r, &[]),
        Ok(true)
    );
    let v = mapped("pkg:golang/stdlib@go1.20.2").2.unwrap();
    assert_eq!(
        riskmark_ecosystem::is_affected(&stdlib, &v, &r, &[]),
        Ok(false)
    );
}

//! Facts read by hand from the real SBOMs in `tests/fixtures/` (see
//! `tests/fixtures/PROVENANCE.md`), checked against the readers.

use std::path::PathBuf;

use riskmark_sbom::{ComponentKind, Format, HashAlg, RelationKind, Sbom, WarningKind, parse_file};

fn fixture(name: &str) -> Sbom {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    match parse_file(&path) {
        Ok(sbom) => sbom,
        Err(e) => panic!("{name} should parse: {e}"),
    }
}

fn has(sbom: &Sbom, from: &str, kind: &RelationKind, to: &str) -> bool {
    sbom.relations
        .iter()
        .any(|r| r.from == from && r.to == to && &r.kind == kind)
}

#[test]
fn cyclonedx_json_kawipiko() {
    let sbom = fixture("kawipiko-sbom-cdx.json");
    assert_eq!(sbom.format, Format::CycloneDxJson);
    assert_eq!(sbom.spec_version, "1.4");
    assert_eq!(
        sbom.serial.as_deref(),
        Some("urn:uuid:45e20b5d-0a6f-4bf4-b80b-d7296422be00")
    );
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);

    let root_ref =
        "pkg:golang/github.com/volution/kawipiko@v0.0.0-20220902105946-bbca9d709647?type=module";
    let root = sbom.root.as_ref().expect("metadata component");
    assert_eq!(root.id, root_ref);
    assert_eq!(root.name, "github.com/volution/kawipiko");
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(sbom.name.as_deref(), Some("github.com/volution/kawipiko"));

    assert_eq!(sbom.components.len(), 27);
    let blake3 = sbom
        .components
        .iter()
        .find(|c| c.name == "github.com/zeebo/blake3")
        .expect("blake3");
    assert_eq!(blake3.version.as_deref(), Some("v0.2.2"));
    assert_eq!(
        blake3.purl.as_deref(),
        Some("pkg:golang/github.com/zeebo/blake3@v0.2.2?type=module")
    );
    let purl = blake3.purl_parsed.as_ref().expect("parsed purl");
    assert_eq!(purl.ty, "golang");
    assert_eq!(purl.namespace.as_deref(), Some("github.com/zeebo"));
    assert_eq!(purl.name, "blake3");
    assert_eq!(purl.version.as_deref(), Some("v0.2.2"));
    assert_eq!(purl.qualifier("type"), Some("module"));
    assert_eq!(blake3.hashes.len(), 1);
    assert_eq!(blake3.hashes[0].alg, HashAlg::Sha256);
    assert_eq!(
        blake3.hashes[0].value,
        "75d1fd7d422579fe6bfa9aaf2528468125c577a73b939e1e417678f21363a2d4"
    );

    // 28 dependency entries with 55 `dependsOn` edges in total.
    assert_eq!(sbom.relations.len(), 55);
    assert!(has(
        &sbom,
        root_ref,
        &RelationKind::DependsOn,
        "pkg:golang/github.com/zeebo/blake3@v0.2.2?type=module"
    ));
    let quic = "pkg:golang/github.com/lucas-clemente/quic-go@v0.25.0?type=module";
    assert_eq!(sbom.dependencies_of(quic).count(), 9);
    assert!(
        sbom.dependencies_of(quic)
            .any(|d| d == "pkg:golang/github.com/cheekybits/genny@v1.0.0?type=module")
    );
}

#[test]
fn cyclonedx_xml_archivist_shell() {
    let sbom = fixture("archivist-shell-cdx-first12.xml");
    assert_eq!(sbom.format, Format::CycloneDxXml);
    assert_eq!(sbom.spec_version, "1.4");
    assert_eq!(
        sbom.serial.as_deref(),
        Some("urn:uuid:e066bab3-461d-477a-9af0-e6ea90d70e96")
    );
    assert_eq!(sbom.created.as_deref(), Some("2022-11-14T17:37:24Z"));
    assert!(
        sbom.tools.iter().any(|t| t == "syft 0.60.3"),
        "{:?}",
        sbom.tools
    );
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);

    let root = sbom.root.as_ref().expect("metadata component");
    assert_eq!(root.id, "13ec8eed7079d134");
    assert_eq!(root.name, "ibm-semeru-runtimes");
    assert_eq!(root.version.as_deref(), Some("open-18.0.1.1_2-jdk"));
    assert_eq!(root.kind, ComponentKind::Container);
    assert_eq!(root.supplier.as_deref(), Some("dockerhub"));

    assert_eq!(sbom.components.len(), 12);
    let adduser = &sbom.components[0];
    assert_eq!(adduser.name, "adduser");
    assert_eq!(
        adduser.id,
        "pkg:deb/ubuntu/adduser@3.118ubuntu2?arch=all&distro=ubuntu-20.04&package-id=39645889c0f987a9"
    );
    // `&amp;` in the XML is read as `&`.
    assert_eq!(
        adduser.purl.as_deref(),
        Some("pkg:deb/ubuntu/adduser@3.118ubuntu2?arch=all&distro=ubuntu-20.04")
    );
    assert_eq!(
        adduser.cpes,
        ["cpe:2.3:a:adduser:adduser:3.118ubuntu2:*:*:*:*:*:*:*"]
    );
    assert_eq!(adduser.licenses, ["GPL-2.0-only"]);

    // Syft lists further CPEs as `syft:cpe23` properties; the `<cpe>` comes first.
    let base_files = sbom
        .components
        .iter()
        .find(|c| c.name == "base-files")
        .expect("base-files");
    assert_eq!(
        base_files.cpes[0],
        "cpe:2.3:a:base-files:base-files:11ubuntu5.5:*:*:*:*:*:*:*"
    );
    assert!(
        base_files
            .cpes
            .iter()
            .any(|c| c == "cpe:2.3:a:base:base_files:11ubuntu5.5:*:*:*:*:*:*:*")
    );
    // An escaped colon inside a CPE field is kept as written.
    let bsdutils = sbom
        .components
        .iter()
        .find(|c| c.name == "bsdutils")
        .expect("bsdutils");
    assert_eq!(
        bsdutils.cpes[0],
        r"cpe:2.3:a:bsdutils:bsdutils:1\:2.34-0.1ubuntu9.3:*:*:*:*:*:*:*"
    );
    assert_eq!(
        bsdutils
            .purl_parsed
            .as_ref()
            .and_then(|p| p.qualifier("upstream")),
        Some("util-linux@2.34-0.1ubuntu9.3")
    );
}

#[test]
fn spdx_json_julia() {
    let sbom = fixture("julia.spdx.json");
    assert_eq!(sbom.format, Format::SpdxJson);
    assert_eq!(sbom.spec_version, "2.2");
    assert_eq!(sbom.name.as_deref(), Some("julia-spdx"));
    assert_eq!(
        sbom.serial.as_deref(),
        Some("https://julialang.org/spdxdocs/julia-spdx-7b93ad83-27bf-433f-b769-cde3288fe3a1")
    );
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    // 34 packages, one of which the document DESCRIBES.
    let root = sbom.root.as_ref().expect("described package");
    assert_eq!(root.id, "SPDXRef-JuliaMain");
    assert_eq!(root.name, "Julia");
    assert_eq!(root.version.as_deref(), Some("1.8.0-DEV"));
    assert_eq!(root.licenses, ["MIT"]);
    assert_eq!(sbom.components.len(), 33);
    // `SPDXRef-JuliaPkg BUILD_DEPENDENCY_OF SPDXRef-JuliaMain` is turned around.
    assert!(has(
        &sbom,
        "SPDXRef-JuliaMain",
        &RelationKind::DevDependsOn,
        "SPDXRef-JuliaPkg"
    ));
    // 28 BUILD_DEPENDENCY_OF, 3 BUILD_TOOL_OF, 1 RUNTIME_DEPENDENCY_OF.
    let count = |k: &RelationKind| sbom.relations.iter().filter(|r| &r.kind == k).count();
    assert_eq!(count(&RelationKind::DevDependsOn), 28);
    assert_eq!(count(&RelationKind::DependsOn), 1);
    assert_eq!(count(&RelationKind::Other("BUILD_TOOL_OF".into())), 3);
}

#[test]
fn spdx_tag_value_julia_matches_its_json_original() {
    let tv = fixture("julia.spdx");
    let json = fixture("julia.spdx.json");
    assert_eq!(tv.format, Format::SpdxTagValue);
    assert!(tv.warnings.is_empty(), "{:?}", tv.warnings);
    assert_eq!(tv.name, json.name);
    assert_eq!(
        tv.root.as_ref().map(|r| &r.id),
        json.root.as_ref().map(|r| &r.id)
    );
    let ids = |s: &Sbom| {
        let mut v: Vec<_> = s
            .components
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&tv), ids(&json));
    let mut a = tv.relations.clone();
    let mut b = json.relations.clone();
    a.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    b.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    assert_eq!(a, b);
}

#[test]
fn spdx_tag_value_with_carriage_return_line_ends() {
    let sbom = fixture("cbor-sbom.spdx");
    assert_eq!(sbom.format, Format::SpdxTagValue);
    assert_eq!(sbom.name.as_deref(), Some("cbor"));
    assert_eq!(sbom.created.as_deref(), Some("2022-01-15T10:16:33Z"));
    assert_eq!(sbom.tools, ["https://pub.dev/packages/sbom"]);
    assert_eq!(sbom.components.len(), 1);
    let cbor = &sbom.components[0];
    assert_eq!(cbor.id, "SPDXRef-Package-cbor");
    assert_eq!(cbor.version.as_deref(), Some("5.0.0"));
    // `PackageSupplier: NOASSERTION` is no supplier.
    assert_eq!(cbor.supplier, None);
    assert_eq!(cbor.licenses, ["MIT"]);
    assert!(sbom.relations.is_empty());
}

#[test]
fn iot_base_image_bom_generator() {
    let sbom = fixture("spdx-bom-balenalib_am571x-evm-alpine-node-8b2c99e327b7.spdx.json");
    assert_eq!(sbom.spec_version, "2.3");
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    let root = sbom.root.as_ref().expect("image");
    assert_eq!(
        root.id,
        "SPDXRef-Package-sha256-8b2c99e327b751d6583d4f34248c5b2a91cc855bdfbd350a8f58cf7db7293169"
    );
    // `versionInfo: ""` is no version.
    assert_eq!(root.version, None);
    let purl = root.purl_parsed.as_ref().expect("oci purl");
    assert_eq!(purl.ty, "oci");
    assert_eq!(purl.name, "am571x-evm-alpine-node");
    assert_eq!(purl.qualifier("arch"), Some("arm"));
    assert_eq!(root.hashes[0].alg, HashAlg::Sha256);
    // 15 packages: the image and 14 layers, each CONTAINED in the image.
    assert_eq!(sbom.components.len(), 14);
    assert_eq!(sbom.relations.len(), 14);
    assert!(
        sbom.relations
            .iter()
            .all(|r| r.from == root.id && r.kind == RelationKind::Contains)
    );
}

#[test]
fn iot_base_image_trivy() {
    let sbom = fixture("spdx-trivy-balenalib_artik5-alpine-python-1a281557bf71.spdx.json");
    assert_eq!(sbom.spec_version, "2.2");
    assert_eq!(
        sbom.name.as_deref(),
        Some(
            "balenalib/artik5-alpine-python@sha256:1a281557bf71a8530ea1b8927cb46def195a565e4c24c7078a3877f477b0041b"
        )
    );
    // Trivy writes `DESCRIBE` for `DESCRIBES`: read, with a warning.
    assert_eq!(sbom.warnings.len(), 1, "{:?}", sbom.warnings);
    assert_eq!(sbom.warnings[0].kind, WarningKind::UnknownValue);
    assert_eq!(sbom.warnings[0].location, "relationships[0]");
    let root = sbom.root.as_ref().expect("container image");
    assert_eq!(root.id, "SPDXRef-ContainerImage-31e5187c88ef78d6");
    // 86 packages, the image is the root; 85 CONTAINS relationships.
    assert_eq!(sbom.components.len(), 85);
    assert_eq!(sbom.relations.len(), 85);
    let os = sbom
        .component("SPDXRef-OperatingSystem-bd17bf9010aa612c")
        .expect("os");
    assert_eq!(
        (os.name.as_str(), os.version.as_deref()),
        ("alpine", Some("3.16.0"))
    );
    assert!(has(&sbom, &root.id, &RelationKind::Contains, &os.id));
    let busybox = sbom
        .components
        .iter()
        .find(|c| c.name == "busybox")
        .expect("busybox");
    assert_eq!(busybox.version.as_deref(), Some("1.35.0-r13"));
    assert_eq!(
        busybox.purl.as_deref(),
        Some("pkg:apk/alpine/busybox@1.35.0-r13?distro=3.16.0")
    );
    assert_eq!(busybox.licenses, ["GPL-2.0"]);
    assert_eq!(busybox.kind, ComponentKind::Unspecified);
}

#[test]
fn sbom_serializes_to_json() {
    let sbom = fixture("kawipiko-sbom-cdx.json");
    let value = serde_json::to_value(&sbom).expect("serializes");
    assert_eq!(value["format"], "cyclonedx-json");
    assert_eq!(value["components"][0]["kind"], "library");
    assert_eq!(value["components"][0]["hashes"][0]["alg"], "SHA-256");
    assert_eq!(value["relations"][0]["kind"], "depends-on");
}

//! `riskmark label`, `keygen` and `verify` as a user runs them: the five files, a QR code
//! that scans (rqrr in-process; zbarimg too), a PDF that renders (poppler) with its fonts
//! embedded, each language speaking its own words, signatures that break on any changed
//! character, snapshots of label.json, and the HTML opened in headless Chromium without
//! console errors. The external tools are installed by `.ci/setup.d/label.sh`; in CI a
//! missing tool is a failure, elsewhere the test notes it and goes on.

#![allow(clippy::print_stderr)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

mod common;
use common::{chromium, chromium_sees_console_errors, have, riskmark, root};

const AS_OF: &str = "2026-11-24";
const PLUG_ID: &str = "acme-home-ltd-sp-100-3c433f77";

/// Makes the label of `profile` in `lang` into a new directory.
fn label(profile: &str, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let mut args = vec!["label", profile, "--out", out, "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let (code, _, err) = riskmark(&args);
    assert_eq!(code, Some(0), "{err}");
    dir
}

/// Decodes every QR code in a PNG with rqrr.
fn qr_codes(png_file: &Path) -> Vec<String> {
    let decoder = png::Decoder::new(fs::File::open(png_file).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{png_file:?}");
    let (w, h) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let p = &buf[(y * w + x) * channels..];
        match channels {
            1 | 2 => p[0],
            _ => {
                let v =
                    (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000;
                // Transparent pixels are paper.
                if channels == 4 && p[3] < 128 {
                    255
                } else {
                    u8::try_from(v).unwrap()
                }
            }
        }
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    img.detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("QR code decodes").1)
        .collect()
}

#[test]
fn label_writes_five_files_and_the_qr_code_scans_to_the_registry_page() {
    let dir = label(
        "examples/smart-plug.toml",
        &["--registry-url", "https://labels.example.org/reg/"],
    );
    for f in [
        "label.svg",
        "label.png",
        "label.pdf",
        "label.html",
        "label.json",
    ] {
        let len = fs::metadata(dir.path().join(f)).unwrap().len();
        assert!(len > 1000, "{f}: {len} bytes");
    }
    let want = format!("https://labels.example.org/reg/{PLUG_ID}");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("label.json")).unwrap()).unwrap();
    assert_eq!(json["device_id"], PLUG_ID);
    assert_eq!(json["registry_url"], want.as_str());

    // Rust decoder, in-process.
    assert_eq!(qr_codes(&dir.path().join("label.png")), vec![want.clone()]);
    // zbar, the decoder phone apps build on.
    if have("zbarimg") {
        let out = Process::new("zbarimg")
            .args(["-q", "--raw"])
            .arg(dir.path().join("label.png"))
            .output()
            .unwrap();
        assert!(out.status.success(), "zbarimg found no code");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want);
    }
}

#[test]
fn the_device_id_is_stable_across_firmware_versions_and_languages() {
    let en = label("examples/smart-plug.toml", &[]);
    let ja = label("examples/smart-plug.toml", &["--lang", "ja"]);
    let read = |d: &tempfile::TempDir| -> Value {
        serde_json::from_str(&fs::read_to_string(d.path().join("label.json")).unwrap()).unwrap()
    };
    assert_eq!(read(&en)["device_id"], PLUG_ID);
    assert_eq!(read(&ja)["device_id"], PLUG_ID);
    // The same product with another firmware version keeps its id; another model does not.
    let src = fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let newer = tmp.path().join("newer.toml");
    fs::write(&newer, src.replace("2.4.1", "2.5.0")).unwrap();
    assert!(src.contains("2.4.1"));
    let other = tmp.path().join("other.toml");
    fs::write(&other, src.replace("SP-100", "SP-200")).unwrap();
    let d1 = label(newer.to_str().unwrap(), &[]);
    let d2 = label(other.to_str().unwrap(), &[]);
    assert_eq!(read(&d1)["device_id"], PLUG_ID);
    assert_eq!(read(&d1)["product"]["firmware_version"], "2.5.0");
    assert_ne!(read(&d2)["device_id"], PLUG_ID);
}

/// Words of each language's label (from its Fluent file) and English words that must
/// not appear in it.
const LANGS: &[(&str, &[&str])] = &[
    (
        "en",
        &["Security label", "Security updates", "Works offline"],
    ),
    (
        "de",
        &[
            "Sicherheitslabel",
            "Sicherheitsupdates",
            "Funktioniert offline",
        ],
    ),
    (
        "fr",
        &[
            "Étiquette de sécurité",
            "Mises à jour de sécurité",
            "Fonctionne hors ligne",
        ],
    ),
    (
        "es",
        &[
            "Etiqueta de seguridad",
            "Actualizaciones de seguridad",
            "Funciona sin conexión",
        ],
    ),
    (
        "ja",
        &["セキュリティラベル", "セキュリティ更新", "オフラインで動作"],
    ),
];

/// The text content of an SVG or HTML document: what is between tags, entities decoded
/// for the few the renderers use.
fn text_of(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_style = false;
    for (i, c) in markup.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                let rest = &markup[i..];
                if rest.starts_with("<style") || rest.starts_with("<defs") {
                    in_style = true;
                } else if rest.starts_with("</style") || rest.starts_with("</defs") {
                    in_style = false;
                }
            }
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag && !in_style => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[test]
fn each_language_speaks_its_own_words_without_missing_messages() {
    let english_only = [
        "Security updates",
        "Works offline",
        "Report a vulnerability",
    ];
    for (lang, words) in LANGS {
        let dir = label("examples/home-router.toml", &["--lang", lang]);
        let svg = fs::read_to_string(dir.path().join("label.svg")).unwrap();
        let html = fs::read_to_string(dir.path().join("label.html")).unwrap();
        let json: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("label.json")).unwrap())
                .unwrap();
        assert_eq!(json["lang"], *lang);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\"")),
            "{lang}: html lang attribute"
        );
        for layer in [("svg", text_of(&svg)), ("html", text_of(&html))] {
            for w in *words {
                assert!(layer.1.contains(w), "{lang} {}: no {w:?}", layer.0);
            }
            if *lang != "en" {
                for w in english_only {
                    assert!(!layer.1.contains(w), "{lang} {}: English {w:?}", layer.0);
                }
            }
            // Fluent leaves `{...}` or a message id behind when a message or variable is
            // missing.
            for marker in ["{", "}", "{$", "label-title", "risk-score", "support-until"] {
                assert!(
                    !layer.1.contains(marker),
                    "{lang} {}: missing-message marker {marker:?}",
                    layer.0
                );
            }
        }
    }
}

#[test]
fn png_and_pdf_render_with_embedded_fonts_and_the_same_qr_code() {
    let dir = label("examples/home-router.toml", &["--lang", "ja"]);
    let want = "https://registry.riskmark.dev/d/skyfield-networks-corp-sf-ax3000-06e27357";
    assert_eq!(
        qr_codes(&dir.path().join("label.png")),
        vec![want.to_owned()]
    );
    let pdf = fs::read(dir.path().join("label.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    if !have("pdftoppm") {
        return;
    }
    // Every font is embedded (no machine-dependent substitution).
    let fonts = Process::new("pdffonts")
        .arg(dir.path().join("label.pdf"))
        .output()
        .unwrap();
    assert!(fonts.status.success());
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts in the PDF:\n{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object id
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
    // The text is real text, in Japanese.
    let text = Process::new("pdftotext")
        .arg(dir.path().join("label.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("セキュリティラベル") && text.contains("Skyfield AX3000 Home Router"),
        "{text}"
    );
    // Rendered by poppler, the page shows the same QR code.
    let page = dir.path().join("page");
    let st = Process::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(dir.path().join("label.pdf"))
        .arg(&page)
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(qr_codes(&page.with_extension("png")), vec![want.to_owned()]);
}

/// Runs `keygen --out DIR/NAME`, returning (key, pub) paths.
fn keygen(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let prefix = dir.join(name);
    let (code, _, err) = riskmark(&["keygen", "--out", prefix.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.pub")),
    )
}

fn verify(label: &Path, public: &Path) -> (Option<i32>, String, String) {
    riskmark(&[
        "verify",
        label.to_str().unwrap(),
        "--pub",
        public.to_str().unwrap(),
    ])
}

#[test]
fn signed_labels_verify_and_any_changed_character_breaks_them() {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "acme");
    let (_, other_pub) = keygen(keys.path(), "other");
    assert!(fs::read_to_string(&key).unwrap().contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "private key readable by others: {mode:o}");
    }
    // keygen never overwrites a key.
    let (code, _, err) = riskmark(&[
        "keygen",
        "--out",
        keys.path().join("acme").to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");

    let dir = label(
        "examples/smart-plug.toml",
        &["--sign-key", key.to_str().unwrap()],
    );
    let file = dir.path().join("label.json");
    let text = fs::read_to_string(&file).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["signature"]["payloadType"],
        "application/vnd.riskmark.label+json"
    );
    let (code, out, err) = verify(&file, &public);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("valid signature"), "{out}");

    // Another key: mismatch.
    let (code, _, err) = verify(&file, &other_pub);
    assert_eq!(code, Some(1), "{err}");

    // One changed character anywhere in the content: mismatch.
    let cases = [
        ("\"score\": 20", "\"score\": 21"),
        ("Acme Smart Plug", "Acme Smart Pluq"),
        ("\"tier\": \"low\"", "\"tier\": \"log\""),
        ("2031-12-31", "2031-12-30"),
        ("\"works_offline\": true", "\"works_offline\": fals"),
    ];
    for (from, to) in cases {
        assert!(text.contains(from), "label.json lacks {from:?}");
        let tampered = dir.path().join("tampered.json");
        fs::write(&tampered, text.replacen(from, to, 1)).unwrap();
        let (code, out, err) = verify(&tampered, &public);
        if to.ends_with("fals") {
            // No longer JSON at all: an input error.
            assert_eq!(code, Some(2), "{from}: {out}{err}");
        } else {
            assert_eq!(code, Some(1), "{from}: {out}{err}");
        }
    }
    // A member added next to the signed ones: mismatch.
    let mut added = json.clone();
    added["product"]["model"] = Value::from("SP-100X");
    let tampered = dir.path().join("added.json");
    fs::write(&tampered, serde_json::to_string_pretty(&added).unwrap()).unwrap();
    assert_eq!(verify(&tampered, &public).0, Some(1));
    // One changed character in the signature itself: mismatch.
    let sig = json["signature"]["signatures"][0]["sig"].as_str().unwrap();
    let flipped: String = sig
        .char_indices()
        .map(|(i, c)| match (i, c) {
            (5, 'A') => 'B',
            (5, _) => 'A',
            (_, c) => c,
        })
        .collect();
    fs::write(&tampered, text.replace(sig, &flipped)).unwrap();
    assert_eq!(verify(&tampered, &public).0, Some(1));
    // Reformatting the JSON does not change its content: still valid.
    fs::write(&tampered, serde_json::to_string(&json).unwrap()).unwrap();
    assert_eq!(verify(&tampered, &public).0, Some(0));
}

/// Runs openssl with `args`, returning whether it succeeded and its stdout.
fn openssl(args: &[&str], dir: &Path) -> (bool, Vec<u8>) {
    let out = Process::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.success(), out.stdout)
}

/// The signature format is what the docs say, so other tools verify it: OpenSSL checks
/// the Ed25519 signature over the DSSE PAE built here independently, Python's json module
/// reproduces the RFC 8785 payload, and a key made by OpenSSL signs labels riskmark
/// verifies.
#[test]
fn signatures_interoperate_with_openssl() {
    if !have("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A key made by OpenSSL, not by riskmark.
    assert!(openssl(&["genpkey", "-algorithm", "ed25519", "-out", "o.key"], dir).0);
    assert!(openssl(&["pkey", "-in", "o.key", "-pubout", "-out", "o.pub"], dir).0);
    let out = label(
        "examples/smart-plug.toml",
        &["--sign-key", dir.join("o.key").to_str().unwrap()],
    );
    let file = out.path().join("label.json");
    assert_eq!(verify(&file, &dir.join("o.pub")).0, Some(0));

    let json: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let env = &json["signature"];
    let payload_type = env["payloadType"].as_str().unwrap();
    for (name, b64) in [
        ("payload.b64", env["payload"].as_str().unwrap()),
        ("sig.b64", env["signatures"][0]["sig"].as_str().unwrap()),
    ] {
        fs::write(dir.join(name), b64).unwrap();
    }
    let (ok, payload) = openssl(&["base64", "-d", "-A", "-in", "payload.b64"], dir);
    assert!(ok);
    assert!(
        openssl(
            &["base64", "-d", "-A", "-in", "sig.b64", "-out", "sig.bin"],
            dir
        )
        .0
    );
    // DSSE v1 PAE, built from the spec.
    let mut pae = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    pae.extend_from_slice(&payload);
    fs::write(dir.join("pae.bin"), &pae).unwrap();
    let verify_args = [
        "pkeyutl", "-verify", "-pubin", "-inkey", "o.pub", "-rawin", "-in", "pae.bin", "-sigfile",
        "sig.bin",
    ];
    assert!(
        openssl(&verify_args, dir).0,
        "OpenSSL rejects the signature"
    );
    // One changed byte of the payload: OpenSSL rejects it too.
    let mut bad = pae.clone();
    let last = bad.len() - 2;
    bad[last] ^= 1;
    fs::write(dir.join("pae.bin"), &bad).unwrap();
    assert!(
        !openssl(&verify_args, dir).0,
        "OpenSSL accepts a changed payload"
    );

    // The payload is the label without `signature`, in RFC 8785 form (for labels, which
    // hold no floats, Python's sorted compact dump with raw UTF-8 is that form).
    let py = Process::new("python3")
        .args([
            "-c",
            "import json,sys; d=json.load(open(sys.argv[1])); d.pop('signature'); \
             sys.stdout.buffer.write(json.dumps(d, sort_keys=True, separators=(',',':'), \
             ensure_ascii=False).encode())",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(py.status.success());
    assert_eq!(
        String::from_utf8_lossy(&py.stdout),
        String::from_utf8_lossy(&payload)
    );
}

#[test]
fn verify_and_label_input_errors_exit_2_and_write_nothing() {
    let keys = tempfile::tempdir().unwrap();
    let (_, public) = keygen(keys.path(), "k");
    let unsigned = label("examples/smart-plug.toml", &[]);
    // An unsigned label, a missing file, a public key that is not one.
    let (code, _, err) = verify(&unsigned.path().join("label.json"), &public);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("signature"), "{err}");
    let (code, _, err) = verify(&keys.path().join("nope.json"), &public);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("nope.json"), "{err}");
    let bogus = keys.path().join("bogus.pub");
    fs::write(
        &bogus,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    let (code, _, err) = verify(&unsigned.path().join("label.json"), &bogus);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bogus.pub"), "{err}");

    // A bad signing key stops before anything is written.
    let out = keys.path().join("out");
    let (code, _, err) = riskmark(&[
        "label",
        "examples/smart-plug.toml",
        "--out",
        out.to_str().unwrap(),
        "--sign-key",
        bogus.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.exists());
    // A malformed profile: located error, exit 2, nothing written.
    let bad = keys.path().join("bad.toml");
    let src = fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    fs::write(
        &bad,
        src.replacen("[product]", "[product]\nmanufactuer = \"x\"", 1),
    )
    .unwrap();
    let (code, _, err) = riskmark(&[
        "label",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("bad.toml:") && err.contains("manufactuer"),
        "{err}"
    );
    assert!(!out.exists());
    // An unknown language is a usage error.
    let (code, _, _) = riskmark(&[
        "label",
        "examples/smart-plug.toml",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "xx",
    ]);
    assert_eq!(code, Some(2));
}

#[test]
fn japanese_product_names_render_and_rare_characters_are_warned_about() {
    let src = fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    assert!(src.contains("name = \"Acme Smart Plug\""));
    let tmp = tempfile::tempdir().unwrap();
    let ja = tmp.path().join("ja.toml");
    fs::write(
        &ja,
        src.replace(
            "name = \"Acme Smart Plug\"",
            "name = \"スマート電源タップ\"",
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = riskmark(&[
        "label",
        ja.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "ja",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("no glyph"), "{err}");
    if have("pdftotext") {
        let text = Process::new("pdftotext")
            .arg(out.join("label.pdf"))
            .arg("-")
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&text.stdout).contains("スマート電源タップ"),
            "kanji lost in the PDF"
        );
    }
    // A character outside the fonts is named, with its field, and the label still made.
    let rare = tmp.path().join("rare.toml");
    fs::write(
        &rare,
        src.replace("name = \"Acme Smart Plug\"", "name = \"𠮷 Plug\""),
    )
    .unwrap();
    let (code, _, err) = riskmark(&[
        "label",
        rare.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("product.name") && err.contains("U+20BB7") && err.contains("no glyph"),
        "{err}"
    );
}

#[test]
fn vex_and_policy_reach_the_label() {
    let read = |d: &tempfile::TempDir| -> Value {
        serde_json::from_str(&fs::read_to_string(d.path().join("label.json")).unwrap()).unwrap()
    };
    let plain = read(&label("examples/home-router.toml", &[]));
    let vexed = read(&label(
        "examples/home-router.toml",
        &["--vex", "examples/sbom/home-router-firmware.openvex.json"],
    ));
    let (p, v) = (
        &plain["known_vulnerabilities"],
        &vexed["known_vulnerabilities"],
    );
    assert_eq!(p["suppressed"], 0, "{p}");
    let suppressed = v["suppressed"].as_u64().unwrap();
    assert!(suppressed > 0, "{v}");
    assert_eq!(
        v["active"].as_u64().unwrap() + suppressed,
        p["active"].as_u64().unwrap(),
        "suppressed findings leave the active count"
    );
    // A policy file that does not load: exit 2 naming it, nothing written.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("policy.toml");
    fs::write(&bad, "[tiers]\nmedium = \"x\"\n").unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = riskmark(&[
        "label",
        "examples/home-router.toml",
        "--out",
        out.to_str().unwrap(),
        "--policy",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("policy.toml"), "{err}");
    assert!(!out.exists());
}

#[test]
fn label_json_snapshots() {
    for (name, profile, extra) in [
        ("smart-plug", "examples/smart-plug.toml", &[][..]),
        (
            "home-router-de",
            "examples/home-router.toml",
            &["--lang", "de"][..],
        ),
        ("vehicle-ecu", "examples/vehicle-ecu.toml", &[][..]),
    ] {
        let dir = label(profile, extra);
        let mut json: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("label.json")).unwrap())
                .unwrap();
        json["tool"]["version"] = Value::from("[version]");
        // The router's profile names its firmware SBOM: the label counts what it found
        // (the curated set knows curl, dnsmasq and BusyBox issues); the others scan none.
        if name.starts_with("home-router") {
            let k = &json["known_vulnerabilities"];
            assert!(
                k["active"].as_u64().unwrap() > 0 && k["kev"].as_u64().is_some(),
                "{k}"
            );
        } else {
            assert!(json.get("known_vulnerabilities").is_none(), "{name}");
        }
        insta::assert_json_snapshot!(format!("label-{name}"), json);
    }
}

#[test]
fn the_html_layer_is_accessible_and_renders_in_chromium_without_console_errors() {
    let dir = label("examples/home-router.toml", &["--lang", "de"]);
    let html_file = dir.path().join("label.html");
    let html = fs::read_to_string(&html_file).unwrap();
    // Works without JavaScript, real text, no outside resources.
    assert!(!html.contains("<script"), "the page needs no JavaScript");
    assert!(!html.contains("<img"), "text, not images of text");
    for attr in ["src=\"http", "href=\"http://", "@import", "url(http"] {
        assert!(!html.contains(attr), "outside resource: {attr}");
    }
    let text = text_of(&html);
    for w in ["Sicherheitsupdates", "CVE-", "Skyfield AX3000 Home Router"] {
        assert!(text.contains(w), "no {w:?}");
    }
    if !have("chromium") {
        return;
    }
    chromium_sees_console_errors(dir.path());
    let (dom, console) = chromium(&html_file);
    assert_eq!(console, Vec::<String>::new());
    assert!(
        dom.contains("<html lang=\"de\""),
        "{}",
        &dom[..dom.len().min(300)]
    );
    assert!(dom.contains("Skyfield AX3000 Home Router"));
}

/// A label never claims a failure that did not happen: a framework with no failing
/// mandatory control but some without evidence says "evidence needed" (its own word in
/// each language), a failing one "does not meet", in label.json, the SVG and the PDF.
#[test]
fn missing_evidence_is_not_a_failure_on_the_label() {
    let words = [
        ("en", "Evidence needed", "Does not meet"),
        ("de", "Nachweis fehlt", "Nicht erfüllt"),
        ("fr", "Preuves à fournir", "Non conforme"),
        ("es", "Faltan pruebas", "No cumple"),
        ("ja", "証拠が必要", "不適合"),
    ];
    // The smart bulb: UK PSTI lacks evidence only; EN 303 645 has failing provisions.
    for (lang, evidence, fails) in words {
        let dir = label("examples/smart-bulb.toml", &["--lang", lang]);
        let json: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("label.json")).unwrap())
                .unwrap();
        for r in json["requirements"].as_array().unwrap() {
            let (failing, missing) = (
                r["mandatory_failing"].as_u64().unwrap(),
                r["mandatory_needing_evidence"].as_u64().unwrap(),
            );
            let want = match (r["applies"].as_bool().unwrap(), failing, missing) {
                (false, _, _) => "not-applicable",
                _ if r.get("level").is_some() => continue,
                (true, 0, 0) => "meets",
                (true, 0, _) => "evidence-needed",
                _ => "does-not-meet",
            };
            assert_eq!(r["outcome"], want, "{lang} {r}");
        }
        let psti = &json["requirements"][0];
        assert_eq!(
            (psti["framework"].as_str(), psti["outcome"].as_str()),
            (Some("uk-psti"), Some("evidence-needed"))
        );
        let svg = text_of(&fs::read_to_string(dir.path().join("label.svg")).unwrap());
        assert!(svg.contains(evidence), "{lang}: {svg}");
        assert!(
            svg.contains(fails),
            "{lang}: the failing framework still says so"
        );
        if have("pdftotext") {
            let out = Process::new("pdftotext")
                .args(["-enc", "UTF-8"])
                .arg(dir.path().join("label.pdf"))
                .arg("-")
                .output()
                .unwrap();
            let text: String = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let want: String = evidence.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&want) || lang == "ja", "{lang}: {text}");
        }
    }
}

/// label.svg needs no font where it is opened: every glyph is a path drawn from the
/// embedded fonts (it named 'Noto Sans CJK JP' and looked different without it); its words
/// stay in <title> and <desc> for screen readers, and it opens in Chromium without errors.
#[test]
fn the_svg_label_draws_its_own_glyphs_and_keeps_its_words() {
    for lang in ["en", "ja"] {
        let dir = label("examples/smart-plug.toml", &["--lang", lang]);
        let svg = fs::read_to_string(dir.path().join("label.svg")).unwrap();
        assert!(
            !svg.contains("<text"),
            "{lang}: text left to the reader's fonts"
        );
        assert!(!svg.contains("font-family"), "{lang}");
        assert!(
            svg.matches("<path").count() >= 20 && svg.len() > 100_000,
            "{lang}: glyphs are paths"
        );
        assert!(svg.contains("role=\"img\"") && svg.contains(&format!("lang=\"{lang}\"")));
        let desc = &svg[svg.find("<desc").unwrap()..svg.find("</desc>").unwrap()];
        assert!(
            desc.contains("Acme Smart Plug") && desc.contains("SP-100"),
            "{desc}"
        );
        if have("chromium") {
            chromium_sees_console_errors(dir.path());
            let (_, console) = chromium(&dir.path().join("label.svg"));
            assert_eq!(console, Vec::<String>::new(), "{lang}");
        }
    }
}

/// A translated details page marks the catalogs' English titles and reasons as English
/// (the catalogs carry no translations), keeps ids on one line, and says in its own
/// language when no lab tested the product.
#[test]
fn translated_details_mark_english_and_name_the_missing_lab() {
    let dir = label("examples/home-router.toml", &["--lang", "de"]);
    let html = fs::read_to_string(dir.path().join("label.html")).unwrap();
    assert!(html.contains("<html lang=\"de\""));
    assert!(
        html.contains("<span class=\"id\">ACM-1</span> <span lang=\"en\">"),
        "control titles marked English"
    );
    assert!(html.contains("<li lang=\"en\">"), "reasons marked English");
    assert!(html.contains(".id { font-family: ui-monospace, monospace; white-space: nowrap; }"));
    let bulb = label("examples/smart-bulb.toml", &["--lang", "de"]);
    let bulb = fs::read_to_string(bulb.path().join("label.html")).unwrap();
    assert!(
        bulb.contains("Keines: die Angaben sind eine Erklärung des Herstellers"),
        "the lab field says no lab tested it"
    );
    let en = label("examples/home-router.toml", &[]);
    let html = fs::read_to_string(en.path().join("label.html")).unwrap();
    assert!(
        !html.contains("lang=\"en\">Access control"),
        "no marking needed in English"
    );
}

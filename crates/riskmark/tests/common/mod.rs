//! Helpers shared by the CLI tests: running riskmark from the repository root, and
//! external tools such as headless Chromium (installed by `.ci/setup.d/label.sh`;
//! required in CI).

#![allow(dead_code, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

/// The repository root (examples are named relative to it).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// riskmark to run from the repository root.
pub(crate) fn command() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("riskmark").unwrap();
    c.current_dir(root());
    c
}

/// riskmark to run from the repository root with its default database location in
/// `home` (an empty directory: the embedded curated set answers).
pub(crate) fn command_in(home: &Path) -> assert_cmd::Command {
    let mut c = command();
    c.env("RISKMARK_DB", home).env_remove("XDG_DATA_HOME");
    c
}

/// riskmark run from the repository root, its default database pointed at an empty
/// directory (so the embedded curated set answers): exit code, stdout, stderr.
pub(crate) fn riskmark(args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = command_in(home.path()).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether an external tool answers `--version` (`-v` for poppler's, `version` for
/// OpenSSL); in CI its
/// absence fails the test, elsewhere the test notes it and skips that part.
pub(crate) fn have(tool: &str) -> bool {
    let flag = match tool {
        "pdftoppm" | "pdffonts" | "pdftotext" => "-v",
        "openssl" => "version",
        _ => "--version",
    };
    let ok = Process::new(tool)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("{tool} not installed (run .ci/setup.d/label.sh)"));
    }
    ok
}

/// A reference tool or data set a test needs is missing: in CI (`CI=true`) the test
/// fails; elsewhere it says so on the terminal (written to stderr directly, which the
/// test harness does not capture, so a skip is never silent) and the caller skips.
pub(crate) fn missing(what: &str) {
    use std::io::Write as _;
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}: required in CI"
    );
    let _ = writeln!(std::io::stderr(), "note: skipped: {what}");
}

/// Opens a local HTML file in headless Chromium; returns the DOM after load and the
/// console messages the page logged (errors, uncaught exceptions, CSP violations).
pub(crate) fn chromium(file: &Path) -> (String, Vec<String>) {
    chromium_url(&format!("file://{}", file.display()))
}

/// Opens a URL (a local file, or a server on the loopback interface) in headless
/// Chromium; returns the DOM after load and the console messages the page logged.
pub(crate) fn chromium_url(url: &str) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let out = Process::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed on {url}");
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// Checks that [`chromium`] sees console errors at all, so that its silence means
/// something.
pub(crate) fn chromium_sees_console_errors(dir: &Path) {
    let broken = dir.join("broken.html");
    std::fs::write(
        &broken,
        "<!doctype html><html lang=\"en\"><title>x</title><script>nosuch()</script></html>",
    )
    .unwrap();
    let (_, console) = chromium(&broken);
    assert!(!console.is_empty(), "console detector is blind");
}

/// `../shared/data` beside the repository (the real SBOMs and OSV archives).
pub(crate) fn shared_data() -> PathBuf {
    root().join("../shared/data")
}

/// Real SBOMs from `../shared/data/sboms` that have findings in the shared OSV archives:
/// syft SPDX (tag-value and JSON, with Go CPEs that need quoting), CycloneDX, and an
/// Alpine/Python base image.
pub(crate) const REAL_SBOMS: [&str; 8] = [
    "in-the-wild/spdx/grype-sbom.spdx",
    "in-the-wild/spdx/chronicle-sbom.spdx.json",
    "in-the-wild/spdx/flux_0.26.3_sbom.spdx.json",
    "in-the-wild/spdx/kustomizer_2.1.0_sbom.spdx",
    "in-the-wild/spdx/flagger_1.18.0_sbom.spdx.json",
    "in-the-wild/cyclonedx/harp-darwin-amd64.sbom.json",
    "in-the-wild/cyclonedx/kawipiko-sbom-cdx.json",
    "iot-base-images/spdx-trivy-balenalib_artik530-alpine-python-1a281557bf71.spdx.json",
];

/// A vulnerability database in `home/osv` built from the three shared OSV archives, or
/// `None` (a note; a failure in CI) when `../shared` is absent.
pub(crate) fn shared_osv_db(home: &Path) -> Option<PathBuf> {
    let osv = shared_data().join("osv");
    if !osv.is_dir() {
        missing("../shared/data (the real SBOMs and OSV archives)");
        return None;
    }
    let db = home.join("osv");
    let mut import = command_in(home);
    import.args(["db", "import", "--db"]).arg(&db);
    for z in ["Go.zip", "PyPI.zip", "crates.io.zip"] {
        import.arg(osv.join(z));
    }
    let out = import.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(db)
}

//! Store faults (issue #14): `riskmark db import` and registry submissions killed with
//! SIGKILL at random points,
//! 50 times; a full disk (a small tmpfs); a read-only database directory. After each
//! fault the database opens, answers exactly as before the failed import (nothing
//! committed is lost, nothing half-written is seen), and the next import completes.
//!
//! The records are vulndb's Go fixture (real OSV records, see its PROVENANCE.md),
//! replicated with renamed ids, aliases and package names so an import takes long
//! enough to be interrupted.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::command_in as riskmark;

fn fixture() -> PathBuf {
    common::root().join("crates/vulndb/tests/fixtures/osv/Go")
}

/// An OSV zip of `n` copies of GO-2023-2102, each with its own id, aliases and package.
fn big_zip(path: &Path, n: usize) {
    let base: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture().join("GO-2023-2102.json")).unwrap())
            .unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    for i in 0..n {
        let mut r = base.clone();
        r["id"] = format!("GO-FAULT-{i:06}").into();
        r["aliases"] = serde_json::json!([format!("CVE-9999-{i:06}")]);
        r["related"] = serde_json::json!([]);
        for a in r["affected"].as_array_mut().unwrap() {
            let name = a["package"]["name"].as_str().unwrap().to_owned();
            a["package"]["name"] = format!("example.com/fault{i}/{name}").into();
        }
        zip.start_file(format!("GO-FAULT-{i:06}.json"), o).unwrap();
        zip.write_all(r.to_string().as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const SBOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
{"type":"library","name":"golang.org/x/net","version":"0.10.0","purl":"pkg:golang/golang.org/x/net@0.10.0"},
{"type":"library","name":"example.com/fault7/golang.org/x/net","version":"0.10.0","purl":"pkg:golang/example.com/fault7/golang.org/x/net@0.10.0"}]}"#;

/// The (component, id) pairs `vulns` finds with the database in `db`; `None` when it does
/// not run cleanly.
fn findings(home: &Path, db: &Path, sbom: &Path) -> Option<Vec<(String, String)>> {
    let out = riskmark(home)
        .args(["vulns", "--format", "json", "--db"])
        .arg(db)
        .arg(sbom)
        .output()
        .unwrap();
    if out.status.code() != Some(0) {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let mut f: Vec<(String, String)> = v["findings"]
        .as_array()?
        .iter()
        .map(|x| {
            (
                x["purl"].as_str().unwrap_or("").to_owned(),
                x["id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    f.sort();
    Some(f)
}

fn import(home: &Path, db: &Path, input: &Path) -> (Option<i32>, String) {
    let out = riskmark(home)
        .args(["db", "import", "--db"])
        .arg(db)
        .arg(input)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small xorshift: the kill points, reproducible from the printed seed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

struct Setup {
    home: tempfile::TempDir,
    big: PathBuf,
    sbom: PathBuf,
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
    import_time: Duration,
}

/// The inputs, and the answers of a database with the base records only (`before`) and
/// with the big archive too (`after`), from clean imports.
fn setup(records: usize) -> Setup {
    let home = tempfile::tempdir().unwrap();
    let big = home.path().join("big.zip");
    big_zip(&big, records);
    let sbom = home.path().join("sbom.cdx.json");
    std::fs::write(&sbom, SBOM).unwrap();
    let reference = home.path().join("reference");
    assert_eq!(import(home.path(), &reference, &fixture()).0, Some(0));
    let before = findings(home.path(), &reference, &sbom).unwrap();
    let t = Instant::now();
    let (code, err) = import(home.path(), &reference, &big);
    let import_time = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let after = findings(home.path(), &reference, &sbom).unwrap();
    assert!(
        !before.is_empty() && after.len() > before.len(),
        "{before:?} {after:?}"
    );
    Setup {
        home,
        big,
        sbom,
        before,
        after,
        import_time,
    }
}

#[test]
fn kill_9_during_db_import_loses_nothing_and_the_next_import_completes() {
    let s = setup(6000);
    let home = s.home.path();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    // Within the time a whole import takes (process start included), so most kills land
    // while it runs.
    let window = (s.import_time.as_millis() as u64 * 9 / 10).max(1);
    let bin = assert_cmd::cargo::cargo_bin("riskmark");
    let (mut killed, mut finished) = (0, 0);
    for trial in 0..50 {
        let db = home.join(format!("db{trial}"));
        assert_eq!(import(home, &db, &fixture()).0, Some(0));
        let mut child = Command::new(&bin)
            .args(["db", "import", "--db"])
            .arg(&db)
            .arg(&s.big)
            .env("RISKMARK_DB", home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = rng.below(window);
        std::thread::sleep(Duration::from_millis(at));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        } else {
            finished += 1;
        }
        let _ = child.wait();
        // The database opens and answers as before the import, or as after it: never a
        // mix, never an error.
        let now = findings(home, &db, &s.sbom).unwrap_or_else(|| {
            panic!("trial {trial} (seed {seed}, kill at {at} ms): the database does not answer")
        });
        assert!(
            now == s.before || now == s.after,
            "trial {trial} (seed {seed}, kill at {at} ms): {} findings, expected {} or {}",
            now.len(),
            s.before.len(),
            s.after.len()
        );
        // The next import completes it.
        let (code, err) = import(home, &db, &s.big);
        assert_eq!(code, Some(0), "trial {trial} (seed {seed}): {err}");
        assert_eq!(
            findings(home, &db, &s.sbom).unwrap(),
            s.after,
            "trial {trial} (seed {seed})"
        );
        let _ = std::fs::remove_dir_all(&db);
    }
    // Most kills must land while the import runs, or the loop tests nothing.
    assert!(
        killed >= 25,
        "only {killed} of 50 kills interrupted an import ({finished} had finished)"
    );
}

/// Mounts a filesystem for the test (as root); `None`, with a note, where mounting is not
/// permitted.
struct Mount(PathBuf);

impl Mount {
    fn new(target: &Path, args: &[&str]) -> Option<Self> {
        std::fs::create_dir_all(target).unwrap();
        let ok = Command::new("mount")
            .args(args)
            .arg(target)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = writeln!(
                std::io::stderr(),
                "note: skipped: mounting {} is not permitted here",
                target.display()
            );
            return None;
        }
        Some(Self(target.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_database_is_kept() {
    let s = setup(6000);
    let home = s.home.path();
    let small = home.join("small");
    let Some(_m) = Mount::new(&small, &["-t", "tmpfs", "-o", "size=1m", "tmpfs"]) else {
        return;
    };
    let db = small.join("db");
    let (code, err) = import(home, &db, &fixture());
    assert_eq!(code, Some(0), "the base records fit in 1 MiB: {err}");
    let (code, err) = import(home, &db, &s.big);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.to_lowercase().contains("full") || err.contains("No space left"),
        "{err}"
    );
    assert!(
        err.contains(db.to_str().unwrap()) || err.contains("vulndb"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // What was committed before is there, and answers as before.
    assert_eq!(findings(home, &db, &s.sbom).as_ref(), Some(&s.before));
}

#[test]
fn a_read_only_database_directory_still_answers_and_an_import_is_refused() {
    let s = setup(200);
    let home = s.home.path();
    let src = home.join("rw");
    assert_eq!(import(home, &src, &fixture()).0, Some(0));
    let ro = home.join("ro");
    let Some(_bind) = Mount::new(&ro, &["--bind", src.to_str().unwrap()]) else {
        return;
    };
    // Remounted read-only in place (unmounting the bind mount undoes both).
    let ok = Command::new("mount")
        .args(["-o", "remount,ro,bind"])
        .arg(&ro)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let _ = writeln!(
            std::io::stderr(),
            "note: skipped: no read-only remount here"
        );
        return;
    }
    let answers = findings(home, &ro, &s.sbom);
    assert_eq!(
        answers.as_ref(),
        Some(&s.before),
        "a read-only database must be readable"
    );
    let (code, err) = import(home, &ro, &s.big);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.to_lowercase().contains("read-only"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(findings(home, &ro, &s.sbom).as_ref(), Some(&s.before));
}

/// A `riskmark serve` on a SQLite registry; its base URL.
fn serve(home: &Path, database: &Path) -> (std::process::Child, String) {
    use std::io::BufRead as _;
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("riskmark"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(database)
        .env("RISKMARK_DB", home)
        .env_remove("XDG_DATA_HOME")
        .current_dir(common::root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    std::thread::spawn(move || for _ in lines {});
    let base = first
        .strip_prefix("riskmark registry on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    (child, base)
}

fn curl(args: &[&str]) -> Command {
    let mut c = Command::new("curl");
    c.args(["-sS", "--max-time", "20"]).args(args);
    c
}

/// Submissions to `riskmark serve` killed with SIGKILL at random points, 50 times: the
/// registry restarts, the device reads back whole with either the versions it had or one
/// more, and the next submission completes.
#[test]
fn kill_9_during_a_registry_submission_loses_nothing() {
    if !common::have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let db = h.join("registry.sqlite");
    let db_s = db.to_str().unwrap();
    let (code, _, err) = {
        let o = riskmark(h)
            .args([
                "registry",
                "org",
                "create",
                "Skyfield",
                "--role",
                "manufacturer",
                "--database",
                db_s,
            ])
            .output()
            .unwrap();
        (
            o.status.code(),
            (),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert_eq!(code, Some(0), "{err}");
    let o = riskmark(h)
        .args([
            "registry",
            "token",
            "create",
            "--org",
            "Skyfield",
            "--database",
            db_s,
        ])
        .output()
        .unwrap();
    let token = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    let auth = format!("Authorization: Bearer {token}");
    let profile =
        std::fs::read_to_string(common::root().join("examples/home-router.toml")).unwrap();
    let write_profile = |trial: usize| {
        let p = h.join(format!("router-{trial}.toml"));
        let text = profile.replacen(
            "firmware_version = \"",
            &format!("firmware_version = \"9.{trial}."),
            1,
        );
        assert_ne!(text, profile, "the example has a firmware_version");
        std::fs::write(&p, text).unwrap();
        p
    };
    let post = |base: &str, p: &Path| {
        curl(&[
            "-H",
            &auth,
            "-F",
            &format!("profile=@{}", p.display()),
            "-F",
            "sbom=@examples/sbom/home-router-firmware.cdx.json",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("{base}/api/v1/devices"),
        ])
        .current_dir(common::root())
        .output()
        .unwrap()
    };
    let versions = |base: &str, id: &str| -> Option<usize> {
        let o = curl(&[&format!("{base}/api/v1/devices/{id}")])
            .output()
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).ok()?;
        v["versions"].as_array().map(Vec::len)
    };
    // A first submission, timed; the device's id.
    let (mut server, base) = serve(h, &db);
    let first = write_profile(1000);
    let t = Instant::now();
    let o = curl(&[
        "-H",
        &auth,
        "-F",
        &format!("profile=@{}", first.display()),
        "-F",
        "sbom=@examples/sbom/home-router-firmware.cdx.json",
        &format!("{base}/api/v1/devices"),
    ])
    .current_dir(common::root())
    .output()
    .unwrap();
    let took = t.elapsed().as_millis() as u64;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stdout)));
    let id = v["id"].as_str().unwrap().to_owned();
    let mut have = versions(&base, &id).unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut interrupted = 0;
    for trial in 0..50 {
        let (mut server, base) = serve(h, &db);
        let p = write_profile(trial);
        let req = curl(&[
            "-H",
            &auth,
            "-F",
            &format!("profile=@{}", p.display()),
            "-F",
            "sbom=@examples/sbom/home-router-firmware.cdx.json",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("{base}/api/v1/devices"),
        ])
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        let at = rng.below(took + 20);
        std::thread::sleep(Duration::from_millis(at));
        server.kill().unwrap(); // SIGKILL
        let _ = server.wait();
        let code = {
            let out = req.wait_with_output().unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        if !code.starts_with('2') {
            interrupted += 1;
        }
        // It restarts; the device reads back whole, with what it had or one more version.
        let (mut server, base) = serve(h, &db);
        let now = versions(&base, &id).unwrap_or_else(|| {
            panic!("trial {trial} (seed {seed}, kill at {at} ms): the device does not read back")
        });
        assert!(
            now == have || now == have + 1,
            "trial {trial} (seed {seed}, kill at {at} ms): {now} versions, had {have}"
        );
        // The next submission completes.
        let o = post(&base, &p);
        assert!(
            String::from_utf8_lossy(&o.stdout).starts_with('2'),
            "trial {trial}: {:?}",
            o
        );
        have = versions(&base, &id).unwrap();
        let _ = server.kill();
        let _ = server.wait();
    }
    assert!(
        interrupted >= 10,
        "only {interrupted} of 50 kills interrupted a submission"
    );
}

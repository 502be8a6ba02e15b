//! Store faults (issue #14): `riskmark db import` and registry submissions killed with
//! SIGKILL at random points,
//! 50 times; a full disk (a small tmpfs); a read-only database directory. After each
//! fault the database opens, answers exactly as before the failed import (nothing
//! committed is lost, nothing half-written is seen), and the next import completes.
//!
//! The records are vulndb's Go fixture (real OSV records, see its PROVENANCE.md),
//! replicated with renamed ids, aliases and package names so an import takes long
//! enough to be interrupted.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::command_in as riskmark;
#[path = "../../fetch/tests/common/server.rs"]
mod server;

fn fixture() -> PathBuf {
    common::root().join("crates/vulndb/tests/fixtures/osv/Go")
}

/// Copy `i` of an OSV record: id `GO-FAULT-<i>`, its own alias, and its packages renamed
/// `example.com/fault<i>/<name>`.
fn replica(base: &serde_json::Value, i: usize) -> serde_json::Value {
    let mut r = base.clone();
    r["id"] = format!("GO-FAULT-{i:06}").into();
    r["aliases"] = serde_json::json!([format!("CVE-9999-{i:06}")]);
    r["related"] = serde_json::json!([]);
    for a in r["affected"].as_array_mut().unwrap() {
        let name = a["package"]["name"].as_str().unwrap().to_owned();
        a["package"]["name"] = format!("example.com/fault{i}/{name}").into();
    }
    r
}

/// An OSV zip of `n` copies of GO-2023-2102, each with its own id, aliases and package;
/// with `with_fixture`, the fixture's own records too (a whole ecosystem's archive, as a mirror
/// serves it).
fn big_zip(path: &Path, n: usize, with_fixture: bool) {
    let base: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture().join("GO-2023-2102.json")).unwrap())
            .unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    for f in std::fs::read_dir(fixture())
        .unwrap()
        .filter(|_| with_fixture)
    {
        let f = f.unwrap();
        zip.start_file(f.file_name().to_string_lossy(), o).unwrap();
        zip.write_all(&std::fs::read(f.path()).unwrap()).unwrap();
    }
    for i in 0..n {
        let r = replica(&base, i);
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
/// A seed from the clock (printed by each loop's failures, to replay a trial).
fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1
}

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
    big_zip(&big, records, false);
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

/// Starts `db import --db DB INPUT`, kills it (SIGKILL) `at` ms later unless it has
/// ended, and waits for it; whether the kill interrupted it.
fn import_killed_at(home: &Path, db: &Path, input: &Path, at: u64) -> bool {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("riskmark"))
        .args(["db", "import", "--db"])
        .arg(db)
        .arg(input)
        .env("RISKMARK_DB", home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(at));
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap();
    }
    let _ = child.wait();
    killed
}

#[test]
fn kill_9_during_db_import_loses_nothing_and_the_next_import_completes() {
    let s = setup(6000);
    let home = s.home.path();
    let seed = clock_seed();
    let mut rng = Rng(seed);
    // Within the time a whole import takes (process start included), so most kills land
    // while it runs.
    let window = (s.import_time.as_millis() as u64 * 9 / 10).max(1);
    let (mut killed, mut finished) = (0, 0);
    for trial in 0..50 {
        let db = home.join(format!("db{trial}"));
        assert_eq!(import(home, &db, &fixture()).0, Some(0));
        let at = rng.below(window);
        if import_killed_at(home, &db, &s.big, at) {
            killed += 1;
        } else {
            finished += 1;
        }
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

/// What `vulns` answers with the database at its default location `dir` (no `--db`):
/// exit code and the (component, id) pairs.
fn findings_at_default(dir: &Path, sbom: &Path) -> (Option<i32>, Vec<(String, String)>, String) {
    let out = riskmark(dir)
        .args(["vulns", "--format", "json"])
        .arg(sbom)
        .output()
        .unwrap();
    let mut f: Vec<(String, String)> = serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|v| {
            Some(
                v["findings"]
                    .as_array()?
                    .iter()
                    .map(|x| {
                        (
                            x["purl"].as_str().unwrap_or("").to_owned(),
                            x["id"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    f.sort();
    (
        out.status.code(),
        f,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn kill_9_during_a_first_import_leaves_no_database_or_the_whole_one() {
    // A first import writes in rollback-journal mode straight into the new file: a kill
    // leaves a file with uncommitted pages and a journal. Readers must never read those
    // pages: the default location answers from the embedded set (as with no database),
    // a named one says the import did not finish, and the next import completes it.
    let s = setup(6000);
    let home = s.home.path();
    let reference = home.join("first-reference");
    let t = Instant::now();
    assert_eq!(import(home, &reference, &s.big).0, Some(0));
    let window = (t.elapsed().as_millis() as u64 * 9 / 10).max(1);
    let (code, whole, err) = findings_at_default(&reference, &s.sbom);
    assert_eq!(code, Some(0), "{err}");
    let empty = home.join("no-database");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, embedded, err) = findings_at_default(&empty, &s.sbom);
    assert_eq!(code, Some(0), "{err}");
    assert_ne!(whole, embedded, "the imported records must show");
    let seed = clock_seed();
    let mut rng = Rng(seed);
    let (mut killed, mut unfinished) = (0, 0);
    for trial in 0..50 {
        let db = home.join(format!("first{trial}"));
        let at = rng.below(window);
        if import_killed_at(home, &db, &s.big, at) {
            killed += 1;
        }
        let ctx = format!("trial {trial} (seed {seed}, kill at {at} ms)");
        let journal = db.join("vulndb.sqlite-journal").exists();
        // Named with --db: the whole database, or an error that says the import did not
        // finish (never a partial answer, never another error).
        let named = findings(home, &db, &s.sbom);
        if named.is_none() {
            let out = riskmark(home)
                .args(["vulns", "--db"])
                .arg(&db)
                .arg(&s.sbom)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{ctx}: {err}");
            assert!(
                err.contains("no vulnerability database at")
                    || err.contains("its first import did not finish"),
                "{ctx}: {err}"
            );
            unfinished += 1;
        } else {
            assert_eq!(named.as_ref(), Some(&whole), "{ctx}");
        }
        // At the default location: the whole database, or the embedded set.
        let (code, now, err) = findings_at_default(&db, &s.sbom);
        assert_eq!(code, Some(0), "{ctx} (journal left: {journal}): {err}");
        assert!(
            now == whole || now == embedded,
            "{ctx}: {} findings, expected {} (imported) or {} (embedded)",
            now.len(),
            whole.len(),
            embedded.len()
        );
        // The next import completes it.
        let (code, err) = import(home, &db, &s.big);
        assert_eq!(code, Some(0), "{ctx}: {err}");
        assert_eq!(findings_at_default(&db, &s.sbom).1, whole, "{ctx}");
        let _ = std::fs::remove_dir_all(&db);
    }
    assert!(
        killed >= 25 && unfinished >= 10,
        "only {killed} of 50 kills interrupted a first import, {unfinished} left it unfinished"
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

/// A `riskmark serve` process, killed (SIGKILL) when dropped, also when a test fails.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `riskmark serve` on a SQLite registry; its base URL.
fn serve(home: &Path, database: &Path) -> (Served, String) {
    serve_with(home, database, &[])
}

/// [`serve`] with more arguments.
fn serve_with(home: &Path, database: &Path, args: &[&str]) -> (Served, String) {
    use std::io::BufRead as _;
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("riskmark"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(database)
        .args(args)
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
    (Served(child), base)
}

fn curl(args: &[&str]) -> Command {
    let mut c = Command::new("curl");
    c.args(["-sS", "--max-time", "20"]).args(args);
    c
}

/// A registry at `db` with one manufacturer, Skyfield; a token of it.
fn registry_token(home: &Path, db: &Path) -> String {
    let db = db.to_str().unwrap();
    let o = riskmark(home)
        .args([
            "registry",
            "org",
            "create",
            "Skyfield",
            "--role",
            "manufacturer",
        ])
        .args(["--database", db])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = riskmark(home)
        .args([
            "registry",
            "token",
            "create",
            "--org",
            "Skyfield",
            "--database",
            db,
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

/// curl run from the repository root: the HTTP status (0 when there was no answer) and
/// the body.
fn http(args: &[&str]) -> (u16, String) {
    let o = curl(args)
        .args(["-w", "\n%{http_code}"])
        .current_dir(common::root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", &text));
    (code.trim().parse().unwrap_or(0), body.to_owned())
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
    let auth = format!("Authorization: Bearer {}", registry_token(h, &db));
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
    let (server, base) = serve(h, &db);
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
    drop(server);
    let seed = clock_seed();
    let mut rng = Rng(seed);
    let mut interrupted = 0;
    for trial in 0..50 {
        let (server, base) = serve(h, &db);
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
        drop(server); // SIGKILL
        let code = {
            let out = req.wait_with_output().unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        if !code.starts_with('2') {
            interrupted += 1;
        }
        // It restarts; the device reads back whole, with what it had or one more version.
        let (server, base) = serve(h, &db);
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
        drop(server);
    }
    assert!(
        interrupted >= 10,
        "only {interrupted} of 50 kills interrupted a submission"
    );
}

/// A submission past the registry's 32 MiB body limit, as multipart and as JSON: HTTP 413
/// with a message that names the limit; the server keeps answering, and nothing stored
/// changes.
#[test]
fn a_body_over_the_registry_limit_is_413_and_nothing_changes() {
    if !common::have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let db = h.join("registry.sqlite");
    let auth = format!("Authorization: Bearer {}", registry_token(h, &db));
    let (server, base) = serve(h, &db);
    let devices = format!("{base}/api/v1/devices");
    let (code, body) = http(&[
        "-H",
        &auth,
        "-F",
        "profile=@examples/home-router.toml",
        "-F",
        "sbom=@examples/sbom/home-router-firmware.cdx.json",
        &devices,
    ]);
    assert_eq!(code, 201, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let device = format!("{devices}/{id}");
    let stored = || {
        (
            http(&[&device]),
            http(&[&devices]),
            http(&[&format!("{base}/d/{id}")]),
        )
    };
    let before = stored();
    assert_eq!((before.0.0, before.1.0, before.2.0), (200, 200, 200));

    // 33 MiB: an SBOM part (multipart), and the same SBOM inline in a JSON submission.
    const SBOM_HEAD: &str =
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[]"#;
    let padding = vec![b' '; 33 << 20];
    let sbom = h.join("big.cdx.json");
    std::fs::write(&sbom, [SBOM_HEAD.as_bytes(), &padding, b"}"].concat()).unwrap();
    let profile =
        std::fs::read_to_string(common::root().join("examples/home-router.toml")).unwrap();
    let json = h.join("big.json");
    let head = format!(
        r#"{{"profile":{},"sbom":{SBOM_HEAD}"#,
        serde_json::json!(profile)
    );
    std::fs::write(&json, [head.as_bytes(), &padding, b"}}"].concat()).unwrap();
    drop(padding);
    let sbom_part = format!("sbom=@{}", sbom.display());
    let json_body = format!("@{}", json.display());
    let attestations = format!("{device}/attestations");
    let json_type = "Content-Type: application/json";
    let attempts: [(&str, Vec<&str>); 3] = [
        (
            "multipart",
            vec![
                "-F",
                "profile=@examples/home-router.toml",
                "-F",
                &sbom_part,
                &devices,
            ],
        ),
        (
            "json",
            vec!["-H", json_type, "--data-binary", &json_body, &devices],
        ),
        (
            "attestation",
            vec!["-H", json_type, "--data-binary", &json_body, &attestations],
        ),
    ];
    for (what, args) in &attempts {
        let mut a = vec!["-H", auth.as_str()];
        a.extend(args.iter().copied());
        let (code, body) = http(&a);
        assert_eq!(code, 413, "{what}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{what}: not a JSON error: {body}"));
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(msg.contains("32 MiB"), "{what}: {body}");
        // The server is up and answers the next request; nothing stored changed.
        assert_eq!(http(&[&format!("{base}/healthz")]), (200, "ok\n".into()));
        assert_eq!(stored(), before, "{what}");
    }
    drop(server);
}

/// A TCP relay in front of a test mirror: it passes the answers on in 16 KiB steps,
/// `step` microseconds apart (a slow link, so kills land in the download as well as in
/// the import; 0: at full speed). The mirror behind it may be replaced (a fresh test server per
/// trial) while the relay's address, which the downloads' validators remember, stays.
struct Relay {
    addr: SocketAddr,
    upstream: Arc<Mutex<SocketAddr>>,
    step: Arc<AtomicU64>,
    /// When the last answer was passed on whole, and its size (head and body).
    done: Arc<Mutex<Option<(Instant, usize)>>>,
    stop: Arc<AtomicBool>,
}

impl Relay {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let relay = Self {
            addr: listener.local_addr().unwrap(),
            upstream: Arc::new(Mutex::new(listener.local_addr().unwrap())),
            step: Arc::default(),
            done: Arc::default(),
            stop: Arc::default(),
        };
        let (upstream, step, done, stop) = (
            relay.upstream.clone(),
            relay.step.clone(),
            relay.done.clone(),
            relay.stop.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let Ok((mut client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let to = *upstream.lock().unwrap();
                let (step, done) = (step.clone(), done.clone());
                std::thread::spawn(move || {
                    let _ = client.set_nonblocking(false);
                    let Ok(mut up) = TcpStream::connect(to) else {
                        return;
                    };
                    let (mut c, mut u) = (client.try_clone().unwrap(), up.try_clone().unwrap());
                    std::thread::spawn(move || std::io::copy(&mut c, &mut u));
                    let mut buf = vec![0; 16 << 10];
                    let mut sent = 0;
                    loop {
                        match up.read(&mut buf) {
                            Ok(0) => {
                                *done.lock().unwrap() = Some((Instant::now(), sent));
                                break;
                            }
                            Ok(n) if client.write_all(&buf[..n]).is_ok() => sent += n,
                            _ => break,
                        }
                        let us = step.load(Ordering::SeqCst);
                        if us > 0 {
                            std::thread::sleep(Duration::from_micros(us));
                        }
                    }
                    let _ = client.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        relay
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The mirror behind the relay from now on.
    fn to(&self, mirror: &server::Server) {
        let addr = mirror.base().trim_start_matches("http://").parse().unwrap();
        *self.upstream.lock().unwrap() = addr;
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A copy of a database directory as it is (`cp -a`: times kept, which `db sync` compares).
fn copy_dir(from: &Path, to: &Path) {
    let ok = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "cp -a {} {}", from.display(), to.display());
}

/// `riskmark db sync` of the Go archive from `mirror` into `db`, with no proxy and no mirror
/// from the environment.
fn sync_command(home: &Path, db: &Path, mirror: &str) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("riskmark"));
    c.args([
        "db",
        "sync",
        "--source",
        "osv",
        "--ecosystem",
        "Go",
        "--mirror",
        mirror,
    ])
    .arg("--db")
    .arg(db)
    .env("RISKMARK_DB", home)
    .env_remove("RISKMARK_MIRROR")
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    for v in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        c.env_remove(v);
    }
    c
}

fn sync(home: &Path, db: &Path, mirror: &str) -> (Option<i32>, String) {
    let out = sync_command(home, db, mirror).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `db sync` killed with SIGKILL at random points of its download (a slow mirror) and of
/// its import, 50 times, each from a database synced with the archive's previous
/// version: the database answers as before or as after (never in between), and the next
/// sync completes it. The mirror answers 404 to anything but the archive (so also to
/// `modified_id.csv`: the full-archive path).
#[test]
fn kill_9_during_db_sync_loses_nothing_and_the_next_sync_completes() {
    const RECORDS: usize = 4000;
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let (small_zip, big_zip_path) = (h.join("small.zip"), h.join("big.zip"));
    big_zip(&small_zip, 0, true);
    big_zip(&big_zip_path, RECORDS, true);
    let small: Arc<Vec<u8>> = Arc::new(std::fs::read(&small_zip).unwrap());
    let big: Arc<Vec<u8>> = Arc::new(std::fs::read(&big_zip_path).unwrap());
    let sbom = h.join("sbom.cdx.json");
    std::fs::write(&sbom, SBOM).unwrap();
    let new = Arc::new(AtomicBool::new(false));
    let mirror = || {
        let (small, big, new) = (small.clone(), big.clone(), new.clone());
        server::Server::start(move |req, _| match req.path() {
            "/Go/all.zip" if new.load(Ordering::SeqCst) => server::serve_file(req, &big, "\"big\""),
            "/Go/all.zip" => server::serve_file(req, &small, "\"small\""),
            _ => server::Reply::status(404),
        })
    };
    let relay = Relay::start();
    let url = relay.base();

    // A database synced with the previous archive: the state every trial starts from.
    let template = h.join("template");
    let srv = mirror();
    relay.to(&srv);
    let (code, err) = sync(h, &template, &url);
    assert_eq!(code, Some(0), "{err}");
    let before = findings(h, &template, &sbom).unwrap();
    new.store(true, Ordering::SeqCst);
    // The answers after a whole sync of the new archive, and how long one takes at full
    // speed; then the link slowed so the download takes about as long again, and a whole
    // sync over it timed: the window the kills fall in.
    let reference = h.join("reference");
    copy_dir(&template, &reference);
    let t = Instant::now();
    let (code, err) = sync(h, &reference, &url);
    let fast = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let after = findings(h, &reference, &sbom).unwrap();
    assert!(
        !before.is_empty() && after.len() > before.len(),
        "{before:?} {after:?}"
    );
    let steps = big.len().div_ceil(16 << 10) as u128;
    let step = (fast.as_micros() / steps).max(1) as u64;
    relay.step.store(step, Ordering::SeqCst);
    let slow = h.join("slow");
    copy_dir(&template, &slow);
    *relay.done.lock().unwrap() = None;
    let t = Instant::now();
    let (code, err) = sync(h, &slow, &url);
    let took = t.elapsed();
    assert_eq!(code, Some(0), "{err}");
    let archive_sent = |d: &Option<(Instant, usize)>| d.filter(|&(_, n)| n > big.len());
    let downloaded = archive_sent(&relay.done.lock().unwrap())
        .expect("the archive went through the relay")
        .0
        - t;
    drop(srv);

    let seed = clock_seed();
    let mut rng = Rng(seed);
    let download_ms = downloaded.as_millis() as u64;
    let rest_ms = (took.saturating_sub(downloaded).as_millis() as u64 * 9 / 10).max(1);
    let (mut in_download, mut in_import, mut committed, mut finished) = (0, 0, 0, 0);
    for trial in 0..50 {
        let db = h.join(format!("db{trial}"));
        copy_dir(&template, &db);
        let srv = mirror();
        relay.to(&srv);
        relay.step.store(step, Ordering::SeqCst);
        *relay.done.lock().unwrap() = None;
        let mut child = sync_command(h, &db, &url)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Every other kill within the download's time; the others once the archive has
        // gone through the relay, within the rest's time (so a loaded machine's slower
        // download does not move them).
        let at = if trial % 2 == 0 {
            let at = rng.below(download_ms);
            std::thread::sleep(Duration::from_millis(at));
            at
        } else {
            let t = Instant::now();
            while archive_sent(&relay.done.lock().unwrap()).is_none()
                && t.elapsed() < 4 * took
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            let at = rng.below(rest_ms);
            std::thread::sleep(Duration::from_millis(at));
            t.elapsed().as_millis() as u64
        };
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
        }
        let _ = child.wait();
        let now = findings(h, &db, &sbom).unwrap_or_else(|| {
            panic!("trial {trial} (seed {seed}, kill at {at} ms): the database does not answer")
        });
        assert!(
            now == before || now == after,
            "trial {trial} (seed {seed}, kill at {at} ms): {} findings, expected {} or {}",
            now.len(),
            before.len(),
            after.len()
        );
        // Where the kill landed: the new archive not yet in place, in place but not
        // imported, or imported.
        let downloaded = std::fs::metadata(db.join("downloads/osv-Go.zip"))
            .is_ok_and(|m| m.len() == big.len() as u64);
        match (killed, downloaded, now == after) {
            (false, ..) => finished += 1,
            (true, false, false) => in_download += 1,
            (true, true, false) => in_import += 1,
            (true, true, true) => committed += 1,
            (true, false, true) => {
                panic!("trial {trial} (seed {seed}, kill at {at} ms): imported without the archive")
            }
        }
        // The next sync completes it (and resumes a part-downloaded archive).
        relay.step.store(0, Ordering::SeqCst);
        let (code, err) = sync(h, &db, &url);
        assert_eq!(
            code,
            Some(0),
            "trial {trial} (seed {seed}, kill at {at} ms): {err}"
        );
        assert_eq!(
            findings(h, &db, &sbom).unwrap(),
            after,
            "trial {trial} (seed {seed}, kill at {at} ms)"
        );
        assert_eq!(
            std::fs::read(db.join("downloads/osv-Go.zip")).unwrap(),
            *big,
            "trial {trial} (seed {seed}, kill at {at} ms)"
        );
        let _ = std::fs::remove_dir_all(&db);
    }
    let _ = writeln!(
        std::io::stderr(),
        "db sync: a whole sync {fast:?}, {took:?} over the slow link (downloaded after \
         {downloaded:?}); kills in the download {in_download}, in the import \
         {in_import}, after the commit {committed}; {finished} syncs had finished"
    );
    assert!(
        in_download >= 10 && in_import >= 10,
        "kills in the download {in_download}, in the import {in_import} (of 50): the loop \
         must interrupt both"
    );
}

/// A `riskmark serve` that does no re-evaluation of its own: the loop decides when.
fn serve_still(home: &Path, database: &Path, vulndb: &Path) -> (Served, String) {
    serve_with(
        home,
        database,
        &["--reevaluate-every", "0", "--db", vulndb.to_str().unwrap()],
    )
}

/// What the registry shows of each device's evaluation: its versions (without their
/// times), and the current tier, score and findings; `None` for a device that does not
/// read back whole, or whose public page does not render. Two curl runs for them all.
fn evaluations(base: &str, ids: &[String]) -> Vec<Option<serde_json::Value>> {
    let urls = |prefix: &str| -> Vec<String> {
        ids.iter().map(|id| format!("{base}{prefix}{id}")).collect()
    };
    // Each body, then a line with its status: (body, status) per URL.
    const MARK: &str = "\n@@status ";
    let fetch = |urls: &[String], body: bool| -> Vec<(String, String)> {
        let mut c = curl(&["-w", &format!("{MARK}%{{http_code}}\n")]);
        for u in urls {
            if !body {
                c.args(["-o", "/dev/null"]);
            }
            c.arg(u);
        }
        let out = String::from_utf8(c.output().unwrap().stdout).unwrap();
        let mut parts = out.split(MARK);
        let mut body = parts.next().unwrap_or_default();
        parts
            .map(|p| {
                let (code, rest) = p.split_once('\n').unwrap_or((p, ""));
                (
                    std::mem::replace(&mut body, rest).to_owned(),
                    code.to_owned(),
                )
            })
            .collect()
    };
    let api = fetch(&urls("/api/v1/devices/"), true);
    let pages = fetch(&urls("/d/"), false);
    (0..ids.len())
        .map(|i| {
            let (body, code) = api.get(i)?;
            let v: serde_json::Value = serde_json::from_str(body).ok()?;
            let mut versions = v["versions"].as_array()?.clone();
            for x in &mut versions {
                x.as_object_mut()?.remove("created");
            }
            let mut findings: Vec<&str> = v["assessment"]["vulnerabilities"]["findings"]
                .as_array()?
                .iter()
                .filter_map(|f| f["id"].as_str())
                .collect();
            findings.sort_unstable();
            (code == "200" && pages.get(i).is_some_and(|p| p.1 == "200")).then(|| {
                serde_json::json!({
                    "versions": versions,
                    "tier": v["assessment"]["risk"]["tier"],
                    "score": v["assessment"]["risk"]["score"],
                    "findings": findings,
                })
            })
        })
        .collect()
}

/// `riskmark registry reevaluate` killed with SIGKILL at random points, 50 times, each
/// time from a registry of several devices assessed against the vulnerability database's
/// previous state: the registry opens, every device reads back whole with either its old
/// evaluation or the new one, and the next run completes it, the job the killed run had
/// claimed included: the claimant's process is gone, so its claim is released at once
/// instead of waiting for its ten-minute lease.
#[test]
fn kill_9_during_a_registry_reevaluation_leaves_each_device_old_or_new() {
    const DEVICES: usize = 12;
    if !common::have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // The vulnerability database before (one unrelated advisory) and after (one new
    // advisory for a package of each device).
    let advisory = |dir: &Path, id: &str, package: &str| {
        std::fs::create_dir_all(dir).unwrap();
        let a = serde_json::json!({
            "id": id, "modified": "2026-01-01T00:00:00Z", "aliases": [],
            "summary": format!("fault-test advisory for {package}"),
            "database_specific": {"severity": "HIGH"},
            "affected": [{"package": {"ecosystem": "PyPI", "name": package},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}],
        });
        std::fs::write(dir.join(format!("{id}.json")), a.to_string()).unwrap();
    };
    let (old_vulndb, new_vulndb) = (h.join("vulndb-old"), h.join("vulndb-new"));
    advisory(&h.join("adv-old"), "FAULT-OLD", "other-package");
    for i in 0..DEVICES {
        advisory(
            &h.join("adv-new"),
            &format!("FAULT-{i}"),
            &format!("faultpkg{i}"),
        );
    }
    assert_eq!(import(h, &old_vulndb, &h.join("adv-old")).0, Some(0));
    for dir in ["adv-old", "adv-new"] {
        assert_eq!(import(h, &new_vulndb, &h.join(dir)).0, Some(0));
    }

    // The registry every trial starts from: the devices, assessed against the old database.
    let template = h.join("template");
    std::fs::create_dir(&template).unwrap();
    let registry = template.join("registry.sqlite");
    let auth = format!("Authorization: Bearer {}", registry_token(h, &registry));
    let profile = std::fs::read_to_string(common::root().join("examples/smart-plug.toml")).unwrap();
    let (server, base) = serve_still(h, &registry, &old_vulndb);
    let mut ids = Vec::new();
    for i in 0..DEVICES {
        let text = profile.replacen("model = \"SP-100\"", &format!("model = \"SP-{i}\""), 1);
        assert_ne!(text, profile, "the example's model");
        let purl = |n: &str, v: &str| {
            serde_json::json!({"type": "library", "name": n, "version": v,
                "purl": format!("pkg:pypi/{n}@{v}")})
        };
        let body = serde_json::json!({
            "profile": text, "profile_name": "plug.toml",
            "sbom": {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                "components": [purl(&format!("faultpkg{i}"), "1.0"), purl("other-package", "1.0")]},
        });
        let (code, answer) = http(&[
            "-H",
            &auth,
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &body.to_string(),
            &format!("{base}/api/v1/devices"),
        ]);
        assert_eq!(code, 201, "{answer}");
        let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    let before: Vec<_> = evaluations(&base, &ids)
        .into_iter()
        .map(Option::unwrap)
        .collect();
    drop(server);

    let copy = |to: &Path| {
        copy_dir(&template, to);
        to.join("registry.sqlite")
    };
    let reevaluate_command = |database: &Path| {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("riskmark"));
        c.args(["registry", "reevaluate", "--database"])
            .arg(database)
            .arg("--db")
            .arg(&new_vulndb)
            .env("RISKMARK_DB", h)
            .env_remove("XDG_DATA_HOME")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    };
    let reevaluate = |database: &Path| {
        let o = reevaluate_command(database).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let jobs = |database: &Path| -> Vec<serde_json::Value> {
        let o = riskmark(h)
            .args(["registry", "jobs", "--format", "json", "--database"])
            .arg(database)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let states = |database: &Path| -> Vec<Option<serde_json::Value>> {
        let (server, base) = serve_still(h, database, &new_vulndb);
        let s = evaluations(&base, &ids);
        drop(server);
        s
    };
    // The evaluations after a whole run, and how long it takes.
    let reference = copy(&h.join("reference"));
    let t = Instant::now();
    reevaluate(&reference);
    let took = t.elapsed();
    let after: Vec<_> = states(&reference).into_iter().map(Option::unwrap).collect();
    for (b, a) in before.iter().zip(&after) {
        assert_ne!(b, a, "every device has a new evaluation");
    }

    let seed = clock_seed();
    let mut rng = Rng(seed);
    let window = (took.as_millis() as u64 * 95 / 100).max(1);
    // How many devices had their new evaluation when the kill landed: 0 (queueing, or
    // the first job), some (between jobs, or in one), all (finishing).
    let (mut none_new, mut some_new, mut all_new, mut finished) = (0, 0, 0, 0);
    // Kills that left a claimed job, which the next run took over.
    let mut taken_over = 0;
    for trial in 0..50 {
        let database = copy(&h.join(format!("r{trial}")));
        let mut child = reevaluate_command(&database)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = rng.below(window);
        std::thread::sleep(Duration::from_millis(at));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
        }
        let _ = child.wait();
        let now = states(&database);
        let mut new = 0;
        for (i, s) in now.iter().enumerate() {
            let s = s.as_ref().unwrap_or_else(|| {
                panic!(
                    "trial {trial} (seed {seed}, kill at {at} ms): device {i} does not read back"
                )
            });
            assert!(
                *s == before[i] || *s == after[i],
                "trial {trial} (seed {seed}, kill at {at} ms): device {i} is neither old nor new: {s}"
            );
            new += usize::from(*s == after[i]);
        }
        match (killed, new) {
            (false, _) => finished += 1,
            (true, 0) => none_new += 1,
            (true, n) if n == DEVICES => all_new += 1,
            (true, _) => some_new += 1,
        }
        // The next run does every job, the one the killed run had claimed included
        // (its process is gone: the claim is released without waiting for the lease).
        let held = jobs(&database)
            .into_iter()
            .filter(|j| j["claimed_by"].is_string() && j["done_at"].is_null())
            .count();
        assert!(held <= 1, "trial {trial}: one worker held {held} jobs");
        taken_over += usize::from(held == 1);
        reevaluate(&database);
        let done: Vec<_> = states(&database).into_iter().map(Option::unwrap).collect();
        assert_eq!(done, after, "trial {trial} (seed {seed}, kill at {at} ms)");
        assert!(
            jobs(&database).iter().all(|j| j["done_at"].is_string()),
            "trial {trial}: a job is left"
        );
        let _ = std::fs::remove_dir_all(database.parent().unwrap());
    }
    let _ = writeln!(
        std::io::stderr(),
        "registry reevaluate: a whole run {took:?}; kills with no device re-evaluated \
         {none_new}, some {some_new}, all {all_new}; {finished} runs had finished; {taken_over} \
         left a claimed job, taken over by the next run"
    );
    assert!(
        some_new >= 10,
        "only {some_new} of 50 kills landed between the first and the last device"
    );
}

/// `db sync` of an ecosystem synced before (its `modified_id.csv` names 150 changed
/// records, downloaded one by one, 8 at a time) killed with SIGKILL at random points, 50
/// times: the database answers as before or as after, and the next sync completes it
/// (its per-ecosystem state is written only after the import commits, so a kill at worst
/// makes the next sync read the list further back).
#[test]
fn kill_9_during_an_incremental_db_sync_loses_nothing() {
    const CHANGED: usize = 150;
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let small_zip = h.join("small.zip");
    big_zip(&small_zip, 0, true);
    let small: Arc<Vec<u8>> = Arc::new(std::fs::read(&small_zip).unwrap());
    let sbom = h.join("sbom.cdx.json");
    std::fs::write(&sbom, SBOM).unwrap();
    // The changed records: replicas of GO-2023-2102 (GO-FAULT-000007 is the one the SBOM
    // hits), each modified at the time its list line says, newest first.
    let base: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture().join("GO-2023-2102.json")).unwrap())
            .unwrap();
    let mut records = std::collections::HashMap::new();
    let mut lines = String::new();
    for i in 0..CHANGED {
        let modified = format!("2026-12-01T{:02}:{:02}:00Z", 23 - i / 60, 59 - i % 60);
        let id = format!("GO-FAULT-{i:06}");
        let mut r = replica(&base, i);
        r["modified"] = modified.clone().into();
        lines.push_str(&format!("{modified},{id}\n"));
        records.insert(format!("/Go/{id}.json"), r.to_string().into_bytes());
    }
    // Before: the list names the fixture's record at its own time (the database holds it).
    let old_list = format!("{},GO-2023-2102\n", base["modified"].as_str().unwrap());
    let new_list = format!("{lines}{old_list}");
    let records = Arc::new(records);
    let new = Arc::new(AtomicBool::new(false));
    let slow = Arc::new(AtomicBool::new(false));
    // A server per trial: the test server answers a bounded number of requests.
    let mirror = || {
        let (small, records, new, slow) =
            (small.clone(), records.clone(), new.clone(), slow.clone());
        let (old_list, new_list) = (old_list.clone(), new_list.clone());
        server::Server::start(move |req, _| {
            let path = req.path();
            if path == "/Go/all.zip" {
                return server::serve_file(req, &small, "\"small\"");
            }
            if path == "/Go/modified_id.csv" {
                let list = if new.load(Ordering::SeqCst) {
                    &new_list
                } else {
                    &old_list
                };
                return server::Reply::status(200).body(list.clone());
            }
            match records.get(path) {
                Some(b) if new.load(Ordering::SeqCst) => {
                    if slow.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(4));
                    }
                    server::Reply::status(200).body(b.clone())
                }
                _ => server::Reply::status(404),
            }
        })
    };
    let srv = mirror();
    let url = srv.base();

    // Synced before: the archive, and the list's newest time remembered.
    let template = h.join("template");
    let (code, err) = sync(h, &template, &url);
    assert_eq!(code, Some(0), "{err}");
    assert!(template.join("downloads/osv-state.json").is_file());
    let before = findings(h, &template, &sbom).unwrap();
    new.store(true, Ordering::SeqCst);
    let reference = h.join("reference");
    copy_dir(&template, &reference);
    let (code, err) = sync(h, &reference, &url);
    assert_eq!(code, Some(0), "{err}");
    let after = findings(h, &reference, &sbom).unwrap();
    assert!(after.len() > before.len(), "{before:?} {after:?}");
    // The records served slowly: a whole sync, timed, is the window the kills fall in.
    slow.store(true, Ordering::SeqCst);
    let timed = h.join("timed");
    copy_dir(&template, &timed);
    let t = Instant::now();
    let (code, err) = sync(h, &timed, &url);
    let took = t.elapsed();
    assert_eq!(code, Some(0), "{err}");

    let seed = clock_seed();
    let mut rng = Rng(seed);
    let window = took.as_millis() as u64;
    let (mut old, mut new_, mut finished) = (0, 0, 0);
    for trial in 0..50 {
        let db = h.join(format!("inc{trial}"));
        copy_dir(&template, &db);
        slow.store(true, Ordering::SeqCst);
        let srv = mirror();
        let url = srv.base();
        let mut child = sync_command(h, &db, &url)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = rng.below(window);
        std::thread::sleep(Duration::from_millis(at));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
        }
        let _ = child.wait();
        let now = findings(h, &db, &sbom).unwrap_or_else(|| {
            panic!("trial {trial} (seed {seed}, kill at {at} ms): the database does not answer")
        });
        assert!(
            now == before || now == after,
            "trial {trial} (seed {seed}, kill at {at} ms): {now:?}"
        );
        match (killed, now == after) {
            (false, _) => finished += 1,
            (true, false) => old += 1,
            (true, true) => new_ += 1,
        }
        slow.store(false, Ordering::SeqCst);
        let (code, err) = sync(h, &db, &url);
        assert_eq!(
            code,
            Some(0),
            "trial {trial} (seed {seed}, kill at {at} ms): {err}"
        );
        assert_eq!(
            findings(h, &db, &sbom).unwrap(),
            after,
            "trial {trial} (seed {seed}, kill at {at} ms)"
        );
        let _ = std::fs::remove_dir_all(&db);
    }
    let _ = writeln!(
        std::io::stderr(),
        "incremental db sync: a whole sync {took:?}; kills before the commit {old}, after it \
         {new_}; {finished} syncs had finished"
    );
    assert!(
        old >= 25,
        "only {old} of 50 kills landed before the import committed"
    );
}

//! `riskmark probe` against simulated devices on loopback: real BusyBox telnetd and
//! httpd, Dropbear, `openssl s_server` (a TLS 1.0-only device and a modern one), an SSDP
//! responder and a small MQTT broker stand-in (answers CONNECT with a chosen CONNACK code).
//! Each device binds its own 127.0.0.x address and high ports; nothing leaves the machine.
//! The tools come from `.ci/setup.d/probe.sh`; in CI their absence fails the tests.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Runs `program args` and says whether it worked; in CI a missing tool fails the test.
fn tool(program: &str, args: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        common::missing(&format!("{program} not usable (run .ci/setup.d/probe.sh)"));
    }
    ok
}

fn tools() -> bool {
    tool("busybox", &["true"])
        && tool("openssl", &["version"])
        && tool("dropbear", &["-V"])
        && tool("dropbearkey", &["-h"])
}

/// A simulated device: its processes and threads end when it is dropped.
struct Device {
    children: Vec<Child>,
    stop: Arc<AtomicBool>,
    dir: tempfile::TempDir,
}

impl Drop for Device {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Device {
    fn new() -> Self {
        Self {
            children: Vec::new(),
            stop: Arc::new(AtomicBool::new(false)),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn spawn(&mut self, program: &str, args: &[&str], tcp: &str) {
        let child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        self.children.push(child);
        let start = Instant::now();
        while std::net::TcpStream::connect(tcp).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{program} did not listen on {tcp}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// An SSDP responder: answers M-SEARCH as a UPnP Internet Gateway Device would.
    fn ssdp(&mut self, ip: &str) {
        let sock = UdpSocket::bind((ip, 1900)).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let stop = self.stop.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 2048];
            while !stop.load(Ordering::Relaxed) {
                if let Ok((n, from)) = sock.recv_from(&mut buf)
                    && buf[..n].starts_with(b"M-SEARCH")
                {
                    let _ = sock.send_to(b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nUSN: uuid:sim::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://127.0.0.51:5000/rootDesc.xml\r\nSERVER: Linux/5.10 UPnP/1.1 MiniUPnPd/2.3.3\r\n\r\n", from);
                }
            }
        });
    }

    /// An MQTT broker stand-in answering CONNECT with CONNACK return code `rc`.
    fn mqtt(&mut self, addr: &str, rc: u8) {
        let l = TcpListener::bind(addr).unwrap();
        l.set_nonblocking(true).unwrap();
        let stop = self.stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok((mut s, _)) => {
                        let _ = s.set_nonblocking(false);
                        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                        let mut head = [0u8; 2];
                        if s.read_exact(&mut head).is_ok() && head[0] == 0x10 {
                            let mut rest = vec![0u8; usize::from(head[1])];
                            if s.read_exact(&mut rest).is_ok() && rest.starts_with(b"\0\x04MQTT") {
                                let _ = s.write_all(&[0x20, 0x02, 0x00, rc]);
                            }
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
    }
}

const LOGIN: &str = r#"#!/bin/sh
printf 'sim-device login: '
read u
u=$(printf %s "$u" | tr -d '\r')
printf 'Password: '
read p
p=$(printf %s "$p" | tr -d '\r')
echo
if [ "$u" = admin ] && [ "$p" = admin ]; then
  echo 'BusyBox v1.35.0 (sim) built-in shell (ash)'
  printf '# '
  read x
  exit 0
fi
echo 'Login incorrect'
exit 1
"#;

/// A router's web interface with a login form (BusyBox httpd, a CGI checks the pair):
/// the right pair gets a redirect with a session cookie, a wrong one the form again.
fn form_login(d: &mut Device, ip: &str, port: u16, user: &str, password: &str) {
    let www = d.path(&format!("form{port}"));
    std::fs::create_dir_all(format!("{www}/cgi-bin")).unwrap();
    std::fs::write(
        format!("{www}/index.html"),
        "<html><body><h1>SimRouter</h1>\n<form method=\"post\" action=\"/cgi-bin/login\">\n<input type=\"hidden\" name=\"csrf\" value=\"a1b2\">\nUser <input type=\"text\" name=\"username\"> Password <input type=\"password\" name=\"password\">\n<input type=\"submit\" value=\"Log in\"></form></body></html>\n",
    )
    .unwrap();
    let cgi = format!("{www}/cgi-bin/login");
    std::fs::write(
        &cgi,
        format!(
            "#!/bin/sh\nbody=$(head -c \"${{CONTENT_LENGTH:-0}}\")\ncase \"$body\" in\n  *\"username={user}&password={password}\") printf 'Status: 302 Found\\r\\nLocation: /status.html\\r\\nSet-Cookie: session=5f2a; HttpOnly\\r\\n\\r\\n' ;;\n  *) printf 'Content-Type: text/html\\r\\n\\r\\n<html>Invalid user name or password<form method=post action=/cgi-bin/login><input name=username><input type=password name=password></form></html>' ;;\nesac\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&cgi, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let addr = format!("{ip}:{port}");
    d.spawn("busybox", &["httpd", "-f", "-p", &addr, "-h", &www], &addr);
}

fn profile(dir: &Path, name: &str, services: &str) -> String {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            r#"schema = "riskmark/device-profile/v1"

[product]
manufacturer = "Sim Devices Ltd"
name = "SimCam 1"
model = "SC-1"
category = "security-camera"

[use]
environment = "home"
users = ["consumer"]
physical_effects = []
safety_impact = "low"
data = ["video"]

[connectivity]
interfaces = ["wifi"]
internet_reachable = false
upnp = false
services = [
{services}]

[identity]
default_password = "unique-per-device"
authentication = ["password"]

[data_protection]
encryption_in_transit = ["tls1.2", "tls1.3"]
"#
        ),
    )
    .unwrap();
    p.display().to_string()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = common::command_in(home.path())
        .env("XDG_DATA_HOME", home.path())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn codes<'a>(v: &'a Value, key: &str, filter: impl Fn(&Value) -> bool) -> Vec<&'a str> {
    let mut out: Vec<&str> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| filter(x))
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The check verdicts of an `assess --format json` output, by code.
fn verdicts(a: &Value) -> std::collections::BTreeMap<String, Value> {
    fn walk(v: &Value, out: &mut std::collections::BTreeMap<String, Value>) {
        match v {
            Value::Object(o) => {
                if let (Some(code), Some(_)) =
                    (o.get("code").and_then(Value::as_str), o.get("status"))
                {
                    out.entry(code.to_owned()).or_insert_with(|| v.clone());
                }
                o.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(a, &mut out);
    out
}

#[test]
fn a_lying_device_is_caught_on_every_claim_and_the_evidence_makes_verified_failures() {
    if !tools() {
        return;
    }
    let ip = "127.0.0.51";
    let mut d = Device::new();
    let login = d.path("login.sh");
    std::fs::write(&login, LOGIN).unwrap();
    std::fs::set_permissions(&login, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let www = d.path("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(format!("{www}/index.html"), "<html>SimCam live view</html>").unwrap();
    let (key, cert) = (d.path("k.pem"), d.path("c.pem"));
    assert!(tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-keyout",
            &key,
            "-out",
            &cert,
            "-days",
            "30",
            "-nodes",
            "-subj",
            "/CN=simcam"
        ]
    ));
    d.spawn(
        "busybox",
        &["telnetd", "-F", "-p", "12323", "-b", ip, "-l", &login],
        "127.0.0.51:12323",
    );
    d.spawn(
        "busybox",
        &["httpd", "-f", "-p", "127.0.0.51:18080", "-h", &www],
        "127.0.0.51:18080",
    );
    d.spawn(
        "openssl",
        &[
            "s_server",
            "-quiet",
            "-accept",
            "127.0.0.51:18443",
            "-cert",
            &cert,
            "-key",
            &key,
            "-tls1",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
            "-www",
        ],
        "127.0.0.51:18443",
    );
    d.ssdp(ip);
    d.mqtt("127.0.0.51:11883", 0);
    form_login(&mut d, ip, 18081, "admin", "admin");
    // A modern TLS service whose HTTPS API answers anyone.
    d.spawn(
        "openssl",
        &[
            "s_server",
            "-quiet",
            "-accept",
            "127.0.0.51:18444",
            "-cert",
            &cert,
            "-key",
            &key,
            "-no_ssl3",
            "-no_tls1",
            "-no_tls1_1",
            "-www",
        ],
        "127.0.0.51:18444",
    );
    let prof = profile(
        d.dir.path(),
        "liar.toml",
        r#"  { port = 18080, protocol = "tcp", name = "http", authentication = "password", purpose = "live view" },
  { port = 18443, protocol = "tcp", name = "https", authentication = "password", purpose = "API" },
  { port = 11883, protocol = "tcp", name = "mqtt", authentication = "password", purpose = "events" },
  { port = 18081, protocol = "tcp", name = "http", authentication = "password", purpose = "setup" },
  { port = 18444, protocol = "tcp", name = "https", authentication = "token", purpose = "cloud API" },
"#,
    );
    // The lab's key.
    let prefix = d.path("lab");
    assert_eq!(run(&["keygen", "--out", &prefix]).0, Some(0));
    let evidence = d.path("evidence.json");
    let (code, out, err) = run(&[
        "probe",
        ip,
        "--profile",
        &prof,
        "--ports",
        "12323,18080,18443,11883,1900/udp",
        "--try-default-credentials",
        "--format",
        "json",
        "--out",
        &evidence,
        "--sign-key",
        &format!("{prefix}.key"),
        "--by",
        "Sim Test Lab",
    ]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(err.contains("evidence written to"), "{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    let contradicted = codes(&s, "findings", |f| f["contradicts"].is_string());
    assert_eq!(
        contradicted,
        [
            "debug-service",
            "default-credential",
            "legacy-tls",
            "unauthenticated-access",
            "undeclared-service",
            "upnp"
        ],
        "{out}"
    );
    let text = out.as_str();
    for seen in [
        "12323/tcp: telnet login with the default credential admin:admin works",
        "18081/tcp: http login with the default credential admin:admin works",
        "18443/tcp accepts TLS 1.0",
        "11883/tcp: the MQTT broker accepts an anonymous CONNECT",
        "18080/tcp: HTTP GET / answers 200",
        "18444/tcp: HTTPS GET / answers 200 without asking for credentials",
        "connectivity.services[4].authentication = \\\"token\\\"",
        "connectivity.upnp = false",
        "identity.default_password = \\\"unique-per-device\\\"",
    ] {
        assert!(text.contains(seen), "{seen} missing in {out}");
    }
    let failed = codes(&s, "checks", |c| c["result"] == "fail");
    let six = [
        "debug-service-exposed",
        "default-password-universal",
        "legacy-crypto-protocol",
        "services-inventory",
        "unauthenticated-service",
        "upnp-enabled",
    ];
    assert_eq!(failed, six);
    // TLS 1.0 only: every other version refused.
    let tls = s["observations"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["port"] == "18443/tcp")
        .unwrap();
    assert_eq!(tls["tls"]["accepted"], serde_json::json!(["TLS 1.0"]));
    assert_eq!(tls["tls"]["certificate"]["key_bits"], 2048);

    // The evidence turns those checks into verified failures, pinned to the lab's key.
    let (code, out, err) = run(&[
        "assess",
        &prof,
        "--evidence",
        &evidence,
        "--evidence-pub",
        &format!("{prefix}.pub"),
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let v = verdicts(&serde_json::from_str(&out).unwrap());
    for c in six {
        let verdict = &v[c];
        assert_eq!(verdict["status"], "fail", "{c}: {verdict}");
        assert_eq!(verdict["evidence"], "verified", "{c}: {verdict}");
        let reasons = verdict["reasons"].to_string();
        assert!(
            reasons.contains("riskmark probe") && reasons.contains("Sim Test Lab"),
            "{c}: {reasons}"
        );
    }
    // Declared pass, observed fail: said so.
    assert!(
        v["default-password-universal"]["reasons"]
            .to_string()
            .contains("declared and verified disagree")
    );
    // Without the evidence the same profile passes those claims on its word.
    let (_, out, _) = run(&["assess", &prof, "--format", "json"]);
    let v = verdicts(&serde_json::from_str(&out).unwrap());
    assert_eq!(v["default-password-universal"]["status"], "pass");
    assert_eq!(v["legacy-crypto-protocol"]["status"], "pass");

    // A fleet inventory's `evidence` column does the same for that model.
    let inv = d.path("inventory.csv");
    std::fs::write(
        &inv,
        format!("device_id,profile,evidence\ncam-1,{prof},{evidence}\ncam-2,{prof},\n"),
    )
    .unwrap();
    let (code, out, err) = run(&["fleet", &inv, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let f: Value = serde_json::from_str(&out).unwrap();
    let models = f["models"].as_array().unwrap();
    assert_eq!(models.len(), 2, "{out}");
    let fails = |m: &Value, c: &str| {
        m["failing_checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == c)
    };
    assert_eq!(
        models
            .iter()
            .filter(|m| fails(m, "default-password-universal"))
            .count(),
        1,
        "{out}"
    );
    // The consumer label reflects the verified failures.
    let (plain, probed) = (d.path("label-plain"), d.path("label-probed"));
    assert_eq!(run(&["label", &prof, "--out", &plain]).0, Some(0));
    let (code, _, err) = run(&[
        "label",
        &prof,
        "--out",
        &probed,
        "--evidence",
        &evidence,
        "--evidence-pub",
        &format!("{prefix}.pub"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let read = |dir: &str| std::fs::read_to_string(format!("{dir}/label.json")).unwrap();
    assert!(!read(&plain).contains("does-not-meet"));
    assert!(read(&probed).contains("does-not-meet"));
    // Another key does not vouch for this evidence; a changed file does not verify.
    let other = d.path("other");
    assert_eq!(run(&["keygen", "--out", &other]).0, Some(0));
    let (code, _, err) = run(&[
        "assess",
        &prof,
        "--evidence",
        &evidence,
        "--evidence-pub",
        &format!("{other}.pub"),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("evidence.json") && err.contains("not by the trusted key"),
        "{err}"
    );
    let mut env: Value =
        serde_json::from_str(&std::fs::read_to_string(&evidence).unwrap()).unwrap();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = String::from_utf8(b64.decode(env["payload"].as_str().unwrap()).unwrap()).unwrap();
    env["payload"] = Value::String(b64.encode(payload.replace("\"fail\"", "\"pass\"")));
    let tampered = d.path("tampered.json");
    std::fs::write(&tampered, env.to_string()).unwrap();
    let (code, _, err) = run(&["assess", &prof, "--evidence", &tampered]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("tampered.json") && err.contains("changed after signing"),
        "{err}"
    );
}

#[test]
fn an_honest_device_contradicts_nothing() {
    if !tools() {
        return;
    }
    let ip = "127.0.0.52";
    let mut d = Device::new();
    let www = d.path("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(format!("{www}/index.html"), "<html>SimCam</html>").unwrap();
    let conf = d.path("httpd.conf");
    std::fs::write(&conf, "/:admin:Xq7-unique-per-device\n").unwrap();
    let (key, cert) = (d.path("k.pem"), d.path("c.pem"));
    assert!(tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-keyout",
            &key,
            "-out",
            &cert,
            "-days",
            "30",
            "-nodes",
            "-subj",
            "/CN=simcam"
        ]
    ));
    let host_key = d.path("dropbear_ed25519");
    assert!(tool("dropbearkey", &["-t", "ed25519", "-f", &host_key]));
    d.spawn(
        "busybox",
        &[
            "httpd",
            "-f",
            "-p",
            "127.0.0.52:18080",
            "-h",
            &www,
            "-c",
            &conf,
        ],
        "127.0.0.52:18080",
    );
    d.spawn(
        "openssl",
        &[
            "s_server",
            "-quiet",
            "-accept",
            "127.0.0.52:18443",
            "-cert",
            &cert,
            "-key",
            &key,
            "-no_ssl3",
            "-no_tls1",
            "-no_tls1_1",
        ],
        "127.0.0.52:18443",
    );
    d.spawn(
        "dropbear",
        &["-F", "-E", "-s", "-r", &host_key, "-p", "127.0.0.52:12222"],
        "127.0.0.52:12222",
    );
    d.mqtt("127.0.0.52:11883", 5);
    form_login(&mut d, ip, 18081, "admin", "Xq7-unique-per-device");
    let prof = profile(
        d.dir.path(),
        "honest.toml",
        r#"  { port = 18080, protocol = "tcp", name = "http", authentication = "password", purpose = "live view" },
  { port = 18443, protocol = "tcp", name = "https", authentication = "password", purpose = "API" },
  { port = 12222, protocol = "tcp", name = "ssh", authentication = "password", purpose = "service access" },
  { port = 11883, protocol = "tcp", name = "mqtt", authentication = "password", purpose = "events" },
  { port = 18081, protocol = "tcp", name = "http", authentication = "password", purpose = "setup" },
"#,
    );
    let evidence = d.path("evidence.json");
    let (code, out, err) = run(&[
        "probe",
        ip,
        "--profile",
        &prof,
        "--ports",
        "12323,18080,18443,12222,11883,1900/udp",
        "--try-default-credentials",
        "--format",
        "json",
        "--out",
        &evidence,
    ]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    // No key given: the per-user probe key was made.
    assert!(err.contains("(created now)"), "{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    assert!(
        codes(&s, "findings", |f| f["contradicts"].is_string()).is_empty(),
        "{out}"
    );
    let ports = s["observations"]["ports"].as_array().unwrap();
    let port = |p: &str| ports.iter().find(|x| x["port"] == p).unwrap();
    assert_eq!(port("18080/tcp")["unauthenticated"], false);
    assert_eq!(port("18080/tcp")["credentials"]["tried"], 24);
    assert!(port("18080/tcp")["credentials"].get("worked").is_none());
    assert_eq!(port("11883/tcp")["mqtt_return_code"], 5);
    // The login form refuses every default pair.
    assert_eq!(port("18081/tcp")["unauthenticated"], false);
    assert_eq!(port("18081/tcp")["credentials"]["tried"], 24);
    assert!(port("18081/tcp")["credentials"].get("worked").is_none());
    // Password logins are off on this SSH server (dropbear -s): every pair is refused.
    assert_eq!(port("12222/tcp")["credentials"]["tried"], 24);
    assert!(port("12222/tcp")["credentials"].get("worked").is_none());
    assert!(
        port("12222/tcp")["ssh"]["banner"]
            .as_str()
            .unwrap()
            .starts_with("SSH-2.0-dropbear")
    );
    assert!(
        !port("12222/tcp")["ssh"]["kex"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        port("18443/tcp")["tls"]["accepted"],
        serde_json::json!(["TLS 1.2", "TLS 1.3"])
    );
    assert_eq!(port("12323/tcp")["state"], "closed");
    assert_eq!(port("1900/udp")["state"], "no-answer");
    // The one check it decides: no legacy TLS, verified.
    assert_eq!(
        s["checks"],
        serde_json::json!([{"code": "legacy-crypto-protocol", "result": "pass", "evidence": "18443/tcp accepts only TLS 1.2, TLS 1.3"}])
    );
    let (code, out, err) = run(&["assess", &prof, "--evidence", &evidence, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v = verdicts(&serde_json::from_str(&out).unwrap());
    assert_eq!(v["legacy-crypto-protocol"]["status"], "pass");
    assert_eq!(v["legacy-crypto-protocol"]["evidence"], "verified");
}

#[test]
fn dry_run_sends_nothing_and_scope_is_one_host() {
    // A listener on the would-be target counts connections.
    let l = TcpListener::bind("127.0.0.53:18080").unwrap();
    l.set_nonblocking(true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prof = profile(
        dir.path(),
        "p.toml",
        "  { port = 18080, protocol = \"tcp\", name = \"http\", authentication = \"password\" },\n",
    );
    let (code, out, err) = run(&[
        "probe",
        "127.0.0.53",
        "--profile",
        &prof,
        "--dry-run",
        "--try-default-credentials",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("dry run: nothing was sent"), "{out}");
    assert!(
        out.contains("18080/tcp: TCP connect")
            && out.contains("2323/tcp")
            && out.contains("1900/udp: one SSDP M-SEARCH"),
        "{out}"
    );
    assert!(out.contains("admin:admin"), "{out}");
    let accepted = Arc::new(AtomicUsize::new(0));
    while l.accept().is_ok() {
        accepted.fetch_add(1, Ordering::Relaxed);
    }
    assert_eq!(accepted.load(Ordering::Relaxed), 0);

    // Ranges, broadcast, bad ports and credentials: exit 2, naming what is wrong.
    for (args, says) in [
        (vec!["10.0.0.0/24"], "--i-own-this-network"),
        (vec!["255.255.255.255"], "broadcast"),
        (vec!["8.8.8.0/24", "--i-own-this-network"], "only private"),
        (
            vec!["127.0.0.53", "--ports", "80,70000"],
            "--ports: `70000`",
        ),
        (
            vec!["127.0.0.0/30", "--i-own-this-network", "--out", "x.json"],
            "one host",
        ),
    ] {
        let mut a = vec!["probe"];
        a.extend(&args);
        a.extend(["--profile", &prof, "--dry-run"]);
        let (code, _, err) = run(&a);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let creds = dir.path().join("creds.txt");
    std::fs::write(&creds, "# lab list\nadmin:admin\nno-colon\n").unwrap();
    let (code, _, err) = run(&[
        "probe",
        "127.0.0.53",
        "--profile",
        &prof,
        "--credentials",
        creds.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("creds.txt:3"), "{err}");
    // A local range the user owns is allowed, and listed.
    let (code, out, _) = run(&[
        "probe",
        "127.0.0.0/30",
        "--i-own-this-network",
        "--profile",
        &prof,
        "--dry-run",
    ]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("target 127.0.0.1") && out.contains("target 127.0.0.2"),
        "{out}"
    );
    // Evidence that is not evidence.
    let bogus = dir.path().join("bogus.json");
    std::fs::write(&bogus, "{\"payloadType\": \"x\"}").unwrap();
    let (code, _, err) = run(&["assess", &prof, "--evidence", bogus.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("bogus.json"), "{err}");
}

/// A network namespace with a veth pair to the host, made for one test and removed after.
struct Netns {
    name: String,
    host_if: String,
    device_ip: String,
    children: Vec<Child>,
}

impl Netns {
    /// `None` when namespaces are not permitted here (the loopback tests cover the rest).
    fn new() -> Option<Self> {
        if !tool("ip", &["-V"]) {
            return None;
        }
        let pid = std::process::id();
        let (name, host_if, peer) = (
            format!("rmprobe{pid}"),
            format!("rmp{pid}"),
            format!("rmq{pid}"),
        );
        let net = format!("10.231.{}", pid % 250);
        let ns = Self {
            name: name.clone(),
            host_if: host_if.clone(),
            device_ip: format!("{net}.2"),
            children: Vec::new(),
        };
        let ip = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let inside = |args: &[&str]| {
            let mut a = vec!["netns", "exec", &name, "ip"];
            a.extend(args);
            ip(&a)
        };
        let ok = ip(&["netns", "add", &name])
            && ip(&[
                "link", "add", &host_if, "type", "veth", "peer", "name", &peer,
            ])
            && ip(&["link", "set", &peer, "netns", &name])
            && ip(&["addr", "add", &format!("{net}.1/30"), "dev", &host_if])
            && ip(&["link", "set", &host_if, "up"])
            && inside(&["addr", "add", &format!("{net}.2/30"), "dev", &peer])
            && inside(&["link", "set", &peer, "up"])
            && inside(&["link", "set", "lo", "up"]);
        if !ok {
            let _ = writeln!(
                std::io::stderr(),
                "note: skipped: network namespaces are not permitted here"
            );
            return None;
        }
        Some(ns)
    }

    fn spawn(&mut self, args: &[&str], port: u16) {
        let mut a = vec!["netns", "exec", &self.name];
        a.extend(args);
        let child = Command::new("ip")
            .args(&a)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.children.push(child);
        let start = Instant::now();
        let addr = format!("{}:{port}", self.device_ip);
        while std::net::TcpStream::connect_timeout(
            &addr.parse().unwrap(),
            Duration::from_millis(200),
        )
        .is_err()
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{args:?} did not listen on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        for args in [
            vec!["link", "del", &self.host_if],
            vec!["netns", "del", &self.name],
        ] {
            let _ = Command::new("ip")
                .args(&args)
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// In a namespace of its own the device uses the real ports (telnet on 23, HTTP on 80) and
/// nothing else answers, so the default IoT port list is what finds the undeclared telnet.
#[test]
fn in_a_network_namespace_the_default_port_list_finds_the_telnet_nobody_declared() {
    if !tools() {
        return;
    }
    let Some(mut ns) = Netns::new() else {
        return;
    };
    let d = Device::new();
    let login = d.path("login.sh");
    std::fs::write(&login, LOGIN).unwrap();
    std::fs::set_permissions(&login, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let www = d.path("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(format!("{www}/index.html"), "<html>plug</html>").unwrap();
    ns.spawn(&["busybox", "telnetd", "-F", "-p", "23", "-l", &login], 23);
    ns.spawn(&["busybox", "httpd", "-f", "-p", "80", "-h", &www], 80);
    let prof = profile(
        d.dir.path(),
        "plug.toml",
        "  { port = 80, protocol = \"tcp\", name = \"http\", authentication = \"none\", purpose = \"local control page\" },\n",
    );
    let target = ns.device_ip.clone();
    let (code, out, err) = run(&[
        "probe",
        &target,
        "--profile",
        &prof,
        "--try-default-credentials",
        "--timeout",
        "1000",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    let ports = s["observations"]["ports"].as_array().unwrap();
    // Every port of the IoT list was probed, and only the two services answered.
    assert_eq!(ports.len(), 13, "{out}");
    let live: Vec<&str> = ports
        .iter()
        .filter(|p| p["state"] == "open")
        .map(|p| p["port"].as_str().unwrap())
        .collect();
    assert_eq!(live, ["80/tcp", "23/tcp"], "{out}");
    let contradicted = codes(&s, "findings", |f| f["contradicts"].is_string());
    assert_eq!(
        contradicted,
        ["debug-service", "default-credential", "undeclared-service"],
        "{out}"
    );
    // HTTP without authentication was declared as such: a verified failure, no contradiction.
    let failed = codes(&s, "checks", |c| c["result"] == "fail");
    assert!(failed.contains(&"unauthenticated-service"), "{out}");
}

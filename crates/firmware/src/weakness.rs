//! Weaknesses in the unpacked files: password hashes that match published default
//! passwords, empty passwords, private keys, telnet or other debug services started at
//! boot, package updates without signature checks or over plain HTTP, world-writable
//! files, and credentials written into configuration files.

use crate::unpack::File;
use crate::{Finding, Severity};

/// Default passwords that are public: the credentials the Mirai botnet's scanner tried
/// (`scanner.c` of the published source, jgamblin/Mirai-Source-Code), as in every
/// default-credential list since. Checked by hashing each against each hash, bounded by
/// [`MAX_ACCOUNTS`].
pub const DEFAULT_PASSWORDS: &[&str] = &[
    "admin",
    "root",
    "password",
    "1234",
    "12345",
    "123456",
    "54321",
    "888888",
    "666666",
    "default",
    "guest",
    "user",
    "support",
    "system",
    "service",
    "pass",
    "toor",
    "xc3511",
    "vizxv",
    "admin1234",
    "smcadmin",
    "1111",
    "1111111",
    "meinsm",
    "tech",
    "ubnt",
    "klv123",
    "klv1234",
    "Zte521",
    "hi3518",
    "jvbzd",
    "anko",
    "zlxx.",
    "7ujMko0vizxv",
    "7ujMko0admin",
    "ikwb",
    "dreambox",
    "realtek",
    "00000000",
    "juantech",
    "fucker",
];

/// Programs that are setuid root on ordinary systems (Debian's, BusyBox's `su`/`passwd`
/// through the setuid busybox binary): a setuid root file by another name is a surprise.
const SETUID_EXPECTED: &[&str] = &[
    "busybox",
    "su",
    "sudo",
    "passwd",
    "chsh",
    "chfn",
    "gpasswd",
    "newgrp",
    "mount",
    "umount",
    "ping",
    "ping6",
    "traceroute",
    "traceroute6",
    "pppd",
    "fusermount",
    "fusermount3",
    "pkexec",
    "crontab",
    "dbus-daemon-launch-helper",
    "ssh-keysign",
    "chrome-sandbox",
    "unix_chkpwd",
];

/// Accounts whose hash is tried against every default password (each try is a full
/// crypt(3) computation).
pub const MAX_ACCOUNTS: usize = 16;

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn ends(path: &str, suffix: &str) -> bool {
    path.ends_with(suffix)
}

/// Every weakness the files show.
pub(crate) fn find(files: &[File]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut accounts = 0usize;
    for f in files.iter().filter(|f| !f.container) {
        let text = || String::from_utf8_lossy(&f.data);
        if ends(&f.path, "/etc/shadow") || ends(&f.path, "/etc/passwd") {
            for line in text().lines() {
                let mut fields = line.split(':');
                let (Some(user), Some(hash)) = (fields.next(), fields.next()) else {
                    continue;
                };
                if hash.is_empty() {
                    out.push(Finding {
                        code: "empty-password".into(),
                        path: f.path.clone(),
                        detail: format!("account `{user}` has no password"),
                        severity: Severity::Critical,
                    });
                    continue;
                }
                if !hash.starts_with('$') || accounts >= MAX_ACCOUNTS {
                    continue;
                }
                accounts += 1;
                if let Some(p) = DEFAULT_PASSWORDS
                    .iter()
                    .find(|p| pwhash::unix::verify(p, hash))
                {
                    out.push(Finding {
                        code: "default-password".into(),
                        path: f.path.clone(),
                        detail: format!(
                            "account `{user}`: the password is `{p}`, a published default"
                        ),
                        severity: Severity::Critical,
                    });
                }
            }
        }
        let elf = f.data.starts_with(b"\x7fELF");
        if let Some(kind) = (!elf).then(|| private_key(&f.data)).flatten() {
            let size =
                crate::keys::describe(&f.data).map_or_else(String::new, |d| format!(" ({d})"));
            out.push(Finding {
                code: "private-key".into(),
                path: f.path.clone(),
                detail: format!(
                    "{kind} private key{size} in the image: every unit ships the same one"
                ),
                severity: Severity::High,
            });
        } else if base(&f.path).starts_with("dropbear_") && base(&f.path).ends_with("_host_key") {
            out.push(Finding {
                code: "private-key".into(),
                path: f.path.clone(),
                detail: "Dropbear host key in the image: every unit ships the same one".into(),
                severity: Severity::High,
            });
        }
        let in_init = ends(&f.path, "/etc/inittab")
            || f.path.contains("/etc/init.d/")
            || f.path.contains("/etc/rc.d/")
            || ends(&f.path, "/etc/rc.local")
            || f.path.contains("/etc/systemd/system/");
        if in_init {
            for (n, line) in text().lines().enumerate() {
                let l = line.trim();
                if l.starts_with('#') {
                    continue;
                }
                let words: Vec<&str> = l
                    .split(|c: char| c.is_whitespace() || c == ':' || c == '/' || c == '=')
                    .collect();
                for service in ["telnetd", "utelnetd", "rlogind", "tftpd"] {
                    if words.contains(&service) {
                        out.push(Finding {
                            code: "debug-service".into(),
                            path: f.path.clone(),
                            detail: format!("`{service}` started at boot (line {}: `{l}`)", n + 1),
                            severity: Severity::High,
                        });
                    }
                }
            }
        }
        if ends(&f.path, "/etc/opkg.conf") || f.path.contains("/etc/opkg/") {
            let t = text();
            let lines: Vec<&str> = t
                .lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .collect();
            let feeds: Vec<&&str> = lines.iter().filter(|l| l.starts_with("src")).collect();
            if ends(&f.path, "/etc/opkg.conf")
                && !lines
                    .iter()
                    .any(|l| l.starts_with("option check_signature"))
            {
                out.push(Finding {
                    code: "update-unsigned".into(),
                    path: f.path.clone(),
                    detail: "opkg does not check package signatures (no `option check_signature`)"
                        .into(),
                    severity: Severity::High,
                });
            }
            for feed in feeds {
                if feed.contains("http://") {
                    out.push(Finding {
                        code: "update-plain-http".into(),
                        path: f.path.clone(),
                        detail: format!("packages fetched over plain HTTP: `{feed}`"),
                        severity: Severity::Medium,
                    });
                }
            }
        }
        if let Some(mode) = f.mode {
            let kind = mode & 0o170_000;
            if kind == 0o100_000 && mode & 0o002 != 0 {
                out.push(Finding {
                    code: "world-writable".into(),
                    path: f.path.clone(),
                    detail: format!("a file anyone may change (mode {:o})", mode & 0o7777),
                    severity: Severity::Medium,
                });
            }
            if kind == 0o100_000
                && mode & 0o4000 != 0
                && f.uid.is_none_or(|u| u == 0)
                && !SETUID_EXPECTED.contains(&base(&f.path))
            {
                out.push(Finding {
                    code: "setuid".into(),
                    path: f.path.clone(),
                    detail: format!(
                        "runs as root for anyone, and is not a program that usually does (mode {:o})",
                        mode & 0o7777
                    ),
                    severity: Severity::Medium,
                });
            }
        }
        if base(&f.path).ends_with(".conf") && f.path.contains("/etc/") && f.data.len() < 1 << 20 {
            for (n, line) in text().lines().enumerate() {
                let l = line.trim();
                if l.starts_with('#') {
                    continue;
                }
                let lower = l.to_ascii_lowercase();
                for key in ["password", "passwd", "secret"] {
                    if let Some(i) = lower.find(key) {
                        let rest = l[i + key.len()..].trim_start();
                        let value = rest
                            .strip_prefix('=')
                            .or_else(|| rest.strip_prefix(':'))
                            .map(|v| v.trim().trim_matches(['"', '\'']));
                        if let Some(v) = value.filter(|v| !v.is_empty() && !v.starts_with('$')) {
                            out.push(Finding {
                                code: "hardcoded-credential".into(),
                                path: f.path.clone(),
                                detail: format!(
                                    "line {}: `{key}` set to a {}-character value",
                                    n + 1,
                                    v.chars().count()
                                ),
                                severity: Severity::Medium,
                            });
                            break;
                        }
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.path.cmp(&b.path))
            .then(a.code.cmp(&b.code))
    });
    out.dedup_by(|a, b| a.code == b.code && a.path == b.path && a.detail == b.detail);
    out
}

/// The kind of PEM private key the data holds, if any.
fn private_key(data: &[u8]) -> Option<&'static str> {
    const KINDS: &[(&[u8], &str)] = &[
        (b"-----BEGIN RSA PRIVATE KEY-----", "RSA"),
        (b"-----BEGIN EC PRIVATE KEY-----", "EC"),
        (b"-----BEGIN DSA PRIVATE KEY-----", "DSA"),
        (b"-----BEGIN OPENSSH PRIVATE KEY-----", "OpenSSH"),
        (b"-----BEGIN PRIVATE KEY-----", "PKCS#8"),
        (b"-----BEGIN ENCRYPTED PRIVATE KEY-----", "encrypted PKCS#8"),
    ];
    KINDS
        .iter()
        .find(|(m, _)| memchr::memmem::find(data, m).is_some())
        .map(|(_, k)| *k)
}

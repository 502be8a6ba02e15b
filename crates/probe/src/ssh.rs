//! SSH: the banner and the algorithms of the server's KEXINIT (sent in the clear before
//! any key exchange), as nmap's ssh2-enum-algos reads them.

use std::time::Duration;

use serde::Serialize;

use crate::net::{Conn, Net};

/// What an SSH server showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SshInfo {
    /// Its identification line (`SSH-2.0-dropbear_2022.83`).
    pub banner: String,
    /// Key exchange algorithms.
    pub kex: Vec<String>,
    /// Host key algorithms.
    pub host_key: Vec<String>,
    /// Ciphers (client to server).
    pub ciphers: Vec<String>,
    /// MACs (client to server).
    pub macs: Vec<String>,
    /// The offered algorithms that are deprecated (RFC 9142, RFC 8758, ...).
    pub weak: Vec<String>,
}

/// Algorithms deprecated for SSH: SHA-1 and 1024-bit DH key exchange (RFC 9142), DSA host
/// keys, RC4 (RFC 8758), 3DES/Blowfish/CBC ciphers, MD5 and truncated SHA-1 MACs.
pub fn is_weak(name: &str) -> bool {
    matches!(
        name,
        "diffie-hellman-group1-sha1"
            | "diffie-hellman-group14-sha1"
            | "diffie-hellman-group-exchange-sha1"
            | "gss-group1-sha1-toWM5Slw5Ew8Mqkay+al2g=="
            | "ssh-dss"
            | "3des-cbc"
            | "blowfish-cbc"
            | "cast128-cbc"
            | "des-cbc"
            | "none"
            | "hmac-md5"
            | "hmac-md5-96"
            | "hmac-sha1-96"
    ) || name.starts_with("arcfour")
}

fn name_list(p: &mut &[u8]) -> Option<Vec<String>> {
    let len = u32::from_be_bytes(p.get(..4)?.try_into().ok()?) as usize;
    let s = p.get(4..4 + len)?;
    *p = &p[4 + len..];
    Some(
        String::from_utf8_lossy(s)
            .split(',')
            .filter(|x| !x.is_empty())
            .take(64)
            .map(str::to_owned)
            .collect(),
    )
}

/// Reads a KEXINIT packet's payload (after the packet length and padding length).
pub fn parse_kexinit(payload: &[u8], banner: &str) -> Option<SshInfo> {
    if payload.first() != Some(&20) {
        return None;
    }
    let mut p = payload.get(17..)?;
    let kex = name_list(&mut p)?;
    let host_key = name_list(&mut p)?;
    let ciphers = name_list(&mut p)?;
    let _ciphers_s2c = name_list(&mut p)?;
    let macs = name_list(&mut p)?;
    let weak = kex
        .iter()
        .chain(&host_key)
        .chain(&ciphers)
        .chain(&macs)
        .filter(|n| is_weak(n))
        .cloned()
        .collect();
    Some(SshInfo {
        banner: banner.to_owned(),
        kex,
        host_key,
        ciphers,
        macs,
        weak,
    })
}

/// Given a connection whose first bytes were `first` (the banner), trades identification
/// lines and reads the server's KEXINIT.
pub(crate) async fn probe(c: &mut Conn, first: &[u8], wait: Duration) -> SshInfo {
    let text = String::from_utf8_lossy(first);
    let banner = text
        .lines()
        .find(|l| l.starts_with("SSH-"))
        .unwrap_or_default()
        .trim()
        .chars()
        .take(255)
        .collect::<String>();
    let fallback = SshInfo {
        banner: banner.clone(),
        ..SshInfo::default()
    };
    // Bytes after the banner line may already hold the start of the KEXINIT packet.
    let after = first
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| first[i + 2..].to_vec())
        .unwrap_or_default();
    if !c.send(b"SSH-2.0-riskmark_probe\r\n").await {
        return fallback;
    }
    let mut buf = after;
    if buf.len() < 5 {
        buf.extend(c.read_quiet(Duration::from_millis(500), wait).await);
    }
    let Some(len) = buf
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    else {
        return fallback;
    };
    let len = len as usize;
    if !(5..=35_000).contains(&len) {
        return fallback;
    }
    if buf.len() < 4 + len {
        if let Some(more) = c.read_exact(4 + len - buf.len(), wait).await {
            buf.extend(more);
        } else {
            return fallback;
        }
    }
    let pad = usize::from(buf[4]);
    buf.get(5..(4 + len).saturating_sub(pad))
        .and_then(|payload| parse_kexinit(payload, &banner))
        .unwrap_or(fallback)
}

/// Accepts any host key: the probe only learns whether a password is taken, and sends
/// nothing after authentication.
struct AnyHostKey;

impl russh::client::Handler for AnyHostKey {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Tries one user name and password by SSH password authentication on a new connection.
pub(crate) async fn try_login(
    net: &Net,
    addr: std::net::SocketAddr,
    user: &str,
    password: &str,
) -> bool {
    let Ok(c) = net.connect(addr).await else {
        return false;
    };
    let (stream, _permit) = c.into_parts();
    let config = std::sync::Arc::new(russh::client::Config {
        inactivity_timeout: Some(net.limits.timeout * 2),
        ..russh::client::Config::default()
    });
    let attempt = async {
        let mut h = russh::client::connect_stream(config, stream, AnyHostKey)
            .await
            .ok()?;
        let ok = h
            .authenticate_password(user, password)
            .await
            .ok()?
            .success();
        let _ = h
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
        Some(ok)
    };
    tokio::time::timeout(net.limits.timeout * 3, attempt)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kexinit_lists_and_weak_ones() {
        let mut p = vec![20];
        p.extend_from_slice(&[0; 16]);
        for l in [
            "curve25519-sha256,diffie-hellman-group1-sha1",
            "ssh-ed25519,ssh-dss",
            "aes128-ctr,3des-cbc",
            "aes128-ctr",
            "hmac-sha2-256,hmac-md5",
        ] {
            p.extend_from_slice(&(l.len() as u32).to_be_bytes());
            p.extend_from_slice(l.as_bytes());
        }
        let i = parse_kexinit(&p, "SSH-2.0-x").unwrap();
        assert_eq!(i.kex.len(), 2);
        assert_eq!(
            i.weak,
            [
                "diffie-hellman-group1-sha1",
                "ssh-dss",
                "3des-cbc",
                "hmac-md5"
            ]
        );
        for n in 0..p.len() {
            let _ = parse_kexinit(&p[..n], "");
        }
        assert!(parse_kexinit(&[21, 0], "").is_none());
    }
}

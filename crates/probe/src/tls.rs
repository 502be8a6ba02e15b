//! TLS versions a service accepts, found with raw ClientHellos (as nmap's ssl-enum-ciphers
//! does) so no TLS library's policy hides TLS 1.0, 1.1 or SSL 3.0; and the certificate the
//! service presents (read from the plaintext handshake of TLS 1.2 and older).

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use crate::net::{MAX_READ, Net};

/// A protocol version and its wire number.
pub const VERSIONS: &[(&str, u16)] = &[
    ("SSL 3.0", 0x0300),
    ("TLS 1.0", 0x0301),
    ("TLS 1.1", 0x0302),
    ("TLS 1.2", 0x0303),
    ("TLS 1.3", 0x0304),
];

/// Versions deprecated by RFC 8996 (and SSL 3.0 by RFC 7568).
pub fn is_legacy(version: &str) -> bool {
    matches!(version, "SSL 3.0" | "TLS 1.0" | "TLS 1.1")
}

/// What a TLS service showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    /// Versions it completed a ServerHello with.
    pub accepted: Vec<String>,
    /// Versions it refused (alert, or a ServerHello of another version, or silence).
    pub refused: Vec<String>,
    /// Its certificate, when one was seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
}

/// The leaf certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Subject equals issuer.
    pub self_signed: bool,
    /// Not valid after (RFC 3339).
    pub not_after: String,
    /// Expired at the time of the probe.
    pub expired: bool,
    /// `RSA`, `EC`, `Ed25519`, ...
    pub key_algorithm: String,
    /// Key size in bits (0 when unknown).
    pub key_bits: usize,
    /// The signature algorithm's name or OID.
    pub signature_algorithm: String,
}

impl CertInfo {
    /// RSA (or DSA) below 2048 bits, EC below 224.
    pub fn weak_key(&self) -> bool {
        match self.key_algorithm.as_str() {
            "RSA" | "DSA" => self.key_bits > 0 && self.key_bits < 2048,
            "EC" => self.key_bits > 0 && self.key_bits < 224,
            _ => false,
        }
    }
    /// Signed with MD5 or SHA-1.
    pub fn weak_signature(&self) -> bool {
        let s = self.signature_algorithm.to_ascii_lowercase();
        s.contains("md5") || s.contains("md2") || s.contains("sha1") || s.contains("sha-1")
    }
}

const SUITES_12: &[u16] = &[
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d,
    0x002f, 0x0035, 0x0033, 0x0039, 0x000a, 0x0005, 0x0004, 0x00ff,
];
const SUITES_13: &[u16] = &[0x1301, 0x1302, 0x1303];

fn ext(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// A ClientHello offering exactly `version` (TLS 1.3 by `supported_versions`).
pub fn client_hello(version: u16, server_name: Option<&str>, random: [u8; 32]) -> Vec<u8> {
    let tls13 = version >= 0x0304;
    let mut body = Vec::with_capacity(512);
    body.extend_from_slice(&(if tls13 { 0x0303u16 } else { version }).to_be_bytes());
    body.extend_from_slice(&random);
    body.push(0); // no session id
    let suites: Vec<u16> = if tls13 {
        SUITES_13.iter().chain(SUITES_12).copied().collect()
    } else {
        SUITES_12.to_vec()
    };
    body.extend_from_slice(&((suites.len() * 2) as u16).to_be_bytes());
    for s in suites {
        body.extend_from_slice(&s.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // compression: null
    if version > 0x0300 {
        let mut exts = Vec::new();
        if let Some(name) = server_name.filter(|n| n.len() < 256) {
            let mut sni = Vec::new();
            sni.extend_from_slice(&((name.len() + 3) as u16).to_be_bytes());
            sni.push(0);
            sni.extend_from_slice(&(name.len() as u16).to_be_bytes());
            sni.extend_from_slice(name.as_bytes());
            ext(&mut exts, 0x0000, &sni);
        }
        ext(
            &mut exts,
            0x000a,
            &[0, 8, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19],
        );
        ext(&mut exts, 0x000b, &[1, 0]);
        let sigs: &[u16] = &[
            0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601, 0x0203,
            0x0201,
        ];
        let mut sa = ((sigs.len() * 2) as u16).to_be_bytes().to_vec();
        for s in sigs {
            sa.extend_from_slice(&s.to_be_bytes());
        }
        ext(&mut exts, 0x000d, &sa);
        ext(&mut exts, 0xff01, &[0]);
        if tls13 {
            ext(&mut exts, 0x002b, &[2, 0x03, 0x04]);
            ext(&mut exts, 0x002d, &[1, 1]);
            // An X25519 share: any 32 bytes are a valid public value; the handshake is never
            // finished, so no secret is needed.
            let mut ks = vec![0, 36, 0x00, 0x1d, 0, 32];
            ks.extend_from_slice(&random);
            ext(&mut exts, 0x0033, &ks);
        }
        body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        body.extend_from_slice(&exts);
    }
    let mut hs = vec![1];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16];
    rec.extend_from_slice(&(if version == 0x0300 { 0x0300u16 } else { 0x0301 }).to_be_bytes());
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

/// What the server answered a ClientHello.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// The version of its ServerHello (from `supported_versions` when present).
    pub version: Option<u16>,
    /// An alert's description code.
    pub alert: Option<u8>,
    /// The certificate chain (DER), leaf first, when sent in the clear.
    pub certificates: Vec<Vec<u8>>,
    /// The answer was a TLS record at all.
    pub tls: bool,
}

fn u24(b: &[u8]) -> usize {
    (usize::from(b[0]) << 16) | (usize::from(b[1]) << 8) | usize::from(b[2])
}

/// Reads the server's answer from `bytes` (records as received). Never panics.
pub fn parse_answer(bytes: &[u8]) -> Answer {
    let mut a = Answer::default();
    let mut hs = Vec::new();
    let mut rest = bytes;
    while rest.len() >= 5 {
        let (kind, len) = (rest[0], usize::from(u16::from_be_bytes([rest[3], rest[4]])));
        if !(20..=24).contains(&kind) || rest[1] != 3 || len > 18_432 {
            break;
        }
        a.tls = true;
        let Some(body) = rest.get(5..5 + len) else {
            break;
        };
        match kind {
            21 if body.len() >= 2 && a.version.is_none() => a.alert = Some(body[1]),
            22 => hs.extend_from_slice(body),
            _ => {}
        }
        rest = &rest[5 + len..];
    }
    let mut m = hs.as_slice();
    while m.len() >= 4 {
        let (kind, len) = (m[0], u24(&m[1..4]));
        let Some(body) = m.get(4..4 + len) else {
            break;
        };
        match kind {
            2 => a.version = server_hello_version(body),
            11 => a.certificates = certificate_list(body),
            _ => {}
        }
        m = &m[4 + len..];
    }
    a
}

fn server_hello_version(b: &[u8]) -> Option<u16> {
    let legacy = u16::from_be_bytes([*b.first()?, *b.get(1)?]);
    let sid = usize::from(*b.get(34)?);
    let mut p = 35 + sid + 3;
    let Some(ext_len) = b.get(p..p + 2) else {
        return Some(legacy);
    };
    let end = (p + 2 + usize::from(u16::from_be_bytes([ext_len[0], ext_len[1]]))).min(b.len());
    p += 2;
    while p + 4 <= end {
        let kind = u16::from_be_bytes([b[p], b[p + 1]]);
        let len = usize::from(u16::from_be_bytes([b[p + 2], b[p + 3]]));
        if kind == 0x002b && len == 2 && p + 6 <= end {
            return Some(u16::from_be_bytes([b[p + 4], b[p + 5]]));
        }
        p += 4 + len;
    }
    Some(legacy)
}

fn certificate_list(b: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if b.len() < 3 {
        return out;
    }
    let total = u24(b).min(b.len() - 3);
    let mut p = 3;
    while p + 3 <= 3 + total && out.len() < 10 {
        let len = u24(&b[p..]);
        let Some(der) = b.get(p + 3..p + 3 + len) else {
            break;
        };
        out.push(der.to_vec());
        p += 3 + len;
    }
    out
}

/// Whether the handshake so far is complete enough to stop reading.
fn enough(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while rest.len() >= 5 {
        let (kind, len) = (rest[0], usize::from(u16::from_be_bytes([rest[3], rest[4]])));
        if kind == 21 || kind == 20 || kind == 23 {
            return true;
        }
        let Some(body) = rest.get(5..5 + len) else {
            return false;
        };
        // ServerHelloDone (14) ends a TLS 1.2 server flight.
        if kind == 22 && body.windows(4).any(|w| w == [14, 0, 0, 0]) {
            return true;
        }
        rest = &rest[5 + len..];
    }
    !rest.is_empty() && rest[0] != 22
}

/// Offers one version; `None` when the port did not answer like TLS.
pub(crate) async fn offer(
    net: &Net,
    addr: SocketAddr,
    version: u16,
    server_name: Option<&str>,
) -> Option<Answer> {
    let mut c = net.connect(addr).await.ok()?;
    let random = random_bytes();
    if !c.send(&client_hello(version, server_name, random)).await {
        return None;
    }
    let deadline = tokio::time::Instant::now() + net.limits.timeout;
    let mut got = Vec::new();
    while got.len() < MAX_READ && !enough(&got) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let more = c
            .read_quiet(left.min(Duration::from_millis(800)), left)
            .await;
        if more.is_empty() {
            break;
        }
        got.extend_from_slice(&more);
    }
    let a = parse_answer(&got);
    a.tls.then_some(a)
}

fn random_bytes() -> [u8; 32] {
    // Not secret: a ClientHello random only has to differ between hellos.
    let mut out = [0u8; 32];
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut x = seed as u64 ^ 0x9e37_79b9_7f4a_7c15;
    for b in &mut out {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    out
}

/// Tries every version; `None` when the port does not speak TLS at all.
pub(crate) async fn probe(
    net: &Net,
    addr: SocketAddr,
    server_name: Option<&str>,
    now: jiff::Timestamp,
) -> Option<TlsInfo> {
    let mut info = TlsInfo::default();
    let mut any = false;
    let mut chain = Vec::new();
    for (name, v) in VERSIONS {
        let answer = offer(net, addr, *v, server_name).await;
        any |= answer.is_some();
        match answer {
            Some(a) if a.version == Some(*v) => {
                info.accepted.push((*name).to_owned());
                if chain.is_empty() {
                    chain = a.certificates;
                }
            }
            _ => info.refused.push((*name).to_owned()),
        }
    }
    if !any {
        return None;
    }
    info.certificate = chain.first().and_then(|der| certificate(der, now));
    Some(info)
}

/// Reads a DER certificate.
pub fn certificate(der: &[u8], now: jiff::Timestamp) -> Option<CertInfo> {
    use x509_parser::prelude::*;
    use x509_parser::public_key::PublicKey;
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let not_after = cert.validity().not_after.timestamp();
    let (key_algorithm, key_bits) = match cert.public_key().parsed() {
        Ok(PublicKey::RSA(k)) => ("RSA", k.key_size()),
        Ok(PublicKey::EC(k)) => ("EC", k.key_size()),
        Ok(PublicKey::DSA(_)) => ("DSA", 0),
        Ok(PublicKey::GostR3410(_) | PublicKey::GostR3410_2012(_)) => ("GOST", 0),
        Ok(PublicKey::Unknown(_)) | Err(_) => {
            let oid = &cert.public_key().algorithm.algorithm;
            if oid.to_id_string() == "1.3.101.112" {
                ("Ed25519", 256)
            } else {
                ("unknown", 0)
            }
        }
    };
    let sig_oid = &cert.signature_algorithm.algorithm;
    let signature_algorithm = oid2sn(sig_oid, oid_registry())
        .map(str::to_owned)
        .unwrap_or_else(|_| sig_oid.to_id_string());
    Some(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        self_signed: cert.subject() == cert.issuer(),
        not_after: jiff::Timestamp::from_second(not_after)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        expired: not_after < now.as_second(),
        key_algorithm: key_algorithm.to_owned(),
        key_bits,
        signature_algorithm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_is_well_formed_and_answers_parse() {
        for (_, v) in VERSIONS {
            let h = client_hello(*v, Some("device.local"), [7; 32]);
            assert_eq!(h[0], 0x16);
            assert_eq!(usize::from(u16::from_be_bytes([h[3], h[4]])), h.len() - 5);
            assert_eq!(u24(&h[6..9]), h.len() - 9);
        }
        // A protocol_version alert.
        let a = parse_answer(&[21, 3, 1, 0, 2, 2, 70]);
        assert_eq!((a.alert, a.version, a.tls), (Some(70), None, true));
        // A TLS 1.0 ServerHello, no extensions.
        let mut sh = vec![0x03, 0x01];
        sh.extend_from_slice(&[0; 32]);
        sh.extend_from_slice(&[0, 0xc0, 0x14, 0]);
        let mut rec = vec![22, 3, 1, 0, 0, 2, 0, 0, sh.len() as u8];
        rec.extend_from_slice(&sh);
        rec[4] = (rec.len() - 5) as u8;
        assert_eq!(parse_answer(&rec).version, Some(0x0301));
        // Garbage is not TLS and never panics.
        assert!(!parse_answer(b"HTTP/1.1 400 Bad Request\r\n").tls);
        for n in 0..rec.len() {
            let _ = parse_answer(&rec[..n]);
        }
    }
}

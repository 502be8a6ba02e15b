//! The algorithm and size of a PEM private key (PKCS#1 RSA, SEC 1 EC, PKCS#8 RSA, EC
//! and Ed25519), read from its DER with a small bounded reader of our own.

use base64::Engine as _;

/// The largest PEM body decoded.
const MAX_PEM: usize = 64 << 10;

/// `RSA, 1024 bits (below 2048)`, `EC P-256`, `Ed25519`; `None` for anything else or
/// anything malformed (encrypted keys included).
pub(crate) fn describe(data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data.get(..data.len().min(1 << 20))?).ok()?;
    let (label, der) = pem(text)?;
    match label {
        "RSA PRIVATE KEY" => rsa(&der),
        "EC PRIVATE KEY" => sec1(&der),
        "PRIVATE KEY" => pkcs8(&der),
        _ => None,
    }
}

/// The first PEM block's label and decoded body.
fn pem(text: &str) -> Option<(&str, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let end = body.find("-----END ")?;
    let b64: String = body[..end.min(MAX_PEM)]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .ok()?;
    Some((label, der))
}

/// One DER element: (tag, contents, what follows).
fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for &x in b.get(2..2 + n)? {
            len = (len << 8) | usize::from(x);
        }
        (len, 2 + n)
    };
    let body = b.get(head..head.checked_add(len)?)?;
    Some((tag, body, &b[head + len..]))
}

fn bits(int: &[u8]) -> usize {
    let int = match int.iter().position(|&x| x != 0) {
        Some(i) => &int[i..],
        None => return 0,
    };
    int.len() * 8 - int[0].leading_zeros() as usize
}

/// PKCS#1 RSAPrivateKey: SEQUENCE { version, modulus, ... }.
fn rsa(der: &[u8]) -> Option<String> {
    let (0x30, seq, _) = tlv(der)? else {
        return None;
    };
    let (0x02, _, rest) = tlv(seq)? else {
        return None;
    };
    let (0x02, n, _) = tlv(rest)? else {
        return None;
    };
    let b = bits(n);
    Some(if b < 2048 {
        format!("RSA, {b} bits, below 2048")
    } else {
        format!("RSA, {b} bits")
    })
}

fn curve(oid: &[u8]) -> &'static str {
    match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => "P-256",
        [0x2b, 0x81, 0x04, 0x00, 0x22] => "P-384",
        [0x2b, 0x81, 0x04, 0x00, 0x23] => "P-521",
        [0x2b, 0x81, 0x04, 0x00, 0x0a] => "secp256k1",
        _ => "unknown curve",
    }
}

/// SEC 1 ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING, [0] curve OID, ... }.
fn sec1(der: &[u8]) -> Option<String> {
    let (0x30, seq, _) = tlv(der)? else {
        return None;
    };
    let (0x02, _, rest) = tlv(seq)? else {
        return None;
    };
    let (0x04, key, rest) = tlv(rest)? else {
        return None;
    };
    if let Some((0xa0, params, _)) = tlv(rest)
        && let Some((0x06, oid, _)) = tlv(params)
    {
        return Some(format!("EC {}", curve(oid)));
    }
    Some(format!("EC, {} bits", key.len() * 8))
}

/// PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier, privateKey }.
fn pkcs8(der: &[u8]) -> Option<String> {
    let (0x30, seq, _) = tlv(der)? else {
        return None;
    };
    let (0x02, _, rest) = tlv(seq)? else {
        return None;
    };
    let (0x30, alg, rest) = tlv(rest)? else {
        return None;
    };
    let (0x04, key, _) = tlv(rest)? else {
        return None;
    };
    let (0x06, oid, params) = tlv(alg)? else {
        return None;
    };
    match oid {
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] => rsa(key),
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => match tlv(params) {
            Some((0x06, c, _)) => Some(format!("EC {}", curve(c))),
            _ => sec1(key),
        },
        [0x2b, 0x65, 0x70] => Some("Ed25519".to_owned()),
        [0x2b, 0x65, 0x71] => Some("Ed448".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // Made for these tests with `openssl genrsa -traditional 1024` and `openssl genpkey
    // -algorithm EC -pkeyopt ec_paramgen_curve:P-256`; they protect nothing.
    const RSA_1024: &str = include_str!("../tests/keys/rsa1024.pem");
    const EC_P256: &str = include_str!("../tests/keys/ec-p256.pem");

    #[test]
    fn algorithm_and_size() {
        assert_eq!(
            super::describe(RSA_1024.as_bytes()).as_deref(),
            Some("RSA, 1024 bits, below 2048")
        );
        assert_eq!(
            super::describe(EC_P256.as_bytes()).as_deref(),
            Some("EC P-256")
        );
    }

    #[test]
    fn malformed_keys_say_nothing() {
        for bad in [
            "-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n-----END RSA PRIVATE KEY-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\n",
            "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n",
        ] {
            assert_eq!(super::describe(bad.as_bytes()), None, "{bad}");
        }
        // Truncating a real key anywhere never panics.
        for n in 0..RSA_1024.len() {
            let _ = super::describe(&RSA_1024.as_bytes()[..n]);
        }
    }
}

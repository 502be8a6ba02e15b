//! UDP services: SSDP (UPnP discovery) and CoAP, asked by unicast to the one host.

use std::net::SocketAddr;

use serde::Serialize;

use crate::net::Net;

/// An SSDP answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ssdp {
    /// `SERVER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `LOCATION` (the device description URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `ST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub st: Option<String>,
    /// Announces an Internet Gateway Device (port mapping).
    pub gateway: bool,
}

/// The M-SEARCH request (UPnP Device Architecture 2.0, 1.3.2), sent unicast.
pub const M_SEARCH: &[u8] = b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\nUSER-AGENT: riskmark-probe/1 UPnP/2.0\r\n\r\n";

/// Reads an SSDP answer.
pub fn parse_ssdp(bytes: &[u8]) -> Option<Ssdp> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split("\r\n");
    if !lines.next()?.starts_with("HTTP/1.1 200") {
        return None;
    }
    let mut s = Ssdp::default();
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = Some(v.trim().chars().take(200).collect::<String>());
        match k.trim().to_ascii_uppercase().as_str() {
            "SERVER" => s.server = v,
            "LOCATION" => s.location = v,
            "ST" => s.st = v,
            _ => {}
        }
    }
    s.gateway = text.contains("InternetGatewayDevice") || text.contains("WANIPConnection");
    Some(s)
}

/// A CoAP confirmable GET of `/.well-known/core` (RFC 7252, RFC 6690).
pub const COAP_GET: &[u8] = &[
    0x40, 0x01, 0x52, 0x4d, 0xbb, b'.', b'w', b'e', b'l', b'l', b'-', b'k', b'n', b'o', b'w', b'n',
    0x04, b'c', b'o', b'r', b'e',
];

/// A CoAP answer (version 1, an ACK or a reset to our message id).
pub fn is_coap(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && bytes[0] >> 6 == 1 && bytes[2..4] == [0x52, 0x4d]
}

pub(crate) async fn ssdp(net: &Net, addr: SocketAddr) -> Option<Ssdp> {
    parse_ssdp(&net.udp_ask(addr, M_SEARCH).await?)
}

pub(crate) async fn coap(net: &Net, addr: SocketAddr) -> Option<Vec<u8>> {
    net.udp_ask(addr, COAP_GET).await.filter(|b| is_coap(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        let s = parse_ssdp(b"HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://10.0.0.1:5000/rootDesc.xml\r\nSERVER: Linux UPnP/1.1 MiniUPnPd/2.3\r\n\r\n").unwrap();
        assert!(s.gateway);
        assert_eq!(s.server.as_deref(), Some("Linux UPnP/1.1 MiniUPnPd/2.3"));
        assert!(parse_ssdp(b"NOTIFY * HTTP/1.1\r\n").is_none());
        assert!(is_coap(&[0x60, 0x45, 0x52, 0x4d]));
        assert!(!is_coap(&[0x60, 0x45, 0x00, 0x01]));
    }
}

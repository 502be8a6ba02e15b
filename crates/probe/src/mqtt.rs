//! MQTT: does the broker accept a CONNECT without user name and password?

use std::net::SocketAddr;

use crate::net::Net;

/// An MQTT 3.1.1 CONNECT with a client id and no credentials (clean session, 60 s keep-alive).
pub fn connect_packet(client_id: &str) -> Vec<u8> {
    let mut var = vec![0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60];
    var.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
    var.extend_from_slice(client_id.as_bytes());
    let mut p = vec![0x10, var.len() as u8];
    p.extend(var);
    p
}

/// The CONNACK return code (0 accepted, 4 bad user name or password, 5 not authorized).
pub fn connack(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [0x20, 0x02, _, rc, ..] => Some(*rc),
        _ => None,
    }
}

/// Connects anonymously; `Some(return code)` when the port speaks MQTT.
pub(crate) async fn anonymous(net: &Net, addr: SocketAddr) -> Option<u8> {
    let mut c = net.connect(addr).await.ok()?;
    if !c.send(&connect_packet("riskmark-probe")).await {
        return None;
    }
    let t = net.limits.timeout;
    let got = c.read_exact(4, t).await?;
    let rc = connack(&got)?;
    if rc == 0 {
        let _ = c.send(&[0xe0, 0x00]).await; // DISCONNECT
    }
    Some(rc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets() {
        let p = connect_packet("x");
        assert_eq!(p[0], 0x10);
        assert_eq!(usize::from(p[1]), p.len() - 2);
        assert_eq!(connack(&[0x20, 2, 0, 5]), Some(5));
        assert_eq!(connack(b"HTTP"), None);
    }
}

//! Ports: the small IoT list probed besides the declared services, and `--ports` lists.

use std::fmt;

use serde::Serialize;

/// Transport of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

/// A port to probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Port {
    /// Its number.
    pub number: u16,
    /// TCP or UDP.
    pub transport: Transport,
}

impl Port {
    /// A TCP port.
    pub const fn tcp(number: u16) -> Self {
        Self {
            number,
            transport: Transport::Tcp,
        }
    }
    /// A UDP port.
    pub const fn udp(number: u16) -> Self {
        Self {
            number,
            transport: Transport::Udp,
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = match self.transport {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        };
        write!(f, "{}/{t}", self.number)
    }
}

/// Ports IoT devices commonly leave open: telnet (23, and 2323 which Mirai also tried),
/// SSH, HTTP(S) and their alternates, MQTT (and over TLS), RTSP, Modbus, CoAP, SSDP.
pub const IOT_PORTS: &[Port] = &[
    Port::tcp(23),
    Port::tcp(2323),
    Port::tcp(22),
    Port::tcp(80),
    Port::tcp(443),
    Port::tcp(8080),
    Port::tcp(8443),
    Port::tcp(1883),
    Port::tcp(8883),
    Port::tcp(554),
    Port::tcp(502),
    Port::udp(5683),
    Port::udp(1900),
];

/// At most this many ports in one probe.
pub const MAX_PORTS: usize = 1024;

/// Why a `--ports` list is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--ports: `{item}`: {why}")]
pub struct PortsError {
    /// The item.
    pub item: String,
    /// What is wrong.
    pub why: String,
}

/// Reads a list such as `23,2323,8000-8010,1900/udp`.
///
/// # Errors
/// [`PortsError`] naming the item.
pub fn parse(list: &str) -> Result<Vec<Port>, PortsError> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let bad = |why: &str| PortsError {
            item: item.to_owned(),
            why: why.to_owned(),
        };
        let (nums, transport) = match item.rsplit_once('/') {
            Some((n, "tcp")) => (n, Transport::Tcp),
            Some((n, "udp")) => (n, Transport::Udp),
            Some(_) => return Err(bad("the protocol is tcp or udp")),
            None => (item, Transport::Tcp),
        };
        let num = |s: &str| match s.trim().parse::<u16>() {
            Ok(0) | Err(_) => Err(bad("a port is a number from 1 to 65535")),
            Ok(n) => Ok(n),
        };
        let (lo, hi) = match nums.split_once('-') {
            Some((a, b)) => (num(a)?, num(b)?),
            None => {
                let n = num(nums)?;
                (n, n)
            }
        };
        if lo > hi {
            return Err(bad("a range runs from low to high"));
        }
        if out.len() + usize::from(hi - lo) + 1 > MAX_PORTS {
            return Err(bad(&format!("at most {MAX_PORTS} ports in one probe")));
        }
        out.extend((lo..=hi).map(|number| Port { number, transport }));
    }
    if out.is_empty() {
        return Err(PortsError {
            item: list.to_owned(),
            why: "no port given".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ranges_and_protocols() {
        assert_eq!(
            parse("23, 8000-8002,1900/udp,22/tcp").unwrap(),
            vec![
                Port::tcp(23),
                Port::tcp(8000),
                Port::tcp(8001),
                Port::tcp(8002),
                Port::udp(1900),
                Port::tcp(22)
            ]
        );
        assert_eq!(Port::udp(1900).to_string(), "1900/udp");
        for bad in ["0", "70000", "80/sctp", "9-3", "x", "", "1-65535"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

//! What may be probed: the one host the user names. Ranges only with
//! `--i-own-this-network`, and then only private, loopback or link-local ones of at most
//! 256 addresses; never broadcast, multicast or unspecified addresses.

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs as _};

/// Why a target is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// Not an address, a name or a range.
    #[error("`{0}` is not a host address, a host name or an address range")]
    Unreadable(String),
    /// The name does not resolve.
    #[error("`{0}` does not resolve: {1}")]
    Unresolved(String, String),
    /// A range without `--i-own-this-network`.
    #[error(
        "`{0}` is a range: riskmark probes the one host you name; to probe a local range you own, add --i-own-this-network"
    )]
    Range(String),
    /// A range that is not local or too big.
    #[error("`{0}`: {1}")]
    BadRange(String, String),
    /// Broadcast, multicast, unspecified.
    #[error("`{0}` is a {1} address, not one device")]
    NotOneHost(String, &'static str),
}

/// The addresses `spec` names.
///
/// # Errors
/// [`ScopeError`] when it is not one host (or an allowed local range).
pub fn targets(spec: &str, own_network: bool) -> Result<Vec<IpAddr>, ScopeError> {
    let spec = spec.trim();
    if let Some((base, bits)) = spec.split_once('/') {
        return range(spec, base, bits, own_network);
    }
    let ip = match spec.parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) => resolve(spec)?,
    };
    one_host(spec, ip)?;
    Ok(vec![ip])
}

fn resolve(name: &str) -> Result<IpAddr, ScopeError> {
    let plausible = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !plausible {
        return Err(ScopeError::Unreadable(name.to_owned()));
    }
    (name, 0)
        .to_socket_addrs()
        .map_err(|e| ScopeError::Unresolved(name.to_owned(), e.to_string()))?
        .next()
        .map(|a| a.ip())
        .ok_or_else(|| ScopeError::Unresolved(name.to_owned(), "no address".into()))
}

fn one_host(spec: &str, ip: IpAddr) -> Result<(), ScopeError> {
    let what = match ip {
        IpAddr::V4(v4) if v4.is_broadcast() => Some("broadcast"),
        IpAddr::V4(v4) if v4.is_multicast() => Some("multicast"),
        IpAddr::V6(v6) if v6.is_multicast() => Some("multicast"),
        _ if ip.is_unspecified() => Some("unspecified"),
        _ => None,
    };
    match what {
        Some(w) => Err(ScopeError::NotOneHost(spec.to_owned(), w)),
        None => Ok(()),
    }
}

fn range(spec: &str, base: &str, bits: &str, own: bool) -> Result<Vec<IpAddr>, ScopeError> {
    let (Ok(base), Ok(bits)) = (base.parse::<Ipv4Addr>(), bits.parse::<u8>()) else {
        return Err(ScopeError::Unreadable(spec.to_owned()));
    };
    if bits > 32 {
        return Err(ScopeError::Unreadable(spec.to_owned()));
    }
    if bits == 32 {
        one_host(spec, IpAddr::V4(base))?;
        return Ok(vec![IpAddr::V4(base)]);
    }
    if !own {
        return Err(ScopeError::Range(spec.to_owned()));
    }
    if !(base.is_private() || base.is_loopback() || base.is_link_local()) {
        return Err(ScopeError::BadRange(
            spec.to_owned(),
            "only private, loopback or link-local ranges may be probed".into(),
        ));
    }
    if bits < 24 {
        return Err(ScopeError::BadRange(
            spec.to_owned(),
            "at most 256 addresses (/24) at a time".into(),
        ));
    }
    let mask = u32::MAX << (32 - u32::from(bits));
    let net = u32::from(base) & mask;
    let size = 1u32 << (32 - u32::from(bits));
    // The network and broadcast addresses are not devices (except in /31).
    let (first, last) = if size > 2 {
        (net + 1, net + size - 2)
    } else {
        (net, net + size - 1)
    };
    Ok((first..=last)
        .map(|a| IpAddr::V4(Ipv4Addr::from(a)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_host_is_allowed_ranges_and_broadcast_are_not() {
        assert_eq!(
            targets("127.0.0.5", false).unwrap(),
            vec!["127.0.0.5".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(targets("localhost", false).unwrap().len(), 1);
        assert!(matches!(
            targets("10.0.0.0/24", false),
            Err(ScopeError::Range(_))
        ));
        assert_eq!(targets("10.0.0.0/24", true).unwrap().len(), 254);
        assert_eq!(targets("10.0.0.7/32", false).unwrap().len(), 1);
        assert!(matches!(
            targets("8.8.8.0/24", true),
            Err(ScopeError::BadRange(..))
        ));
        assert!(matches!(
            targets("10.0.0.0/16", true),
            Err(ScopeError::BadRange(..))
        ));
        assert!(matches!(
            targets("255.255.255.255", true),
            Err(ScopeError::NotOneHost(..))
        ));
        assert!(matches!(
            targets("239.255.255.250", false),
            Err(ScopeError::NotOneHost(..))
        ));
        assert!(matches!(
            targets("0.0.0.0", false),
            Err(ScopeError::NotOneHost(..))
        ));
        assert!(matches!(
            targets("10.0.0.0/33", true),
            Err(ScopeError::Unreadable(_))
        ));
        assert!(matches!(
            targets("no such host!", false),
            Err(ScopeError::Unreadable(_))
        ));
    }
}

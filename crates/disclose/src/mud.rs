//! RFC 8520 Manufacturer Usage Description (MUD), JSON encoding of the `ietf-mud` and
//! `ietf-access-control-list` (RFC 8519) YANG modules.
//!
//! The file says what network behaviour the device needs, so that a MUD manager can
//! allow that and nothing more:
//!
//! - **inbound**: each declared listening service (`connectivity.services`), from the
//!   local network only (`ietf-mud:local-networks`), on its port and protocol; the
//!   from-device list allows the replies (TCP: connections the other side initiated);
//! - **outbound**: when `connectivity.cloud_dependent` is true, HTTPS (TCP 443) to the
//!   manufacturer's cloud, named with `ietf-acldns:dst-dnsname`. The host names come from
//!   the options; without any, riskmark **assumes** the manufacturer's domain (the host of
//!   `disclosure.policy_url`, else of the other disclosure URLs or the contact's mail
//!   domain) and says so in a warning: replace it with the real service names;
//! - **default deny**: a last entry in every list that drops whatever came before it
//!   unmatched.
//!
//! `is-supported` is true while `updates.support_end` lies after the as-of day (false
//! when it does not, or is not declared). `firmware-rev` is left out: RFC 8520 forbids it
//! when the firmware can be updated but the MUD URL cannot, which a profile does not say.

use jiff::civil::Date;
use riskmark_model::{Profile, Protocol};
use serde_json::{Value, json};

use crate::{
    DiscloseError, Generated, day_start, https_host, is_https_url, manufacturer_domain, slug,
};

/// What to build from, besides the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The day the file is made (`last-update`, and whether the product is supported).
    pub as_of: Date,
    /// The MUD URL the device emits; default `https://DOMAIN/mud/MODEL.json`.
    pub mud_url: Option<String>,
    /// Host names of the manufacturer's cloud; default: the manufacturer's domain.
    pub cloud_hosts: Vec<String>,
}

/// Hours a MUD manager may cache the file (RFC 8520's default).
pub const CACHE_VALIDITY_HOURS: u8 = 48;

/// Port of the outbound cloud connections allowed (HTTPS).
pub const CLOUD_PORT: u16 = 443;

/// Builds the MUD file.
pub fn generate(profile: &Profile, opts: &Options) -> Result<Generated<Value>, DiscloseError> {
    let mut warnings = Vec::new();
    let domain = manufacturer_domain(profile).map(|(d, _)| d);
    let p = &profile.product;
    let model = slug(&p.model);

    let mud_url = match &opts.mud_url {
        Some(u) if is_https_url(u) => u.clone(),
        Some(u) => {
            return Err(DiscloseError::new(
                "--mud-url",
                format!("`{u}` is not an https URL (RFC 8520 1.5 requires https)"),
            ));
        }
        None => {
            let d = domain.as_deref().ok_or_else(|| {
                DiscloseError::new(
                    "disclosure.policy_url",
                    "no manufacturer domain to derive the MUD URL from: pass --mud-url or declare an https `disclosure.policy_url`",
                )
            })?;
            let u = format!("https://{d}/mud/{model}.json");
            warnings.push(format!(
                "MUD URL assumed to be {u} (pass --mud-url with the one the device emits)"
            ));
            u
        }
    };

    let is_supported = match profile.updates.as_ref().and_then(|u| u.support_end) {
        Some(end) => end.0 > opts.as_of,
        None => {
            warnings.push("updates.support_end is not declared: is-supported is false".to_owned());
            false
        }
    };

    let c = &profile.connectivity;
    let cloud_hosts: Vec<String> = if c.cloud_dependent == Some(true) {
        if opts.cloud_hosts.is_empty() {
            let d = domain.clone().ok_or_else(|| {
                DiscloseError::new(
                    "connectivity.cloud_dependent",
                    "the product depends on a cloud, but there is no manufacturer domain to name it: pass --cloud-host or declare an https `disclosure.policy_url`",
                )
            })?;
            warnings.push(format!(
                "cloud host assumed to be {d}, the manufacturer's domain (pass --cloud-host with the names the device connects to)"
            ));
            vec![d]
        } else {
            let mut hosts = Vec::new();
            for h in &opts.cloud_hosts {
                let host =
                    https_host(&format!("https://{h}")).filter(|x| x == &h.to_ascii_lowercase());
                match host {
                    Some(x) if !hosts.contains(&x) => hosts.push(x),
                    Some(_) => {}
                    None => {
                        return Err(DiscloseError::new(
                            "--cloud-host",
                            format!("`{h}` is not a host name (e.g. `api.example.com`)"),
                        ));
                    }
                }
            }
            hosts
        }
    } else {
        if !opts.cloud_hosts.is_empty() {
            warnings
                .push("--cloud-host ignored: connectivity.cloud_dependent is not true".to_owned());
        }
        Vec::new()
    };

    // The declared services, one per (port, protocol); a service without a protocol is
    // allowed on both.
    let mut services: Vec<(u16, Protocol, String)> = Vec::new();
    for s in c.services.iter().flatten() {
        let protos: &[Protocol] = match s.protocol {
            Some(Protocol::Tcp) => &[Protocol::Tcp],
            Some(Protocol::Udp) => &[Protocol::Udp],
            None => &[Protocol::Tcp, Protocol::Udp],
        };
        for &proto in protos {
            if !services.iter().any(|(p, q, _)| *p == s.port && *q == proto) {
                let name = s.name.as_deref().map_or_else(|| "service".to_owned(), slug);
                services.push((s.port, proto, name));
            }
        }
    }
    if c.services.is_none() {
        warnings.push(
            "connectivity.services is not declared: no inbound connection is allowed".to_owned(),
        );
    }

    let mut acls = Vec::new();
    let mut to_names = Vec::new();
    let mut from_names = Vec::new();
    for ip in [4, 6] {
        let to_name = format!("mud-{model}-v{ip}to");
        let from_name = format!("mud-{model}-v{ip}fr");
        let mut to_aces = Vec::new();
        let mut from_aces = Vec::new();
        for (port, proto, name) in &services {
            let proto_name = proto.as_str();
            let base = format!("loc-{name}-{port}-{proto_name}");
            to_aces.push(ace(
                &format!("{base}-todev"),
                ip,
                *proto,
                None,
                Ports::Destination(*port),
                "to-device",
            ));
            from_aces.push(ace(
                &format!("{base}-frdev"),
                ip,
                *proto,
                None,
                Ports::Source(*port),
                "to-device",
            ));
        }
        for (i, host) in cloud_hosts.iter().enumerate() {
            let base = format!("cl{i}");
            to_aces.push(ace(
                &format!("{base}-todev"),
                ip,
                Protocol::Tcp,
                Some(("src", host)),
                Ports::Source(CLOUD_PORT),
                "from-device",
            ));
            from_aces.push(ace(
                &format!("{base}-frdev"),
                ip,
                Protocol::Tcp,
                Some(("dst", host)),
                Ports::Destination(CLOUD_PORT),
                "from-device",
            ));
        }
        to_aces.push(deny("default-deny-todev"));
        from_aces.push(deny("default-deny-frdev"));
        let ty = if ip == 4 {
            "ipv4-acl-type"
        } else {
            "ipv6-acl-type"
        };
        acls.push(json!({ "name": to_name, "type": ty, "aces": { "ace": to_aces } }));
        acls.push(json!({ "name": from_name, "type": ty, "aces": { "ace": from_aces } }));
        to_names.push(json!({ "name": to_name }));
        from_names.push(json!({ "name": from_name }));
    }

    let mut mud = json!({
        "mud-version": 1,
        "mud-url": mud_url,
        "last-update": day_start(opts.as_of),
        "cache-validity": CACHE_VALIDITY_HOURS,
        "is-supported": is_supported,
        "systeminfo": format!("{} ({})", p.name.trim(), p.model.trim()),
        "mfg-name": p.manufacturer,
        "model-name": p.model,
        "from-device-policy": { "access-lists": { "access-list": from_names } },
        "to-device-policy": { "access-lists": { "access-list": to_names } },
    });
    if let Some(doc) = profile
        .disclosure
        .as_ref()
        .and_then(|d| d.policy_url.as_deref())
        .filter(|u| is_https_url(u))
    {
        mud["documentation"] = json!(doc);
    }
    Ok(Generated {
        content: json!({
            "ietf-mud:mud": mud,
            "ietf-access-control-list:acls": { "acl": acls },
        }),
        warnings,
    })
}

enum Ports {
    Source(u16),
    Destination(u16),
}

/// An accepting entry: IP version, protocol, an optional DNS name (`src`/`dst`), a port,
/// and for TCP the side that initiates. Entries without a DNS name match the local
/// networks only.
fn ace(
    name: &str,
    ip: u8,
    proto: Protocol,
    dns: Option<(&str, &str)>,
    ports: Ports,
    initiated: &str,
) -> Value {
    let mut l3 = json!({ "protocol": if proto == Protocol::Tcp { 6 } else { 17 } });
    if let Some((side, host)) = dns {
        l3[format!("ietf-acldns:{side}-dnsname")] = json!(host);
    }
    let mut l4 = match ports {
        Ports::Source(p) => json!({ "source-port": { "operator": "eq", "port": p } }),
        Ports::Destination(p) => json!({ "destination-port": { "operator": "eq", "port": p } }),
    };
    if proto == Protocol::Tcp {
        l4["ietf-mud:direction-initiated"] = json!(initiated);
    }
    let mut matches = json!({
        if ip == 4 { "ipv4" } else { "ipv6" }: l3,
        if proto == Protocol::Tcp { "tcp" } else { "udp" }: l4,
    });
    if dns.is_none() {
        matches["ietf-mud:mud"] = json!({ "local-networks": [null] });
    }
    json!({ "name": name, "matches": matches, "actions": { "forwarding": "accept" } })
}

/// The last entry of a list: no matches (matches every packet, RFC 8519 4.1), dropped.
fn deny(name: &str) -> Value {
    json!({ "name": name, "actions": { "forwarding": "drop" } })
}

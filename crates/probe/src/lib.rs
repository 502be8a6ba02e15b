//! Probes one live device on the bench against its profile's claims, as a lab or a careful
//! buyer would before deployment, and records what it saw as evidence
//! (`riskmark/evidence/v1`, see `riskmark-evidence`).
//!
//! What it does, bounded in rate, concurrency, time and bytes, to the one host named:
//! - a TCP connect scan of the declared ports plus a small IoT list ([`ports::IOT_PORTS`]),
//!   banners;
//! - TLS versions accepted, by raw ClientHellos (SSL 3.0 to TLS 1.3), and the certificate;
//! - SSH banner and algorithms; HTTP `/` with or without authentication; telnet's first
//!   prompt; MQTT anonymous CONNECT; SSDP M-SEARCH and CoAP by unicast;
//! - default credentials on telnet, SSH (password authentication), HTTP Basic and HTTP
//!   login forms, only when the caller passes a list.
//!
//! Then [`compare`] holds the observations against the profile: undeclared services,
//! declared-authenticated services answering without authentication, legacy TLS while the
//! profile claims modern crypto, a working default credential while it claims unique
//! passwords, UPnP answering while it claims UPnP is off.

mod compare;
pub mod creds;
pub mod http;
mod https;
pub mod mqtt;
mod net;
pub mod ports;
pub mod scope;
pub mod ssh;
pub mod telnet;
pub mod tls;
pub mod udp;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use riskmark_model::{AuthMethod, DefaultPassword, Protocol, TransitEncryption};
use serde::Serialize;

pub use compare::compare;
pub use creds::Credential;
pub use http::HttpInfo;
pub use net::Limits;
pub use ports::{Port, Transport};
pub use ssh::SshInfo;
pub use telnet::Prompt;
pub use tls::{CertInfo, TlsInfo};
pub use udp::Ssdp;

/// A service the profile declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// Its port.
    pub port: Port,
    /// Its index in `connectivity.services`.
    pub index: usize,
    /// Its name.
    pub name: Option<String>,
    /// Its declared authentication.
    pub authentication: Option<AuthMethod>,
}

/// The profile's claims the probe can test.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claims {
    /// `product.vendor product.name`.
    pub product: String,
    /// `connectivity.services`.
    pub services: Vec<Declared>,
    /// `connectivity.upnp`.
    pub upnp: Option<bool>,
    /// `identity.default_password`.
    pub default_password: Option<DefaultPassword>,
    /// `data_protection.encryption_in_transit`.
    pub transit: Vec<TransitEncryption>,
}

impl Claims {
    /// The claims of a profile.
    pub fn of(p: &riskmark_model::Profile) -> Self {
        Self {
            product: format!("{} {}", p.product.manufacturer, p.product.name),
            services: p
                .connectivity
                .services
                .iter()
                .flatten()
                .enumerate()
                .map(|(index, s)| Declared {
                    port: match s.protocol {
                        Some(Protocol::Udp) => Port::udp(s.port),
                        _ => Port::tcp(s.port),
                    },
                    index,
                    name: s.name.clone(),
                    authentication: s.authentication,
                })
                .collect(),
            upnp: p.connectivity.upnp,
            default_password: p.identity.as_ref().and_then(|i| i.default_password),
            transit: p
                .data_protection
                .as_ref()
                .and_then(|d| d.encryption_in_transit.clone())
                .unwrap_or_default(),
        }
    }
}

/// What to probe, and how.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The host as the user named it.
    pub host: String,
    /// Its address.
    pub address: IpAddr,
    /// Ports, declared ones first, each once.
    pub ports: Vec<Port>,
    /// Credentials to try on telnet and HTTP Basic (none: no attempt).
    pub credentials: Vec<Credential>,
    /// Rate, concurrency, timeout.
    pub limits: Limits,
    /// Declared service names by port (`mqtt` on a port other than 1883 is asked as MQTT).
    pub hints: Vec<(Port, String)>,
}

impl Plan {
    /// The declared ports plus `extra` (the IoT list unless the user gave `--ports`).
    pub fn new(
        host: &str,
        address: IpAddr,
        claims: &Claims,
        extra: &[Port],
        credentials: Vec<Credential>,
        limits: Limits,
    ) -> Self {
        let mut ports: Vec<Port> = Vec::new();
        for p in claims
            .services
            .iter()
            .map(|d| d.port)
            .chain(extra.iter().copied())
        {
            if !ports.contains(&p) {
                ports.push(p);
            }
        }
        Self {
            host: host.to_owned(),
            address,
            ports,
            credentials,
            limits,
            hints: claims
                .services
                .iter()
                .filter_map(|d| Some((d.port, d.name.clone()?.to_ascii_lowercase())))
                .collect(),
        }
    }

    /// What the probe would send, a line each (for `--dry-run`).
    pub fn describe(&self) -> Vec<String> {
        let mut out = vec![format!(
            "target {} ({}); at most {} connections at once, {} a second, {} ms timeout",
            self.host,
            self.address,
            self.limits.concurrency,
            self.limits.rate,
            self.limits.timeout.as_millis()
        )];
        for p in &self.ports {
            out.push(match (p.transport, p.number) {
                (Transport::Udp, 1900) => format!("{p}: one SSDP M-SEARCH (unicast)"),
                (Transport::Udp, 5683) => format!("{p}: one CoAP GET /.well-known/core"),
                (Transport::Udp, _) => format!("{p}: nothing (no generic UDP probe)"),
                (Transport::Tcp, _) => format!(
                    "{p}: TCP connect, read the banner; if silent: MQTT CONNECT (1883/8883), ClientHellos for SSL 3.0 to TLS 1.3, HTTP GET /"
                ),
            });
        }
        if self.credentials.is_empty() {
            out.push("credentials: none tried".into());
        } else {
            out.push(format!(
                "credentials: up to {} pairs per telnet, SSH, HTTP Basic or login-form service, stopping at the first that works: {}",
                self.credentials.len(),
                self.credentials
                    .iter()
                    .map(Credential::shown)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }
}

/// A port's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// TCP connect succeeded.
    Open,
    /// Refused.
    Closed,
    /// No answer within the timeout.
    Filtered,
    /// A UDP service answered.
    Answered,
    /// A UDP query got no answer (closed or filtered).
    NoAnswer,
    /// Not probed (UDP without a known protocol).
    NotProbed,
}

/// Credentials tried on one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tried {
    /// How many pairs were tried.
    pub tried: usize,
    /// The pair that worked, if one did (`user:password` for public ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worked: Option<String>,
}

/// What one port showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortReport {
    /// `8443/tcp`.
    pub port: String,
    /// Its state.
    pub state: State,
    /// The service recognised (`telnet`, `ssh`, `http`, `tls`, `mqtt`, `ssdp`, `coap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// A banner line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    /// It answered without asking for authentication (`None`: could not tell).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unauthenticated: Option<bool>,
    /// TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    /// SSH.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssh: Option<SshInfo>,
    /// HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpInfo>,
    /// Telnet's first prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telnet: Option<Prompt>,
    /// MQTT's CONNACK return code to an anonymous CONNECT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mqtt_return_code: Option<u8>,
    /// SSDP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssdp: Option<Ssdp>,
    /// Default credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Tried>,
    #[serde(skip)]
    number: Port,
}

impl PortReport {
    fn new(port: Port, state: State) -> Self {
        Self {
            port: port.to_string(),
            state,
            service: None,
            banner: None,
            unauthenticated: None,
            tls: None,
            ssh: None,
            http: None,
            telnet: None,
            mqtt_return_code: None,
            ssdp: None,
            credentials: None,
            number: port,
        }
    }

    /// The port.
    pub const fn number(&self) -> Port {
        self.number
    }

    /// Open or answering.
    pub fn is_live(&self) -> bool {
        matches!(self.state, State::Open | State::Answered)
    }
}

/// What the probe saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observations {
    /// The host as named.
    pub host: String,
    /// Its address.
    pub address: String,
    /// Each port probed.
    pub ports: Vec<PortReport>,
    /// Connections and datagrams started.
    pub attempts: usize,
}

/// Probes the plan's host. Blocks; runs its own small runtime.
///
/// # Errors
/// When no runtime can be started.
pub fn run(plan: &Plan, now: jiff::Timestamp) -> std::io::Result<Observations> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(observe(plan, now)))
}

async fn observe(plan: &Plan, now: jiff::Timestamp) -> Observations {
    let net = net::Net::new(plan.limits.clone());
    let creds = Arc::new(plan.credentials.clone());
    let name = plan
        .host
        .parse::<IpAddr>()
        .is_err()
        .then(|| plan.host.clone());
    let mut set = tokio::task::JoinSet::new();
    for (i, p) in plan.ports.iter().copied().enumerate() {
        let (net, creds, name) = (net.clone(), creds.clone(), name.clone());
        let addr = SocketAddr::new(plan.address, p.number);
        let mqtt = matches!(p.number, 1883 | 8883)
            || plan
                .hints
                .iter()
                .any(|(h, n)| *h == p && n.contains("mqtt"));
        set.spawn(async move {
            let r = match p.transport {
                Transport::Tcp => tcp_port(&net, addr, p, name.as_deref(), &creds, mqtt, now).await,
                Transport::Udp => udp_port(&net, addr, p).await,
            };
            (i, r)
        });
    }
    let mut out: Vec<(usize, PortReport)> = Vec::new();
    while let Some(done) = set.join_next().await {
        if let Ok(r) = done {
            out.push(r);
        }
    }
    out.sort_by_key(|(i, _)| *i);
    Observations {
        host: plan.host.clone(),
        address: plan.address.to_string(),
        ports: out.into_iter().map(|(_, r)| r).collect(),
        attempts: net.attempts(),
    }
}

async fn udp_port(net: &net::Net, addr: SocketAddr, p: Port) -> PortReport {
    let mut r = PortReport::new(p, State::NotProbed);
    match p.number {
        1900 => {
            r.state = State::NoAnswer;
            if let Some(s) = udp::ssdp(net, addr).await {
                r.state = State::Answered;
                r.service = Some("ssdp".into());
                r.banner = s.server.clone();
                r.ssdp = Some(s);
            }
        }
        5683 => {
            r.state = State::NoAnswer;
            if udp::coap(net, addr).await.is_some() {
                r.state = State::Answered;
                r.service = Some("coap".into());
                r.unauthenticated = Some(true);
            }
        }
        _ => {}
    }
    r
}

/// Tries each credential in turn with `attempt`, stopping at the first that works.
async fn try_each<'a, F, Fut>(creds: &'a [Credential], mut attempt: F) -> Tried
where
    F: FnMut(&'a Credential) -> Fut,
    Fut: Future<Output = bool>,
{
    let mut tried = Tried {
        tried: 0,
        worked: None,
    };
    for cr in creds {
        tried.tried += 1;
        if attempt(cr).await {
            tried.worked = Some(cr.shown());
            break;
        }
    }
    tried
}

/// `GET /` over TLS 1.2/1.3, paced like every other connection.
async fn https_get(
    net: &net::Net,
    addr: SocketAddr,
    host: &str,
    basic: Option<(&str, &str)>,
) -> Option<https::Answer> {
    let _permit = net.pace().await?;
    let (host, timeout) = (host.to_owned(), net.limits.timeout);
    let basic = basic.map(|(u, p)| (u.to_owned(), p.to_owned()));
    tokio::task::spawn_blocking(move || {
        https::get(
            addr,
            &host,
            basic.as_ref().map(|(u, p)| (u.as_str(), p.as_str())),
            timeout,
        )
    })
    .await
    .ok()?
}

fn printable(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect()
}

async fn tcp_port(
    net: &net::Net,
    addr: SocketAddr,
    p: Port,
    name: Option<&str>,
    creds: &[Credential],
    mqtt_first: bool,
    now: jiff::Timestamp,
) -> PortReport {
    let wait = net.limits.timeout;
    let mut c = match net.connect(addr).await {
        Ok(c) => c,
        Err(e) if e == "timeout" => return PortReport::new(p, State::Filtered),
        Err(_) => return PortReport::new(p, State::Closed),
    };
    let mut r = PortReport::new(p, State::Open);
    let first = c
        .read_quiet(
            Duration::from_millis(500),
            wait.min(Duration::from_millis(1500)),
        )
        .await;
    if first.starts_with(b"SSH-") {
        let info = ssh::probe(&mut c, &first, wait).await;
        drop(c);
        r.service = Some("ssh".into());
        r.banner = Some(info.banner.clone());
        r.ssh = Some(info);
        if !creds.is_empty() {
            r.credentials =
                Some(try_each(creds, |c| ssh::try_login(net, addr, &c.user, &c.password)).await);
        }
        return r;
    }
    let (text, _) = telnet::negotiate(&first);
    let is_telnet = first.first() == Some(&255)
        || telnet::prompt(&String::from_utf8_lossy(&text)) != Prompt::Unknown;
    if is_telnet {
        let (prompt, text) = telnet::first_prompt(&mut c, &first, wait).await;
        drop(c);
        r.service = Some("telnet".into());
        r.banner = Some(printable(text.as_bytes())).filter(|b| !b.is_empty());
        r.telnet = Some(prompt);
        r.unauthenticated = match prompt {
            Prompt::Shell => Some(true),
            Prompt::Login | Prompt::Password => Some(false),
            Prompt::Unknown => None,
        };
        if matches!(prompt, Prompt::Login | Prompt::Password) && !creds.is_empty() {
            r.credentials = Some(
                try_each(creds, |c| {
                    telnet::try_login(net, addr, &c.user, &c.password)
                })
                .await,
            );
        }
        return r;
    }
    if !first.is_empty() {
        r.banner = Some(printable(&first));
        if let Some(h) = http::parse(&first) {
            r.service = Some("http".into());
            r.http = Some(h);
        }
        return r;
    }
    drop(c);
    // A silent service: ask it.
    if mqtt_first && let Some(rc) = mqtt::anonymous(net, addr).await {
        r.service = Some("mqtt".into());
        r.mqtt_return_code = Some(rc);
        r.unauthenticated = Some(rc == 0);
        return r;
    }
    let host = name.map_or_else(|| addr.ip().to_string(), str::to_owned);
    if let Some(mut t) = tls::probe(net, addr, name, now).await {
        r.service = Some("tls".into());
        let modern = t.accepted.iter().any(|v| v == "TLS 1.2" || v == "TLS 1.3");
        if let Some(a) = if modern {
            https_get(net, addr, &host, None).await
        } else {
            None
        } {
            if t.certificate.is_none() {
                t.certificate = a
                    .certificate
                    .as_deref()
                    .and_then(|d| tls::certificate(d, now));
            }
            if let Some(h) = a.http {
                r.service = Some("https".into());
                r.banner = h.server.clone();
                r.unauthenticated = Some(!h.requires_auth());
                if h.basic() && !creds.is_empty() {
                    r.credentials = Some(
                        try_each(creds, |c| {
                            let host = &host;
                            async move {
                                https_get(net, addr, host, Some((&c.user, &c.password)))
                                    .await
                                    .and_then(|a| a.http)
                                    .is_some_and(|h| (200..300).contains(&h.status))
                            }
                        })
                        .await,
                    );
                }
                r.http = Some(h);
            }
        }
        r.tls = Some(t);
        return r;
    }
    if let Some(h) = http::get(net, addr, &host, None).await {
        r.service = Some("http".into());
        r.banner = h.server.clone();
        r.unauthenticated = Some(!h.requires_auth());
        if (h.basic() || h.form.is_some()) && !creds.is_empty() {
            r.credentials = Some(
                try_each(creds, |c| {
                    let (h, host) = (&h, &host);
                    async move {
                        match &h.form {
                            Some(form) if !h.basic() => {
                                http::try_form(net, addr, host, form, &c.user, &c.password).await
                            }
                            _ => http::get(net, addr, host, Some((&c.user, &c.password)))
                                .await
                                .is_some_and(|a| (200..300).contains(&a.status)),
                        }
                    }
                })
                .await,
            );
        }
        r.http = Some(h);
        return r;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn claims() -> Claims {
        Claims {
            product: "Acme Cam".into(),
            services: vec![
                Declared {
                    port: Port::tcp(8080),
                    index: 0,
                    name: Some("http".into()),
                    authentication: Some(AuthMethod::Password),
                },
                Declared {
                    port: Port::tcp(8443),
                    index: 1,
                    name: Some("https".into()),
                    authentication: Some(AuthMethod::Password),
                },
            ],
            upnp: Some(false),
            default_password: Some(DefaultPassword::UniquePerDevice),
            transit: vec![TransitEncryption::Tls1_2, TransitEncryption::Tls1_3],
        }
    }

    #[test]
    fn the_plan_lists_declared_ports_first_once() {
        let p = Plan::new(
            "h",
            "127.0.0.1".parse().unwrap(),
            &claims(),
            ports::IOT_PORTS,
            vec![],
            Limits::default(),
        );
        assert_eq!(p.ports[..2], [Port::tcp(8080), Port::tcp(8443)]);
        assert_eq!(p.ports.len(), 2 + ports::IOT_PORTS.len() - 2);
        assert!(
            p.describe()
                .iter()
                .any(|l| l.contains("credentials: none tried"))
        );
    }
}

//! The profile's claims against what the probe saw: [`compare`].

use std::collections::BTreeMap;

use riskmark_evidence::{Check, Finding, Result as Observed};
use riskmark_model::{AuthMethod, DefaultPassword, TransitEncryption};

use crate::{Claims, Observations, State, tls};

/// The claim a finding contradicts, in the profile's own words.
fn quote_transit(t: &[TransitEncryption]) -> String {
    format!(
        "data_protection.encryption_in_transit = [{}]",
        t.iter()
            .map(|x| format!("\"{}\"", x.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The profile's claims against what was seen: findings (those that contradict a claim
/// say which) and the checks the observations decide. An observation decides a check only
/// when it shows the device failing it, except `legacy-crypto-protocol`, which passes when
/// every TLS service seen refused SSL 3.0, TLS 1.0 and TLS 1.1 (a short credential list or
/// a partial port scan proves no absence).
pub fn compare(obs: &Observations, claims: &Claims) -> (Vec<Finding>, Vec<Check>) {
    let mut f: Vec<Finding> = Vec::new();
    let mut push = |code: &str,
                    severity: &str,
                    port: Option<&str>,
                    detail: String,
                    contradicts: Option<String>,
                    check: Option<&str>| {
        f.push(Finding {
            code: code.into(),
            severity: severity.into(),
            port: port.map(str::to_owned),
            detail,
            contradicts,
            check: check.map(str::to_owned),
        });
    };
    let claims_unique = claims
        .default_password
        .filter(|d| *d != DefaultPassword::Universal);
    let claims_legacy_free = !claims.transit.is_empty()
        && !claims.transit.iter().any(|t| {
            matches!(
                t,
                TransitEncryption::Tls1_0 | TransitEncryption::Tls1_1 | TransitEncryption::None
            )
        });
    let mut tls_seen = Vec::new();
    for r in obs.ports.iter().filter(|r| r.is_live()) {
        let port = r.port.as_str();
        let declared = claims.services.iter().find(|d| d.port == r.number);
        let service = r.service.as_deref().unwrap_or("unknown service");
        if declared.is_none() {
            push(
                "undeclared-service",
                "high",
                Some(port),
                format!("{port} is open ({service}) but not declared"),
                Some(format!("connectivity.services does not list {port}")),
                Some("services-inventory"),
            );
        }
        if service == "telnet" {
            push(
                "debug-service",
                "high",
                Some(port),
                format!("telnet answers on {port}"),
                declared
                    .is_none()
                    .then(|| format!("connectivity.services does not list {port}")),
                Some("debug-service-exposed"),
            );
        }
        if r.unauthenticated == Some(true) {
            let how = match service {
                "telnet" => "telnet gives a shell without a login".to_owned(),
                "mqtt" => "the MQTT broker accepts an anonymous CONNECT".to_owned(),
                "coap" => "CoAP answers /.well-known/core without DTLS".to_owned(),
                "http" | "https" => format!(
                    "{} GET / answers {} without asking for credentials",
                    service.to_ascii_uppercase(),
                    r.http.as_ref().map_or(0, |h| h.status)
                ),
                other => format!("{other} answers without authentication"),
            };
            let contradicts = declared.and_then(|d| {
                d.authentication
                    .filter(|a| *a != AuthMethod::None)
                    .map(|a| {
                        format!(
                            "connectivity.services[{}].authentication = \"{}\"",
                            d.index,
                            a.as_str()
                        )
                    })
            });
            push(
                "unauthenticated-access",
                "high",
                Some(port),
                format!("{port}: {how}"),
                contradicts,
                Some("unauthenticated-service"),
            );
        }
        if let Some(worked) = r.credentials.as_ref().and_then(|c| c.worked.as_ref()) {
            push(
                "default-credential",
                "critical",
                Some(port),
                format!("{port}: {service} login with the default credential {worked} works"),
                claims_unique.map(|d| format!("identity.default_password = \"{}\"", d.as_str())),
                Some("default-password-universal"),
            );
        }
        if let Some(t) = &r.tls {
            tls_seen.push((port.to_owned(), t.accepted.clone()));
            let legacy: Vec<&str> = t
                .accepted
                .iter()
                .map(String::as_str)
                .filter(|v| tls::is_legacy(v))
                .collect();
            if !legacy.is_empty() {
                push(
                    "legacy-tls",
                    "high",
                    Some(port),
                    format!(
                        "{port} accepts {} (deprecated, RFC 8996)",
                        legacy.join(", ")
                    ),
                    claims_legacy_free.then(|| quote_transit(&claims.transit)),
                    Some("legacy-crypto-protocol"),
                );
            }
            if let Some(c) = &t.certificate {
                if c.expired {
                    push(
                        "certificate-expired",
                        "medium",
                        Some(port),
                        format!("{port}: certificate expired {}", c.not_after),
                        None,
                        None,
                    );
                }
                if c.weak_key() {
                    push(
                        "certificate-weak-key",
                        "medium",
                        Some(port),
                        format!(
                            "{port}: certificate key {} {} bits",
                            c.key_algorithm, c.key_bits
                        ),
                        None,
                        None,
                    );
                }
                if c.weak_signature() {
                    push(
                        "certificate-weak-signature",
                        "medium",
                        Some(port),
                        format!("{port}: certificate signed with {}", c.signature_algorithm),
                        None,
                        None,
                    );
                }
                if c.self_signed {
                    push(
                        "certificate-self-signed",
                        "info",
                        Some(port),
                        format!("{port}: self-issued certificate ({})", c.subject),
                        None,
                        None,
                    );
                }
            }
        }
        if let Some(s) = r.ssh.as_ref().filter(|s| !s.weak.is_empty()) {
            push(
                "weak-ssh-algorithms",
                "medium",
                Some(port),
                format!("{port}: SSH offers {}", s.weak.join(", ")),
                None,
                None,
            );
        }
        if let Some(s) = &r.ssdp {
            push(
                "upnp",
                "medium",
                Some(port),
                format!(
                    "{port}: answers SSDP M-SEARCH{}{}",
                    s.server
                        .as_ref()
                        .map(|v| format!(" (server {v})"))
                        .unwrap_or_default(),
                    if s.gateway {
                        ", an Internet Gateway Device (port mapping)"
                    } else {
                        ""
                    }
                ),
                (claims.upnp == Some(false)).then(|| "connectivity.upnp = false".to_owned()),
                Some("upnp-enabled"),
            );
        }
    }
    for d in &claims.services {
        let seen = obs.ports.iter().find(|r| r.number == d.port);
        if seen
            .is_some_and(|r| matches!(r.state, State::Closed | State::Filtered | State::NoAnswer))
        {
            push(
                "declared-not-seen",
                "info",
                Some(&d.port.to_string()),
                format!("{} is declared but did not answer", d.port),
                None,
                None,
            );
        }
    }
    // Checks: each failing check once, with every finding behind it.
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for x in &f {
        if let Some(c) = &x.check {
            by.entry(c.clone()).or_default().push(x.detail.clone());
        }
    }
    let mut checks: Vec<Check> = by
        .into_iter()
        .map(|(code, details)| Check {
            code,
            result: Observed::Fail,
            evidence: details.join("; "),
        })
        .collect();
    if !tls_seen.is_empty() && !checks.iter().any(|c| c.code == "legacy-crypto-protocol") {
        checks.push(Check {
            code: "legacy-crypto-protocol".into(),
            result: Observed::Pass,
            evidence: tls_seen
                .iter()
                .map(|(p, v)| format!("{p} accepts only {}", v.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
        });
        checks.sort_by(|a, b| a.code.cmp(&b.code));
    }
    (f, checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::claims;
    use crate::{Port, PortReport, Ssdp, TlsInfo, Tried};

    fn live(port: Port, service: &str) -> PortReport {
        let mut r = PortReport::new(port, State::Open);
        r.service = Some(service.into());
        r
    }

    #[test]
    fn a_lying_profile_is_contradicted_on_every_claim() {
        let mut telnet = live(Port::tcp(2323), "telnet");
        telnet.credentials = Some(Tried {
            tried: 1,
            worked: Some("admin:admin".into()),
        });
        let mut http = live(Port::tcp(8080), "http");
        http.unauthenticated = Some(true);
        let mut tls = live(Port::tcp(8443), "tls");
        tls.tls = Some(TlsInfo {
            accepted: vec!["TLS 1.0".into()],
            refused: vec![],
            certificate: None,
        });
        let mut ssdp = PortReport::new(Port::udp(1900), State::Answered);
        ssdp.ssdp = Some(Ssdp::default());
        let obs = Observations {
            host: "h".into(),
            address: "127.0.0.1".into(),
            ports: vec![telnet, http, tls, ssdp],
            attempts: 0,
        };
        let (f, checks) = compare(&obs, &claims());
        let contradicted: Vec<&str> = f
            .iter()
            .filter(|x| x.contradicts.is_some())
            .map(|x| x.code.as_str())
            .collect();
        for code in [
            "undeclared-service",
            "debug-service",
            "default-credential",
            "unauthenticated-access",
            "legacy-tls",
            "upnp",
        ] {
            assert!(contradicted.contains(&code), "{code} in {contradicted:?}");
        }
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| c.result == Observed::Fail)
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            failed,
            [
                "debug-service-exposed",
                "default-password-universal",
                "legacy-crypto-protocol",
                "services-inventory",
                "unauthenticated-service",
                "upnp-enabled"
            ]
        );
    }

    #[test]
    fn an_honest_device_contradicts_nothing() {
        let mut http = live(Port::tcp(8080), "http");
        http.unauthenticated = Some(false);
        http.credentials = Some(Tried {
            tried: 24,
            worked: None,
        });
        let mut tls = live(Port::tcp(8443), "tls");
        tls.tls = Some(TlsInfo {
            accepted: vec!["TLS 1.2".into(), "TLS 1.3".into()],
            refused: vec![],
            certificate: None,
        });
        let obs = Observations {
            host: "h".into(),
            address: "127.0.0.1".into(),
            ports: vec![http, tls, PortReport::new(Port::tcp(23), State::Closed)],
            attempts: 0,
        };
        let (f, checks) = compare(&obs, &claims());
        assert!(f.iter().all(|x| x.contradicts.is_none()), "{f:?}");
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].code.as_str(), checks[0].result),
            ("legacy-crypto-protocol", Observed::Pass)
        );
    }
}

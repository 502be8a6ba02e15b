//! HTTP: whether `/` asks for authentication, and HTTP Basic default credentials.

use std::net::SocketAddr;

use base64::Engine as _;
use serde::Serialize;

use crate::net::Net;

/// What `GET /` answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HttpInfo {
    /// Status code.
    pub status: u16,
    /// `Server` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `WWW-Authenticate` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticate: Option<String>,
    /// `Location` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The page holds a password field (a login form).
    pub login_form: bool,
}

impl HttpInfo {
    /// Authentication is asked for: 401/403, a redirect to a login page, or a login form.
    pub fn requires_auth(&self) -> bool {
        matches!(self.status, 401 | 403 | 407)
            || self.login_form
            || (matches!(self.status, 301 | 302 | 303 | 307 | 308)
                && self.location.as_deref().is_some_and(|l| {
                    let l = l.to_ascii_lowercase();
                    l.contains("login") || l.contains("auth") || l.contains("signin")
                }))
    }
    /// Asks for HTTP Basic.
    pub fn basic(&self) -> bool {
        self.status == 401
            && self
                .authenticate
                .as_deref()
                .is_some_and(|a| a.to_ascii_lowercase().starts_with("basic"))
    }
}

/// Reads a response head. `None` when it is not HTTP.
pub fn parse(bytes: &[u8]) -> Option<HttpInfo> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let mut info = HttpInfo {
        status,
        ..HttpInfo::default()
    };
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = Some(v.trim().chars().take(200).collect::<String>());
        match k.trim().to_ascii_lowercase().as_str() {
            "server" => info.server = v,
            "www-authenticate" => info.authenticate = v,
            "location" => info.location = v,
            _ => {}
        }
    }
    let body = text.to_ascii_lowercase();
    info.login_form = body.contains("type=\"password\"")
        || body.contains("type='password'")
        || body.contains("type=password");
    Some(info)
}

/// `GET /`, with Basic credentials when given.
pub(crate) async fn get(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    basic: Option<(&str, &str)>,
) -> Option<HttpInfo> {
    let mut c = net.connect(addr).await.ok()?;
    let mut req = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: riskmark-probe\r\nAccept: */*\r\nConnection: close\r\n"
    );
    if let Some((u, p)) = basic {
        req.push_str(&format!(
            "Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
        ));
    }
    req.push_str("\r\n");
    if !c.send(req.as_bytes()).await {
        return None;
    }
    let t = net.limits.timeout;
    let got = c
        .read_quiet(t.min(std::time::Duration::from_millis(800)), t)
        .await;
    parse(&got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_auth_and_forms() {
        let a = parse(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nServer: busybox\r\n\r\n").unwrap();
        assert!(a.requires_auth() && a.basic());
        let b = parse(b"HTTP/1.0 200 OK\r\n\r\n<html>hello</html>").unwrap();
        assert!(!b.requires_auth());
        let f = parse(b"HTTP/1.0 200 OK\r\n\r\n<input type=\"password\" name=p>").unwrap();
        assert!(f.requires_auth() && !f.basic());
        let r = parse(b"HTTP/1.1 302 Found\r\nLocation: /login.html\r\n\r\n").unwrap();
        assert!(r.requires_auth());
        assert!(parse(b"SSH-2.0-x\r\n").is_none());
    }
}

//! HTTP: whether `/` asks for authentication, and default credentials by HTTP Basic or
//! through the page's login form.

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
    /// The login form, when one was read.
    #[serde(skip)]
    pub form: Option<LoginForm>,
    /// `Set-Cookie` was sent.
    #[serde(skip)]
    pub sets_cookie: bool,
    /// The body says a login failed (`invalid`, `incorrect`, `wrong`, ...).
    #[serde(skip)]
    pub says_failed: bool,
}

/// A login form: where it posts and its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginForm {
    /// `action` (a path; `/` when absent).
    pub action: String,
    /// The user name field, if the form has one.
    pub user_field: Option<String>,
    /// The password field.
    pub password_field: String,
    /// Hidden fields and their values (CSRF tokens and the like), sent back as they are.
    pub hidden: Vec<(String, String)>,
}

/// The value of attribute `name` in a tag's text (`<input type="text" name=user>`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let low = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = low[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = i == 0 || low.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = low[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let start = tag.len() - rest.len() + 1;
        let v = tag[start..].trim_start();
        let value = match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
            _ => v
                .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(value.to_owned());
    }
    None
}

/// Finds a form with a password field in an HTML page (bounded: the first 64 KiB, at most
/// 64 inputs).
pub fn login_form(html: &str) -> Option<LoginForm> {
    let html = html.get(..html.len().min(64 * 1024)).unwrap_or(html);
    let low = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(start) = low[at..].find("<form").map(|i| i + at) {
        let end = low[start..].find("</form").map_or(low.len(), |i| i + start);
        at = end;
        let open_end = low[start..end].find('>').map_or(end, |i| i + start);
        let form_tag = &html[start..open_end];
        let mut f = LoginForm {
            action: attr(form_tag, "action")
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| "/".into()),
            ..LoginForm::default()
        };
        let mut password = None;
        for (n, _) in low[start..end].match_indices("<input").take(64) {
            let tag_start = start + n;
            let tag_end = low[tag_start..end].find('>').map_or(end, |j| j + tag_start);
            let tag = &html[tag_start..tag_end];
            let kind = attr(tag, "type")
                .unwrap_or_else(|| "text".into())
                .to_ascii_lowercase();
            let Some(name) = attr(tag, "name").filter(|x| !x.is_empty()) else {
                continue;
            };
            match kind.as_str() {
                "password" if password.is_none() => password = Some(name),
                "text" | "email" if f.user_field.is_none() => f.user_field = Some(name),
                "hidden" => f
                    .hidden
                    .push((name, attr(tag, "value").unwrap_or_default())),
                _ => {}
            }
        }
        if let Some(p) = password {
            f.password_field = p;
            return Some(f);
        }
    }
    None
}

/// `application/x-www-form-urlencoded` (WHATWG URL, application/x-www-form-urlencoded
/// serializer).
fn form_encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        let mut o = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    o.push(char::from(b));
                }
                b' ' => o.push('+'),
                _ => o.push_str(&format!("%{b:02X}")),
            }
        }
        o
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
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
            "set-cookie" => info.sets_cookie = true,
            _ => {}
        }
    }
    let body = text.to_ascii_lowercase();
    info.login_form = body.contains("type=\"password\"")
        || body.contains("type='password'")
        || body.contains("type=password");
    if info.login_form {
        info.form = login_form(&text);
    }
    info.says_failed = ["invalid", "incorrect", "wrong", "failed", "denied", "error"]
        .iter()
        .any(|w| body.contains(w));
    Some(info)
}

/// The `GET /` request, with Basic credentials when given.
pub(crate) fn request(host: &str, basic: Option<(&str, &str)>) -> String {
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
    req
}

/// `GET /`, with Basic credentials when given.
pub(crate) async fn get(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    basic: Option<(&str, &str)>,
) -> Option<HttpInfo> {
    let mut c = net.connect(addr).await.ok()?;
    if !c.send(request(host, basic).as_bytes()).await {
        return None;
    }
    let t = net.limits.timeout;
    let got = c
        .read_quiet(t.min(std::time::Duration::from_millis(800)), t)
        .await;
    parse(&got)
}

/// Posts one user name and password through a login form; true when the answer looks
/// like a session: a redirect away from the login page with a cookie, or a page without
/// a password field that does not say the login failed.
pub(crate) async fn try_form(
    net: &Net,
    addr: SocketAddr,
    host: &str,
    form: &LoginForm,
    user: &str,
    password: &str,
) -> bool {
    let Ok(mut c) = net.connect(addr).await else {
        return false;
    };
    let mut pairs: Vec<(&str, &str)> = form
        .hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(u) = &form.user_field {
        pairs.push((u, user));
    }
    pairs.push((&form.password_field, password));
    let body = form_encode(&pairs);
    // Only a path on the same host: the probe never follows a form elsewhere.
    let path = if form.action.starts_with('/') {
        form.action.clone()
    } else if form.action.contains("://") {
        return false;
    } else {
        format!("/{}", form.action)
    };
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: riskmark-probe\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if !c.send(req.as_bytes()).await {
        return false;
    }
    let t = net.limits.timeout;
    let got = c
        .read_quiet(t.min(std::time::Duration::from_millis(800)), t)
        .await;
    let Some(a) = parse(&got) else {
        return false;
    };
    match a.status {
        301 | 302 | 303 | 307 | 308 => {
            a.sets_cookie
                && !a.location.as_deref().is_some_and(|l| {
                    let l = l.to_ascii_lowercase();
                    ["login", "auth", "signin", "error", "fail"]
                        .iter()
                        .any(|w| l.contains(w))
                })
        }
        200 => !a.login_form && !a.says_failed,
        _ => false,
    }
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
        let page = "<html><form method=post action='/cgi-bin/login'><input type=hidden name=csrf value=\"t0k\"><input name=user><input type=\"password\" name=\"pass\"></form>";
        let form = login_form(page).unwrap();
        assert_eq!(form.action, "/cgi-bin/login");
        assert_eq!(form.user_field.as_deref(), Some("user"));
        assert_eq!(form.password_field, "pass");
        assert_eq!(form.hidden, [("csrf".to_owned(), "t0k".to_owned())]);
        assert!(login_form("<form><input name=q></form>").is_none());
        assert_eq!(form_encode(&[("a b", "x&y=z")]), "a+b=x%26y%3Dz");
        for n in 0..page.len() {
            let _ = login_form(&page[..n]);
        }
    }
}

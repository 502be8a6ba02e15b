//! Telnet: option negotiation (refuse everything but the server's echo and
//! suppress-go-ahead), what the server asks first, and a bounded login attempt.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use crate::net::{Conn, Net};

const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
const ECHO: u8 = 1;
const SGA: u8 = 3;

/// Splits received bytes into text and the answers owed to the server's negotiation.
pub fn negotiate(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (mut text, mut reply) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != IAC {
            text.push(b);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(&IAC) => {
                text.push(IAC);
                i += 2;
            }
            Some(&cmd @ (DO | DONT | WILL | WONT)) => {
                if let Some(&opt) = bytes.get(i + 2) {
                    match cmd {
                        DO => reply.extend_from_slice(&[IAC, WONT, opt]),
                        WILL if opt == ECHO || opt == SGA => {
                            reply.extend_from_slice(&[IAC, DO, opt]);
                        }
                        WILL => reply.extend_from_slice(&[IAC, DONT, opt]),
                        _ => {}
                    }
                }
                i += 3;
            }
            Some(&SB) => {
                // Skip to IAC SE.
                let end = bytes[i..]
                    .windows(2)
                    .position(|w| w == [IAC, SE])
                    .map_or(bytes.len(), |p| i + p + 2);
                i = end;
            }
            _ => i += 2,
        }
    }
    (text, reply)
}

/// What the server asked for first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Prompt {
    /// A user name.
    Login,
    /// A password.
    Password,
    /// Nothing: a shell prompt straight away.
    Shell,
    /// Something else, or nothing.
    Unknown,
}

/// Classifies the text the server sent.
pub fn prompt(text: &str) -> Prompt {
    let t = text.trim_end().to_ascii_lowercase();
    let last = t.lines().last().unwrap_or("").trim_end();
    if last.ends_with("login:") || last.ends_with("username:") || last.ends_with("user:") {
        Prompt::Login
    } else if last.ends_with("password:") {
        Prompt::Password
    } else if last.ends_with('#') || last.ends_with('$') || last.ends_with('>') {
        Prompt::Shell
    } else {
        Prompt::Unknown
    }
}

/// Reads until quiet, answering negotiation; returns the text.
async fn converse(c: &mut Conn, wait: Duration) -> String {
    let mut text = Vec::new();
    for _ in 0..8 {
        let got = c.read_quiet(Duration::from_millis(400), wait).await;
        if got.is_empty() {
            break;
        }
        let (t, reply) = negotiate(&got);
        text.extend(t);
        if !reply.is_empty() && !c.send(&reply).await {
            break;
        }
        if reply.is_empty() && prompt(&String::from_utf8_lossy(&text)) != Prompt::Unknown {
            break;
        }
    }
    String::from_utf8_lossy(&text)
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(2000)
        .collect()
}

/// What a telnet server asks for first, from the bytes it sent on connect and after.
pub(crate) async fn first_prompt(c: &mut Conn, first: &[u8], wait: Duration) -> (Prompt, String) {
    let (t, reply) = negotiate(first);
    let mut text = String::from_utf8_lossy(&t).into_owned();
    let answered = !reply.is_empty() && c.send(&reply).await;
    if answered || prompt(&text) == Prompt::Unknown {
        text.push_str(&converse(c, wait).await);
    }
    (prompt(&text), text)
}

/// Tries one user name and password on a new connection: true when a shell prompt follows.
pub(crate) async fn try_login(net: &Net, addr: SocketAddr, user: &str, password: &str) -> bool {
    let Ok(mut c) = net.connect(addr).await else {
        return false;
    };
    let wait = net.limits.timeout;
    let mut text = converse(&mut c, wait).await;
    if prompt(&text) == Prompt::Login {
        if !c.send(format!("{user}\r\n").as_bytes()).await {
            return false;
        }
        text = converse(&mut c, wait).await;
    }
    if prompt(&text) != Prompt::Password {
        return false;
    }
    if !c.send(format!("{password}\r\n").as_bytes()).await {
        return false;
    }
    let after = converse(&mut c, wait).await;
    let low = after.to_ascii_lowercase();
    let refused = [
        "incorrect",
        "failed",
        "denied",
        "invalid",
        "login:",
        "password:",
    ]
    .iter()
    .any(|w| low.contains(w));
    !refused && prompt(&after) == Prompt::Shell
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_and_prompts() {
        let (t, r) = negotiate(&[
            IAC, WILL, ECHO, IAC, DO, 31, b'l', b'o', IAC, SB, 24, 1, IAC, SE, b'g',
        ]);
        assert_eq!(t, b"log");
        assert_eq!(r, [IAC, DO, ECHO, IAC, WONT, 31]);
        assert_eq!(prompt("\r\nsim login: "), Prompt::Login);
        assert_eq!(prompt("Password: "), Prompt::Password);
        assert_eq!(prompt("BusyBox v1.35.0\n# "), Prompt::Shell);
        assert_eq!(prompt("hello"), Prompt::Unknown);
        let _ = negotiate(&[IAC]);
        let _ = negotiate(&[IAC, DO]);
        let _ = negotiate(&[IAC, SB, 1]);
    }
}

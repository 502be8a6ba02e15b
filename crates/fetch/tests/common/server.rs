//! A tiny HTTP/1.1 server for the download tests, on 127.0.0.1 only.
//!
//! One connection at a time, `Connection: close` on every answer, every
//! request logged. The thread stops when the server is dropped, after
//! `MAX_REQUESTS` requests, or after `LIFETIME`, whichever comes first, so a
//! test cannot hang on it. Shared by `crates/fetch/tests` and
//! `crates/riskmark/tests/sync.rs` (through `#[path]`).

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const LIFETIME: Duration = Duration::from_secs(120);
const MAX_REQUESTS: usize = 500;
const MAX_HEAD: usize = 64 * 1024;

/// A request as the server saw it (header names lower-cased).
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter.
    pub fn query(&self, key: &str) -> Option<&str> {
        let q = self.target.split_once('?')?.1;
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

/// What to answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Send only this many bytes of the body (Content-Length still says
    /// the whole), then close: a connection dropped half-way.
    pub cut_after: Option<usize>,
    /// No `Content-Length`: the body ends when the connection closes.
    pub no_length: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            cut_after: None,
            no_length: false,
        }
    }

    pub fn header(mut self, k: &str, v: impl Into<String>) -> Self {
        self.headers.push((k.to_owned(), v.into()));
        self
    }

    pub fn body(mut self, b: impl Into<Vec<u8>>) -> Self {
        self.body = b.into();
        self
    }

    pub fn without_length(mut self) -> Self {
        self.no_length = true;
        self
    }

    pub fn cut_after(mut self, n: usize) -> Self {
        self.cut_after = Some(n);
        self
    }
}

/// A static file as a careful server serves it: `ETag` and `Last-Modified`,
/// 304 to a matching `If-None-Match`, 206 to `Range: bytes=N-`.
pub fn serve_file(req: &Req, body: &[u8], etag: &str) -> Reply {
    let last_modified = "Mon, 25 Aug 2025 12:00:00 GMT";
    if req.header("if-none-match") == Some(etag) {
        return Reply::status(304)
            .header("ETag", etag)
            .header("Last-Modified", last_modified);
    }
    let range_ok = req
        .header("if-range")
        .is_none_or(|v| v == etag || v == last_modified);
    if let Some(from) = req
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|_| range_ok)
    {
        if from >= body.len() {
            return Reply::status(416).header("Content-Range", format!("bytes */{}", body.len()));
        }
        return Reply::status(206)
            .header("ETag", etag)
            .header("Last-Modified", last_modified)
            .header(
                "Content-Range",
                format!("bytes {from}-{}/{}", body.len() - 1, body.len()),
            )
            .body(&body[from..]);
    }
    Reply::status(200)
        .header("ETag", etag)
        .header("Last-Modified", last_modified)
        .body(body)
}

type Handler = dyn Fn(&Req, usize) -> Reply + Send + Sync;

/// The server; dropping it stops the thread.
pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Req>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server whose `handler` gets each request and its 0-based
    /// number among all requests.
    pub fn start(handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let log = Arc::clone(&log);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let started = Instant::now();
                let mut served = 0;
                while !stop.load(Ordering::SeqCst)
                    && started.elapsed() < LIFETIME
                    && served < MAX_REQUESTS
                {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            serve(stream, &*handler, served, &log);
                            served += 1;
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            addr,
            log,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request, logs it, then answers: logged before the answer is written, so a
/// client that has its answer always finds its request in [`Server::requests`].
fn serve(mut stream: TcpStream, handler: &Handler, n: usize, log: &Mutex<Vec<Req>>) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let k = stream.read(&mut buf).ok()?;
        if k == 0 || head.len() > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..k]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let req = Req {
        method,
        target,
        headers,
    };
    let reply = handler(&req, n);
    log.lock().expect("log").push(req);
    let mut out = format!("HTTP/1.1 {} X\r\n", reply.status).into_bytes();
    for (k, v) in &reply.headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    let no_body = reply.status == 304 || reply.status == 204;
    if !no_body && !reply.no_length {
        out.extend_from_slice(format!("Content-Length: {}\r\n", reply.body.len()).as_bytes());
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    if !no_body {
        let n = reply
            .cut_after
            .unwrap_or(reply.body.len())
            .min(reply.body.len());
        out.extend_from_slice(&reply.body[..n]);
    }
    let _ = stream.write_all(&out);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Some(())
}

/// A fixture of `crates/fetch/tests/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fetch/tests/fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

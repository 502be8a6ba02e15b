//! Bounded network I/O: every connection waits for the rate limiter and a concurrency
//! permit, every read has a timeout and a byte cap.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout};

/// How hard the probe may push.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connect and read timeout.
    pub timeout: Duration,
    /// At most this many connections at once.
    pub concurrency: usize,
    /// At most this many new connections (or datagrams) a second.
    pub rate: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_millis(2000),
            concurrency: 8,
            rate: 50,
        }
    }
}

/// Shared rate limiter and concurrency bound.
#[derive(Debug, Clone)]
pub(crate) struct Net {
    pub(crate) limits: Limits,
    permits: Arc<Semaphore>,
    next: Arc<Mutex<Instant>>,
    sent: Arc<std::sync::atomic::AtomicUsize>,
}

/// A connection and its concurrency permit.
pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    _permit: OwnedSemaphorePermit,
}

/// Largest answer read from one connection.
pub(crate) const MAX_READ: usize = 64 * 1024;

impl Net {
    pub(crate) fn new(limits: Limits) -> Self {
        let concurrency = limits.concurrency.clamp(1, 64);
        Self {
            limits,
            permits: Arc::new(Semaphore::new(concurrency)),
            next: Arc::new(Mutex::new(Instant::now())),
            sent: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
        }
    }

    /// How many connections and datagrams were started.
    pub(crate) fn attempts(&self) -> usize {
        self.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) async fn pace(&self) -> Option<OwnedSemaphorePermit> {
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        let gap = Duration::from_secs(1) / self.limits.rate.clamp(1, 1000);
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + gap;
            at
        };
        tokio::time::sleep_until(at).await;
        self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(permit)
    }

    /// Connects, or says why not (`refused`, `timeout`, ...).
    pub(crate) async fn connect(&self, addr: SocketAddr) -> Result<Conn, String> {
        let permit = self.pace().await.ok_or("closed")?;
        match timeout(self.limits.timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => Ok(Conn {
                stream,
                _permit: permit,
            }),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                Err("refused".into())
            }
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("timeout".into()),
        }
    }

    /// Sends one datagram and waits for one answer.
    pub(crate) async fn udp_ask(&self, addr: SocketAddr, query: &[u8]) -> Option<Vec<u8>> {
        let _permit = self.pace().await?;
        let local: SocketAddr = if addr.is_ipv4() {
            "0.0.0.0:0".parse().ok()?
        } else {
            "[::]:0".parse().ok()?
        };
        let sock = UdpSocket::bind(local).await.ok()?;
        sock.send_to(query, addr).await.ok()?;
        let mut buf = vec![0u8; 8192];
        let deadline = Instant::now() + self.limits.timeout;
        loop {
            let (n, from) = tokio::time::timeout_at(deadline, sock.recv_from(&mut buf))
                .await
                .ok()?
                .ok()?;
            // Only the probed host's answer counts.
            if from.ip() == addr.ip() {
                buf.truncate(n);
                return Some(buf);
            }
        }
    }
}

impl Conn {
    /// The stream, and the permit that must live as long as it is used.
    pub(crate) fn into_parts(self) -> (TcpStream, OwnedSemaphorePermit) {
        (self.stream, self._permit)
    }

    pub(crate) async fn send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok()
    }

    /// Reads what arrives until the peer is quiet for `quiet`, closes, `max` bytes are
    /// read, or `total` passes.
    pub(crate) async fn read_quiet(&mut self, quiet: Duration, total: Duration) -> Vec<u8> {
        let mut out = Vec::new();
        let deadline = Instant::now() + total;
        let mut buf = [0u8; 4096];
        while out.len() < MAX_READ {
            let wait = (deadline - Instant::now().min(deadline)).min(quiet);
            if wait.is_zero() {
                break;
            }
            match timeout(wait, self.stream.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => out.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        out
    }

    /// Reads exactly `n` bytes within `within`.
    pub(crate) async fn read_exact(&mut self, n: usize, within: Duration) -> Option<Vec<u8>> {
        if n > MAX_READ {
            return None;
        }
        let mut buf = vec![0u8; n];
        timeout(within, self.stream.read_exact(&mut buf))
            .await
            .ok()?
            .ok()?;
        Some(buf)
    }
}

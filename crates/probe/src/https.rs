//! HTTP over TLS 1.2/1.3 (rustls, which speaks no older version): whether `/` asks for
//! authentication, HTTP Basic credentials, and the certificate of a TLS 1.3-only service
//! (encrypted in its handshake, so the raw ClientHellos cannot read it). The certificate is
//! not verified: the probe only looks at it, and sends nothing secret.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::http::{HttpInfo, parse, request};

#[derive(Debug)]
struct LookOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for LookOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// What a `GET /` over TLS gave.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answer {
    /// The HTTP answer, when the service speaks HTTP.
    pub(crate) http: Option<HttpInfo>,
    /// The leaf certificate (DER).
    pub(crate) certificate: Option<Vec<u8>>,
}

/// `GET /` over TLS (blocking; bounded by `timeout` for connect, each read and write,
/// and 64 KiB of answer).
pub(crate) fn get(
    addr: SocketAddr,
    host: &str,
    basic: Option<(&str, &str)>,
    timeout: Duration,
) -> Option<Answer> {
    // rustls 0.23.48 deprecates the ring provider for lacking post-quantum key exchange.
    // This client only looks at what a device offers (its certificate and HTTP head); it
    // sends no secret worth protecting, and devices do not offer post-quantum groups, so
    // ring (no C toolchain beyond what ring needs, no aws-lc build) stays the right fit.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(LookOnly(provider)))
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).ok()?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).ok()?;
    let sock = TcpStream::connect_timeout(&addr, timeout).ok()?;
    sock.set_read_timeout(Some(timeout)).ok()?;
    sock.set_write_timeout(Some(timeout)).ok()?;
    let mut tls = rustls::StreamOwned::new(conn, sock);
    let mut answer = Answer::default();
    if tls.write_all(request(host, basic).as_bytes()).is_err() {
        return None;
    }
    answer.certificate = tls
        .conn
        .peer_certificates()
        .and_then(|c| c.first())
        .map(|c| c.as_ref().to_vec());
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.len() < crate::net::MAX_READ {
        match tls.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    answer.http = parse(&got);
    Some(answer)
}

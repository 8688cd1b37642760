//! The consent page over plain HTTP on the emulator's own port.
//!
//! A browser shows a certificate warning for the emulator's local CA, and a careful person
//! stops there. Browsers treat `http://127.0.0.1` and `http://localhost` as secure contexts, so
//! the consent page (`/oauth/auth`) and the landing page after it ([`CONSENT_GIVEN_PATH`]) are
//! also served as plain HTTP on the same port: the first byte of each connection tells a TLS
//! handshake (`0x16`) from an HTTP request. Over plain HTTP nothing else answers: the token,
//! userinfo, eSignature REST and admin endpoints are HTTPS only (a plain request gets 403 with a
//! short text naming the HTTPS address).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Router;
use axum_server::accept::Accept;
use axum_server::tls_rustls::RustlsAcceptor;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The landing page's path: the default world registers `http://127.0.0.1:PORT` + this as a
/// redirect URI, so after Allow the browser lands on a page that answers.
pub const CONSENT_GIVEN_PATH: &str = "/consent-given";

/// First byte of a TLS record carrying a handshake.
const TLS_HANDSHAKE: u8 = 0x16;

/// A connection: TLS, or plain HTTP for the consent page.
pub(crate) enum Conn<T> {
    Tls(T),
    Plain(TcpStream),
}

impl<T: AsyncRead + Unpin> AsyncRead for Conn<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Tls(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Conn<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Tls(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Tls(s) => Pin::new(s).poll_flush(cx),
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Tls(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Tls(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Conn::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Conn::Tls(s) => s.is_write_vectored(),
            Conn::Plain(s) => s.is_write_vectored(),
        }
    }
}

/// Accepts TLS connections with the full router and plain-HTTP ones with `plain` (the consent
/// page only).
#[derive(Clone)]
pub(crate) struct SniffAcceptor {
    pub tls: RustlsAcceptor,
    pub plain: Router,
}

type TlsStream = <RustlsAcceptor as Accept<TcpStream, Router>>::Stream;

impl Accept<TcpStream, Router> for SniffAcceptor {
    type Stream = Conn<TlsStream>;
    type Service = Router;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Router)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: Router) -> Self::Future {
        let tls = self.tls.clone();
        let plain = self.plain.clone();
        Box::pin(async move {
            let mut first = [0u8; 1];
            let n = stream.peek(&mut first).await?;
            if n == 1 && first[0] != TLS_HANDSHAKE {
                return Ok((Conn::Plain(stream), plain));
            }
            let (s, service) = tls.accept(stream, service).await?;
            Ok((Conn::Tls(s), service))
        })
    }
}

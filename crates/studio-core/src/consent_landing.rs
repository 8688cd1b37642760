//! The page the browser lands on after DocuSign's consent page, served by the Studio itself when
//! the connection's redirect URI is a plain-HTTP loopback address it can listen on (for example
//! `http://localhost:8765/callback`, which DocuSign accepts as a redirect URI).
//!
//! After Allow, DocuSign sends the browser to the redirect URI with `code` (or `error` after
//! Deny). JWT Grant never exchanges that code; it only means the person answered. So the
//! listener answers with a page saying consent was given and to go back to the app, and tells
//! the caller at once, so the app confirms consent with one token try instead of waiting for its
//! next poll. The code is neither shown nor kept.
//!
//! HTTPS redirect URIs (`https://localhost/...`) cannot be served without a certificate the
//! browser trusts, and other hosts are not this computer: for those [`loopback_target`] says no
//! and the app keeps polling.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

/// What the browser brought back to the redirect URI.
/// Sent to the window as `{"outcome": "allowed"}` / `{"outcome": "denied", "message"}` (the
/// UI's `ConsentRedirect` type).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RedirectOutcome {
    /// `code` came back: the person pressed Allow.
    Allowed,
    /// `error` came back (e.g. `access_denied` after Deny), with DocuSign's message if any.
    Denied {
        /// DocuSign's `error_message`, or the `error` code.
        message: String,
    },
}

/// Called once per redirect the listener receives.
pub type OnRedirect = Arc<dyn Fn(RedirectOutcome) + Send + Sync>;

/// How long a listener waits for the browser at most.
pub const LISTEN_FOR: Duration = Duration::from_secs(30 * 60);

/// Where to listen for a redirect URI: its loopback socket address and path, when it is
/// `http://` on `127.0.0.1`, `localhost` or `[::1]` with an explicit port other than 0.
/// `None` for anything else (HTTPS, another host, no port).
pub fn loopback_target(redirect_uri: &str) -> Option<(SocketAddr, String)> {
    let url = url::Url::parse(redirect_uri.trim()).ok()?;
    if url.scheme() != "http" {
        return None;
    }
    let port = url.port().filter(|p| *p != 0)?;
    let ip = match url.host()? {
        url::Host::Ipv4(ip) if ip.is_loopback() => IpAddr::V4(ip),
        url::Host::Ipv6(ip) if ip.is_loopback() => IpAddr::V6(ip),
        url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        }
        _ => return None,
    };
    let path = match url.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    Some((SocketAddr::new(ip, port), path))
}

/// A running landing-page listener. Dropping it (or [`RedirectListener::stop`]) stops it.
#[derive(Debug)]
pub struct RedirectListener {
    addr: SocketAddr,
    cancel: CancellationToken,
}

impl RedirectListener {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops listening.
    pub fn stop(&self) {
        self.cancel.cancel();
    }
}

impl Drop for RedirectListener {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

#[derive(Clone)]
struct Landing {
    on_redirect: OnRedirect,
}

/// Starts serving the landing page at `redirect_uri` (on the current tokio runtime) for up to
/// [`LISTEN_FOR`]. `Ok(None)` when the redirect URI is not one the app can listen on (see
/// [`loopback_target`]).
///
/// # Errors
/// The bind error (the port is taken, e.g. by the person's own app): the caller then keeps
/// polling as without a listener.
pub async fn listen(
    redirect_uri: &str,
    on_redirect: OnRedirect,
) -> std::io::Result<Option<RedirectListener>> {
    let Some((addr, path)) = loopback_target(redirect_uri) else {
        return Ok(None);
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route(&path, get(landing))
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not found.\n") })
        .with_state(Landing { on_redirect });
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    tokio::spawn(async move {
        let shutdown = async move {
            tokio::select! {
                _ = stop.cancelled() => {}
                _ = tokio::time::sleep(LISTEN_FOR) => {}
            }
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(error = %e, "the consent landing page stopped");
        }
    });
    tracing::info!(%addr, "serving the consent landing page");
    Ok(Some(RedirectListener { addr, cancel }))
}

async fn landing(State(s): State<Landing>, RawQuery(query): RawQuery) -> Response {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (outcome, title, body) = if get("code").is_some() {
        (
            RedirectOutcome::Allowed,
            "Consent given",
            "<h1 id=\"consent-given\">Consent given</h1><p>DocuSign recorded your consent. You can close this tab and go back to DocuSign JWT Studio: it confirms the connection on its own.</p>".to_string(),
        )
    } else if let Some(error) = get("error") {
        let message = get("error_message").unwrap_or(error);
        let body = format!(
            "<h1 id=\"consent-not-given\">Consent not given</h1><p>DocuSign says: {}</p><p>Go back to DocuSign JWT Studio and open the consent page again to choose Allow.</p>",
            escape(&message)
        );
        (
            RedirectOutcome::Denied { message },
            "Consent not given",
            body,
        )
    } else {
        return (
            StatusCode::BAD_REQUEST,
            Html(page("Nothing to do", "<h1>Nothing to do</h1><p>This address is where DocuSign's consent page sends your browser after you answer it.</p>")),
        )
            .into_response();
    };
    (s.on_redirect)(outcome);
    let mut response = Html(page(title, &body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} – DocuSign JWT Studio</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d1d2b}}h1{{font-size:1.4rem}}</style></head><body><main>{body}</main></body></html>\n"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_loopback_with_a_port() {
        assert_eq!(
            loopback_target("http://localhost:8765/callback").map(|(a, p)| (a.to_string(), p)),
            Some(("127.0.0.1:8765".to_string(), "/callback".to_string()))
        );
        assert!(loopback_target("http://127.0.0.1:9000").is_some());
        assert!(loopback_target("http://[::1]:9000/cb").is_some());
        for no in [
            "https://localhost/callback",
            "https://localhost:8080/callback",
            "http://localhost/callback",
            "http://example.com:8080/cb",
            "http://10.0.0.1:8080/cb",
            "not a url",
        ] {
            assert!(loopback_target(no).is_none(), "{no}");
        }
    }

    #[tokio::test]
    async fn the_landing_page_answers_and_tells_at_once() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let h = Arc::clone(&heard);
        let listener = listen(
            &format!("http://localhost:{port}/callback"),
            Arc::new(move |o| h.lock().unwrap_or_else(|p| p.into_inner()).push(o)),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a loopback redirect URI is served"));
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}/callback");
        let page = http
            .get(format!("{base}?code=secret-code&state=s"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap_or_default();
        assert!(
            html.contains("Consent given") && html.contains("go back"),
            "{html}"
        );
        assert!(!html.contains("secret-code"), "the code is not shown");
        let denied = http
            .get(format!(
                "{base}?error=access_denied&error_message=The+user+did+not+consent"
            ))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(
            denied.contains("Consent not given") && denied.contains("The user did not consent")
        );
        assert_eq!(
            *heard.lock().unwrap_or_else(|p| p.into_inner()),
            vec![
                RedirectOutcome::Allowed,
                RedirectOutcome::Denied {
                    message: "The user did not consent".into()
                }
            ]
        );
        listener.stop();
    }
}

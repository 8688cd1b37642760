//! The individual-consent URL for JWT Grant.
//!
//! Follows <https://developers.docusign.com/platform/auth/reference/obtain-consent>
//! and field cases F12, F13, F15: the scope is exactly
//! `signature%20impersonation` (never `+` or `%2B`), and `redirect_uri` is
//! percent-encoded so the URL survives being pasted anywhere.

use crate::environment::AuthServer;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The scopes a JWT Grant token asks for: `signature impersonation`
/// (the minimum for eSignature via JWT, DocuSign FAQ).
pub const JWT_SCOPES: &[&str] = &["signature", "impersonation"];

/// Builds the consent URL:
/// `https://{auth host}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={IK}&redirect_uri={encoded}`
/// plus `&state=…` when given. For a loopback custom auth server (the sandbox emulator) the
/// scheme is `http` ([`AuthServer::consent_origin`]).
///
/// `integration_key` and `redirect_uri` should already be checked with
/// [`crate::environment::check_guid`] and
/// [`crate::environment::check_redirect_uri`]; this function only encodes.
pub fn consent_url(
    auth: &AuthServer,
    integration_key: &str,
    redirect_uri: &str,
    state: Option<&str>,
) -> String {
    let scope = JWT_SCOPES
        .iter()
        .map(|s| utf8_percent_encode(s, COMPONENT).to_string())
        .collect::<Vec<_>>()
        .join("%20");
    let mut url = format!(
        "{}/oauth/auth?response_type=code&scope={}&client_id={}&redirect_uri={}",
        auth.consent_origin(),
        scope,
        utf8_percent_encode(integration_key.trim(), COMPONENT),
        utf8_percent_encode(redirect_uri.trim(), COMPONENT),
    );
    if let Some(state) = state {
        url.push_str("&state=");
        url.push_str(&utf8_percent_encode(state, COMPONENT).to_string());
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F13's golden string, byte for byte.
    #[test]
    fn demo_consent_url_is_byte_exact() {
        assert_eq!(
            consent_url(&AuthServer::demo(), "<IK>", "https://localhost:8080/callback", None).replace("%3CIK%3E", "<IK>"),
            "https://account-d.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=<IK>&redirect_uri=https%3A%2F%2Flocalhost%3A8080%2Fcallback"
        );
    }

    #[test]
    fn production_and_custom_hosts() {
        let ik = "1a2b3c4d-1234-5678-9abc-0123456789ab";
        assert_eq!(
            consent_url(&AuthServer::production(), ik, "https://www.example.com/auth", Some("x y")),
            format!("https://account.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={ik}&redirect_uri=https%3A%2F%2Fwww.example.com%2Fauth&state=x%20y")
        );
        // The sandbox emulator's consent page: plain HTTP on loopback (no certificate warning).
        let custom = AuthServer::parse("https://127.0.0.1:9443").unwrap();
        assert!(consent_url(&custom, ik, "https://localhost/callback", None)
            .starts_with("http://127.0.0.1:9443/oauth/auth?"));
        let remote = AuthServer::parse("https://auth.example.com").unwrap();
        assert!(consent_url(&remote, ik, "https://localhost/callback", None)
            .starts_with("https://auth.example.com/oauth/auth?"));
    }
}

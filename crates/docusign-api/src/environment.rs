//! Environments (demo, production, or a custom HTTPS auth server such as the
//! Studio's sandbox emulator) and the normalisation of what people type into
//! the auth-server and base-URI fields.
//!
//! Follows DocuSign's "JWT Grant" and "user info" references
//! (<https://developers.docusign.com/platform/auth/jwt/>,
//! <https://developers.docusign.com/platform/auth/reference/user-info>) and
//! field cases F09, F19, F20, F22, F25.

use serde::Serialize;
use std::fmt;

/// The demo (developer) auth server's bare host.
pub const DEMO_AUTH_HOST: &str = "account-d.docusign.com";
/// The production auth server's bare host.
pub const PRODUCTION_AUTH_HOST: &str = "account.docusign.com";

/// What an auth server is: one of DocuSign's two (demo, production) or any other HTTPS server
/// (custom: the Studio's sandbox emulator, a test server). A saved connection's own choice is
/// studio-core's `connections::Environment` (demo, production, sandbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AuthServerKind {
    /// The developer environment (`account-d.docusign.com`, `demo.docusign.net`).
    Demo,
    /// Production (`account.docusign.com`, `*.docusign.net` other than demo).
    Production,
    /// Any other HTTPS auth server: the Studio's sandbox emulator or a test server.
    Custom,
}

impl AuthServerKind {
    /// `"demo"`, `"production"` or `"custom"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthServerKind::Demo => "demo",
            AuthServerKind::Production => "production",
            AuthServerKind::Custom => "custom",
        }
    }
}

impl fmt::Display for AuthServerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A normalised OAuth auth server: the bare host (with `:port` when it has
/// one) that is both the token endpoint's host and the JWT `aud` claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthServer {
    kind: AuthServerKind,
    host: String,
    /// What was changed on the way from the user's input (shown as a note).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// How a typed value is quoted in a [`SettingError`] message: in quotes, control characters
/// escaped, cut after 40 characters (`…`, with the whole length), so a pasted page stays one
/// line. A value that looks like a private key (PEM, OpenSSH, PuTTY) is never shown: the
/// words are "(a private key, not shown here)" (found by a fresh user: a key pasted into the
/// integration key field was repeated in full on screen and in the terminal).
pub fn shown_typed(v: &str) -> String {
    const MAX: usize = 40;
    if looks_like_a_key(v) {
        return "(a private key, not shown here)".into();
    }
    let count = v.chars().count();
    let mut out = String::from("\"");
    for c in v.chars().take(MAX) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if count > MAX {
        out.push_str(&format!("…\" ({count} characters)"));
    } else {
        out.push('"');
    }
    out
}

/// Whether a typed value holds private-key text: a PEM or OpenSSH header, or a PuTTY key file.
fn looks_like_a_key(v: &str) -> bool {
    v.contains("-----BEGIN") || v.contains("PRIVATE KEY") || v.contains("PuTTY-User-Key-File")
}

/// A problem with a typed setting. `code()` is a stable machine code;
/// `Display` says what was found; `fix()` says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingError {
    /// The auth server field is empty.
    #[error("the auth server is empty")]
    AuthServerEmpty,
    /// A DocuSign-looking auth server that is neither demo nor production (e.g. `account-d.docusign.net`).
    #[error("{} is not a DocuSign auth server", shown_typed(.found))]
    AuthServerUnknownDocuSignHost {
        /// What was typed (normalised host).
        found: String,
        /// The host we think was meant.
        suggestion: &'static str,
    },
    /// `http://` given: OAuth must use HTTPS.
    #[error("the auth server {} uses plain http://", shown_typed(.found))]
    AuthServerNotHttps {
        /// What was typed.
        found: String,
    },
    /// Not parseable as a host or URL.
    #[error("the auth server {} is not a host name or https:// URL", shown_typed(.found))]
    AuthServerInvalid {
        /// What was typed.
        found: String,
    },
    /// The base URI field is empty.
    #[error("the base URI is empty")]
    BaseUriEmpty,
    /// `http://` base URI.
    #[error("the base URI {} uses plain http://", shown_typed(.found))]
    BaseUriNotHttps {
        /// What was typed.
        found: String,
    },
    /// Not a URL, or a URL with an unexpected path.
    #[error("the base URI {} is not of the form https://HOST (for example https://demo.docusign.net)", shown_typed(.found))]
    BaseUriInvalid {
        /// What was typed.
        found: String,
    },
    /// A base URI on a host that is not DocuSign's, with a DocuSign auth server.
    #[error("the base URI host \"{host}\" is not a DocuSign host (expected something like https://demo.docusign.net or https://na3.docusign.net)")]
    BaseUriNotDocuSign {
        /// The host found.
        host: String,
    },
    /// Demo auth server with a production base URI, or the reverse (F25).
    #[error("the auth server is {auth} but the base URI {base_uri} belongs to {base_env}")]
    EnvironmentMismatch {
        /// The auth server's environment.
        auth: AuthServerKind,
        /// The base URI's environment.
        base_env: AuthServerKind,
        /// The base URI.
        base_uri: String,
    },
    /// An ID field is empty.
    #[error("the {field} is empty")]
    IdEmpty {
        /// `"integration key"`, `"user ID"` or `"account ID"`.
        field: &'static str,
    },
    /// An ID that is not a GUID.
    #[error("the {field} {} is not a valid ID ({reason})", shown_typed(.found))]
    IdMalformed {
        /// Which field.
        field: &'static str,
        /// What was typed (IDs are not secret).
        found: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An email address in the user ID field.
    #[error("the user ID {} is an email address, not DocuSign's user ID", shown_typed(.found))]
    UserIdIsEmail {
        /// What was typed.
        found: String,
    },
    /// The short numeric account number in the account ID field.
    #[error(
        "the account ID {} looks like the short account number, not the API Account ID",
        shown_typed(.found)
    )]
    AccountIdIsAccountNumber {
        /// What was typed.
        found: String,
    },
    /// A CA certificate given for a DocuSign auth server: an extra CA is trusted only for the
    /// Studio's sandbox (a custom auth server); DocuSign's hosts are checked against the bundled
    /// and the operating system's roots only (issue #12).
    #[error(
        "a CA certificate is accepted only for the sandbox, not for the {auth} auth server {host}"
    )]
    CaCertNotSandbox {
        /// The auth server's environment.
        auth: AuthServerKind,
        /// The auth server's host.
        host: String,
    },
    /// A redirect URI that is not an absolute URL.
    #[error("the redirect URI {} is not an absolute URL", shown_typed(.found))]
    RedirectUriInvalid {
        /// What was typed.
        found: String,
    },
}

impl SettingError {
    /// Stable machine code (snake_case), used as the health check's `code`.
    pub fn code(&self) -> &'static str {
        match self {
            SettingError::AuthServerEmpty
            | SettingError::AuthServerUnknownDocuSignHost { .. }
            | SettingError::AuthServerNotHttps { .. }
            | SettingError::AuthServerInvalid { .. } => "auth_server_invalid",
            SettingError::BaseUriEmpty
            | SettingError::BaseUriNotHttps { .. }
            | SettingError::BaseUriInvalid { .. }
            | SettingError::BaseUriNotDocuSign { .. } => "base_uri_invalid",
            SettingError::EnvironmentMismatch { .. } => "environment_mismatch",
            SettingError::IdEmpty { field } | SettingError::IdMalformed { field, .. } => {
                match *field {
                    "integration key" => "integration_key_malformed",
                    "user ID" => "user_id_malformed",
                    _ => "account_id_malformed",
                }
            }
            SettingError::UserIdIsEmail { .. } => "user_id_malformed",
            SettingError::AccountIdIsAccountNumber { .. } => "account_id_malformed",
            SettingError::RedirectUriInvalid { .. } => "redirect_uri_invalid",
            SettingError::CaCertNotSandbox { .. } => "ca_cert_invalid",
        }
    }

    /// The finer reason (snake_case) under [`SettingError::code`].
    pub fn detail(&self) -> &'static str {
        match self {
            SettingError::AuthServerEmpty
            | SettingError::BaseUriEmpty
            | SettingError::IdEmpty { .. } => "empty",
            SettingError::AuthServerUnknownDocuSignHost { .. } => "unknown_docusign_host",
            SettingError::AuthServerNotHttps { .. } | SettingError::BaseUriNotHttps { .. } => {
                "not_https"
            }
            SettingError::AuthServerInvalid { .. } | SettingError::BaseUriInvalid { .. } => {
                "not_a_url"
            }
            SettingError::BaseUriNotDocuSign { .. } => "not_docusign_host",
            SettingError::EnvironmentMismatch { auth, .. } => match auth {
                AuthServerKind::Demo => "demo_auth_production_base_uri",
                _ => "production_auth_demo_base_uri",
            },
            SettingError::IdMalformed { .. } => "not_a_guid",
            SettingError::UserIdIsEmail { .. } => "email_not_user_id",
            SettingError::AccountIdIsAccountNumber { .. } => "account_number_not_id",
            SettingError::RedirectUriInvalid { .. } => "not_a_url",
            SettingError::CaCertNotSandbox { .. } => "not_sandbox",
        }
    }

    /// What to do about it, in plain words.
    pub fn fix(&self) -> String {
        match self {
            SettingError::AuthServerEmpty | SettingError::AuthServerInvalid { .. } => format!(
                "Use \"demo\" ({DEMO_AUTH_HOST}) for a developer account, \"production\" ({PRODUCTION_AUTH_HOST}) after Go-Live, or the sandbox's https:// URL."
            ),
            SettingError::AuthServerUnknownDocuSignHost { suggestion, .. } => format!(
                "Use {suggestion} exactly: DocuSign's auth servers are {DEMO_AUTH_HOST} (demo) and {PRODUCTION_AUTH_HOST} (production), on .com, not .net."
            ),
            SettingError::AuthServerNotHttps { .. } => "DocuSign's OAuth only answers over HTTPS: use https:// (or just the host name).".into(),
            SettingError::BaseUriEmpty | SettingError::BaseUriInvalid { .. } | SettingError::BaseUriNotDocuSign { .. } => {
                "Copy the Account Base URI from DocuSign Admin > Apps and Keys > My Account Information (for example https://demo.docusign.net), or let the health check take it from userinfo.".into()
            }
            SettingError::BaseUriNotHttps { .. } => "Use https:// — DocuSign's REST API is HTTPS only.".into(),
            SettingError::EnvironmentMismatch { auth, .. } => match auth {
                AuthServerKind::Demo => "A developer (demo) connection uses https://demo.docusign.net. If this account is in production (after Go-Live), choose the production environment instead.".into(),
                _ => "A production connection uses your account's region base URI (https://na3.docusign.net, https://eu.docusign.net, …) from the production Admin Console. For https://demo.docusign.net choose the demo environment.".into(),
            },
            SettingError::IdEmpty { field } | SettingError::IdMalformed { field, .. } => match *field {
                "integration key" => "Copy the Integration Key from Settings > Apps and Keys (36 characters, like 1a2b3c4d-1234-5678-9abc-0123456789ab); check no character was dropped.".into(),
                "user ID" => "Copy the API Username (an ID, not an email) from Users and Groups > Users > (the user) in the same account as the integration key.".into(),
                _ => "Copy the API Account ID from Apps and Keys > My Account Information.".into(),
            },
            SettingError::UserIdIsEmail { .. } => "JWT impersonates a user by their API Username (an ID of 36 letters and digits), not their email: Users and Groups > Users > (the user) > API Username.".into(),
            SettingError::AccountIdIsAccountNumber { .. } => "Use the API Account ID (36 letters and digits) from Apps and Keys > My Account Information, not the account number shown next to your name.".into(),
            SettingError::RedirectUriInvalid { .. } => "Use the full redirect URI exactly as registered on the integration key, e.g. https://localhost/callback.".into(),
            SettingError::CaCertNotSandbox { .. } => "Leave the CA certificate empty for DocuSign: its certificates are checked against this computer's trusted certificates. Behind a company proxy that inspects HTTPS, ask IT to install its certificate in the system's trust store.".into(),
        }
    }
}

impl AuthServer {
    /// The demo (developer) auth server.
    pub fn demo() -> Self {
        AuthServer {
            kind: AuthServerKind::Demo,
            host: DEMO_AUTH_HOST.into(),
            notes: vec![],
        }
    }

    /// The production auth server.
    pub fn production() -> Self {
        AuthServer {
            kind: AuthServerKind::Production,
            host: PRODUCTION_AUTH_HOST.into(),
            notes: vec![],
        }
    }

    /// Parses what a person types: `demo`, `production`, a DocuSign host with
    /// or without `https://` and a trailing slash or path, or a custom
    /// `https://HOST[:PORT]` (the sandbox). Case F09.
    ///
    /// # Errors
    /// [`SettingError`] with code `auth_server_invalid` for an empty value,
    /// `http://`, a mistyped DocuSign host (`account-d.docusign.net`), or text
    /// that is not a host.
    pub fn parse(input: &str) -> Result<Self, SettingError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SettingError::AuthServerEmpty);
        }
        match trimmed.to_ascii_lowercase().as_str() {
            "demo" | "developer" | "dev" | "sandbox-docusign" => return Ok(Self::demo()),
            "production" | "prod" => return Ok(Self::production()),
            _ => {}
        }
        let mut notes = Vec::new();
        let lower = trimmed.to_ascii_lowercase();
        let rest = if let Some(r) = lower.strip_prefix("https://") {
            notes.push("removed \"https://\" (the auth server is a bare host)".to_string());
            r.to_string()
        } else if lower.starts_with("http://") {
            return Err(SettingError::AuthServerNotHttps {
                found: trimmed.into(),
            });
        } else if lower.contains("://") {
            return Err(SettingError::AuthServerInvalid {
                found: trimmed.into(),
            });
        } else {
            lower.clone()
        };
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest.as_str(), ""),
        };
        if !path.is_empty() {
            notes.push(format!("removed \"{path}\" after the host"));
        }
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            return Err(SettingError::AuthServerInvalid {
                found: trimmed.into(),
            });
        }
        let bare = host.split(':').next().unwrap_or(host);
        let kind = match bare {
            DEMO_AUTH_HOST => AuthServerKind::Demo,
            PRODUCTION_AUTH_HOST => AuthServerKind::Production,
            h if h.contains("docusign") => {
                let suggestion = if h.contains("-d") || h.contains("demo") {
                    DEMO_AUTH_HOST
                } else {
                    PRODUCTION_AUTH_HOST
                };
                return Err(SettingError::AuthServerUnknownDocuSignHost {
                    found: host.into(),
                    suggestion,
                });
            }
            // A bare word (`dmeo`, `prodution`) is a typo, not a server: custom servers are
            // given as a host with a dot or a port (`https://127.0.0.1:8443`), or localhost.
            h if !h.contains('.') && !host.contains(':') && h != "localhost" => {
                return Err(SettingError::AuthServerInvalid {
                    found: trimmed.into(),
                });
            }
            _ => AuthServerKind::Custom,
        };
        let host = if kind == AuthServerKind::Custom {
            // A custom server (the sandbox) is given as a URL on purpose: nothing to note.
            notes.retain(|n| !n.contains("https://"));
            host.to_string()
        } else {
            bare.to_string()
        };
        Ok(AuthServer { kind, host, notes })
    }

    /// The environment.
    pub fn kind(&self) -> AuthServerKind {
        self.kind
    }

    /// The bare host, with `:port` if it has one: the JWT `aud` value.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The JWT `aud` claim: the bare host, no scheme, no slash.
    pub fn audience(&self) -> &str {
        &self.host
    }

    /// `https://{host}`, no trailing slash.
    pub fn origin(&self) -> String {
        format!("https://{}", self.host)
    }

    /// Where the consent page is opened in a browser: [`AuthServer::origin`], except for a
    /// custom auth server on a loopback address (the Studio's sandbox emulator), whose consent
    /// page is `http://{host}`: browsers treat plain HTTP on 127.0.0.1 / localhost / ::1 as a
    /// secure context and show no certificate warning, while the token endpoint stays HTTPS.
    pub fn consent_origin(&self) -> String {
        if self.kind == AuthServerKind::Custom && self.is_loopback() {
            format!("http://{}", self.host)
        } else {
            self.origin()
        }
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn is_loopback(&self) -> bool {
        url::Url::parse(&format!("https://{}/", self.host))
            .ok()
            .is_some_and(|u| match u.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                None => false,
            })
    }

    /// `https://{host}/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("https://{}/oauth/token", self.host)
    }

    /// `https://{host}/oauth/userinfo`.
    pub fn userinfo_url(&self) -> String {
        format!("https://{}/oauth/userinfo", self.host)
    }

    /// Where the Admin Console of this environment is, for fixes.
    pub fn admin_console(&self) -> &'static str {
        match self.kind {
            AuthServerKind::Production => "admin.docusign.com",
            AuthServerKind::Demo => "admindemo.docusign.com",
            AuthServerKind::Custom => "the sandbox",
        }
    }
}

impl fmt::Display for AuthServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.host)
    }
}

/// A normalised account base URI: `https://HOST[:PORT]`, no trailing slash and
/// no `/restapi` (the form `/oauth/userinfo` returns). REST URLs are built as
/// `{base_uri}/restapi/v2.1/accounts/{accountId}/…` (F20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUri {
    uri: String,
    /// What was changed on the way from the user's input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl BaseUri {
    /// Parses a base URI as typed: adds a missing `https://` (F19), strips a
    /// trailing slash and `/restapi[/v2.1[/accounts/…]]` (F20).
    ///
    /// # Errors
    /// `base_uri_invalid` for empty input, `http://`, or a path other than `/restapi…`.
    pub fn parse(input: &str) -> Result<Self, SettingError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SettingError::BaseUriEmpty);
        }
        let mut notes = Vec::new();
        let lower = trimmed.to_ascii_lowercase();
        let with_scheme = if lower.starts_with("https://") {
            trimmed.to_string()
        } else if lower.starts_with("http://") {
            return Err(SettingError::BaseUriNotHttps {
                found: trimmed.into(),
            });
        } else if lower.contains("://") {
            return Err(SettingError::BaseUriInvalid {
                found: trimmed.into(),
            });
        } else {
            notes.push("added \"https://\"".to_string());
            format!("https://{trimmed}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| SettingError::BaseUriInvalid {
            found: trimmed.into(),
        })?;
        let host = url.host_str().ok_or_else(|| SettingError::BaseUriInvalid {
            found: trimmed.into(),
        })?;
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(SettingError::BaseUriInvalid {
                found: trimmed.into(),
            });
        }
        let path = url.path().trim_end_matches('/');
        let path_lower = path.to_ascii_lowercase();
        if !path.is_empty() {
            if path_lower == "/restapi" || path_lower.starts_with("/restapi/") {
                notes.push(format!("removed \"{path}\" (the base URI is the host only; /restapi is added per call)"));
            } else {
                return Err(SettingError::BaseUriInvalid {
                    found: trimmed.into(),
                });
            }
        } else if url.path() == "/" && with_scheme.ends_with('/') {
            notes.push("removed the trailing \"/\"".to_string());
        }
        let uri = match url.port() {
            Some(p) => format!("https://{}:{}", host.to_ascii_lowercase(), p),
            None => format!("https://{}", host.to_ascii_lowercase()),
        };
        Ok(BaseUri { uri, notes })
    }

    /// `https://HOST[:PORT]`.
    pub fn as_str(&self) -> &str {
        &self.uri
    }

    /// The host part.
    pub fn host(&self) -> &str {
        let rest = &self.uri["https://".len()..];
        rest.split(':').next().unwrap_or(rest)
    }

    /// `{base_uri}/restapi/v2.1/accounts/{account_id}` (F20).
    pub fn account_api_url(&self, account_id: &str) -> String {
        format!("{}/restapi/v2.1/accounts/{}", self.uri, account_id)
    }

    /// Which environment the host belongs to: `demo.docusign.net` (and other
    /// `demo*`/`apps-d*` DocuSign hosts) is demo, other `*.docusign.net` /
    /// `*.docusign.com` hosts are production, anything else is custom.
    ///
    /// Only a host whose last two labels are exactly `docusign.net` or `docusign.com`, with at
    /// least one label before them, is DocuSign's: look-alikes such as
    /// `demo.docusign.net.evil.example`, `evildocusign.net`, `demo.docusign.net.` (a trailing
    /// dot), `docusign.net` alone, or an IDN look-alike (`demo.dоcusign.net` with a Cyrillic
    /// "о", kept in its `xn--` form by parsing) are custom.
    pub fn environment(&self) -> AuthServerKind {
        let host = self.host();
        if !is_docusign_host(host) {
            AuthServerKind::Custom
        } else if host.starts_with("demo") || host.starts_with("apps-d") {
            AuthServerKind::Demo
        } else {
            AuthServerKind::Production
        }
    }

    /// Whether two base URIs name the same place (case-insensitive host,
    /// ignoring `/restapi` and trailing slashes, which parsing already did).
    pub fn same_as(&self, other: &BaseUri) -> bool {
        self.uri.eq_ignore_ascii_case(&other.uri)
    }
}

impl fmt::Display for BaseUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri)
    }
}

/// Whether `host` (lower case, no port) is one of DocuSign's: `*.docusign.net` or
/// `*.docusign.com` with at least one label in front, made only of ASCII letters, digits and
/// `-`, with no trailing dot and no `xn--` (IDN) label. See [`BaseUri::environment`].
pub fn is_docusign_host(host: &str) -> bool {
    let Some(prefix) = host
        .strip_suffix(".docusign.net")
        .or_else(|| host.strip_suffix(".docusign.com"))
    else {
        return false;
    };
    !prefix.is_empty()
        && prefix.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with("xn--")
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// Checks that a CA certificate is given only with a custom auth server (the Studio's
/// sandbox): DocuSign's own hosts are trusted through the bundled and the operating system's
/// roots, never through a file a user was told to pick (issue #12).
///
/// # Errors
/// [`SettingError::CaCertNotSandbox`] (`ca_cert_invalid` / `not_sandbox`) for a demo or
/// production auth server.
pub fn check_ca_cert_allowed(auth: &AuthServer) -> Result<(), SettingError> {
    match auth.kind() {
        AuthServerKind::Custom => Ok(()),
        kind => Err(SettingError::CaCertNotSandbox {
            auth: kind,
            host: auth.host().into(),
        }),
    }
}

/// Checks that the auth server and the base URI belong to the same
/// environment (F25): a demo auth server with a production base URI (or the
/// reverse) gives tokens that every REST call then refuses. A custom auth
/// server (the sandbox) accepts any base URI.
///
/// # Errors
/// `environment_mismatch`, or `base_uri_invalid` (`not_docusign_host`) when a
/// DocuSign auth server is paired with a non-DocuSign base URI.
pub fn check_environment(auth: &AuthServer, base_uri: &BaseUri) -> Result<(), SettingError> {
    let base_env = base_uri.environment();
    match (auth.kind(), base_env) {
        (AuthServerKind::Custom, _) => Ok(()),
        (_, AuthServerKind::Custom) => Err(SettingError::BaseUriNotDocuSign {
            host: base_uri.host().into(),
        }),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(SettingError::EnvironmentMismatch {
            auth: a,
            base_env: b,
            base_uri: base_uri.as_str().into(),
        }),
    }
}

/// Checks an integration key, user ID or account ID: trimmed, a GUID
/// (8-4-4-4-12 hex digits). Returns the trimmed value, case kept (DocuSign
/// compares GUIDs case-insensitively).
///
/// `field` is one of `"integration key"`, `"user ID"`, `"account ID"`.
///
/// # Errors
/// `*_malformed` codes: empty, not a GUID (saying how: length, a bad
/// character, missing dashes), an email as user ID, a short account number as
/// account ID (F10).
pub fn check_guid(field: &'static str, input: &str) -> Result<String, SettingError> {
    let v = input
        .trim()
        .trim_matches(|c| c == '{' || c == '}' || c == '"' || c == '\'');
    if v.is_empty() {
        return Err(SettingError::IdEmpty { field });
    }
    if field == "user ID" && v.contains('@') {
        return Err(SettingError::UserIdIsEmail { found: v.into() });
    }
    if field == "account ID" && v.len() <= 12 && v.chars().all(|c| c.is_ascii_digit()) {
        return Err(SettingError::AccountIdIsAccountNumber { found: v.into() });
    }
    let malformed = |reason: String| SettingError::IdMalformed {
        field,
        found: v.into(),
        reason,
    };
    if looks_like_a_key(v) {
        return Err(malformed(
            "a private key goes in the private key field, not here".into(),
        ));
    }
    if let Some((i, c)) = v
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_hexdigit() || c == '-'))
    {
        return Err(malformed(format!(
            "character '{c}' at position {} cannot be in an ID (IDs use only the digits 0-9, the letters a-f and dashes)",
            i + 1
        )));
    }
    let groups: Vec<&str> = v.split('-').collect();
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lens != [8, 4, 4, 4, 12] {
        let hex = v.chars().filter(|c| *c != '-').count();
        let reason = if hex != 32 {
            format!("it has {hex} letters and digits where an ID has 32: a character is missing or extra")
        } else {
            "the dashes are not in the 8-4-4-4-12 places".to_string()
        };
        return Err(malformed(reason));
    }
    Ok(v.to_string())
}

/// Checks a redirect URI for the consent URL: an absolute URL with a scheme
/// and host (F15). Returns it trimmed, otherwise unchanged: it must match the
/// registered value byte for byte.
///
/// # Errors
/// `redirect_uri_invalid`.
pub fn check_redirect_uri(input: &str) -> Result<String, SettingError> {
    let v = input.trim();
    match url::Url::parse(v) {
        Ok(u) if u.has_host() => Ok(v.to_string()),
        _ => Err(SettingError::RedirectUriInvalid { found: v.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by a fresh user: a private key pasted into the integration key field was quoted in
    /// full. Key text is never quoted; other values are cut after 40 characters.
    #[test]
    fn typed_values_are_quoted_short_and_keys_never() {
        // Made-up key text (the shape of a PEM, no key material; the label is built from parts
        // so no private-key header stands in the source).
        let label = ["RSA", "PRIVATE", "KEY"].join(" ");
        let pem = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----",
            "QUJD".repeat(400)
        );
        let e = check_guid("integration key", &pem).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the integration key (a private key, not shown here) is not a valid ID (a private key goes in the private key field, not here)"
        );
        assert_eq!(e.code(), "integration_key_malformed");
        let long = "x".repeat(1_500_000);
        let e = check_guid("user ID", &long).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "the user ID \"{}…\" (1500000 characters) is not a valid ID (character 'x' at position 1 cannot be in an ID (IDs use only the digits 0-9, the letters a-f and dashes))",
                "x".repeat(40)
            )
        );
        assert_eq!(shown_typed("a\u{7}b"), "\"a\\u{7}b\"");
        assert_eq!(shown_typed("12345"), "\"12345\"");
    }

    #[test]
    fn auth_server_forms_normalise_to_bare_host() {
        for input in [
            "demo",
            "account-d.docusign.com",
            "https://account-d.docusign.com",
            "https://account-d.docusign.com/",
            " HTTPS://Account-D.docusign.com/oauth/token ",
        ] {
            let a = AuthServer::parse(input).unwrap();
            assert_eq!(a.audience(), "account-d.docusign.com", "{input}");
            assert_eq!(a.kind(), AuthServerKind::Demo);
        }
        let p = AuthServer::parse("https://account.docusign.com/").unwrap();
        assert_eq!(p.audience(), "account.docusign.com");
        assert_eq!(p.token_url(), "https://account.docusign.com/oauth/token");
    }

    #[test]
    fn auth_server_wrong_tld_is_refused_with_suggestion() {
        let e = AuthServer::parse("https://account-d.docusign.net").unwrap_err();
        assert_eq!(e.code(), "auth_server_invalid");
        assert!(e.fix().contains("account-d.docusign.com"));
        assert!(AuthServer::parse("http://account-d.docusign.com").is_err());
    }

    #[test]
    fn a_bare_word_is_a_typo_not_a_server() {
        for typo in ["dmeo", "prodution", "foo"] {
            let e = AuthServer::parse(typo).unwrap_err();
            assert_eq!(e.code(), "auth_server_invalid", "{typo}");
            assert!(e.fix().contains("\"demo\""), "{typo}: {}", e.fix());
        }
        assert!(AuthServer::parse("https://localhost:8443").is_ok());
    }

    #[test]
    fn custom_auth_server_keeps_port() {
        let a = AuthServer::parse("https://127.0.0.1:8443/").unwrap();
        assert_eq!(a.kind(), AuthServerKind::Custom);
        assert_eq!(a.audience(), "127.0.0.1:8443");
    }

    #[test]
    fn base_uri_forms() {
        for input in [
            "https://demo.docusign.net",
            "https://demo.docusign.net/",
            "https://demo.docusign.net/restapi",
            "demo.docusign.net/restapi",
            "https://demo.docusign.net/restapi/v2.1/accounts/abc",
        ] {
            let b = BaseUri::parse(input).unwrap();
            assert_eq!(b.as_str(), "https://demo.docusign.net", "{input}");
        }
        assert_eq!(
            BaseUri::parse("https://demo.docusign.net")
                .unwrap()
                .account_api_url("A"),
            "https://demo.docusign.net/restapi/v2.1/accounts/A"
        );
        assert_eq!(
            BaseUri::parse("http://demo.docusign.net")
                .unwrap_err()
                .code(),
            "base_uri_invalid"
        );
        assert_eq!(
            BaseUri::parse("https://demo.docusign.net/foo")
                .unwrap_err()
                .code(),
            "base_uri_invalid"
        );
    }

    #[test]
    fn mixed_environments_are_detected() {
        let e = check_environment(
            &AuthServer::production(),
            &BaseUri::parse("https://demo.docusign.net").unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "environment_mismatch");
        let e = check_environment(
            &AuthServer::demo(),
            &BaseUri::parse("https://na3.docusign.net").unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "environment_mismatch");
        assert!(check_environment(
            &AuthServer::production(),
            &BaseUri::parse("https://eu.docusign.net").unwrap()
        )
        .is_ok());
    }

    #[test]
    fn guids() {
        assert!(check_guid("integration key", " 1a2b3c4d-1234-5678-9abc-0123456789ab ").is_ok());
        assert_eq!(
            check_guid("integration key", "1a2b3c4d-1234-5678-9abc-0123456789a")
                .unwrap_err()
                .code(),
            "integration_key_malformed"
        );
        assert_eq!(
            check_guid("user ID", "ada@example.com")
                .unwrap_err()
                .detail(),
            "email_not_user_id"
        );
        assert_eq!(
            check_guid("account ID", "12345678").unwrap_err().detail(),
            "account_number_not_id"
        );
    }
}

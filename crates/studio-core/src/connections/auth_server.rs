//! The auth server a saved connection holds: checked once where its text comes in, then carried
//! typed (see [`SavedAuthServer`]).

use docusign_api::environment::{AuthServer, AuthServerKind, SettingError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// A checked auth server as a saved connection (and what is made from one: the values a health
/// check proved, the sandbox's connection) holds it.
///
/// Text becomes one once, where it comes in: `connections.json` when it is read, the IPC JSON of
/// a connection, `dsjwt`'s `--auth-server`, pasted values. What a person is still typing (the
/// wizard's field checks, the pasted values' `PastedValues`, the health check's `CheckInput`)
/// stays text until then.
///
/// **Text form** (files, IPC, the CLI's JSON; unchanged from when the field was a string):
/// `"demo"`, `"production"`, or a custom auth server's origin `https://HOST[:PORT]` (the
/// Studio's sandbox, `https://127.0.0.1:PORT`). Serialized as that string; deserialized (and
/// [`FromStr`]) with [`AuthServer::parse`], so every form a person may type is accepted and
/// normalised (`https://account-d.docusign.com/` is `demo`).
///
/// **Why a newtype over [`AuthServer`]:** an [`AuthServer`] also carries the notes of what
/// parsing changed in the typed text, which a stored value has no use for; this one has none, so
/// two values that name the same server are equal, and its text form ([`fmt::Display`]) is the
/// stored one above rather than the bare host ([`AuthServer`]'s `Display`, the JWT `aud`). It
/// dereferences to the [`AuthServer`] for everything else (`kind()`, `host()`, `origin()`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedAuthServer(AuthServer);

impl SavedAuthServer {
    /// The demo (developer) auth server, `account-d.docusign.com`; text form `"demo"`.
    pub fn demo() -> Self {
        SavedAuthServer(AuthServer::demo())
    }

    /// The production auth server, `account.docusign.com`; text form `"production"`.
    pub fn production() -> Self {
        SavedAuthServer(AuthServer::production())
    }

    /// Parses text as a person types it or as it is stored (see [`AuthServer::parse`]).
    ///
    /// # Errors
    /// [`SettingError`] with code `auth_server_invalid`: empty, `http://`, a mistyped DocuSign
    /// host (`account-d.docusign.net`), or text that is not a host.
    pub fn parse(input: &str) -> Result<Self, SettingError> {
        AuthServer::parse(input).map(Self::from)
    }

    /// The checked auth server.
    pub fn server(&self) -> &AuthServer {
        &self.0
    }
}

impl From<AuthServer> for SavedAuthServer {
    /// Keeps the server, drops the notes of what parsing changed.
    fn from(mut auth: AuthServer) -> Self {
        auth.notes.clear();
        SavedAuthServer(auth)
    }
}

impl Deref for SavedAuthServer {
    type Target = AuthServer;
    fn deref(&self) -> &AuthServer {
        &self.0
    }
}

impl fmt::Display for SavedAuthServer {
    /// The text form: `demo`, `production` or `https://HOST[:PORT]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.kind() {
            AuthServerKind::Demo => f.write_str("demo"),
            AuthServerKind::Production => f.write_str("production"),
            AuthServerKind::Custom => f.write_str(&self.0.origin()),
        }
    }
}

impl FromStr for SavedAuthServer {
    type Err = SettingError;
    /// As [`SavedAuthServer::parse`].
    fn from_str(s: &str) -> Result<Self, SettingError> {
        Self::parse(s)
    }
}

impl Serialize for SavedAuthServer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SavedAuthServer {
    /// Parses the string. The error says what is wrong without repeating the text (a file
    /// edited by hand may hold anything there), e.g. `not an auth server (it uses plain
    /// http://): use "demo", "production" or the sandbox's https://127.0.0.1:PORT`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(|e| serde::de::Error::custom(unparsed_reason(&e)))
    }
}

/// Why stored text is not an auth server, without the text itself.
fn unparsed_reason(e: &SettingError) -> String {
    let why = match e {
        SettingError::AuthServerEmpty => "it is empty",
        SettingError::AuthServerNotHttps { .. } => "it uses plain http://",
        SettingError::AuthServerUnknownDocuSignHost { .. } => {
            "it is a DocuSign host that is not one of its two auth servers"
        }
        _ => "it is not a host name or https:// URL",
    };
    format!(
        "not an auth server ({why}): use \"demo\", \"production\" or the sandbox's https://127.0.0.1:PORT"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_normalises() {
        for (input, stored) in [
            ("demo", "demo"),
            ("production", "production"),
            ("https://account-d.docusign.com/", "demo"),
            ("account.docusign.com", "production"),
            ("https://127.0.0.1:9443/", "https://127.0.0.1:9443"),
        ] {
            let a: SavedAuthServer = serde_json::from_str(&format!("\"{input}\"")).unwrap();
            assert_eq!(a.to_string(), stored, "{input}");
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{stored}\""));
            assert_eq!(SavedAuthServer::parse(stored).unwrap(), a);
        }
        assert_eq!(
            SavedAuthServer::parse("https://account-d.docusign.com/").unwrap(),
            SavedAuthServer::demo()
        );
        assert_eq!(
            SavedAuthServer::parse("https://127.0.0.1:9443")
                .unwrap()
                .kind(),
            AuthServerKind::Custom
        );
    }

    #[test]
    fn text_that_is_not_an_auth_server_is_refused_without_echoing_it() {
        for (input, why) in [
            ("", "it is empty"),
            ("http://127.0.0.1:9443", "plain http://"),
            ("account-d.docusign.net", "not one of its two auth servers"),
            ("dmeo", "not a host name"),
        ] {
            let e = serde_json::from_str::<SavedAuthServer>(&format!("\"{input}\""))
                .unwrap_err()
                .to_string();
            assert!(e.contains(why), "{input}: {e}");
            assert!(e.contains("\"demo\", \"production\""), "{input}: {e}");
            if !input.is_empty() {
                assert!(!e.contains(input), "{input}: {e}");
            }
        }
        assert!(serde_json::from_str::<SavedAuthServer>("7").is_err());
    }
}

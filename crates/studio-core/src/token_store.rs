//! The CLI's access token kept in the OS keyring between runs, so a script of 100
//! `dsjwt action` runs within an hour asks DocuSign for one token, not 100 (DocuSign: "store
//! the expires in time and check the time before making API calls"; field case F17).
//!
//! Entry: service [`crate::keyring_names::KEYRING_SERVICE`] (or `DSJWT_KEYRING_SERVICE`), user
//! `token:<auth host>|<integration key>|<user ID>|<key fingerprint>`, secret
//! `{"access_token": …, "expires_at": <Unix seconds, DocuSign's clock>, "clock_skew_seconds":
//! <DocuSign's clock minus this computer's, only when more than a minute>}`. Never in a file,
//! never logged. The token is reused until 10 minutes before it expires in DocuSign's time
//! ([`docusign_api::token_cache::REFRESH_MARGIN_SECS`]), after `/oauth/userinfo` (which does not
//! count for Go-Live) has accepted it in this process and its `Date` header has told DocuSign's
//! time; a 401 forgets it before the one re-mint. The health check never uses it: it always mints, because that is what it checks.

use crate::keyring_names;
use docusign_api::oauth::AccessToken;
use docusign_api::token_cache::{PersistedToken, TokenStore};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

#[derive(Serialize, Deserialize)]
struct Kept {
    access_token: String,
    /// Unix seconds, DocuSign's clock.
    expires_at: u64,
    /// DocuSign's clock minus this computer's when kept (absent: the same, within a minute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clock_skew_seconds: Option<i64>,
}

/// A [`TokenStore`] in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows). When the keyring fails it keeps nothing and says why in
/// [`KeyringTokenStore::problem`]; the client then mints as if there were no store.
pub struct KeyringTokenStore {
    entry: Option<keyring::Entry>,
    problem: Mutex<Option<String>>,
    on_problem: Option<ProblemHook>,
    reported: AtomicBool,
}

type ProblemHook = Box<dyn Fn(&str) + Send + Sync>;

impl std::fmt::Debug for KeyringTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringTokenStore").finish_non_exhaustive()
    }
}

/// The keyring user of a connection's token: what a token is valid for (the auth server's host,
/// the integration key, the impersonated user ID) and the fingerprint of the key that minted it,
/// so another key never reuses it. Case-insensitive parts are lower-cased.
pub fn keyring_user(
    auth_host: &str,
    integration_key: &str,
    user_id: &str,
    key_fingerprint: &str,
) -> String {
    format!(
        "token:{}|{}|{}|{}",
        auth_host.to_ascii_lowercase(),
        integration_key.to_ascii_lowercase(),
        user_id.to_ascii_lowercase(),
        key_fingerprint
    )
}

impl KeyringTokenStore {
    /// The store of the token for keyring user `user` (see [`keyring_user`]), under the keyring
    /// service of `DSJWT_KEYRING_SERVICE` or [`keyring_names::KEYRING_SERVICE`]. Touches nothing yet.
    pub fn new(user: &str) -> Self {
        Self::with_service(&keyring_names::service(), user)
    }

    /// The store under keyring `service` and `user`.
    pub fn with_service(service: &str, user: &str) -> Self {
        match entry(service, user) {
            Ok(entry) => KeyringTokenStore {
                entry: Some(entry),
                problem: Mutex::new(None),
                on_problem: None,
                reported: AtomicBool::new(false),
            },
            Err(e) => KeyringTokenStore {
                entry: None,
                problem: Mutex::new(Some(describe(&e))),
                on_problem: None,
                reported: AtomicBool::new(false),
            },
        }
    }

    /// Calls `hook` with [`KeyringTokenStore::problem`]'s words the first time the keyring
    /// fails (at most once), e.g. to warn that every run now mints its own token.
    pub fn on_problem(mut self, hook: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_problem = Some(Box::new(hook));
        self
    }

    fn report(&self) {
        if let Some(p) = self.problem() {
            if let Some(hook) = &self.on_problem {
                if !self.reported.swap(true, Ordering::Relaxed) {
                    hook(&p);
                }
            }
        }
    }

    /// Why the keyring could not be used, if it could not (the first failure; plain words,
    /// never the token). `None` when it worked or was not needed.
    pub fn problem(&self) -> Option<String> {
        self.problem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn note(&self, e: &keyring::Error) {
        {
            let mut p = self.problem.lock().unwrap_or_else(|e| e.into_inner());
            if p.is_none() {
                *p = Some(describe(e));
            }
        }
        self.report();
    }
}

impl TokenStore for KeyringTokenStore {
    fn load(&self) -> Option<PersistedToken> {
        let Some(entry) = self.entry.as_ref() else {
            self.report();
            return None;
        };
        match entry.get_password() {
            Ok(text) => {
                let kept: Kept = serde_json::from_str(&text).ok()?;
                Some(PersistedToken {
                    access_token: AccessToken::new(kept.access_token),
                    expires_at_unix: kept.expires_at,
                    clock_skew_seconds: kept.clock_skew_seconds,
                })
            }
            Err(keyring::Error::NoEntry) => None,
            Err(e) => {
                self.note(&e);
                None
            }
        }
    }

    fn save(&self, token: &PersistedToken) {
        let Some(entry) = self.entry.as_ref() else {
            return;
        };
        let text = serde_json::to_string(&Kept {
            access_token: token.access_token.secret().to_string(),
            expires_at: token.expires_at_unix,
            clock_skew_seconds: token.clock_skew_seconds,
        })
        .unwrap_or_default();
        if let Err(e) = entry.set_password(&text) {
            self.note(&e);
        }
    }

    fn forget(&self) {
        let Some(entry) = self.entry.as_ref() else {
            return;
        };
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) => self.note(&e),
        }
    }
}

/// Plain words for a keyring failure. Never the secret (`BadEncoding` carries bytes).
fn describe(e: &keyring::Error) -> String {
    let why = match e {
        keyring::Error::PlatformFailure(inner) => {
            format!("the OS keyring is not available ({inner})")
        }
        keyring::Error::NoStorageAccess(inner) => format!("the OS keyring is locked ({inner})"),
        keyring::Error::BadEncoding(_) => "the kept token is not text".to_string(),
        keyring::Error::Ambiguous(items) => {
            format!("{} keyring entries match the token", items.len())
        }
        other => format!("the OS keyring refused ({other})"),
    };
    format!("the access token could not be kept in the OS keyring: {why}")
}

#[cfg(target_os = "linux")]
fn entry(service: &str, user: &str) -> Result<keyring::Entry, keyring::Error> {
    // The Secret Service store, named explicitly (see connections/secrets.rs).
    let mut cred = keyring::secret_service::SsCredential::new_with_target(None, service, user)?;
    cred.label = "DocuSign JWT Studio: access token (reused until it expires)".to_string();
    Ok(keyring::Entry::new_with_credential(Box::new(cred)))
}

#[cfg(any(target_os = "macos", windows))]
fn entry(service: &str, user: &str) -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(service, user)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn entry(_service: &str, _user: &str) -> Result<keyring::Entry, keyring::Error> {
    Err(keyring::Error::PlatformFailure(
        "this operating system has no supported keyring".into(),
    ))
}

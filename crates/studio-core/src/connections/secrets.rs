//! The OS keyring, with the store chosen explicitly: the Secret Service on Linux (GNOME
//! Keyring, KWallet; over D-Bus), the Keychain on macOS, the Credential Manager on Windows.
//! `keyring` v3 without a store feature silently keeps secrets in memory; this module never
//! goes through that default on Linux, and the crate enables a real store per OS.
//!
//! Entries: service [`crate::keyring_names::KEYRING_SERVICE`] (or the store's override), user
//! `connection:<name>`, secret = the private key as PKCS#1 PEM text.

use super::ConnectionError;

/// One keyring entry: the private key of one connection.
pub(crate) struct KeyEntry {
    entry: keyring::Entry,
    name: String,
}

/// The keyring user for a connection.
pub(crate) fn user_for(name: &str) -> String {
    format!("connection:{name}")
}

impl KeyEntry {
    /// The entry of connection `name` under `service`. Creates nothing in the keyring.
    pub(crate) fn new(service: &str, name: &str) -> Result<KeyEntry, ConnectionError> {
        let user = user_for(name);
        let entry = platform_entry(service, &user, name)?;
        Ok(KeyEntry {
            entry,
            name: name.to_string(),
        })
    }

    /// The stored PEM, `None` when there is no entry.
    pub(crate) fn get(&self) -> Result<Option<String>, ConnectionError> {
        match self.entry.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e, &self.name)),
        }
    }

    /// Stores (creates or replaces) the PEM.
    pub(crate) fn set(&self, pem: &str) -> Result<(), ConnectionError> {
        self.entry
            .set_password(pem)
            .map_err(|e| map_error(e, &self.name))
    }

    /// Deletes the entry; `Ok(false)` when there was none.
    pub(crate) fn delete(&self) -> Result<bool, ConnectionError> {
        match self.entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e, &self.name)),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_entry(
    service: &str,
    user: &str,
    name: &str,
) -> Result<keyring::Entry, ConnectionError> {
    // The Secret Service store, named explicitly (not `Entry::new`, which would take whatever
    // default store the feature set implies). Collection: the default one ("login").
    let mut cred = keyring::secret_service::SsCredential::new_with_target(None, service, user)
        .map_err(|e| map_error(e, name))?;
    cred.label = format!("DocuSign JWT Studio: private key of connection \"{name}\"");
    Ok(keyring::Entry::new_with_credential(Box::new(cred)))
}

#[cfg(any(target_os = "macos", windows))]
fn platform_entry(
    service: &str,
    user: &str,
    name: &str,
) -> Result<keyring::Entry, ConnectionError> {
    // The only store feature enabled on these targets is the native one (see Cargo.toml).
    keyring::Entry::new(service, user).map_err(|e| map_error(e, name))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn platform_entry(
    _service: &str,
    _user: &str,
    _name: &str,
) -> Result<keyring::Entry, ConnectionError> {
    Err(ConnectionError::KeyringUnavailable {
        reason: "this operating system has no supported keyring".into(),
    })
}

/// Maps a keyring error to ours. Never copies secret bytes (`BadEncoding` carries them).
fn map_error(e: keyring::Error, name: &str) -> ConnectionError {
    match e {
        keyring::Error::PlatformFailure(inner) => ConnectionError::KeyringUnavailable { reason: inner.to_string() },
        keyring::Error::NoStorageAccess(inner) => ConnectionError::KeyringLocked { reason: inner.to_string() },
        keyring::Error::NoEntry => ConnectionError::KeyMissing { name: name.to_string() },
        keyring::Error::BadEncoding(_) => ConnectionError::KeyringFailed { reason: "the stored private key is not UTF-8 text".into() },
        keyring::Error::TooLong(attr, limit) => ConnectionError::KeyringFailed { reason: format!("the keyring refused the {attr} attribute: longer than {limit} characters") },
        keyring::Error::Invalid(attr, reason) => ConnectionError::KeyringFailed { reason: format!("the keyring refused the {attr} attribute: {reason}") },
        keyring::Error::Ambiguous(items) => ConnectionError::KeyringFailed { reason: format!("{} keyring entries match this connection; remove the extra ones (Passwords and Keys / Seahorse)", items.len()) },
        other => ConnectionError::KeyringFailed { reason: other.to_string() },
    }
}

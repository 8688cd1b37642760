//! The Studio's names in the OS keyring: one service for every entry (connection keys,
//! `connection:<name>`, see [`crate::connections`]; the CLI's cached access tokens, `token:…`,
//! see [`crate::token_store`]), which tests and side-by-side profiles may override.

/// The keyring service name under which the Studio keeps its entries.
pub const KEYRING_SERVICE: &str = "dev.dsjwt.studio";

/// Environment variable that overrides [`KEYRING_SERVICE`] (tests, side-by-side profiles).
/// Empty or blank counts as unset.
pub const KEYRING_SERVICE_ENV: &str = "DSJWT_KEYRING_SERVICE";

/// The keyring service in effect: `$DSJWT_KEYRING_SERVICE` when set and not blank, else
/// [`KEYRING_SERVICE`].
pub fn service() -> String {
    std::env::var(KEYRING_SERVICE_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| KEYRING_SERVICE.to_string())
}

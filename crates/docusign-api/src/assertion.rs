//! The JWT assertion for DocuSign's JWT Grant.
//!
//! Follows <https://developers.docusign.com/platform/auth/jwt/jwt-get-token>
//! (step 2, "Create a JWT"): header `{"alg":"RS256","typ":"JWT"}`; claims
//! `iss` = integration key, `sub` = user ID, `aud` = the auth server's bare
//! host, `iat`, `exp` ≤ `iat` + 3600 s, `scope` = `"signature impersonation"`.
//! Field cases F09 (bare-host audience) and F16 (never longer than one hour).

use crate::consent::JWT_SCOPES;
use crate::environment::AuthServer;
use crate::key::PrivateKey;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest assertion DocuSign accepts: one hour, in seconds.
pub const MAX_LIFETIME_SECS: i64 = 3600;
/// How far `iat` is set back from the local clock, in seconds, so a server
/// clock slightly behind ours does not see an assertion from the future.
pub const IAT_BACKDATE_SECS: i64 = 60;

/// The claims DocuSign reads. All times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Integration key (client ID) GUID.
    pub iss: String,
    /// The impersonated user's user ID GUID.
    pub sub: String,
    /// Auth server bare host, e.g. `account-d.docusign.com`.
    pub aud: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds), at most `iat + 3600`.
    pub exp: i64,
    /// Space-separated scopes.
    pub scope: String,
}

impl Claims {
    /// Claims for `integration_key` impersonating `user_id` at `auth`, issued
    /// `IAT_BACKDATE_SECS` before `now`, valid for one hour from `iat`.
    pub fn new(integration_key: &str, user_id: &str, auth: &AuthServer, now: SystemTime) -> Self {
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs() as i64;
        let iat = now_secs - IAT_BACKDATE_SECS;
        Claims {
            iss: integration_key.to_string(),
            sub: user_id.to_string(),
            aud: auth.audience().to_string(),
            iat,
            exp: iat + MAX_LIFETIME_SECS,
            scope: JWT_SCOPES.join(" "),
        }
    }
}

/// A signed assertion. Its text is a credential for up to an hour: Debug is
/// redacted and it is never logged.
#[derive(Clone)]
pub struct Assertion {
    jwt: String,
    /// The claims that were signed.
    pub claims: Claims,
}

impl std::fmt::Debug for Assertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assertion")
            .field("claims", &self.claims)
            .field("jwt", &"<redacted>")
            .finish()
    }
}

impl Assertion {
    /// The compact JWT (`header.payload.signature`). Secret.
    pub fn secret(&self) -> &str {
        &self.jwt
    }
}

/// Signing failed: the key could not be turned into an RS256 signer.
#[derive(Debug, thiserror::Error)]
#[error("could not sign the JWT assertion with this key: {0}")]
pub struct SignError(String);

/// The message of [`sign`] for an empty `sub` (F38).
pub const EMPTY_SUB: &str = "the User ID is empty: without it DocuSign issues an application token (no user) that userinfo and the eSignature API refuse; fill in the User ID (a GUID from Apps and Keys)";

/// Signs `claims` with RS256 (jsonwebtoken).
///
/// # Errors
/// [`SignError`] if `sub` is empty (F38: DocuSign would answer with an application token that
/// every later call refuses), or if the key is rejected by the signer (should not happen for
/// keys that passed [`crate::key::load_private_key`]).
pub fn sign(key: &PrivateKey, claims: Claims) -> Result<Assertion, SignError> {
    if claims.sub.trim().is_empty() {
        return Err(SignError(EMPTY_SUB.to_string()));
    }
    let der = key.pkcs1_der();
    let enc = jsonwebtoken::EncodingKey::from_rsa_der(&der);
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    let jwt = jsonwebtoken::encode(&header, &claims, &enc).map_err(|e| SignError(e.to_string()))?;
    Ok(Assertion { jwt, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F38: an assertion without a user is never built.
    #[test]
    fn f38_empty_sub_is_never_signed() {
        let key = PrivateKey::generate(2048).expect("key");
        let auth = AuthServer::parse("demo").expect("auth");
        for sub in ["", "   "] {
            let claims = Claims::new(
                "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01",
                sub,
                &auth,
                SystemTime::now(),
            );
            let err = sign(&key, claims)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                err.contains("User ID") && err.contains("application token"),
                "{err}"
            );
        }
        let ok = Claims::new(
            "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01",
            "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01",
            &auth,
            SystemTime::now(),
        );
        assert!(sign(&key, ok).is_ok());
    }
}

//! DocuSign JWT Grant client: everything the Studio needs to talk to DocuSign,
//! with no UI and no Tauri.
//!
//! - [`key`]: load the RSA private key people paste, and say precisely what is wrong with it.
//! - [`environment`]: demo / production / custom auth servers, base URIs, ID checks.
//! - [`consent`]: the byte-exact consent URL.
//! - [`assertion`]: the RS256 JWT assertion.
//! - [`oauth`]: `/oauth/token` (every documented error body) and `/oauth/userinfo`.
//! - [`clock`]: DocuSign's clock (the skew read from its `Date` headers).
//! - [`token_cache`]: one token reused until close to expiry, judged in DocuSign's time.
//! - [`esign`]: the eSignature REST client (the nine actions, rate limits, retries, downloads).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use docusign_api::{assertion, environment::AuthServer, key, oauth};
//! let key = key::load_private_key(&std::fs::read_to_string("private.key")?)?.key;
//! let auth = AuthServer::demo();
//! let claims = assertion::Claims::new("<integration key>", "<user id>", &auth, std::time::SystemTime::now());
//! let jwt = assertion::sign(&key, claims)?;
//! let client = oauth::OAuthClient::new(auth, oauth::http_client(None, std::time::Duration::from_secs(30))?);
//! let token = client.request_token(&jwt).await?;
//! let me = client.userinfo(&token.access_token).await?;
//! println!("{} accounts", me.accounts.len());
//! # Ok(()) }
//! ```

pub mod assertion;
pub mod clock;
pub mod consent;
pub mod environment;
pub mod esign;
pub mod files;
pub mod key;
pub mod oauth;
pub mod observe;
pub mod token_cache;
#[cfg(feature = "ts")]
pub mod ts;

//! The OAuth side of the world, checked: integration keys with their public keys and redirect
//! URIs, users with their account memberships, and consents; what the consent page, the token
//! endpoint and userinfo serve from.

use std::collections::HashSet;
use std::path::Path;

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _, LineEnding};
use rsa::traits::PublicKeyParts as _;

use super::format::WorldFile;
use crate::EmulatorError;

/// Scopes a JWT-grant consent needs and the admin API grants by default.
pub const DEFAULT_SCOPES: [&str; 2] = ["signature", "impersonation"];

/// `base_uri` values that mean "the emulator's own URL".
const SELF_BASE_URIS: [&str; 2] = ["self", "{emulator}"];

/// A registered public key: its normalised SPKI PEM and the verification key.
#[derive(Clone)]
pub(crate) struct PublicKey {
    pub spki_pem: String,
    pub sha256: String,
    pub decoding: jsonwebtoken::DecodingKey,
}

/// A validated integration key.
#[derive(Clone)]
pub(crate) struct IntegrationKey {
    /// Lower-case GUID.
    pub id: String,
    pub name: String,
    pub public_keys: Vec<PublicKey>,
    pub redirect_uris: Vec<String>,
}

/// A validated account; `base_uri` `None` means the emulator's own URL.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub account_id: String,
    pub account_name: String,
    pub is_default: bool,
    pub base_uri: Option<String>,
    pub organization_id: Option<String>,
}

/// A validated user.
#[derive(Clone, Debug)]
pub(crate) struct User {
    /// Lower-case GUID.
    pub user_id: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub created: Option<String>,
    pub accounts: Vec<Account>,
}

/// A validated consent.
#[derive(Clone, Debug)]
pub(crate) struct Consent {
    pub user_id: String,
    pub integration_key: String,
    pub scopes: Vec<String>,
}

/// The OAuth side of a world file, checked.
pub(crate) struct OauthSide {
    pub integration_keys: Vec<IntegrationKey>,
    pub users: Vec<User>,
    pub consents: Vec<Consent>,
}

/// Checks the integration keys, users and consents of `file`; `invalid` makes the error that
/// names a field. `base_dir` resolves relative `public_key_files`.
pub(crate) fn check(
    file: &WorldFile,
    base_dir: &Path,
    invalid: &dyn Fn(String, String) -> EmulatorError,
) -> Result<OauthSide, EmulatorError> {
    let mut integration_keys = Vec::new();
    let mut seen = HashSet::new();
    for (i, spec) in file.integration_keys.iter().enumerate() {
        let at = format!("integration_keys[{i}]");
        let id = check_guid(&spec.integration_key)
            .map_err(|m| invalid(format!("{at}.integration_key"), m))?;
        if !seen.insert(id.clone()) {
            return Err(invalid(
                format!("{at}.integration_key"),
                format!("{id} is listed twice"),
            ));
        }
        let mut public_keys = Vec::new();
        for (j, pem) in spec.public_keys.iter().enumerate() {
            let key =
                parse_public_key(pem).map_err(|m| invalid(format!("{at}.public_keys[{j}]"), m))?;
            public_keys.push(key);
        }
        for (j, rel) in spec.public_key_files.iter().enumerate() {
            let field = format!("{at}.public_key_files[{j}]");
            let full = if rel.is_absolute() {
                rel.clone()
            } else {
                base_dir.join(rel)
            };
            let pem = std::fs::read_to_string(&full).map_err(|e| {
                invalid(
                    field.clone(),
                    format!("cannot read {}: {e}", full.display()),
                )
            })?;
            let key = parse_public_key(&pem)
                .map_err(|m| invalid(field.clone(), format!("{}: {m}", full.display())))?;
            public_keys.push(key);
        }
        let mut redirect_uris = Vec::new();
        for (j, uri) in spec.redirect_uris.iter().enumerate() {
            match url::Url::parse(uri) {
                Ok(u) if !u.cannot_be_a_base() => redirect_uris.push(uri.clone()),
                _ => {
                    return Err(invalid(
                        format!("{at}.redirect_uris[{j}]"),
                        format!("{uri:?} is not an absolute URI (e.g. https://localhost/callback)"),
                    ))
                }
            }
        }
        let name = spec
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Untitled app".to_owned());
        integration_keys.push(IntegrationKey {
            id,
            name,
            public_keys,
            redirect_uris,
        });
    }

    let mut users = Vec::new();
    let mut seen = HashSet::new();
    for (i, spec) in file.users.iter().enumerate() {
        let at = format!("users[{i}]");
        let user_id = check_guid(&spec.user_id).map_err(|m| invalid(format!("{at}.user_id"), m))?;
        if !seen.insert(user_id.clone()) {
            return Err(invalid(
                format!("{at}.user_id"),
                format!("{user_id} is listed twice"),
            ));
        }
        let name = spec.name.trim().to_owned();
        if name.is_empty() {
            return Err(invalid(format!("{at}.name"), "must not be empty".into()));
        }
        if !spec.email.contains('@') {
            return Err(invalid(
                format!("{at}.email"),
                format!("{:?} is not an email address", spec.email),
            ));
        }
        let (first, rest) = match name.split_once(' ') {
            Some((a, b)) => (a.to_owned(), b.trim().to_owned()),
            None => (name.clone(), String::new()),
        };
        let mut accounts = Vec::new();
        let mut defaults = 0;
        let mut seen_accounts = HashSet::new();
        for (k, acc) in spec.accounts.iter().enumerate() {
            let at = format!("{at}.accounts[{k}]");
            let account_id =
                check_guid(&acc.account_id).map_err(|m| invalid(format!("{at}.account_id"), m))?;
            if !seen_accounts.insert(account_id.clone()) {
                return Err(invalid(
                    format!("{at}.account_id"),
                    format!("{account_id} is listed twice for this user"),
                ));
            }
            if acc.account_name.trim().is_empty() {
                return Err(invalid(
                    format!("{at}.account_name"),
                    "must not be empty".into(),
                ));
            }
            let base_uri = if SELF_BASE_URIS.contains(&acc.base_uri.as_str()) {
                None
            } else {
                match url::Url::parse(&acc.base_uri) {
                    Ok(u) if matches!(u.scheme(), "https" | "http") && u.has_host() => {
                        Some(acc.base_uri.clone())
                    }
                    _ => {
                        return Err(invalid(
                            format!("{at}.base_uri"),
                            format!(
                                "{:?} is neither \"self\" nor an absolute URL like https://demo.docusign.net",
                                acc.base_uri
                            ),
                        ))
                    }
                }
            };
            let organization_id = match &acc.organization_id {
                Some(o) => {
                    Some(check_guid(o).map_err(|m| invalid(format!("{at}.organization_id"), m))?)
                }
                None => None,
            };
            if acc.is_default {
                defaults += 1;
            }
            accounts.push(Account {
                account_id,
                account_name: acc.account_name.clone(),
                is_default: acc.is_default,
                base_uri,
                organization_id,
            });
        }
        if defaults > 1 {
            return Err(invalid(
                format!("{at}.accounts"),
                "more than one account has \"is_default\": true".into(),
            ));
        }
        users.push(User {
            user_id,
            given_name: spec.given_name.clone().unwrap_or(first),
            family_name: spec.family_name.clone().unwrap_or(rest),
            name,
            email: spec.email.clone(),
            created: spec.created.clone(),
            accounts,
        });
    }

    let mut consents = Vec::new();
    for (i, spec) in file.consents.iter().enumerate() {
        let at = format!("consents[{i}]");
        let user_id = spec.user_id.trim().to_ascii_lowercase();
        if !users.iter().any(|u| u.user_id == user_id) {
            return Err(invalid(
                format!("{at}.user_id"),
                format!("{} is not a user of this world", spec.user_id),
            ));
        }
        let ik = spec.integration_key.trim().to_ascii_lowercase();
        if !integration_keys.iter().any(|k| k.id == ik) {
            return Err(invalid(
                format!("{at}.integration_key"),
                format!(
                    "{} is not an integration key of this world",
                    spec.integration_key
                ),
            ));
        }
        let scopes = match &spec.scopes {
            Some(s) => s.clone(),
            None => DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        };
        for (j, s) in scopes.iter().enumerate() {
            if s.is_empty() || s.contains(char::is_whitespace) {
                return Err(invalid(
                    format!("{at}.scopes[{j}]"),
                    format!("{s:?} is not a single scope token"),
                ));
            }
        }
        consents.push(Consent {
            user_id,
            integration_key: ik,
            scopes,
        });
    }

    Ok(OauthSide {
        integration_keys,
        users,
        consents,
    })
}

/// Accepts a hyphenated GUID (any case); returns it lower-cased.
fn check_guid(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.len() == 36 && uuid::Uuid::parse_str(v).is_ok() {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(format!(
            "{value:?} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
        ))
    }
}

/// Parses an RSA public key PEM (SPKI or PKCS#1), tolerating CRLF, a BOM and any line width.
pub(crate) fn parse_public_key(pem: &str) -> Result<PublicKey, String> {
    let text = pem.trim_start_matches('\u{feff}').trim();
    let begin = text
        .find("-----BEGIN ")
        .ok_or_else(|| "no -----BEGIN ...----- line (expected an RSA public key PEM)".to_owned())?;
    let after = &text[begin + "-----BEGIN ".len()..];
    let label_end = after
        .find("-----")
        .ok_or_else(|| "malformed BEGIN line".to_owned())?;
    let label = after[..label_end].trim().to_owned();
    let body_and_end = &after[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body_and_end
        .find(&end_marker)
        .ok_or_else(|| format!("no {end_marker} line"))?;
    let body: String = body_and_end[..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|e| format!("the PEM body is not valid base64: {e}"))?;
    let key = match label.as_str() {
        "PUBLIC KEY" => rsa::RsaPublicKey::from_public_key_der(&der)
            .map_err(|e| format!("not an RSA SubjectPublicKeyInfo: {e}"))?,
        "RSA PUBLIC KEY" => rsa::RsaPublicKey::from_pkcs1_der(&der)
            .map_err(|e| format!("not a PKCS#1 RSA public key: {e}"))?,
        "RSA PRIVATE KEY" | "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
            return Err(
                "this is a private key; register the public half (BEGIN PUBLIC KEY)".to_owned(),
            )
        }
        other => {
            return Err(format!(
                "unexpected PEM label {other:?} (expected PUBLIC KEY or RSA PUBLIC KEY)"
            ))
        }
    };
    if key.size() * 8 < 2048 {
        return Err(format!(
            "the key has {} bits; DocuSign needs RSA keys of at least 2048 bits",
            key.size() * 8
        ));
    }
    public_key_from_rsa(&key)
}

/// Builds a [`PublicKey`] from a parsed RSA key.
pub(crate) fn public_key_from_rsa(key: &rsa::RsaPublicKey) -> Result<PublicKey, String> {
    use sha2::Digest as _;
    let spki_der = key
        .to_public_key_der()
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    let spki_pem = key
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    let digest = sha2::Sha256::digest(spki_der.as_bytes());
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    let decoding = jsonwebtoken::DecodingKey::from_rsa_raw_components(
        &key.n().to_bytes_be(),
        &key.e().to_bytes_be(),
    );
    Ok(PublicKey {
        spki_pem,
        sha256,
        decoding,
    })
}

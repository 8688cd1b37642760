//! The world: integration keys, users, accounts and consents the emulator knows.
//!
//! A world comes from a JSON file ([`WorldFile`], documented with a full example in
//! `docs/emulator.md`) or is generated at start-up (the *default world*, see
//! [`generate_default_world`]). Either way it is validated into a [`World`] before the server
//! binds, so a typo fails loudly at start-up with the offending field named.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _, LineEnding};
use rsa::traits::PublicKeyParts as _;
use serde::{Deserialize, Serialize};

use crate::esign::spec::{AccountEsignSpec, Member};
use crate::EmulatorError;

/// Scopes a JWT-grant consent needs and the admin API grants by default.
pub const DEFAULT_SCOPES: [&str; 2] = ["signature", "impersonation"];

/// `base_uri` values that mean "the emulator's own URL".
const SELF_BASE_URIS: [&str; 2] = ["self", "{emulator}"];

/// Name used in errors for the generated default world.
pub(crate) const DEFAULT_WORLD_NAME: &str = "<default world>";

/// The world file as written on disk (JSON). Unknown fields are rejected so typos are loud.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldFile {
    /// Environment name, free text (`"demo"`, `"sandbox"`, ...). Consents are recorded per
    /// environment, as DocuSign does. Default `"demo"`.
    #[serde(default = "default_environment")]
    pub environment: String,
    /// `expires_in` of issued access tokens, seconds. Default 3600 (DocuSign's one hour).
    #[serde(default = "default_token_lifetime")]
    pub token_lifetime_seconds: u64,
    /// Registered integration keys (apps).
    #[serde(default)]
    pub integration_keys: Vec<IntegrationKeySpec>,
    /// Users that can be impersonated (`sub`).
    #[serde(default)]
    pub users: Vec<UserSpec>,
    /// Consents present at start-up.
    #[serde(default)]
    pub consents: Vec<ConsentSpec>,
    /// eSignature data (templates, envelopes, folders, limits) per account id. Accounts without
    /// an entry have no templates or envelopes and the default limits.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub esignature: BTreeMap<String, AccountEsignSpec>,
}

/// One integration key in the world file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationKeySpec {
    /// The client ID, a hyphenated GUID.
    pub integration_key: String,
    /// App name shown on the consent page. Default "Untitled app".
    #[serde(default)]
    pub name: Option<String>,
    /// RSA public keys as PEM: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
    #[serde(default)]
    pub public_keys: Vec<String>,
    /// Paths of PEM public key files, relative to the world file's folder.
    #[serde(default)]
    pub public_key_files: Vec<PathBuf>,
    /// Registered redirect URIs (absolute); the consent page accepts only exact matches.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// One user in the world file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The user ID (API username), a hyphenated GUID; the JWT `sub`.
    pub user_id: String,
    /// Full name (userinfo `name`).
    pub name: String,
    /// Email address (userinfo `email`).
    pub email: String,
    /// userinfo `given_name`; default: the first word of `name`.
    #[serde(default)]
    pub given_name: Option<String>,
    /// userinfo `family_name`; default: the rest of `name`.
    #[serde(default)]
    pub family_name: Option<String>,
    /// userinfo `created`; default: the emulator's start time as `YYYY-MM-DDTHH:MM:SS.ff`.
    #[serde(default)]
    pub created: Option<String>,
    /// Account memberships; may be empty (a user with no accounts).
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

/// One account membership of a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// The API account ID, a hyphenated GUID.
    pub account_id: String,
    /// Account name.
    pub account_name: String,
    /// Whether this is the user's default account (at most one per user).
    #[serde(default)]
    pub is_default: bool,
    /// `"self"` / `"{emulator}"` for the emulator's own URL, or an absolute URL such as
    /// `https://demo.docusign.net` (no `/restapi`, as DocuSign returns it).
    pub base_uri: String,
    /// Optional organization GUID; when set, userinfo adds the `organization` block.
    #[serde(default)]
    pub organization_id: Option<String>,
}

/// One consent: `user_id` allowed `integration_key` the `scopes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentSpec {
    /// A user of this world.
    pub user_id: String,
    /// An integration key of this world.
    pub integration_key: String,
    /// Scope tokens; default `["signature", "impersonation"]`.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

fn default_environment() -> String {
    "demo".to_owned()
}

fn default_token_lifetime() -> u64 {
    3600
}

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

/// A validated world, ready to serve.
#[derive(Clone)]
pub(crate) struct World {
    pub environment: String,
    pub token_lifetime_seconds: u64,
    pub integration_keys: Vec<IntegrationKey>,
    pub users: Vec<User>,
    pub consents: Vec<Consent>,
    /// The eSignature accounts; moved into the app state at start-up.
    pub esign: crate::esign::model::Store,
}

impl World {
    /// The integration key with this id (case-insensitive).
    pub fn integration_key(&self, id: &str) -> Option<&IntegrationKey> {
        let id = id.trim().to_ascii_lowercase();
        self.integration_keys.iter().find(|k| k.id == id)
    }

    /// The user with this id (case-insensitive).
    pub fn user(&self, id: &str) -> Option<&User> {
        let id = id.trim().to_ascii_lowercase();
        self.users.iter().find(|u| u.user_id == id)
    }
}

/// Reads and validates a world file.
pub(crate) fn load_world_file(path: &Path) -> Result<World, EmulatorError> {
    let text = std::fs::read_to_string(path).map_err(|source| EmulatorError::WorldRead {
        path: path.to_path_buf(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let file: WorldFile = serde_json::from_str(text).map_err(|e| EmulatorError::WorldSyntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    validate_world(file, path, &base_dir)
}

/// Checks every value of `file` and builds the [`World`]. `source` names the file in errors;
/// `base_dir` resolves relative `public_key_files`.
pub(crate) fn validate_world(
    file: WorldFile,
    source: &Path,
    base_dir: &Path,
) -> Result<World, EmulatorError> {
    let invalid = |field: String, message: String| EmulatorError::WorldInvalid {
        path: source.to_path_buf(),
        field,
        message,
    };

    if file.environment.trim().is_empty() {
        return Err(invalid("environment".into(), "must not be empty".into()));
    }
    if file.token_lifetime_seconds == 0 {
        return Err(invalid(
            "token_lifetime_seconds".into(),
            "must be at least 1 (DocuSign issues 3600)".into(),
        ));
    }

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

    let members: Vec<Member> = users
        .iter()
        .map(|u| Member {
            user_id: u.user_id.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            account_ids: u.accounts.iter().map(|a| a.account_id.clone()).collect(),
        })
        .collect();
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let esign =
        crate::esign::spec::build_store(&file.esignature, &members, &file.environment, start)
            .map_err(|(field, message)| invalid(field, message))?;

    Ok(World {
        environment: file.environment,
        token_lifetime_seconds: file.token_lifetime_seconds,
        integration_keys,
        users,
        consents,
        esign,
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

/// Credentials of the generated default world, for the CLI's ready line and for tests.
///
/// `private_key` is the path of a PKCS#1 (`RSA PRIVATE KEY` label) PEM file, mode
/// 0600, as DocuSign's Apps and Keys page hands it out; its public half is registered on
/// `integration_key`.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultCredentials {
    /// Path of the PKCS#1 PEM private key file (`data_dir/private_key.pem`).
    pub private_key: PathBuf,
    /// The integration key (client ID) GUID.
    pub integration_key: String,
    /// The impersonated user's GUID (JWT `sub`).
    pub user_id: String,
    /// The user's only account GUID.
    pub account_id: String,
    /// The account's base URI: the emulator's own URL (`https://127.0.0.1:PORT`).
    pub base_uri: String,
    /// The redirect URI registered on the integration key (`https://localhost/callback`).
    pub redirect_uri: String,
}

/// The redirect URI registered on the default world's integration key.
pub const DEFAULT_REDIRECT_URI: &str = "https://localhost/callback";

/// Generates the default world: a fresh 2048-bit RSA key pair (private half written to
/// `data_dir/private_key.pem`, PKCS#1, 0600, atomically), one integration key, one user
/// "Sandbox User" with one account "Sandbox Account" (`base_uri` self, default), environment
/// `"sandbox"`, and a consent only when `grant_consent`. GUIDs are random per call, except the
/// account's eSignature templates and envelopes, which have fixed ids
/// ([`crate::esign::spec::DEFAULT_NDA_TEMPLATE_ID`], …).
///
/// Returns the world file and the credentials (with `base_uri` still empty: the caller fills it
/// in once the port is known).
pub(crate) fn generate_default_world(
    data_dir: &Path,
    grant_consent: bool,
) -> Result<(WorldFile, DefaultCredentials), EmulatorError> {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    let mut rng = rand::thread_rng();
    let private = rsa::RsaPrivateKey::new(&mut rng, 2048)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let key_path = data_dir.join("private_key.pem");
    crate::fsutil::write_atomic(&key_path, pem.as_bytes(), 0o600).map_err(|source| {
        EmulatorError::DataDir {
            path: key_path.clone(),
            source,
        }
    })?;

    let integration_key = uuid::Uuid::new_v4().to_string();
    let user_id = uuid::Uuid::new_v4().to_string();
    let account_id = uuid::Uuid::new_v4().to_string();
    let consents = if grant_consent {
        vec![ConsentSpec {
            user_id: user_id.clone(),
            integration_key: integration_key.clone(),
            scopes: None,
        }]
    } else {
        Vec::new()
    };
    let file = WorldFile {
        environment: "sandbox".to_owned(),
        token_lifetime_seconds: default_token_lifetime(),
        integration_keys: vec![IntegrationKeySpec {
            integration_key: integration_key.clone(),
            name: Some("DocuSign JWT Studio (sandbox)".to_owned()),
            public_keys: vec![public_pem],
            public_key_files: Vec::new(),
            redirect_uris: vec![DEFAULT_REDIRECT_URI.to_owned()],
        }],
        users: vec![UserSpec {
            user_id: user_id.clone(),
            name: "Sandbox User".to_owned(),
            email: "sandbox.user@example.com".to_owned(),
            given_name: None,
            family_name: None,
            created: None,
            accounts: vec![AccountSpec {
                account_id: account_id.clone(),
                account_name: "Sandbox Account".to_owned(),
                is_default: true,
                base_uri: "self".to_owned(),
                organization_id: None,
            }],
        }],
        consents,
        esignature: BTreeMap::from([(
            account_id.clone(),
            crate::esign::spec::default_account_spec(),
        )]),
    };
    let credentials = DefaultCredentials {
        private_key: key_path,
        integration_key,
        user_id,
        account_id,
        base_uri: String::new(),
        redirect_uri: DEFAULT_REDIRECT_URI.to_owned(),
    };
    Ok((file, credentials))
}

/// The credentials of a default world saved by an earlier run: its first integration key, first
/// user and that user's first account; the private key is `data_dir/private_key.pem` (which the
/// caller may have moved elsewhere: the emulator needs only the public half). `base_uri` is
/// empty until the port is known. `None` when the world lacks any of them.
pub(crate) fn saved_credentials(file: &WorldFile, data_dir: &Path) -> Option<DefaultCredentials> {
    let ik = file.integration_keys.first()?;
    let user = file.users.first()?;
    let account = user.accounts.first()?;
    Some(DefaultCredentials {
        private_key: data_dir.join("private_key.pem"),
        integration_key: ik.integration_key.to_ascii_lowercase(),
        user_id: user.user_id.to_ascii_lowercase(),
        account_id: account.account_id.to_ascii_lowercase(),
        base_uri: String::new(),
        redirect_uri: DEFAULT_REDIRECT_URI.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<World, EmulatorError> {
        let file: WorldFile =
            serde_json::from_str(json).map_err(|e| EmulatorError::WorldSyntax {
                path: "w.json".into(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        validate_world(file, Path::new("w.json"), Path::new("."))
    }

    #[test]
    fn unknown_field_is_named() {
        let err = parse(r#"{"users": [{"user_id": "x", "nmae": "A"}]}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("nmae"), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn bad_guid_is_named() {
        let err = parse(
            r#"{"users": [{"user_id": "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11", "name": "A B", "email": "a@b.c",
                "accounts": [{"account_id": "nope", "account_name": "X", "base_uri": "self"}]}]}"#,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("users[0].accounts[0].account_id"), "{err}");
    }

    #[test]
    fn consent_must_reference_known_ids() {
        let err = parse(
            r#"{"consents": [{"user_id": "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11",
                "integration_key": "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c12"}]}"#,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("consents[0].user_id"), "{err}");
    }

    #[test]
    fn private_key_is_not_a_public_key() {
        let label = "RSA PRIVATE KEY";
        let err = parse_public_key(&format!(
            "-----BEGIN {label}-----\nAAAA\n-----END {label}-----"
        ))
        .err()
        .unwrap_or_default();
        assert!(err.contains("private key"), "{err}");
    }
}

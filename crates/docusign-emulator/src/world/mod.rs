//! The world: integration keys, users, accounts and consents the emulator knows, and each
//! account's eSignature data (templates, envelopes, folders, limits).
//!
//! A world comes from a JSON file ([`WorldFile`], documented with a full example in
//! `docs/emulator.md`) or is generated at start-up (the *default world*, see
//! [`generate_default_world`]). Either way it is validated into a [`World`] before the server
//! binds, so a typo fails loudly at start-up with the offending field named.
//!
//! - `format.rs`: the file as written (every field and its default);
//! - `oauth.rs`: the OAuth side checked (integration keys with their public keys, users, consents);
//! - `esign.rs`: the eSignature side checked and built into the accounts' store;
//! - `default.rs`: the default world (key pair, user, account, and the account's templates and
//!   envelopes).

mod default;
mod esign;
mod format;
mod oauth;

use std::path::Path;

use crate::EmulatorError;

pub(crate) use default::{generate_default_world, saved_credentials, DEFAULT_WORLD_NAME};
pub use default::{
    DefaultCredentials, DEFAULT_ACCOUNT_NUMBER, DEFAULT_ENVELOPES, DEFAULT_NDA_TEMPLATE_ID,
    DEFAULT_OFFER_TEMPLATE_ID, DEFAULT_REDIRECT_URI,
};
pub(crate) use esign::apply_limits;
pub use format::{
    AccountEsignSpec, AccountSpec, AccountUserSpec, ConsentSpec, CustomFieldsSpec, DocumentSpec,
    EnvelopeSpec, FolderSpec, IntegrationKeySpec, LimitsSpec, ListCustomFieldSpec, ListItemSpec,
    RadioSpec, RecipientSpec, SettingsSpec, TabSpec, TemplateSpec, TextCustomFieldSpec, UserSpec,
    WorldFile,
};
pub use oauth::DEFAULT_SCOPES;
pub(crate) use oauth::{Account, Consent, IntegrationKey, User};

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
    let oauth::OauthSide {
        integration_keys,
        users,
        consents,
    } = oauth::check(&file, base_dir, &invalid)?;

    let members: Vec<esign::Member> = users
        .iter()
        .map(|u| esign::Member {
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
    let esign = esign::build_store(&file.esignature, &members, &file.environment, start)
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

#[cfg(test)]
mod tests {
    use super::oauth::parse_public_key;
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

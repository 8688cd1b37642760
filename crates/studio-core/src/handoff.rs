//! Handing a verified connection over to the platform that will run it, and taking values the
//! way people keep them.
//!
//! **Out** ([`render`], [`handoff`]): the values the last health check proved, in three shapes:
//! - [`HandoffFormat::Stackai`]: Stack AI's "DocuSign (JWT)" form, in the form's order
//!   (Integration Key, User ID, RSA Private Key as the full PEM, Account ID, Base URI) plus the
//!   environment and its auth server;
//! - [`HandoffFormat::Env`]: a `.env` block (`DOCUSIGN_INTEGRATION_KEY=…`, …, the key as
//!   `DOCUSIGN_PRIVATE_KEY="…"` on one line with `\n` escapes);
//! - [`HandoffFormat::Json`]: one JSON object with snake_case fields.
//!
//! The private key is included only when the caller passes it (it leaves the keyring only on
//! purpose); without it no key material is written, only a comment saying it was left out.
//!
//! **In** ([`parse_pasted`], [`strip_label`]): a block of notes, a `.env` file or the JSON
//! above. Labels in any letter case, with `:` or `=` (or alone on their line, the value on the
//! next), `export`, bullets, quotes, Markdown emphasis; the key with real newlines, `\n`
//! escapes, or as a PEM block anywhere in the text. Every value found is returned as found
//! (trimmed, unquoted): the caller still checks each one as if typed. The reading itself lives
//! beside the connections it fills (`connections/pasted.rs`, which the connection store also
//! uses to drop a label typed with a value); this module is its public face.
//!
//! Round trip: `parse_pasted(render(v, f, key))` gives back `v`'s IDs, base URI, environment,
//! auth server and the same key, for every format.

use docusign_api::environment::{AuthServerKind, SettingError};
use docusign_api::key::Zeroizing;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::connections::{Connection, Environment, SavedAuthServer};
use crate::health::HealthReport;
use crate::problem::{Code, Problem};

pub use crate::connections::pasted::{
    environment_of_word, field_of_label, label_of, parse_pasted, strip_label, PastedValues, FIELDS,
};

// ------------------------------------------------------------------------------------------
// Out
// ------------------------------------------------------------------------------------------

/// The shape of a hand-off block. `stackai`, `env` or `json` ([`FromStr`], [`fmt::Display`]).
#[derive(Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HandoffFormat {
    /// Stack AI's DocuSign (JWT) form, one `Label: value` line per field in the form's order
    /// (the key as a PEM block under its label).
    Stackai,
    /// A `.env` block: `DOCUSIGN_*=value` lines; the key quoted on one line with `\n` escapes.
    Env,
    /// One JSON object (pretty-printed).
    Json,
}

impl FromStr for HandoffFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "stackai" | "stack-ai" | "stack_ai" => Ok(HandoffFormat::Stackai),
            "env" | ".env" | "dotenv" => Ok(HandoffFormat::Env),
            "json" => Ok(HandoffFormat::Json),
            other => Err(format!(
                "\"{other}\" is not a hand-off format: use stackai, env or json"
            )),
        }
    }
}

impl fmt::Display for HandoffFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HandoffFormat::Stackai => "stackai",
            HandoffFormat::Env => "env",
            HandoffFormat::Json => "json",
        })
    }
}

/// The values a health check proved for a connection, and when (never the private key: its
/// fingerprint names it).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct ProvenValues {
    /// The connection's name.
    pub name: String,
    /// Demo, production or sandbox.
    pub environment: Environment,
    /// Integration key GUID.
    pub integration_key: String,
    /// The impersonated user's API Username GUID.
    pub user_id: String,
    /// API Account ID GUID.
    pub account_id: String,
    /// Account base URI (`https://HOST[:PORT]`).
    pub base_uri: String,
    /// The connection's auth server (serialized as stored: `demo`, `production` or the
    /// sandbox's `https://127.0.0.1:PORT`).
    pub auth_server: SavedAuthServer,
    /// Redirect URI registered on the integration key, if known.
    pub redirect_uri: Option<String>,
    /// The sandbox's CA certificate file.
    pub ca_cert: Option<PathBuf>,
    /// `SHA256:…` of the key the check signed with.
    pub key_fingerprint: Option<String>,
    /// When the check ran (RFC 3339, UTC).
    pub checked_at: String,
}

impl ProvenValues {
    /// The auth server as other tools take it: the host for DocuSign
    /// (`account-d.docusign.com`, `account.docusign.com`), the origin for the sandbox.
    pub fn auth_server_host(&self) -> String {
        match self.auth_server.kind() {
            AuthServerKind::Custom => self.auth_server.origin(),
            _ => self.auth_server.host().to_string(),
        }
    }

    /// Same IDs, base URI, auth server and key as `conn` (what a check proved still holds)?
    pub fn matches(&self, conn: &Connection) -> bool {
        self.integration_key
            .eq_ignore_ascii_case(&conn.integration_key)
            && self.user_id.eq_ignore_ascii_case(&conn.user_id)
            && self.account_id.eq_ignore_ascii_case(&conn.account_id)
            && self.base_uri.eq_ignore_ascii_case(&conn.base_uri)
            && self.auth_server == conn.auth_server
            && self.key_fingerprint == conn.key_fingerprint
    }
}

/// The outcome of one health check of a saved connection, kept to hand its values over.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct CheckRecord {
    /// The connection's values as checked.
    pub values: ProvenValues,
    /// True when every step passed.
    pub ok: bool,
    /// The first failed step's problem, when not ok.
    pub failure: Option<Problem>,
}

impl CheckRecord {
    /// What `report` (a health check of `conn` that just ran) proved.
    pub fn now(conn: &Connection, report: &HealthReport) -> CheckRecord {
        CheckRecord::from_report(conn, report, time::OffsetDateTime::now_utc())
    }

    /// What `report` (a health check of `conn`, run at `checked_at`) proved.
    pub fn from_report(
        conn: &Connection,
        report: &HealthReport,
        checked_at: time::OffsetDateTime,
    ) -> CheckRecord {
        let failure = report.first_failure().map(|s| s.problem.clone());
        CheckRecord {
            values: ProvenValues {
                name: conn.name.clone(),
                environment: conn.environment,
                integration_key: conn.integration_key.clone(),
                user_id: conn.user_id.clone(),
                account_id: conn.account_id.clone(),
                base_uri: conn.base_uri.clone(),
                auth_server: conn.auth_server.clone(),
                redirect_uri: conn.redirect_uri.clone(),
                ca_cert: conn.ca_cert.clone(),
                key_fingerprint: report
                    .key_fingerprint
                    .clone()
                    .or_else(|| conn.key_fingerprint.clone()),
                checked_at: checked_at
                    .replace_nanosecond(0)
                    .unwrap_or(checked_at)
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            },
            ok: report.ok,
            failure,
        }
    }
}

/// Whether a connection's values can be handed over.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HandoffStatus {
    /// The last health check passed with the values saved now.
    Healthy,
    /// The last health check failed.
    NotHealthy,
    /// No health check has run for this connection (in this app session).
    NotChecked,
    /// The connection was changed after its last health check.
    Changed,
}

/// One value of the receiving form, in the form's order, for a copy button.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HandoffField {
    /// `integration_key`, `user_id`, `private_key`, `account_id`, `base_uri`, `environment`.
    pub field: String,
    /// The form's label ("Integration Key", "RSA Private Key", …).
    pub label: String,
    /// The value; empty for the private key (copied on purpose, never shown).
    pub value: String,
    /// True for the private key.
    pub secret: bool,
    /// What the value is, in plain words.
    pub hint: String,
}

/// What the "Use this connection in…" panel shows: the status first, then (only when healthy)
/// the values and the three blocks, without the private key.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Handoff {
    /// The connection's name.
    pub connection: String,
    /// Healthy, not healthy, not checked, changed.
    pub status: HandoffStatus,
    /// When the last health check ran (RFC 3339, UTC), if one did.
    pub checked_at: Option<String>,
    /// The status as a problem: `ok` when healthy, else `not_healthy` (`status` says whether
    /// the check failed, never ran or is out of date; after a failed check, `detail` is the
    /// failed step's code, e.g. `consent_required`); the status in plain words (`message`);
    /// what to do (`fix`, `null` when healthy).
    #[serde(flatten)]
    pub problem: Problem,
    /// The proven key's fingerprint (healthy only).
    pub key_fingerprint: Option<String>,
    /// Stack AI's form, in its order (healthy only).
    pub fields: Vec<HandoffField>,
    /// The Stack AI block without the key (healthy only; empty otherwise).
    pub stackai: String,
    /// The `.env` block without the key.
    pub env: String,
    /// The JSON object without the key.
    pub json: String,
    /// Anything else to know (e.g. the sandbox runs only on this computer).
    pub notes: Vec<String>,
}

impl std::ops::Deref for Handoff {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

/// What can be handed over for `current` (the connection as saved now) given its last check.
pub fn handoff(current: &Connection, last: Option<&CheckRecord>) -> Handoff {
    let name = &current.name;
    let not_healthy = |message: String, fix: &str| Problem::new(Code::NotHealthy, message, fix);
    let mut h = Handoff {
        connection: current.name.clone(),
        status: HandoffStatus::NotChecked,
        checked_at: last.map(|l| l.values.checked_at.clone()),
        problem: Problem::new(Code::Ok, "", ""),
        key_fingerprint: None,
        fields: vec![],
        stackai: String::new(),
        env: String::new(),
        json: String::new(),
        notes: vec![],
    };
    match last {
        None => {
            h.problem = not_healthy(
                format!("\u{201c}{name}\u{201d} has not been checked yet, so there are no proven values to hand over."),
                "Run the health check; once it passes, its values are offered here.",
            );
        }
        Some(l) if !l.ok => {
            h.status = HandoffStatus::NotHealthy;
            let failure = l
                .failure
                .clone()
                .unwrap_or_else(|| Problem::new(Code::Unknown, "A step failed.", ""));
            h.problem = not_healthy(
                format!(
                    "\u{201c}{name}\u{201d} is not healthy: the health check of {} failed ({}). {}",
                    l.values.checked_at, failure.code, failure.message
                ),
                failure.fix().unwrap_or(
                    "Fix what the health check says, run it again, then hand the connection over.",
                ),
            )
            .with_detail(failure.code.as_str());
        }
        Some(l) if !l.values.matches(current) => {
            h.status = HandoffStatus::Changed;
            h.problem = not_healthy(
                format!(
                    "\u{201c}{name}\u{201d} was changed after its last health check ({}).",
                    l.values.checked_at
                ),
                "Run the health check again so that the values handed over are proven.",
            );
        }
        Some(l) => {
            let v = &l.values;
            h.status = HandoffStatus::Healthy;
            h.problem = Problem::new(
                Code::Ok,
                format!(
                    "Healthy: these are the values the health check of {} proved.",
                    v.checked_at
                ),
                "",
            );
            h.key_fingerprint = v.key_fingerprint.clone();
            h.fields = stackai_fields(v);
            h.stackai = render(v, HandoffFormat::Stackai, None);
            h.env = render(v, HandoffFormat::Env, None);
            h.json = render(v, HandoffFormat::Json, None);
            if v.environment == Environment::Sandbox {
                h.notes.push(format!("This is the Studio's sandbox: it runs only on this computer ({}), so a platform on the internet cannot reach it. Use it to rehearse; hand over your demo connection for real work.", v.base_uri));
            }
            if v.environment == Environment::Demo {
                h.notes.push("Demo connections work only against DocuSign's developer environment; after Go-Live, hand over the production connection (its own user ID, account ID and base URI).".into());
            }
        }
    }
    h
}

/// Stack AI's form, in its order: Integration Key, User ID, RSA Private Key (value empty),
/// Account ID, Base URI, Environment.
pub fn stackai_fields(v: &ProvenValues) -> Vec<HandoffField> {
    let f = |field: &str, value: &str, secret: bool, hint: String| HandoffField {
        field: field.into(),
        label: label_of(field).into(),
        value: value.into(),
        secret,
        hint,
    };
    vec![
        f(
            "integration_key",
            &v.integration_key,
            false,
            "The app's integration key, from Apps and Keys (32 letters and digits with dashes)."
                .into(),
        ),
        f(
            "user_id",
            &v.user_id,
            false,
            "The API Username of the user the connection acts as.".into(),
        ),
        f(
            "private_key",
            "",
            true,
            format!(
                "The full PEM, BEGIN and END lines included, for the multiline field. Key {}.",
                v.key_fingerprint.as_deref().unwrap_or("?")
            ),
        ),
        f(
            "account_id",
            &v.account_id,
            false,
            "The API Account ID, from Apps and Keys (not the short account number).".into(),
        ),
        f(
            "base_uri",
            &v.base_uri,
            false,
            "The account's base URI.".into(),
        ),
        f(
            "environment",
            v.environment.as_str(),
            false,
            format!("Tokens come from {}.", v.auth_server_host()),
        ),
    ]
}

/// The block for `format`. `private_key` (PEM text) is written only when given; otherwise a
/// comment (or, in JSON, nothing) says it was left out. Values are written as proven.
pub fn render(v: &ProvenValues, format: HandoffFormat, private_key: Option<&str>) -> String {
    let pem = private_key.map(|k| {
        let mut k = k.replace("\r\n", "\n").trim().to_string();
        k.push('\n');
        Zeroizing::new(k)
    });
    match format {
        HandoffFormat::Stackai => {
            let mut s = format!(
                "# DocuSign (JWT) connection \u{201c}{}\u{201d} for Stack AI ({}), healthy at {}\n",
                v.name, v.environment, v.checked_at
            );
            s.push_str(&format!("Integration Key: {}\n", v.integration_key));
            s.push_str(&format!("User ID: {}\n", v.user_id));
            match &pem {
                Some(k) => {
                    s.push_str("RSA Private Key:\n");
                    s.push_str(k);
                }
                None => {
                    s.push_str("# RSA Private Key: not included (copy it separately, on purpose)\n")
                }
            }
            s.push_str(&format!("Account ID: {}\n", v.account_id));
            s.push_str(&format!("Base URI: {}\n", v.base_uri));
            s.push_str(&format!("Environment: {}\n", v.environment));
            s.push_str(&format!("Auth server: {}\n", v.auth_server_host()));
            s
        }
        HandoffFormat::Env => {
            let mut s = format!(
                "# DocuSign JWT connection \u{201c}{}\u{201d} ({}), healthy at {}\n",
                v.name, v.environment, v.checked_at
            );
            let mut line = |k: &str, val: &str| s.push_str(&format!("{k}={}\n", env_value(val)));
            line("DOCUSIGN_INTEGRATION_KEY", &v.integration_key);
            line("DOCUSIGN_USER_ID", &v.user_id);
            line("DOCUSIGN_ACCOUNT_ID", &v.account_id);
            line("DOCUSIGN_BASE_URI", &v.base_uri);
            line("DOCUSIGN_AUTH_SERVER", &v.auth_server_host());
            line("DOCUSIGN_ENVIRONMENT", v.environment.as_str());
            if let Some(r) = &v.redirect_uri {
                line("DOCUSIGN_REDIRECT_URI", r);
            }
            if let Some(c) = &v.ca_cert {
                line("DOCUSIGN_CA_CERT", &c.to_string_lossy());
            }
            match &pem {
                Some(k) => s.push_str(&format!("DOCUSIGN_PRIVATE_KEY=\"{}\"\n", escape_dq(k))),
                None => s.push_str(
                    "# DOCUSIGN_PRIVATE_KEY is not included (copy it separately, on purpose)\n",
                ),
            }
            s
        }
        HandoffFormat::Json => {
            let mut m = serde_json::Map::new();
            let mut put = |k: &str, val: serde_json::Value| {
                m.insert(k.into(), val);
            };
            put("name", v.name.clone().into());
            put("environment", v.environment.as_str().into());
            put("integration_key", v.integration_key.clone().into());
            put("user_id", v.user_id.clone().into());
            put("account_id", v.account_id.clone().into());
            put("base_uri", v.base_uri.clone().into());
            put("auth_server", v.auth_server_host().into());
            if let Some(r) = &v.redirect_uri {
                put("redirect_uri", r.clone().into());
            }
            if let Some(c) = &v.ca_cert {
                put("ca_cert", c.to_string_lossy().into_owned().into());
            }
            put("key_fingerprint", v.key_fingerprint.clone().into());
            put("checked_at", v.checked_at.clone().into());
            if let Some(k) = &pem {
                put("private_key", k.as_str().into());
            }
            let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(m))
                .unwrap_or_else(|_| "{}".into());
            s.push('\n');
            s
        }
    }
}

/// An unquoted `.env` value when it is safe as is, otherwise double-quoted with escapes.
fn env_value(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@+".contains(c))
    {
        v.to_string()
    } else {
        format!("\"{}\"", escape_dq(v))
    }
}

/// Escapes for a double-quoted `.env` value: `\` `"` `$` and newlines (as `\n`).
fn escape_dq(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 64);
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// In
// ------------------------------------------------------------------------------------------

/// Why pasted values cannot make a connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Required values are not in the text. Code `values_missing`.
    #[error("the text has no {}", .0.join(", no "))]
    Missing(Vec<String>),
    /// The text's auth server is not one (`http://`, a mistyped DocuSign host, not a host).
    /// Code `auth_server_invalid`.
    #[error("{0}")]
    AuthServer(SettingError),
}

impl ImportError {
    /// Stable code: `values_missing`, `auth_server_invalid`.
    pub fn code(&self) -> crate::problem::Code {
        match self {
            ImportError::Missing(_) => crate::problem::Code::ValuesMissing,
            ImportError::AuthServer(e) => crate::problem::Code::from_wire_or_unknown(e.code()),
        }
    }

    /// What to do.
    pub fn fix(&self) -> String {
        match self {
            ImportError::Missing(_) => "Add the missing values to the text (labels such as DOCUSIGN_INTEGRATION_KEY= or \u{201c}Integration Key:\u{201d}), then read it again.".into(),
            ImportError::AuthServer(e) => e.fix(),
        }
    }
}

/// A connection named `name` from pasted values. The auth server is parsed here (the
/// environment defaults to demo, the auth server to the environment's own); every other field
/// is checked when the connection is saved, as is the auth server's match with the environment.
///
/// # Errors
/// [`ImportError::Missing`] naming the missing labels (integration key, user ID, account ID,
/// base URI; the sandbox also needs its auth server); [`ImportError::AuthServer`] when the
/// auth server found is not one.
pub fn connection_from_pasted(name: &str, p: &PastedValues) -> Result<Connection, ImportError> {
    let env = p.environment.unwrap_or(Environment::Demo);
    let mut missing = Vec::new();
    for f in ["integration_key", "user_id", "account_id", "base_uri"] {
        if p.get(f).is_none() {
            missing.push(label_of(f).to_string());
        }
    }
    if env == Environment::Sandbox && p.auth_server.is_none() {
        missing.push(label_of("auth_server").to_string());
    }
    if !missing.is_empty() {
        return Err(ImportError::Missing(missing));
    }
    let mut conn = Connection::new(
        name,
        env,
        p.integration_key.clone().unwrap_or_default(),
        p.user_id.clone().unwrap_or_default(),
        p.account_id.clone().unwrap_or_default(),
        p.base_uri.clone().unwrap_or_default(),
    );
    if let Some(a) = &p.auth_server {
        conn.auth_server = SavedAuthServer::parse(a).map_err(ImportError::AuthServer)?;
    }
    conn.redirect_uri = p.redirect_uri.clone();
    conn.ca_cert = p.ca_cert.as_ref().map(PathBuf::from);
    Ok(conn)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::connections::pasted::normalise_key_text;

    const IK: &str = "1a2b3c4d-1234-5678-9abc-0123456789ab";
    const UID: &str = "6f1d2c0e-0b1a-4c1e-9d55-6f4f6f5b2c11";
    const ACC: &str = "9e8d7c6b-5a49-4837-a625-140312345678";

    /// A tiny deterministic generator for the property-style tests (no extra crate).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn guid(&mut self) -> String {
            let hex = |r: &mut Rng, n: usize| {
                (0..n)
                    .map(|_| char::from_digit(r.below(16) as u32, 16).unwrap())
                    .collect::<String>()
            };
            format!(
                "{}-{}-{}-{}-{}",
                hex(self, 8),
                hex(self, 4),
                hex(self, 4),
                hex(self, 4),
                hex(self, 12)
            )
        }
    }

    fn key_pem() -> String {
        // Built from parts: no PEM private-key header literal in the tree.
        let kind = "RSA PRIVATE KEY";
        let body: String = (0..20)
            .map(|i| {
                format!(
                    "{}\n",
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i..]
                        .to_string()
                        + &"A".repeat(i)
                )
            })
            .collect();
        format!("-----BEGIN {kind}-----\n{body}-----END {kind}-----\n")
    }

    fn values(rng: &mut Rng) -> ProvenValues {
        let env = [
            Environment::Demo,
            Environment::Production,
            Environment::Sandbox,
        ][rng.below(3)];
        let port = 1024 + rng.below(60000);
        let (base, auth, ca) = match env {
            Environment::Demo => (
                "https://demo.docusign.net".to_string(),
                SavedAuthServer::demo(),
                None,
            ),
            Environment::Production => (
                format!(
                    "https://{}.docusign.net",
                    ["na2", "na3", "eu", "au", "ca"][rng.below(5)]
                ),
                SavedAuthServer::production(),
                None,
            ),
            Environment::Sandbox => (
                format!("https://127.0.0.1:{port}"),
                SavedAuthServer::parse(&format!("https://127.0.0.1:{port}")).unwrap(),
                Some(PathBuf::from(format!("/tmp/sandbox {port}/ca.pem"))),
            ),
        };
        ProvenValues {
            name: format!("Conn {}", rng.below(1000)),
            environment: env,
            integration_key: rng.guid(),
            user_id: rng.guid(),
            account_id: rng.guid(),
            base_uri: base,
            auth_server: auth,
            redirect_uri: if rng.below(2) == 0 {
                Some(format!("https://localhost:{port}/callback?x=1&y=$HOME"))
            } else {
                None
            },
            ca_cert: ca,
            key_fingerprint: Some("SHA256:abc".into()),
            checked_at: "2026-11-30T02:00:00Z".into(),
        }
    }

    #[test]
    fn labels_in_any_form() {
        for l in [
            "Integration Key",
            "integration_key",
            "DOCUSIGN_INTEGRATION_KEY",
            "DS_CLIENT_ID",
            "clientId",
            "**Integration key**",
            "\"integrationKey\"",
            "DSJWT_INTEGRATION_KEY",
        ] {
            assert_eq!(field_of_label(l), Some("integration_key"), "{l}");
        }
        assert_eq!(field_of_label("API Username"), Some("user_id"));
        assert_eq!(field_of_label("API Account ID"), Some("account_id"));
        assert_eq!(field_of_label("Account Base URI"), Some("base_uri"));
        assert_eq!(field_of_label("RSA Private Key"), Some("private_key"));
        assert_eq!(field_of_label("DOCUSIGN_AUTH_SERVER"), Some("auth_server"));
        assert_eq!(field_of_label("https"), None);
        assert_eq!(field_of_label("Notes"), None);
    }

    #[test]
    fn single_field_keeps_only_the_value() {
        assert_eq!(
            strip_label("integration_key", &format!("Integration Key: {IK}")),
            Some(("Integration Key:".into(), IK.into()))
        );
        assert_eq!(
            strip_label(
                "integration_key",
                &format!("  DOCUSIGN_INTEGRATION_KEY=\"{IK}\" ")
            )
            .unwrap()
            .1,
            IK
        );
        assert_eq!(
            strip_label("user_id", &format!("\"user_id\": \"{UID}\","))
                .unwrap()
                .1,
            UID
        );
        assert_eq!(
            strip_label("base_uri", "Base URI: https://demo.docusign.net")
                .unwrap()
                .1,
            "https://demo.docusign.net"
        );
        // Another field's label is not taken off (the check then says what is wrong).
        assert_eq!(
            strip_label("integration_key", &format!("User ID: {UID}")),
            None
        );
        // A plain value is used as is.
        assert_eq!(strip_label("integration_key", IK), None);
        assert_eq!(strip_label("base_uri", "https://demo.docusign.net"), None);
        // A whole block pasted into one field gives that field's value.
        let block = format!("Integration Key: {IK}\nUser ID: {UID}");
        assert_eq!(strip_label("user_id", &block).unwrap().1, UID);
    }

    #[test]
    fn notes_block() {
        let key = key_pem();
        let text = format!(
            "My DocuSign notes (do not share)\n\n- integration key: {IK}\n* USER ID = '{UID}'\n\
             1. API Account ID:  `{ACC}`\nBase URI: https://demo.docusign.net/restapi\n\
             RSA Private Key:\n{key}\nsome other line\n"
        );
        let p = parse_pasted(&text);
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.user_id.as_deref(), Some(UID));
        assert_eq!(p.account_id.as_deref(), Some(ACC));
        assert_eq!(
            p.base_uri.as_deref(),
            Some("https://demo.docusign.net/restapi")
        );
        assert_eq!(p.environment, Some(Environment::Demo));
        assert_eq!(
            normalise_key_text(p.private_key.as_deref().unwrap()),
            normalise_key_text(&key)
        );
        assert_eq!(
            p.found,
            [
                "integration_key",
                "user_id",
                "account_id",
                "base_uri",
                "private_key"
            ]
        );
        assert_eq!(p.ignored.len(), 2, "{:?}", p.ignored);
        // Never a value in what is reported back.
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("BEGIN"), "{dbg}");
        assert!(!serde_json::to_string(&p).unwrap().contains("BEGIN"));
        assert!(!p.ignored.iter().any(|i| i.contains("notes")));
    }

    #[test]
    fn notes_on_one_line() {
        // Notes pasted from a chat lose their line breaks (found by a fresh-user run: the whole
        // line, password included, went into the Integration Key and was echoed back).
        let text = format!(
            "Integration Key: {IK} User ID: {UID} API Account ID: {ACC} Base URI: \
             https://demo.docusign.net/restapi Password: hunter2"
        );
        let p = parse_pasted(&text);
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.user_id.as_deref(), Some(UID));
        assert_eq!(p.account_id.as_deref(), Some(ACC));
        assert_eq!(
            p.base_uri.as_deref(),
            Some("https://demo.docusign.net/restapi")
        );
        assert_eq!(
            p.found,
            ["integration_key", "user_id", "account_id", "base_uri"]
        );
        assert_eq!(
            p.notes,
            ["Base URI: the words after its value were left out (an ID or address has no spaces)."]
        );
        // What is not used is never echoed back.
        let all = format!("{p:?}{}", serde_json::to_string(&p).unwrap());
        assert!(!all.contains("hunter2"), "{all}");
        // A value with a note after it on its own line: the ID alone.
        let p = parse_pasted(&format!("Integration Key: {IK} (the Studio app)\n"));
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        // A connection name keeps its spaces; a value that merely ends in a colon is no label.
        let p = parse_pasted(&format!(
            "Name: My test app Integration Key: {IK}\nUser ID: {UID} note:"
        ));
        assert_eq!(p.name.as_deref(), Some("My test app"));
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.user_id.as_deref(), Some(UID));
    }

    #[test]
    fn label_then_value_on_next_line() {
        // As copied from Stack AI's form or the integration guide's table.
        let text = format!("Integration Key\n{IK}\nUser ID\n{UID}\nAccount ID\t{ACC}\nBase URI\nhttps://na3.docusign.net\n");
        let p = parse_pasted(&text);
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.user_id.as_deref(), Some(UID));
        assert_eq!(p.account_id.as_deref(), Some(ACC));
        assert_eq!(p.base_uri.as_deref(), Some("https://na3.docusign.net"));
        assert_eq!(p.environment, Some(Environment::Production));
    }

    #[test]
    fn env_file_with_escaped_and_real_newlines() {
        let key = key_pem();
        let one_line = key.replace('\n', "\\n");
        let text = format!(
            "export DOCUSIGN_INTEGRATION_KEY={IK} # the app\nDOCUSIGN_PRIVATE_KEY=\"{one_line}\"\n"
        );
        let p = parse_pasted(&text);
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(
            p.private_key.as_deref().map(String::as_str),
            Some(key.trim_end()).map(|k| format!("{k}\n")).as_deref()
        );
        // Real newlines inside the quotes.
        let text = format!(
            "DOCUSIGN_PRIVATE_KEY=\"{}\"\nDOCUSIGN_USER_ID={UID}\n",
            key.trim_end()
        );
        let p = parse_pasted(&text);
        assert_eq!(
            normalise_key_text(p.private_key.as_deref().unwrap()),
            normalise_key_text(&key)
        );
        assert_eq!(p.user_id.as_deref(), Some(UID));
        // An unclosed quote is said.
        let p = parse_pasted("DOCUSIGN_PRIVATE_KEY=\"-----BEGIN x\nabc\n");
        assert!(
            p.notes.iter().any(|n| n.contains("closing quote")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn json_object_and_json_like_lines() {
        let key = key_pem();
        let j = serde_json::json!({"integrationKey": IK, "userId": UID, "accountId": ACC, "basePath": "https://demo.docusign.net/restapi", "privateKey": key, "extra": 1});
        let p = parse_pasted(&j.to_string());
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(
            p.base_uri.as_deref(),
            Some("https://demo.docusign.net/restapi")
        );
        assert!(p.has_private_key);
        assert_eq!(p.ignored, ["\u{201c}extra\u{201d}"]);
        // Broken JSON (a key with real newlines inside the string) still reads line by line.
        let text = format!("{{\n  \"integration_key\": \"{IK}\",\n  \"private_key\": \"{}\",\n  \"user_id\": \"{UID}\"\n}}", key.trim_end());
        let p = parse_pasted(&text);
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.user_id.as_deref(), Some(UID));
        assert_eq!(
            normalise_key_text(p.private_key.as_deref().unwrap()),
            normalise_key_text(&key)
        );
    }

    #[test]
    fn environment_from_hosts_first() {
        let p = parse_pasted("Environment: sandbox\nBase URI: https://demo.docusign.net");
        assert_eq!(p.environment, Some(Environment::Demo));
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        let p = parse_pasted("DOCUSIGN_ENVIRONMENT=production");
        assert_eq!(p.environment, Some(Environment::Production));
        let p = parse_pasted("DOCUSIGN_AUTH_SERVER=https://127.0.0.1:9443");
        assert_eq!(p.environment, Some(Environment::Sandbox));
        assert!(parse_pasted("Environment: mars").ignored[0].contains("mars"));
    }

    #[test]
    fn conflicts_keep_the_first() {
        let p = parse_pasted(&format!(
            "Integration Key: {IK}\nDOCUSIGN_INTEGRATION_KEY={UID}\nIK: {IK}"
        ));
        assert_eq!(p.integration_key.as_deref(), Some(IK));
        assert_eq!(p.notes.len(), 1);
        assert_eq!(p.found, ["integration_key"]);
    }

    #[test]
    fn key_placeholder_is_not_a_key() {
        let p = parse_pasted("RSA Private Key: (not included)\n");
        assert!(!p.has_private_key);
        assert_eq!(p.ignored.len(), 1);
    }

    #[test]
    fn no_key_material_without_the_key() {
        let mut rng = Rng(7);
        let v = values(&mut rng);
        for f in [
            HandoffFormat::Stackai,
            HandoffFormat::Env,
            HandoffFormat::Json,
        ] {
            let s = render(&v, f, None);
            assert!(!s.contains("BEGIN"), "{f}: {s}");
            assert!(!s.contains("PRIVATE KEY="), "{f}: {s}");
            assert!(!parse_pasted(&s).has_private_key, "{f}");
        }
        let env = render(&v, HandoffFormat::Env, Some(&key_pem()));
        let line = env
            .lines()
            .find(|l| l.starts_with("DOCUSIGN_PRIVATE_KEY="))
            .unwrap();
        assert!(
            line.starts_with("DOCUSIGN_PRIVATE_KEY=\"-----BEGIN ") && line.ends_with("\\n\""),
            "{line}"
        );
    }

    #[test]
    fn stackai_fields_in_the_forms_order() {
        let v = values(&mut Rng(3));
        let f: Vec<_> = stackai_fields(&v).into_iter().map(|f| f.label).collect();
        assert_eq!(
            f,
            [
                "Integration Key",
                "User ID",
                "RSA Private Key",
                "Account ID",
                "Base URI",
                "Environment"
            ]
        );
        assert!(stackai_fields(&v)
            .iter()
            .all(|f| f.secret == (f.field == "private_key")));
        assert!(stackai_fields(&v)
            .iter()
            .find(|f| f.secret)
            .unwrap()
            .value
            .is_empty());
        // The hints use DocuSign's words, not "GUID" (found by a fresh user).
        let hints: Vec<String> = stackai_fields(&v).into_iter().map(|f| f.hint).collect();
        assert!(hints.iter().all(|h| !h.contains("GUID")), "{hints:?}");
        assert_eq!(
            hints[0],
            "The app's integration key, from Apps and Keys (32 letters and digits with dashes)."
        );
    }

    /// Property: every rendered block reads back to the same values and key, for random
    /// values, every format, with and without the key, and with the key's newlines as `\r\n`.
    #[test]
    fn round_trip_property() {
        let mut rng = Rng(0x5eed_1234_abcd_0042);
        let key = key_pem();
        for _ in 0..300 {
            let v = values(&mut rng);
            for f in [
                HandoffFormat::Stackai,
                HandoffFormat::Env,
                HandoffFormat::Json,
            ] {
                for with_key in [false, true] {
                    let k = if rng.below(2) == 0 {
                        key.clone()
                    } else {
                        key.replace('\n', "\r\n")
                    };
                    let text = render(&v, f, with_key.then_some(k.as_str()));
                    let p = parse_pasted(&text);
                    let ctx = format!("{f} key={with_key}\n{text}");
                    assert_eq!(
                        p.integration_key.as_deref(),
                        Some(v.integration_key.as_str()),
                        "{ctx}"
                    );
                    assert_eq!(p.user_id.as_deref(), Some(v.user_id.as_str()), "{ctx}");
                    assert_eq!(
                        p.account_id.as_deref(),
                        Some(v.account_id.as_str()),
                        "{ctx}"
                    );
                    assert_eq!(p.base_uri.as_deref(), Some(v.base_uri.as_str()), "{ctx}");
                    assert_eq!(p.environment, Some(v.environment), "{ctx}");
                    assert_eq!(
                        SavedAuthServer::parse(p.auth_server.as_deref().unwrap()).ok(),
                        Some(v.auth_server.clone()),
                        "{ctx}"
                    );
                    if f != HandoffFormat::Stackai {
                        assert_eq!(p.redirect_uri, v.redirect_uri, "{ctx}");
                        assert_eq!(p.ca_cert.as_deref().map(PathBuf::from), v.ca_cert, "{ctx}");
                    }
                    assert!(p.notes.is_empty(), "{ctx}: {:?}", p.notes);
                    assert_eq!(p.has_private_key, with_key, "{ctx}");
                    if with_key {
                        assert_eq!(
                            p.private_key.as_deref().map(String::as_str),
                            Some(key.as_str()),
                            "{ctx}"
                        );
                    }
                    let c = connection_from_pasted("Copy", &p).unwrap();
                    assert_eq!(c.integration_key, v.integration_key);
                    assert_eq!(c.environment, v.environment);
                }
            }
        }
    }

    /// Property: notes written by hand in random styles (label case, separator, quotes,
    /// bullets, key escaped or not) read back to the same values.
    #[test]
    fn notes_property() {
        let mut rng = Rng(99);
        let key = key_pem();
        let labels: &[(&str, &[&str])] = &[
            (
                "integration_key",
                &[
                    "Integration Key",
                    "integration key",
                    "INTEGRATION_KEY",
                    "Client ID",
                    "DOCUSIGN_INTEGRATION_KEY",
                ],
            ),
            (
                "user_id",
                &["User ID", "user id", "API Username", "USER_ID", "userId"],
            ),
            (
                "account_id",
                &["Account ID", "API Account ID", "ACCOUNT_ID", "accountId"],
            ),
            (
                "base_uri",
                &["Base URI", "base uri", "Account Base URI", "BASE_URL"],
            ),
        ];
        for _ in 0..300 {
            let v = values(&mut rng);
            let mut text = String::from("notes\n");
            for (field, names) in labels {
                let value = match *field {
                    "integration_key" => v.integration_key.clone(),
                    "user_id" => v.user_id.clone(),
                    "account_id" => v.account_id.clone(),
                    _ => v.base_uri.clone(),
                };
                let label = names[rng.below(names.len())];
                let label = if rng.below(2) == 0 {
                    label.to_uppercase()
                } else {
                    label.to_string()
                };
                let sep = [": ", "=", " = ", ":\t", "\n"][rng.below(5)];
                let quoted = match rng.below(3) {
                    0 => format!("\"{value}\""),
                    1 => format!("'{value}'"),
                    _ => value,
                };
                let bullet = ["", "- ", "* ", "export "][rng.below(4)];
                text.push_str(&format!("{bullet}{label}{sep}{quoted}\n"));
            }
            match rng.below(3) {
                0 => text.push_str(&format!("Private key:\n{key}")),
                1 => text.push_str(&format!("PRIVATE_KEY=\"{}\"\n", key.replace('\n', "\\n"))),
                _ => text.push_str(&format!("private_key: {}\n", key.replace('\n', "\\n"))),
            }
            let p = parse_pasted(&text);
            assert_eq!(
                p.integration_key.as_deref(),
                Some(v.integration_key.as_str()),
                "{text}"
            );
            assert_eq!(p.user_id.as_deref(), Some(v.user_id.as_str()), "{text}");
            assert_eq!(
                p.account_id.as_deref(),
                Some(v.account_id.as_str()),
                "{text}"
            );
            assert_eq!(p.base_uri.as_deref(), Some(v.base_uri.as_str()), "{text}");
            assert_eq!(
                normalise_key_text(p.private_key.as_deref().unwrap()),
                normalise_key_text(&key),
                "{text}"
            );
        }
    }

    #[test]
    fn handoff_status() {
        let v = values(&mut Rng(5));
        let mut conn = Connection::new(
            &v.name,
            v.environment,
            &v.integration_key,
            &v.user_id,
            &v.account_id,
            &v.base_uri,
        );
        conn.auth_server = v.auth_server.clone();
        conn.key_fingerprint = v.key_fingerprint.clone();
        assert_eq!(handoff(&conn, None).status, HandoffStatus::NotChecked);
        assert!(handoff(&conn, None).fields.is_empty());
        let rec = CheckRecord {
            values: v.clone(),
            ok: true,
            failure: None,
        };
        let h = handoff(&conn, Some(&rec));
        assert_eq!(h.status, HandoffStatus::Healthy);
        assert!(h.message.contains(&v.checked_at));
        assert_eq!(h.fields.len(), 6);
        assert!(!h.env.contains("BEGIN"));
        let bad = CheckRecord {
            ok: false,
            failure: Some(Problem::new(
                Code::ConsentRequired,
                "No consent.",
                "Give consent.",
            )),
            ..rec.clone()
        };
        let h = handoff(&conn, Some(&bad));
        assert_eq!(h.status, HandoffStatus::NotHealthy);
        assert!(h.fields.is_empty() && h.env.is_empty() && h.stackai.is_empty());
        assert_eq!(h.fix(), Some("Give consent."));
        conn.account_id = UID.into();
        assert_eq!(handoff(&conn, Some(&rec)).status, HandoffStatus::Changed);
    }

    #[test]
    fn import_parses_the_auth_server_once() {
        let text = |auth: &str| {
            format!("Integration Key: {IK}\nUser ID: {UID}\nAccount ID: {ACC}\nBase URI: https://demo.docusign.net\nAuth server: {auth}\n")
        };
        let c =
            connection_from_pasted("X", &parse_pasted(&text("https://account-d.docusign.com/")))
                .unwrap();
        assert_eq!(c.auth_server, SavedAuthServer::demo());
        let e = connection_from_pasted("X", &parse_pasted(&text("https://account-d.docusign.net")))
            .unwrap_err();
        assert_eq!(e.code(), "auth_server_invalid");
        assert!(e.to_string().contains("account-d.docusign.net"), "{e}");
        assert!(e.fix().contains("account-d.docusign.com"), "{}", e.fix());
    }

    #[test]
    fn import_names_what_is_missing() {
        let p = parse_pasted(&format!("Integration Key: {IK}"));
        let e = connection_from_pasted("X", &p).unwrap_err();
        assert_eq!(e.code(), "values_missing");
        assert_eq!(
            e.to_string(),
            "the text has no User ID, no Account ID, no Base URI"
        );
    }

    #[test]
    fn formats_parse() {
        assert_eq!(
            "stackai".parse::<HandoffFormat>(),
            Ok(HandoffFormat::Stackai)
        );
        assert_eq!("ENV".parse::<HandoffFormat>(), Ok(HandoffFormat::Env));
        assert!("yaml".parse::<HandoffFormat>().is_err());
    }
}

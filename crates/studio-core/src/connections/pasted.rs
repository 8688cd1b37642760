//! Values for a connection pasted as text, read the way people keep them: a block of notes, a
//! `.env` file, or a JSON object (what [`crate::handoff`] renders reads back).
//!
//! Labels in any letter case, with `:` or `=` (or alone on their line, the value on the next;
//! several `Label: value` pairs on one line are read as if each had its own line),
//! `export`, bullets, quotes, Markdown emphasis; the key with real newlines, `\n` escapes, or as
//! a PEM block anywhere in the text. Every value found is returned as found (trimmed,
//! unquoted): the caller still checks each one as if typed. [`strip_label`] does the same for a
//! single field's value typed with its label (`Integration Key: 1a2b…`), which is how
//! [`super::ConnectionStore::save`] normalises every field.
//!
//! The public items are reached as `crate::handoff::…` (parse_pasted, strip_label, …).

use docusign_api::environment::{AuthServer, BaseUri};
use docusign_api::key::Zeroizing;
use serde::Serialize;
use std::fmt;

use super::Environment;

/// The fields a pasted text can fill, by id (the wizard's field names).
pub const FIELDS: &[&str] = &[
    "name",
    "environment",
    "integration_key",
    "user_id",
    "account_id",
    "base_uri",
    "auth_server",
    "redirect_uri",
    "ca_cert",
    "private_key",
    "private_key_file",
];

/// The fields whose values never hold a space (IDs, hosts, URIs).
const SINGLE_WORD_FIELDS: &[&str] = &[
    "integration_key",
    "user_id",
    "account_id",
    "base_uri",
    "auth_server",
    "redirect_uri",
];

/// The plain-words label of a field id (as on Stack AI's form where it has one).
pub fn label_of(field: &str) -> &'static str {
    match field {
        "name" => "Connection name",
        "environment" => "Environment",
        "integration_key" => "Integration Key",
        "user_id" => "User ID",
        "account_id" => "Account ID",
        "base_uri" => "Base URI",
        "auth_server" => "Auth server",
        "redirect_uri" => "Redirect URI",
        "ca_cert" => "CA certificate",
        "private_key" => "RSA Private Key",
        "private_key_file" => "Private key file",
        _ => "Value",
    }
}

/// The field a label names, whatever its letter case, spacing, separators or prefix
/// (`Integration Key`, `integration_key`, `DOCUSIGN_INTEGRATION_KEY`, `DS_CLIENT_ID`,
/// `clientId`, `API Username`, `**Account ID**`, …). `None` for anything else.
pub fn field_of_label(label: &str) -> Option<&'static str> {
    let norm: String = label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if norm.is_empty() {
        return None;
    }
    let direct = alias(&norm);
    if direct.is_some() {
        return direct;
    }
    for prefix in ["docusign", "dsjwt", "ds"] {
        if let Some(rest) = norm.strip_prefix(prefix) {
            if let Some(f) = alias(rest) {
                return Some(f);
            }
        }
    }
    None
}

fn alias(norm: &str) -> Option<&'static str> {
    Some(match norm {
        "integrationkey" | "integratorkey" | "clientid" | "ik" | "appid" | "iss" => {
            "integration_key"
        }
        "userid"
        | "apiusername"
        | "impersonateduserid"
        | "impersonateduser"
        | "userguid"
        | "impersonateduserguid"
        | "sub"
        | "uid" => "user_id",
        "accountid" | "apiaccountid" | "accountguid" => "account_id",
        "baseuri" | "baseurl" | "accountbaseuri" | "accountbaseurl" | "basepath"
        | "restapibaseuri" => "base_uri",
        "authserver"
        | "authserverurl"
        | "oauthbasepath"
        | "oauthserver"
        | "oauthhost"
        | "authhost"
        | "authurl"
        | "oauthbaseuri"
        | "authenticationserver" => "auth_server",
        "environment" | "env" | "docusignenvironment" => "environment",
        "privatekey" | "rsaprivatekey" | "rsakey" | "privatekeypem" | "rsaprivatekeypem"
        | "jwtprivatekey" => "private_key",
        "privatekeyfile" | "privatekeypath" | "rsaprivatekeyfile" | "keyfile" => "private_key_file",
        "redirecturi" | "redirecturl" | "callbackurl" | "callbackuri" => "redirect_uri",
        "cacert" | "cacertificate" | "cacertfile" | "cafile" => "ca_cert",
        "name" | "connectionname" | "connection" => "name",
        _ => return None,
    })
}

/// The environment a word names: `demo` (also `developer`, `development`, `dev`, the demo auth
/// host), `production` (`prod`, `live`, the production auth host), `sandbox` (`emulator`,
/// `local`: the Studio's own).
pub fn environment_of_word(word: &str) -> Option<Environment> {
    let w = word
        .trim()
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '`')
        .to_lowercase();
    match w.as_str() {
        "demo" | "developer" | "development" | "dev" | "account-d.docusign.com" => {
            Some(Environment::Demo)
        }
        "production" | "prod" | "live" | "account.docusign.com" => Some(Environment::Production),
        "sandbox" | "emulator" | "local" => Some(Environment::Sandbox),
        _ => None,
    }
}

/// What a pasted text held. Each value is as found (trimmed, unquoted, unescaped), not yet
/// checked. **Secret:** the private key is kept apart ([`PastedValues::private_key`]), never
/// serialised, and redacted from `Debug`.
#[derive(Serialize, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PastedValues {
    /// Connection name.
    pub name: Option<String>,
    /// The environment: from the auth server, else the base URI, else the word given.
    pub environment: Option<Environment>,
    /// Integration key, as found.
    pub integration_key: Option<String>,
    /// User ID, as found.
    pub user_id: Option<String>,
    /// Account ID, as found.
    pub account_id: Option<String>,
    /// Base URI, as found.
    pub base_uri: Option<String>,
    /// Auth server, as found (`account-d.docusign.com`, `demo`, `https://127.0.0.1:PORT`, …).
    pub auth_server: Option<String>,
    /// Redirect URI, as found.
    pub redirect_uri: Option<String>,
    /// CA certificate path, as found.
    pub ca_cert: Option<String>,
    /// A private key *file path* (`DSJWT_PRIVATE_KEY_FILE=…`), as found.
    pub private_key_file: Option<String>,
    /// True when the text held a private key (see [`PastedValues::private_key`]).
    pub has_private_key: bool,
    /// The fields found, in the text's order (ids as in [`FIELDS`]).
    pub found: Vec<String>,
    /// What was read but not used, in plain words (labels and line numbers, never values).
    pub ignored: Vec<String>,
    /// Notes: a field given twice with different values (the first kept), the environment
    /// word overruled by the hosts, ….
    pub notes: Vec<String>,
    /// The private key text (PEM, real newlines). Secret.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub private_key: Option<Zeroizing<String>>,
}

impl fmt::Debug for PastedValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PastedValues")
            .field("name", &self.name)
            .field("environment", &self.environment)
            .field("integration_key", &self.integration_key)
            .field("user_id", &self.user_id)
            .field("account_id", &self.account_id)
            .field("base_uri", &self.base_uri)
            .field("auth_server", &self.auth_server)
            .field("redirect_uri", &self.redirect_uri)
            .field("ca_cert", &self.ca_cert)
            .field("private_key_file", &self.private_key_file)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .field("found", &self.found)
            .field("ignored", &self.ignored)
            .field("notes", &self.notes)
            .finish()
    }
}

impl PastedValues {
    /// The value found for a field id (not the private key).
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "name" => self.name.as_deref(),
            "environment" => self.environment.map(|e| e.as_str()),
            "integration_key" => self.integration_key.as_deref(),
            "user_id" => self.user_id.as_deref(),
            "account_id" => self.account_id.as_deref(),
            "base_uri" => self.base_uri.as_deref(),
            "auth_server" => self.auth_server.as_deref(),
            "redirect_uri" => self.redirect_uri.as_deref(),
            "ca_cert" => self.ca_cert.as_deref(),
            "private_key_file" => self.private_key_file.as_deref(),
            _ => None,
        }
    }

    fn slot(&mut self, field: &str) -> Option<&mut Option<String>> {
        Some(match field {
            "name" => &mut self.name,
            "integration_key" => &mut self.integration_key,
            "user_id" => &mut self.user_id,
            "account_id" => &mut self.account_id,
            "base_uri" => &mut self.base_uri,
            "auth_server" => &mut self.auth_server,
            "redirect_uri" => &mut self.redirect_uri,
            "ca_cert" => &mut self.ca_cert,
            "private_key_file" => &mut self.private_key_file,
            _ => return None,
        })
    }

    fn set(&mut self, field: &'static str, value: String, env_word: &mut Option<String>) {
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        if field == "private_key" {
            let value = format!("{}\n", value.replace("\r\n", "\n").trim());
            if !looks_like_key(&value) {
                self.ignored
                    .push(format!("{}: no key in the text after it", label_of(field)));
                return;
            }
            let known = self
                .private_key
                .as_ref()
                .map(|k| normalise_key_text(k) == normalise_key_text(&value));
            match known {
                Some(false) => self
                    .notes
                    .push("Two different private keys were found; the first one is used.".into()),
                Some(true) => {}
                None => {
                    self.private_key = Some(Zeroizing::new(value));
                    self.has_private_key = true;
                    self.found.push(field.into());
                }
            }
            return;
        }
        if field == "environment" {
            if env_word.is_none() {
                if environment_of_word(&value).is_none() {
                    self.ignored.push(format!(
                        "Environment: \u{201c}{}\u{201d} is not demo, production or sandbox",
                        short(&value)
                    ));
                    return;
                }
                *env_word = Some(value);
                self.found.push(field.into());
            }
            return;
        }
        let label = label_of(field);
        // IDs, hosts and URIs hold no space: words after one are not part of it (a note, or
        // the next thing on a line, which may be a password: never echoed).
        let value = match value.split_once(char::is_whitespace) {
            Some((first, _)) if SINGLE_WORD_FIELDS.contains(&field) => {
                self.notes.push(format!(
                    "{label}: the words after its value were left out (an ID or address has no spaces)."
                ));
                first.to_string()
            }
            _ => value,
        };
        let outcome = match self.slot(field) {
            None => return,
            Some(Some(old)) if *old != value => "conflict",
            Some(Some(_)) => "same",
            Some(slot) => {
                *slot = Some(value);
                "new"
            }
        };
        match outcome {
            "conflict" => self.notes.push(format!(
                "{label} was given twice with different values; the first one is used."
            )),
            "new" => self.found.push(field.into()),
            _ => {}
        }
    }
}

/// A short, safe echo of a non-secret word (at most 24 characters).
fn short(v: &str) -> String {
    let s: String = v.chars().take(24).collect();
    if v.chars().count() > 24 {
        format!("{s}…")
    } else {
        s
    }
}

pub(crate) fn normalise_key_text(k: &str) -> String {
    k.replace("\\n", "\n")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Is this a private key (a PEM block, or a long bare base64 body)?
fn looks_like_key(v: &str) -> bool {
    if v.contains("-----BEGIN") {
        return true;
    }
    let body: String = v
        .replace("\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    body.len() >= 200
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=')
}

/// Reads a block of notes, a `.env` file or a JSON object, and returns every value it
/// recognises. Never fails: what it cannot use is listed in [`PastedValues::ignored`].
pub fn parse_pasted(text: &str) -> PastedValues {
    let text = text.trim_start_matches('\u{feff}');
    let mut out = PastedValues::default();
    let mut env_word: Option<String> = None;
    let trimmed = text.trim();
    let mut parsed_json = false;
    if trimmed.starts_with('{') {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(trimmed)
        {
            read_json(&m, &mut out, &mut env_word, 0);
            parsed_json = true;
        }
    }
    if !parsed_json {
        read_lines(text, &mut out, &mut env_word);
    }
    resolve_environment(&mut out, env_word.as_deref());
    out
}

fn read_json(
    m: &serde_json::Map<String, serde_json::Value>,
    out: &mut PastedValues,
    env_word: &mut Option<String>,
    depth: u8,
) {
    for (k, v) in m {
        let field = field_of_label(k);
        match (field, v) {
            (Some(f), serde_json::Value::String(s)) => out.set(f, s.clone(), env_word),
            (Some(f), serde_json::Value::Number(n)) => out.set(f, n.to_string(), env_word),
            (_, serde_json::Value::Object(inner)) if depth < 2 => {
                read_json(inner, out, env_word, depth + 1)
            }
            (Some(_), serde_json::Value::Null) => {}
            (None, _) if is_known_extra(k) => {}
            (None, _) => out.ignored.push(format!("\u{201c}{}\u{201d}", short(k))),
            (Some(f), _) => out
                .ignored
                .push(format!("{}: not a text value", label_of(f))),
        }
    }
}

/// Fields our own exports write that are not inputs (the fingerprint and check time).
fn is_known_extra(label: &str) -> bool {
    let norm: String = label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        norm.as_str(),
        "keyfingerprint" | "checkedat" | "fingerprint" | "docusignkeyfingerprint"
    )
}

/// A line split into a recognised label and the rest.
struct Labelled<'a> {
    field: &'static str,
    rest: &'a str,
    /// The label was in quotes (a JSON-like line: a trailing comma is dropped).
    quoted_label: bool,
}

/// Removes what notes put before a label: `export`, list bullets, numbering, Markdown marks.
fn strip_decoration(line: &str) -> &str {
    let mut l = line.trim_start();
    if let Some(r) = l.strip_prefix("export ") {
        l = r.trim_start();
    }
    loop {
        let before = l;
        for p in ["- ", "* ", "• ", "> ", "|"] {
            if let Some(r) = l.strip_prefix(p) {
                l = r.trim_start();
            }
        }
        // "1. " / "2) "
        let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && digits < 3 {
            let r = &l[digits..];
            if let Some(r) = r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")) {
                l = r.trim_start();
            }
        }
        if l == before {
            return l;
        }
    }
}

fn split_label(line: &str) -> Option<Labelled<'_>> {
    let l = strip_decoration(line);
    // `Label: value`, `LABEL=value`, `"label": "value",`
    if let Some(i) = l.find([':', '=']) {
        let raw = &l[..i];
        let label = raw.trim();
        let quoted_label = label.starts_with('"') || label.starts_with('\'');
        if !label.is_empty() && label.chars().count() <= 48 {
            if let Some(field) = field_of_label(label) {
                return Some(Labelled {
                    field,
                    rest: &l[i + 1..],
                    quoted_label,
                });
            }
        }
    }
    // `Label<TAB>value` or `Label   value` (copied from a table).
    for sep in ["\t", "  "] {
        if let Some(i) = l.find(sep) {
            if let Some(field) = field_of_label(l[..i].trim()) {
                return Some(Labelled {
                    field,
                    rest: &l[i..],
                    quoted_label: false,
                });
            }
        }
    }
    None
}

/// A label alone on its line (`Integration Key`, `RSA Private Key:`): the value follows.
fn label_alone(line: &str) -> Option<&'static str> {
    let l = strip_decoration(line).trim();
    let l = l.strip_suffix(':').unwrap_or(l).trim();
    if l.is_empty() || l.chars().count() > 48 {
        return None;
    }
    field_of_label(l)
}

/// Unquotes a value: `"…"` with `\n` `\"` `\\` `\$` `\t` escapes, `'…'` literally, otherwise
/// trimmed of Markdown marks, a trailing JSON comma and an inline ` # comment`. Returns the
/// value and, for a quote left open, the quote character (the value continues on the next
/// lines).
fn unquote(rest: &str, json_like: bool) -> (String, Option<char>) {
    let v = rest.trim();
    let v = v.trim_start_matches(['*', '`']).trim_start();
    for q in ['"', '\''] {
        if let Some(body) = v.strip_prefix(q) {
            return match find_close(body, q) {
                Some(end) => (unescape(&body[..end], q), None),
                None => (unescape(body, q), Some(q)),
            };
        }
    }
    let mut v = v.to_string();
    if json_like {
        v = v.trim_end_matches(',').to_string();
    }
    if let Some(i) = v.find(" #") {
        v.truncate(i);
    }
    let v = v.trim().trim_end_matches(['*', '`']).trim();
    (v.to_string(), None)
}

/// The index of the closing quote `q` in `body` (a `\` escapes it in double quotes).
fn find_close(body: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if q == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == q && !escaped {
            return Some(i);
        }
        escaped = false;
    }
    None
}

fn unescape(body: &str, q: char) -> String {
    if q == '\'' {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('r') => {}
            Some('t') => out.push('\t'),
            Some(o @ ('"' | '\\' | '$' | '\'' | '/')) => out.push(o),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Where a line holding several `Label: value` pairs (notes pasted from a chat, or typed on one
/// line) must be cut so each pair stands alone: the byte offsets of every recognised label
/// (one to four words ending in `:`) after the first. Empty when the line does not start with
/// a recognised label, or holds a PEM block.
fn label_cuts(line: &str) -> Vec<usize> {
    if line.contains("-----BEGIN") || split_label(line).is_none() {
        return Vec::new();
    }
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    let mut cuts = Vec::new();
    for (k, &(at, word)) in words.iter().enumerate() {
        if k == 0 || !word.ends_with(':') {
            continue;
        }
        let colon = at + word.len() - 1;
        // The longest label first: `API Account ID:` before `Account ID:`.
        let start = (k.saturating_sub(3)..=k)
            .map(|j| words[j].0)
            .find(|&start| field_of_label(line[start..colon].trim()).is_some());
        // Not the line's own first label (after a bullet or a number).
        if let Some(start) = start.filter(|&s| !strip_decoration(&line[..s]).trim().is_empty()) {
            cuts.push(start);
        }
    }
    cuts
}

/// `line` cut at [`label_cuts`]: one piece per `Label: value` pair.
fn label_pieces(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in label_cuts(line) {
        pieces.push(&line[from..cut]);
        from = cut;
    }
    pieces.push(&line[from..]);
    pieces
}

fn read_lines(text: &str, out: &mut PastedValues, env_word: &mut Option<String>) {
    // Each piece with the number of the line it came from (for "line N" in what is ignored).
    let (numbers, lines): (Vec<usize>, Vec<&str>) = text
        .lines()
        .enumerate()
        .flat_map(|(n, l)| label_pieces(l).into_iter().map(move |p| (n + 1, p)))
        .unzip();
    let mut i = 0;
    let mut pending: Option<&'static str> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        i += 1;
        if t.is_empty() || t.starts_with('#') || t.starts_with("//") || t == "{" || t == "}" {
            continue;
        }
        // A PEM block anywhere: from its BEGIN line to its END line.
        if let Some(b) = t.find("-----BEGIN") {
            let (label, start) = match split_label(t) {
                Some(l) if !l.rest.trim_start().starts_with(['"', '\'']) => (Some(l.field), b),
                None => (None, b),
                Some(_) => (Some("quoted"), b),
            };
            if label != Some("quoted") {
                let mut block = vec![t[start..].to_string()];
                if !t.contains("-----END") || t.rfind("-----END") < Some(start) {
                    while i < lines.len() {
                        let l = lines[i].trim();
                        i += 1;
                        block.push(l.to_string());
                        if l.contains("-----END") {
                            break;
                        }
                    }
                }
                let text = Zeroizing::new(block.join("\n"));
                let field = match label.or(pending) {
                    Some("private_key") | None => "private_key",
                    Some(other) => other,
                };
                pending = None;
                out.set(field, text.to_string(), env_word);
                continue;
            }
        }
        if let Some(l) = split_label(t) {
            pending = None;
            let (mut value, open) = unquote(l.rest, l.quoted_label);
            if let Some(q) = open {
                // A quoted value over several lines (dotenv allows it).
                let mut closed = false;
                while i < lines.len() {
                    let next = lines[i];
                    i += 1;
                    value.push('\n');
                    match find_close(next, q) {
                        Some(end) => {
                            value.push_str(&unescape(&next[..end], q));
                            closed = true;
                            break;
                        }
                        None => value.push_str(&unescape(next, q)),
                    }
                }
                if !closed {
                    out.notes.push(format!(
                        "{}: its closing quote is missing; the rest of the text was read as its value.",
                        label_of(l.field)
                    ));
                }
            }
            let value = Zeroizing::new(value);
            if value.trim().is_empty() {
                // `Label:` with the value on the next line.
                pending = Some(l.field);
                continue;
            }
            out.set(l.field, value.to_string(), env_word);
            continue;
        }
        if let Some(f) = label_alone(t) {
            pending = Some(f);
            continue;
        }
        if let Some(f) = pending.take() {
            let (value, _) = unquote(t, false);
            out.set(f, value, env_word);
            continue;
        }
        out.ignored.push(format!("line {}", numbers[i - 1]));
    }
}

fn resolve_environment(out: &mut PastedValues, word: Option<&str>) {
    let from_word = word.and_then(environment_of_word);
    let from_auth = out
        .auth_server
        .as_deref()
        .and_then(|a| AuthServer::parse(a).ok())
        .map(|a| Environment::from_auth_kind(a.kind()));
    let from_base = out
        .base_uri
        .as_deref()
        .and_then(|b| BaseUri::parse(b).ok())
        .map(|b| Environment::from_auth_kind(b.environment()));
    let env = from_auth.or(from_base).or(from_word);
    if let (Some(w), Some(e)) = (from_word, env) {
        if w != e {
            let by = if from_auth.is_some() {
                "auth server"
            } else {
                "base URI"
            };
            out.notes.push(format!(
                "The text says the environment is {w}, but its {by} is {e}'s: {e} is used."
            ));
        }
    }
    out.environment = env;
}

/// A single field's value with its label pasted along: `Integration Key: 1a2b…`,
/// `DOCUSIGN_USER_ID="…"`, `"account_id": "…",`. Returns the label as found and the value
/// (unquoted); `None` when `input` does not start with a label of `field` (then use it as is).
/// A whole pasted block holding that field also gives its value.
pub fn strip_label(field: &str, input: &str) -> Option<(String, String)> {
    let t = input.trim();
    if t.contains('\n') {
        let p = parse_pasted(t);
        return p
            .get(field)
            .map(|v| (label_of(field).to_string(), v.to_string()));
    }
    let l = split_label(t)?;
    if l.field != field {
        return None;
    }
    let label_end = t.len() - l.rest.len();
    let label = t[..label_end].trim().to_string();
    let (value, _) = unquote(l.rest, l.quoted_label);
    Some((label, value))
}

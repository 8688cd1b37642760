//! The support bundle: one zip of what the Studio knows about a connection, for whoever helps the
//! user, with no secret in it. The desktop app ("Save a support bundle…") and
//! `dsjwt support-bundle` both call [`write_bundle`]; [`plan`] lists what goes in before saving.
//!
//! What goes in (see docs/app.md, "Support bundle"): the app and OS versions, the connection's
//! settings (IDs shortened, never the key), the latest health report, the Go-Live status, the last
//! [`LEDGER_ROWS`] ledger rows (method, path, status, DocuSign error code, time; no bodies), the
//! app's log and, for the sandbox, the emulator's request log.
//!
//! What never goes in: the private key, access tokens, JWT assertions, `Authorization` values,
//! request or response bodies. Nothing secret is read to make the bundle (the keyring is not
//! opened), and every text entry also goes through [`redact`] as a safety net.

use crate::connections::{Connection, ConnectionError, ConnectionStore, Environment};
use crate::health::HealthReport;
use crate::ledger::{Ledger, LedgerCall};
use crate::problem::{capitalise, Code, Problem};
use crate::store::{Store, StoreError};
use regex::Regex;
use rusqlite::params;
use serde::Serialize;
use serde_json::{json, Value};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// How many ledger rows (newest first) the bundle carries.
pub const LEDGER_ROWS: usize = 200;
/// How much of the end of the app's log the bundle carries, in bytes.
pub const LOG_TAIL_BYTES: u64 = 2 * 1024 * 1024;
/// How many of the emulator's most recent requests the bundle carries.
pub const EMULATOR_REQUESTS: usize = 1000;

/// Who is making the bundle and where its inputs are.
#[derive(Debug, Clone)]
pub struct BundleSource {
    /// "DocuSign JWT Studio" (the desktop app) or "dsjwt" (the CLI).
    pub app_name: String,
    /// The app's version.
    pub app_version: String,
    /// The saved connection the bundle is about; `None` for a bundle without one.
    pub connection: Option<String>,
    /// The app's log folder (its daily files, [`crate::logging`]); a missing or empty folder
    /// is noted, not an error.
    pub log_dir: Option<PathBuf>,
}

/// One file of the bundle, as the app lists it before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleEntry {
    /// The file's name inside the zip, e.g. `ledger.json`.
    pub name: String,
    /// What it holds, in plain words.
    pub description: String,
}

/// What a bundle will hold, before it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundlePlan {
    /// The connection it is about.
    pub connection: Option<String>,
    /// The files, in the zip's order.
    pub entries: Vec<BundleEntry>,
    /// What is never included, in plain words.
    pub never_included: Vec<String>,
    /// A file name to offer, e.g. `dsjwt-support-20261130-0215.zip`.
    pub suggested_file_name: String,
}

/// A bundle that was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleSummary {
    /// Where it was saved.
    pub path: String,
    /// Its size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// The files inside, in order.
    pub entries: Vec<String>,
    /// How many secret-looking values the safety net replaced (normally 0).
    pub redactions: usize,
    /// Parts that could not be included, and why (e.g. the sandbox was not running).
    pub notes: Vec<String>,
}

fn problem(code: Code, message: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem::new(code, message, fix)
}

/// What is never in a bundle.
fn never_included() -> Vec<String> {
    vec![
        "the private key (it stays in the keyring, which is not opened)".into(),
        "access tokens and JWT assertions".into(),
        "Authorization header values".into(),
        "request and response bodies (documents, envelope contents)".into(),
    ]
}

/// The files of a bundle about `conn` (or about no connection).
fn entries(conn: Option<&Connection>) -> Vec<BundleEntry> {
    let e = |name: &str, description: String| BundleEntry {
        name: name.into(),
        description,
    };
    let mut v = vec![
        e(
            "README.txt",
            "What this bundle is and what it leaves out.".into(),
        ),
        e(
            "versions.json",
            "The app's name and version, the operating system and its version.".into(),
        ),
    ];
    if let Some(c) = conn {
        v.push(e("connection.json", format!("The settings of \"{}\": environment, shortened IDs, base URI, auth server, redirect URI, the key's public fingerprint. Never the key.", c.name)));
        v.push(e(
            "health-report.json",
            "The latest health check of this connection: each step, its code and message.".into(),
        ));
        v.push(e(
            "golive.json",
            "The Go-Live status: the streak, the recent calls' verdicts, polling-rule violations."
                .into(),
        ));
        v.push(e("ledger.json", format!("The last {LEDGER_ROWS} calls to DocuSign: time, method, path with IDs, HTTP status, DocuSign error code, duration. No bodies.")));
    }
    v.push(e(
        "app.log",
        "The end of the app's log (command names and outcomes; never arguments).".into(),
    ));
    if conn.is_some_and(|c| c.environment == Environment::Sandbox) {
        v.push(e("emulator-requests.json", format!("The sandbox's request log (its last {EMULATOR_REQUESTS} requests: method, path, status, headers with Authorization redacted).")));
    }
    v
}

fn suggested_file_name() -> String {
    let now = time::OffsetDateTime::now_utc();
    let f = time::macros::format_description!("[year][month][day]-[hour][minute]");
    format!(
        "dsjwt-support-{}.zip",
        now.format(&f).unwrap_or_else(|_| "now".into())
    )
}

/// The connection a bundle is about: the one named, else the only saved one, else none (the
/// rule of every command, [`ConnectionStore::choose`]).
///
/// # Errors
/// [`Problem`] `not_found` for an unknown name; `connection_ambiguous` when none is
/// named and several are saved (the message lists them).
pub fn pick_connection(
    store: &ConnectionStore,
    name: Option<&str>,
) -> Result<Option<Connection>, Problem> {
    match store.choose(name) {
        Ok(chosen) => Ok(chosen.connection()),
        Err(e @ ConnectionError::Ambiguous { .. }) => Err(problem(
            Code::ConnectionAmbiguous,
            format!(
                "{}; the bundle is about one of them.",
                capitalise(&e.to_string())
            ),
            "Name the connection the problem is about.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// What a bundle about `connection` will hold, for the app to show before saving.
///
/// # Errors
/// As [`pick_connection`].
pub fn plan(store: &ConnectionStore, connection: Option<&str>) -> Result<BundlePlan, Problem> {
    let conn = pick_connection(store, connection)?;
    Ok(BundlePlan {
        connection: conn.as_ref().map(|c| c.name.clone()),
        entries: entries(conn.as_ref()),
        never_included: never_included(),
        suggested_file_name: suggested_file_name(),
    })
}

/// A GUID shortened for a bundle: `0a1b2c3d…4e5f` (the first 8 and last 4 characters).
pub fn shorten_id(id: &str) -> String {
    let id = id.trim();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 12 {
        return id.to_string();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

fn patterns() -> &'static [(Regex, &'static str)] {
    static P: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    P.get_or_init(|| {
        let dashes = "-----";
        let r = |s: &str| Regex::new(s).unwrap_or_else(|e| unreachable!("bad pattern {s}: {e}"));
        vec![
            // A whole PEM block (key or certificate), then any lone BEGIN/END marker.
            (
                r(&format!(
                    r"{dashes}BEGIN [A-Z0-9 ]+{dashes}[\s\S]*?{dashes}END [A-Z0-9 ]+{dashes}"
                )),
                "<redacted PEM block>",
            ),
            (
                r(&format!(r"{dashes}(BEGIN|END) [A-Z0-9 ]+{dashes}")),
                "<redacted PEM marker>",
            ),
            // A JWT (an assertion, or a JWT-shaped token): three base64url parts, the first `{"`.
            (
                r(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
                "<redacted JWT>",
            ),
            // Authorization values: `Bearer xyz`, `Basic xyz`.
            (
                r(r"(?i)\b(bearer|basic)(\s+|%20)[A-Za-z0-9._~+/=-]{6,}"),
                "$1 <redacted>",
            ),
            // Named secrets in JSON, forms and query strings.
            (
                r(r#"(?i)\b(assertion|access_token|refresh_token|id_token|client_secret|private_key|password)("\s*:\s*"|=)[^"&\s,}<]{4,}"#),
                "$1$2<redacted>",
            ),
        ]
    })
}

/// Replaces anything secret-looking in `text`: PEM blocks and markers, JWTs, `Bearer`/`Basic`
/// values, and the values of fields named `assertion`, `access_token`, `refresh_token`,
/// `id_token`, `client_secret`, `private_key` or `password`. Returns the text and how many
/// values were replaced. The bundle's safety net: nothing secret is put in on purpose.
pub fn redact(text: &str) -> (String, usize) {
    let mut out = text.to_string();
    let mut n = 0;
    for (re, with) in patterns() {
        let count = re.find_iter(&out).count();
        if count > 0 {
            n += count;
            out = re.replace_all(&out, *with).into_owned();
        }
    }
    (out, n)
}

const HEALTH_TABLE: &str = "CREATE TABLE IF NOT EXISTS health_reports (
    connection  TEXT PRIMARY KEY COLLATE NOCASE,  -- the saved connection's name
    at_ms       INTEGER NOT NULL,                 -- Unix milliseconds
    report      TEXT NOT NULL                     -- the HealthReport JSON (no secrets)
)";

/// Keeps `report` as the latest health check of the saved connection `connection` (in the state
/// file), for the support bundle. One row per connection; a newer report replaces the older.
///
/// # Errors
/// [`StoreError`] when SQLite refuses.
pub fn record_health_report(
    state: &Store,
    connection: &str,
    report: &HealthReport,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(report).unwrap_or_else(|_| "{}".into());
    let at_ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    let conn = state.conn();
    conn.execute_batch(HEALTH_TABLE).map_err(|e| state.err(e))?;
    conn.execute(
        "INSERT INTO health_reports (connection, at_ms, report) VALUES (?1, ?2, ?3)
         ON CONFLICT(connection) DO UPDATE SET at_ms = excluded.at_ms, report = excluded.report",
        params![connection, at_ms as i64, json],
    )
    .map_err(|e| state.err(e))?;
    Ok(())
}

/// The latest health report kept for `connection`: when it ran (RFC 3339) and the report.
///
/// # Errors
/// [`StoreError`] when SQLite refuses.
pub fn latest_health_report(
    state: &Store,
    connection: &str,
) -> Result<Option<(String, Value)>, StoreError> {
    let conn = state.conn();
    conn.execute_batch(HEALTH_TABLE).map_err(|e| state.err(e))?;
    let mut stmt = conn
        .prepare("SELECT at_ms, report FROM health_reports WHERE connection = ?1")
        .map_err(|e| state.err(e))?;
    let mut rows = stmt
        .query_map(params![connection], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(|e| state.err(e))?;
    match rows.next() {
        Some(row) => {
            let (at_ms, report) = row.map_err(|e| state.err(e))?;
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(at_ms as i128 * 1_000_000)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            Ok(Some((
                at,
                serde_json::from_str(&report).unwrap_or(Value::Null),
            )))
        }
        None => Ok(None),
    }
}

fn os_info() -> Value {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let field = |k: &str| {
        release.lines().find_map(|l| {
            l.strip_prefix(&format!("{k}="))
                .map(|v| v.trim_matches('"').to_string())
        })
    };
    json!({
        "family": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "name": field("PRETTY_NAME"),
        "version_id": field("VERSION_ID"),
        "kernel": std::fs::read_to_string("/proc/sys/kernel/osrelease").ok().map(|s| s.trim().to_string()),
    })
}

fn connection_json(c: &Connection) -> Value {
    json!({
        "name": c.name,
        "environment": c.environment,
        "integration_key": shorten_id(&c.integration_key),
        "user_id": shorten_id(&c.user_id),
        "account_id": shorten_id(&c.account_id),
        "base_uri": c.base_uri,
        "auth_server": c.auth_server,
        "redirect_uri": c.redirect_uri,
        "ca_cert": c.ca_cert.as_ref().map(|p| p.display().to_string()),
        "key_fingerprint": c.key_fingerprint,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "private_key": "not included (it stays in the OS keyring)",
    })
}

fn ledger_row(c: &LedgerCall) -> Value {
    json!({
        "at": c.at,
        "kind": c.kind,
        "method": c.method,
        "path": c.path,
        "status": c.status,
        "error_code": c.error_code,
        "duration_ms": c.duration_ms,
    })
}

/// The end of the app's log across its daily files (newest last): at most [`LOG_TAIL_BYTES`],
/// starting at a line boundary.
fn log_tail(dir: &Path) -> std::io::Result<String> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let files = crate::logging::log_files(dir);
    if files.is_empty() {
        let why = "it holds no log file";
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, why));
    }
    let (mut parts, mut room, mut left_out) = (Vec::new(), LOG_TAIL_BYTES, 0);
    for path in files {
        let mut f = std::fs::File::open(&path)?;
        let len = f.metadata()?.len();
        let start = len.saturating_sub(room);
        left_out += start;
        if start == len {
            continue;
        }
        room -= len - start;
        f.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)?;
        let mut text = String::from_utf8_lossy(&buf).into_owned();
        if start > 0 {
            if let Some(i) = text.find('\n') {
                left_out += i as u64 + 1;
                text = text[i + 1..].to_string();
            }
        }
        parts.push(text);
    }
    parts.reverse();
    let text = parts.concat();
    Ok(match left_out {
        0 => text,
        n => format!("[… the first {n} bytes of the log are left out …]\n{text}"),
    })
}

/// The sandbox emulator's request log (`GET /__emulator/requests`), its newest requests.
async fn emulator_requests(c: &Connection) -> Result<Value, String> {
    let ca = match &c.ca_cert {
        Some(p) => Some(docusign_api::files::read_ca_file(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let http = docusign_api::oauth::http_client(ca.as_deref(), Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    let url = format!("{}/__emulator/requests", c.auth_server.origin());
    let resp = http.get(&url).send().await.map_err(|_| {
        format!(
            "the sandbox at {} did not answer (is it running?)",
            c.auth_server
        )
    })?;
    if !resp.status().is_success() {
        return Err(format!("the sandbox answered HTTP {}", resp.status()));
    }
    let v: Value = resp
        .json()
        .await
        .map_err(|e| format!("the sandbox's request log is not JSON: {e}"))?;
    Ok(match v {
        Value::Array(mut a) => {
            let skip = a.len().saturating_sub(EMULATOR_REQUESTS);
            Value::Array(a.drain(skip..).collect())
        }
        other => other,
    })
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into()) + "\n"
}

/// Makes the bundle about `source.connection` (or the only saved connection) and writes it to
/// `out` as a zip. The file appears whole or not at all (written next to `out`, then renamed);
/// an existing `out` is replaced. Parts that cannot be had (no health check yet, the sandbox not
/// running, no log) are said in README.txt and in the summary's notes.
///
/// # Errors
/// [`Problem`]: an unknown or ambiguous connection (`not_found`,
/// `connection_ambiguous`), the state file (`state_file`), or `bundle_write_failed` when the
/// zip cannot be written where asked.
pub async fn write_bundle(
    store: &ConnectionStore,
    state: &Store,
    source: &BundleSource,
    out: &Path,
) -> Result<BundleSummary, Problem> {
    let conn = pick_connection(store, source.connection.as_deref())?;
    let mut notes: Vec<String> = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();

    files.push((
        "versions.json".into(),
        pretty(&json!({
            "app": source.app_name,
            "app_version": source.app_version,
            "created_at": created_at,
            "os": os_info(),
        })),
    ));

    if let Some(c) = &conn {
        files.push(("connection.json".into(), pretty(&connection_json(c))));
        let health = match latest_health_report(state, &c.name)? {
            Some((at, report)) => json!({ "checked_at": at, "report": report }),
            None => {
                notes.push(format!(
                    "No health check of \"{}\" has been recorded yet.",
                    c.name
                ));
                json!({ "checked_at": null, "report": null, "note": "no health check of this connection has been recorded yet" })
            }
        };
        files.push(("health-report.json".into(), pretty(&health)));

        let ledger = Ledger::new(state.clone());
        let mut golive = ledger.golive_status(&c.integration_key, c.auth_server.host(), 20)?;
        golive.integration_key = shorten_id(&golive.integration_key);
        files.push((
            "golive.json".into(),
            pretty(&serde_json::to_value(&golive).unwrap_or(Value::Null)),
        ));
        let calls = ledger.golive_status(&c.integration_key, c.auth_server.host(), LEDGER_ROWS)?;
        let rows: Vec<Value> = calls
            .recent
            .iter()
            .take(LEDGER_ROWS)
            .map(ledger_row)
            .collect();
        files.push(("ledger.json".into(), pretty(&Value::Array(rows))));
    }

    let log = match &source.log_dir {
        Some(p) => match log_tail(p) {
            Ok(t) => t,
            Err(e) => {
                notes.push(format!(
                    "The app's log {} cannot be read: {e}.",
                    p.display()
                ));
                format!("(the app's log {} cannot be read: {e})\n", p.display())
            }
        },
        None => {
            notes.push("No app log was given.".into());
            "(no app log)\n".into()
        }
    };
    files.push(("app.log".into(), log));

    if let Some(c) = conn
        .as_ref()
        .filter(|c| c.environment == Environment::Sandbox)
    {
        let v = match emulator_requests(c).await {
            Ok(v) => v,
            Err(why) => {
                notes.push(format!("The sandbox's request log is not included: {why}."));
                json!({ "note": format!("not included: {why}") })
            }
        };
        files.push(("emulator-requests.json".into(), pretty(&v)));
    }

    // The safety net over every text entry.
    let mut redactions = 0;
    for (_, text) in files.iter_mut() {
        let (clean, n) = redact(text);
        redactions += n;
        *text = clean;
    }

    let mut readme = format!(
        "DocuSign JWT Studio support bundle\n\nMade by {} {} on {created_at}{}.\n\nFiles:\n",
        source.app_name,
        source.app_version,
        conn.as_ref()
            .map(|c| format!(", about the connection \"{}\"", c.name))
            .unwrap_or_else(|| ", about no particular connection".into()),
    );
    for e in entries(conn.as_ref()) {
        readme.push_str(&format!("  {:<24}{}\n", e.name, e.description));
    }
    readme.push_str("\nNever included:\n");
    for n in never_included() {
        readme.push_str(&format!("  - {n}\n"));
    }
    if redactions > 0 {
        readme.push_str(&format!(
            "\n{} replaced by <redacted…> on the way.\n",
            if redactions == 1 {
                "1 secret-looking value was".to_string()
            } else {
                format!("{redactions} secret-looking values were")
            }
        ));
    }
    if !notes.is_empty() {
        readme.push_str("\nNotes:\n");
        for n in &notes {
            readme.push_str(&format!("  - {n}\n"));
        }
    }
    files.insert(0, ("README.txt".into(), readme));

    let bytes = write_zip(out, &files).map_err(|e| {
        problem(
            Code::BundleWriteFailed,
            format!(
                "The support bundle cannot be written to {}: {e}",
                out.display()
            ),
            "Choose a folder you can write to, with some free space.",
        )
    })?;
    Ok(BundleSummary {
        path: out.display().to_string(),
        bytes,
        entries: files.iter().map(|(n, _)| n.clone()).collect(),
        redactions,
        notes,
    })
}

/// Writes the zip next to `out` and renames it into place (whole or nothing). Returns its size.
fn write_zip(out: &Path, files: &[(String, String)]) -> std::io::Result<u64> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = out
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(format!(
        ".{}.partial-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = write_zip_file(&tmp, out, files);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// [`write_zip`]'s work: the zip into `tmp`, synced, then renamed to `out`.
fn write_zip_file(tmp: &Path, out: &Path, files: &[(String, String)]) -> std::io::Result<u64> {
    let f = std::fs::File::create(tmp)?;
    let mut zip = zip::ZipWriter::new(f);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    for (name, text) in files {
        zip.start_file(name.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    let f = zip.finish().map_err(std::io::Error::other)?;
    f.sync_all()?;
    let len = f.metadata()?.len();
    drop(f);
    std::fs::rename(tmp, out)?;
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: with the log in daily files, the bundle's `app.log` is the end of the log
    /// across them, oldest first, within [`LOG_TAIL_BYTES`], from a line boundary.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn log_tail_spans_the_daily_files() {
        let dir = tempfile::tempdir().unwrap();
        let today = time::OffsetDateTime::now_utc().date();
        let day = |n| crate::logging::file_of_day(dir.path(), today - time::Duration::days(n));
        assert!(log_tail(dir.path()).is_err(), "no file: said, not empty");
        let line = "x".repeat(99) + "\n";
        let lines = |n: usize, tag: &str| format!("{tag}\n") + &line.repeat(n);
        std::fs::write(day(2), lines(20_000, "two days ago")).unwrap();
        std::fs::write(day(1), lines(15_000, "yesterday")).unwrap();
        std::fs::write(day(0), lines(10, "today")).unwrap();
        let tail = log_tail(dir.path()).unwrap();
        assert!(tail.len() as u64 <= LOG_TAIL_BYTES + 100, "{}", tail.len());
        let (yesterday, today) = (tail.find("yesterday").unwrap(), tail.find("today").unwrap());
        assert!(yesterday < today, "oldest first");
        assert!(
            !tail.contains("two days ago"),
            "its start is beyond the cap"
        );
        let (head, rest) = tail.split_once('\n').unwrap();
        assert!(head.starts_with("[… the first "), "{head}");
        assert!(rest.starts_with(&line), "from a line boundary");
    }

    #[test]
    fn ids_are_shortened() {
        assert_eq!(
            shorten_id("0a1b2c3d-1111-2222-3333-444455556666"),
            "0a1b2c3d…6666"
        );
        assert_eq!(shorten_id("short"), "short");
    }

    #[test]
    fn redact_replaces_every_kind_of_secret() {
        let d = "-----";
        let pem = format!("{d}BEGIN RSA PRIVATE KEY{d}\nMIIEabc\n{d}END RSA PRIVATE KEY{d}");
        let text = format!(
            "key {pem}\nAuthorization: Bearer abcdef123456\n{{\"access_token\":\"tok123456\"}}\nassertion=eyJhbGciOi.eyJpc3MiOi.sig-part_1&x=1\nlone {d}BEGIN PRIVATE KEY{d}"
        );
        let (out, n) = redact(&text);
        assert!(!out.contains("MIIEabc"), "{out}");
        assert!(!out.contains("abcdef123456"), "{out}");
        assert!(!out.contains("tok123456"), "{out}");
        assert!(!out.contains("eyJhbGciOi"), "{out}");
        assert!(!out.contains(&format!("{d}BEGIN")), "{out}");
        assert!(out.contains("Bearer <redacted>"), "{out}");
        assert_eq!(n, 5, "{out}");
        // Already-redacted values and ordinary codes stay.
        let (same, n) = redact("Bearer <redacted> \"code\": \"consent_required\"");
        assert_eq!(n, 0);
        assert_eq!(same, "Bearer <redacted> \"code\": \"consent_required\"");
    }
}

//! The message audit: every code the core can return has a headline and a fix in the
//! catalogue (`studio_core::messages::CATALOG`), the fixes match their failures, and no text
//! the desktop app shows names a CLI command, a CLI flag or a function.
//!
//! "Every code the core can return" is found two ways: by reading the core's sources for the
//! places a code is made (`Step::failed(…, "code"`, `Problem::new("code"`, `fn code()` arms,
//! …), and by making the failures themselves (network failures, pre-send checks, settings)
//! and looking at what comes back.
//!
//! The UI's copy of the catalogue, `ui/src/lib/codes.gen.ts`, is generated here too:
//! `DSJWT_UPDATE_BINDINGS=1 cargo test -p studio-core --test message_audit` rewrites it.

use docusign_api::esign::{EsignError, ValidationProblem};
use docusign_api::oauth::OAuthError;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use studio_core::actions::ActionFailure;
use studio_core::health::{self, CheckInput};
use studio_core::messages::{self, cli_words, CATALOG};
use studio_core::problem::{Code, Hint};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The first `"snake_code"` literal after `at` (skipping `skip_args` arguments first).
fn literal_after(text: &str, at: usize, skip_args: usize) -> Option<String> {
    let mut rest = &text[at..];
    for _ in 0..skip_args {
        rest = &rest[rest.find(',')? + 1..];
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    let lit = &rest[..end];
    (!lit.is_empty()
        && lit
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
    .then(|| lit.to_string())
}

/// Codes made in the core's sources.
fn codes_in_sources() -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("crates/studio-core/src"), &mut files);
    rust_files(&root().join("crates/docusign-api/src/esign"), &mut files);
    files.push(root().join("crates/docusign-api/src/environment.rs"));
    rust_files(&root().join("src-tauri"), &mut files);
    let mut found = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // Skip the tests at the bottom of a file: they make codes on purpose.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let name = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
        for (pat, skip) in [
            ("Step::failed(", 1),
            ("ValidationProblem::new(", 0),
            ("ValidationProblem::with_suggestion(", 0),
            ("EsignError::validation(", 0),
            ("Problem::new(", 0),
            ("IpcError::new(", 0),
            ("FieldCheck::error(", 1),
            (".warn(", 0),
        ] {
            for (i, _) in text.match_indices(pat) {
                if let Some(code) = literal_after(text, i + pat.len(), skip) {
                    found.insert((code, name.clone()));
                }
            }
        }
        // Typed codes (`Code::KeyLoadFailed`), by their wire value.
        for (i, _) in text.match_indices("Code::") {
            if text[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue; // another enum (`ErrorCode::DiskFull`)
            }
            let rest = &text[i + "Code::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let is_variant = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().any(|c| c.is_ascii_lowercase());
            if is_variant && name != "Ok" && name != "Skipped" {
                let mut wire = String::new();
                for c in name.chars() {
                    if c.is_ascii_uppercase() && !wire.is_empty() {
                        wire.push('_');
                    }
                    wire.push(c.to_ascii_lowercase());
                }
                found.insert((wire, name.clone()));
            }
        }
        // `fn code(&self)` and `fn kind(&self)` arms.
        for head in [
            "fn code(&self) -> &'static str {",
            "fn kind(&self) -> &'static str {",
        ] {
            for (i, _) in text.match_indices(head) {
                let body = &text[i..];
                let body = &body[..body.find("\n    }\n").unwrap_or(body.len())];
                for (j, _) in body.match_indices("=> \"") {
                    if let Some(code) = literal_after(body, j + 3, 0) {
                        found.insert((code, name.clone()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_code_has_a_headline_and_a_fix_without_cli_words() {
    assert!(CATALOG.len() > 60, "{}", CATALOG.len());
    for e in CATALOG {
        assert!(!e.title.trim().is_empty(), "{}: no headline", e.code);
        assert!(e.fix.trim().len() > 10, "{}: no fix", e.code);
        for t in [e.title, e.fix] {
            assert_eq!(cli_words(t), None, "{}: {t}", e.code);
            assert!(
                !t.contains("GUID") && !t.contains("hex digit"),
                "{}: {t}",
                e.code
            );
        }
    }
}

#[test]
fn every_code_the_core_returns_is_in_the_catalogue() {
    let found = codes_in_sources();
    assert!(found.len() > 40, "the scan found too little: {found:?}");
    let missing: Vec<String> = found
        .iter()
        .filter(|(c, _)| Code::from_wire(c).and_then(messages::entry).is_none())
        .map(|(c, f)| format!("{c} ({f})"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a catalogue entry: {missing:?}"
    );
    // The scan sees the codes it must.
    for c in [
        "network_unreachable",
        "consent_required",
        "void_invalid_state",
        "interval_too_short",
        "key_load_failed",
    ] {
        assert!(
            found.iter().any(|(x, _)| x == c),
            "{c} not found by the scan"
        );
    }
}

/// Every failure an action can return, made for real: a code in the catalogue, a message and a
/// fix, and nothing the desktop cannot show.
#[test]
fn every_action_failure_has_a_message_and_a_fitting_fix() {
    let transport = |class: &'static str| {
        EsignError::Transport {
        method: "GET".into(),
        path: "/restapi/v2.1/accounts/A/envelopes".into(),
        reason: "error sending request for url (https://demo.docusign.net/restapi/v2.1/accounts/A/envelopes): client error (Connect): tcp connect error: Connection refused (os error 111)".into(),
        class,
    }
    };
    let problem = |code: &'static str, suggestion: Option<&str>| EsignError::Validation {
        problems: vec![ValidationProblem::with_suggestion(
            code,
            format!("{code} happened"),
            suggestion.map(String::from),
        )],
    };
    let errors: Vec<EsignError> = vec![
        transport("connect"),
        transport("timeout"),
        transport("other"),
        transport("tls"),
        EsignError::Auth(OAuthError::Transport {
            url: "https://account-d.docusign.com/oauth/token".into(),
            reason: "dns error: failed to lookup address information".into(),
            class: "connect",
        }),
        EsignError::Api {
            status: 400,
            error_code: Some("ENVELOPE_DOES_NOT_EXIST".into()),
            message: "The envelope specified either does not exist or you have no rights to it."
                .into(),
            fix: None,
            method: "GET".into(),
            path: "/x".into(),
        },
        EsignError::Api {
            status: 503,
            error_code: None,
            message: "unavailable".into(),
            fix: None,
            method: "GET".into(),
            path: "/x".into(),
        },
        EsignError::RateLimited {
            error_code: None,
            reset_at: None,
            message: "x".into(),
        },
        EsignError::Decode {
            path: "/x".into(),
            reason: "missing field `envelopeId` at line 1 column 2".into(),
            excerpt: "{}".into(),
        },
        EsignError::Io {
            path: "/nowhere".into(),
            source: std::io::Error::other("denied"),
        },
        EsignError::Paging {
            path: "/x".into(),
            pages: 100,
            reason: "did not advance".into(),
        },
        EsignError::Api {
            status: 400,
            error_code: Some("TEMPLATE_ID_INVALID".into()),
            message: "Invalid template ID".into(),
            fix: docusign_api::esign::fix_for("TEMPLATE_ID_INVALID").map(String::from),
            method: "GET".into(),
            path: "/restapi/v2.1/accounts/A/templates/T/recipients".into(),
        },
        EsignError::Api {
            status: 400,
            error_code: None,
            message: "<html>Bad Request</html>".into(),
            fix: None,
            method: "GET".into(),
            path: "/restapi/v2.1/accounts/A/envelopes".into(),
        },
        EsignError::Auth(OAuthError::Http {
            url: "https://account-d.docusign.com/oauth/token".into(),
            status: 401,
            body: "<html>nope</html>".into(),
            server_date: None,
        }),
        EsignError::Io {
            path: "/tmp/report.txt/doc.pdf".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotADirectory),
        },
        EsignError::Io {
            path: "/nowhere/doc.pdf".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        },
        EsignError::NotRecorded {
            reason: "the disk holding /data is full".into(),
        },
        problem("void_invalid_state", None),
        problem("empty_void_reason", None),
        problem("role_not_in_template", Some("Signer 1")),
        problem("role_not_in_template", None),
        problem("placeholder_role_missing", None),
        problem("tab_not_on_role", Some("Company")),
        problem("value_not_a_number", None),
        problem("email_malformed", None),
    ];
    for e in &errors {
        let f = ActionFailure::from_error_at("list_envelopes", e, Some("demo.docusign.net"));
        let what = format!("{e:?} → {f:?}");
        assert!(
            messages::entry(f.code).is_some(),
            "code {} not in the catalogue: {what}",
            f.code
        );
        assert!(!f.message.trim().is_empty(), "{what}");
        let fix = f.fix.clone();
        assert!(fix.len() > 10, "no fix: {what}");
        for t in [&f.message, &fix] {
            assert_eq!(cli_words(t), None, "{what}");
        }
        // The message is plain words: no method and path, URL, HTTP status, DocuSign's code,
        // operating-system text or body excerpt; the error's own text is kept for Details.
        for raw in [
            "/restapi",
            "https://",
            "HTTP 4",
            "HTTP 5",
            "os error",
            "body starts",
            "<html>",
            "DocuSign refused GET",
            "TEMPLATE_ID_INVALID",
            "ENVELOPE_DOES_NOT_EXIST",
            "file error at",
        ] {
            assert!(!f.message.contains(raw), "{raw:?} in the message: {what}");
        }
        if !matches!(
            e,
            EsignError::Validation { .. } | EsignError::NotRecorded { .. }
        ) {
            assert!(
                f.details.as_deref().is_some_and(|d| !d.is_empty()),
                "the raw text is kept for Details: {what}"
            );
        }
        if f.code == "network_unreachable" {
            assert!(
                !f.message.contains("os error") && !f.message.contains("tcp connect"),
                "raw text in the message: {what}"
            );
            assert!(
                f.details.as_deref().is_some_and(|d| !d.is_empty()),
                "the raw text is kept for Details: {what}"
            );
        }
    }
}

#[test]
fn a_network_failure_has_its_own_code_and_names_the_host() {
    let e = EsignError::Auth(OAuthError::Transport {
        url: "https://account-d.docusign.com/oauth/token".into(),
        reason: "client error (Connect): dns error".into(),
        class: "connect",
    });
    let f = ActionFailure::from_error_at("list_templates", &e, Some("demo.docusign.net"));
    assert_eq!(f.code, "network_unreachable");
    assert_eq!(
        f.message,
        "Could not reach account-d.docusign.com: no connection, or a firewall blocks it."
    );
    assert_eq!(
        f.details.as_deref(),
        Some("client error (Connect): dns error")
    );
    assert_eq!(
        messages::title(Code::NetworkUnreachable),
        "Could not reach the server"
    );
}

#[test]
fn voiding_a_completed_envelope_gets_a_void_fix_not_a_template_fix() {
    let e = EsignError::Validation {
        problems: vec![ValidationProblem::new(
            "void_invalid_state",
            "envelope 1 can't be voided: it is 'completed': a completed envelope can't be voided",
        )],
    };
    let f = ActionFailure::from_error("void_envelope", &e);
    let fix = f.fix.clone();
    assert!(
        fix.contains("Only envelopes still out for signature (sent or delivered) can be voided"),
        "{fix}"
    );
    assert!(
        !fix.contains("template") && !fix.contains("tabs") && !fix.contains("role"),
        "{fix}"
    );
}

#[test]
fn did_you_mean_only_for_a_different_name() {
    // A role with nobody in it: the fix asks for a person, and there is no "did you mean".
    let e = EsignError::Validation {
        problems: vec![ValidationProblem::new(
            "placeholder_role_missing",
            "role 'Signer 1' in template 'Mutual NDA' has no person yet",
        )],
    };
    let f = ActionFailure::from_error("preview_envelope_from_template", &e);
    assert!(!f.fix.clone().contains("Did you mean"), "{f:?}");
    assert!(f.problems.iter().all(|p| p.suggestion.is_none()));
    // A role name with a typo: "did you mean" the template's name.
    let e = EsignError::Validation {
        problems: vec![ValidationProblem::with_suggestion(
            "role_not_in_template",
            "role 'signer1' is not in template 'Mutual NDA'; did you mean 'Signer 1'?",
            Some("Signer 1".into()),
        )],
    };
    let f = ActionFailure::from_error("preview_envelope_from_template", &e);
    assert_eq!(
        f.fix(),
        Some("Did you mean \"Signer 1\"? Names must match the template exactly.")
    );
}

/// The health check against a port where nothing listens: its own code, plain words naming the
/// host, the library's words only under details, no CLI words; the front end's move is a hint
/// each front end words itself.
#[tokio::test]
async fn health_check_network_failure_has_neutral_words_and_a_hint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let key = docusign_api::key::PrivateKey::generate(2048).expect("a key");
    let input = CheckInput {
        integration_key: "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01".into(),
        user_id: "1a2b3c4d-1234-5678-9abc-0123456789ab".into(),
        account_id: "2b3c4d5e-1234-5678-9abc-0123456789ab".into(),
        base_uri: format!("https://127.0.0.1:{port}"),
        auth_server: format!("https://127.0.0.1:{port}"),
        private_key: docusign_api::key::PrivateKeyBytes::from_text(key.to_pkcs1_pem()),
        timeout: Some(std::time::Duration::from_secs(5)),
        ..Default::default()
    };
    let report = health::run(&input).await;
    let f = report.first_failure().expect("it fails").clone();
    assert_eq!(f.code, "network_unreachable", "{f:?}");
    assert_eq!(
        f.message,
        format!("Could not reach the sandbox at 127.0.0.1:{port}: it is not running.")
    );
    assert_eq!(f.fix(), Some("Start the sandbox again."));
    assert_eq!(f.hint, Some(Hint::StartSandbox));
    assert!(
        f.details.as_deref().is_some_and(|d| d.contains("onnect")),
        "{f:?}"
    );
    for s in &report.steps {
        assert_eq!(cli_words(&s.message), None, "{s:?}");
        assert_eq!(cli_words(&s.fix), None, "{s:?}");
    }
    // A front end adds its own words after the shared fix.
    let worded = report.with_hint_words(|h| match h {
        Hint::StartSandbox => "Press Start.",
        _ => "",
    });
    assert_eq!(
        worded.first_failure().map(|s| s.fix.as_str()),
        Some("Start the sandbox again. Press Start.")
    );
}

/// The string literals (sentences: with a space) of the non-test part of a Rust source, with
/// their line numbers; comments skipped.
fn sentences(text: &str) -> Vec<(usize, String)> {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let b: Vec<char> = text.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < b.len() {
        match b[i] {
            '\n' => line += 1,
            '/' if b.get(i + 1) == Some(&'/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            // A char literal ('"', '\'', 'x'); a lifetime ('a) is left alone.
            '\'' if b.get(i + 1) == Some(&'\\') => {
                i += 4;
                continue;
            }
            '\'' if b.get(i + 2) == Some(&'\'') => {
                i += 3;
                continue;
            }
            '"' => {
                let (start, mut lit) = (line, String::new());
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    if b[i] == '\\' {
                        lit.push(b[i]);
                        i += 1;
                    }
                    if let Some(c) = b.get(i) {
                        lit.push(*c);
                    }
                    i += 1;
                }
                if lit.contains(' ') {
                    out.push((start, lit));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// What in `text` names a CLI flag (`--ca-cert`) or a `dsjwt` command, if anything.
fn names_the_cli(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "()[]{},;`\"'<>".contains(c))
        .collect();
    for (i, w) in words.iter().enumerate() {
        if w.len() > 2
            && w.starts_with("--")
            && w[2..].starts_with(|c: char| c.is_ascii_lowercase())
        {
            return Some(format!("the flag {w}"));
        }
        let next = words.get(i + 1).copied().unwrap_or_default();
        if *w == "dsjwt" && next.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Some(format!("the command dsjwt {next}"));
        }
    }
    None
}

/// The shared layer's texts (studio-core and the DocuSign client: every message and fix both
/// front ends show) name no CLI flag and no `dsjwt` command: the CLI adds its own words for a
/// failure's [`Hint`], and the desktop its own.
#[test]
fn shared_layer_texts_name_no_cli_flag_or_command() {
    assert_eq!(
        names_the_cli("Pass it with --ca-cert FILE."),
        Some("the flag --ca-cert".into())
    );
    assert_eq!(
        names_the_cli("Run `dsjwt emulator`."),
        Some("the command dsjwt emulator".into())
    );
    assert_eq!(
        names_the_cli("Dates like 2026-03-31 -- or later, by dsjwt."),
        None
    );
    assert_eq!(
        sentences("let a = '\"'; // \"not --this\"\nf(\"Use --ca-cert here\", \"x\");"),
        vec![(2, "Use --ca-cert here".to_string())]
    );
    let mut files = Vec::new();
    rust_files(&root().join("crates/studio-core/src"), &mut files);
    rust_files(&root().join("crates/docusign-api/src"), &mut files);
    assert!(files.len() > 40, "{}", files.len());
    let mut found = Vec::new();
    let mut seen = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (line, lit) in sentences(&text) {
            seen += 1;
            if let Some(what) = names_the_cli(&lit) {
                found.push(format!(
                    "{}:{line}: {what}: {lit}",
                    f.strip_prefix(root()).unwrap_or(f).display()
                ));
            }
        }
    }
    assert!(seen > 500, "the scan read too little: {seen} texts");
    assert!(
        found.is_empty(),
        "shared texts that name the CLI:\n{}",
        found.join("\n")
    );
    // The fixes the health check gives with a hint are neutral too, and every hint is named.
    for h in Hint::ALL {
        assert!(
            serde_json::to_value(h).is_ok_and(|v| v.is_string()),
            "{h:?}"
        );
    }
}

/// "account(s)" and the like: a noun with "(s)" in a text a person reads.
fn lazy_plural(text: &str) -> bool {
    text.match_indices("(s)")
        .any(|(i, _)| text[..i].ends_with(|c: char| c.is_ascii_alphabetic()))
}

/// No message says "1 account(s)" (a fresh user's finding): every count a user reads has its
/// noun in the right number, in the shared layer, the CLI, the emulator's answers, the
/// desktop shell and the desktop's own texts.
#[test]
fn no_message_writes_a_plural_as_s_in_brackets() {
    assert!(lazy_plural("with 1 account(s)."));
    assert!(!lazy_plural("seconds (s) or minutes (min)"));
    let mut files = Vec::new();
    for dir in [
        "crates/studio-core/src",
        "crates/docusign-api/src",
        "crates/docusign-emulator/src",
        "crates/dsjwt/src",
        "src-tauri",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (line, lit) in sentences(&text) {
            if lazy_plural(&lit) {
                found.push(format!(
                    "{}:{line}: {lit}",
                    f.strip_prefix(root()).unwrap_or(f).display()
                ));
            }
        }
    }
    let mut ui = Vec::new();
    ui_files(&root().join("ui/src"), ".ts", &mut ui);
    ui_files(&root().join("ui/src"), ".svelte", &mut ui);
    assert!(ui.len() > 20, "{}", ui.len());
    for f in &ui {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, l) in text.lines().enumerate() {
            let code = l.trim_start();
            if code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
                continue;
            }
            if literals_in(code).iter().any(|lit| lazy_plural(lit)) {
                found.push(format!(
                    "{}:{}: {}",
                    f.strip_prefix(root()).unwrap_or(f).display(),
                    i + 1,
                    code
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "plurals written as (s):\n{}",
        found.join("\n")
    );
}

/// Files below `dir` (recursive) whose name ends with `ext`, tests left out.
fn ui_files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if name != "bindings" && name != "test" {
                ui_files(&p, ext, out);
            }
        } else if name.ends_with(ext) && !name.contains(".test.") {
            out.push(p);
        }
    }
}

/// The string literals ('…', "…", `…`) inside a Svelte/TS expression.
fn literals_in(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '\'' | '"' | '`') {
            let lit: String = chars.by_ref().take_while(|&d| d != c).collect();
            out.push(lit);
        }
    }
    out
}

/// The words a piece of markup shows: its text between tags and `{…}` expressions, and the
/// string literals inside those expressions (`{busy ? 'Checking…' : 'Check now'}`).
fn shown_words(markup: &str) -> Vec<String> {
    let (mut out, mut text) = (Vec::new(), String::new());
    let b: Vec<char> = markup.chars().collect();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '{' => {
                let (mut depth, mut expr) = (1, String::new());
                i += 1;
                while i < b.len() && depth > 0 {
                    depth += match b[i] {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    if depth > 0 {
                        expr.push(b[i]);
                    }
                    i += 1;
                }
                out.push(std::mem::take(&mut text));
                out.extend(literals_in(&expr));
                continue;
            }
            '<' => {
                while i < b.len() && b[i] != '>' {
                    i += 1;
                }
                out.push(std::mem::take(&mut text));
            }
            c => text.push(c),
        }
        i += 1;
    }
    out.push(text);
    out
}

/// A label as a text would name it: one line, without the "more follows" marks around it.
fn clean_label(raw: &str) -> Option<String> {
    let one: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let one = one.split("${").next().unwrap_or_default();
    let l = one
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '?')
        .trim();
    // Buttons and screens are named with a capital; a lower-case piece is part of a sentence.
    (l.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && l.starts_with(|c: char| c.is_uppercase()))
    .then(|| l.to_string())
}

/// The words the desktop app uses for its buttons and screens, read from `ui/src`: the text of
/// every `<button>`/`<Button>` and `<h1>`–`<h3>` of the Svelte views, and the `title:` and
/// `label:` of the feature modules (the navigation's tabs, the wizard's steps, the health
/// view's offered moves).
fn desktop_labels() -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    let mut svelte = Vec::new();
    ui_files(&root().join("ui/src"), ".svelte", &mut svelte);
    for f in &svelte {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for tag in ["button", "Button", "h1", "h2", "h3"] {
            let open = format!("<{tag}");
            let close = format!("</{tag}>");
            for (at, _) in text.match_indices(&open) {
                let rest = &text[at + open.len()..];
                if !rest.starts_with(|c: char| c.is_whitespace() || c == '>') {
                    continue; // another tag (`<ButtonGroup`)
                }
                // The end of the opening tag: the first `>` outside quotes and `{…}`.
                let (mut depth, mut quote, mut body_at) = (0i32, None, None);
                for (j, c) in rest.char_indices() {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(c),
                        (None, '{') => depth += 1,
                        (None, '}') => depth -= 1,
                        (None, '>') if depth == 0 => {
                            body_at = Some(j + 1);
                            break;
                        }
                        _ => {}
                    }
                }
                let Some(body_at) = body_at else { continue };
                let body = &rest[body_at..];
                let Some(end) = body.find(&close) else {
                    continue;
                };
                labels.extend(
                    shown_words(&body[..end])
                        .iter()
                        .filter_map(|w| clean_label(w)),
                );
            }
        }
    }
    let mut ts = Vec::new();
    ui_files(&root().join("ui/src/features"), ".ts", &mut ts);
    for f in &ts {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for key in ["title: ", "label: "] {
            for (at, _) in text.match_indices(key) {
                let rest = &text[at + key.len()..];
                if let Some(lit) = rest
                    .starts_with(['\'', '"'])
                    .then(|| literals_in(rest).into_iter().next())
                    .flatten()
                {
                    labels.extend(clean_label(&lit));
                }
            }
        }
    }
    labels
}

/// What in `text` names one of the desktop's `labels` as a button or a screen, if anything: the
/// label in quotes ("Run again"), beside a word for a control or a place ("the Go-Live panel",
/// "the Health tab"), or after a word for pressing one ("click Done"). An instruction in plain
/// words that a button happens to say too ("Start the sandbox again.") is neutral: both front
/// ends can follow it, each in its own way.
fn names_the_desktop(text: &str, labels: &BTreeSet<String>) -> Option<String> {
    const PLACES: &[&str] = &[
        "button", "tab", "screen", "panel", "page", "view", "menu", "dialog", "window", "pane",
        "section", "step", "link", "toolbar",
    ];
    const PRESSES: &[&str] = &["press", "click", "tap", "hit"];
    let text = text.replace('\\', "");
    let word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    for l in labels {
        for (at, _) in text.match_indices(l.as_str()) {
            let before = &text[..at];
            let after = &text[at + l.len()..];
            if before.ends_with(word_char) || after.starts_with(word_char) {
                continue; // part of a longer word
            }
            let quoted = ["\"", "“", "'", "‘"]
                .iter()
                .zip(["\"", "”", "'", "’"])
                .any(|(o, c)| before.ends_with(o) && after.starts_with(c));
            let next = after
                .trim_start_matches(|c: char| "\"”'’".contains(c))
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .unwrap_or_default()
                .to_lowercase();
            let previous: Vec<String> = before
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .rev()
                .take(2)
                .map(str::to_lowercase)
                .collect();
            let pressed = previous
                .iter()
                .enumerate()
                .any(|(i, w)| PRESSES.contains(&w.as_str()) && (i == 0 || previous[0] == "the"));
            if quoted || PLACES.contains(&next.as_str()) || pressed {
                return Some(format!("the desktop's \"{l}\""));
            }
        }
    }
    None
}

/// What in `text` asks for a move only the desktop has, if anything: to paste (the CLI reads a
/// file named by a flag), or to use a file picker. The shared layer says what to give (the whole
/// key file, one key); each front end says how.
fn names_a_desktop_move(text: &str) -> Option<String> {
    let lower = text.replace('\\', "").to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "paste")
    {
        return Some("the desktop's move \"paste\"".into());
    }
    ["file picker", "drag and drop"]
        .into_iter()
        .find(|p| lower.contains(p))
        .map(|p| format!("the desktop's move \"{p}\""))
}

/// The shared layer's texts (the same files as
/// [`shared_layer_texts_name_no_cli_flag_or_command`]: the catalogue, every message, fix and
/// hint both front ends show) name no button or screen of the desktop app either, nor a move
/// only the desktop has (paste, a file picker): the words the desktop uses for them are read
/// from `ui/src`, and the desktop adds them itself (its words for a [`Hint`], or beside the
/// problem in its own view).
#[test]
fn shared_layer_texts_name_no_desktop_button_or_screen() {
    let labels = desktop_labels();
    assert!(
        labels.len() > 60,
        "the UI scan found too little: {labels:?}"
    );
    for l in [
        "Run again",
        "Start the sandbox",
        "Go-Live",
        "Health check",
        "Sandbox controls",
        "Private key",
        "Save and run the health check",
    ] {
        assert!(
            labels.contains(l),
            "{l} not found by the UI scan: {labels:?}"
        );
    }
    let caught = |t: &str| names_the_desktop(t, &labels).or_else(|| names_a_desktop_move(t));
    assert_eq!(
        caught("Look at the failed call in the Go-Live panel."),
        Some("the desktop's \"Go-Live\"".into())
    );
    assert!(caught("Press \\\"Run again\\\" once it is fixed.").is_some());
    assert!(caught("then click Run again.").is_some());
    assert!(caught("Open the Sandbox controls tab.").is_some());
    assert_eq!(caught("Start the sandbox again."), None);
    assert_eq!(caught("Run the health check again after Go-Live."), None);
    assert_eq!(caught("sign in as the user and click Allow."), None);
    // Pasting is the desktop's move (the CLI reads a file): the shared layer says what to give.
    assert!(caught("Open the key file and paste all of it.").is_some());
    assert!(caught("Paste exactly one private key.").is_some());
    assert!(caught("If a form field cut it short, use the file picker instead.").is_some());
    assert_eq!(
        caught("Use the whole key file, from the BEGIN line to the END line."),
        None
    );
    assert_eq!(caught("Values are missing from the pasted text"), None);
    let mut files = Vec::new();
    rust_files(&root().join("crates/studio-core/src"), &mut files);
    rust_files(&root().join("crates/docusign-api/src"), &mut files);
    let (mut found, mut seen) = (Vec::new(), 0);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (line, lit) in sentences(&text) {
            seen += 1;
            if let Some(what) = caught(&lit) {
                found.push(format!(
                    "{}:{line}: {what}: {lit}",
                    f.strip_prefix(root()).unwrap_or(f).display()
                ));
            }
        }
    }
    for e in CATALOG {
        for t in [e.title, e.fix] {
            if let Some(what) = caught(t) {
                found.push(format!("catalogue {}: {what}: {t}", e.code));
            }
        }
    }
    assert!(seen > 500, "the scan read too little: {seen} texts");
    assert!(
        found.is_empty(),
        "shared texts that name a desktop button or screen:\n{}",
        found.join("\n")
    );
}

/// The UI's copy of the catalogue is the catalogue.
#[test]
fn the_ui_catalogue_is_up_to_date() {
    let mut ts = String::from("// Generated by crates/studio-core/tests/message_audit.rs from studio_core::messages::CATALOG.\n// Do not edit: run `DSJWT_UPDATE_BINDINGS=1 cargo test -p studio-core --test message_audit`.\n\n/** Every error code the core returns: a headline and the fix when a failure brings none. */\nexport const CODES: Record<string, { title: string; fix: string }> = {\n");
    for e in CATALOG {
        ts.push_str(&format!(
            "  {}: {{ title: {}, fix: {} }},\n",
            e.code,
            serde_json::to_string(e.title).unwrap_or_default(),
            serde_json::to_string(e.fix).unwrap_or_default()
        ));
    }
    ts.push_str("};\n");
    generated_file_is_current("ui/src/lib/codes.gen.ts", &ts);
}

/// The health check's step titles and help are defined once, by `StepName` (the CLI prints the
/// same titles); the UI's copy, `ui/src/lib/steps.gen.ts`, is generated here.
#[test]
fn the_ui_step_titles_are_up_to_date() {
    let mut ts = String::from(
        "// Generated by crates/studio-core/tests/message_audit.rs from studio_core::health::StepName.\n\
         // Do not edit: run `DSJWT_UPDATE_BINDINGS=1 cargo test -p studio-core --test message_audit`.\n\n\
         import type { StepName } from './bindings';\n\n",
    );
    let json = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let name = |s: health::StepName| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    };
    ts.push_str("/** Titles of the health check's steps, in plain words (the CLI prints the same). */\nexport const STEP_TITLES: Record<StepName, string> = {\n");
    for s in health::StepName::ALL {
        ts.push_str(&format!("  {}: {},\n", name(s), json(s.title())));
    }
    ts.push_str("};\n\n/** What each step proves, for people who do not know OAuth. */\nexport const STEP_HELP: Record<StepName, string> = {\n");
    for s in health::StepName::ALL {
        ts.push_str(&format!("  {}: {},\n", name(s), json(s.help())));
    }
    ts.push_str("};\n");
    generated_file_is_current("ui/src/lib/steps.gen.ts", &ts);
}

/// A file this test generates for the UI: rewritten with `DSJWT_UPDATE_BINDINGS=1`, otherwise
/// the test fails when the committed copy (`rel`, from the repository root) differs from `ts`.
fn generated_file_is_current(rel: &str, ts: &str) {
    let path = root().join(rel);
    if std::env::var("DSJWT_UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, ts).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == ts,
        "{} is stale: run `DSJWT_UPDATE_BINDINGS=1 cargo test -p studio-core --test message_audit` and commit it",
        path.display()
    );
}

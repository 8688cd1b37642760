//! Property tests (proptest) on everything that reads outside input: the private-key loader,
//! the URL and ID validators, the `Content-Disposition` parser and the DocuSign JSON decoders.
//! Each target must never panic nor hang, whatever it is given, and what it accepts keeps the
//! promised shape.
//!
//! `cargo test` runs each target at a small case count (`PROPTEST_CASES`, default 256);
//! `bash scripts/fuzz.sh` runs them at 1,000,000 cases each and prints, per target, the cases
//! run, the panics and the hangs. A hang is a case over `FUZZ_TIMEOUT_MS` (default 10,000 ms):
//! proptest runs the cases in a child process and kills it when one goes over the bound.
#![allow(clippy::unwrap_used, missing_docs)]

mod fuzz;

use docusign_api::environment::{self, AuthServer, BaseUri};
use docusign_api::esign::models::ErrorDetails;
use docusign_api::esign::{
    safe_file_name, AccountInformation, DocumentId, Envelope, EnvelopeSummary, EnvelopeTemplate,
    EnvelopeUpdateSummary, EnvelopesInformation, Recipients, Tabs, TemplateRoles,
    MAX_FILE_NAME_BYTES,
};
use docusign_api::key::{load_private_key, load_private_key_bytes, PrivateKey};
use docusign_api::oauth::{OAuthErrorKind, UserInfo};
use fuzz::mutated;
use proptest::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The key loader

/// One real 2048-bit key per process, as PKCS#1 PEM text and PKCS#1 DER bytes.
fn real_key() -> &'static (String, Vec<u8>) {
    static KEY: std::sync::OnceLock<(String, Vec<u8>)> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let key = PrivateKey::generate(2048).unwrap();
        (key.to_pkcs1_pem(), key.pkcs1_der().to_vec())
    })
}

const LABELS: &[&str] = &[
    "RSA PRIVATE KEY",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "EC PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "",
];

/// PEM-shaped text: a (maybe mismatched) header and footer around base64-ish lines.
fn pem_shaped() -> impl Strategy<Value = String> {
    (
        prop::sample::select(LABELS),
        prop::sample::select(LABELS),
        "[A-Za-z0-9+/=\\\\n\r \t-]{0,600}",
        any::<bool>(),
    )
        .prop_map(|(begin, end, body, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let dashes = "-".repeat(5);
            format!("{dashes}BEGIN {begin}{dashes}{nl}{body}{nl}{dashes}END {end}{dashes}{nl}")
        })
}

#[derive(Debug, Clone)]
enum KeyInput {
    Bytes(Vec<u8>),
    Text(String),
}

fn key_input() -> impl Strategy<Value = KeyInput> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048).prop_map(KeyInput::Bytes),
        any::<String>().prop_map(KeyInput::Text),
        pem_shaped().prop_map(KeyInput::Text),
        fuzz::edits().prop_map(|e| KeyInput::Text(
            String::from_utf8_lossy(&mutated(real_key().0.as_bytes(), &e)).into_owned()
        )),
        fuzz::edits().prop_map(|e| KeyInput::Bytes(mutated(real_key().0.as_bytes(), &e))),
        fuzz::edits().prop_map(|e| KeyInput::Bytes(mutated(&real_key().1, &e))),
        // UTF-16 with a BOM, as Windows Notepad saves it, then damaged.
        fuzz::edits().prop_map(|e| {
            let mut bytes = vec![0xFF, 0xFE];
            for unit in real_key().0.encode_utf16() {
                bytes.extend_from_slice(&unit.to_le_bytes());
            }
            KeyInput::Bytes(mutated(&bytes, &e))
        }),
    ]
}

#[test]
fn key_loader() {
    fuzz::run(
        concat!(module_path!(), "::key_loader"),
        key_input(),
        |input| {
            let loaded = match &input {
                KeyInput::Bytes(b) => load_private_key_bytes(b),
                KeyInput::Text(t) => load_private_key(t),
            };
            match loaded {
                Ok(k) => {
                    let bits = k.key.bits();
                    prop_assert!((2048..=8192).contains(&bits), "{bits} bits accepted");
                }
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty());
                }
            }
            Ok(())
        },
    );
}

/// The real key survives what the loader promises to repair: surrounding blanks and CRLF.
#[test]
fn key_loader_accepts_the_real_key() {
    let (pem, der) = real_key();
    assert!(load_private_key(pem).is_ok());
    assert!(load_private_key(&format!("  \n{}\n", pem.replace('\n', "\r\n"))).is_ok());
    assert!(load_private_key_bytes(der).is_ok());
}

// ---------------------------------------------------------------------------------------------
// URL and ID validators

const HOSTS: &[&str] = &[
    "demo.docusign.net",
    "na2.docusign.net",
    "docusign.net",
    "www.docusign.net",
    "account-d.docusign.com",
    "account.docusign.com",
    "account-d.docusign.net",
    "demo.docusign.net.evil.example",
    "evildocusign.net",
    "demo.docusign.net.",
    "dеmo.docusign.net",
    "xn--dmo-jdd.docusign.net",
    "127.0.0.1",
    "[::1]",
    "localhost",
    "",
];

/// URL-shaped text: a scheme, a host (DocuSign's, lookalikes, loopback), a port, a path.
fn url_shaped() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                "https://", "http://", "HTTPS://", "ftp://", "", "//", "https:",
            ][..],
        ),
        prop_oneof![
            prop::sample::select(HOSTS).prop_map(String::from),
            "[a-z0-9.-]{0,30}"
        ],
        prop::option::of(0u32..70000),
        prop::sample::select(
            &[
                "",
                "/",
                "/restapi",
                "/restapi/v2.1",
                "/restapi/v2.1/accounts/x",
                "/oauth",
                "/?a=b#c",
            ][..],
        ),
        "\\PC{0,8}",
    )
        .prop_map(|(scheme, host, port, path, tail)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            format!("{scheme}{host}{port}{path}{tail}")
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![url_shaped(), any::<String>(), "[ -~]{0,80}"]
}

#[test]
fn url_validators() {
    fuzz::run(
        concat!(module_path!(), "::url_validators"),
        (any_text(), any_text()),
        |(a, b)| {
            let auth = AuthServer::parse(&a);
            let base = BaseUri::parse(&b);
            if let Ok(base) = &base {
                prop_assert!(base.as_str().starts_with("https://"), "{}", base.as_str());
                let _ = base.host();
                let _ = base.environment();
                let _ = base.account_api_url("x");
            }
            if let Ok(auth) = &auth {
                let _ = (
                    auth.token_url(),
                    auth.userinfo_url(),
                    auth.origin(),
                    auth.audience(),
                );
            }
            if let (Ok(auth), Ok(base)) = (&auth, &base) {
                let _ = environment::check_environment(auth, base);
            }
            if let Ok(v) = environment::check_redirect_uri(&a) {
                prop_assert_eq!(v.as_str(), a.trim());
            }
            Ok(())
        },
    );
}

/// GUID-shaped text: hex groups with dashes, braces and quotes, sometimes off by one.
fn id_shaped() -> impl Strategy<Value = String> {
    prop_oneof![
        "[{\"' ]{0,2}[0-9a-fA-F]{7,9}-[0-9a-fA-F]{3,5}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{11,13}[}\"' ]{0,2}",
        "[0-9a-fA-F-]{0,40}",
        "[0-9]{0,14}",
        "[a-z.]{0,10}@[a-z.]{0,10}",
        any::<String>(),
    ]
}

#[test]
fn id_validators() {
    fuzz::run(
        concat!(module_path!(), "::id_validators"),
        (
            id_shaped(),
            "\\PC{0,12}|[0-9]{0,30}|combined|ARCHIVE| portfolio ",
        ),
        |(id, doc)| {
            for field in ["integration key", "user ID", "account ID"] {
                if let Ok(v) = environment::check_guid(field, &id) {
                    prop_assert_eq!(v.len(), 36, "{}", v);
                    prop_assert!(
                        v.chars().all(|c| c.is_ascii_hexdigit() || c == '-'),
                        "{}",
                        v
                    );
                }
            }
            if let Some(d) = DocumentId::parse(&doc) {
                prop_assert_eq!(DocumentId::parse(&d.as_segment()), Some(d));
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Content-Disposition

/// `Content-Disposition`-shaped values: a type, `filename` and `filename*` in every quoting.
fn disposition_shaped() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        "\\PC{0,40}",
        "[a-zA-Z0-9 ._;=\"\\\\/%-]{0,40}",
        Just("../../etc/passwd".to_string()),
        Just("CON.pdf".to_string()),
    ];
    (
        prop::sample::select(&["attachment", "inline", "file", "", "form-data"][..]),
        name.clone(),
        name,
        0u8..6,
    )
        .prop_map(|(kind, a, b, form)| match form {
            0 => format!("{kind}; filename=\"{a}\""),
            1 => format!("{kind}; filename={a}"),
            2 => format!("{kind}; filename*=UTF-8''{a}"),
            3 => format!("{kind}; filename=\"{a}\"; filename*=UTF-8''{b}"),
            4 => format!("{kind}; filename*={a}'{b}"),
            _ => format!("{kind};{a}={b}"),
        })
}

#[test]
fn content_disposition() {
    fuzz::run(
        concat!(module_path!(), "::content_disposition"),
        (
            prop_oneof![disposition_shaped(), any::<String>()],
            prop::collection::vec(any::<u8>(), 0..200),
            prop::sample::select(&["pdf", "zip"][..]),
        ),
        |(header, raw, extension)| {
            let names = [
                docusign_api::esign::disposition_filename(&header),
                docusign_api::esign::disposition_filename(&docusign_api::esign::header_text(&raw)),
            ];
            for name in names.into_iter().flatten() {
                prop_assert!(!name.is_empty());
                if let Some(safe) = safe_file_name(&name, extension) {
                    check_safe(&safe)?;
                }
            }
            if let Some(safe) = safe_file_name(&header, extension) {
                check_safe(&safe)?;
            }
            Ok(())
        },
    );
}

fn check_safe(name: &str) -> Result<(), TestCaseError> {
    prop_assert!(!name.is_empty());
    prop_assert!(
        name.len() <= MAX_FILE_NAME_BYTES,
        "{} bytes: {name:?}",
        name.len()
    );
    prop_assert!(
        !name
            .chars()
            .any(|c| c.is_control() || "<>:\"/\\|?*".contains(c)),
        "{name:?}"
    );
    prop_assert!(
        !name.starts_with('.') && !name.ends_with(['.', ' ']),
        "{name:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// DocuSign JSON decoders

/// Field names DocuSign's answers use, so random documents reach deep into the decoders.
const KEYS: &[&str] = &[
    "envelopeId",
    "status",
    "envelopes",
    "totalSetSize",
    "resultSetSize",
    "startPosition",
    "endPosition",
    "nextUri",
    "customFields",
    "textCustomFields",
    "listCustomFields",
    "name",
    "value",
    "recipients",
    "signers",
    "carbonCopies",
    "certifiedDeliveries",
    "inPersonSigners",
    "agents",
    "editors",
    "intermediaries",
    "witnesses",
    "seals",
    "notaries",
    "recipientId",
    "routingOrder",
    "roleName",
    "email",
    "tabs",
    "textTabs",
    "signHereTabs",
    "listTabs",
    "radioGroupTabs",
    "checkboxTabs",
    "tabLabel",
    "listItems",
    "radios",
    "groupName",
    "selected",
    "envelopeTemplates",
    "templateId",
    "emailSubject",
    "documents",
    "accounts",
    "account_id",
    "is_default",
    "base_uri",
    "account_name",
    "sub",
    "errorCode",
    "message",
    "hostName",
    "hostEmail",
    "recipientCount",
    "sentDateTime",
    "statusChangedDateTime",
    "uri",
    "accountIdGuid",
    "accountName",
    "tabType",
    "required",
    "locked",
    "documentId",
    "pageNumber",
];

fn json_value() -> impl Strategy<Value = Value> {
    let number = prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        number,
        prop::sample::select(
            &[
                "true",
                "false",
                "1",
                "-1",
                "",
                "sent",
                "completed",
                "99999999999999999999",
                "2026-11-01T09:30:00Z"
            ][..]
        )
        .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(KEYS).prop_map(String::from),
                        "\\PC{0,6}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A real-looking envelope list, damaged byte by byte.
const SAMPLE: &str = r#"{"resultSetSize":"2","totalSetSize":"2","startPosition":"0","endPosition":"1",
"envelopes":[{"envelopeId":"0b1e2f3a-1111-4222-8333-944455566677","status":"sent",
"customFields":{"textCustomFields":[{"name":"templateId","value":"t-1"}]},
"recipients":{"signers":[{"recipientId":"1","routingOrder":"1","roleName":"Signer","name":"A",
"email":"a@example.com","tabs":{"textTabs":[{"tabLabel":"x","value":"1"}],"listTabs":[{"tabLabel":"l",
"listItems":[{"text":"a","value":"a","selected":"true"}]}],"radioGroupTabs":[{"groupName":"g",
"radios":[{"value":"r","selected":"false"}]}]}}],"inPersonSigners":[{"recipientId":"2","roleName":"Host",
"hostName":"H","hostEmail":"h@example.com"}],"recipientCount":"2"}}],"nextUri":null}"#;

fn json_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        fuzz::edits().prop_map(|e| mutated(SAMPLE.as_bytes(), &e)),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_slice(bytes).ok()
}

#[test]
fn json_decoders() {
    fuzz::run(
        concat!(module_path!(), "::json_decoders"),
        (json_input(), "\\PC{0,20}", prop::option::of("\\PC{0,40}")),
        |(bytes, error, description)| {
            if let Some(e) = decode::<Envelope>(&bytes) {
                let _ = (e.template_id(), e.text_custom_field("templateId"));
            }
            if let Some(page) = decode::<EnvelopesInformation>(&bytes) {
                for e in &page.envelopes {
                    let _ = e.template_id();
                }
            }
            if let Some(tabs) = decode::<Tabs>(&bytes) {
                for (_, tab) in tabs.iter() {
                    let _ = tab.label();
                }
                let _ = (tabs.is_empty(), tabs.collection("textTabs"));
            }
            if let Some(r) = decode::<Recipients>(&bytes) {
                let _ = r.all().count();
                let _ = TemplateRoles::from_recipients("t-1", Some("T".into()), &r);
            }
            let _ = decode::<EnvelopeSummary>(&bytes);
            let _ = decode::<EnvelopeUpdateSummary>(&bytes);
            let _ = decode::<EnvelopeTemplate>(&bytes);
            let _ = decode::<AccountInformation>(&bytes);
            let _ = decode::<ErrorDetails>(&bytes);
            let _ = decode::<UserInfo>(&bytes);
            let kind = OAuthErrorKind::parse(&error, description.as_deref());
            let shown = format!("{kind:?}");
            prop_assert!(!shown.is_empty());
            Ok(())
        },
    );
}

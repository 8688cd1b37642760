//! Private-key loading: every mangled form of one good key loads to the same fingerprint, and
//! every wrong input gets its own error code (field cases F01, F02, F04, F05, F07a).
//!
//! Keys are generated here, never stored: PEM headers are built from parts so no tracked file
//! holds a private-key header.
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use docusign_api::key::{
    load_private_key, load_private_key_bytes, KeyContainer, KeyError, KeyFormat, KeyNote,
    LoadedKey, PrivateKey,
};
use rand::{Rng, SeedableRng};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const RSA_PRIV: &str = "RSA PRIVATE KEY";
const PKCS8_PRIV: &str = "PRIVATE KEY";

struct Fixture {
    rsa: rsa::RsaPrivateKey,
    pkcs1_pem: String,
    pkcs8_pem: String,
    pkcs1_der: Vec<u8>,
    pkcs8_der: Vec<u8>,
    fingerprint: String,
}

fn fx() -> &'static Fixture {
    static FX: OnceLock<Fixture> = OnceLock::new();
    FX.get_or_init(|| {
        let rsa = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let spki = rsa.to_public_key().to_public_key_der().unwrap();
        let fingerprint = format!(
            "SHA256:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD
                .encode(Sha256::digest(spki.as_bytes()))
        );
        Fixture {
            pkcs1_pem: rsa.to_pkcs1_pem(LineEnding::LF).unwrap().to_string(),
            pkcs8_pem: rsa.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
            pkcs1_der: rsa.to_pkcs1_der().unwrap().as_bytes().to_vec(),
            pkcs8_der: rsa.to_pkcs8_der().unwrap().as_bytes().to_vec(),
            fingerprint,
            rsa,
        }
    })
}

fn small_key() -> &'static rsa::RsaPrivateKey {
    static SMALL: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    SMALL.get_or_init(|| rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap())
}

fn armour(edge: &str, label: &str) -> String {
    format!("-----{edge} {label}-----")
}

/// A PEM block with 64-column lines and LF endings.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = armour("BEGIN", label) + "\n";
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out + &armour("END", label) + "\n"
}

/// Body lines of a PEM text (everything but the armour lines).
fn body_lines(pem: &str) -> Vec<&str> {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn bare_body(pem: &str) -> String {
    body_lines(pem).concat()
}

fn load_ok(input: &str) -> LoadedKey {
    load_private_key(input).unwrap_or_else(|e| panic!("expected a key, got [{}] {e}", e.detail()))
}

fn load_err(input: &str) -> KeyError {
    match load_private_key(input) {
        Ok(k) => panic!("expected an error, got a key with notes {:?}", k.info.notes),
        Err(e) => e,
    }
}

fn assert_same_key(loaded: &LoadedKey) {
    assert_eq!(loaded.key.fingerprint(), fx().fingerprint);
    assert_eq!(loaded.info.fingerprint, fx().fingerprint);
    assert_eq!(loaded.key.bits(), 2048);
    assert_eq!(loaded.info.bits, 2048);
}

fn assert_note(loaded: &LoadedKey, note: KeyNote) {
    assert!(
        loaded.info.notes.contains(&note),
        "expected {note:?} in {:?}",
        loaded.info.notes
    );
}

/// Asserts the code and that `phrase` is in the message or the fix.
fn assert_refused(err: &KeyError, detail: &str, phrase: &str) {
    assert_eq!(err.detail(), detail, "message: {err}");
    let text = format!("{err}\n{}", err.fix());
    assert!(text.contains(phrase), "{phrase:?} not in {text:?}");
    assert_no_secret(&text);
    assert_no_secret(&format!("{err:?}"));
}

/// No 20-character run of either encoding's base64 body appears in `s`, except runs that are
/// also in the public key's PEM (the modulus is public and encodes alike).
fn assert_no_secret(s: &str) {
    let public = fx().rsa.to_public_key();
    let public_text = format!(
        "{}{}",
        bare_body(&public.to_public_key_pem(LineEnding::LF).unwrap()),
        bare_body(&public.to_pkcs1_pem(LineEnding::LF).unwrap())
    );
    for body in [bare_body(&fx().pkcs1_pem), bare_body(&fx().pkcs8_pem)] {
        for window in body.as_bytes().windows(20).step_by(5) {
            let w = std::str::from_utf8(window).unwrap();
            assert!(
                !s.contains(w) || public_text.contains(w),
                "secret fragment {w:?} leaked into {s:?}"
            );
        }
    }
}

/// DER TLV with definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

// ------------------------------------------------------------------------------------------
// Accepted forms, all the same key.

#[test]
fn pkcs1_pem_loads_without_notes() {
    let loaded = load_ok(&fx().pkcs1_pem);
    assert_same_key(&loaded);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs1);
    assert_eq!(loaded.info.container, KeyContainer::Pem);
    assert!(loaded.info.notes.is_empty(), "{:?}", loaded.info.notes);
}

#[test]
fn pkcs8_pem_loads_f05() {
    let loaded = load_ok(&fx().pkcs8_pem);
    assert_same_key(&loaded);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs8);
    assert!(loaded.info.notes.is_empty(), "{:?}", loaded.info.notes);
}

#[test]
fn fingerprint_matches_independent_computation_and_public_pem() {
    let loaded = load_ok(&fx().pkcs1_pem);
    let spki = fx().rsa.to_public_key().to_public_key_der().unwrap();
    let digest = Sha256::digest(spki.as_bytes());
    let expected = format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    assert_eq!(loaded.key.fingerprint(), expected.trim_end_matches('='));
    assert!(!loaded.key.fingerprint().contains('='));
    assert_eq!(
        loaded.key.public_key_pem(),
        fx().rsa
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap()
    );
    assert!(loaded
        .key
        .public_key_pem()
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(!loaded.key.public_key_pem().contains('\r'));
    assert_eq!(loaded.info.public_key_pem, loaded.key.public_key_pem());
    assert_eq!(
        loaded.key.public_key_pkcs1_pem(),
        fx().rsa
            .to_public_key()
            .to_pkcs1_pem(LineEnding::LF)
            .unwrap()
    );
}

#[test]
fn secret_exports_round_trip() {
    let loaded = load_ok(&fx().pkcs8_pem);
    assert_eq!(loaded.key.pkcs1_der().as_slice(), fx().pkcs1_der.as_slice());
    assert_eq!(loaded.key.to_pkcs1_pem(), fx().pkcs1_pem);
    assert_eq!(loaded.key.as_rsa(), &fx().rsa);
}

#[test]
fn escaped_newlines_f01() {
    let one_line = fx().pkcs1_pem.replace('\n', "\\n");
    assert!(!one_line.contains('\n'));
    let loaded = load_ok(&one_line);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::ConvertedEscapedNewlines);

    let crlf_escaped = fx().pkcs8_pem.replace('\n', "\\r\\n");
    let loaded = load_ok(&crlf_escaped);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::ConvertedEscapedNewlines);

    // A .env line.
    let env_line = format!("DOCUSIGN_PRIVATE_KEY=\"{one_line}\"\n");
    let loaded = load_ok(&env_line);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::IgnoredTextOutsideKey);

    // Escaped twice (JSON inside JSON).
    let loaded = load_ok(&fx().pkcs1_pem.replace('\n', "\\\\n"));
    assert_same_key(&loaded);
}

#[test]
fn json_quoted_string() {
    let json = serde_json::to_string(&fx().pkcs1_pem).unwrap();
    assert!(json.starts_with('"') && json.contains("\\n"));
    let loaded = load_ok(&json);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedSurroundingQuotes);
    assert_note(&loaded, KeyNote::ConvertedEscapedNewlines);

    // PHP-style `\/` and .NET-style `\u002B` escapes.
    let escaped = json.replace('/', "\\/").replace('+', "\\u002B");
    let loaded = load_ok(&escaped);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedEscapeSequences);

    // A whole JSON object: text outside the block is ignored.
    let object = format!("{{\"private_key\": {json}, \"kid\": \"x\"}}");
    let loaded = load_ok(&object);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::IgnoredTextOutsideKey);
}

#[test]
fn windows_editor_bom_crlf_blank_lines_trailing_spaces_f04() {
    let lines: Vec<&str> = fx().pkcs1_pem.lines().collect();
    let mut text = String::from("\u{feff}");
    for (i, line) in lines.iter().enumerate() {
        text.push_str(line);
        text.push_str("  \t\r\n");
        if i == 0 {
            text.push_str("\r\n"); // blank line after BEGIN
        }
    }
    for input in [
        load_private_key(&text),
        load_private_key_bytes(text.as_bytes()),
    ] {
        let loaded = input.unwrap();
        assert_same_key(&loaded);
        for note in [
            KeyNote::StrippedBom,
            KeyNote::NormalisedLineEndings,
            KeyNote::RemovedBlankLines,
            KeyNote::TrimmedWhitespace,
        ] {
            assert_note(&loaded, note);
        }
    }
}

#[test]
fn lone_cr_line_endings_and_outer_whitespace() {
    let loaded = load_ok(&format!(
        "\n\n   {}   \n\n",
        fx().pkcs8_pem.replace('\n', "\r")
    ));
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::NormalisedLineEndings);
    assert_note(&loaded, KeyNote::TrimmedWhitespace);
}

#[test]
fn indented_yaml_block() {
    let indented: String = fx()
        .pkcs1_pem
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    let loaded = load_ok(&indented);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedIndentation);

    let yaml = format!("docusign:\n  private_key: |\n{indented}  user_id: abc\n");
    let loaded = load_ok(&yaml);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::IgnoredTextOutsideKey);
}

#[test]
fn one_line_with_spaces_or_nothing_between_lines() {
    let spaced = fx().pkcs1_pem.trim_end().replace('\n', " ");
    let loaded = load_ok(&spaced);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::SplitOneLineKey);

    let glued = fx().pkcs8_pem.replace('\n', "");
    let loaded = load_ok(&glued);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::SplitOneLineKey);
}

#[test]
fn body_lines_of_any_length() {
    let body = bare_body(&fx().pkcs1_pem);
    let one_long_line = format!(
        "{}\n{body}\n{}\n",
        armour("BEGIN", RSA_PRIV),
        armour("END", RSA_PRIV)
    );
    assert_same_key(&load_ok(&one_long_line));

    let wrapped76: Vec<String> = body
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let mime = format!(
        "{}\n{}\n{}",
        armour("BEGIN", RSA_PRIV),
        wrapped76.join("\n"),
        armour("END", RSA_PRIV)
    );
    let loaded = load_ok(&mime);
    assert_same_key(&loaded);
    assert!(loaded.info.notes.is_empty(), "{:?}", loaded.info.notes);
}

#[test]
fn bare_base64_is_rearmoured_f02() {
    let multi_line = body_lines(&fx().pkcs1_pem).join("\n");
    let loaded = load_ok(&multi_line);
    assert_same_key(&loaded);
    assert_eq!(loaded.info.container, KeyContainer::BareBase64);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs1);
    assert_note(&loaded, KeyNote::ReArmouredBareBase64);

    let single_line = bare_body(&fx().pkcs8_pem);
    let loaded = load_ok(&single_line);
    assert_same_key(&loaded);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs8);
    assert_note(&loaded, KeyNote::ReArmouredBareBase64);

    let quoted = format!("\"{single_line}\"");
    let loaded = load_ok(&quoted);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedSurroundingQuotes);
}

#[test]
fn utf16_files_with_and_without_bom() {
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(fx().pkcs1_pem.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let loaded = load_private_key_bytes(&le).unwrap();
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedUtf16);

    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(
            fx().pkcs8_pem
                .replace('\n', "\r\n")
                .encode_utf16()
                .flat_map(u16::to_be_bytes),
        )
        .collect();
    let loaded = load_private_key_bytes(&be).unwrap();
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedUtf16);

    let le_no_bom: Vec<u8> = fx()
        .pkcs1_pem
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_same_key(&load_private_key_bytes(&le_no_bom).unwrap());
}

#[test]
fn raw_der_files() {
    let loaded = load_private_key_bytes(&fx().pkcs1_der).unwrap();
    assert_same_key(&loaded);
    assert_eq!(loaded.info.container, KeyContainer::Der);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs1);

    let loaded = load_private_key_bytes(&fx().pkcs8_der).unwrap();
    assert_same_key(&loaded);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs8);

    let mut truncated = fx().pkcs1_der.clone();
    truncated.truncate(600);
    assert_eq!(
        load_private_key_bytes(&truncated).unwrap_err().detail(),
        "truncated"
    );
}

#[test]
fn legacy_8bit_text_file() {
    // A comment in Latin-1 above the key: not UTF-8, still a readable key file.
    let mut bytes = b"# cl\xe9 DocuSign\n".to_vec();
    bytes.extend_from_slice(fx().pkcs1_pem.as_bytes());
    let loaded = load_private_key_bytes(&bytes).unwrap();
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedLegacyEncoding);
    assert_note(&loaded, KeyNote::IgnoredTextOutsideKey);
}

#[test]
fn repaired_armour_lines() {
    let body = body_lines(&fx().pkcs1_pem).join("\n");
    for (begin, end) in [
        // Word processors turn `--` into dashes.
        (
            "\u{2014}\u{2014}-BEGIN RSA PRIVATE KEY\u{2014}\u{2014}-",
            "\u{2013}\u{2013}\u{2013}\u{2013}-END RSA PRIVATE KEY-----",
        ),
        (
            "-----begin rsa private key-----",
            "-----end rsa private key-----",
        ),
        (
            "---- BEGIN RSA PRIVATE KEY ----",
            "----END  RSA  PRIVATE  KEY",
        ),
    ] {
        let loaded = load_ok(&format!("{begin}\n{body}\n{end}\n"));
        assert_same_key(&loaded);
        assert_note(&loaded, KeyNote::RepairedArmourLines);
    }
}

#[test]
fn wrong_format_label_is_read_by_content() {
    let pkcs8_body_under_pkcs1_label = pem(RSA_PRIV, &fx().pkcs8_der);
    let loaded = load_ok(&pkcs8_body_under_pkcs1_label);
    assert_same_key(&loaded);
    assert_eq!(loaded.info.format, KeyFormat::Pkcs8);
    assert_note(&loaded, KeyNote::CorrectedKeyLabel);
}

#[test]
fn config_file_encodings() {
    // XML app.config with character references (csharp client #270).
    let xml = format!(
        "<add key=\"DocuSignKey\" value=\"{}\" />",
        fx().pkcs1_pem.replace('\n', "&#xD;&#xA;")
    );
    let loaded = load_ok(&xml);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedXmlEntities);

    // URL encoding.
    let url = fx()
        .pkcs8_pem
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('\n', "%0A")
        .replace(' ', "%20");
    let loaded = load_ok(&url);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::DecodedPercentEncoding);

    // Java properties with line continuations.
    let props = format!(
        "docusign.key={}",
        fx().pkcs1_pem.trim_end().replace('\n', "\\n\\\n    ")
    );
    let loaded = load_ok(&props);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedLineContinuations);
}

#[test]
fn shell_swallowed_backslashes() {
    let mangled = fx().pkcs1_pem.trim_end().replace('\n', "n");
    let loaded = load_ok(&mangled);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::ConvertedEscapedNewlines);
}

#[test]
fn chat_and_mail_artefacts() {
    let fenced = format!("```text\n{}```", fx().pkcs1_pem);
    let loaded = load_ok(&fenced);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedCodeFence);

    let quoted_mail: String = fx().pkcs1_pem.lines().map(|l| format!("> {l}\n")).collect();
    let loaded = load_ok(&quoted_mail);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedLinePrefix);

    let with_zero_width = fx().pkcs1_pem.replacen('\n', "\u{200b}\n", 5);
    let loaded = load_ok(&with_zero_width);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::RemovedInvisibleCharacters);

    let with_prose = format!(
        "Hi, here is the key you asked for:\n\n{}\nThanks!",
        fx().pkcs8_pem
    );
    let loaded = load_ok(&with_prose);
    assert_same_key(&loaded);
    assert_note(&loaded, KeyNote::IgnoredTextOutsideKey);
}

#[test]
fn key_info_serializes_without_secrets() {
    let loaded = load_ok(&fx().pkcs1_pem.replace('\n', "\\n"));
    let json = serde_json::to_value(&loaded.info).unwrap();
    assert_eq!(json["format"], "pkcs1");
    assert_eq!(json["container"], "pem");
    assert_eq!(json["bits"], 2048);
    assert_eq!(
        json["notes"],
        serde_json::json!(["converted_escaped_newlines"])
    );
    assert_no_secret(&json.to_string());
    for note in &loaded.info.notes {
        assert!(!note.message().is_empty());
    }
}

#[test]
fn debug_output_is_redacted() {
    let loaded = load_ok(&fx().pkcs1_pem);
    let debug = format!("{:?}", loaded.key);
    assert!(
        debug.starts_with("PrivateKey { bits: 2048, fingerprint: \"SHA256:"),
        "{debug}"
    );
    assert_no_secret(&debug);
    assert_no_secret(&format!("{loaded:?}"));
}

#[test]
fn generate_makes_a_loadable_key() {
    let err = PrivateKey::generate(1024).unwrap_err();
    assert_refused(&err, "too_small", "1024");
    assert_eq!(
        PrivateKey::generate(16384).unwrap_err().detail(),
        "too_large"
    );

    let key = PrivateKey::generate(2048).unwrap();
    assert_eq!(key.bits(), 2048);
    let pem = key.to_pkcs1_pem();
    let reloaded = load_ok(&pem);
    assert_eq!(reloaded.key.fingerprint(), key.fingerprint());
    assert!(reloaded.info.notes.is_empty());
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let parsed = rsa::RsaPrivateKey::from_pkcs1_der(&key.pkcs1_der()).unwrap();
    assert_eq!(&parsed, key.as_rsa());
    assert_eq!(key.summary().fingerprint, key.fingerprint());
}

// ------------------------------------------------------------------------------------------
// Refusals, one code each.

#[test]
fn refuses_spki_public_key_f07() {
    let public = fx()
        .rsa
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let err = load_err(&public);
    assert_refused(&err, "public_key", "public half");
    assert_refused(&err, "public_key", "private key DocuSign showed once");
}

#[test]
fn refuses_pkcs1_public_key() {
    let public = fx()
        .rsa
        .to_public_key()
        .to_pkcs1_pem(LineEnding::LF)
        .unwrap();
    assert_refused(&load_err(&public), "public_key", "BEGIN RSA PUBLIC KEY");
}

#[test]
fn refuses_bare_base64_public_key() {
    let public = fx()
        .rsa
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    assert_refused(&load_err(&bare_body(&public)), "public_key", "public half");
}

#[test]
fn refuses_public_key_relabelled_as_private() {
    let spki = fx().rsa.to_public_key().to_public_key_der().unwrap();
    assert_refused(
        &load_err(&pem(RSA_PRIV, spki.as_bytes())),
        "public_key",
        "public half",
    );
}

#[test]
fn refuses_ssh_public_key_line() {
    // SSH wire format: string "ssh-rsa", mpint e, mpint n.
    let public = fx().rsa.to_public_key();
    let mut wire = Vec::new();
    for field in [
        b"ssh-rsa".to_vec(),
        public.e().to_bytes_be(),
        [vec![0u8], public.n().to_bytes_be()].concat(),
    ] {
        wire.extend_from_slice(&(field.len() as u32).to_be_bytes());
        wire.extend_from_slice(&field);
    }
    let blob = base64::engine::general_purpose::STANDARD.encode(wire);
    let err = load_err(&format!("ssh-rsa {blob} me@laptop\n"));
    assert_refused(&err, "public_key", "ssh-rsa");
    assert_refused(&load_err(&blob), "public_key", "public half");
}

#[test]
fn refuses_certificate() {
    let fake = pem("CERTIFICATE", &[0x30, 0x03, 0x02, 0x01, 0x00]);
    assert_refused(&load_err(&fake), "certificate", "certificate");
}

#[test]
fn refuses_encrypted_pkcs8() {
    let fake = pem("ENCRYPTED PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x00]);
    let err = load_err(&fake);
    assert_refused(&err, "encrypted", "without its password");
    assert_refused(&err, "encrypted", "unencrypted");
    // Plain words: each front end adds its own way (a command in the CLI, a screen in the app).
    assert!(!err.fix().contains('`'), "{}", err.fix());
    assert!(!err.fix().contains("openssl"), "{}", err.fix());
}

#[test]
fn refuses_proc_type_encrypted_pkcs1() {
    let body = body_lines(&fx().pkcs1_pem).join("\n");
    let legacy = format!(
        "{}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n{body}\n{}\n",
        armour("BEGIN", RSA_PRIV),
        armour("END", RSA_PRIV)
    );
    assert_refused(&load_err(&legacy), "encrypted", "Proc-Type");
}

#[test]
fn refuses_ec_private_key_label() {
    let fake = pem("EC PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x01]);
    let err = load_err(&fake);
    assert_refused(&err, "ec_key", "RS256");
    assert!(!err.fix().contains('`'), "{}", err.fix());
    assert!(!err.fix().contains("openssl"), "{}", err.fix());
}

#[test]
fn refuses_pkcs8_with_ec_and_ed25519_oids() {
    // PrivateKeyInfo { 0, { id-ecPublicKey, prime256v1 }, OCTET STRING { SEC1 key } }.
    let alg = tlv(
        0x30,
        &[
            tlv(0x06, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]),
            tlv(0x06, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]),
        ]
        .concat(),
    );
    let sec1 = tlv(0x30, &[tlv(0x02, &[1]), tlv(0x04, &[7u8; 32])].concat());
    let ec_pkcs8 = tlv(0x30, &[tlv(0x02, &[0]), alg, tlv(0x04, &sec1)].concat());
    let err = load_err(&pem(PKCS8_PRIV, &ec_pkcs8));
    assert_refused(&err, "ec_key", "RS256");
    // The same bytes as a bare body and as a DER file.
    assert_eq!(
        load_err(&bare_body(&pem(PKCS8_PRIV, &ec_pkcs8))).detail(),
        "ec_key"
    );
    assert_eq!(
        load_private_key_bytes(&ec_pkcs8).unwrap_err().detail(),
        "ec_key"
    );
    // A SEC1 body under an RSA label.
    assert_eq!(load_err(&pem(RSA_PRIV, &sec1)).detail(), "ec_key");

    let ed25519 = tlv(
        0x30,
        &[
            tlv(0x02, &[0]),
            tlv(0x30, &tlv(0x06, &[0x2B, 0x65, 0x70])),
            tlv(0x04, &tlv(0x04, &[9u8; 32])),
        ]
        .concat(),
    );
    assert_refused(&load_err(&pem(PKCS8_PRIV, &ed25519)), "ec_key", "Ed25519");
}

#[test]
fn refuses_openssh_private_key() {
    let fake = pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\0none\0none\0");
    let err = load_err(&fake);
    assert_refused(&err, "unsupported_key_type", "OpenSSH");
    // What to do, with no command: each front end adds its own way (the CLI `ssh-keygen`).
    assert_refused(
        &err,
        "unsupported_key_type",
        "use a copy of it converted to PEM",
    );
    assert!(!err.fix().contains("ssh-keygen"), "{}", err.fix());
}

#[test]
fn refuses_pkcs12_bundle() {
    // A PKCS#12 bundle's outer shape: SEQUENCE { INTEGER 3 (version), ContentInfo (data) }.
    let pfx = [
        0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
        0x01, 0x07, 0x01,
    ];
    let err = load_private_key_bytes(&pfx).unwrap_err();
    assert_refused(&err, "unsupported_key_type", "PKCS#12");
    assert_refused(
        &err,
        "unsupported_key_type",
        "the private key taken out of the bundle",
    );
    assert!(!err.fix().contains("openssl"), "{}", err.fix());
}

#[test]
fn refuses_putty_key() {
    let ppk = "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key\nPublic-Lines: 1\nAAAA\n";
    assert_refused(&load_err(ppk), "unsupported_key_type", "PuTTYgen");
}

#[test]
fn refuses_1024_bit_key() {
    let small = small_key().to_pkcs1_pem(LineEnding::LF).unwrap();
    let err = load_err(&small);
    assert_refused(&err, "too_small", "1024 bits");
    assert_refused(&err, "too_small", "2048");
}

#[test]
fn refuses_missing_begin_f02() {
    let without_begin: String = fx()
        .pkcs1_pem
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    let err = load_err(&without_begin);
    assert_refused(&err, "missing_begin", "start of the key is missing");
    assert_refused(&err, "missing_begin", &armour("BEGIN", RSA_PRIV));
}

#[test]
fn refuses_missing_end_truncated_paste_f01_f02() {
    let lines: Vec<&str> = fx().pkcs1_pem.lines().collect();
    let cut = lines[..lines.len() - 3].join("\n");
    let err = load_err(&cut);
    assert_refused(&err, "missing_end", "cut off");
    assert_refused(&err, "missing_end", &armour("END", RSA_PRIV));

    // Escaped one-line key cut inside the END line.
    let escaped = fx().pkcs1_pem.trim_end().replace('\n', "\\n");
    let err = load_err(&escaped[..escaped.len() - 12]);
    assert_refused(&err, "missing_end", "cut off");
}

#[test]
fn refuses_label_mismatch_f02() {
    let body = body_lines(&fx().pkcs1_pem).join("\n");
    let mixed = format!(
        "{}\n{body}\n{}\n",
        armour("BEGIN", RSA_PRIV),
        armour("END", PKCS8_PRIV)
    );
    let err = load_err(&mixed);
    assert_refused(&err, "label_mismatch", "BEGIN RSA PRIVATE KEY");
    assert_refused(&err, "label_mismatch", "END PRIVATE KEY");
}

#[test]
fn refuses_two_private_keys() {
    let two = format!(
        "{}\n{}",
        fx().pkcs1_pem,
        small_key().to_pkcs1_pem(LineEnding::LF).unwrap().as_str()
    );
    assert_refused(&load_err(&two), "multiple_keys", "2 private keys");
    let same_twice = format!("{}{}", fx().pkcs1_pem, fx().pkcs8_pem);
    assert_refused(&load_err(&same_twice), "multiple_keys", "use only one");
}

#[test]
fn refuses_private_key_plus_public_key() {
    // What copying DocuSign's whole key-pair dialog gives.
    let public = fx()
        .rsa
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let dialog = format!("Public Key\n{public}\nPrivate Key\n{}", fx().pkcs1_pem);
    let err = load_err(&dialog);
    assert_refused(&err, "multiple_keys", "a public key (BEGIN PUBLIC KEY)");
    assert_refused(&err, "multiple_keys", "use only the private key");

    let with_cert = format!("{}{}", fx().pkcs1_pem, pem("CERTIFICATE", &[0x30, 0x00]));
    assert_refused(&load_err(&with_cert), "multiple_keys", "a certificate");
}

#[test]
fn refuses_smart_quote_in_body_with_line_number() {
    let mut lines: Vec<String> = fx().pkcs1_pem.lines().map(str::to_string).collect();
    lines[4].replace_range(10..11, "\u{201C}");
    let err = load_err(&lines.join("\n"));
    assert_refused(&err, "invalid_base64", "Line 5");
    assert_refused(&err, "invalid_base64", "U+201C");
    assert_refused(&err, "invalid_base64", "curly quote");
    assert!(
        matches!(
            err,
            KeyError::InvalidBase64 {
                line: 5,
                column: 11,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn refuses_chat_ellipsis() {
    let lines: Vec<&str> = fx().pkcs1_pem.lines().collect();
    let shortened = format!(
        "{}\n{}\n{}…\n{}\n",
        lines[0],
        lines[1],
        &lines[2][..20],
        lines[lines.len() - 1]
    );
    let err = load_err(&shortened);
    assert_refused(&err, "invalid_base64", "ellipsis");
    assert_refused(&err, "invalid_base64", "Line 3");

    // The same in a bare body.
    let bare = format!(
        "{}…{}",
        &bare_body(&fx().pkcs1_pem)[..300],
        &bare_body(&fx().pkcs1_pem)[600..]
    );
    assert_refused(&load_err(&bare), "invalid_base64", "ellipsis");
}

#[test]
fn refuses_guid_token_path_and_prose() {
    let err = load_err("  1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d \n");
    assert_refused(&err, "not_a_key", "integration key");
    assert_refused(
        &load_err("{8f3b2c1a-0000-4c4c-9c9c-abcdefabcdef}"),
        "not_a_key",
        "user ID",
    );
    let token = "eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    assert_refused(&load_err(token), "not_a_key", "token");
    assert_refused(
        &load_err("C:\\Users\\me\\Downloads\\private.key"),
        "not_a_key",
        "file path",
    );
    assert_refused(
        &load_err("/home/me/keys/docusign.pem"),
        "not_a_key",
        "file path",
    );
    assert_refused(
        &load_err("my password is hunter2"),
        "not_a_key",
        "not a private key",
    );
}

#[test]
fn refuses_empty_and_whitespace() {
    for input in ["", "   ", "\n\r\n\t", "\u{feff}", "\"\"", "\u{200b} \n"] {
        assert_refused(&load_err(input), "empty", "empty");
    }
    assert_eq!(load_private_key_bytes(b"").unwrap_err().detail(), "empty");
    assert_eq!(
        load_private_key_bytes(&[0xFF, 0xFE]).unwrap_err().detail(),
        "empty"
    );
}

#[test]
fn refuses_damaged_body() {
    let mut lines: Vec<String> = fx().pkcs1_pem.lines().map(str::to_string).collect();
    let middle = lines.len() / 2;
    for line in [middle, middle + 1] {
        let flipped: String = lines[line]
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if (20..28).contains(&i) {
                    if c == 'A' {
                        'B'
                    } else {
                        'A'
                    }
                } else {
                    c
                }
            })
            .collect();
        lines[line] = flipped;
    }
    let err = load_err(&lines.join("\n"));
    assert_refused(&err, "corrupt", "damaged");
}

#[test]
fn refuses_truncated_body_with_end_line() {
    let lines: Vec<&str> = fx().pkcs1_pem.lines().collect();
    let half = format!(
        "{}\n{}\n",
        lines[..lines.len() / 2].join("\n"),
        lines[lines.len() - 1]
    );
    let err = load_err(&half);
    assert_refused(&err, "truncated", "part of the key");
}

#[test]
fn refuses_non_text_bytes() {
    let err = load_private_key_bytes(b"\x80\x81\x82 not text \xfe\xfd").unwrap_err();
    assert_refused(&err, "not_utf8", "byte 0");
}

#[test]
fn refuses_huge_input_without_scanning_it() {
    let huge = "A".repeat(docusign_api::key::MAX_INPUT_BYTES + 1);
    assert_refused(&load_err(&huge), "not_a_key", "far more than a key file");
    let err = load_private_key_bytes(huge.as_bytes()).unwrap_err();
    assert_eq!(err.detail(), "not_a_key");
}

#[test]
fn latin1_file_holding_a_public_key_says_public_key() {
    let public = fx()
        .rsa
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let mut bytes = b"# cl\xe9 publique\n".to_vec();
    bytes.extend_from_slice(public.as_bytes());
    assert_eq!(
        load_private_key_bytes(&bytes).unwrap_err().detail(),
        "public_key"
    );
}

#[test]
fn refuses_other_pem_block() {
    let csr = pem("CERTIFICATE REQUEST", &[0x30, 0x00]);
    assert_refused(&load_err(&csr), "not_a_key", "CERTIFICATE REQUEST");
}

// ------------------------------------------------------------------------------------------
// Robustness: no panic on any input; no secret in any error.

#[test]
fn no_panic_on_random_or_mangled_input() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    // Random bytes, including DER-looking and UTF-16-looking prefixes.
    for i in 0..3000 {
        let len = rng.gen_range(0..400);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        match i % 4 {
            0 if bytes.len() > 2 => bytes[..2].copy_from_slice(&[0x30, 0x82]),
            1 if bytes.len() > 2 => bytes[..2].copy_from_slice(&[0xFF, 0xFE]),
            _ => {}
        }
        if let Err(e) = load_private_key_bytes(&bytes) {
            let _ = (e.to_string(), e.fix(), e.detail());
        }
    }
    // Random text built from the characters that matter.
    let alphabet: Vec<char> = "-BEGINDRSAPVTKY \n\r\\n\"'&#x;%0AMIIE+/=:“…—\u{feff}"
        .chars()
        .collect();
    for _ in 0..3000 {
        let len = rng.gen_range(0..200);
        let s: String = (0..len)
            .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
            .collect();
        let _ = load_private_key(&s);
    }
    // Every truncation of both PEMs and of the DER.
    let pem1 = &fx().pkcs1_pem;
    for end in 0..pem1.len() {
        if let Err(e) = load_private_key(&pem1[..end]) {
            assert_no_secret(&e.to_string());
            assert_no_secret(&e.fix());
        }
    }
    for end in (0..fx().pkcs8_pem.len()).step_by(3) {
        let _ = load_private_key(&fx().pkcs8_pem[..end]);
    }
    for end in 0..fx().pkcs1_der.len() {
        let _ = load_private_key_bytes(&fx().pkcs1_der[..end]);
    }
    // Random single-character and single-byte damage.
    let chars: Vec<char> = pem1.chars().collect();
    for _ in 0..300 {
        let mut damaged = chars.clone();
        let at = rng.gen_range(0..damaged.len());
        damaged[at] = alphabet[rng.gen_range(0..alphabet.len())];
        let s: String = damaged.into_iter().collect();
        if let Err(e) = load_private_key(&s) {
            assert_no_secret(&format!("{e} {} {e:?}", e.fix()));
        }
    }
    for _ in 0..300 {
        let mut der = fx().pkcs8_der.clone();
        let at = rng.gen_range(0..der.len());
        der[at] = rng.gen();
        let _ = load_private_key_bytes(&der);
    }
}

#[test]
fn errors_are_send_sync_and_labels_never_echo_body_chunks() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<KeyError>();
    assert_send_sync::<PrivateKey>();

    // A garbled BEGIN line followed by a body in short space-separated chunks.
    let chunks: Vec<String> = bare_body(&fx().pkcs1_pem)
        .as_bytes()
        .chunks(12)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let garbled = format!("-----BEGIN SECRET {}", chunks.join(" "));
    let err = load_err(&garbled);
    let text = format!("{err} {} {err:?}", err.fix());
    for chunk in &chunks[2..] {
        assert!(!text.contains(chunk.as_str()), "{chunk} leaked into {text}");
    }
}

/// Issue #11: the key travels from the keyring (or a file, or a paste) to the parser in one
/// type that never prints it; its bytes load as the key they are.
#[test]
fn private_key_bytes_never_print_the_key_and_load_as_it() {
    let key = docusign_api::key::PrivateKey::generate(2048).unwrap();
    let pem = key.to_pkcs1_pem();
    let bytes = docusign_api::key::PrivateKeyBytes::from_text(pem.clone());
    assert_eq!(
        format!("{bytes:?}"),
        format!("PrivateKeyBytes(<redacted, {} bytes>)", pem.len())
    );
    assert_eq!(bytes.len(), pem.len());
    let loaded = docusign_api::key::load_private_key_bytes(bytes.expose()).unwrap();
    assert_eq!(loaded.info.fingerprint, key.fingerprint());
}

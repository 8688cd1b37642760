//! Loading the RSA private key of a DocuSign JWT Grant connection.
//!
//! Pasting the private key is where people get stuck most, so the loader accepts every way a
//! good key gets mangled on its way from DocuSign's download to our key field, and refuses
//! everything else with a specific [`KeyError`] that says what was found and what to do.
//!
//! Accepted, all giving the same key and [fingerprint](PrivateKey::fingerprint):
//! - PKCS#1 (`BEGIN RSA PRIVATE KEY`, DocuSign's download) and PKCS#8 (`BEGIN PRIVATE KEY`,
//!   OpenSSL 3's default), field case F05; also a label that names the wrong one of the two.
//! - Literal `\n` / `\r\n` escapes (one-line keys from `.env`, JSON, properties), JSON `\uXXXX`
//!   and `\/` escapes, line-continuation backslashes, XML `&#xA;` and URL `%0A` encodings, and
//!   surrounding quotes or Markdown code fences, field case F01.
//!   Also a one-line key whose backslashes a shell swallowed (`…-----nMIIE…n-----END…`).
//! - UTF-8 BOM, UTF-16 files, CRLF and lone CR, blank lines, indentation, trailing spaces,
//!   zero-width characters, `> ` or `# ` before every line, field case F04.
//! - A key on one line with spaces (or nothing) where the line breaks were, long or short body
//!   lines, BEGIN/END lines with missing or typographic dashes or lower case.
//! - A bare base64 body without BEGIN/END lines, re-armoured (field case F02), and a raw DER file.
//!
//! Then the key must be a consistent RSA key (`validate()` plus the CRT values stored in the file)
//! of at least [`MIN_BITS`] bits. Public keys and certificates (field case F07a), encrypted, EC,
//! OpenSSH, PuTTY and other keys are refused with their own [`KeyError`] code.
//!
//! ```
//! # fn demo(pasted: &str) {
//! use docusign_api::key::load_private_key;
//! match load_private_key(pasted) {
//!     Ok(loaded) => {
//!         for note in &loaded.info.notes {
//!             println!("we fixed: {}", note.message());
//!         }
//!         println!("{} bits, {}", loaded.info.bits, loaded.info.fingerprint);
//!     }
//!     Err(e) => println!("[{}] {}\n{}", e.detail(), e, e.fix()),
//! }
//! # }
//! ```

mod der;
mod error;
mod pem;
mod text;

pub use error::{CorruptReason, KeyError, NotAKeyKind, UnsupportedKind};
/// Wrapper that wipes its contents from memory on drop; returned by [`PrivateKey::pkcs1_der`].
pub use rsa::pkcs8::der::zeroize::Zeroizing;

use base64::Engine as _;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// **Secret.** A private key as read or typed, before parsing: a key file's bytes, pasted
/// text, or the PEM kept in the OS keyring. The one type the key travels in from where it is
/// stored to [`load_private_key_bytes`]: wiped from memory when dropped, and `Debug` shows only
/// its length (`PrivateKeyBytes(<redacted, 1704 bytes>)`); there is no `Display` and no
/// `Serialize`. Get the bytes out only on purpose, with [`PrivateKeyBytes::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PrivateKeyBytes(Zeroizing<Vec<u8>>);

impl PrivateKeyBytes {
    /// Takes ownership of `bytes` (no copy is left behind).
    pub fn new(bytes: Vec<u8>) -> Self {
        PrivateKeyBytes(Zeroizing::new(bytes))
    }

    /// Takes ownership of PEM or pasted `text` (no copy is left behind).
    pub fn from_text(text: String) -> Self {
        PrivateKeyBytes::new(text.into_bytes())
    }

    /// **Secret.** The bytes, for the key parser.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The length, in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Zeroizing<Vec<u8>>> for PrivateKeyBytes {
    fn from(bytes: Zeroizing<Vec<u8>>) -> Self {
        PrivateKeyBytes(bytes)
    }
}

impl fmt::Debug for PrivateKeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKeyBytes(<redacted, {} bytes>)", self.0.len())
    }
}

/// Smallest accepted RSA modulus, in bits (DocuSign generates 2048-bit pairs).
pub const MIN_BITS: usize = 2048;

/// Longest accepted input, in bytes (1 MiB). A 2048-bit key file is about 1.7 KB; anything this
/// large is some other file and is refused as [`NotAKeyKind::TooLong`] without being scanned.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Largest accepted RSA modulus, in bits, for loading and for [`PrivateKey::generate`].
pub const MAX_BITS: usize = 8192;

/// An RSA private key ready for RS256 signing.
///
/// `Debug` is redacted (`PrivateKey { bits: 2048, fingerprint: "SHA256:…", .. }`); there is no
/// `Display` and no `Serialize`, so the secret cannot end up in logs or JSON by accident. Get the
/// secret out only on purpose with [`PrivateKey::pkcs1_der`] or [`PrivateKey::to_pkcs1_pem`].
#[derive(Clone)]
pub struct PrivateKey {
    inner: RsaPrivateKey,
    bits: usize,
    fingerprint: String,
    public_key_pem: String,
    public_key_pkcs1_pem: String,
    pkcs1_der: Zeroizing<Vec<u8>>,
}

impl PrivateKey {
    /// Wraps an RSA key after checking it: consistent (`validate()`) and between [`MIN_BITS`] and
    /// [`MAX_BITS`] bits.
    ///
    /// # Errors
    /// [`KeyError::Corrupt`] if inconsistent, [`KeyError::TooSmall`] / [`KeyError::TooLarge`] for
    /// the size.
    pub fn from_rsa(inner: RsaPrivateKey) -> Result<PrivateKey, KeyError> {
        let bits = inner.n().bits();
        if bits > MAX_BITS {
            return Err(KeyError::TooLarge { bits });
        }
        inner
            .validate()
            .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
        if bits < MIN_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        let public = inner.to_public_key();
        let spki = public
            .to_public_key_der()
            .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
        let fingerprint = format!(
            "SHA256:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD
                .encode(Sha256::digest(spki.as_bytes()))
        );
        let public_key_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
        let public_key_pkcs1_pem = public
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
        let pkcs1_der = Zeroizing::new(
            inner
                .to_pkcs1_der()
                .map_err(|_| corrupt(CorruptReason::Inconsistent))?
                .as_bytes()
                .to_vec(),
        );
        Ok(PrivateKey {
            inner,
            bits,
            fingerprint,
            public_key_pem,
            public_key_pkcs1_pem,
            pkcs1_der,
        })
    }

    /// Generates a new key pair of `bits` bits (use 2048, what DocuSign generates) from the OS
    /// random source (`OsRng`). Takes about a second for 2048 bits in an optimised build.
    ///
    /// # Errors
    /// [`KeyError::TooSmall`] if `bits < 2048`, [`KeyError::TooLarge`] if `bits > 8192`,
    /// [`KeyError::GenerateFailed`] if the RSA library fails.
    pub fn generate(bits: usize) -> Result<PrivateKey, KeyError> {
        if bits < MIN_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        if bits > MAX_BITS {
            return Err(KeyError::TooLarge { bits });
        }
        let inner = RsaPrivateKey::new(&mut rand::rngs::OsRng, bits).map_err(|e| {
            KeyError::GenerateFailed {
                reason: e.to_string(),
            }
        })?;
        PrivateKey::from_rsa(inner)
    }

    /// Modulus length in bits (e.g. 2048).
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// `"SHA256:"` + base64 (standard alphabet, no `=` padding) of the SHA-256 of the public key's
    /// SPKI DER: the same as
    /// `openssl pkey -pubout -outform DER | openssl dgst -sha256 -binary | base64` minus `=`.
    /// Public information; safe to show and log (field case F07b shows it).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The public key as SPKI PEM (`BEGIN PUBLIC KEY`, LF line endings, trailing newline): what
    /// you upload to the integration key in DocuSign.
    pub fn public_key_pem(&self) -> String {
        self.public_key_pem.clone()
    }

    /// The public key as PKCS#1 PEM (`BEGIN RSA PUBLIC KEY`, LF line endings).
    pub fn public_key_pkcs1_pem(&self) -> String {
        self.public_key_pkcs1_pem.clone()
    }

    /// **Secret.** The private key as PKCS#1 DER bytes, e.g. for
    /// `jsonwebtoken::EncodingKey::from_rsa_der`. Wiped from memory when dropped; don't copy it
    /// into plain `Vec`s or logs.
    pub fn pkcs1_der(&self) -> Zeroizing<Vec<u8>> {
        self.pkcs1_der.clone()
    }

    /// **Secret.** The private key as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`, 64-column lines, LF
    /// line endings, trailing newline), for writing a generated key to a file or the OS keyring.
    /// Never log it; drop it as soon as it is stored.
    pub fn to_pkcs1_pem(&self) -> String {
        let body = base64::engine::general_purpose::STANDARD.encode(self.pkcs1_der.as_slice());
        let mut pem = String::with_capacity(body.len() + body.len() / 64 + 64);
        pem.push_str(&error::armour("BEGIN", "RSA PRIVATE KEY"));
        pem.push('\n');
        // `body` is ASCII, so splitting on byte boundaries is safe.
        for line in body.as_bytes().chunks(64) {
            pem.extend(line.iter().map(|&b| char::from(b)));
            pem.push('\n');
        }
        pem.push_str(&error::armour("END", "RSA PRIVATE KEY"));
        pem.push('\n');
        drop(Zeroizing::new(body));
        pem
    }

    /// The underlying `rsa` crate key, for signing with `rsa::pkcs1v15::SigningKey<Sha256>`.
    pub fn as_rsa(&self) -> &RsaPrivateKey {
        &self.inner
    }

    /// A [`KeyInfo`] for this key as it would be stored: PKCS#1 PEM, no notes. Handy for a freshly
    /// [generated](PrivateKey::generate) key.
    pub fn summary(&self) -> KeyInfo {
        KeyInfo {
            bits: self.bits,
            fingerprint: self.fingerprint.clone(),
            public_key_pem: self.public_key_pem.clone(),
            format: KeyFormat::Pkcs1,
            container: KeyContainer::Pem,
            notes: Vec::new(),
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// What the loader repaired on the way (shown to the user as "we fixed: …").
///
/// Serialized as snake_case strings, e.g. `"converted_escaped_newlines"`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyNote {
    /// Removed a byte-order mark at the start (F04).
    StrippedBom,
    /// Read a UTF-16 file (Windows Notepad "Unicode").
    DecodedUtf16,
    /// Read a file that was not UTF-8 as Latin-1 / Windows-1252.
    DecodedLegacyEncoding,
    /// Removed zero-width or soft-hyphen characters.
    RemovedInvisibleCharacters,
    /// Removed spaces, tabs or blank lines around the key or at line ends (F04).
    TrimmedWhitespace,
    /// Removed Markdown ``` code-block markers around the key.
    RemovedCodeFence,
    /// Removed quotes around the key (e.g. a JSON string value).
    RemovedSurroundingQuotes,
    /// Turned literal `\n` / `\r\n` sequences into line breaks (F01).
    ConvertedEscapedNewlines,
    /// Removed line-continuation backslashes at line ends (properties files).
    RemovedLineContinuations,
    /// Decoded other escape sequences such as `\u002B` or `\/` (JSON).
    DecodedEscapeSequences,
    /// Decoded XML character references such as `&#xA;` (app.config, F02).
    DecodedXmlEntities,
    /// Decoded URL encoding such as `%0A` and `%2B`.
    DecodedPercentEncoding,
    /// Converted Windows (CRLF) or old Mac (CR) line endings (F04).
    NormalisedLineEndings,
    /// Removed `>`, `#`, `//` or `;` marks in front of every line (mail quotes, comments).
    RemovedLinePrefix,
    /// Removed indentation in front of the lines (YAML, config files).
    RemovedIndentation,
    /// Removed blank lines inside the key (F04).
    RemovedBlankLines,
    /// Split a key that had been pasted on a single line (newlines lost or turned into spaces).
    SplitOneLineKey,
    /// Repaired the BEGIN/END lines (dashes, spacing or letter case).
    RepairedArmourLines,
    /// Ignored text before or after the key block.
    IgnoredTextOutsideKey,
    /// The BEGIN/END lines named the other format (PKCS#1 vs PKCS#8); read the key by content.
    CorrectedKeyLabel,
    /// Added the missing BEGIN/END lines around a bare base64 key (F02).
    ReArmouredBareBase64,
}

impl KeyNote {
    /// A short sentence for the user, e.g. "turned literal \n sequences into line breaks".
    pub fn message(&self) -> &'static str {
        match self {
            KeyNote::StrippedBom => "removed an invisible byte-order mark (BOM) at the start",
            KeyNote::DecodedUtf16 => "read the file as UTF-16 text (Windows \"Unicode\")",
            KeyNote::DecodedLegacyEncoding => "read the file as Windows-1252 / Latin-1 text",
            KeyNote::RemovedInvisibleCharacters => {
                "removed invisible characters (zero-width spaces)"
            }
            KeyNote::TrimmedWhitespace => {
                "removed spaces and blank lines around the key and at line ends"
            }
            KeyNote::RemovedCodeFence => "removed the ``` code-block markers around the key",
            KeyNote::RemovedSurroundingQuotes => "removed the quotes around the key",
            KeyNote::ConvertedEscapedNewlines => "turned literal \\n sequences into line breaks",
            KeyNote::RemovedLineContinuations => "removed backslashes at the ends of lines",
            KeyNote::DecodedEscapeSequences => "decoded escape sequences such as \\u002B",
            KeyNote::DecodedXmlEntities => "decoded XML character codes such as &#xA;",
            KeyNote::DecodedPercentEncoding => "decoded URL encoding such as %0A",
            KeyNote::NormalisedLineEndings => {
                "converted Windows (CRLF) or old Mac (CR) line endings"
            }
            KeyNote::RemovedLinePrefix => {
                "removed the quote or comment marks in front of every line"
            }
            KeyNote::RemovedIndentation => "removed the indentation in front of the lines",
            KeyNote::RemovedBlankLines => "removed blank lines inside the key",
            KeyNote::SplitOneLineKey => "split a key that had been pasted as a single line",
            KeyNote::RepairedArmourLines => {
                "repaired the BEGIN/END lines (dashes, spacing or letter case)"
            }
            KeyNote::IgnoredTextOutsideKey => "ignored the text before or after the key",
            KeyNote::CorrectedKeyLabel => {
                "the BEGIN/END lines named the wrong key format; read the key by its content"
            }
            KeyNote::ReArmouredBareBase64 => {
                "added the missing BEGIN/END lines around the key text"
            }
        }
    }
}

impl fmt::Display for KeyNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// How the RSA key was encoded inside its container. Serialized as `"pkcs1"` / `"pkcs8"`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyFormat {
    /// PKCS#1 `RSAPrivateKey` (`BEGIN RSA PRIVATE KEY`; DocuSign's download).
    Pkcs1,
    /// PKCS#8 `PrivateKeyInfo` (`BEGIN PRIVATE KEY`; OpenSSL 3's default).
    Pkcs8,
}

/// What the key arrived in. Serialized as `"pem"` / `"bare_base64"` / `"der"`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyContainer {
    /// PEM text with BEGIN/END lines.
    Pem,
    /// Base64 text without BEGIN/END lines (see [`KeyNote::ReArmouredBareBase64`]).
    BareBase64,
    /// Raw DER bytes (a `.der` file), only from [`load_private_key_bytes`].
    Der,
}

/// Summary of a loaded key, safe to show, log and serialize: no secret material.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyInfo {
    /// Modulus length in bits.
    pub bits: usize,
    /// See [`PrivateKey::fingerprint`].
    pub fingerprint: String,
    /// See [`PrivateKey::public_key_pem`].
    pub public_key_pem: String,
    /// PKCS#1 or PKCS#8, by content.
    pub format: KeyFormat,
    /// PEM, bare base64 or DER.
    pub container: KeyContainer,
    /// What was repaired, in the order it was done; empty for a clean key.
    pub notes: Vec<KeyNote>,
}

/// A loaded key with its summary. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub struct LoadedKey {
    /// The key, ready for signing.
    pub key: PrivateKey,
    /// What it is and what was repaired.
    pub info: KeyInfo,
}

/// Loads a pasted private key (field cases F01, F02, F04, F05, F07a).
///
/// Accepts PKCS#1 or PKCS#8 RSA keys of 2048..=8192 bits, repairing what editors, chat apps,
/// config formats and shells do to them (see the [module docs](self)); every repair is listed in
/// [`KeyInfo::notes`].
///
/// # Errors
/// A [`KeyError`] naming what was found instead: see [`KeyError::detail`] for the codes.
pub fn load_private_key(input: &str) -> Result<LoadedKey, KeyError> {
    load_text(input, Vec::new())
}

/// Loads a private key from a file's bytes: UTF-8 (with or without BOM), UTF-16 LE/BE (Windows
/// Notepad "Unicode", with or without BOM), Latin-1 text, or a raw DER key (`.der` file).
/// Otherwise as [`load_private_key`].
///
/// # Errors
/// As [`load_private_key`], plus [`KeyError::NotUtf8`] for bytes that are neither text nor DER.
pub fn load_private_key_bytes(input: &[u8]) -> Result<LoadedKey, KeyError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(KeyError::NotAKey {
            looks_like: NotAKeyKind::TooLong { bytes: input.len() },
        });
    }
    if let Some(rest) = input.strip_prefix(&[0xFF, 0xFE]) {
        return load_utf16(rest, u16::from_le_bytes, 2);
    }
    if let Some(rest) = input.strip_prefix(&[0xFE, 0xFF]) {
        return load_utf16(rest, u16::from_be_bytes, 2);
    }
    // UTF-16 without a BOM: ASCII text with a NUL after (LE) or before (BE) every character.
    if input.len() >= 4 && input.len() & 1 == 0 {
        if input[0] != 0 && input[1] == 0 && input[2] != 0 && input[3] == 0 {
            return load_utf16(input, u16::from_le_bytes, 0);
        }
        if input[0] == 0 && input[1] != 0 && input[2] == 0 && input[3] != 0 {
            return load_utf16(input, u16::from_be_bytes, 0);
        }
    }
    let utf8 = std::str::from_utf8(input);
    if looks_like_der(input) || (utf8.is_err() && input.first() == Some(&0x30)) {
        match der::decode_private(input) {
            Ok((rsa, format)) => return finish(rsa, format, KeyContainer::Der, Vec::new()),
            Err(der::DerError::Key(e)) => return Err(e),
            Err(der::DerError::NotDer) => {}
        }
    }
    match utf8 {
        Ok(text) => load_text(text, Vec::new()),
        Err(e) => {
            let offset = e.valid_up_to();
            // A PEM file saved in a legacy 8-bit encoding (a comment line with an accent, say):
            // read it as Latin-1. Keep a key, or a refusal about what the file holds (a public
            // key, say); errors about odd characters would misname the bytes, so say not_utf8.
            let latin1: Zeroizing<String> =
                Zeroizing::new(input.iter().map(|&b| char::from(b)).collect());
            load_text(&latin1, vec![KeyNote::DecodedLegacyEncoding]).map_err(|e| match e {
                KeyError::InvalidBase64 { .. } | KeyError::NotAKey { .. } => {
                    KeyError::NotUtf8 { offset }
                }
                other => other,
            })
        }
    }
}

/// A DER SEQUENCE with a long-form or binary length: cannot be sensible text.
fn looks_like_der(input: &[u8]) -> bool {
    match input {
        [0x30, len, ..] => *len >= 0x80 || (*len < 0x20 && !matches!(*len, b'\t' | b'\n' | b'\r')),
        _ => false,
    }
}

fn load_utf16(
    body: &[u8],
    unit: fn([u8; 2]) -> u16,
    offset_base: usize,
) -> Result<LoadedKey, KeyError> {
    let units = body.chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xD800, // a lone trailing byte: report it as unreadable below
    });
    let mut text = Zeroizing::new(String::with_capacity(body.len() / 2));
    for (i, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(KeyError::NotUtf8 {
                    offset: offset_base + 2 * i,
                })
            }
        }
    }
    load_text(&text, vec![KeyNote::DecodedUtf16])
}

fn load_text(input: &str, mut notes: Vec<KeyNote>) -> Result<LoadedKey, KeyError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(KeyError::NotAKey {
            looks_like: NotAKeyKind::TooLong { bytes: input.len() },
        });
    }
    let text = text::normalise(input, &mut notes);
    if text.trim().is_empty() {
        return Err(KeyError::Empty);
    }
    let found = pem::read_key(&text, input, &mut notes)?;
    finish(found.rsa, found.format, found.container, notes)
}

fn finish(
    rsa: RsaPrivateKey,
    format: KeyFormat,
    container: KeyContainer,
    notes: Vec<KeyNote>,
) -> Result<LoadedKey, KeyError> {
    let key = PrivateKey::from_rsa(rsa)?;
    let info = KeyInfo {
        bits: key.bits,
        fingerprint: key.fingerprint.clone(),
        public_key_pem: key.public_key_pem.clone(),
        format,
        container,
        notes,
    };
    Ok(LoadedKey { key, info })
}

fn corrupt(reason: CorruptReason) -> KeyError {
    KeyError::Corrupt { reason }
}

/// Adds `note` once, keeping the order in which repairs were made.
fn add_note(notes: &mut Vec<KeyNote>, note: KeyNote) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

//! Why a private key was refused: [`KeyError`], its stable codes and its plain-words fixes.
//!
//! The fixes say what to give (the whole key file, one key, the private half) in words that
//! fit every front end: they never say how (paste it, choose a file, pass a flag). Each front
//! end adds its own words for that (the desktop: paste it or choose the file; the CLI: its
//! `--private-key FILE`).

use super::{MAX_BITS, MIN_BITS};
use std::fmt;

/// Where the user makes a new DocuSign key pair; used in several fixes.
const NEW_PAIR: &str =
    "In DocuSign Admin go to Settings → Integrations → Apps and Keys → your app → \
Service Integration → Add RSA Keypair, keep the private key DocuSign shows, and use that new \
private key.";

/// Why a private key could not be loaded.
///
/// Every variant has a stable machine code ([`KeyError::detail`]), a message saying in plain words
/// what was found (its `Display`), and a fix ([`KeyError::fix`]). None of them ever contains any
/// part of the key's secret body: at most a BEGIN/END label, a count, or one stray character.
/// The whole family maps to the seed troubleshooting row "Failed to load RSA private key"
/// (code `key_load_failed` one level up).
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// Nothing but whitespace (or nothing at all) was given. Code `empty`.
    #[error("The private key is empty: there is nothing in it.")]
    Empty,

    /// A public key (SPKI `BEGIN PUBLIC KEY`, PKCS#1 `BEGIN RSA PUBLIC KEY`, an `ssh-rsa …` line,
    /// or bare base64 that decodes to one) instead of the private key (field case F07a).
    /// Code `public_key`.
    #[error(
        "This is a public key ({found}): the half you upload to DocuSign, not the private key."
    )]
    PublicKey {
        /// What kind of public key was found, in plain words.
        found: &'static str,
    },

    /// An X.509 certificate (`BEGIN CERTIFICATE`), which holds only a public key.
    /// Code `certificate`.
    #[error("This is a certificate (BEGIN CERTIFICATE), not a private key.")]
    Certificate,

    /// A password-protected key: `BEGIN ENCRYPTED PRIVATE KEY`, or a PKCS#1 key with
    /// `Proc-Type: 4,ENCRYPTED` / `DEK-Info` headers (field case F05). Code `encrypted`.
    #[error("This private key is locked with a password ({found}).")]
    Encrypted {
        /// How the encryption showed, in plain words.
        found: &'static str,
    },

    /// An elliptic-curve or Edwards key (`BEGIN EC PRIVATE KEY`, or PKCS#8 holding EC, Ed25519,
    /// X25519…) where DocuSign JWT needs RSA for RS256 (field case F05). Code `ec_key`.
    #[error("This is an elliptic-curve key ({found}), but DocuSign JWT needs an RSA key (RS256).")]
    EcKey {
        /// Which kind of key was found, in plain words.
        found: &'static str,
    },

    /// Some other key format or algorithm this loader cannot use (OpenSSH, DSA, PuTTY, PGP,
    /// PKCS#12, JWK, .NET XML, RSA-PSS, multi-prime RSA, an unknown PKCS#8 algorithm).
    /// Code `unsupported_key_type`.
    #[error(
        "This is {kind}, which cannot be used here: DocuSign JWT needs an RSA private key (PEM)."
    )]
    UnsupportedKeyType {
        /// What was found.
        kind: UnsupportedKind,
    },

    /// An RSA key shorter than 2048 bits. Code `too_small`.
    #[error("This RSA key is only {bits} bits long; DocuSign JWT needs at least {min} bits.", min = MIN_BITS)]
    TooSmall {
        /// The modulus length found, in bits.
        bits: usize,
    },

    /// An RSA key longer than [`MAX_BITS`] bits (or a request to generate one). Code `too_large`.
    #[error("This RSA key is {bits} bits long; the largest this app handles is {max} bits.", max = MAX_BITS)]
    TooLarge {
        /// The modulus length found or requested, in bits.
        bits: usize,
    },

    /// An END line without its BEGIN line (field case F02). Code `missing_begin`.
    #[error("The start of the key is missing: there is an END {label} line but no BEGIN line.")]
    MissingBegin {
        /// The label of the END line, e.g. `RSA PRIVATE KEY`.
        label: String,
    },

    /// A BEGIN line without its END line: a truncated paste, or escaped `\n` that could not be
    /// repaired (field cases F01, F02). Code `missing_end`.
    #[error("The key seems cut off: it starts with a BEGIN {label} line but has no END line.")]
    MissingEnd {
        /// The label of the BEGIN line, e.g. `RSA PRIVATE KEY`.
        label: String,
    },

    /// BEGIN and END labels differ (field case F02). Code `label_mismatch`.
    #[error("The BEGIN and END lines don't match: the key starts with BEGIN {begin} but ends with END {end}.")]
    LabelMismatch {
        /// Label of the BEGIN line.
        begin: String,
        /// Label of the END line.
        end: String,
    },

    /// More than one PEM block where exactly one private key is expected: several private keys,
    /// or a private key plus public keys or certificates (e.g. the whole DocuSign key-pair dialog
    /// was copied). Nothing is picked silently. Code `multiple_keys`.
    #[error("{}", multiple_keys_message(.private_keys, .others))]
    MultipleKeys {
        /// How many private-key blocks were found.
        private_keys: usize,
        /// The other blocks found, in plain words (e.g. "a public key (BEGIN PUBLIC KEY)").
        others: Vec<String>,
    },

    /// A character that cannot appear in a key body (curly quote, ellipsis, long dash, bullet…),
    /// typical of keys copied through chat apps, mail or word processors (field case F02).
    /// Code `invalid_base64`.
    #[error("Line {line} of the key contains {}, which cannot be part of a key.", describe_char(.character))]
    InvalidBase64 {
        /// The offending character.
        character: char,
        /// 1-based line number, counting the BEGIN line (or the first line of a bare body) as 1.
        line: usize,
        /// 1-based position of the character in that line, in characters.
        column: usize,
    },

    /// The key data stops early: a fragment of a key. Code `truncated`.
    #[error("{}", truncated_message(.found_bytes, .expected_bytes))]
    Truncated {
        /// Bytes of key data found.
        found_bytes: usize,
        /// Bytes the key's own header says it should have, when known.
        expected_bytes: Option<usize>,
    },

    /// The text decodes but is not a valid key of the kind the label says: damaged data.
    /// Code `corrupt`.
    #[error("The key is damaged: {reason}.")]
    Corrupt {
        /// What exactly is wrong.
        reason: CorruptReason,
    },

    /// Text that is not a key at all: a GUID (integration key, user ID), a token, a file path,
    /// prose, other base64 data or some other PEM block. Code `not_a_key`.
    #[error("This is not a private key: {looks_like}.")]
    NotAKey {
        /// What it looks like instead.
        looks_like: NotAKeyKind,
    },

    /// File bytes that are neither UTF-8/UTF-16 text nor a DER key. Code `not_utf8`.
    #[error("This file is neither a text key file nor a binary (DER) key file: at byte {offset} it holds data that is not readable text.")]
    NotUtf8 {
        /// 0-based byte offset of the first unreadable byte.
        offset: usize,
    },

    /// Key generation failed (the OS random source or the RSA library refused).
    /// Code `generate_failed`.
    #[error("A new key could not be generated: {reason}.")]
    GenerateFailed {
        /// The library's reason.
        reason: String,
    },
}

impl KeyError {
    /// Stable snake_case machine code for this error, e.g. `"public_key"` or `"missing_end"`.
    ///
    /// Codes: `empty`, `public_key`, `certificate`, `encrypted`, `ec_key`,
    /// `unsupported_key_type`, `too_small`, `too_large`, `missing_begin`, `missing_end`,
    /// `label_mismatch`, `multiple_keys`, `invalid_base64`, `truncated`, `corrupt`, `not_a_key`,
    /// `not_utf8`, `generate_failed`.
    pub fn detail(&self) -> &'static str {
        match self {
            KeyError::Empty => "empty",
            KeyError::PublicKey { .. } => "public_key",
            KeyError::Certificate => "certificate",
            KeyError::Encrypted { .. } => "encrypted",
            KeyError::EcKey { .. } => "ec_key",
            KeyError::UnsupportedKeyType { .. } => "unsupported_key_type",
            KeyError::TooSmall { .. } => "too_small",
            KeyError::TooLarge { .. } => "too_large",
            KeyError::MissingBegin { .. } => "missing_begin",
            KeyError::MissingEnd { .. } => "missing_end",
            KeyError::LabelMismatch { .. } => "label_mismatch",
            KeyError::MultipleKeys { .. } => "multiple_keys",
            KeyError::InvalidBase64 { .. } => "invalid_base64",
            KeyError::Truncated { .. } => "truncated",
            KeyError::Corrupt { .. } => "corrupt",
            KeyError::NotAKey { .. } => "not_a_key",
            KeyError::NotUtf8 { .. } => "not_utf8",
            KeyError::GenerateFailed { .. } => "generate_failed",
        }
    }

    /// What to do instead, in plain words for a non-developer (one or two sentences). No fix
    /// names a command: for an encrypted, EC, OpenSSH or PKCS#12 key each front end adds its
    /// own way (the CLI the `openssl` / `ssh-keygen` command, the desktop its "generate a key
    /// pair" screen).
    pub fn fix(&self) -> String {
        match self {
            KeyError::Empty => format!(
                "Use the private key file you saved when you created the key pair in DocuSign, all \
                 of it, from the {} line to the {} line.",
                armour("BEGIN", "RSA PRIVATE KEY"),
                armour("END", "RSA PRIVATE KEY")
            ),
            KeyError::PublicKey { .. } => format!(
                "This is the public half. Use the private key DocuSign showed once when you generated \
                 the pair (it starts with {}). DocuSign never shows it again: if it is lost, make a new \
                 pair. {NEW_PAIR}",
                armour("BEGIN", "RSA PRIVATE KEY")
            ),
            KeyError::Certificate => format!(
                "A certificate holds only the public key. Use the private key file instead (it starts \
                 with {}). If you don't have it, make a new pair. {NEW_PAIR}",
                armour("BEGIN", "RSA PRIVATE KEY")
            ),
            KeyError::Encrypted { .. } => format!(
                "DocuSign key pairs are unencrypted PEM: use a copy of the key without its password, \
                 or make a new pair. {NEW_PAIR}"
            ),
            KeyError::EcKey { .. } => format!(
                "DocuSign signs JWT assertions with RS256, which needs an RSA key: make a new RSA \
                 pair. {NEW_PAIR}"
            ),
            KeyError::UnsupportedKeyType { kind } => kind.fix(),
            KeyError::TooSmall { .. } => format!(
                "Keys shorter than {MIN_BITS} bits are not safe and DocuSign refuses them. Make a new \
                 {MIN_BITS}-bit pair. {NEW_PAIR}"
            ),
            KeyError::TooLarge { .. } => format!(
                "Use a {MIN_BITS}-bit key, the size DocuSign generates. {NEW_PAIR}"
            ),
            KeyError::MissingBegin { label } => format!(
                "Copy the whole key again, starting at the line {} — the first line matters too.",
                armour("BEGIN", label)
            ),
            KeyError::MissingEnd { label } => format!(
                "The key seems cut off: copy all of it, including {}. If the key was stored on one line \
                 (with \\n between the lines), check that nothing was cut off at the end.",
                armour("END", label)
            ),
            KeyError::LabelMismatch { begin, end } => format!(
                "The first and last lines must name the same thing ({} … {}). Copy the key again from \
                 the original file instead of editing these lines by hand.",
                armour("BEGIN", begin),
                armour("END", end)
            ),
            KeyError::MultipleKeys { .. } => format!(
                "Give exactly one private key: the block from its BEGIN line ({} or {}) to its END \
                 line, and nothing else.",
                armour("BEGIN", "RSA PRIVATE KEY"),
                armour("BEGIN", "PRIVATE KEY")
            ),
            KeyError::InvalidBase64 { .. } => "Copy the key again straight from the original key file \
                 (open it in a plain text editor such as Notepad or TextEdit), not from a chat, an email, \
                 a document or a web preview: those change quotes and dashes and shorten long lines \
                 with '…'."
                .to_string(),
            KeyError::Truncated { .. } => "Only part of the key arrived. Use the whole key file, \
                 from the BEGIN line to the END line, straight from the file: a text field, a chat or \
                 an email may have cut it short."
                .to_string(),
            KeyError::Corrupt { .. } => "Use the whole key file again, unchanged, from the BEGIN \
                 line to the END line. If it still fails the file itself is damaged: make a new key \
                 pair in DocuSign and upload its public key."
                .to_string(),
            KeyError::NotAKey { looks_like } => looks_like.fix(),
            KeyError::NotUtf8 { .. } => "Use the private key file itself: a text file (usually .pem, \
                 .key or .txt) whose first line is a BEGIN line."
                .to_string(),
            KeyError::GenerateFailed { .. } => "Try again; if it keeps failing, generate the key \
                 pair in DocuSign instead and use its private key."
                .to_string(),
        }
    }
}

/// Other key kinds the loader recognises but cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnsupportedKind {
    /// `BEGIN OPENSSH PRIVATE KEY` (ssh-keygen's default since OpenSSH 7.8).
    OpenSsh,
    /// A DSA key (`BEGIN DSA PRIVATE KEY` or PKCS#8 with the DSA algorithm).
    Dsa,
    /// A PuTTY `.ppk` file (`PuTTY-User-Key-File-…`).
    Putty,
    /// An OpenPGP key block.
    Pgp,
    /// A PKCS#12 / `.pfx` / `.p12` bundle.
    Pkcs12,
    /// A JSON Web Key (`"kty": …`).
    Jwk,
    /// A .NET `<RSAKeyValue>` XML key.
    XmlKeyValue,
    /// An RSA key restricted to RSA-PSS (OID 1.2.840.113549.1.1.10): cannot sign RS256.
    RsaPss,
    /// Multi-prime RSA (more than two primes).
    MultiPrimeRsa,
    /// Anything else, described in plain words (a PEM label or an algorithm OID).
    Other(String),
}

impl UnsupportedKind {
    fn fix(&self) -> String {
        match self {
            UnsupportedKind::OpenSsh => format!(
                "DocuSign needs an RSA key in PEM form: if this is an RSA key, use a copy of it \
                 converted to PEM, without a passphrase. Otherwise make a new RSA pair. {NEW_PAIR}"
            ),
            UnsupportedKind::Putty => format!(
                "In PuTTYgen load the .ppk file and use Conversions → Export OpenSSH key (not the \
                 \"force new file format\" one); use that file if the key is RSA. Otherwise make a new \
                 RSA pair. {NEW_PAIR}"
            ),
            UnsupportedKind::Pkcs12 => format!(
                "DocuSign needs the private key alone, in PEM form: use the private key taken out of \
                 the bundle (that needs the bundle's password), or make a new pair. {NEW_PAIR}"
            ),
            UnsupportedKind::XmlKeyValue => format!(
                "Export the key as PEM instead (in .NET 7 or later: rsa.ExportRSAPrivateKeyPem()), or \
                 make a new pair. {NEW_PAIR}"
            ),
            UnsupportedKind::Jwk => format!(
                "Convert the JWK to a PEM private key with a JWK-to-PEM tool, or make a new pair. {NEW_PAIR}"
            ),
            _ => format!("DocuSign JWT needs an ordinary RSA private key. {NEW_PAIR}"),
        }
    }
}

impl fmt::Display for UnsupportedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsupportedKind::OpenSsh => {
                f.write_str("an OpenSSH private key (BEGIN OPENSSH PRIVATE KEY)")
            }
            UnsupportedKind::Dsa => f.write_str("a DSA key"),
            UnsupportedKind::Putty => f.write_str("a PuTTY key file (.ppk)"),
            UnsupportedKind::Pgp => f.write_str("a PGP key block"),
            UnsupportedKind::Pkcs12 => f.write_str("a PKCS#12 bundle (.pfx / .p12)"),
            UnsupportedKind::Jwk => f.write_str("a JSON Web Key (JWK)"),
            UnsupportedKind::XmlKeyValue => f.write_str("a .NET XML key (<RSAKeyValue>)"),
            UnsupportedKind::RsaPss => f.write_str("an RSA key restricted to RSA-PSS signatures"),
            UnsupportedKind::MultiPrimeRsa => f.write_str("a multi-prime RSA key"),
            UnsupportedKind::Other(what) => f.write_str(what),
        }
    }
}

/// What exactly is damaged in a [`KeyError::Corrupt`] key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CorruptReason {
    /// The data does not have the structure of any known key.
    Structure,
    /// The structure is right but the numbers in it do not belong together (RSA consistency
    /// check failed).
    Inconsistent,
    /// A `=` sign in the middle of the text: two pieces glued together?
    MisplacedPadding,
    /// Extra data after the end of the key.
    TrailingData,
}

impl fmt::Display for CorruptReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CorruptReason::Structure => "the text between the BEGIN and END lines is not a readable key",
            CorruptReason::Inconsistent => {
                "the numbers inside the key do not fit together, so some of the text was changed"
            }
            CorruptReason::MisplacedPadding => {
                "there is an '=' sign in the middle of the key text (it may only appear at the very end), \
                 so pieces of different texts may have been glued together"
            }
            CorruptReason::TrailingData => "there is extra data after the end of the key",
        })
    }
}

/// What a non-key input looks like, for [`KeyError::NotAKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotAKeyKind {
    /// A GUID: an integration key, user ID (API Username) or account ID.
    Guid,
    /// A JWT or access token (`eyJ…`).
    Token,
    /// A file path instead of the file's contents.
    FilePath,
    /// Base64 data that is not a key.
    Base64Data,
    /// Some other PEM block, by label (e.g. `CERTIFICATE REQUEST`).
    OtherPemBlock(String),
    /// Text that is neither PEM nor base64.
    Text,
    /// Far more data than any key file (over [`MAX_INPUT_BYTES`](super::MAX_INPUT_BYTES)).
    TooLong {
        /// Size of the input, in bytes.
        bytes: usize,
    },
}

impl NotAKeyKind {
    fn fix(&self) -> String {
        match self {
            NotAKeyKind::Guid => {
                "This looks like an integration key, user ID or account ID: give it \
                 as that value, and give the RSA private key file's contents as the private key."
                    .to_string()
            }
            NotAKeyKind::Token => "Use the RSA private key, not a token: the Studio makes its own \
                 tokens from the key."
                .to_string(),
            NotAKeyKind::FilePath => "Use that file's contents, not its name: the key is the text \
                 inside the file, from the BEGIN line to the END line."
                .to_string(),
            _ => format!(
                "Use the contents of the private key file: it starts with {} (or {}) and ends with \
                 the matching END line.",
                armour("BEGIN", "RSA PRIVATE KEY"),
                armour("BEGIN", "PRIVATE KEY")
            ),
        }
    }
}

impl fmt::Display for NotAKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAKeyKind::Guid => {
                f.write_str("it looks like an integration key / user ID (an ID such as 1a2b3c4d-…)")
            }
            NotAKeyKind::Token => f.write_str("it looks like a token (eyJ…)"),
            NotAKeyKind::FilePath => {
                f.write_str("it looks like a file path, not the file's contents")
            }
            NotAKeyKind::Base64Data => f.write_str("it is base64 data, but not a key"),
            NotAKeyKind::OtherPemBlock(label) => write!(f, "it is a BEGIN {label} block"),
            NotAKeyKind::Text => f.write_str("it has no BEGIN/END lines and is not key data"),
            NotAKeyKind::TooLong { bytes } => write!(
                f,
                "it is {bytes} bytes long, far more than a key file (about 1,700 bytes)"
            ),
        }
    }
}

/// `-----BEGIN <label>-----`, built from parts so no source file holds a literal key header.
pub(crate) fn armour(edge: &str, label: &str) -> String {
    format!("-----{edge} {label}-----")
}

fn multiple_keys_message(private_keys: &usize, others: &[String]) -> String {
    let private_keys = *private_keys;
    let others_text = join_plain(others);
    match (private_keys, others.is_empty()) {
        (0 | 1, true) => {
            "More than one block was found where one private key was expected.".to_string()
        }
        (1, false) => format!(
            "Besides the private key, this also contains {others_text}; use only the private key."
        ),
        (n, true) => format!("This contains {n} private keys; use only one."),
        (n, false) => format!(
            "This contains {n} private keys and also {others_text}; use only one private key."
        ),
    }
}

fn join_plain(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn truncated_message(found: &usize, expected: &Option<usize>) -> String {
    let (found, expected) = (*found, *expected);
    match expected {
        Some(expected) => format!(
            "Only part of the key is here: it holds {found} bytes of key data, but the key says it is \
             {expected} bytes long."
        ),
        None => format!("Only part of the key is here ({found} bytes of key data): the text stops part-way."),
    }
}

/// A plain-words description of a character that cannot be in a key body.
pub(crate) fn describe_char(c: &char) -> String {
    let c = *c;
    let what = match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
            "a curly quote, as word processors and chat apps make"
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => {
            "a curly apostrophe, as word processors and chat apps make"
        }
        '"' | '\'' | '`' => "a quote mark",
        '\u{2026}' => {
            "an ellipsis '…', which chat apps and previews put where they shorten long text"
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '-' => "a dash",
        '\u{2022}' | '\u{25CF}' | '*' => "a bullet or asterisk, as used to hide secret text",
        '\\' => "a backslash",
        '.' => "a full stop",
        ',' | ';' | ':' => "a punctuation mark",
        '<' | '>' => "an angle bracket (HTML or XML markup?)",
        '&' => "an ampersand (HTML or XML markup?)",
        '%' => "a percent sign",
        '\u{FFFD}' => "a replacement character '�' (the text was damaged by a wrong encoding)",
        c if c.is_control() => "an invisible control character",
        c if c.is_ascii() => "a character",
        _ => "a non-ASCII character",
    };
    if c.is_control() {
        format!("{what} (U+{:04X})", u32::from(c))
    } else {
        format!("'{c}' (U+{:04X}, {what})", u32::from(c))
    }
}

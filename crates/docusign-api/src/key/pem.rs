//! Finding the key in cleaned text: BEGIN/END markers (tolerant of lost dashes, typographic
//! dashes, case, spacing and missing line breaks), block pairing, choosing the one private key,
//! body decoding with precise errors, and the no-armour path (bare base64, GUIDs, tokens, …).
//! Field cases F01, F02, F05, F07a.

use super::der::{self, DerError};
use super::error::{CorruptReason, KeyError, NotAKeyKind, UnsupportedKind};
use super::{add_note, KeyContainer, KeyFormat, KeyNote, Zeroizing};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use rsa::RsaPrivateKey;
use std::ops::Range;

/// Lenient standard-alphabet base64: padding optional, stray trailing bits allowed.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Longest word accepted in a BEGIN/END label; longer runs are key body, never a label.
const MAX_LABEL_WORD: usize = 16;
const MAX_LABEL_WORDS: usize = 6;

/// What [`read_key`] found.
pub(super) struct Found {
    pub(super) rsa: RsaPrivateKey,
    pub(super) format: KeyFormat,
    pub(super) container: KeyContainer,
}

/// Reads the one RSA private key in `text` (already [normalised](super::text::normalise)).
/// `original` is the input as given, used only to recognise file paths before unescaping.
pub(super) fn read_key(
    text: &str,
    original: &str,
    notes: &mut Vec<KeyNote>,
) -> Result<Found, KeyError> {
    let markers = find_markers(text);
    if markers.is_empty() {
        return read_bare(text, original, notes);
    }
    let blocks = pair_blocks(text, &markers);
    let (privates, others): (Vec<&Block>, Vec<&Block>) =
        blocks.iter().partition(|b| b.kind().is_private());
    let other_descriptions: Vec<String> = others
        .iter()
        .filter_map(|b| b.kind().description(b.label()))
        .collect();

    let block = match privates.as_slice() {
        [] => return Err(refusal_without_private_key(&others)),
        [one] => *one,
        many => {
            return Err(KeyError::MultipleKeys {
                private_keys: many.len(),
                others: other_descriptions,
            })
        }
    };
    let found = read_block(text, block, notes)?;
    if !other_descriptions.is_empty() {
        return Err(KeyError::MultipleKeys {
            private_keys: 1,
            others: other_descriptions,
        });
    }
    // Notes about the surroundings, only once the key is known to be good.
    if blocks.iter().any(|b| !b.is_canonical()) {
        add_note(notes, KeyNote::RepairedArmourLines);
    }
    let outside = outside_text(text, &blocks);
    if outside.iter().any(|r| !text[r.clone()].trim().is_empty()) {
        add_note(notes, KeyNote::IgnoredTextOutsideKey);
    }
    Ok(found)
}

fn refusal_without_private_key(others: &[&Block]) -> KeyError {
    if let Some(found) = others.iter().find_map(|b| match b.kind() {
        LabelKind::Public(found) => Some(found),
        _ => None,
    }) {
        return KeyError::PublicKey { found };
    }
    if others.iter().any(|b| b.kind() == LabelKind::Certificate) {
        return KeyError::Certificate;
    }
    let label = others
        .first()
        .map(|b| b.label().to_string())
        .unwrap_or_default();
    KeyError::NotAKey {
        looks_like: NotAKeyKind::OtherPemBlock(label),
    }
}

fn read_block(text: &str, block: &Block, notes: &mut Vec<KeyNote>) -> Result<Found, KeyError> {
    let content = &text[block.content.clone()];
    let label_format = match block.kind() {
        LabelKind::EncryptedPrivate => {
            return Err(KeyError::Encrypted {
                found: "BEGIN ENCRYPTED PRIVATE KEY",
            })
        }
        LabelKind::EcPrivate => {
            return Err(KeyError::EcKey {
                found: "BEGIN EC PRIVATE KEY",
            })
        }
        LabelKind::OtherPrivate(kind) => return Err(KeyError::UnsupportedKeyType { kind }),
        LabelKind::RsaPrivate => KeyFormat::Pkcs1,
        _ => KeyFormat::Pkcs8,
    };
    let upper = Zeroizing::new(content.to_ascii_uppercase());
    if (upper.contains("PROC-TYPE:") && upper.contains("ENCRYPTED")) || upper.contains("DEK-INFO:")
    {
        return Err(KeyError::Encrypted {
            found: "a Proc-Type: 4,ENCRYPTED header",
        });
    }
    match (&block.begin, &block.end) {
        (None, Some(end)) => {
            return Err(KeyError::MissingBegin {
                label: end.label.clone(),
            })
        }
        (Some(begin), None) => {
            return Err(KeyError::MissingEnd {
                label: begin.label.clone(),
            })
        }
        (Some(begin), Some(end)) if begin.label != end.label => {
            // `-----END RSA PRIV` at the very end is a cut-off paste, not a different label.
            if end.dashes_after == 0
                && begin.label.starts_with(&end.label)
                && end.range.end == text.len()
            {
                return Err(KeyError::MissingEnd {
                    label: begin.label.clone(),
                });
            }
            return Err(KeyError::LabelMismatch {
                begin: begin.label.clone(),
                end: end.label.clone(),
            });
        }
        _ => {}
    }

    let line_origin = block.span().start;
    let body = body_chars(text, block.content.clone(), line_origin)?;
    let (rsa, format) = match decode_body(&body) {
        Ok(found) => found,
        // A one-line key whose `\n` escapes lost their backslashes on the way through a shell.
        Err(first) => match lost_backslash_n(content, &body) {
            Some(found) => {
                add_note(notes, KeyNote::ConvertedEscapedNewlines);
                found
            }
            None => return Err(first),
        },
    };
    if format != label_format {
        add_note(notes, KeyNote::CorrectedKeyLabel);
    }
    if text[block.span()].contains("\n\n") {
        add_note(notes, KeyNote::RemovedBlankLines);
    }
    let first_line = content.split('\n').next().unwrap_or("");
    let last_line = content.rsplit('\n').next().unwrap_or("");
    if !first_line.trim().is_empty() || !last_line.trim().is_empty() {
        add_note(notes, KeyNote::SplitOneLineKey);
    }
    Ok(Found {
        rsa,
        format,
        container: KeyContainer::Pem,
    })
}

fn decode_body(body: &[u8]) -> Result<(RsaPrivateKey, KeyFormat), KeyError> {
    let der = decode_base64(body)?;
    der::decode_private(&der).map_err(|e| match e {
        DerError::Key(e) => e,
        DerError::NotDer => KeyError::Corrupt {
            reason: CorruptReason::Structure,
        },
    })
}

/// `-----BEGIN …-----nMIIE…nAbC…n-----END …-----`: every `\n` lost its backslash. Tries the
/// usual line widths and keeps the result only if it is a valid key.
fn lost_backslash_n(content: &str, body: &[u8]) -> Option<(RsaPrivateKey, KeyFormat)> {
    if content.trim().contains('\n') {
        return None;
    }
    let inner = body.strip_prefix(b"n")?.strip_suffix(b"n")?;
    [64usize, 76].into_iter().find_map(|width| {
        let mut joined = Zeroizing::new(Vec::with_capacity(inner.len()));
        for chunk in inner.chunks(width + 1) {
            match chunk.split_last() {
                Some((b'n', line)) if chunk.len() == width + 1 => joined.extend_from_slice(line),
                _ if chunk.len() == width + 1 => return None,
                _ => joined.extend_from_slice(chunk),
            }
        }
        decode_body(&joined).ok()
    })
}

/// Collects the base64 characters of a block body, skipping whitespace and RFC 1421 header
/// lines (`Name: value`) at its start. Line numbers count from `line_origin` (the BEGIN line).
fn body_chars(
    text: &str,
    content: Range<usize>,
    line_origin: usize,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let mut out = Zeroizing::new(Vec::with_capacity(content.len()));
    let mut in_headers = true;
    let mut line_start = content.start;
    for line in text[content.clone()].split('\n') {
        let this_start = line_start;
        line_start += line.len() + 1;
        if in_headers && is_header_line(line) {
            continue;
        }
        if !line.trim().is_empty() {
            in_headers = false;
        }
        for (i, c) in line.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') {
                // ASCII, so the byte is the character.
                out.push(c as u8);
            } else {
                return Err(invalid_char(text, line_origin, this_start, i, c));
            }
        }
    }
    Ok(out)
}

fn is_header_line(line: &str) -> bool {
    let Some((name, _)) = line.trim().split_once(':') else {
        return false;
    };
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn invalid_char(
    text: &str,
    line_origin: usize,
    line_start: usize,
    index_in_line: usize,
    c: char,
) -> KeyError {
    let line = 1 + text
        .get(line_origin..line_start)
        .map_or(0, |before| before.matches('\n').count());
    let column = 1 + text
        .get(line_start..line_start + index_in_line)
        .map_or(0, |before| before.chars().count());
    KeyError::InvalidBase64 {
        character: c,
        line,
        column,
    }
}

/// Decodes collected base64 characters. `=` may only end the text; a length that leaves one
/// stray character (a cut-off paste) is decoded without it so the DER check reports truncation.
fn decode_base64(chars: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let data_len = chars.len() - chars.iter().rev().take_while(|&&b| b == b'=').count();
    let data = &chars[..data_len];
    if data.contains(&b'=') {
        return Err(KeyError::Corrupt {
            reason: CorruptReason::MisplacedPadding,
        });
    }
    if data.is_empty() {
        return Err(KeyError::Truncated {
            found_bytes: 0,
            expected_bytes: None,
        });
    }
    let usable = if data.len() % 4 == 1 {
        &data[..data.len() - 1]
    } else {
        data
    };
    LENIENT_B64
        .decode(usable)
        .map(Zeroizing::new)
        .map_err(|_| KeyError::Corrupt {
            reason: CorruptReason::Structure,
        })
}

// ---------------------------------------------------------------------------------------------
// No BEGIN/END lines at all.

fn read_bare(text: &str, original: &str, notes: &mut Vec<KeyNote>) -> Result<Found, KeyError> {
    if let Some(refusal) = recognise_non_pem(text, original) {
        return Err(refusal);
    }
    let mut b64 = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut first_bad = None;
    let (mut significant, mut bad) = (0usize, 0usize);
    for (pos, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        significant += 1;
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') {
            b64.push(c as u8);
        } else {
            bad += 1;
            first_bad.get_or_insert((pos, c));
        }
    }
    if let Some((pos, c)) = first_bad {
        // Mostly base64 with a few odd characters: a damaged body. Otherwise just not a key.
        if significant >= 64 && bad * 20 <= significant {
            let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            return Err(invalid_char(text, 0, line_start, pos - line_start, c));
        }
        return Err(KeyError::NotAKey {
            looks_like: NotAKeyKind::Text,
        });
    }
    if significant < 64 {
        return Err(KeyError::NotAKey {
            looks_like: NotAKeyKind::Text,
        });
    }
    let not_key = || KeyError::NotAKey {
        looks_like: NotAKeyKind::Base64Data,
    };
    let der = decode_base64(&b64).map_err(|e| match e {
        KeyError::Corrupt { .. } => not_key(),
        other => other,
    })?;
    let (rsa, format) = der::decode_private(&der).map_err(|e| match e {
        DerError::Key(e) => e,
        DerError::NotDer => not_key(),
    })?;
    if text.contains("\n\n") {
        add_note(notes, KeyNote::RemovedBlankLines);
    }
    add_note(notes, KeyNote::ReArmouredBareBase64);
    Ok(Found {
        rsa,
        format,
        container: KeyContainer::BareBase64,
    })
}

/// Recognises well-known things that are not a PEM key, before trying base64.
fn recognise_non_pem(text: &str, original: &str) -> Option<KeyError> {
    if text.contains("PuTTY-User-Key-File") {
        return Some(unsupported(UnsupportedKind::Putty));
    }
    const SSH_PUBLIC: [&str; 6] = [
        "ssh-rsa ",
        "ssh-dss ",
        "ssh-ed25519 ",
        "ecdsa-sha2-",
        "sk-ssh-",
        "sk-ecdsa-",
    ];
    if text
        .lines()
        .any(|l| SSH_PUBLIC.iter().any(|p| l.starts_with(p)))
    {
        return Some(KeyError::PublicKey {
            found: "an SSH public key line, ssh-rsa …",
        });
    }
    if text.contains("<RSAKeyValue") {
        return Some(unsupported(UnsupportedKind::XmlKeyValue));
    }
    if text.contains("\"kty\"") {
        return Some(unsupported(UnsupportedKind::Jwk));
    }
    if looks_like_path(original.trim()) {
        return Some(not_a_key(NotAKeyKind::FilePath));
    }
    if text.len() <= 200 && contains_guid(text) {
        return Some(not_a_key(NotAKeyKind::Guid));
    }
    if text.split_whitespace().any(looks_like_jwt) {
        return Some(not_a_key(NotAKeyKind::Token));
    }
    None
}

fn unsupported(kind: UnsupportedKind) -> KeyError {
    KeyError::UnsupportedKeyType { kind }
}

fn not_a_key(looks_like: NotAKeyKind) -> KeyError {
    KeyError::NotAKey { looks_like }
}

fn looks_like_path(s: &str) -> bool {
    if s.is_empty() || s.contains('\n') || s.len() > 400 {
        return false;
    }
    let b = s.as_bytes();
    let drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    let lower = s.to_ascii_lowercase();
    drive
        || s.starts_with("\\\\")
        || s.starts_with("~/")
        || s.starts_with("file://")
        || (s.starts_with('/') && s[1..].contains('/'))
        || [".pem", ".key", ".txt", ".der", ".p8"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// Any `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex) in the text.
fn contains_guid(s: &str) -> bool {
    s.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .any(|token| {
            let parts: Vec<&str> = token.split('-').collect();
            parts.len() == 5
                && parts
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(p, len)| p.len() == len)
        })
}

fn looks_like_jwt(token: &str) -> bool {
    token.starts_with("eyJ")
        && token.split('.').count() == 3
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '='))
}

// ---------------------------------------------------------------------------------------------
// BEGIN/END markers and blocks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Begin,
    End,
}

#[derive(Debug, Clone)]
struct Marker {
    edge: Edge,
    /// Upper case, single spaces, e.g. `RSA PRIVATE KEY`.
    label: String,
    /// Byte range of the whole marker (dashes included) in the text.
    range: Range<usize>,
    dashes_after: usize,
    canonical: bool,
}

/// Dash-like characters people's editors put in place of `-`.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

fn is_inline_space(c: char) -> bool {
    c != '\n' && c.is_whitespace()
}

/// Separators inside a label: spaces, and `+` / `_` from URL or identifier mangling.
fn is_label_sep(c: char) -> bool {
    is_inline_space(c) || matches!(c, '+' | '_')
}

fn find_markers(text: &str) -> Vec<Marker> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut markers = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match marker_at(text, &chars, i) {
            Some((marker, next)) => {
                markers.push(marker);
                i = next;
            }
            None => i += 1,
        }
    }
    markers
}

fn keyword_at(chars: &[(usize, char)], i: usize, word: &str) -> bool {
    let n = word.chars().count();
    chars.get(i..i + n).is_some_and(|window| {
        window
            .iter()
            .zip(word.chars())
            .all(|(&(_, c), w)| c.to_ascii_uppercase() == w)
    })
}

/// A marker whose keyword starts at `chars[i]`, with the index just after it.
fn marker_at(text: &str, chars: &[(usize, char)], i: usize) -> Option<(Marker, usize)> {
    let (edge, keyword_len) = if keyword_at(chars, i, "BEGIN") {
        (Edge::Begin, 5)
    } else if keyword_at(chars, i, "END") {
        (Edge::End, 3)
    } else {
        return None;
    };
    if i > 0 && chars[i - 1].1.is_alphanumeric() {
        return None;
    }
    let mut canonical = chars[i..i + keyword_len]
        .iter()
        .all(|&(_, c)| c.is_ascii_uppercase());

    // Dashes before the keyword, possibly with spaces between.
    let mut k = i;
    while k > 0 && is_inline_space(chars[k - 1].1) {
        k -= 1;
    }
    let gap_before = i - k;
    let mut dashes_before = 0;
    while k > 0 && is_dash(chars[k - 1].1) {
        k -= 1;
        dashes_before += 1;
        canonical &= chars[k].1 == '-';
    }
    let start = if dashes_before == 0 { i } else { k };

    // Label words.
    let mut words: Vec<String> = Vec::new();
    let mut label_end = i + keyword_len;
    let mut p = label_end;
    while words.len() < MAX_LABEL_WORDS {
        let sep_start = p;
        while p < chars.len() && is_label_sep(chars[p].1) {
            p += 1;
        }
        if p == sep_start {
            break;
        }
        let word_start = p;
        while p < chars.len() && chars[p].1.is_ascii_alphanumeric() {
            p += 1;
        }
        if p == word_start || p - word_start > MAX_LABEL_WORD {
            break;
        }
        let word: String = chars[word_start..p]
            .iter()
            .map(|&(_, c)| c.to_ascii_uppercase())
            .collect();
        if words.last().is_some_and(|prev| ends_label(prev, &word)) {
            break;
        }
        canonical &= word_start - sep_start == 1
            && chars[sep_start].1 == ' '
            && chars[word_start..p]
                .iter()
                .all(|&(_, c)| !c.is_ascii_lowercase());
        words.push(word);
        label_end = p;
    }
    if words.is_empty() {
        return None;
    }

    // Dashes after the label, possibly after spaces.
    let mut q = label_end;
    while q < chars.len() && is_inline_space(chars[q].1) {
        q += 1;
    }
    let gap_after = q - label_end;
    let mut dashes_after = 0;
    while q < chars.len() && is_dash(chars[q].1) {
        canonical &= chars[q].1 == '-';
        q += 1;
        dashes_after += 1;
    }
    if dashes_after == 0 {
        q = label_end;
    }
    if dashes_before + dashes_after == 0 {
        return None;
    }
    // Without closing dashes, an unusual label must end its line: otherwise its "words" may be
    // chunks of a key body pasted on one line, which must never be echoed in a message.
    let next_visible = chars
        .get(q..)
        .and_then(|rest| rest.iter().find(|&&(_, c)| !is_inline_space(c)));
    let ends_line = matches!(next_visible, None | Some(&(_, '\n')));
    if dashes_after == 0 && !ends_line && !words.last().is_some_and(|w| ends_label(w, "")) {
        return None;
    }
    canonical &= dashes_before == 5 && dashes_after == 5 && gap_before == 0 && gap_after == 0;
    let byte = |idx: usize| chars.get(idx).map_or(text.len(), |&(b, _)| b);
    Some((
        Marker {
            edge,
            label: words.join(" "),
            range: byte(start)..byte(q),
            dashes_after,
            canonical,
        },
        q.max(i + 1),
    ))
}

/// After `prev`, does `next` start the key body rather than continue the label?
fn ends_label(prev: &str, next: &str) -> bool {
    match prev {
        "KEY" => next != "BLOCK",
        "CERTIFICATE" => next != "REQUEST",
        "CRL" | "REQUEST" | "PARAMETERS" | "BLOCK" | "MESSAGE" | "SIGNATURE" => true,
        _ => false,
    }
}

#[derive(Debug)]
struct Block {
    begin: Option<Marker>,
    end: Option<Marker>,
    /// Between the markers (or from the previous block / to the next marker when one is missing).
    content: Range<usize>,
}

impl Block {
    fn label(&self) -> &str {
        self.begin
            .as_ref()
            .or(self.end.as_ref())
            .map_or("", |m| m.label.as_str())
    }

    fn kind(&self) -> LabelKind {
        LabelKind::of(self.label())
    }

    fn span(&self) -> Range<usize> {
        let start = self
            .begin
            .as_ref()
            .map_or(self.content.start, |m| m.range.start);
        let end = self.end.as_ref().map_or(self.content.end, |m| m.range.end);
        start..end
    }

    fn is_canonical(&self) -> bool {
        self.begin
            .iter()
            .chain(self.end.iter())
            .all(|m| m.canonical)
    }
}

fn pair_blocks(text: &str, markers: &[Marker]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut previous_end = 0;
    let mut i = 0;
    while i < markers.len() {
        let m = &markers[i];
        let next = markers.get(i + 1);
        let block = match (m.edge, next) {
            (Edge::Begin, Some(n)) if n.edge == Edge::End => {
                i += 2;
                Block {
                    begin: Some(m.clone()),
                    end: Some(n.clone()),
                    content: m.range.end..n.range.start,
                }
            }
            (Edge::Begin, _) => {
                i += 1;
                Block {
                    begin: Some(m.clone()),
                    end: None,
                    content: m.range.end..next.map_or(text.len(), |n| n.range.start),
                }
            }
            (Edge::End, _) => {
                i += 1;
                Block {
                    begin: None,
                    end: Some(m.clone()),
                    content: previous_end.min(m.range.start)..m.range.start,
                }
            }
        };
        previous_end = block.span().end;
        blocks.push(block);
    }
    blocks
}

fn outside_text(text: &str, blocks: &[Block]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for b in blocks {
        let span = b.span();
        if span.start > pos {
            out.push(pos..span.start);
        }
        pos = pos.max(span.end);
    }
    if pos < text.len() {
        out.push(pos..text.len());
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LabelKind {
    RsaPrivate,
    Pkcs8Private,
    EncryptedPrivate,
    EcPrivate,
    OtherPrivate(UnsupportedKind),
    Public(&'static str),
    Certificate,
    /// Parameter blocks that ride along with a key (`EC PARAMETERS`): not counted.
    Ignorable,
    Other,
}

impl LabelKind {
    fn of(label: &str) -> LabelKind {
        match label {
            "RSA PRIVATE KEY" => LabelKind::RsaPrivate,
            "PRIVATE KEY" => LabelKind::Pkcs8Private,
            "ENCRYPTED PRIVATE KEY" => LabelKind::EncryptedPrivate,
            "EC PRIVATE KEY" => LabelKind::EcPrivate,
            "OPENSSH PRIVATE KEY" => LabelKind::OtherPrivate(UnsupportedKind::OpenSsh),
            "DSA PRIVATE KEY" => LabelKind::OtherPrivate(UnsupportedKind::Dsa),
            "PGP PRIVATE KEY BLOCK" => LabelKind::OtherPrivate(UnsupportedKind::Pgp),
            "PUBLIC KEY" => LabelKind::Public("BEGIN PUBLIC KEY"),
            "RSA PUBLIC KEY" => LabelKind::Public("BEGIN RSA PUBLIC KEY"),
            "SSH2 PUBLIC KEY" => LabelKind::Public("BEGIN SSH2 PUBLIC KEY"),
            "PGP PUBLIC KEY BLOCK" => LabelKind::Public("a PGP public key block"),
            "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => LabelKind::Certificate,
            "EC PARAMETERS" | "DSA PARAMETERS" | "DH PARAMETERS" => LabelKind::Ignorable,
            l if l.contains("PRIVATE KEY") => {
                LabelKind::OtherPrivate(UnsupportedKind::Other(format!("a key labelled BEGIN {l}")))
            }
            l if l.contains("PUBLIC KEY") => LabelKind::Public("a public key block"),
            _ => LabelKind::Other,
        }
    }

    fn is_private(&self) -> bool {
        matches!(
            self,
            LabelKind::RsaPrivate
                | LabelKind::Pkcs8Private
                | LabelKind::EncryptedPrivate
                | LabelKind::EcPrivate
                | LabelKind::OtherPrivate(_)
        )
    }

    /// How another block is named in a [`KeyError::MultipleKeys`] message.
    fn description(&self, label: &str) -> Option<String> {
        match self {
            LabelKind::Public(_) => Some(format!("a public key (BEGIN {label})")),
            LabelKind::Certificate => Some(format!("a certificate (BEGIN {label})")),
            LabelKind::Other => Some(format!("a BEGIN {label} block")),
            _ => None,
        }
    }
}

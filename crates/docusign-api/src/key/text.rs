//! Text clean-up: undo what editors, chat apps, config formats and shells do to a pasted key
//! (field cases F01, F04), before any PEM parsing. Every change is recorded as a [`KeyNote`].

use super::{add_note, KeyNote, Zeroizing};

/// Returns the cleaned text: no BOM or invisible characters, outer quotes and code fences
/// removed, escapes decoded, LF line endings, every line trimmed, no blank lines at either end.
/// Blank lines inside are kept (as empty lines) so the caller can report them.
pub(super) fn normalise(input: &str, notes: &mut Vec<KeyNote>) -> Zeroizing<String> {
    let mut s = input;
    while let Some(rest) = s.strip_prefix('\u{feff}') {
        add_note(notes, KeyNote::StrippedBom);
        s = rest;
    }
    let mut text = Zeroizing::new(String::with_capacity(s.len()));
    for c in s.chars() {
        if is_invisible(c) {
            add_note(notes, KeyNote::RemovedInvisibleCharacters);
        } else {
            text.push(c);
        }
    }
    let mut text = Zeroizing::new(unwrap_outer(&text, notes).to_string());
    if text.contains('\\') {
        text = unescape(&text, notes);
    }
    if text.contains("&#") {
        text = decode_char_refs(&text, notes);
    }
    if text.contains('%') {
        text = decode_percent(&text, notes);
    }
    if text.contains(['\r', '\u{2028}', '\u{2029}', '\u{85}']) {
        add_note(notes, KeyNote::NormalisedLineEndings);
        text = Zeroizing::new(
            text.replace("\r\n", "\n")
                .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}'], "\n"),
        );
    }
    tidy_lines(&text, notes)
}

/// Zero-width characters and other invisible marks that chat apps and web pages insert.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}' | '\u{180e}'
    )
}

/// Trims the whole text and peels off Markdown code fences and surrounding quotes.
fn unwrap_outer<'a>(s: &'a str, notes: &mut Vec<KeyNote>) -> &'a str {
    let start = s.trim_start();
    let trimmed = start.trim_end();
    let trailing = &start[trimmed.len()..];
    if start.len() != s.len() || !matches!(trailing, "" | "\n" | "\r\n") {
        add_note(notes, KeyNote::TrimmedWhitespace);
    }
    let mut cur = trimmed;
    for _ in 0..4 {
        if let Some(inner) = strip_code_fence(cur) {
            add_note(notes, KeyNote::RemovedCodeFence);
            cur = inner.trim();
        } else if let Some(inner) = strip_quotes(cur) {
            add_note(notes, KeyNote::RemovedSurroundingQuotes);
            cur = inner.trim();
        } else {
            break;
        }
    }
    cur
}

fn strip_code_fence(s: &str) -> Option<&str> {
    let fence = ["```", "~~~"].into_iter().find(|f| s.starts_with(f))?;
    let body = s.strip_suffix(fence)?;
    if body.len() < fence.len() {
        return None;
    }
    // Drop the opening fence and any language tag on its line.
    let after_open = &body[fence.len()..];
    Some(match after_open.find('\n') {
        Some(i) => &after_open[i + 1..],
        None => after_open,
    })
}

fn strip_quotes(s: &str) -> Option<&str> {
    const PAIRS: [(char, char); 6] = [
        ('"', '"'),
        ('\'', '\''),
        ('`', '`'),
        ('\u{201C}', '\u{201D}'),
        ('\u{2018}', '\u{2019}'),
        ('\u{00AB}', '\u{00BB}'),
    ];
    // A JSON or code line may end with a comma or semicolon after the closing quote.
    let s = s.strip_suffix([',', ';']).unwrap_or(s);
    PAIRS.iter().find_map(|&(open, close)| {
        let inner = s.strip_prefix(open)?.strip_suffix(close)?;
        Some(inner)
    })
}

/// Decodes backslash escapes: `\n`, `\r\n`, `\r` (also double-escaped `\\n`), `\t`, `\/`, `\"`,
/// `\uXXXX`, and drops line-continuation backslashes. Unknown escapes are kept as they are so a
/// later step can point at the backslash.
fn unescape(s: &str, notes: &mut Vec<KeyNote>) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(s.len()));
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        while it.peek() == Some(&'\\') {
            it.next();
        }
        match it.peek().copied() {
            Some('n') => {
                it.next();
                out.push('\n');
                add_note(notes, KeyNote::ConvertedEscapedNewlines);
            }
            Some('r') => {
                it.next();
                // `\r\n` (or `\\r\\n`) is one line break.
                let mut look = it.clone();
                let mut saw_backslash = false;
                while look.peek() == Some(&'\\') {
                    look.next();
                    saw_backslash = true;
                }
                if saw_backslash && look.peek() == Some(&'n') {
                    look.next();
                    it = look;
                }
                out.push('\n');
                add_note(notes, KeyNote::ConvertedEscapedNewlines);
            }
            Some('t') => {
                it.next();
                out.push(' ');
                add_note(notes, KeyNote::DecodedEscapeSequences);
            }
            Some(q @ ('/' | '"' | '\'')) => {
                it.next();
                out.push(q);
                add_note(notes, KeyNote::DecodedEscapeSequences);
            }
            Some('u') => {
                let mut look = it.clone();
                look.next();
                let hex: String = look.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                {
                    Some(decoded) => {
                        it = look;
                        if matches!(decoded, '\n' | '\r') {
                            // `\u000d\u000a` leaves a CR that the line-ending step folds.
                            out.push(decoded);
                            add_note(notes, KeyNote::ConvertedEscapedNewlines);
                        } else {
                            out.push(decoded);
                            add_note(notes, KeyNote::DecodedEscapeSequences);
                        }
                    }
                    None => out.push('\\'),
                }
            }
            Some('\n' | '\r') => add_note(notes, KeyNote::RemovedLineContinuations),
            _ => out.push('\\'),
        }
    }
    out
}

/// Decodes XML/HTML numeric character references (`&#10;`, `&#xA;`, `&#x2B;`).
fn decode_char_refs(s: &str, notes: &mut Vec<KeyNote>) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(s.len()));
    let mut rest = s;
    while let Some(pos) = rest.find("&#") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 2..];
        let (radix, digits_start) = match after.as_bytes().first() {
            Some(b'x' | b'X') => (16, 1),
            _ => (10, 0),
        };
        let digits = &after[digits_start..];
        let len = digits
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count()
            .min(8);
        let decoded = (len > 0 && digits.as_bytes().get(len) == Some(&b';'))
            .then(|| u32::from_str_radix(&digits[..len], radix).ok())
            .flatten()
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                add_note(notes, KeyNote::DecodedXmlEntities);
                rest = &digits[len + 1..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes `%XX` URL escapes of ASCII characters (`%0A`, `%2B`, `%2F`, `%3D`, `%20`).
fn decode_percent(s: &str, notes: &mut Vec<KeyNote>) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(s.len()));
    let mut rest = s;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after
            .get(..2)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(u8::is_ascii);
        match decoded {
            Some(b) => {
                out.push(char::from(b));
                add_note(notes, KeyNote::DecodedPercentEncoding);
                rest = &after[2..];
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes a quote/comment mark common to every line, trims every line, drops blank lines at
/// both ends.
fn tidy_lines(s: &str, notes: &mut Vec<KeyNote>) -> Zeroizing<String> {
    let mut lines: Vec<&str> = s.split('\n').collect();
    for _ in 0..3 {
        let Some(prefix) = common_line_prefix(&lines) else {
            break;
        };
        add_note(notes, KeyNote::RemovedLinePrefix);
        for line in &mut lines {
            let t = line.trim_start();
            *line = t.strip_prefix(prefix).unwrap_or(t);
        }
    }
    let mut indented = 0;
    let mut ragged = false;
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        if line.starts_with(char::is_whitespace) {
            indented += 1;
        }
        if line.ends_with(char::is_whitespace) {
            ragged = true;
        }
    }
    if indented >= 2 {
        add_note(notes, KeyNote::RemovedIndentation);
    } else if indented == 1 || ragged {
        add_note(notes, KeyNote::TrimmedWhitespace);
    }
    let mut out = Zeroizing::new(String::with_capacity(s.len()));
    for line in &lines {
        out.push_str(line.trim());
        out.push('\n');
    }
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    let lead = out.len() - out.trim_start().len();
    out.drain(..lead);
    out
}

/// A mark that every non-blank line starts with: mail quoting (`>`), comments (`#`, `//`, `;`).
fn common_line_prefix(lines: &[&str]) -> Option<&'static str> {
    let mut non_blank = lines
        .iter()
        .map(|l| l.trim_start())
        .filter(|l| !l.is_empty())
        .peekable();
    non_blank.peek()?;
    let candidates = ["//", ">", "#", ";"];
    let first = non_blank.peek().copied()?;
    let prefix = candidates.into_iter().find(|p| first.starts_with(p))?;
    non_blank.all(|l| l.starts_with(prefix)).then_some(prefix)
}

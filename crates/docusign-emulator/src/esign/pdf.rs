//! A tiny PDF 1.4 writer: pages of Helvetica text lines, optional padding content streams (for
//! large generated documents), a correct cross-reference table, `%%EOF`.
//!
//! The output is a [`Blob`], so padding is streamed rather than built in memory.

use std::fmt::Write as _;

use super::blob::Blob;

/// Lines per page; longer texts continue on further pages.
const LINES_PER_PAGE: usize = 48;
/// Characters per line; longer lines are cut.
const MAX_LINE: usize = 95;

/// One page: text lines, and bytes of padding (comment lines) in a second content stream.
#[derive(Clone, Debug, Default)]
pub(crate) struct Page {
    pub lines: Vec<String>,
    pub padding: u64,
}

/// Splits `lines` into pages of at most 48 lines (at least one page).
pub(crate) fn paginate(lines: Vec<String>) -> Vec<Page> {
    if lines.is_empty() {
        return vec![Page::default()];
    }
    lines
        .chunks(LINES_PER_PAGE)
        .map(|c| Page {
            lines: c.to_vec(),
            padding: 0,
        })
        .collect()
}

/// Escapes text for a PDF literal string; non-ASCII becomes `?`.
fn pdf_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars().take(MAX_LINE) {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

fn text_stream(lines: &[String]) -> String {
    let mut s = String::from("BT\n/F1 11 Tf\n14 TL\n56 760 Td\n");
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(s, "/F1 14 Tf {} Tj /F1 11 Tf T* T*", pdf_string(line));
        } else {
            let _ = writeln!(s, "{} Tj T*", pdf_string(line));
        }
    }
    s.push_str("ET\n");
    s
}

fn emit(blob: &mut Blob, pos: &mut u64, bytes: Vec<u8>) {
    *pos += bytes.len() as u64;
    blob.push_bytes(bytes);
}

/// Lays out a PDF. `slack` extra bytes (a comment line before `xref`) let [`build_sized`] hit
/// an exact size.
fn layout(title: &str, pages: &[Page], slack: usize) -> Blob {
    let mut blob = Blob::new();
    let mut offsets: Vec<u64> = Vec::new();
    let mut pos: u64 = 0;

    emit(
        &mut blob,
        &mut pos,
        b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec(),
    );

    // Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then per page: page, text, [padding].
    let mut page_objs = Vec::new();
    let mut next = 5u32;
    let mut plan = Vec::new();
    for page in pages {
        let page_obj = next;
        let text_obj = next + 1;
        let pad_obj = if page.padding > 0 {
            Some(next + 2)
        } else {
            None
        };
        next += if pad_obj.is_some() { 3 } else { 2 };
        page_objs.push(page_obj);
        plan.push((page_obj, text_obj, pad_obj));
    }
    let count = next - 1;

    let kids: Vec<String> = page_objs.iter().map(|n| format!("{n} 0 R")).collect();
    let header_objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            page_objs.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
        format!(
            "<< /Title {} /Producer (DocuSign emulator) /Creator (DocuSign emulator) >>",
            pdf_string(title)
        ),
    ];
    for (i, body) in header_objects.iter().enumerate() {
        offsets.push(pos);
        emit(
            &mut blob,
            &mut pos,
            format!("{} 0 obj\n{body}\nendobj\n", i + 1).into_bytes(),
        );
    }

    for (page, (page_obj, text_obj, pad_obj)) in pages.iter().zip(plan) {
        let contents = match pad_obj {
            Some(p) => format!("[{text_obj} 0 R {p} 0 R]"),
            None => format!("{text_obj} 0 R"),
        };
        offsets.push(pos);
        emit(
            &mut blob,
            &mut pos,
            format!(
                "{page_obj} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {contents} >>\nendobj\n"
            )
            .into_bytes(),
        );
        let text = text_stream(&page.lines);
        offsets.push(pos);
        emit(
            &mut blob,
            &mut pos,
            format!(
                "{text_obj} 0 obj\n<< /Length {} >>\nstream\n{text}\nendstream\nendobj\n",
                text.len()
            )
            .into_bytes(),
        );
        if let Some(p) = pad_obj {
            offsets.push(pos);
            emit(
                &mut blob,
                &mut pos,
                format!("{p} 0 obj\n<< /Length {} >>\nstream\n", page.padding).into_bytes(),
            );
            blob.push_padding(page.padding);
            pos += page.padding;
            emit(&mut blob, &mut pos, b"\nendstream\nendobj\n".to_vec());
        }
    }

    match slack {
        0 => {}
        1 => emit(&mut blob, &mut pos, b"\n".to_vec()),
        n => {
            let mut line = vec![b'%'];
            line.extend(std::iter::repeat_n(b' ', n - 2));
            line.push(b'\n');
            emit(&mut blob, &mut pos, line);
        }
    }

    let xref_at = pos;
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", count + 1);
    for off in &offsets {
        let _ = writeln!(xref, "{off:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        count + 1
    );
    emit(&mut blob, &mut pos, xref.into_bytes());
    blob
}

/// A PDF of these pages.
pub(crate) fn build(title: &str, pages: &[Page]) -> Blob {
    layout(title, pages, 0)
}

/// A one-page PDF with `lines`, padded so the file is exactly `size` bytes (or as small as it can
/// be, when `size` is below the size of the text alone). Returns the PDF and the padding used.
pub(crate) fn build_sized(title: &str, lines: Vec<String>, size: u64) -> (Blob, u64) {
    let mut pages = paginate(lines);
    pages.truncate(1);
    let page_with = |padding: u64| {
        let mut p = pages.clone();
        if let Some(first) = p.first_mut() {
            first.padding = padding;
        }
        p
    };
    let base = layout(title, &page_with(1), 0).len();
    if size <= base {
        let padding = if size < base { 0 } else { 1 };
        return (layout(title, &page_with(padding), 0), padding);
    }
    let mut padding = size - base + 1;
    // Grow/shrink until the layout fits, then close the gap with slack bytes.
    for _ in 0..8 {
        let len = layout(title, &page_with(padding), 0).len();
        if len == size {
            return (layout(title, &page_with(padding), 0), padding);
        }
        if len > size {
            padding = padding.saturating_sub(len - size).max(1);
        } else {
            break;
        }
    }
    for back in 0..4u64 {
        let p = padding.saturating_sub(back).max(1);
        for slack in 0..16usize {
            let blob = layout(title, &page_with(p), slack);
            if blob.len() == size {
                return (blob, p);
            }
        }
    }
    (layout(title, &page_with(padding), 0), padding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_structure(bytes: &[u8]) {
        assert!(bytes.starts_with(b"%PDF-1.4\n"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(bytes);
        let sx = text.rfind("startxref\n").unwrap_or(0) + "startxref\n".len();
        let xref_at: usize = text[sx..]
            .lines()
            .next()
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        assert_eq!(&bytes[xref_at..xref_at + 5], b"xref\n");
        // every xref entry points at "N 0 obj"
        let entries: Vec<&str> = text[xref_at..].lines().skip(3).collect();
        for (i, e) in entries
            .iter()
            .take_while(|e| e.ends_with(" n "))
            .enumerate()
        {
            let off: usize = e[..10].parse().unwrap_or(0);
            let want = format!("{} 0 obj", i + 1);
            assert_eq!(&text[off..off + want.len()], want, "object {}", i + 1);
        }
    }

    #[test]
    fn small_pdf_is_well_formed() {
        let pages = paginate(vec!["Title (1)".into(), "line \\ two".into(), "é".into()]);
        let blob = build("Doc", &pages);
        let bytes = blob.to_vec();
        assert_eq!(bytes.len() as u64, blob.len());
        check_structure(&bytes);
    }

    #[test]
    fn sized_pdf_hits_exact_sizes() {
        for size in [2_000u64, 9_999, 10_000, 65_536, 100_001, 1_000_000] {
            let (blob, _) = build_sized("Big", vec!["Big document".into()], size);
            assert_eq!(blob.len(), size, "size {size}");
            let bytes = blob.to_vec();
            assert_eq!(bytes.len() as u64, size);
            check_structure(&bytes);
        }
        let (tiny, _) = build_sized("Tiny", vec!["x".into()], 10);
        assert!(tiny.len() > 10);
    }
}

//! Document download: streamed to a temporary file beside the target, decoded from base64 on
//! the fly when DocuSign says `Content-Transfer-Encoding: base64`, type-checked by its first
//! bytes, then renamed into place (F37). Never holds the whole file in memory.

use super::client::{excerpt, transport_of, Body, EsignClient, Seg};
use super::error::EsignError;
use base64::Engine as _;
use reqwest::header::{HeaderMap, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Which document of an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentId {
    /// One document by its `documentId` (a PDF).
    Id(u32),
    /// `combined`: all documents as one PDF (plus the certificate if the account says so).
    Combined,
    /// `archive`: a ZIP of all documents and the certificate.
    Archive,
    /// `certificate`: the certificate of completion (PDF).
    Certificate,
    /// `portfolio`: a PDF portfolio of all documents.
    Portfolio,
}

impl DocumentId {
    /// The path segment: the number, or `combined` / `archive` / `certificate` / `portfolio`.
    pub fn as_segment(&self) -> String {
        match self {
            DocumentId::Id(n) => n.to_string(),
            DocumentId::Combined => "combined".into(),
            DocumentId::Archive => "archive".into(),
            DocumentId::Certificate => "certificate".into(),
            DocumentId::Portfolio => "portfolio".into(),
        }
    }

    /// Parses `"1"`, `"combined"`, `"archive"`, `"certificate"`, `"portfolio"` (any case).
    pub fn parse(s: &str) -> Option<DocumentId> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "combined" => Some(DocumentId::Combined),
            "archive" => Some(DocumentId::Archive),
            "certificate" => Some(DocumentId::Certificate),
            "portfolio" => Some(DocumentId::Portfolio),
            _ => t.parse().ok().map(DocumentId::Id),
        }
    }

    fn is_zip(&self) -> bool {
        matches!(self, DocumentId::Archive)
    }

    fn magic(&self) -> &'static [u8] {
        if self.is_zip() {
            b"PK\x03\x04"
        } else {
            b"%PDF-"
        }
    }

    fn extension(&self) -> &'static str {
        if self.is_zip() {
            "zip"
        } else {
            "pdf"
        }
    }
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownloadedDocument {
    /// Where the file is now.
    pub path: PathBuf,
    /// Its size in bytes (decoded).
    pub bytes: u64,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// The file name DocuSign gave (`Content-Disposition: file; filename="NDA.pdf"`).
    pub filename: Option<String>,
    /// Whether the answer was base64 (`Content-Transfer-Encoding: base64`) and was decoded.
    pub was_base64: bool,
}

/// `filename` (or RFC 5987 `filename*`) of a `Content-Disposition` value.
pub(crate) fn disposition_filename(v: &str) -> Option<String> {
    let mut plain = None;
    for part in v.split(';') {
        let part = part.trim();
        let Some((k, val)) = part.split_once('=') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let val = val.trim();
        if k == "filename*" {
            // UTF-8''name%20with%20escapes
            let enc = val.rsplit_once("''").map(|(_, v)| v).unwrap_or(val);
            if let Ok(s) = percent_encoding::percent_decode_str(enc.trim_matches('"')).decode_utf8()
            {
                return Some(s.into_owned()).filter(|s| !s.is_empty());
            }
        } else if k == "filename" {
            plain = Some(val.trim_matches('"').to_string()).filter(|s| !s.is_empty());
        }
    }
    plain
}

/// A safe file name from a server-given one: the last path component, no control characters.
fn sanitize(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    (!clean.is_empty()).then_some(clean)
}

/// Streaming base64 decoder: whitespace (line breaks) ignored, any chunking.
#[derive(Default)]
pub(crate) struct Base64Stream {
    pending: Vec<u8>,
}

impl Base64Stream {
    /// Decodes what it can of `input`, appending to `out`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        self.pending
            .extend(input.iter().copied().filter(|b| !b.is_ascii_whitespace()));
        let usable = self.pending.len() / 4 * 4;
        // Keep the last quad back if it might be the padded end.
        let usable = if usable == self.pending.len() && usable >= 4 {
            usable - 4
        } else {
            usable
        };
        if usable > 0 {
            base64::engine::general_purpose::STANDARD
                .decode_vec(&self.pending[..usable], out)
                .map_err(|e| e.to_string())?;
            self.pending.drain(..usable);
        }
        Ok(())
    }

    /// Decodes the rest (padding optional).
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        while self.pending.last() == Some(&b'=') {
            self.pending.pop();
        }
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode_vec(&self.pending, out)
            .map_err(|e| e.to_string())
    }
}

fn header_str(h: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Writes decoded bytes, checking the first ones against the expected magic.
struct Sink {
    file: tokio::fs::File,
    head: Vec<u8>,
    checked: bool,
    magic: &'static [u8],
    written: u64,
}

enum SinkError {
    Io(std::io::Error),
    Magic(Vec<u8>),
}

impl Sink {
    async fn write(&mut self, data: &[u8]) -> Result<(), SinkError> {
        if data.is_empty() {
            return Ok(());
        }
        if !self.checked {
            self.head.extend_from_slice(data);
            if self.head.len() < self.magic.len() {
                return Ok(());
            }
            if !self.head.starts_with(self.magic) {
                return Err(SinkError::Magic(std::mem::take(&mut self.head)));
            }
            self.checked = true;
            let head = std::mem::take(&mut self.head);
            self.file.write_all(&head).await.map_err(SinkError::Io)?;
            self.written += head.len() as u64;
            return Ok(());
        }
        self.file.write_all(data).await.map_err(SinkError::Io)?;
        self.written += data.len() as u64;
        Ok(())
    }
}

impl EsignClient {
    /// Downloads one document of an envelope to `out` (a file path, or an existing folder:
    /// then DocuSign's file name is used, or `{envelopeId}-{document}.pdf|zip`). An existing
    /// file at the target is replaced.
    ///
    /// The body is streamed into a temporary file in the target's folder and renamed into
    /// place only when complete and checked: PDFs must start with `%PDF-`, the archive with
    /// `PK\x03\x04`. A `Content-Transfer-Encoding: base64` answer is decoded on the fly.
    /// On any failure the temporary file is removed and no file is left. `progress` is called
    /// after each chunk with `(bytes written so far, total bytes if known)`.
    /// The request may take up to `EsignConfig::download_total_timeout`, and fails after
    /// `download_idle_timeout` without data.
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}/documents/{documentId}`
    /// (`Documents_GetDocument`, SDK `getDocument`).
    ///
    /// # Errors
    /// [`EsignError::Io`] (target folder missing, disk full, rename failed),
    /// [`EsignError::Decode`] (not a PDF/ZIP, bad base64, empty body),
    /// [`EsignError::Transport`] (cut off or idle too long), or as any call.
    pub async fn download_document(
        &self,
        envelope_id: &str,
        document: DocumentId,
        out: &Path,
        mut progress: impl FnMut(u64, Option<u64>),
    ) -> Result<DownloadedDocument, EsignError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source: std::io::Error| EsignError::Io { path, source }
        };
        let into_dir = out.is_dir();
        let dir: PathBuf = if into_dir {
            out.to_path_buf()
        } else {
            match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        if !dir.is_dir() {
            return Err(EsignError::Io {
                path: dir,
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the folder does not exist",
                ),
            });
        }
        // The temporary file first: a folder we cannot write to is found before any call
        // (a failed download still costs a call, and a retry would look like polling).
        let tmp = tempfile::Builder::new()
            .prefix(".dsjwt-download-")
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(io(&dir))?;
        let seg = document.as_segment();
        let mut call = self.call(
            Method::GET,
            &[
                Seg::Lit("envelopes"),
                Seg::Id("envelopeId", envelope_id),
                Seg::Lit("documents"),
                Seg::Id("documentId", &seg),
            ],
        )?;
        call.stream = true;
        call.accept = if document.is_zip() {
            "application/zip, application/json"
        } else {
            "application/pdf, application/json"
        };
        let path_sent = call.url.path().to_string();

        let ans = self.execute(&call).await?;
        let status = ans.status;
        let pending = ans.pending;
        let headers = ans.headers;
        let mut resp = match ans.body {
            Body::Stream(r) => r,
            Body::Full(_) => {
                pending.finish(Some(status), None);
                return Err(EsignError::Decode {
                    path: path_sent,
                    reason: "expected a streamed body".into(),
                    excerpt: String::new(),
                });
            }
        };
        let content_type = header_str(&headers, CONTENT_TYPE);
        let filename =
            header_str(&headers, CONTENT_DISPOSITION).and_then(|d| disposition_filename(&d));
        let was_base64 = header_str(&headers, "content-transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("base64"));
        let total = if was_base64 {
            None
        } else {
            header_str(&headers, CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok())
        };
        let target = if into_dir {
            let name = filename.as_deref().and_then(sanitize).unwrap_or_else(|| {
                format!("{}-{}.{}", envelope_id.trim(), seg, document.extension())
            });
            dir.join(name)
        } else {
            out.to_path_buf()
        };

        let (std_file, tmp_path) = tmp.into_parts();
        let mut sink = Sink {
            file: tokio::fs::File::from_std(std_file),
            head: Vec::new(),
            checked: false,
            magic: document.magic(),
            written: 0,
        };
        let mut b64 = was_base64.then(Base64Stream::default);
        let mut decoded = Vec::new();
        let idle = self.idle_timeout();
        let expected = if document.is_zip() {
            "a ZIP archive (PK\\x03\\x04)"
        } else {
            "a PDF (%PDF-)"
        };

        // Any early return drops `tmp_path`, which deletes the temporary file.
        let result: Result<(), EsignError> = async {
            let magic_err = |head: Vec<u8>| EsignError::Decode {
                path: path_sent.clone(),
                reason: format!(
                    "expected {expected} but the file starts differently (Content-Type {})",
                    content_type.as_deref().unwrap_or("not given")
                ),
                excerpt: excerpt(&head, 40),
            };
            let sink_err = |e: SinkError| match e {
                SinkError::Io(e) => io(&tmp_path)(e),
                SinkError::Magic(h) => magic_err(h),
            };
            loop {
                let chunk = match tokio::time::timeout(idle, resp.chunk()).await {
                    Err(_) => {
                        return Err(EsignError::Transport {
                            method: "GET".into(),
                            path: path_sent.clone(),
                            reason: format!("no data for {} s", idle.as_secs()),
                            class: "timeout",
                        });
                    }
                    Ok(Err(e)) => {
                        let (reason, class) = transport_of(&e);
                        return Err(EsignError::Transport {
                            method: "GET".into(),
                            path: path_sent.clone(),
                            reason,
                            class,
                        });
                    }
                    Ok(Ok(None)) => break,
                    Ok(Ok(Some(c))) => c,
                };
                match b64.as_mut() {
                    Some(d) => {
                        decoded.clear();
                        d.push(&chunk, &mut decoded)
                            .map_err(|e| EsignError::Decode {
                                path: path_sent.clone(),
                                reason: format!("bad base64: {e}"),
                                excerpt: excerpt(&chunk, 40),
                            })?;
                        sink.write(&decoded).await.map_err(sink_err)?;
                    }
                    None => sink.write(&chunk).await.map_err(sink_err)?,
                }
                progress(sink.written + sink.head.len() as u64, total);
            }
            if let Some(d) = b64.take() {
                decoded.clear();
                d.finish(&mut decoded).map_err(|e| EsignError::Decode {
                    path: path_sent.clone(),
                    reason: format!("bad base64 at the end: {e}"),
                    excerpt: String::new(),
                })?;
                sink.write(&decoded).await.map_err(sink_err)?;
            }
            if !sink.checked {
                let head = std::mem::take(&mut sink.head);
                return Err(if head.is_empty() {
                    EsignError::Decode {
                        path: path_sent.clone(),
                        reason: format!("the body is empty; expected {expected}"),
                        excerpt: String::new(),
                    }
                } else {
                    magic_err(head)
                });
            }
            progress(sink.written, total.or(Some(sink.written)));
            sink.file.flush().await.map_err(io(&tmp_path))?;
            sink.file.sync_all().await.map_err(io(&tmp_path))?;
            Ok(())
        }
        .await;

        match result {
            Ok(()) => {
                let bytes = sink.written;
                drop(sink);
                if let Err(e) = tmp_path.persist(&target) {
                    pending.finish(Some(status), None);
                    return Err(EsignError::Io {
                        path: target,
                        source: e.error,
                    });
                }
                pending.finish(Some(status), None);
                Ok(DownloadedDocument {
                    path: target,
                    bytes,
                    content_type,
                    filename,
                    was_base64,
                })
            }
            Err(e) => {
                drop(sink);
                drop(tmp_path);
                match &e {
                    EsignError::Transport { class, .. } => {
                        pending.finish(None, Some((*class).to_string()))
                    }
                    EsignError::Decode { .. } => {
                        pending.finish(Some(status), Some("unexpected_body".into()))
                    }
                    _ => pending.finish(Some(status), None),
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_in_any_chunking() {
        let data: Vec<u8> = (0u8..=255).cycle().take(1000).collect();
        let enc = base64::engine::general_purpose::STANDARD.encode(&data);
        let wrapped: String = enc
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned() + "\r\n")
            .collect();
        for chunk in [1usize, 3, 5, 77, 4096] {
            let mut d = Base64Stream::default();
            let mut out = Vec::new();
            for c in wrapped.as_bytes().chunks(chunk) {
                d.push(c, &mut out).expect("push");
            }
            d.finish(&mut out).expect("finish");
            assert_eq!(out, data, "chunk {chunk}");
        }
        let mut d = Base64Stream::default();
        let mut out = Vec::new();
        assert!(d.push(b"!!!!!!!!", &mut out).is_err());
    }

    #[test]
    fn disposition_and_ids() {
        assert_eq!(
            disposition_filename(r#"file; filename="NDA.pdf"; documentid="1""#).as_deref(),
            Some("NDA.pdf")
        );
        assert_eq!(
            disposition_filename("attachment; filename*=UTF-8''Vertrag%20%C3%A4.pdf").as_deref(),
            Some("Vertrag ä.pdf")
        );
        assert_eq!(sanitize("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(sanitize("..").as_deref(), None);
        assert_eq!(DocumentId::parse("Combined"), Some(DocumentId::Combined));
        assert_eq!(DocumentId::parse("2"), Some(DocumentId::Id(2)));
        assert_eq!(DocumentId::parse("x"), None);
    }
}

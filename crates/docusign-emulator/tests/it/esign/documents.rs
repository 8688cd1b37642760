//! Documents: list, a document, combined (with and without certificate), certificate,
//! portfolio, archive (ZIP), base64 transfer (F37), large generated documents streamed.
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use futures_util::StreamExt as _;
use serde_json::json;

use super::*;

/// Bitwise CRC-32 (independent of the emulator's table/combine implementation).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn u16le(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32le(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// Reads a stored-only ZIP through its central directory: (name, bytes) per entry, CRCs checked.
fn unzip(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let eocd = zip.len() - 22;
    assert_eq!(&zip[eocd..eocd + 4], b"PK\x05\x06");
    let entries = u16le(zip, eocd + 10);
    let mut at = u32le(zip, eocd + 16);
    let mut out = Vec::new();
    for _ in 0..entries {
        assert_eq!(&zip[at..at + 4], b"PK\x01\x02");
        let crc = u32le(zip, at + 16) as u32;
        let size = u32le(zip, at + 24);
        let name_len = u16le(zip, at + 28);
        let extra = u16le(zip, at + 30);
        let comment = u16le(zip, at + 32);
        let local = u32le(zip, at + 42);
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(&zip[local..local + 4], b"PK\x03\x04");
        let data_at = local + 30 + u16le(zip, local + 26) + u16le(zip, local + 28);
        let data = zip[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data), crc, "CRC of {name}");
        out.push((name, data));
        at += 46 + name_len + extra + comment;
    }
    out
}

/// Checks the xref table: every entry points at its "N 0 obj".
fn check_pdf(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"), "magic");
    assert!(bytes.ends_with(b"%%EOF\n"));
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]).into_owned();
    let sx = tail.rfind("startxref\n").unwrap() + "startxref\n".len();
    let xref_at: usize = tail[sx..].lines().next().unwrap().parse().unwrap();
    assert_eq!(&bytes[xref_at..xref_at + 5], b"xref\n");
    let xref = String::from_utf8_lossy(&bytes[xref_at..]).into_owned();
    for (i, line) in xref
        .lines()
        .skip(3)
        .take_while(|l| l.ends_with(" n "))
        .enumerate()
    {
        let off: usize = line[..10].parse().unwrap();
        let want = format!("{} 0 obj", i + 1);
        assert_eq!(&bytes[off..off + want.len()], want.as_bytes());
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn document_list_and_downloads() {
    let ds = default_world().await;
    ds.relax_limits().await;
    let id = env_id(3);
    let list = ds
        .get(&format!("/envelopes/{id}/documents"))
        .await
        .ok()
        .clone();
    assert_eq!(list["envelopeId"], id);
    let docs = list["envelopeDocuments"].as_array().unwrap();
    assert_eq!(docs[0]["documentId"], "1");
    assert_eq!(docs[0]["name"], "Mutual NDA.pdf");
    assert_eq!(docs[0]["pages"].as_array().unwrap().len(), 2);
    assert_eq!(docs[1]["documentId"], "certificate");
    assert_eq!(docs[1]["type"], "summary");

    let (status, h, body) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/1"), &[])
        .await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(
        h["content-disposition"],
        "file; filename=\"Mutual NDA.pdf\"; documentid=\"1\""
    );
    assert_eq!(h["content-length"], body.len().to_string().as_str());
    assert!(!h.contains_key("content-transfer-encoding"));
    check_pdf(&body);
    let text = pdf_text(&body);
    assert!(text.contains(id));
    assert!(text.contains("CustomerAddress: 1 Main Street, Springfield"));
    assert_eq!(docs[0]["sizeBytes"], body.len().to_string().as_str());
    assert!(!h["x-ratelimit-remaining"].is_empty());

    let (_, h, with_cert) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/combined"), &[])
        .await;
    check_pdf(&with_cert);
    assert_eq!(
        h["content-disposition"],
        "file; filename=\"Combined.pdf\"; documentid=\"combined\""
    );
    assert!(pdf_text(&with_cert).contains("Certificate Of Completion"));
    let (_, _, no_cert) = ds
        .get_bytes(
            &format!("/envelopes/{id}/documents/combined?certificate=false"),
            &[],
        )
        .await;
    check_pdf(&no_cert);
    assert!(!pdf_text(&no_cert).contains("Certificate Of Completion"));
    assert!(no_cert.len() < with_cert.len());

    let (_, h, cert) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/certificate"), &[])
        .await;
    check_pdf(&cert);
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .contains("documentid=\"certificate\""));
    let (_, _, portfolio) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/portfolio"), &[])
        .await;
    check_pdf(&portfolio);

    let (status, h, zip) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/archive"), &[])
        .await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "application/zip");
    assert!(zip.starts_with(b"PK"));
    let entries = unzip(&zip);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["Mutual NDA.pdf", "Summary.pdf"]);
    for (_, data) in &entries {
        check_pdf(data);
    }

    // F37: base64 transfer encoding
    let (status, h, b64) = ds
        .get_bytes(
            &format!("/envelopes/{id}/documents/1"),
            &[("Content-Transfer-Encoding", "base64")],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(h["content-transfer-encoding"], "base64");
    assert_eq!(h["content-length"], b64.len().to_string().as_str());
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&b64)
        .unwrap();
    assert_eq!(decoded, body);
    let (_, _, zip64) = ds
        .get_bytes(
            &format!("/envelopes/{id}/documents/archive"),
            &[("Content-Transfer-Encoding", "base64")],
        )
        .await;
    let zip_decoded = base64::engine::general_purpose::STANDARD
        .decode(&zip64)
        .unwrap();
    assert!(zip_decoded.starts_with(b"PK"));

    // errors
    ds.get(&format!("/envelopes/{id}/documents/7"))
        .await
        .error(400, "DOCUMENT_DOES_NOT_EXIST");
    ds.get("/envelopes/7f1a1c8e-0000-4000-8000-000000000000/documents/1")
        .await
        .error(400, "ENVELOPE_DOES_NOT_EXIST");
    ds.get(&format!(
        "/envelopes/{id}/documents/combined?certificate=maybe"
    ))
    .await
    .error(400, "INVALID_REQUEST_PARAMETER");
}

#[tokio::test]
async fn large_documents_are_streamed_with_exact_sizes() {
    let ds = default_world().await;
    ds.relax_limits().await;
    let id = env_id(8);
    let path = format!("/accounts/{}/envelopes/{id}/documents", ds.account);
    for (size, doc) in [(1_000_000u64, "2"), (10_000_000, "3"), (100_000_000, "4")] {
        let v = ds.admin_ok(&path, json!({"size_bytes": size})).await;
        assert_eq!(v["document_id"], doc);
    }
    let (status, _) = ds.admin(&path, json!({"size_bytes": 0})).await;
    assert_eq!(status, 400);

    // 1 MB: whole body, valid PDF
    let (_, h, one) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/2"), &[])
        .await;
    assert_eq!(one.len(), 1_000_000);
    assert_eq!(h["content-length"], "1000000");
    check_pdf(&one);

    // 10 MB and 100 MB: streamed and counted chunk by chunk
    for (doc, size) in [("3", 10_000_000usize), ("4", 100_000_000)] {
        let resp =
            ds.t.client
                .get(ds.rest(&format!("/envelopes/{id}/documents/{doc}")))
                .bearer_auth(&ds.token)
                .send()
                .await
                .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.content_length(), Some(size as u64));
        let mut stream = resp.bytes_stream();
        let mut total = 0usize;
        let mut head = Vec::new();
        let mut tail = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            if head.len() < 16 {
                head.extend_from_slice(&chunk[..chunk.len().min(16)]);
            }
            tail.extend_from_slice(&chunk);
            if tail.len() > 64 {
                tail.drain(..tail.len() - 64);
            }
            total += chunk.len();
        }
        assert_eq!(total, size);
        assert!(head.starts_with(b"%PDF-1.4"));
        assert!(tail.ends_with(b"%%EOF\n"));
    }

    // the list reports the sizes; an archive with the 1 MB + 10 MB documents is a valid ZIP
    let list = ds
        .get(&format!("/envelopes/{id}/documents"))
        .await
        .ok()
        .clone();
    assert_eq!(list["envelopeDocuments"][1]["sizeBytes"], "1000000");
    assert_eq!(list["envelopeDocuments"][3]["sizeBytes"], "100000000");
}

#[tokio::test]
async fn archive_of_large_documents() {
    let ds = default_world().await;
    let id = env_id(6);
    let path = format!("/accounts/{}/envelopes/{id}/documents", ds.account);
    ds.admin_ok(&path, json!({"size_bytes": 3_000_000, "name": "Big"}))
        .await;
    let (status, h, zip) = ds
        .get_bytes(&format!("/envelopes/{id}/documents/archive"), &[])
        .await;
    assert_eq!(status, 200);
    assert_eq!(h["content-length"], zip.len().to_string().as_str());
    let entries = unzip(&zip);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["Offer Letter.pdf", "Big.pdf", "Summary.pdf"]);
    assert_eq!(entries[1].1.len(), 3_000_000);
    check_pdf(&entries[1].1);
}

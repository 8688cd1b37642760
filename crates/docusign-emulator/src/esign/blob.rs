//! Downloadable bodies built from parts: small byte strings plus "padding" runs that are generated
//! on the fly, so a 100 MB document is streamed in 64 KiB chunks and never held in memory.
//!
//! A padding run is a sequence of PDF comment lines (`%xxxx…\n`), valid inside a content stream.
//! Its CRC-32 is computed arithmetically (zlib's `crc32_combine`), so a ZIP archive of a large
//! document knows its checksums before streaming starts.

use std::sync::OnceLock;

use axum::body::Bytes;
use base64::Engine as _;

/// Chunk size of streamed bodies and of one padding block.
const CHUNK: usize = 64 * 1024;
/// Length of one padding line (`%` + 62 fill bytes + `\n`).
const LINE: usize = 64;

/// One piece of a body.
#[derive(Clone, Debug)]
pub(crate) enum Part {
    /// Literal bytes.
    Bytes(Bytes),
    /// `n` bytes of PDF comment lines, generated while streaming.
    Padding(u64),
}

/// A body made of parts, with its exact length.
#[derive(Clone, Debug, Default)]
pub(crate) struct Blob {
    parts: Vec<Part>,
    len: u64,
}

impl Blob {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push_bytes(&mut self, bytes: impl Into<Bytes>) {
        let bytes: Bytes = bytes.into();
        if bytes.is_empty() {
            return;
        }
        self.len += bytes.len() as u64;
        self.parts.push(Part::Bytes(bytes));
    }

    pub(crate) fn push_padding(&mut self, n: u64) {
        if n == 0 {
            return;
        }
        self.len += n;
        self.parts.push(Part::Padding(n));
    }

    pub(crate) fn append(&mut self, other: Blob) {
        self.len += other.len;
        self.parts.extend(other.parts);
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The whole body in memory (only for small bodies: tests, checksums of text parts).
    #[cfg(test)]
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in self.clone().into_chunks() {
            out.extend_from_slice(&chunk);
        }
        out
    }

    /// CRC-32 (ZIP/IEEE) of the whole body, without generating the padding.
    pub(crate) fn crc32(&self) -> u32 {
        let mut crc = 0u32;
        for part in &self.parts {
            match part {
                Part::Bytes(b) => crc = crc32_update(crc, b),
                Part::Padding(n) => crc = crc32_combine(crc, padding_crc(*n), *n),
            }
        }
        crc
    }

    /// The body as chunks of at most 64 KiB.
    pub(crate) fn into_chunks(self) -> impl Iterator<Item = Bytes> + Send + 'static {
        self.parts.into_iter().flat_map(part_chunks)
    }
}

fn part_chunks(part: Part) -> Box<dyn Iterator<Item = Bytes> + Send> {
    match part {
        Part::Bytes(b) => {
            let n = b.len();
            Box::new(
                (0..n)
                    .step_by(CHUNK)
                    .map(move |i| b.slice(i..(i + CHUNK).min(n))),
            )
        }
        Part::Padding(n) => Box::new(padding_chunks(n)),
    }
}

/// One padding block: 1024 lines of `%` + 62 × `x` + `\n`.
fn padding_block() -> &'static Bytes {
    static BLOCK: OnceLock<Bytes> = OnceLock::new();
    BLOCK.get_or_init(|| {
        let mut v = Vec::with_capacity(CHUNK);
        while v.len() < CHUNK {
            v.push(b'%');
            v.extend(std::iter::repeat_n(b'x', LINE - 2));
            v.push(b'\n');
        }
        Bytes::from(v)
    })
}

/// The bytes after the whole blocks of a padding run of `n` bytes (fewer than 64 KiB).
fn padding_tail(n: u64) -> Bytes {
    let rem = usize::try_from(n % CHUNK as u64).unwrap_or(0);
    let full_lines = rem / LINE * LINE;
    let tail = rem % LINE;
    let mut v = Vec::with_capacity(rem);
    v.extend_from_slice(&padding_block()[..full_lines]);
    match tail {
        0 => {}
        1 => v.push(b'\n'),
        t => {
            v.push(b'%');
            v.extend(std::iter::repeat_n(b'x', t - 2));
            v.push(b'\n');
        }
    }
    Bytes::from(v)
}

fn padding_chunks(n: u64) -> impl Iterator<Item = Bytes> + Send {
    let blocks = n / CHUNK as u64;
    let tail = padding_tail(n);
    (0..blocks)
        .map(|_| padding_block().clone())
        .chain(std::iter::once(tail).filter(|t| !t.is_empty()))
}

fn padding_crc(n: u64) -> u32 {
    static BLOCK_CRC: OnceLock<u32> = OnceLock::new();
    let block_crc = *BLOCK_CRC.get_or_init(|| crc32_update(0, padding_block()));
    let blocks = n / CHUNK as u64;
    let tail = padding_tail(n);
    // CRC of `blocks` copies of the block, by doubling.
    let mut result = 0u32;
    let mut cur_crc = block_crc;
    let mut cur_len = CHUNK as u64;
    let mut k = blocks;
    while k > 0 {
        if k & 1 == 1 {
            result = crc32_combine(result, cur_crc, cur_len);
        }
        k >>= 1;
        if k > 0 {
            cur_crc = crc32_combine(cur_crc, cur_crc, cur_len);
            cur_len *= 2;
        }
    }
    crc32_combine(result, crc32_update(0, &tail), tail.len() as u64)
}

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// Continues a CRC-32 (IEEE, as ZIP uses it) over `data`. Start with 0.
pub(crate) fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

fn gf2_matrix_times(mat: &[u32; 32], mut vec: u32) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn gf2_matrix_square(square: &mut [u32; 32], mat: &[u32; 32]) {
    for n in 0..32 {
        square[n] = gf2_matrix_times(mat, mat[n]);
    }
}

/// CRC-32 of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)` (zlib's `crc32_combine`).
pub(crate) fn crc32_combine(mut crc1: u32, crc2: u32, mut len2: u64) -> u32 {
    if len2 == 0 {
        return crc1;
    }
    let mut even = [0u32; 32];
    let mut odd = [0u32; 32];
    odd[0] = 0xEDB8_8320;
    let mut row = 1u32;
    for slot in odd.iter_mut().skip(1) {
        *slot = row;
        row <<= 1;
    }
    gf2_matrix_square(&mut even, &odd);
    gf2_matrix_square(&mut odd, &even);
    loop {
        gf2_matrix_square(&mut even, &odd);
        if len2 & 1 != 0 {
            crc1 = gf2_matrix_times(&even, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
        gf2_matrix_square(&mut odd, &even);
        if len2 & 1 != 0 {
            crc1 = gf2_matrix_times(&odd, crc1);
        }
        len2 >>= 1;
        if len2 == 0 {
            break;
        }
    }
    crc1 ^ crc2
}

/// Base64 (standard alphabet, padded, no line breaks) of a chunk stream, chunk by chunk.
pub(crate) fn base64_chunks<I>(inner: I) -> impl Iterator<Item = Bytes> + Send + 'static
where
    I: Iterator<Item = Bytes> + Send + 'static,
{
    let mut carry: Vec<u8> = Vec::with_capacity(2);
    let mut inner = inner.fuse();
    let mut done = false;
    std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        match inner.next() {
            Some(chunk) => {
                let mut buf = std::mem::take(&mut carry);
                buf.extend_from_slice(&chunk);
                let whole = buf.len() / 3 * 3;
                carry = buf[whole..].to_vec();
                if whole == 0 {
                    continue;
                }
                let text = base64::engine::general_purpose::STANDARD.encode(&buf[..whole]);
                return Some(Bytes::from(text));
            }
            None => {
                done = true;
                if carry.is_empty() {
                    return None;
                }
                let text = base64::engine::general_purpose::STANDARD.encode(&carry);
                return Some(Bytes::from(text));
            }
        }
    })
}

/// Length of the base64 text of `n` bytes.
pub(crate) fn base64_len(n: u64) -> u64 {
    n.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_known_value() {
        assert_eq!(crc32_update(0, b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn combine_matches_direct() {
        let a = b"hello, ".as_slice();
        let b = b"world and more bytes".as_slice();
        let whole = [a, b].concat();
        assert_eq!(
            crc32_combine(crc32_update(0, a), crc32_update(0, b), b.len() as u64),
            crc32_update(0, &whole)
        );
        assert_eq!(
            crc32_combine(0, crc32_update(0, b), b.len() as u64),
            crc32_update(0, b)
        );
    }

    #[test]
    fn padding_crc_and_length_match_generated_bytes() {
        for n in [
            0u64, 1, 2, 63, 64, 65, 1000, 65_535, 65_536, 65_537, 200_001,
        ] {
            let mut blob = Blob::new();
            blob.push_bytes(Bytes::from_static(b"head"));
            blob.push_padding(n);
            blob.push_bytes(Bytes::from_static(b"tail"));
            let bytes = blob.to_vec();
            assert_eq!(bytes.len() as u64, blob.len(), "n = {n}");
            assert_eq!(crc32_update(0, &bytes), blob.crc32(), "n = {n}");
        }
    }

    #[test]
    fn base64_streaming_matches_whole() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let chunks: Vec<Bytes> = data.chunks(7_001).map(Bytes::copy_from_slice).collect();
        let streamed: Vec<u8> = base64_chunks(chunks.into_iter()).flatten().collect();
        let whole = base64::engine::general_purpose::STANDARD.encode(&data);
        assert_eq!(streamed, whole.as_bytes());
        assert_eq!(base64_len(data.len() as u64), whole.len() as u64);
    }
}

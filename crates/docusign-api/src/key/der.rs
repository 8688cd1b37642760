//! DER classification: what a decoded body (or a `.der` file) is, and building the RSA key from
//! it by content, whatever the PEM label said (field cases F05, F07a).

use super::error::{CorruptReason, KeyError, UnsupportedKind};
use super::{KeyFormat, MAX_BITS};
use rsa::pkcs1::der::Decode;
use rsa::traits::PrivateKeyParts;
use rsa::{BigUint, RsaPrivateKey};

/// Why DER decoding failed.
pub(super) enum DerError {
    /// Not a DER SEQUENCE at all: the caller decides what that means in its context.
    NotDer,
    /// A recognised refusal (public key, EC key, truncated, damaged…).
    Key(KeyError),
}

impl From<KeyError> for DerError {
    fn from(e: KeyError) -> Self {
        DerError::Key(e)
    }
}

fn corrupt(reason: CorruptReason) -> DerError {
    DerError::Key(KeyError::Corrupt { reason })
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";

/// Decodes an RSA private key from PKCS#1 or PKCS#8 DER, or says precisely what else it is.
pub(super) fn decode_private(der: &[u8]) -> Result<(RsaPrivateKey, KeyFormat), DerError> {
    if der.starts_with(b"openssh-key-v1\0") {
        return Err(KeyError::UnsupportedKeyType {
            kind: UnsupportedKind::OpenSsh,
        }
        .into());
    }
    if is_ssh_public_blob(der) {
        return Err(KeyError::PublicKey {
            found: "an SSH public key",
        }
        .into());
    }
    let (tag, header_len, content_len) = header(der).ok_or(DerError::NotDer)?;
    if tag != 0x30 {
        return Err(DerError::NotDer);
    }
    let total = header_len
        .checked_add(content_len)
        .ok_or(DerError::NotDer)?;
    if total > der.len() {
        return Err(KeyError::Truncated {
            found_bytes: der.len(),
            expected_bytes: Some(total),
        }
        .into());
    }
    if der[total..].iter().any(|&b| b != 0) {
        return Err(corrupt(CorruptReason::TrailingData));
    }
    let der = &der[..total];

    if let Ok(pkcs1) = rsa::pkcs1::RsaPrivateKey::from_der(der) {
        return Ok((rsa_from_pkcs1(&pkcs1)?, KeyFormat::Pkcs1));
    }
    if let Ok(info) = rsa::pkcs8::PrivateKeyInfo::try_from(der) {
        return from_pkcs8(&info);
    }
    if rsa::pkcs8::SubjectPublicKeyInfoRef::try_from(der).is_ok() {
        return Err(KeyError::PublicKey {
            found: "BEGIN PUBLIC KEY format",
        }
        .into());
    }
    if rsa::pkcs1::RsaPublicKey::from_der(der).is_ok() {
        return Err(KeyError::PublicKey {
            found: "BEGIN RSA PUBLIC KEY format",
        }
        .into());
    }
    Err(recognise_structure(&der[header_len..]))
}

fn from_pkcs8(
    info: &rsa::pkcs8::PrivateKeyInfo<'_>,
) -> Result<(RsaPrivateKey, KeyFormat), DerError> {
    let oid = info.algorithm.oid.to_string();
    let ec = |found: &'static str| DerError::Key(KeyError::EcKey { found });
    let unsupported = |kind: UnsupportedKind| DerError::Key(KeyError::UnsupportedKeyType { kind });
    match oid.as_str() {
        OID_RSA => {
            let pkcs1 = rsa::pkcs1::RsaPrivateKey::from_der(info.private_key)
                .map_err(|_| corrupt(CorruptReason::Structure))?;
            Ok((rsa_from_pkcs1(&pkcs1)?, KeyFormat::Pkcs8))
        }
        "1.2.840.10045.2.1" => Err(ec("an ECDSA key inside BEGIN PRIVATE KEY")),
        "1.3.101.112" => Err(ec("an Ed25519 key")),
        "1.3.101.113" => Err(ec("an Ed448 key")),
        "1.3.101.110" => Err(ec("an X25519 key")),
        "1.3.101.111" => Err(ec("an X448 key")),
        "1.2.156.10197.1.301" => Err(ec("an SM2 key")),
        "1.2.840.113549.1.1.10" => Err(unsupported(UnsupportedKind::RsaPss)),
        "1.2.840.10040.4.1" => Err(unsupported(UnsupportedKind::Dsa)),
        other => Err(unsupported(UnsupportedKind::Other(format!(
            "a key with algorithm identifier {other}"
        )))),
    }
}

/// Builds the key and checks it fully: `validate()` (n = p·q, d·e ≡ 1) and the CRT values
/// stored in the file, which the `rsa` crate would otherwise silently recompute.
fn rsa_from_pkcs1(k: &rsa::pkcs1::RsaPrivateKey<'_>) -> Result<RsaPrivateKey, DerError> {
    if k.version() != rsa::pkcs1::Version::TwoPrime {
        return Err(KeyError::UnsupportedKeyType {
            kind: UnsupportedKind::MultiPrimeRsa,
        }
        .into());
    }
    let uint = |u: rsa::pkcs1::UintRef<'_>| BigUint::from_bytes_be(u.as_bytes());
    let n = uint(k.modulus);
    let bits = n.bits();
    if bits > MAX_BITS {
        return Err(KeyError::TooLarge { bits }.into());
    }
    let (e, d, p, q) = (
        uint(k.public_exponent),
        uint(k.private_exponent),
        uint(k.prime1),
        uint(k.prime2),
    );
    if [&e, &d, &p, &q].iter().any(|x| x.bits() > bits) || p == q {
        return Err(corrupt(CorruptReason::Inconsistent));
    }
    let key = RsaPrivateKey::from_components(n, e, d, vec![p.clone(), q.clone()])
        .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
    key.validate()
        .map_err(|_| corrupt(CorruptReason::Inconsistent))?;
    // from_components validated the primes (> 1), so p - 1 and q - 1 are not zero.
    let crt_ok = key.d() % (&p - 1u8) == uint(k.exponent1)
        && key.d() % (&q - 1u8) == uint(k.exponent2)
        && key.crt_coefficient() == Some(uint(k.coefficient));
    if !crt_ok {
        return Err(corrupt(CorruptReason::Inconsistent));
    }
    Ok(key)
}

/// Recognises other DER structures by shape, from the content of the outer SEQUENCE.
fn recognise_structure(content: &[u8]) -> DerError {
    let Some(elements) = elements(content) else {
        return corrupt(CorruptReason::Structure);
    };
    let e = |err: KeyError| DerError::Key(err);
    match elements.as_slice() {
        // EncryptedPrivateKeyInfo: { AlgorithmIdentifier, OCTET STRING }.
        [(0x30, alg), (0x04, _)] if alg.first() == Some(&0x06) => e(KeyError::Encrypted {
            found: "an encrypted PKCS#8 key",
        }),
        // SEC1 ECPrivateKey: { INTEGER 1, OCTET STRING, … }.
        [(0x02, [1]), (0x04, _), ..] => e(KeyError::EcKey {
            found: "an EC private key",
        }),
        // PKCS#12 PFX: { INTEGER 3, ContentInfo, … }.
        [(0x02, [3]), (0x30, _), ..] => e(KeyError::UnsupportedKeyType {
            kind: UnsupportedKind::Pkcs12,
        }),
        // Certificate (or request): { TBS, AlgorithmIdentifier, BIT STRING }.
        [(0x30, _), (0x30, _), (0x03, _)] => e(KeyError::Certificate),
        // Traditional DSA key: { 0, p, q, g, y, x }.
        [(0x02, [0]), rest @ ..] if rest.len() == 5 && rest.iter().all(|(t, _)| *t == 0x02) => {
            e(KeyError::UnsupportedKeyType {
                kind: UnsupportedKind::Dsa,
            })
        }
        _ => corrupt(CorruptReason::Structure),
    }
}

/// An SSH wire-format public key: `uint32 len` + `ssh-…` / `ecdsa-…` / `sk-…`.
fn is_ssh_public_blob(b: &[u8]) -> bool {
    match b {
        [0, 0, 0, len, rest @ ..] if (7..=40).contains(len) => {
            let name = &rest[..rest.len().min(usize::from(*len))];
            [&b"ssh-"[..], b"ecdsa-", b"sk-"]
                .iter()
                .any(|p| name.starts_with(p))
        }
        _ => false,
    }
}

/// A DER header: (tag, header length, content length). Definite lengths up to 4 bytes only.
fn header(b: &[u8]) -> Option<(u8, usize, usize)> {
    let (&tag, rest) = b.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    if first < 0x80 {
        return Some((tag, 2, usize::from(first)));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 || rest.len() < n {
        return None;
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
    Some((tag, 2 + n, len))
}

/// The top-level (tag, content) elements of a SEQUENCE's content; `None` if malformed.
fn elements(mut content: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (tag, header_len, len) = header(content)?;
        let total = header_len.checked_add(len)?;
        let element = content.get(header_len..total)?;
        out.push((tag, element));
        content = &content[total..];
        if out.len() > 32 {
            return None;
        }
    }
    Some(out)
}

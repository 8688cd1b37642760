//! Private keys a setup wizard was given (pasted, read from a file, or generated) and has not
//! saved yet, held in memory by reference (`draft:N`). They never go back to the UI: answers
//! carry the key's check and public parts, and the reference.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use docusign_api::key::PrivateKeyBytes;

use crate::problem::{Code, Problem};
use crate::wizard::FieldCheck;
use docusign_api::key::KeyInfo;

/// The detail of the `key_missing` problem for a key reference no longer held (a draft dropped
/// or forgotten).
pub const DRAFT_FORGOTTEN: &str = "draft_forgotten";

/// The longest list of draft keys kept; older ones are dropped.
pub const MAX_DRAFT_KEYS: usize = 16;

/// Keys given to the wizard and not saved yet, by reference (`draft:N`).
#[derive(Default)]
pub struct DraftKeys {
    keys: Mutex<HashMap<String, PrivateKeyBytes>>,
    next: AtomicU64,
}

impl DraftKeys {
    /// Keeps `key` and returns its reference (the oldest key goes beyond [`MAX_DRAFT_KEYS`]).
    pub fn insert(&self, key: PrivateKeyBytes) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let reference = format!("draft:{n}");
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if keys.len() >= MAX_DRAFT_KEYS {
            let oldest = keys
                .keys()
                .filter_map(|k| k.strip_prefix("draft:").and_then(|n| n.parse::<u64>().ok()))
                .min();
            if let Some(o) = oldest {
                keys.remove(&format!("draft:{o}"));
            }
        }
        keys.insert(reference.clone(), key);
        reference
    }

    /// A copy of the key for `reference`.
    ///
    /// # Errors
    /// `key_missing` (detail [`DRAFT_FORGOTTEN`], field `private_key`) when no key is held
    /// under `reference`. Its fix says what to do in words for every front end; the desktop
    /// adds where (its key step).
    pub fn get(&self, reference: &str) -> Result<PrivateKeyBytes, Problem> {
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.get(reference).cloned().ok_or_else(|| {
            Problem::new(
                Code::KeyMissing,
                "The app no longer holds the private key given for this connection.",
                "Give the private key again, or generate a new key pair.",
            )
            .with_detail(DRAFT_FORGOTTEN)
            .with_field("private_key")
        })
    }

    /// Forgets the key for `reference` (after saving, or when replaced).
    pub fn remove(&self, reference: &str) {
        self.keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(reference);
    }

    /// How many keys are held.
    pub fn len(&self) -> usize {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A private key the app accepted or refused: the check, what the key is (public parts only),
/// and a reference to the key now held in memory.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyAccepted {
    /// The check (reason and fix when refused).
    pub check: FieldCheck,
    /// Bits, fingerprint, public key; `None` when refused.
    pub info: Option<KeyInfo>,
    /// `draft:N` when accepted: pass it to saving or confirming consent.
    pub key_ref: Option<String>,
}

/// A key pair made in the app: the public half to upload, and the reference of the private half.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GeneratedKeyAnswer {
    /// Bits, fingerprint, and the public key PEM to upload to DocuSign.
    pub info: KeyInfo,
    /// `draft:N`: the private key, held in memory until saved.
    pub key_ref: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_keys_are_kept_by_reference_and_forgotten() {
        let d = DraftKeys::default();
        let r = d.insert(PrivateKeyBytes::new(b"k".to_vec()));
        assert_eq!(
            d.get(&r).map(|k| k.expose().to_vec()).ok(),
            Some(b"k".to_vec())
        );
        d.remove(&r);
        let e = d.get(&r).unwrap_err();
        assert_eq!(e.code, Code::KeyMissing);
        assert_eq!(e.detail.as_deref(), Some(DRAFT_FORGOTTEN));
        assert_eq!(e.field.as_deref(), Some("private_key"));
        for _ in 0..40 {
            let _ = d.insert(PrivateKeyBytes::new(vec![1]));
        }
        assert!(d.len() <= MAX_DRAFT_KEYS);
    }
}

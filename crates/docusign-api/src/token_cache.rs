//! Reusing one access token until close to its expiry (field case F17;
//! DocuSign FAQ: "store the expires in time and check the time before making
//! API calls"; a user may only hold a limited number of live tokens).

use crate::oauth::{AccessToken, TokenResponse};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// A token is re-minted when less than this many seconds of its life remain
/// (DocuSign's advice in F17: about 10 minutes).
pub const REFRESH_MARGIN_SECS: u64 = 600;

#[derive(Debug, Clone)]
struct Cached {
    token: AccessToken,
    expires_at: Instant,
}

/// A token kept outside the process, so the next process reuses it (the CLI keeps it in the
/// OS keyring, never in a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistedToken {
    /// The bearer token (secret; its Debug is redacted).
    pub access_token: AccessToken,
    /// When it expires, Unix seconds of this computer's clock (minted at + `expires_in`).
    pub expires_at_unix: u64,
}

/// Where a [`TokenCache`] keeps its token between processes. Implementations never log the
/// token; a store that fails answers `None` / does nothing (the cache then mints, as without
/// a store) and says so in its own words (e.g. a warning naming the keyring).
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The kept token, if any.
    fn load(&self) -> Option<PersistedToken>;
    /// Keeps `token` (replacing any other).
    fn save(&self, token: &PersistedToken);
    /// Forgets the kept token (after a 401).
    fn forget(&self);
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Holds at most one token. Concurrent callers serialise on the mint, so a
/// burst of calls mints one token, not one per call. With a [`TokenStore`], a token kept by an
/// earlier process is reused until [`REFRESH_MARGIN_SECS`] before its expiry, and each new
/// token is kept there.
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    mints: std::sync::atomic::AtomicU64,
    store: Option<Arc<dyn TokenStore>>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache that reuses and keeps its token in `store`.
    pub fn with_store(store: Arc<dyn TokenStore>) -> Self {
        TokenCache {
            store: Some(store),
            ..Self::default()
        }
    }

    /// The cached token if more than [`REFRESH_MARGIN_SECS`] of life remain
    /// (or, for tokens shorter-lived than twice the margin, more than half of
    /// their life); otherwise calls `mint` once and caches its answer.
    ///
    /// # Errors
    /// Whatever `mint` returns; the cache is left empty.
    pub async fn get_or_mint<F, Fut, E>(&self, mint: F) -> Result<AccessToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<TokenResponse, E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(c) = slot.as_ref() {
            if c.expires_at > Instant::now() {
                return Ok(c.token.clone());
            }
        }
        *slot = None;
        if let Some(store) = &self.store {
            if let Some(kept) = store.load() {
                let left = kept.expires_at_unix.saturating_sub(now_unix());
                if left > REFRESH_MARGIN_SECS {
                    *slot = Some(Cached {
                        token: kept.access_token.clone(),
                        expires_at: Instant::now()
                            + Duration::from_secs(left - REFRESH_MARGIN_SECS),
                    });
                    return Ok(kept.access_token);
                }
            }
        }
        let resp = mint().await?;
        self.mints
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let life = resp.expires_in;
        let margin = if life >= 2 * REFRESH_MARGIN_SECS {
            REFRESH_MARGIN_SECS
        } else {
            life / 2
        };
        let expires_at = Instant::now() + Duration::from_secs(life.saturating_sub(margin));
        *slot = Some(Cached {
            token: resp.access_token.clone(),
            expires_at,
        });
        if let Some(store) = &self.store {
            store.save(&PersistedToken {
                access_token: resp.access_token.clone(),
                expires_at_unix: now_unix() + life,
            });
        }
        Ok(resp.access_token)
    }

    /// Forgets the token (after a 401), also in the store, so the next call mints a new one.
    pub async fn invalidate(&self) {
        *self.slot.lock().await = None;
        if let Some(store) = &self.store {
            store.forget();
        }
    }

    /// How many tokens this cache has minted.
    pub fn mint_count(&self) -> u64 {
        self.mints.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(t: &str, secs: u64) -> TokenResponse {
        TokenResponse {
            access_token: AccessToken::new(t),
            token_type: "Bearer".into(),
            expires_in: secs,
            server_date: None,
        }
    }

    #[tokio::test]
    async fn reuses_until_margin_then_remints() {
        let cache = TokenCache::new();
        let a = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("one", 3600)) })
            .await
            .unwrap();
        let b = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("two", 3600)) })
            .await
            .unwrap();
        assert_eq!(a.secret(), "one");
        assert_eq!(b.secret(), "one");
        assert_eq!(cache.mint_count(), 1);
        cache.invalidate().await;
        let c = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("three", 3600)) })
            .await
            .unwrap();
        assert_eq!(c.secret(), "three");
        // A token with no life left is never reused.
        let short = TokenCache::new();
        short
            .get_or_mint(|| async { Ok::<_, ()>(resp("s1", 0)) })
            .await
            .unwrap();
        let s2 = short
            .get_or_mint(|| async { Ok::<_, ()>(resp("s2", 0)) })
            .await
            .unwrap();
        assert_eq!(s2.secret(), "s2");
    }

    #[derive(Debug, Default)]
    struct Memory(std::sync::Mutex<Option<PersistedToken>>);
    impl TokenStore for Memory {
        fn load(&self) -> Option<PersistedToken> {
            self.0.lock().unwrap().clone()
        }
        fn save(&self, token: &PersistedToken) {
            *self.0.lock().unwrap() = Some(token.clone());
        }
        fn forget(&self) {
            *self.0.lock().unwrap() = None;
        }
    }

    /// Issue 14: a token kept by an earlier process is reused until 10 minutes before its
    /// expiry; invalidating forgets it in the store too.
    #[tokio::test]
    async fn a_kept_token_is_reused_across_caches_until_the_margin() {
        let store = Arc::new(Memory::default());
        let first = TokenCache::with_store(store.clone());
        first
            .get_or_mint(|| async { Ok::<_, ()>(resp("one", 3600)) })
            .await
            .unwrap();
        let kept = store.load().expect("kept");
        assert_eq!(kept.access_token.secret(), "one");
        assert!(kept.expires_at_unix.abs_diff(now_unix() + 3600) <= 2);
        // The next process: no mint.
        let second = TokenCache::with_store(store.clone());
        let t = second
            .get_or_mint(|| async { Ok::<_, ()>(resp("two", 3600)) })
            .await
            .unwrap();
        assert_eq!(t.secret(), "one");
        assert_eq!(second.mint_count(), 0);
        // 9 minutes left: inside the margin, so a new token is minted and kept.
        store.save(&PersistedToken {
            access_token: AccessToken::new("old"),
            expires_at_unix: now_unix() + 540,
        });
        let third = TokenCache::with_store(store.clone());
        let t = third
            .get_or_mint(|| async { Ok::<_, ()>(resp("three", 3600)) })
            .await
            .unwrap();
        assert_eq!(t.secret(), "three");
        assert_eq!(third.mint_count(), 1);
        assert_eq!(store.load().unwrap().access_token.secret(), "three");
        // A 401: dropped in the store as well.
        third.invalidate().await;
        assert_eq!(store.load(), None);
    }
}

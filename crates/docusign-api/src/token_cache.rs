//! Reusing one access token until close to its expiry (field case F17;
//! DocuSign FAQ: "store the expires in time and check the time before making
//! API calls"; a user may only hold a limited number of live tokens).

use crate::oauth::{AccessToken, TokenResponse};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A token is re-minted when less than this many seconds of its life remain
/// (DocuSign's advice in F17: about 10 minutes).
pub const REFRESH_MARGIN_SECS: u64 = 600;

#[derive(Debug, Clone)]
struct Cached {
    token: AccessToken,
    expires_at: Instant,
}

/// Holds at most one token. Concurrent callers serialise on the mint, so a
/// burst of calls mints one token, not one per call.
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    mints: std::sync::atomic::AtomicU64,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
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
        Ok(resp.access_token)
    }

    /// Forgets the token (after a 401), so the next call mints a new one.
    pub async fn invalidate(&self) {
        *self.slot.lock().await = None;
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
}

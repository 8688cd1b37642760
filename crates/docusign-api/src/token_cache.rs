//! Reusing one access token until close to its expiry (field case F17;
//! DocuSign FAQ: "store the expires in time and check the time before making
//! API calls"; a user may only hold a limited number of live tokens).
//!
//! Expiry is judged in DocuSign's time ([`ServerClock`]): a token expires when DocuSign's
//! clock says so, whatever this computer's clock says (a computer whose clock is behind, a
//! laptop after sleep, a paused VM). A token kept by an earlier process is first shown to
//! DocuSign by a call that does not count for Go-Live (`/oauth/userinfo`), whose `Date` header
//! tells DocuSign's time now; so no counted call is made with a token DocuSign considers
//! expired.

use crate::clock::{unix_seconds, ServerClock};
use crate::oauth::{AccessToken, TokenResponse};
use std::sync::Arc;
use tokio::sync::Mutex;

/// A token is re-minted when less than this many seconds of its life remain
/// (DocuSign's advice in F17: about 10 minutes).
pub const REFRESH_MARGIN_SECS: u64 = 600;

#[derive(Debug, Clone)]
struct Cached {
    token: AccessToken,
    /// Unix seconds, DocuSign's clock: from then on a new token is minted.
    refresh_at: u64,
}

/// A token kept outside the process, so the next process reuses it (the CLI keeps it in the
/// OS keyring, never in a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistedToken {
    /// The bearer token (secret; its Debug is redacted).
    pub access_token: AccessToken,
    /// When it expires, Unix seconds of DocuSign's clock (the token answer's `Date` +
    /// `expires_in`).
    pub expires_at_unix: u64,
    /// DocuSign's clock minus this computer's when it was kept, seconds (`None`: within
    /// [`crate::clock::CLOCK_SKEW_TOLERANCE_SECS`]): the next process's estimate until
    /// DocuSign answers it.
    pub clock_skew_seconds: Option<i64>,
}

/// What DocuSign said of a kept token shown to it before use (see
/// [`TokenCache::get_or_mint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// DocuSign accepted it (its `Date` header is now in the [`ServerClock`]).
    Accepted,
    /// DocuSign refused it (expired or revoked): it is forgotten and a new one minted.
    Refused,
    /// No answer (the network): the token is used as judged by the clock estimate.
    Unknown,
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

/// The margin for a token of `life` seconds: [`REFRESH_MARGIN_SECS`], or half the life of a
/// token shorter-lived than twice the margin.
fn margin(life: u64) -> u64 {
    if life >= 2 * REFRESH_MARGIN_SECS {
        REFRESH_MARGIN_SECS
    } else {
        life / 2
    }
}

/// Holds at most one token. Concurrent callers serialise on the mint, so a
/// burst of calls mints one token, not one per call. With a [`TokenStore`], a token kept by an
/// earlier process is reused until [`REFRESH_MARGIN_SECS`] before its expiry, and each new
/// token is kept there. Times are DocuSign's ([`ServerClock`]).
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    mints: std::sync::atomic::AtomicU64,
    store: Option<Arc<dyn TokenStore>>,
    clock: Arc<ServerClock>,
}

impl TokenCache {
    /// An empty cache with its own clock.
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

    /// Judges expiry with `clock` (shared with the client whose answers set it).
    pub fn with_clock(mut self, clock: Arc<ServerClock>) -> Self {
        self.clock = clock;
        self
    }

    /// The clock expiry is judged with.
    pub fn clock(&self) -> &Arc<ServerClock> {
        &self.clock
    }

    /// The cached token if more than [`REFRESH_MARGIN_SECS`] of its life remain in DocuSign's
    /// time (or, for tokens shorter-lived than twice the margin, more than half of their
    /// life); otherwise a token kept in the store, once `confirm` (a call that does not count,
    /// whose answer sets the clock) says DocuSign accepts it and it is still fresh by
    /// DocuSign's time; otherwise calls `mint` once and caches (and keeps) its answer.
    ///
    /// # Errors
    /// Whatever `mint` returns; the cache is left empty.
    pub async fn get_or_mint<F, Fut, E, C, CFut>(
        &self,
        mint: F,
        confirm: C,
    ) -> Result<AccessToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<TokenResponse, E>>,
        C: FnOnce(AccessToken) -> CFut,
        CFut: std::future::Future<Output = Confirmation>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(c) = slot.as_ref() {
            if c.refresh_at > self.clock.now_unix() {
                return Ok(c.token.clone());
            }
        }
        *slot = None;
        if let Some(store) = &self.store {
            if let Some(kept) = store.load() {
                self.clock.assume(kept.clock_skew_seconds);
                let refresh_at = kept.expires_at_unix.saturating_sub(REFRESH_MARGIN_SECS);
                if refresh_at > self.clock.now_unix() {
                    match confirm(kept.access_token.clone()).await {
                        Confirmation::Refused => store.forget(),
                        Confirmation::Accepted | Confirmation::Unknown
                            if refresh_at > self.clock.now_unix() =>
                        {
                            *slot = Some(Cached {
                                token: kept.access_token.clone(),
                                refresh_at,
                            });
                            return Ok(kept.access_token);
                        }
                        _ => {}
                    }
                }
            }
        }
        let resp = mint().await?;
        self.mints
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let life = resp.expires_in;
        let issued = resp
            .server_date
            .map(unix_seconds)
            .unwrap_or_else(|| self.clock.now_unix());
        let expires_at = issued.saturating_add(life);
        *slot = Some(Cached {
            token: resp.access_token.clone(),
            refresh_at: expires_at.saturating_sub(margin(life)),
        });
        if let Some(store) = &self.store {
            store.save(&PersistedToken {
                access_token: resp.access_token.clone(),
                expires_at_unix: expires_at,
                clock_skew_seconds: self.clock.offset(),
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
    use std::time::{Duration, SystemTime};

    fn resp(t: &str, secs: u64) -> TokenResponse {
        TokenResponse {
            access_token: AccessToken::new(t),
            token_type: "Bearer".into(),
            expires_in: secs,
            server_date: None,
        }
    }

    fn now_unix() -> u64 {
        unix_seconds(SystemTime::now())
    }

    async fn accepted(_: AccessToken) -> Confirmation {
        Confirmation::Accepted
    }

    #[tokio::test]
    async fn reuses_until_margin_then_remints() {
        let cache = TokenCache::new();
        let a = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("one", 3600)) }, accepted)
            .await
            .unwrap();
        let b = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("two", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(a.secret(), "one");
        assert_eq!(b.secret(), "one");
        assert_eq!(cache.mint_count(), 1);
        cache.invalidate().await;
        let c = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("three", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(c.secret(), "three");
        // A token with no life left is never reused.
        let short = TokenCache::new();
        short
            .get_or_mint(|| async { Ok::<_, ()>(resp("s1", 0)) }, accepted)
            .await
            .unwrap();
        let s2 = short
            .get_or_mint(|| async { Ok::<_, ()>(resp("s2", 0)) }, accepted)
            .await
            .unwrap();
        assert_eq!(s2.secret(), "s2");
    }

    /// DocuSign's clock moved 25 hours (this computer's did not): the first answer that says so
    /// makes the cached token stale, so the next call mints instead of sending a token
    /// DocuSign considers expired.
    #[tokio::test]
    async fn freshness_is_judged_in_docusign_time() {
        let cache = TokenCache::new();
        cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("one", 3600)) }, accepted)
            .await
            .unwrap();
        let now = SystemTime::now();
        cache
            .clock()
            .observe(now + Duration::from_secs(25 * 3600), now);
        assert_eq!(cache.clock().offset(), Some(25 * 3600));
        let t = cache
            .get_or_mint(|| async { Ok::<_, ()>(resp("two", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(t.secret(), "two");
        assert_eq!(cache.mint_count(), 2);
        // The token answer's own Date sets its expiry: DocuSign's clock, not this computer's.
        let dated = TokenCache::new();
        let issued = SystemTime::now() + Duration::from_secs(25 * 3600);
        dated
            .get_or_mint(
                || async move {
                    Ok::<_, ()>(TokenResponse {
                        server_date: Some(issued),
                        ..resp("d", 3600)
                    })
                },
                accepted,
            )
            .await
            .unwrap();
        let again = dated
            .get_or_mint(|| async { Ok::<_, ()>(resp("d2", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(again.secret(), "d", "fresh in DocuSign's time too");
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
            .get_or_mint(|| async { Ok::<_, ()>(resp("one", 3600)) }, accepted)
            .await
            .unwrap();
        let kept = store.load().expect("kept");
        assert_eq!(kept.access_token.secret(), "one");
        assert!(kept.expires_at_unix.abs_diff(now_unix() + 3600) <= 2);
        assert_eq!(kept.clock_skew_seconds, None);
        // The next process: no mint.
        let second = TokenCache::with_store(store.clone());
        let t = second
            .get_or_mint(|| async { Ok::<_, ()>(resp("two", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(t.secret(), "one");
        assert_eq!(second.mint_count(), 0);
        // 9 minutes left: inside the margin, so a new token is minted and kept.
        store.save(&PersistedToken {
            access_token: AccessToken::new("old"),
            expires_at_unix: now_unix() + 540,
            clock_skew_seconds: None,
        });
        let third = TokenCache::with_store(store.clone());
        let t = third
            .get_or_mint(|| async { Ok::<_, ()>(resp("three", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(t.secret(), "three");
        assert_eq!(third.mint_count(), 1);
        assert_eq!(store.load().unwrap().access_token.secret(), "three");
        // A 401: dropped in the store as well.
        third.invalidate().await;
        assert_eq!(store.load(), None);
    }

    /// "The next day" with a computer clock that stayed behind: the kept token looks fresh by
    /// this computer's clock, but the confirming answer's `Date` says DocuSign is 25 hours
    /// later, so a new token is minted (and kept with the skew); a token DocuSign refuses is
    /// forgotten; a kept skew is the next process's first estimate.
    #[tokio::test]
    async fn a_kept_token_is_judged_by_the_confirming_answer() {
        let store = Arc::new(Memory::default());
        store.save(&PersistedToken {
            access_token: AccessToken::new("yesterday"),
            expires_at_unix: now_unix() + 3000,
            clock_skew_seconds: None,
        });
        let cache = TokenCache::with_store(store.clone());
        let clock = cache.clock().clone();
        let shown = std::sync::Mutex::new(Vec::new());
        let t = cache
            .get_or_mint(
                || async { Ok::<_, ()>(resp("today", 3600)) },
                |tok| {
                    shown.lock().unwrap().push(tok.secret().to_string());
                    let now = SystemTime::now();
                    clock.observe(now + Duration::from_secs(25 * 3600), now);
                    async { Confirmation::Accepted }
                },
            )
            .await
            .unwrap();
        assert_eq!(shown.lock().unwrap().as_slice(), ["yesterday"]);
        assert_eq!(t.secret(), "today");
        let kept = store.load().unwrap();
        assert_eq!(kept.access_token.secret(), "today");
        assert!(kept.expires_at_unix.abs_diff(now_unix() + 25 * 3600 + 3600) <= 2);
        assert_eq!(kept.clock_skew_seconds, Some(25 * 3600));
        // The next process assumes the kept skew: the kept token is fresh in DocuSign's time.
        let next = TokenCache::with_store(store.clone());
        let t = next
            .get_or_mint(|| async { Ok::<_, ()>(resp("other", 3600)) }, accepted)
            .await
            .unwrap();
        assert_eq!(t.secret(), "today");
        assert_eq!(next.clock().offset(), Some(25 * 3600));
        // Refused when shown: forgotten, and a new one minted.
        let refused = TokenCache::with_store(store.clone());
        let t = refused
            .get_or_mint(
                || async { Ok::<_, ()>(resp("new", 3600)) },
                |_| async { Confirmation::Refused },
            )
            .await
            .unwrap();
        assert_eq!(t.secret(), "new");
        assert_eq!(store.load().unwrap().access_token.secret(), "new");
    }
}

//! Shared, mutable emulator state behind the axum handlers.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::Clock;
use crate::faults::FaultQueue;
use crate::log::RequestLog;
use crate::persist::Persistence;
use crate::world::{ConsentSpec, World};

/// Locks a mutex, recovering the data if a previous holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Key of a consent record: (environment, user_id, integration_key), ids lower-case.
pub(crate) type ConsentKey = (String, String, String);

/// An issued access token.
#[derive(Clone, Debug)]
pub(crate) struct TokenRecord {
    /// The impersonated user; empty for an application token (assertion without `sub`, F38),
    /// which userinfo and the eSignature API refuse.
    pub user_id: String,
    pub integration_key: String,
    /// Unix seconds (emulator clock) after which the token is refused.
    pub expires_at: i64,
}

/// Everything the handlers share. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Inner>);

pub(crate) struct Inner {
    pub world: World,
    /// `https://127.0.0.1:PORT`
    pub url: String,
    pub port: u16,
    pub clock: Clock,
    /// userinfo `created` for users without one.
    pub created: String,
    pub consents: Mutex<BTreeMap<ConsentKey, BTreeSet<String>>>,
    pub tokens: Mutex<HashMap<String, TokenRecord>>,
    pub faults: Mutex<FaultQueue>,
    pub log: Mutex<RequestLog>,
    /// The eSignature accounts (templates, envelopes, rate counters).
    pub esign: Mutex<crate::esign::model::Store>,
    /// Where the world is saved (a persistent default world), `None` otherwise.
    pub persistence: Option<Arc<Persistence>>,
    /// Counts consents granted since start (watched by [`crate::Emulator::consent_changes`]).
    pub consent_granted: tokio::sync::watch::Sender<u64>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        mut world: World,
        url: String,
        port: u16,
        persistence: Option<Arc<Persistence>>,
    ) -> Self {
        let esign = std::mem::take(&mut world.esign);
        let clock = Clock::new();
        let created = clock
            .now_datetime()
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:2]"
            ))
            .unwrap_or_default();
        let mut consents = BTreeMap::new();
        for c in &world.consents {
            let entry: &mut BTreeSet<String> = consents
                .entry((
                    world.environment.clone(),
                    c.user_id.clone(),
                    c.integration_key.clone(),
                ))
                .or_default();
            entry.extend(c.scopes.iter().cloned());
        }
        AppState(Arc::new(Inner {
            world,
            url,
            port,
            clock,
            created,
            consents: Mutex::new(consents),
            tokens: Mutex::new(HashMap::new()),
            faults: Mutex::new(FaultQueue::default()),
            log: Mutex::new(RequestLog::default()),
            esign: Mutex::new(esign),
            persistence,
            consent_granted: tokio::sync::watch::Sender::new(0),
        }))
    }

    fn consent_key(&self, user_id: &str, integration_key: &str) -> ConsentKey {
        (
            self.world.environment.clone(),
            user_id.trim().to_ascii_lowercase(),
            integration_key.trim().to_ascii_lowercase(),
        )
    }

    /// Adds `scopes` to the consent of (user, IK) in this environment.
    pub fn grant_consent<I: IntoIterator<Item = String>>(
        &self,
        user_id: &str,
        integration_key: &str,
        scopes: I,
    ) -> BTreeSet<String> {
        let mut consents = lock(&self.consents);
        let entry = consents
            .entry(self.consent_key(user_id, integration_key))
            .or_default();
        entry.extend(scopes);
        let granted = entry.clone();
        drop(consents);
        self.consent_granted.send_modify(|n| *n += 1);
        granted
    }

    /// Removes `scopes` (all when `None`) from the consent; returns whether anything was removed.
    /// Live access tokens stay valid (DocuSign: revoking consent does not kill tokens).
    pub fn revoke_consent(
        &self,
        user_id: &str,
        integration_key: &str,
        scopes: Option<&[String]>,
    ) -> bool {
        let mut consents = lock(&self.consents);
        let key = self.consent_key(user_id, integration_key);
        match scopes {
            None => consents.remove(&key).is_some(),
            Some(scopes) => {
                let Some(entry) = consents.get_mut(&key) else {
                    return false;
                };
                let before = entry.len();
                for s in scopes {
                    entry.remove(s);
                }
                let removed = entry.len() != before;
                if entry.is_empty() {
                    consents.remove(&key);
                }
                removed
            }
        }
    }

    /// Scopes consented by (user, IK) in this environment.
    pub fn consented_scopes(&self, user_id: &str, integration_key: &str) -> BTreeSet<String> {
        lock(&self.consents)
            .get(&self.consent_key(user_id, integration_key))
            .cloned()
            .unwrap_or_default()
    }

    /// The base URI a user sees for an account (`self` resolved to the emulator's URL).
    pub fn base_uri(&self, account: &crate::world::Account) -> String {
        account.base_uri.clone().unwrap_or_else(|| self.url.clone())
    }

    /// Writes the current state of a persistent emulator to `world.json` (atomically; blocking
    /// file I/O): the consents of this world's users and integration keys, the eSignature
    /// accounts and the port. Does nothing for an emulator that does not persist.
    ///
    /// # Errors
    /// The I/O error of the write (the old file is then left as it was).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(p) = self.persistence.clone() else {
            return Ok(());
        };
        let _one = lock(&p.saving);
        let consents = lock(&self.consents)
            .iter()
            // consents the admin API recorded for ids this world does not have are not kept
            .filter(|((_, user_id, integration_key), _)| {
                self.world.user(user_id).is_some()
                    && self.world.integration_key(integration_key).is_some()
            })
            .map(|((_, user_id, integration_key), scopes)| ConsentSpec {
                user_id: user_id.clone(),
                integration_key: integration_key.clone(),
                scopes: Some(scopes.iter().cloned().collect()),
            })
            .collect();
        let accounts = lock(&self.esign).clone();
        p.write(self.port, consents, accounts)
    }

    /// [`AppState::save`] on the blocking pool, logging a failure (never the content).
    pub async fn save_in_background(&self) {
        let state = self.clone();
        let result = tokio::task::spawn_blocking(move || state.save())
            .await
            .map_err(std::io::Error::other)
            .and_then(|r| r);
        if let Err(e) = result {
            tracing::error!(error = %e, "could not save the emulator's world");
        }
    }
}

//! Persistence of the polling triggers: the `from_date` cursor (server time)
//! and the events already seen, so a restart neither loses nor repeats events.
//!
//! Delivery protocol: a cycle's new events and its new cursor are committed in
//! one transaction as *undelivered*; each event is then handed to the consumer
//! and marked delivered. After a crash, [`TriggerStore::undelivered`] gives back
//! what was committed but not yet handed out.

use crate::store::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use std::time::{SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `text` with LIKE's wildcards (and the escape character) escaped with `\`.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The trigger tables of the state file.
#[derive(Clone, Debug)]
pub struct TriggerStore {
    store: Store,
}

/// One event as stored: its de-duplication key and JSON payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// De-duplication key (e.g. `envelope:<id>:<status>:<statusChangedDateTime>`).
    pub key: String,
    /// The event, as JSON text.
    pub payload: String,
}

impl TriggerStore {
    /// Trigger state inside `store`.
    pub fn new(store: Store) -> Self {
        TriggerStore { store }
    }

    /// The saved cursor (ISO 8601 UTC server time) of `trigger_id`, if any.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn cursor(&self, trigger_id: &str) -> Result<Option<String>, StoreError> {
        let conn = self.store.conn();
        conn.query_row(
            "SELECT cursor FROM trigger_cursors WHERE trigger_id = ?1",
            params![trigger_id],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.store.err(e))
    }

    /// Keeps the events whose key is new, saves them (undelivered) and the new
    /// cursor, all in one transaction. Returns the new events in input order.
    ///
    /// # Errors
    /// [`StoreError`]; nothing is saved then.
    pub fn commit_cycle(
        &self,
        trigger_id: &str,
        cursor: &str,
        events: &[StoredEvent],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let mut fresh = Vec::new();
        {
            let mut insert = tx
                .prepare("INSERT OR IGNORE INTO trigger_events (trigger_id, event_key, payload, seen_ms, delivered) VALUES (?1, ?2, ?3, ?4, 0)")
                .map_err(|e| self.store.err(e))?;
            for ev in events {
                if insert
                    .execute(params![trigger_id, ev.key, ev.payload, now_ms()])
                    .map_err(|e| self.store.err(e))?
                    == 1
                {
                    fresh.push(ev.clone());
                }
            }
        }
        tx.execute(
            "INSERT INTO trigger_cursors (trigger_id, cursor, updated_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT(trigger_id) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms",
            params![trigger_id, cursor, now_ms()],
        )
        .map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(fresh)
    }

    /// Marks an event as handed to the consumer.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn mark_delivered(&self, trigger_id: &str, key: &str) -> Result<(), StoreError> {
        let conn = self.store.conn();
        conn.execute(
            "UPDATE trigger_events SET delivered = 1 WHERE trigger_id = ?1 AND event_key = ?2",
            params![trigger_id, key],
        )
        .map_err(|e| self.store.err(e))?;
        Ok(())
    }

    /// Events committed but not yet delivered (after a crash), oldest first.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn undelivered(&self, trigger_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let conn = self.store.conn();
        let mut stmt = conn.prepare("SELECT event_key, payload FROM trigger_events WHERE trigger_id = ?1 AND delivered = 0 ORDER BY seen_ms, rowid").map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(params![trigger_id], |r| {
                Ok(StoredEvent {
                    key: r.get(0)?,
                    payload: r.get(1)?,
                })
            })
            .map_err(|e| self.store.err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
    }

    /// The events stored for any trigger of `integration_key` on `account_id` (whatever the
    /// trigger kind, template filter or port of the auth server), oldest first, at most `limit`
    /// (the newest ones): what a restarted app shows again in its event log.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn history(
        &self,
        integration_key: &str,
        account_id: &str,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let pattern = format!(
            "%|{}|{}|%",
            like_escape(&integration_key.trim().to_ascii_lowercase()),
            like_escape(&account_id.trim().to_ascii_lowercase())
        );
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT event_key, payload FROM (SELECT event_key, payload, seen_ms, rowid AS r FROM trigger_events WHERE trigger_id LIKE ?1 ESCAPE '\\' ORDER BY seen_ms DESC, rowid DESC LIMIT ?2) ORDER BY seen_ms, r")
            .map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(params![pattern, limit as i64], |r| {
                Ok(StoredEvent {
                    key: r.get(0)?,
                    payload: r.get(1)?,
                })
            })
            .map_err(|e| self.store.err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
    }

    /// Forgets a trigger's cursor and events (start over).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn reset(&self, trigger_id: &str) -> Result<(), StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        tx.execute(
            "DELETE FROM trigger_cursors WHERE trigger_id = ?1",
            params![trigger_id],
        )
        .map_err(|e| self.store.err(e))?;
        tx.execute(
            "DELETE FROM trigger_events WHERE trigger_id = ?1",
            params![trigger_id],
        )
        .map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(k: &str) -> StoredEvent {
        StoredEvent {
            key: k.into(),
            payload: format!("{{\"k\":\"{k}\"}}"),
        }
    }

    #[test]
    fn history_is_per_integration_key_and_account_whatever_the_port() {
        let dir = tempfile::tempdir().unwrap();
        {
            let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
            let id = |host: &str, ik: &str, kind: crate::triggers::TriggerKind| {
                crate::triggers::trigger_id(kind, host, ik, "ACC-1", None)
            };
            use crate::triggers::TriggerKind::{
                OnEnvelopeStatusChange as EnvelopeStatusChange,
                OnRecipientCompleted as RecipientCompleted,
            };
            ts.commit_cycle(
                &id("127.0.0.1:1", "IK-1", EnvelopeStatusChange),
                "c",
                &[ev("a"), ev("b")],
            )
            .unwrap();
            ts.commit_cycle(
                &id("127.0.0.1:2", "ik-1", RecipientCompleted),
                "c",
                &[ev("c")],
            )
            .unwrap();
            // another integration key (a reset sandbox) and one whose id contains a wildcard
            ts.commit_cycle(
                &id("127.0.0.1:1", "IK-2", EnvelopeStatusChange),
                "c",
                &[ev("x")],
            )
            .unwrap();
            ts.commit_cycle(
                &id("127.0.0.1:1", "IK_1", EnvelopeStatusChange),
                "c",
                &[ev("y")],
            )
            .unwrap();
        }
        // after a restart
        let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
        let keys = |v: Vec<StoredEvent>| v.into_iter().map(|e| e.key).collect::<Vec<_>>();
        assert_eq!(
            keys(ts.history("IK-1", "acc-1", 10).unwrap()),
            ["a", "b", "c"]
        );
        assert_eq!(keys(ts.history("IK-1", "acc-1", 2).unwrap()), ["b", "c"]);
        assert_eq!(keys(ts.history("IK-2", "ACC-1", 10).unwrap()), ["x"]);
        assert_eq!(keys(ts.history("IK_1", "ACC-1", 10).unwrap()), ["y"]);
        assert!(ts.history("IK-1", "ACC-2", 10).unwrap().is_empty());
    }

    #[test]
    fn dedupes_and_survives_restart() {
        let dir = tempfile::tempdir().unwrap();
        {
            let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
            let fresh = ts
                .commit_cycle("t", "2026-01-01T00:00:00Z", &[ev("a"), ev("b")])
                .unwrap();
            assert_eq!(fresh.len(), 2);
            ts.mark_delivered("t", "a").unwrap();
            // "b" committed but never delivered: a crash here.
        }
        let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
        assert_eq!(
            ts.cursor("t").unwrap().as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        assert_eq!(ts.undelivered("t").unwrap(), vec![ev("b")]);
        let fresh = ts
            .commit_cycle("t", "2026-01-01T00:15:00Z", &[ev("a"), ev("b"), ev("c")])
            .unwrap();
        assert_eq!(fresh, vec![ev("c")], "seen events are not repeated");
    }
}

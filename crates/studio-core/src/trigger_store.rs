//! Persistence of the polling triggers: the `from_date` cursor (server time)
//! and the events already seen, so a restart neither loses nor repeats events.
//!
//! Delivery protocol: while a cycle reads its pages, each page's new events are
//! written down as *staged* ([`TriggerStore::stage`]: invisible, not yet seen),
//! so a cycle holds one page in memory, never all of its events. When every page
//! was read, the staged events become *undelivered* and the cursor moves, in one
//! transaction ([`TriggerStore::commit_staged`]); a cycle that fails (or a crash
//! in the middle of one) leaves the cursor where it was, so the next cycle reads the
//! same window again and commits what was staged with what it finds (the events are
//! keyed, so none twice). Each undelivered
//! event is then handed to the consumer and marked delivered, a batch at a time
//! ([`TriggerStore::undelivered_batch`]); after a crash, the next delivery hands out
//! what was committed but not yet handed out first.

use crate::store::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use std::time::{SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Saves (or replaces) the cursor of `trigger_id`.
fn save_cursor(
    conn: &rusqlite::Connection,
    trigger_id: &str,
    cursor: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO trigger_cursors (trigger_id, cursor, updated_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(trigger_id) DO UPDATE SET cursor = excluded.cursor, updated_ms = excluded.updated_ms",
        params![trigger_id, cursor, now_ms()],
    )
}

/// `text` with LIKE's wildcards (and the escape character) escaped with `\`.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// `trigger_events.delivered` of an event written during a cycle that has not finished: not
/// seen yet (0 = committed and undelivered, 1 = delivered).
const STAGED: i64 = 2;

/// The trigger tables of the state file.
#[derive(Clone, Debug)]
pub struct TriggerStore {
    store: Store,
}

/// A desktop trigger's settings as kept in the state file, so a restart shows the same trigger
/// (and starting it goes on from its cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerSettings {
    /// Only envelopes sent from this template (`None`: any template).
    pub template_id: Option<String>,
    /// The template's name as the person picked it, when known.
    pub template_name: Option<String>,
    /// Seconds between polls.
    pub interval_seconds: u64,
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
    /// Tests only: a cycle stages page by page and ends with [`TriggerStore::commit_staged`].
    ///
    /// # Errors
    /// [`StoreError`]; nothing is saved then.
    #[cfg(test)]
    pub(crate) fn commit_cycle(
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
        save_cursor(&tx, trigger_id, cursor).map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(fresh)
    }

    /// Writes down one page's events whose key is new (neither seen in an earlier cycle nor
    /// staged earlier in this one) as staged, in one transaction. Staged events are not
    /// delivered, not in [`TriggerStore::history`] and do not count as seen until
    /// [`TriggerStore::commit_staged`]. Returns how many were new.
    ///
    /// # Errors
    /// [`StoreError`]; nothing of the page is written then.
    pub fn stage(&self, trigger_id: &str, events: &[StoredEvent]) -> Result<u64, StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let mut fresh = 0;
        {
            let mut insert = tx
                .prepare("INSERT OR IGNORE INTO trigger_events (trigger_id, event_key, payload, seen_ms, delivered) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(|e| self.store.err(e))?;
            for ev in events {
                fresh += insert
                    .execute(params![trigger_id, ev.key, ev.payload, now_ms(), STAGED])
                    .map_err(|e| self.store.err(e))? as u64;
            }
        }
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(fresh)
    }

    /// Ends a cycle whose pages were all read: its staged events become undelivered and
    /// `cursor` is saved, in one transaction. Returns how many events it committed.
    ///
    /// # Errors
    /// [`StoreError`]; nothing changes then (the events stay staged, the cursor as it was).
    pub fn commit_staged(&self, trigger_id: &str, cursor: &str) -> Result<u64, StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let fresh = tx
            .execute(
                "UPDATE trigger_events SET delivered = 0 WHERE trigger_id = ?1 AND delivered = ?2",
                params![trigger_id, STAGED],
            )
            .map_err(|e| self.store.err(e))?;
        save_cursor(&tx, trigger_id, cursor).map_err(|e| self.store.err(e))?;
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(fresh as u64)
    }

    /// At most `limit` undelivered events committed after the one at `after` (a position from
    /// an earlier batch; 0 for the first), oldest first, each with its position: the consumer
    /// reads them a batch at a time instead of all at once.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn undelivered_batch(
        &self,
        trigger_id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, StoredEvent)>, StoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare("SELECT rowid, event_key, payload FROM trigger_events WHERE trigger_id = ?1 AND delivered = 0 AND rowid > ?2 ORDER BY rowid LIMIT ?3")
            .map_err(|e| self.store.err(e))?;
        let rows = stmt
            .query_map(params![trigger_id, after, limit as i64], |r| {
                Ok((
                    r.get(0)?,
                    StoredEvent {
                        key: r.get(1)?,
                        payload: r.get(2)?,
                    },
                ))
            })
            .map_err(|e| self.store.err(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.store.err(e))
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

    /// Events committed but not yet delivered (after a crash), oldest first. Tests only: the
    /// consumer reads them a batch at a time ([`TriggerStore::undelivered_batch`]).
    ///
    /// # Errors
    /// [`StoreError`].
    #[cfg(test)]
    pub(crate) fn undelivered(&self, trigger_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
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
    /// (the newest ones), each once (an event seen by two triggers, or taken over by
    /// [`TriggerStore::save_settings`], is one event): what a restarted app shows again in its
    /// event log.
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
            .prepare("SELECT event_key, payload FROM (SELECT event_key, payload, seen_ms, rowid AS r FROM trigger_events WHERE rowid IN (SELECT MIN(rowid) FROM trigger_events WHERE trigger_id LIKE ?1 ESCAPE '\\' AND delivered != 2 GROUP BY event_key) ORDER BY seen_ms DESC, rowid DESC LIMIT ?2) ORDER BY seen_ms, r")
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

    /// The kept settings of `trigger_id`, if it was ever started.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn settings(&self, trigger_id: &str) -> Result<Option<TriggerSettings>, StoreError> {
        let conn = self.store.conn();
        conn.query_row(
            "SELECT template_id, template_name, interval_seconds FROM trigger_settings WHERE trigger_id = ?1",
            params![trigger_id],
            |r| {
                Ok(TriggerSettings {
                    template_id: r.get(0)?,
                    template_name: r.get(1)?,
                    interval_seconds: r.get::<_, i64>(2)?.max(0) as u64,
                })
            },
        )
        .optional()
        .map_err(|e| self.store.err(e))
    }

    /// Keeps `settings` for `trigger_id` (replacing earlier ones). The cursor and the events
    /// seen stay: a changed template filter applies from the trigger's cursor on. When the
    /// trigger has no cursor yet and `earlier_id` (the state an earlier version kept for the
    /// same trigger and filter) has one, that cursor and the events it saw are taken over, so
    /// the first start after an upgrade re-reports nothing either. One transaction.
    ///
    /// # Errors
    /// [`StoreError`]; nothing changes then.
    pub fn save_settings(
        &self,
        trigger_id: &str,
        settings: &TriggerSettings,
        earlier_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        tx.execute(
            "INSERT INTO trigger_settings (trigger_id, template_id, template_name, interval_seconds, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(trigger_id) DO UPDATE SET template_id = excluded.template_id, template_name = excluded.template_name,
                 interval_seconds = excluded.interval_seconds, updated_ms = excluded.updated_ms",
            params![
                trigger_id,
                settings.template_id,
                settings.template_name,
                settings.interval_seconds as i64,
                now_ms()
            ],
        )
        .map_err(|e| self.store.err(e))?;
        if let Some(earlier) = earlier_id.filter(|e| *e != trigger_id) {
            let has_cursor: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM trigger_cursors WHERE trigger_id = ?1)",
                    params![trigger_id],
                    |r| r.get(0),
                )
                .map_err(|e| self.store.err(e))?;
            if !has_cursor {
                tx.execute(
                    "INSERT OR IGNORE INTO trigger_cursors (trigger_id, cursor, updated_ms)
                     SELECT ?1, cursor, updated_ms FROM trigger_cursors WHERE trigger_id = ?2",
                    params![trigger_id, earlier],
                )
                .map_err(|e| self.store.err(e))?;
                // Seen, delivered: kept as keys so the overlap re-reports none of them.
                tx.execute(
                    "INSERT OR IGNORE INTO trigger_events (trigger_id, event_key, payload, seen_ms, delivered)
                     SELECT ?1, event_key, payload, seen_ms, 1 FROM trigger_events WHERE trigger_id = ?2 AND delivered != ?3",
                    params![trigger_id, earlier, STAGED],
                )
                .map_err(|e| self.store.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.store.err(e))
    }

    /// Forgets everything kept for each of `trigger_ids`: its settings (template filter,
    /// interval), its place (cursor) and its events, in one transaction (the triggers of a
    /// connection that was removed). Returns how many triggers had settings.
    ///
    /// # Errors
    /// [`StoreError`]; nothing changes then.
    pub fn forget(&self, trigger_ids: &[String]) -> Result<usize, StoreError> {
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| self.store.err(e))?;
        let mut had_settings = 0;
        for id in trigger_ids {
            had_settings += tx
                .execute(
                    "DELETE FROM trigger_settings WHERE trigger_id = ?1",
                    params![id],
                )
                .map_err(|e| self.store.err(e))?;
            for table in ["trigger_cursors", "trigger_events"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE trigger_id = ?1"),
                    params![id],
                )
                .map_err(|e| self.store.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.store.err(e))?;
        Ok(had_settings)
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

    /// Issue 14: a cycle writes each page's events down as it reads them (staged), so it holds
    /// one page in memory. Staged events are not seen, not delivered and not in the history
    /// until the cycle commits; a cycle cut short (failure or crash) leaves the cursor and
    /// what was seen as they were, and the next cycle finds its events again.
    #[test]
    fn staged_events_count_only_once_the_cycle_commits() {
        let dir = tempfile::tempdir().unwrap();
        let id = crate::triggers::trigger_id(
            crate::triggers::TriggerKind::OnEnvelopeStatusChange,
            "127.0.0.1:1",
            "IK-1",
            "ACC-1",
            None,
        );
        {
            let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
            ts.commit_cycle(&id, "c0", &[ev("old")]).unwrap();
            ts.mark_delivered(&id, "old").unwrap();
            // a cycle reads two pages (one event on both, one already seen), then crashes
            assert_eq!(ts.stage(&id, &[ev("a"), ev("b")]).unwrap(), 2);
            assert_eq!(ts.stage(&id, &[ev("b"), ev("c"), ev("old")]).unwrap(), 1);
            assert!(
                ts.undelivered(&id).unwrap().is_empty(),
                "staged is not undelivered"
            );
            let keys = |v: Vec<StoredEvent>| v.into_iter().map(|e| e.key).collect::<Vec<_>>();
            assert_eq!(keys(ts.history("IK-1", "ACC-1", 10).unwrap()), ["old"]);
        }
        let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
        assert_eq!(ts.cursor(&id).unwrap().as_deref(), Some("c0"), "not moved");
        // the next cycle reads the same window again: what the cut-short one staged is
        // already written down, and is committed with this cycle, each event once
        assert_eq!(
            ts.stage(&id, &[ev("a"), ev("b")]).unwrap(),
            0,
            "staged, not yet seen"
        );
        assert_eq!(ts.stage(&id, &[ev("c"), ev("old")]).unwrap(), 0);
        assert_eq!(ts.commit_staged(&id, "c1").unwrap(), 3);
        assert_eq!(ts.cursor(&id).unwrap().as_deref(), Some("c1"));
        assert_eq!(
            ts.undelivered(&id).unwrap(),
            vec![ev("a"), ev("b"), ev("c")]
        );
        // in batches, oldest first, each with its position
        let first = ts.undelivered_batch(&id, 0, 2).unwrap();
        assert_eq!(
            first
                .iter()
                .map(|(_, e)| e.key.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        let rest = ts.undelivered_batch(&id, first[1].0, 2).unwrap();
        assert_eq!(
            rest.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(),
            vec![ev("c")]
        );
        // a committed event is seen: the next cycle does not stage it again
        assert_eq!(ts.stage(&id, &[ev("a"), ev("d")]).unwrap(), 1);
        assert_eq!(ts.commit_staged(&id, "c2").unwrap(), 1, "d only");
        assert_eq!(ts.undelivered(&id).unwrap().len(), 4);
    }

    /// A desktop trigger's settings are kept in the state file (a real SQLite file, read again
    /// after a restart). The first save takes over the cursor and the seen events an earlier
    /// version kept for the same trigger and filter (so nothing is reported again), and the
    /// history shows each event once.
    #[test]
    fn settings_survive_a_restart_and_the_first_save_takes_over_the_earlier_place() {
        let dir = tempfile::tempdir().unwrap();
        let settings = TriggerSettings {
            template_id: Some("tpl-1".into()),
            template_name: Some("Mutual NDA".into()),
            interval_seconds: 900,
        };
        {
            let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
            assert_eq!(ts.settings("kind|app|ik|acc|app").unwrap(), None);
            ts.commit_cycle("kind|h|ik|acc|tpl-1", "c-old", &[ev("a"), ev("b")])
                .unwrap();
            ts.mark_delivered("kind|h|ik|acc|tpl-1", "a").unwrap();
            ts.mark_delivered("kind|h|ik|acc|tpl-1", "b").unwrap();
            ts.save_settings(
                "kind|app|ik|acc|app",
                &settings,
                Some("kind|h|ik|acc|tpl-1"),
            )
            .unwrap();
        }
        let ts = TriggerStore::new(Store::open(dir.path()).unwrap());
        let id = "kind|app|ik|acc|app";
        assert_eq!(ts.settings(id).unwrap(), Some(settings.clone()));
        assert_eq!(ts.cursor(id).unwrap().as_deref(), Some("c-old"));
        assert!(ts.undelivered(id).unwrap().is_empty(), "taken over as seen");
        assert_eq!(
            ts.stage(id, &[ev("a"), ev("b"), ev("c")]).unwrap(),
            1,
            "a and b were seen"
        );
        assert_eq!(ts.commit_staged(id, "c-new").unwrap(), 1);
        let keys = |v: Vec<StoredEvent>| v.into_iter().map(|e| e.key).collect::<Vec<_>>();
        assert_eq!(keys(ts.history("ik", "acc", 10).unwrap()), ["a", "b", "c"]);
        // Saved again with another filter: the settings change, the place stays (no take-over).
        let any = TriggerSettings {
            template_id: None,
            template_name: None,
            interval_seconds: 60,
        };
        ts.save_settings(id, &any, Some("kind|h|ik|acc|*")).unwrap();
        assert_eq!(ts.settings(id).unwrap(), Some(any));
        assert_eq!(ts.cursor(id).unwrap().as_deref(), Some("c-new"));
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

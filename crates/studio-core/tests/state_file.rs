//! The state file (`studio.sqlite3`): its schema version (issue #12 "one owner per profile":
//! an older build refuses a newer file, untouched).

#![allow(clippy::unwrap_used, clippy::expect_used)]
use studio_core::store::{Store, StoreError, DB_FILE, SCHEMA_VERSION};

/// Every file of the data folder with its bytes (the database and any `-wal` / `-shm`).
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A state file whose `user_version` is above this build's [`SCHEMA_VERSION`] (written by a
/// newer Studio) is refused with a message naming the file, both versions and what to do, and
/// not one byte of it changes.
#[test]
fn a_state_file_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).expect("a new state file"));
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION, "the version is recorded");
        conn.execute_batch(&format!(
            "CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES ('kept');
             PRAGMA user_version = {};",
            SCHEMA_VERSION + 5
        ))
        .unwrap();
    }
    let before = snapshot(dir.path());
    let err = Store::open(dir.path()).expect_err("a newer file is refused");
    match &err {
        StoreError::NewerSchema {
            path: p,
            found,
            supported,
        } => {
            assert_eq!(p, &path);
            assert_eq!(*found, SCHEMA_VERSION + 5);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    let message = err.to_string();
    for part in [
        path.display().to_string(),
        format!("version {}", SCHEMA_VERSION + 5),
        format!("up to version {SCHEMA_VERSION}"),
        "newer version of DocuSign JWT Studio".to_string(),
        "nothing in it was changed".to_string(),
        "update DocuSign JWT Studio".to_string(),
    ] {
        assert!(message.contains(&part), "{part:?} in: {message}");
    }
    assert_eq!(snapshot(dir.path()), before, "not one byte changed");

    // The same file at this build's version opens again, its data intact.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .unwrap();
    }
    let store = Store::open(dir.path()).expect("opens at this version");
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kept: String = conn
        .query_row("SELECT x FROM from_the_future", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "kept");
}

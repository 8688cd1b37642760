//! One owner at a time for `connections.json` (issue #12): writers take an OS file lock
//! (flock / LockFileEx) on `connections.json.lock`. A lock held by another process is waited
//! for and never broken by age; a lock file left behind by a process that died blocks nothing
//! (the OS released its lock); concurrent writers lose no update.
//!
//! "Another process" is played by another open file handle on the lock file: OS file locks
//! belong to the open file, so a second handle in this process conflicts exactly as another
//! process would. Needs a Secret Service (run under scripts/with-keyring.sh); fails without one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use docusign_api::key::PrivateKey;
use studio_core::connections::{Connection, ConnectionStore, Environment};

const IK: &str = "0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01";
const USER: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01";
const ACCOUNT: &str = "9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01";

fn pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| PrivateKey::generate(2048).unwrap().to_pkcs1_pem())
}

fn store(dir: &Path, test: &str) -> ConnectionStore {
    let s = ConnectionStore::open(dir)
        .unwrap()
        .with_keyring_service(format!(
            "dev.dsjwt.studio.test.{}.{test}",
            std::process::id()
        ));
    s.check_keyring().unwrap_or_else(|e| {
        panic!("{test}: no usable Secret Service ({e}): run under bash scripts/with-keyring.sh")
    });
    s
}

fn conn(name: &str) -> Connection {
    Connection::new(
        name,
        Environment::Demo,
        IK,
        USER,
        ACCOUNT,
        "https://demo.docusign.net",
    )
}

fn names(store: &ConnectionStore) -> Vec<String> {
    let mut v: Vec<String> = store.list().unwrap().into_iter().map(|c| c.name).collect();
    v.sort();
    v
}

fn hold_lock(dir: &Path) -> std::fs::File {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join("connections.json.lock"))
        .unwrap();
    fs4::FileExt::try_lock(&f).expect("the test takes the lock first");
    f
}

#[test]
fn a_held_lock_is_waited_for_and_never_broken_by_age() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path(), "held_lock");
    let held = hold_lock(dir.path());
    // An old lock file: the hand-rolled lock broke any lock older than 120 s.
    held.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let s = store.clone();
    let writer = std::thread::spawn(move || s.save(conn("Waiting"), Some(pem().as_bytes())));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !writer.is_finished(),
        "the writer waits while another process holds the lock"
    );
    assert!(
        !store.config_path().exists(),
        "nothing written under someone else's lock"
    );
    drop(held);
    writer.join().unwrap().unwrap();
    assert_eq!(names(&store), ["Waiting"]);
    let _ = store.remove("Waiting");
}

#[test]
fn a_lock_file_left_by_a_dead_process_blocks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path(), "dead_lock");
    // What a killed process leaves: the file, with no OS lock on it.
    std::fs::write(dir.path().join("connections.json.lock"), "12345\n").unwrap();
    store
        .save(conn("After crash"), Some(pem().as_bytes()))
        .unwrap();
    assert_eq!(names(&store), ["After crash"]);
    store.remove("After crash").unwrap();
    assert!(names(&store).is_empty());
}

#[test]
fn concurrent_writers_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let first = store(dir.path(), "concurrent");
    let _ = pem();
    let writers: Vec<_> = (0..8)
        .map(|i| {
            // Each writer opens its own store, as separate processes would.
            let s = ConnectionStore::open(dir.path())
                .unwrap()
                .with_keyring_service(first.keyring_service().to_string());
            std::thread::spawn(move || s.save(conn(&format!("Writer {i}")), Some(pem().as_bytes())))
        })
        .collect();
    for w in writers {
        w.join().unwrap().unwrap();
    }
    let expected: Vec<String> = (0..8).map(|i| format!("Writer {i}")).collect();
    assert_eq!(names(&first), expected);
    for n in &expected {
        first.remove(n).unwrap();
    }
}

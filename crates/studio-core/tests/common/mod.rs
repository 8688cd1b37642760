//! Set-up shared by the studio-core tests that need the OS keyring.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use std::path::Path;

use studio_core::connections::ConnectionStore;

/// A connection store on `dir` with its own keyring service (`dev.dsjwt.studio.test.<pid>.<test>`),
/// so a test never touches the real `dev.dsjwt.studio` entries. The keyring is the real Secret
/// Service: run the tests inside `scripts/with-keyring.sh` (the test command does). Without a
/// Secret Service this panics with those instructions: a keyring test never passes unchecked.
pub fn keyring_store(test: &str, dir: &Path) -> ConnectionStore {
    let store = ConnectionStore::open(dir)
        .unwrap()
        .with_keyring_service(format!(
            "dev.dsjwt.studio.test.{}.{test}",
            std::process::id()
        ));
    if let Err(e) = store.check_keyring() {
        panic!(
            "{test}: no usable Secret Service ({}: {e}).\nRun the keyring tests inside a throwaway keyring:\n    bash scripts/with-keyring.sh cargo test -p studio-core",
            e.code()
        );
    }
    store
}

//! A `dsjwt` that starts on a bare Linux (issue #12): libdbus, the keyring's D-Bus library, is
//! compiled into the binary (crates/dsjwt/Cargo.toml: the keyring's `vendored` feature), so the
//! binary needs no `libdbus-1.so.3` (and building it no `libdbus-1-dev`); and the compiled-in
//! copy still finds the user's session bus where the system's libdbus would.
//!
//! Real parts: the built binary, `ldd`, a real `dbus-daemon` and a real `gnome-keyring-daemon`
//! (the Debian packages scripts/with-keyring.sh needs, which the test command installs).
#![cfg(target_os = "linux")]
#![allow(missing_docs)]

mod common;
use common::*;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn dsjwt_needs_no_system_libdbus() {
    let out = Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_dsjwt"))
        .output()
        .expect("ldd (Debian's libc-bin) runs");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ldd failed: {listing}");
    // ldd really listed the libraries (the C library is always there).
    assert!(
        listing.contains("libc.so"),
        "unexpected ldd output: {listing}"
    );
    assert!(
        !listing.contains("libdbus"),
        "dsjwt needs the system's libdbus, so it does not start without it:\n{listing}"
    );
    let version = dsjwt().arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("dsjwt "));
}

/// A `dbus-daemon` listening on `<dir>/bus`, with an unlocked keyring on it; both end with the
/// value (the keyring daemon leaves when its bus goes).
struct UserBus {
    daemon: Child,
}

impl UserBus {
    fn start(runtime_dir: &Path, home: &Path) -> UserBus {
        let socket = runtime_dir.join("bus");
        let address = format!("unix:path={}", socket.display());
        let daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address={address}"))
            .stdout(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian's dbus) starts");
        let bus = UserBus { daemon };
        let since = Instant::now();
        while !socket.exists() {
            assert!(
                since.elapsed() < Duration::from_secs(20),
                "no bus socket at {socket:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--daemonize"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", runtime_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        {
            use std::io::Write as _;
            let mut stdin = keyring.stdin.take().expect("piped stdin");
            stdin
                .write_all(b"throwaway-test-password")
                .expect("the password is written");
        }
        assert!(
            keyring.wait().expect("gnome-keyring-daemon ends").success(),
            "gnome-keyring-daemon --daemonize failed"
        );
        bus
    }
}

impl Drop for UserBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// libdbus, when `DBUS_SESSION_BUS_ADDRESS` is not set (an SSH session, a cron job), looks for
/// the user's bus at `$XDG_RUNTIME_DIR/bus` before X11 autolaunch, which the compiled-in copy
/// does not have. This checks that the compiled-in copy does the same as the system's: saving a
/// connection writes its key into the keyring on that bus, and a health check reads it back.
#[test]
fn dsjwt_finds_the_session_bus_in_xdg_runtime_dir() {
    let sb = Sandbox::start(true);
    let tmp = tempfile::tempdir().unwrap();
    let runtime_dir = tmp.path().join("run");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&runtime_dir).unwrap();
    std::fs::create_dir_all(home.join("data")).unwrap();
    let _bus = UserBus::start(&runtime_dir, &home);

    let config = tmp.path().join("config");
    let service = format!("dsjwt-test-{}", guid());
    let mut add = dsjwt();
    add.args(["connection", "add", "Over the user bus", "--json"]);
    for (k, v) in sb.default_flags() {
        add.arg(k).arg(v);
    }
    with_store(&mut add, &config, &service);
    add.env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("HOME", &home);
    let out = add.output().unwrap();
    assert!(
        out.status.success(),
        "saving a connection over $XDG_RUNTIME_DIR/bus failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["name"], "Over the user bus");

    // The key is in that keyring: a health check of the saved connection reads it back.
    let mut check = dsjwt();
    check.args(["check", "--connection", "Over the user bus", "--json"]);
    with_store(&mut check, &config, &service);
    check
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("HOME", &home);
    let out = check.output().unwrap();
    assert!(
        out.status.success(),
        "check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

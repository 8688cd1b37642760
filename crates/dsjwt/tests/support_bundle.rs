//! `dsjwt support-bundle`: after a check and an action by a saved connection (real key, real
//! tokens, the emulator over HTTPS, a real Secret Service: run under scripts/with-keyring.sh),
//! the zip holds the entries docs/app.md lists and no line of the key.

mod common;
use common::*;
use std::io::Read as _;

#[test]
fn support_bundle_by_name_without_secrets() {
    let sb = Sandbox::start(true);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let state = sb.dir.path().join("state");

    let mut add = dsjwt();
    add.args(["connection", "add", "My sandbox", "--json"]);
    for (k, v) in sb.default_flags() {
        add.arg(k).arg(v);
    }
    with_store(&mut add, config.path(), &service);
    let out = add.output().unwrap();
    assert!(
        out.status.success(),
        "add: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    for args in [
        vec![
            "check",
            "--json",
            "--connection",
            "My sandbox",
            "--data-dir",
        ],
        vec![
            "action",
            "list-templates",
            "--connection",
            "My sandbox",
            "--data-dir",
        ],
    ] {
        let mut cmd = dsjwt();
        cmd.args(&args).arg(&state);
        with_store(&mut cmd, config.path(), &service);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let zip_path = sb.dir.path().join("F.zip");
    let mut bundle = dsjwt();
    bundle
        .args(["support-bundle", "--json", "--out"])
        .arg(&zip_path)
        .arg("--data-dir")
        .arg(&state);
    with_store(&mut bundle, config.path(), &service);
    let out = bundle.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = [
        "README.txt",
        "versions.json",
        "connection.json",
        "health-report.json",
        "golive.json",
        "ledger.json",
        "app.log",
        "emulator-requests.json",
    ];
    assert_eq!(
        summary["entries"],
        serde_json::json!(expected),
        "{summary:#}"
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let pem = std::fs::read_to_string(sb.s("private_key")).unwrap();
    let mut all = String::new();
    assert_eq!(zip.len(), expected.len());
    for (i, name) in expected.iter().enumerate() {
        let mut e = zip.by_index(i).unwrap();
        assert_eq!(e.name().unwrap(), *name);
        let mut text = String::new();
        e.read_to_string(&mut text).unwrap();
        all.push_str(&text);
    }
    assert!(!all.contains("PRIVATE KEY"));
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!all.contains(line), "a key line is in the bundle");
    }
    // The check by name was kept as the latest health report; the action is in the ledger.
    assert!(
        all.contains("\"checked_at\": \"20"),
        "no health report kept"
    );
    assert!(all.contains("/templates"), "no ledger row of the action");

    // A folder as --out, or an unknown connection: exit 2, nothing written.
    let mut bad = dsjwt();
    bad.args(["support-bundle", "--connection", "Nope", "--out"])
        .arg(sb.dir.path().join("G.zip"))
        .arg("--data-dir")
        .arg(&state);
    with_store(&mut bad, config.path(), &service);
    let out = bad.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nope"));
    assert!(!sb.dir.path().join("G.zip").exists());
}

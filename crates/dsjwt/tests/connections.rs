//! `dsjwt connection add|list|show|remove` and `--connection NAME`, with a
//! real Secret Service (run under scripts/with-keyring.sh, as the test
//! command does). The config folder must never hold key material.

mod common;
use common::*;

#[test]
fn saved_connection_round_trip() {
    let sb = Sandbox::start(true);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());

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
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["environment"], "sandbox");
    assert!(saved["key_fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));

    // Adding the same name again is refused (no silent overwrite), with the CLI's own way out
    // (a fresh-user run found it told to "edit", which the CLI has no command for).
    let out = add.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "fix: Pick another name, or change the saved \"My sandbox\" instead of adding a new one.\n  To overwrite it, run the same command with --replace."
        ),
        "{err}"
    );

    let mut list = dsjwt();
    list.args(["connection", "list", "--json"]);
    with_store(&mut list, config.path(), &service);
    let v: serde_json::Value = serde_json::from_slice(&list.output().unwrap().stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);

    // The check by name, key from the keyring, nothing else given.
    let mut check = dsjwt();
    check
        .args([
            "check",
            "--json",
            "--connection",
            "My sandbox",
            "--data-dir",
        ])
        .arg(sb.dir.path().join("state"));
    with_store(&mut check, config.path(), &service);
    let out = check.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");

    // An action by name.
    let mut act = dsjwt();
    act.args([
        "action",
        "list-templates",
        "--connection",
        "My sandbox",
        "--data-dir",
    ])
    .arg(sb.dir.path().join("state"));
    with_store(&mut act, config.path(), &service);
    assert!(act.output().unwrap().status.success());

    // No key material in the config folder.
    let pem = std::fs::read_to_string(sb.s("private_key")).unwrap();
    for entry in std::fs::read_dir(config.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        assert!(!text.contains("PRIVATE KEY"));
        for line in pem.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!text.contains(line), "a key line is in the config folder");
        }
    }

    let mut rm = dsjwt();
    rm.args(["connection", "remove", "My sandbox"]);
    with_store(&mut rm, config.path(), &service);
    assert!(rm.output().unwrap().status.success());
    let mut check2 = dsjwt();
    check2.args(["check", "--connection", "My sandbox"]);
    with_store(&mut check2, config.path(), &service);
    let out = check2.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("My sandbox"));
}

/// The connection commands use the saved connections alone: add, list, show and remove never
/// create (or need) the state file, whose folder may be unwritable, full or busy.
#[test]
fn connection_commands_never_create_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let data = dir.path().join("data");
    let service = format!("dsjwt-test-{}", guid());
    let key = dir.path().join("private.key");
    std::fs::write(&key, other_key().to_pkcs1_pem()).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = dsjwt();
        cmd.args(args);
        with_store(&mut cmd, &config, &service);
        let out = cmd.env("DSJWT_DATA_DIR", &data).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let (ik, user, account) = (guid(), guid(), guid());
    run(&[
        "connection",
        "add",
        "Acme demo",
        "--integration-key",
        &ik,
        "--user-id",
        &user,
        "--account-id",
        &account,
        "--base-uri",
        "https://demo.docusign.net",
        "--private-key",
        &key.display().to_string(),
    ]);
    assert!(run(&["connection", "list"]).contains(&ik));
    assert!(run(&["connection", "show", "Acme demo"]).contains(&account));
    run(&["connection", "remove", "Acme demo"]);
    assert!(
        !data.exists(),
        "a connection command created the data folder {}",
        data.display()
    );
}

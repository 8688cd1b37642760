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

/// `check` names where it ran from the typed auth server and environment in studio-core: a
/// custom auth server given by flags is named by its host (it need not be the sandbox), a saved
/// connection of the sandbox environment is "sandbox". `connection add --ca-cert` passes the path
/// as given: the workspace saves it absolute (a relative path from the current folder) and
/// refuses, naming the file, one that cannot be read (the CLI used to save such a path as
/// given, to fail only at the first call).
#[test]
fn check_names_where_it_ran_and_add_keeps_the_ca_file_absolute() {
    let sb = Sandbox::start(true);
    let host = sb.url().trim_start_matches("https://").to_string();
    let mut by_flags = dsjwt_without_env();
    by_flags.arg("check");
    for (k, v) in sb.default_flags() {
        by_flags.arg(k).arg(v);
    }
    let out = by_flags.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with(&format!(
            "DocuSign JWT health check (custom auth server {host})\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Custom auth server: auth server {host}")),
        "{text}"
    );
    assert!(!text.contains("(sandbox)"), "{text}");

    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let ca = sb.ca_cert();
    let (folder, file) = (ca.parent().unwrap(), ca.file_name().unwrap());
    let add = |name: &str, ca_cert: &str| {
        let mut add = dsjwt();
        add.args(["connection", "add", name, "--json"]);
        for (k, v) in sb.default_flags() {
            if k != "--ca-cert" {
                add.arg(k).arg(v);
            }
        }
        add.args(["--ca-cert", ca_cert]).current_dir(folder);
        with_store(&mut add, config.path(), &service);
        add.output().unwrap()
    };
    let out = add("Relative CA", file.to_str().unwrap());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["environment"], "sandbox");
    assert_eq!(
        saved["ca_cert"].as_str(),
        std::fs::canonicalize(&ca).unwrap().to_str(),
        "{saved:#}"
    );

    let out = add("Missing CA", "no-such-ca.pem");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot read the CA certificate file no-such-ca.pem"),
        "{err}"
    );
    assert!(err.contains("Check the path: no file is there."), "{err}");

    let mut check = dsjwt();
    check
        .args(["check", "--connection", "Relative CA", "--data-dir"])
        .arg(sb.dir.path().join("state"));
    with_store(&mut check, config.path(), &service);
    let out = check.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("DocuSign JWT health check (sandbox)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("The Studio's sandbox: auth server {host}")),
        "{text}"
    );
}

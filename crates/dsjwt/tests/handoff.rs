//! `dsjwt connection export NAME --format stackai|env|json [--include-key]` and
//! `dsjwt connection add NAME --from-env FILE`, against the emulator over HTTPS with the real
//! Secret Service (run under scripts/with-keyring.sh, as the test command does).

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

/// A CLI run against one config folder and keyring service, with no `DSJWT_*` from outside.
struct Cli<'a> {
    config: &'a Path,
    service: &'a str,
    data: &'a Path,
}

impl Cli<'_> {
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd: Command = dsjwt_without_env();
        cmd.env("DSJWT_CONFIG_DIR", self.config)
            .env("DSJWT_KEYRING_SERVICE", self.service)
            .env("DSJWT_DATA_DIR", self.data)
            .args(args);
        cmd.output().unwrap()
    }

    fn show(&self, name: &str) -> serde_json::Value {
        let out = self.run(&["connection", "show", name]);
        assert!(out.status.success(), "show {name}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The base64 body lines of a PEM (what must never be printed without --include-key).
fn key_lines(pem: &str) -> Vec<String> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(String::from)
        .collect()
}

fn add_sandbox(cli: &Cli, sb: &Sandbox, name: &str) {
    let mut args = vec!["connection", "add", name, "--json"];
    let flags = sb.default_flags();
    for (k, v) in &flags {
        args.push(k);
        args.push(v);
    }
    let out = cli.run(&args);
    assert!(out.status.success(), "add: {}", stderr(&out));
}

#[test]
fn export_env_with_key_reads_back_to_the_same_healthy_connection() {
    let sb = Sandbox::start(true);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let data = sb.dir.path().join("state");
    let cli = Cli {
        config: config.path(),
        service: &service,
        data: &data,
    };
    add_sandbox(&cli, &sb, "Sandbox");

    let out = cli.run(&[
        "connection",
        "export",
        "Sandbox",
        "--format",
        "env",
        "--include-key",
    ]);
    assert_eq!(out.status.code(), Some(0), "export: {}", stderr(&out));
    let block = stdout(&out);
    // The shape: one DOCUSIGN_* line per value, the key quoted on one line with \n escapes.
    let original = cli.show("Sandbox");
    for (var, field) in [
        ("DOCUSIGN_INTEGRATION_KEY", "integration_key"),
        ("DOCUSIGN_USER_ID", "user_id"),
        ("DOCUSIGN_ACCOUNT_ID", "account_id"),
        ("DOCUSIGN_BASE_URI", "base_uri"),
        ("DOCUSIGN_AUTH_SERVER", "auth_server"),
    ] {
        let want = format!("{var}={}", original[field].as_str().unwrap());
        assert!(block.lines().any(|l| l == want), "{want} in:\n{block}");
    }
    assert!(block.lines().any(|l| l == "DOCUSIGN_ENVIRONMENT=sandbox"));
    let key_line = block
        .lines()
        .find(|l| l.starts_with("DOCUSIGN_PRIVATE_KEY="))
        .expect("the key line");
    assert!(
        key_line.starts_with("DOCUSIGN_PRIVATE_KEY=\"-----BEGIN RSA ")
            && key_line.ends_with("-----\\n\"")
            && key_line.contains("\\n"),
        "one quoted line with \\n escapes"
    );
    // The warning goes to stderr, never into the block.
    let err = stderr(&out);
    assert!(
        err.contains("warning") && err.contains("private key"),
        "{err}"
    );
    assert!(!block.contains("warning"));

    // Read it back as a new connection.
    let file = config.path().join("copy.env");
    std::fs::write(&file, &block).unwrap();
    let out = cli.run(&[
        "connection",
        "add",
        "COPY",
        "--from-env",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "add --from-env: {}",
        stderr(&out)
    );
    let copy = cli.show("COPY");
    for field in [
        "environment",
        "integration_key",
        "user_id",
        "account_id",
        "base_uri",
        "auth_server",
        "key_fingerprint",
        "ca_cert",
    ] {
        assert_eq!(copy[field], original[field], "{field}");
    }

    // And it is healthy.
    let out = cli.run(&["check", "--connection", "COPY", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["key_fingerprint"], original["key_fingerprint"]);
}

#[test]
fn without_include_key_no_key_material_is_printed() {
    let sb = Sandbox::start(true);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let data = sb.dir.path().join("state");
    let cli = Cli {
        config: config.path(),
        service: &service,
        data: &data,
    };
    add_sandbox(&cli, &sb, "Sandbox");
    let pem = std::fs::read_to_string(sb.s("private_key")).unwrap();
    let lines = key_lines(&pem);
    assert!(lines.len() > 10);
    for format in ["stackai", "env", "json"] {
        let out = cli.run(&["connection", "export", "Sandbox", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("BEGIN RSA"), "{format}: {all}");
        assert!(!all.contains("PRIVATE KEY-----"), "{format}");
        for l in &lines {
            assert!(
                !all.contains(l.as_str()),
                "{format}: a key line was printed"
            );
        }
        // The values are there, in the format's shape.
        let ik = sb.s("integration_key");
        let want = match format {
            "stackai" => format!("Integration Key: {ik}"),
            "env" => format!("DOCUSIGN_INTEGRATION_KEY={ik}"),
            _ => format!("\"integration_key\": \"{ik}\""),
        };
        assert!(stdout(&out).contains(&want), "{format}:\n{}", stdout(&out));
    }
    // JSON parses, and says when the check ran.
    let out = cli.run(&["connection", "export", "Sandbox", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["checked_at"].as_str().unwrap().ends_with('Z'));
    assert!(v.get("private_key").is_none());
    // Stack AI's order.
    let text = stdout(&cli.run(&["connection", "export", "Sandbox", "--format", "stackai"]));
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
    assert!(pos("Integration Key:") < pos("User ID:"));
    assert!(pos("User ID:") < pos("RSA Private Key"));
    assert!(pos("RSA Private Key") < pos("Account ID:"));
    assert!(pos("Account ID:") < pos("Base URI:"));
    assert!(pos("Base URI:") < pos("Environment:"));

    // With the key, every format reads back (Stack AI's block and JSON too).
    for format in ["stackai", "json"] {
        let out = cli.run(&[
            "connection",
            "export",
            "Sandbox",
            "--format",
            format,
            "--include-key",
        ]);
        assert!(out.status.success());
        let file = config.path().join(format!("copy.{format}"));
        std::fs::write(&file, stdout(&out)).unwrap();
        let name = format!("From {format}");
        // Stack AI's form has no CA file: the flag gives it.
        let ca = sb.ca_cert();
        let out = cli.run(&[
            "connection",
            "add",
            &name,
            "--from-env",
            file.to_str().unwrap(),
            "--ca-cert",
            ca.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let copy = cli.show(&name);
        let original = cli.show("Sandbox");
        assert_eq!(copy["key_fingerprint"], original["key_fingerprint"]);
        assert_eq!(copy["account_id"], original["account_id"]);
    }
}

#[test]
fn export_of_an_unhealthy_connection_says_so_and_prints_nothing() {
    // No consent given: the check fails at the token step.
    let sb = Sandbox::start(false);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let data = sb.dir.path().join("state");
    let cli = Cli {
        config: config.path(),
        service: &service,
        data: &data,
    };
    add_sandbox(&cli, &sb, "No consent");
    let out = cli.run(&[
        "connection",
        "export",
        "No consent",
        "--format",
        "env",
        "--include-key",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("not healthy") && err.contains("consent_required"),
        "{err}"
    );
    assert!(!err.contains("BEGIN"));
}

#[test]
fn from_env_reads_notes_and_names_what_is_missing() {
    let sb = Sandbox::start(true);
    let config = tempfile::tempdir().unwrap();
    let service = format!("dsjwt-test-{}", guid());
    let data = sb.dir.path().join("state");
    let cli = Cli {
        config: config.path(),
        service: &service,
        data: &data,
    };
    // Notes as a person keeps them: labels in any case, ':' or '=', quotes, the key file
    // next to the notes.
    std::fs::copy(sb.s("private_key"), config.path().join("key.pem")).unwrap();
    let notes = format!(
        "My DocuSign sandbox\n\
         - integration key: {}\n\
         - API Username = \"{}\"\n\
         - API Account ID:  {}\n\
         Account Base URI: {}/restapi\n\
         auth server: {}\n\
         CA certificate: {}\n\
         private key file: key.pem\n",
        sb.s("integration_key"),
        sb.s("user_id"),
        sb.s("account_id"),
        sb.s("base_uri"),
        sb.url(),
        sb.ca_cert().display(),
    );
    let file = config.path().join("notes.txt");
    std::fs::write(&file, notes).unwrap();
    let out = cli.run(&[
        "connection",
        "add",
        "Notes",
        "--from-env",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = cli.run(&["check", "--connection", "Notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Missing values are named (exit 2), nothing saved.
    let file = config.path().join("partial.env");
    std::fs::write(
        &file,
        format!("DOCUSIGN_INTEGRATION_KEY={}\n", sb.s("integration_key")),
    )
    .unwrap();
    let out = cli.run(&[
        "connection",
        "add",
        "Partial",
        "--from-env",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("User ID") && err.contains("Account ID") && err.contains("Base URI"),
        "{err}"
    );
    assert_eq!(
        cli.run(&["connection", "show", "Partial"]).status.code(),
        Some(2)
    );
}

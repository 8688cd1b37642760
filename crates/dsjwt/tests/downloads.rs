//! `dsjwt action download-document --out FOLDER` through the real `dsjwt` against the real
//! emulator over HTTPS: in a folder, an earlier download is never replaced.

mod common;
use common::*;

/// Two completed envelopes of the default sandbox world.
const FIRST: &str = "e1a0c001-0000-4000-8000-000000000004";
const SECOND: &str = "e1a0c001-0000-4000-8000-000000000007";

/// Found by a fresh user: `combined` of two envelopes into one folder both took DocuSign's
/// name "Combined.pdf", and the second silently replaced the first envelope's signed PDF.
/// The second is now "Combined (2).pdf", the JSON and the stderr line name it, and the first
/// file is untouched. A path given as `--out FILE` is still written where it says.
#[test]
fn downloads_into_a_folder_never_replace_an_earlier_file() {
    let sb = Sandbox::start(true);
    let folder = tempfile::tempdir().expect("tempdir");
    let into_folder = |envelope: &str| {
        let out = sb.run(&[
            "action",
            "download-document",
            envelope,
            "combined",
            "--out",
            folder.path().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };

    let (first, _) = into_folder(FIRST);
    let first_path = folder.path().join("Combined.pdf");
    assert_eq!(
        std::path::Path::new(first["path"].as_str().unwrap()),
        first_path
    );
    let first_bytes = std::fs::read(&first_path).unwrap();

    let (second, said) = into_folder(SECOND);
    let second_path = folder.path().join("Combined (2).pdf");
    assert_eq!(
        std::path::Path::new(second["path"].as_str().unwrap()),
        second_path
    );
    assert!(
        said.contains(&format!("saved to {}", second_path.display())),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&first_path).unwrap(),
        first_bytes,
        "the first envelope's file is untouched"
    );
    assert!(std::fs::read(&second_path).unwrap().starts_with(b"%PDF-"));
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Combined (2).pdf", "Combined.pdf"],
        "no part file left"
    );

    // A file named with --out is the person's choice: written there, as asked.
    let (code, v) = sb.run_json(&[
        "action",
        "download-document",
        FIRST,
        "combined",
        "--out",
        second_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        std::path::Path::new(v["path"].as_str().unwrap()),
        second_path
    );
    assert_eq!(std::fs::read(&second_path).unwrap(), first_bytes);
}

/// Found by a fresh user: a 3 KB download printed seven "downloading… N%" lines. Files under
/// 1 MB are done before anyone could read a progress line, so none is printed; the one
/// "saved to" line remains.
#[test]
fn a_small_download_prints_no_progress_lines() {
    let sb = Sandbox::start(true);
    let folder = tempfile::tempdir().expect("tempdir");
    let out = sb.run(&[
        "action",
        "download-document",
        FIRST,
        "combined",
        "--out",
        folder.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("downloading"), "{said}");
    assert_eq!(
        said.lines()
            .filter(|l| l.starts_with("dsjwt: saved to "))
            .count(),
        1,
        "{said}"
    );
}

//! Checks over the repository's own sources (no network, no build of anything else).
//!
//! - Every field case cited as `F<two digits>` under `crates/`, `src-tauri/`, `ui/src/` and `tests/`
//!   has its row in `docs/field-cases.md`, and every test that page names exists.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root (this crate lives in `crates/studio-core`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/studio-core has a grandparent")
        .to_path_buf()
}

/// Directories never searched: build output, installed packages, caches.
const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "dist",
    "gen",
    "__pycache__",
    ".venv",
    ".git",
    "e2e-screenshots",
];

/// Every text file under `dir`, recursively (files that are not UTF-8 are skipped).
fn text_files(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                text_files(&path, out);
            }
        } else if kind.is_file() {
            if let Ok(text) = fs::read_to_string(&path) {
                out.push((path, text));
            }
        }
    }
}

/// Every `F` followed by two ASCII digits in `text` (the same match as
/// `grep 'F[0-9][0-9]'`), with its 1-based line number.
fn cited_cases(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let b = line.as_bytes();
        for i in 0..b.len().saturating_sub(2) {
            if b[i] == b'F' && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit() {
                found.push((line[i..i + 3].to_string(), n + 1));
            }
        }
    }
    found
}

/// The F-number a line of `docs/field-cases.md` starts with (after `|`, `-`, `*`, spaces or `**`).
fn row_case(line: &str) -> Option<String> {
    let rest = line.trim_start_matches(['|', '-', '*', ' ']);
    let b = rest.as_bytes();
    let is_case = b.len() >= 3
        && b[0] == b'F'
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && !matches!(b.get(3), Some(c) if c.is_ascii_alphanumeric());
    is_case.then(|| rest[..3].to_string())
}

fn field_cases_doc() -> String {
    let path = repo_root().join("docs/field-cases.md");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn every_cited_field_case_is_in_docs_field_cases_md() {
    let root = repo_root();
    let documented: BTreeSet<String> = field_cases_doc().lines().filter_map(row_case).collect();
    assert!(
        documented.len() >= 20,
        "docs/field-cases.md lists only {} cases: is the table's format still `| F01 | …`?",
        documented.len()
    );

    let mut files = Vec::new();
    for dir in ["crates", "src-tauri", "ui/src", "tests"] {
        text_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 50,
        "found only {} source files under {}",
        files.len(),
        root.display()
    );

    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut cited = 0;
    for (path, text) in &files {
        for (case, line) in cited_cases(text) {
            cited += 1;
            if !documented.contains(&case) {
                let at = path.strip_prefix(&root).unwrap_or(path).display();
                missing
                    .entry(case)
                    .or_default()
                    .push(format!("{at}:{line}"));
            }
        }
    }
    assert!(
        cited > 0,
        "no field case cited anywhere: is the search looking at the right tree?"
    );
    assert!(
        missing.is_empty(),
        "field cases cited in the code but missing from docs/field-cases.md (add a row: \
         `| Fnn | what the user saw | what the Studio does | path::test_name |`):\n{}",
        missing
            .iter()
            .map(|(case, at)| format!("  {case}: {}", at.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_test_named_in_docs_field_cases_md_exists() {
    let root = repo_root();
    let doc = field_cases_doc();
    let mut named = 0;
    let mut broken = Vec::new();
    for piece in doc.split('`') {
        // A reference looks like `crates/x/tests/y.rs::test_name`.
        let Some((file, test)) = piece.split_once(".rs::") else {
            continue;
        };
        if file.contains(char::is_whitespace)
            || test.is_empty()
            || !test.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        named += 1;
        let file = format!("{file}.rs");
        match fs::read_to_string(root.join(&file)) {
            Err(e) => broken.push(format!("{file}::{test}: cannot read {file}: {e}")),
            Ok(text) => {
                if !text.contains(&format!("fn {test}(")) {
                    broken.push(format!("{file}::{test}: no `fn {test}(` in {file}"));
                }
            }
        }
    }
    assert!(
        named > 0,
        "docs/field-cases.md names no test as `path.rs::test_name`"
    );
    assert!(
        broken.is_empty(),
        "docs/field-cases.md names tests that do not exist (renamed? update the row):\n  {}",
        broken.join("\n  ")
    );
}

#[test]
fn case_citations_are_found_like_grep_does() {
    assert_eq!(
        cited_cases("// F07a and F20, not f19 or F1"),
        vec![("F07".to_string(), 1), ("F20".to_string(), 1)]
    );
    assert_eq!(row_case("| F01 | a | b | c |").as_deref(), Some("F01"));
    assert_eq!(row_case("- **F12**: consent"), Some("F12".to_string()));
    assert_eq!(row_case("| F123 | not a case |"), None);
    assert_eq!(row_case("| Case | What |"), None);
}

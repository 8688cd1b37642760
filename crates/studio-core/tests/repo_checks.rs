//! Checks over the repository's own sources (no network, no build of anything else).
//!
//! - Every field case cited as `F<two digits>` under `crates/`, `src-tauri/`, `ui/src/` and `tests/`
//!   has its row in `docs/field-cases.md`, and every test that page names exists.
//! - No source files (`crates/*/src`, `src-tauri`) import each other, as a pair or in a loop
//!   through others: a file's imports are the `crate::`, `super::` and `self::` paths it names,
//!   resolved to the file of the longest matching module; a module and its own submodules do not
//!   count as a circle.
//! - The desktop app's command list is the same in the handler list, the permissions' app
//!   manifest, the capability file, the UI's real backend and its `Backend` interface.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root (this crate lives in `crates/studio-core`). `REPO_CHECKS_ROOT` points the
/// checks at another checkout of the repository.
fn repo_root() -> PathBuf {
    if let Some(root) = std::env::var_os("REPO_CHECKS_ROOT") {
        return PathBuf::from(root);
    }
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
        } else if kind.is_file() && !SKIPPED_FILES.contains(&name.as_str()) {
            if let Ok(text) = fs::read_to_string(&path) {
                out.push((path, text));
            }
        }
    }
}

/// Lock files: their hashes are base64, where `F` and two digits occur by chance.
const SKIPPED_FILES: &[&str] = &[
    "package-lock.json",
    "Cargo.lock",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// Every `F` followed by exactly two ASCII digits in `text` that starts a word (`F07`, `F07a`,
/// `(F20)`; not `0xF012` or a base64 run), with its 1-based line number.
fn cited_cases(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let b = line.as_bytes();
        for i in 0..b.len().saturating_sub(2) {
            let starts_word = i == 0 || !b[i - 1].is_ascii_alphanumeric();
            let two_digits = !matches!(b.get(i + 3), Some(c) if c.is_ascii_digit());
            if starts_word
                && two_digits
                && b[i] == b'F'
                && b[i + 1].is_ascii_digit()
                && b[i + 2].is_ascii_digit()
            {
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
        cited_cases("// F07a and F20, not f19, F1, F123, 0xF012 or sha512-aF12"),
        vec![("F07".to_string(), 1), ("F20".to_string(), 1)]
    );
    assert_eq!(row_case("| F01 | a | b | c |").as_deref(), Some("F01"));
    assert_eq!(row_case("- **F12**: consent"), Some("F12".to_string()));
    assert_eq!(row_case("| F123 | not a case |"), None);
    assert_eq!(row_case("| Case | What |"), None);
}

// ---------------------------------------------------------------------------------------------
// No import circles: no source files refer to each other, as a pair or in a loop (issue #11).

/// A module of one crate: the crate's source root and the module path (`[]` for lib.rs/main.rs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Module {
    root: PathBuf,
    path: Vec<String>,
}

/// The module a source file defines, from its place under the crate's source root.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !(stem == "mod" || (parts.is_empty() && (stem == "lib" || stem == "main"))) {
        parts.push(stem.to_string());
    }
    parts
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_ws(b: &[u8], i: &mut usize) {
    while *i < b.len() && b[*i].is_ascii_whitespace() {
        *i += 1;
    }
}

/// Parses a path or a `use` tree at `b[*i..]` (after a `crate::`/`super::`/`self::`), giving
/// every path it names as segments: `a::{b, c::d}` → `[a, b]`, `[a, c, d]`.
fn parse_tree(b: &[u8], i: &mut usize, depth: usize) -> Vec<Vec<String>> {
    skip_ws(b, i);
    if depth > 16 || *i >= b.len() {
        return vec![vec![]];
    }
    if b[*i] == b'*' {
        *i += 1;
        return vec![vec![]];
    }
    if b[*i] == b'{' {
        *i += 1;
        let mut out = Vec::new();
        loop {
            skip_ws(b, i);
            if *i >= b.len() {
                break;
            }
            if b[*i] == b'}' {
                *i += 1;
                break;
            }
            out.extend(parse_tree(b, i, depth + 1));
            skip_ws(b, i);
            match b.get(*i) {
                Some(b',') => *i += 1,
                Some(b'}') => {
                    *i += 1;
                    break;
                }
                _ => break,
            }
        }
        return out;
    }
    let start = *i;
    while *i < b.len() && is_ident_byte(b[*i]) {
        *i += 1;
    }
    if start == *i {
        return vec![vec![]];
    }
    let ident = String::from_utf8_lossy(&b[start..*i]).into_owned();
    if b[*i..].starts_with(b"::") {
        *i += 2;
        let mut rest = parse_tree(b, i, depth + 1);
        for p in &mut rest {
            p.insert(0, ident.clone());
        }
        rest
    } else {
        vec![vec![ident]]
    }
}

/// Source text with comments left out (whole-line comments and ` // …` after code).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let code = if line.trim_start().starts_with("//") {
            ""
        } else {
            match line.find(" //") {
                Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
                _ => line,
            }
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Every module path `file` (module `me`) refers to through `crate::`, `super::` or `self::`,
/// made absolute. Code after the first inline `mod name {` is one level deeper; the unit tests
/// (from `#[cfg(test)]` on) are left out: a test may use any module.
fn referenced_paths(text: &str, me: &[String]) -> Vec<Vec<String>> {
    let mut code = without_comments(text);
    if let Some(at) = code.find("#[cfg(test)]") {
        code.truncate(at);
    }
    let inline_mod_at = code
        .lines()
        .scan(0usize, |offset, line| {
            let at = *offset;
            *offset += line.len() + 1;
            Some((at, line.trim()))
        })
        .find(|(_, l)| {
            let l = l
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            l.starts_with("mod ") && l.ends_with('{')
        })
        .map_or(usize::MAX, |(at, _)| at);
    let b = code.as_bytes();
    let mut found = Vec::new();
    for kw in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(pos) = code[from..].find(kw).map(|p| p + from) {
            from = pos + kw.len();
            if pos > 0 && (is_ident_byte(b[pos - 1]) || b[pos - 1] == b'$' || b[pos - 1] == b':') {
                continue;
            }
            let mut base: Vec<String> = me.to_vec();
            if pos > inline_mod_at {
                base.push("<inline>".into());
            }
            match kw {
                "crate::" => base.clear(),
                "super::" => {
                    base.pop();
                }
                _ => {}
            }
            let mut i = from;
            for mut segs in parse_tree(b, &mut i, 0) {
                while segs.first().map(String::as_str) == Some("super") {
                    segs.remove(0);
                    base.pop();
                }
                if segs.last().map(String::as_str) == Some("self") {
                    segs.pop();
                }
                let mut full = base.clone();
                full.extend(segs);
                found.push(full);
            }
        }
    }
    found
}

/// Every `.rs` file of every crate's sources: (crate source root, file).
fn crate_sources() -> Vec<(PathBuf, PathBuf, String)> {
    let root = repo_root();
    let mut roots: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path().join("src"))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    roots.push(root.join("src-tauri"));
    roots.sort();
    let mut out = Vec::new();
    for src in roots {
        let mut files = Vec::new();
        text_files(&src, &mut files);
        for (file, text) in files {
            if file.extension().is_some_and(|e| e == "rs") && !file.ends_with("build.rs") {
                out.push((src.clone(), file, text));
            }
        }
    }
    out
}

/// Every import between two source files of one crate, as (importer, imported): a file's
/// imports are the module paths it names, each resolved to the longest prefix that is a module
/// with its own file; a module and its own parent or child are one unit.
fn import_edges() -> BTreeSet<(PathBuf, PathBuf)> {
    let sources = crate_sources();
    let modules: BTreeMap<Module, PathBuf> = sources
        .iter()
        .map(|(root, file, _)| {
            (
                Module {
                    root: root.clone(),
                    path: module_of(root, file),
                },
                file.clone(),
            )
        })
        .collect();
    let mut edges: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    for (root, file, text) in &sources {
        let me = module_of(root, file);
        for path in referenced_paths(text, &me) {
            // The longest prefix of the path that is a module with its own file.
            let target = (0..=path.len()).rev().find_map(|n| {
                modules.get(&Module {
                    root: root.clone(),
                    path: path[..n].to_vec(),
                })
            });
            let Some(target) = target else { continue };
            let them = module_of(root, target);
            // A module and its own parent or child are one unit (mod.rs and its files).
            if them.starts_with(&me) || me.starts_with(&them) {
                continue;
            }
            edges.insert((file.clone(), target.clone()));
        }
    }
    edges
}

/// A path relative to the repository, for messages.
fn rel(p: &Path) -> String {
    p.strip_prefix(repo_root())
        .unwrap_or(p)
        .display()
        .to_string()
}

/// Pairs of source files that import each other, as `a.rs <-> b.rs` (repository-relative).
fn import_circles() -> Vec<String> {
    let edges = import_edges();
    edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", rel(a), rel(b)))
        .collect()
}

/// The loops of imports among `edges` (strongly connected groups of two or more files), each as
/// its files and the imports that tie them, `a.rs -> b.rs` (repository-relative).
fn import_loops(edges: &BTreeSet<(PathBuf, PathBuf)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
        next.entry(b).or_default();
    }
    // Which files each file reaches (the graph is a few hundred files: a search from each is
    // plenty).
    let reach = |from: &PathBuf| -> BTreeSet<PathBuf> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(f) = todo.pop() {
            for &n in &next[f] {
                if seen.insert(n.clone()) {
                    todo.push(n);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&PathBuf, BTreeSet<PathBuf>> =
        next.keys().map(|&f| (f, reach(f))).collect();
    let mut placed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut loops = Vec::new();
    for (&f, from_f) in &reaches {
        if placed.contains(f) || !from_f.contains(f) {
            continue;
        }
        // f's group: the files f reaches that reach f back.
        let group: BTreeSet<PathBuf> = from_f
            .iter()
            .filter(|g| reaches[g].contains(f))
            .cloned()
            .collect();
        let mut lines: Vec<String> = edges
            .iter()
            .filter(|(a, b)| group.contains(a) && group.contains(b))
            .map(|(a, b)| format!("{} -> {}", rel(a), rel(b)))
            .collect();
        lines.sort();
        placed.extend(group);
        loops.push(lines);
    }
    loops
}

#[test]
fn no_source_files_import_each_other_in_a_loop() {
    let loops = import_loops(&import_edges());
    assert!(
        loops.is_empty(),
        "these source files import each other in a loop; move the shared item to the module it \
         belongs to (or a new one they can all use):\n{}",
        loops
            .iter()
            .map(|l| format!("  {}", l.join("\n  ")))
            .collect::<Vec<_>>()
            .join("\n  --\n")
    );
}

#[test]
fn import_loops_are_found_through_any_number_of_files() {
    let p = |s: &str| PathBuf::from(s);
    let edges: BTreeSet<(PathBuf, PathBuf)> = [
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("c.rs", "d.rs"),
        ("d.rs", "e.rs"),
    ]
    .iter()
    .map(|(a, b)| (p(a), p(b)))
    .collect();
    assert_eq!(
        import_loops(&edges),
        vec![vec![
            "a.rs -> b.rs".to_string(),
            "b.rs -> c.rs".to_string(),
            "c.rs -> a.rs".to_string(),
        ]]
    );
}

#[test]
fn no_two_source_files_import_each_other() {
    let circles = import_circles();
    assert!(
        circles.is_empty(),
        "these source files import each other; move the shared item to the module it belongs \
         to (or a new one both can use):\n  {}",
        circles.join("\n  ")
    );
}

#[test]
fn import_paths_are_read_like_rustc_does() {
    let me = vec!["esign".to_string(), "documents".to_string()];
    let text = "use super::{model::*, render::{self, Include}};\nuse crate::state::AppState;\n\
                fn f() { let _ = super::envelopes::with_account; $crate::no::match; }\n\
                // crate::commented::out\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n";
    let mut got = referenced_paths(text, &me);
    got.sort();
    got.dedup();
    let p = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            p("esign::envelopes::with_account"),
            p("esign::model"),
            p("esign::render"),
            p("esign::render::Include"),
            p("state::AppState"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// README's layout section matches the tree.

/// Top-level directories that are build output or generated, never in the layout.
const UNLISTED_TOP_DIRS: &[&str] = &["target", "gen", "permissions", "node_modules", "dist"];

/// The paths in the first column of README's `## Layout` block.
fn readme_layout() -> (String, Vec<String>) {
    let path = repo_root().join("README.md");
    let readme =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let section = readme
        .split("## Layout")
        .nth(1)
        .expect("README.md has a `## Layout` section");
    let block = section
        .split("```")
        .nth(1)
        .expect("README's layout section has a code block")
        .to_string();
    let listed = block
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect();
    (block, listed)
}

#[test]
fn readme_layout_matches_the_tree() {
    let root = repo_root();
    let (block, listed) = readme_layout();
    assert!(listed.len() >= 5, "README's layout lists only {listed:?}");
    let missing: Vec<&String> = listed
        .iter()
        .filter(|p| !root.join(p.trim_end_matches('/')).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "README's layout names paths that do not exist: {missing:?}"
    );

    let mut unlisted = Vec::new();
    let dirs = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    for name in dirs(&root) {
        if name.starts_with('.') || UNLISTED_TOP_DIRS.contains(&name.as_str()) {
            continue;
        }
        if !listed.iter().any(|p| p.starts_with(&format!("{name}/"))) {
            unlisted.push(format!("{name}/"));
        }
    }
    for name in dirs(&root.join("crates")) {
        let entry = format!("crates/{name}/");
        if !listed.contains(&entry) {
            unlisted.push(entry);
        }
    }
    assert!(
        unlisted.is_empty(),
        "README's layout (## Layout) does not mention: {unlisted:?}\n{block}"
    );
}

/// The most lines the body of a `#[tauri::command]` may have: parse, one studio-core call,
/// present (issue #11).
const MAX_COMMAND_BODY_LINES: usize = 3;

/// Each `#[tauri::command]` function in `text` with its body's line count (the lines between
/// the signature's `{` and the closing `}` at the function's own indentation).
fn command_bodies(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim() != "#[tauri::command]" {
            continue;
        }
        let Some(f) = (i..lines.len()).find(|&j| lines[j].contains("fn ")) else {
            continue;
        };
        let indent = &lines[f][..lines[f].len() - lines[f].trim_start().len()];
        let name = lines[f]
            .split("fn ")
            .nth(1)
            .and_then(|r| r.split(['(', '<']).next())
            .unwrap_or("?")
            .to_string();
        let open = (f..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with("{}")
        });
        if open.is_some_and(|o| lines[o].trim_end().ends_with("{}")) {
            out.push((name, 0));
            continue;
        }
        let close =
            open.and_then(|o| (o + 1..lines.len()).find(|&j| lines[j] == format!("{indent}}}")));
        match (open, close) {
            (Some(o), Some(c)) => out.push((name, c - o - 1)),
            _ => out.push((name, usize::MAX)),
        }
    }
    out
}

/// `app_info` → `appInfo`.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The desktop app's commands, as each place that must name them names them: the
/// `#[tauri::command]` functions under `src-tauri/commands/` (build.rs makes the handler list and
/// the permissions from them: `permissions/autogenerated/` once built), the capability file
/// (`capabilities/main.json`), and the UI's generated command surface
/// (`ui/src/lib/bindings/commands.ts`, made from the same functions by tests/ts_bindings.rs:
/// `COMMANDS` and one `Commands` method per command, camelCase), which the UI's `Backend`
/// extends and its real backend (`ui/src/lib/ipc/tauri.ts`) calls over `invoke`.
#[test]
fn every_place_names_the_same_desktop_commands() {
    let root = repo_root();
    let read = |p: &str| fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));

    // The handler list and the permissions are generated by src-tauri/build.rs from the
    // `#[tauri::command]` functions under src-tauri/commands/, so those are the list.
    let mut files = Vec::new();
    text_files(&root.join("src-tauri/commands"), &mut files);
    let handlers: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, text)| command_bodies(text))
        .map(|(name, _)| name)
        .collect();
    assert!(handlers.len() > 30, "commands found: {handlers:?}");

    // Generated by tauri-build from that list (ignored by git): when present, every command has
    // its permission. tauri-build never deletes the file of a removed or renamed command, so a
    // working copy may hold extra ones; they grant nothing, since the capability (checked below)
    // names exactly the commands. (Requiring equality failed every build made before a rename.)
    if let Ok(entries) = fs::read_dir(root.join("permissions/autogenerated")) {
        let generated: BTreeSet<String> = entries
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .strip_suffix(".toml")
                    .map(String::from)
            })
            .collect();
        let missing: BTreeSet<&String> = handlers.difference(&generated).collect();
        assert!(
            missing.is_empty(),
            "permissions/autogenerated lacks {missing:?} (build the app to regenerate)"
        );
    }

    let caps = read("capabilities/main.json");
    let caps: serde_json::Value = serde_json::from_str(&caps).expect("main.json is JSON");
    let allowed: BTreeSet<String> = caps["permissions"]
        .as_array()
        .expect("permissions list")
        .iter()
        .filter_map(|p| p.as_str().or_else(|| p["identifier"].as_str()))
        .filter(|p| !p.contains(':'))
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(allowed, handlers, "capability file vs the handler list");

    let surface = read("ui/src/lib/bindings/commands.ts");
    let list = surface
        .lines()
        .find(|l| l.starts_with("export const COMMANDS = ["))
        .expect("COMMANDS in commands.ts");
    let listed: BTreeSet<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    assert_eq!(
        listed, handlers,
        "COMMANDS in commands.ts vs the handler list"
    );
    let start = surface
        .find("export interface Commands {")
        .expect("Commands interface");
    let iface = &surface[start..];
    let iface = &iface[..iface.find("\n}").expect("end of Commands")];
    let methods: BTreeSet<String> = iface
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            (!name.is_empty() && l[name.len()..].starts_with('(')).then_some(name)
        })
        .collect();
    let expected: BTreeSet<String> = handlers.iter().map(|h| camel(h)).collect();
    assert_eq!(
        methods, expected,
        "the Commands interface of commands.ts vs the handler list"
    );
    assert!(
        read("ui/src/lib/ipc/backend.ts").contains("export interface Backend extends Commands {"),
        "the UI's Backend must extend the generated Commands"
    );
    assert!(
        read("ui/src/lib/ipc/tauri.ts").contains("...commands(call)"),
        "the UI's real backend must be the generated commands over invoke"
    );
}

#[test]
fn every_tauri_command_body_is_at_most_three_lines() {
    let mut files = Vec::new();
    text_files(&repo_root().join("src-tauri"), &mut files);
    let mut commands = 0;
    let mut long = Vec::new();
    for (path, text) in &files {
        for (name, n) in command_bodies(text) {
            commands += 1;
            if n > MAX_COMMAND_BODY_LINES {
                long.push(format!("{} {name}: {n} lines", path.display()));
            }
        }
    }
    assert!(
        commands >= 30,
        "found only {commands} #[tauri::command] functions under src-tauri/"
    );
    assert!(
        long.is_empty(),
        "these commands do more than parse, call one studio-core method and present (at most \
         {MAX_COMMAND_BODY_LINES} lines); move the logic into studio-core's Workspace:\n  {}",
        long.join("\n  ")
    );
}

#[test]
fn command_bodies_are_counted_between_the_braces() {
    let text =
        "#[tauri::command]\npub async fn a(\n    x: u8,\n) -> u8 {\n    let y = x;\n    y\n}\n\
                #[tauri::command]\npub fn b() {}\n";
    assert_eq!(
        command_bodies(text),
        vec![("a".to_string(), 2), ("b".to_string(), 0)]
    );
}

// ---------------------------------------------------------------------------------------------
// `dsjwt` reaches studio-core only through `Workspace` (plus its argument parsing).

/// What `dsjwt` may name in studio-core: the workspace (`Workspace` and its answer types, every
/// public item of `studio_core::workspace`), and the value types it parses from its arguments or
/// prints (with their own methods and constants, e.g. `api::AuthServer::parse`). Nothing else: a
/// use case, a check or a decision (the keyring, the connections file, the state file, the
/// network, reading the files the flags name, the consent URL, a key's public half) goes through a
/// `Workspace` method. [`dsjwt_may_name_only_value_types`] keeps this list to types.
const DSJWT_MAY_NAME: &[&str] = &[
    "workspace",
    "problem::Problem",
    "problem::Hint",
    "action_result::ActionAnswer",
    "api::AuthServer",
    "api::AuthServerKind",
    "api::PrivateKeyBytes",
    "actions::ActionRequest",
    "actions::RoleInput",
    "actions::TabInput",
    "connections::Connection",
    "connections::ConnectionError",
    "connections::Chosen",
    "connections::Environment",
    "envelope_answers::FetchPolicy",
    "handoff::HandoffFormat",
    "health::CheckInput",
    "health::HealthReport",
    "health::Step",
    "health::StepStatus",
    "ledger::GoLiveStatus",
    "listing::ListingError",
    "listing::ListingFormat",
    "sandbox::EmulatorConfig",
    "sandbox::REMOTE_LISTEN_WARNING",
    "store::StoreError",
    "triggers::TriggerKind",
];

/// Every entry of [`DSJWT_MAY_NAME`] but `workspace` names one value type (`UpperCamelCase`) or
/// one constant (`UPPER_SNAKE_CASE`) in a module: no whole module, no function.
#[test]
fn dsjwt_may_name_only_value_types() {
    for entry in DSJWT_MAY_NAME.iter().filter(|e| **e != "workspace") {
        let segments: Vec<&str> = entry.split("::").collect();
        let last = segments.last().copied().unwrap_or_default();
        let is_type = last.starts_with(|c: char| c.is_ascii_uppercase())
            && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        assert!(
            segments.len() == 2 && is_type,
            "DSJWT_MAY_NAME holds {entry:?}: dsjwt may name only studio_core::workspace and the \
             value types it parses or prints (module::Type); reach a use case, a check or a \
             decision through a Workspace method"
        );
    }
}

/// Every occurrence of `prefix::` in `code` that starts a path (not `x::prefix::` or
/// `myprefix::`), with the paths it names after it.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let b = code.as_bytes();
    let kw = format!("{prefix}::");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = code[from..].find(&kw).map(|p| p + from) {
        from = pos + kw.len();
        if pos > 0 && (is_ident_byte(b[pos - 1]) || b[pos - 1] == b':' || b[pos - 1] == b'$') {
            continue;
        }
        let mut i = from;
        for mut segs in parse_tree(b, &mut i, 0) {
            if segs.last().map(String::as_str) == Some("self") {
                segs.pop();
            }
            found.push(segs);
        }
    }
    found
}

/// The studio-core paths a `dsjwt` source file names: `studio_core::…` anywhere in its code
/// (tests aside), and `m::…` after it imported a studio-core module as `m`, each as the path
/// inside studio-core (`api::PrivateKeyBytes::new` → `["api", "PrivateKeyBytes", "new"]`). A
/// glob import (`studio_core::x::*`) is given as `x::*`, so it is never allowed.
fn studio_core_paths(text: &str) -> Vec<Vec<String>> {
    let mut code = without_comments(text);
    if let Some(at) = code.find("#[cfg(test)]") {
        code.truncate(at);
    }
    let mut paths = paths_after(&code, "studio_core");
    let globs = code
        .match_indices("studio_core::")
        .filter_map(|(at, _)| code[at..].split(';').next())
        .map(|stmt| stmt.replace(char::is_whitespace, ""))
        .filter(|stmt| stmt.contains("::*"));
    for stmt in globs {
        let inside = stmt.trim_start_matches("studio_core::");
        paths.push(inside.split("::").map(String::from).collect());
    }
    let modules: BTreeSet<Vec<String>> = paths
        .iter()
        .filter(|p| {
            p.last()
                .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_lowercase()))
        })
        .cloned()
        .collect();
    for module in modules {
        let alias = module.last().cloned().unwrap_or_default();
        for rest in paths_after(&code, &alias) {
            let mut full = module.clone();
            full.extend(rest);
            paths.push(full);
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// Whether `dsjwt` may name `path`: an allowed item or something inside it, or a module on the
/// way to one (whose own uses are then checked as `module::…`).
fn dsjwt_may_name(path: &[String]) -> bool {
    !path.is_empty()
        && DSJWT_MAY_NAME.iter().any(|allowed| {
            let allowed: Vec<&str> = allowed.split("::").collect();
            let n = allowed.len().min(path.len());
            allowed[..n] == path[..n].iter().map(String::as_str).collect::<Vec<_>>()[..]
        })
}

/// Every studio-core path the files under `src` name that `dsjwt` may not, as `file: path`.
fn dsjwt_reaches_outside_workspace(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    text_files(src, &mut files);
    let mut out = Vec::new();
    for (file, text) in files {
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for path in studio_core_paths(&text) {
            if !dsjwt_may_name(&path) {
                let rel = file
                    .strip_prefix(src)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                out.push(format!("{rel}: studio_core::{}", path.join("::")));
            }
        }
    }
    out
}

#[test]
fn dsjwt_reaches_studio_core_only_through_workspace() {
    let src = repo_root().join("crates/dsjwt/src");
    assert!(src.join("main.rs").is_file(), "no {}", src.display());
    let outside = dsjwt_reaches_outside_workspace(&src);
    assert!(
        outside.is_empty(),
        "dsjwt names these studio-core paths directly; go through a Workspace method (add one \
         to crates/studio-core/src/workspace/ when the CLI needs what the app does not), or, for \
         a value type it parses or prints, add the type to DSJWT_MAY_NAME:\n  {}",
        outside.join("\n  ")
    );
}

#[test]
fn studio_core_paths_follow_module_imports() {
    let text = "use studio_core::api::{self, files};\nuse studio_core::workspace::Workspace;\n\
                use studio_core::sandbox::*;\n\
                fn f() { let k = api::PrivateKeyBytes::new(v); files::read_capped(p); \
                studio_core::store::Store::open(d); x::api::Nope; }\n\
                // studio_core::support::write_bundle\n#[cfg(test)]\nmod tests { use studio_core::x; }\n";
    let p = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert_eq!(
        studio_core_paths(text),
        vec![
            p("api"),
            p("api::PrivateKeyBytes::new"),
            p("api::files"),
            p("api::files::read_capped"),
            p("sandbox"),
            p("sandbox::*"),
            p("store::Store::open"),
            p("workspace::Workspace"),
        ]
    );
    let outside: Vec<bool> = studio_core_paths(text)
        .iter()
        .map(|path| dsjwt_may_name(path))
        .collect();
    assert_eq!(
        outside,
        vec![true, true, false, false, true, false, false, true]
    );
}

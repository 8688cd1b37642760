//! The desktop app's IPC surface for the UI (`ui/src/lib/bindings/commands.ts`): one typed
//! function per `#[tauri::command]` under `src-tauri/commands/` (the same functions build.rs
//! turns into the handler list and the permissions, so the list is written once), and the
//! window events of `studio_core::desktop::events::ALL` with their payloads.
//!
//! A command's TypeScript function: its name in camelCase, its arguments (the shell's own
//! `St`/`AppHandle` left out) in camelCase as Tauri expects them, each argument's type and the
//! answer's type (`Answer<T>` is `T`; its error is the generated `Problem`) from the ts-rs
//! names of the exported types. A type the generator does not know fails the test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use studio_core::desktop::events;

/// One command as its Rust function declares it.
#[derive(Debug)]
pub struct Command {
    /// The function's name (the command's name).
    pub name: String,
    /// Its `///` lines.
    pub doc: Vec<String>,
    /// `(argument, Rust type)`, the shell's own arguments left out.
    pub args: Vec<(String, String)>,
    /// The Rust answer type (`()` when none).
    pub answer: String,
}

/// Every `#[tauri::command]` function under `dir`, files in name order.
pub fn commands(dir: &Path) -> Vec<Command> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("src-tauri/commands")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read a command file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim() != "#[tauri::command]" {
                continue;
            }
            let doc = lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with("///"))
                .map(|l| l.trim_start().trim_start_matches("///").trim().to_string())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let mut signature = String::new();
            for l in &lines[i + 1..] {
                signature.push_str(l.trim());
                signature.push(' ');
                if l.trim_end().ends_with('{') {
                    break;
                }
            }
            found.push(parse_signature(&signature, doc));
        }
    }
    found
}

/// `pub async fn name(args) -> Answer {`.
fn parse_signature(signature: &str, doc: Vec<String>) -> Command {
    let after_fn = signature
        .split_once("fn ")
        .unwrap_or_else(|| panic!("no fn in {signature}"))
        .1;
    let (name, rest) = after_fn.split_once('(').expect("(");
    let close = matching(rest, 0, '(', ')');
    let (params, tail) = (&rest[..close], &rest[close + 1..]);
    let answer = tail
        .trim()
        .trim_end_matches('{')
        .trim()
        .strip_prefix("->")
        .map_or("()".to_string(), |t| t.trim().to_string());
    let args = split_top(params)
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, t) = p.split_once(':').unwrap_or_else(|| panic!("argument {p}"));
            (n.trim().to_string(), t.trim().to_string())
        })
        .filter(|(_, t)| !t.starts_with("St<") && t != "AppHandle")
        .collect();
    Command {
        name: name.trim().to_string(),
        doc,
        args,
        answer,
    }
}

/// Where the bracket opened before `from` closes (the text starts inside it).
fn matching(text: &str, from: usize, open: char, close: char) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices().skip(from) {
        match c {
            c if c == open => depth += 1,
            c if c == close && depth == 0 => return i,
            c if c == close => depth -= 1,
            _ => {}
        }
    }
    panic!("unbalanced {open}{close} in {text}")
}

/// Splits at the commas outside `<…>` and `(…)`.
fn split_top(text: &str) -> Vec<String> {
    let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
    for c in text.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current.trim().to_string());
    parts
}

/// The TypeScript of a Rust type; `named`: the ts-rs name of each exported type; `used`
/// collects the exported types it names (for the imports).
fn ts_type(rust: &str, named: &BTreeMap<String, String>, used: &mut BTreeSet<String>) -> String {
    let rust = rust.trim();
    if rust == "()" {
        return "void".into();
    }
    let (head, args) = match rust.split_once('<') {
        Some((h, a)) => (h.trim(), split_top(a.trim().strip_suffix('>').expect(">"))),
        None => (rust, Vec::new()),
    };
    let head = head.rsplit("::").next().unwrap_or(head);
    let mut arg = |i: usize| ts_type(&args[i], named, used);
    match head {
        "Answer" => arg(0),
        "Option" => format!("{} | null", arg(0)),
        "Vec" => format!("Array<{}>", arg(0)),
        "String" | "PathBuf" => "string".into(),
        "bool" => "boolean".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "f64" => "number".into(),
        other => {
            let ts = named.get(other).unwrap_or_else(|| {
                panic!("`{other}` crosses IPC but has no TypeScript binding: add it to export!(…) in tests/ts_bindings.rs")
            });
            used.insert(ts.clone());
            ts.clone()
        }
    }
}

/// `get_connection` → `getConnection`.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// A JSDoc block of `lines`, indented by `indent`.
fn jsdoc(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        many => {
            let body: String = many.iter().map(|l| format!("{indent} * {l}\n")).collect();
            format!("{indent}/**\n{body}{indent} */\n")
        }
    }
}

/// The text of `commands.ts`.
pub fn commands_ts(commands: &[Command], named: &BTreeMap<String, String>) -> String {
    let mut used = BTreeSet::new();
    let (mut iface, mut imp) = (String::new(), String::new());
    for c in commands {
        let answer = ts_type(&c.answer, named, &mut used);
        // Trailing `Option` arguments may be left out (sent as null).
        let optional_from = c
            .args
            .iter()
            .rposition(|(_, t)| !t.starts_with("Option<"))
            .map_or(0, |i| i + 1);
        let params: Vec<String> = c
            .args
            .iter()
            .enumerate()
            .map(|(i, (n, t))| {
                let mark = if i >= optional_from { "?" } else { "" };
                format!("{}{mark}: {}", camel(n), ts_type(t, named, &mut used))
            })
            .collect();
        let names: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
        let sent: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| match i >= optional_from {
                true => format!("{n}: {n} ?? null"),
                false => n.clone(),
            })
            .collect();
        let method = camel(&c.name);
        iface.push_str(&jsdoc(&c.doc, "  "));
        iface.push_str(&format!(
            "  {method}({}): Promise<{answer}>;\n",
            params.join(", ")
        ));
        let call = match sent.is_empty() {
            true => format!("invoke<{answer}>(\"{}\")", c.name),
            false => format!(
                "invoke<{answer}>(\"{}\", {{ {} }})",
                c.name,
                sent.join(", ")
            ),
        };
        imp.push_str(&format!(
            "    {method}: ({}) => {call},\n",
            names.join(", ")
        ));
    }
    let mut events_ts = String::new();
    for e in events::ALL {
        let payload = ts_type(e.payload, named, &mut used);
        let doc: Vec<String> = e.doc.iter().map(|d| d.trim().to_string()).collect();
        events_ts.push_str(&jsdoc(&doc, "  "));
        events_ts.push_str(&format!("  \"{}\": {payload};\n", e.name));
    }
    let imports: String = used
        .iter()
        .map(|t| format!("import type {{ {t} }} from \"./{t}\";\n"))
        .collect();
    let names: Vec<String> = commands.iter().map(|c| format!("\"{}\"", c.name)).collect();
    let event_names: Vec<String> = events::ALL
        .iter()
        .map(|e| format!("\"{}\"", e.name))
        .collect();
    format!(
        "// Generated by crates/studio-core/tests/ts_bindings.rs from the #[tauri::command] functions in src-tauri/commands/ and studio_core::desktop::events. Do not edit this file manually.\n\
{imports}\n\
/** Every command the desktop shell registers, by name. */\n\
export const COMMANDS = [{}] as const;\n\n\
/** A command's name. */\n\
export type CommandName = (typeof COMMANDS)[number];\n\n\
/** Calls one command (Tauri's `invoke`, or a wrapper around it); a failure rejects with a `Problem`. */\n\
export type Invoke = <T>(command: CommandName, args?: Record<string, unknown>) => Promise<T>;\n\n\
/** Every command as one typed function: its arguments and its answer as the Rust function takes and gives them. */\n\
export interface Commands {{\n{iface}}}\n\n\
/** The commands over `invoke`. */\n\
export function commands(invoke: Invoke): Commands {{\n  return {{\n{imp}  }};\n}}\n\n\
/** Every window event the shell emits, by name, with its payload. */\n\
export interface Events {{\n{events_ts}}}\n\n\
/** Every event's name. */\n\
export const EVENTS = [{}] as const;\n",
        names.join(", "),
        event_names.join(", "),
    )
}

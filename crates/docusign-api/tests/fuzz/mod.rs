//! The property-test harness shared by the `properties` tests (docusign-api and studio-core):
//! runs one target under proptest with the case count and time bound from the environment, and
//! prints one line per target for `scripts/fuzz.sh`:
//! `fuzz <target>: cases <n>, panics <n>, hangs <n>`.
#![allow(dead_code, clippy::unwrap_used)]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Cases per target: `PROPTEST_CASES`, else 256 (the normal test command).
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256)
}

/// The time bound of one case, in milliseconds: `FUZZ_TIMEOUT_MS`, else 10,000. A case over it
/// is a hang.
pub fn timeout_ms() -> u32 {
    std::env::var("FUZZ_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10_000)
}

/// Runs `test` on `cases()` values of `strategy` in a child process (so a hang is caught by
/// the time bound), prints the target's line, and fails the test on a panic, a hang or a broken
/// property (with proptest's smallest failing input). `name` is the test's path,
/// `concat!(module_path!(), "::<test fn>")`.
pub fn run<S>(name: &'static str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let cases = cases();
    let config = Config {
        cases,
        timeout: timeout_ms(),
        fork: true,
        test_name: Some(name),
        failure_persistence: None,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, test);
    let target = name.rsplit("::").next().unwrap_or(name);
    let (panics, hangs) = match &result {
        Ok(()) => (0, 0),
        Err(TestError::Fail(reason, _)) => {
            let r = reason.to_string();
            if r.contains("Timeout of") || r.contains("Timed out") {
                (0, 1)
            } else {
                (1, 0)
            }
        }
        Err(TestError::Abort(_)) => (1, 0),
    };
    let run = if result.is_ok() {
        cases.to_string()
    } else {
        // proptest stops at the first failure; its summary counts the successes before it.
        let summary = runner.to_string();
        let successes = summary
            .split("successes: ")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
        (successes + 1).to_string()
    };
    println!("fuzz {target}: cases {run}, panics {panics}, hangs {hangs}");
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
}

/// One change to a byte string: `(position, kind, byte)`.
pub type Edit = (usize, u8, u8);

/// Up to 8 random edits.
pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8)
}

/// `base` with `edits` applied: delete, insert, replace or flip one byte, cut the rest,
/// or repeat a slice.
pub fn mutated(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = base.to_vec();
    for &(pos, kind, byte) in edits {
        let at = if out.is_empty() {
            0
        } else {
            pos % (out.len() + 1)
        };
        match kind % 6 {
            0 if at < out.len() => {
                out.remove(at);
            }
            1 => out.insert(at, byte),
            2 if at < out.len() => out[at] = byte,
            3 if at < out.len() => out[at] ^= 1 << (byte % 8),
            4 => out.truncate(at),
            5 => {
                let end = (at + usize::from(byte)).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            _ => {}
        }
    }
    out
}

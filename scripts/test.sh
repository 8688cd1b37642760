#!/usr/bin/env bash
# The test command: every test of the project, from a fresh Debian machine.
#   bash scripts/test.sh
# Installs what is missing (Debian packages, a Python venv with the official
# docusign-esign SDK), checks the style (cargo fmt --check, clippy -D warnings,
# svelte-check), builds the workspace, runs the Rust tests (real RSA keys, real
# HTTPS to the emulator) and the official-SDK tests (Python and Node).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
# The desktop app: WebKitGTK, Xvfb, WebKitWebDriver, tauri-driver, the UI's npm packages.
source scripts/app-setup.sh --e2e

# Every runner's output is also kept here, for the one-line summary at the end.
LOG="$(mktemp -t dsjwt-tests-XXXXXX.log)"
trap 'rm -f "$LOG"' EXIT

# Style gates first, so a formatting slip or a lint fails in seconds rather than after the tests.
# clippy compiles the desktop app, which embeds ui/dist: the UI is built before it.
echo "== style gates: rustfmt, svelte-check, then the UI build and clippy (warnings are errors)" >&2
cargo fmt --all --check
npm --prefix ui run check
npm --prefix ui run build --silent
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== build (every crate and the desktop app)" >&2
cargo build --workspace --all-targets --locked

echo "== Rust tests (with a real, throwaway Secret Service for the keyring tests)" >&2
bash scripts/with-keyring.sh cargo test --workspace --locked 2>&1 | tee -a "$LOG"

echo "== property tests, short mode (1,000 cases per target; bash scripts/fuzz.sh runs 1,000,000)" >&2
bash scripts/fuzz.sh --short

echo "== desktop app: UI unit tests and end-to-end tests in the real window" >&2
bash scripts/app-e2e.sh 2>&1 | tee -a "$LOG"

echo "== official docusign-esign Python SDK against the emulator" >&2
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r tests/sdk/requirements.txt
DSJWT_BIN="$PWD/target/debug/dsjwt" .venv/bin/python -m pytest -q tests/sdk 2>&1 | tee -a "$LOG"

echo "== official docusign-esign Node SDK against the emulator" >&2
# The SDK is installed once, pinned by bench/node/package-lock.json (the benchmarks use the same copy).
if [ ! -d bench/node/node_modules ] || [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  npm --prefix bench/node ci --no-audit --no-fund --loglevel=error
fi
NODE_PATH="$PWD/bench/node/node_modules" DSJWT_BIN="$PWD/target/debug/dsjwt" node tests/node-sdk/run.js 2>&1 | tee -a "$LOG"

echo "== the .deb package: release build, metadata, files, lintian, sizes, first screen under Xvfb" >&2
# The release build (fat LTO, one codegen unit) is the slow part; see docs/benchmarks.md.
bash scripts/package-smoke.sh

echo "== benchmarks, short mode (each comparison once, small sizes; fails if one breaks)" >&2
bash bench/run.sh --short

# Reached only when everything passed (set -e, pipefail): one line with the totals.
rust=$({ grep -aoE 'test result: ok\. [0-9]+ passed' "$LOG" || true; } | awk '{s+=$4} END {print s+0}')
ui=$({ sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -aoE 'Tests +[0-9]+ passed' || true; } | awk '{s+=$2} END {print s+0}')
sdk=$({ grep -aoE '^[0-9]+ passed' "$LOG" || true; } | awk '{s+=$1} END {print s+0}')
node_sdk=$({ grep -aoE '^# pass [0-9]+' "$LOG" || true; } | awk '{s+=$3} END {print s+0}')
echo "Rust ${rust}, UI ${ui}, official SDK ${sdk} (Python) + ${node_sdk} (Node); benchmarks (short mode) ran."
echo "tests: $((rust + ui + sdk + node_sdk)) passed, 0 failed"

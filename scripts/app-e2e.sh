#!/usr/bin/env bash
# The desktop app's tests, headless: the UI's unit tests (vitest), then the end-to-end tests
# of the real app (tests/e2e_app.rs) under Xvfb, through tauri-driver and WebKitWebDriver,
# inside a private D-Bus session with an unlocked gnome-keyring, against the built-in sandbox.
#   bash scripts/app-e2e.sh
# Screenshots: target/e2e-screenshots/. DSJWT_E2E_DOCS=1 also refreshes docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/app-setup.sh --e2e

echo "== UI unit tests (vitest)" >&2
npm --prefix ui test --silent

echo "== building the UI" >&2
npm --prefix ui run build --silent

echo "== desktop app end to end (Xvfb + tauri-driver + WebKitWebDriver + Secret Service)" >&2
# A private D-Bus session with an unlocked, throw-away gnome-keyring (scripts/with-keyring.sh).
bash scripts/with-keyring.sh cargo test --locked --test e2e_app -- --ignored --test-threads=1

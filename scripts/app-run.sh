#!/usr/bin/env bash
# The run command for the desktop app: installs what is missing (Debian packages, the UI's npm
# packages), builds the UI and the app, and opens the window.
#   bash scripts/app-run.sh                     # your own connections (config shared with dsjwt)
#   bash scripts/app-run.sh --data-dir DIR      # everything under DIR (a throw-away profile)
# With nothing configured the app offers the built-in sandbox first: no DocuSign account needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/app-setup.sh

echo "== building the UI" >&2
npm --prefix ui run build --silent
echo "== building the app" >&2
cargo build --locked --bin docusign-jwt-studio

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: the app needs a desktop session (DISPLAY or WAYLAND_DISPLAY)." >&2
  echo "Headless, the end-to-end tests drive it under Xvfb: bash scripts/app-e2e.sh" >&2
  exit 2
fi
exec target/debug/docusign-jwt-studio "$@"

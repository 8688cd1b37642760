#!/usr/bin/env bash
# Installs what the desktop app needs on Debian 12, only what is missing (sourced by
# app-run.sh and app-e2e.sh; safe to run on its own):
#   bash scripts/app-setup.sh          # build: WebKitGTK headers, Node 20 check, UI packages
#   bash scripts/app-setup.sh --e2e    # also Xvfb, WebKitWebDriver, D-Bus, gnome-keyring, tauri-driver
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

app_e2e=0
for a in "$@"; do [ "$a" = "--e2e" ] && app_e2e=1; done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
dpkg_has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in libwebkit2gtk-4.1-dev librsvg2-dev pkg-config libdbus-1-dev; do dpkg_has "$p" || need+=("$p"); done
if [ $app_e2e -eq 1 ]; then
  for p in xvfb xauth webkit2gtk-driver dbus gnome-keyring libsecret-tools; do dpkg_has "$p" || need+=("$p"); done
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "app-setup: installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node 20+ and npm build the UI (Vite 7 needs Node 20.19 or newer).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "app-setup: Node.js 20 and npm are needed to build the UI; install them (e.g. from nodejs.org or NodeSource) and run this again." >&2
  exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "app-setup: Node.js $(node --version) is too old; the UI build needs Node 20 or newer." >&2
  exit 2
fi

# The UI's packages, exactly as locked (re-installed when the lock file changes).
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "app-setup: installing the UI's npm packages (npm ci)" >&2
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; else
    echo "app-setup: cargo (Rust) is not installed. Install Rust with rustup (https://rustup.rs), then run this again." >&2
    exit 2
  fi
fi

if [ $app_e2e -eq 1 ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "app-setup: installing tauri-driver (cargo install, about 30 s)" >&2
  cargo install tauri-driver --version '^2' --locked --quiet
fi
export PATH="$HOME/.cargo/bin:$PATH"

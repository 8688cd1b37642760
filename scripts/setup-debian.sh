#!/usr/bin/env bash
# Installs what DocuSign JWT Studio needs on a fresh Debian machine (as root,
# or with sudo). Idempotent: installs only what is missing.
set -euo pipefail

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

have curl || need_apt+=(curl)
have python3 || need_apt+=(python3)
if have python3 && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
have pkg-config || need_apt+=(pkg-config)
[ -e /etc/ssl/certs/ca-certificates.crt ] || need_apt+=(ca-certificates)
have cc || need_apt+=(gcc libc6-dev)
# The OS keyring (Secret Service over D-Bus): building the desktop app needs libdbus-1-dev (dsjwt
# compiles its own libdbus: crates/dsjwt/Cargo.toml); the tests run a
# real, throwaway gnome-keyring inside dbus-run-session (scripts/with-keyring.sh).
dpkg -s libdbus-1-dev >/dev/null 2>&1 || need_apt+=(libdbus-1-dev)
have dbus-run-session || need_apt+=(dbus)
have gnome-keyring-daemon || need_apt+=(gnome-keyring)
have secret-tool || need_apt+=(libsecret-tools)

if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! have cargo; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: cargo (Rust) is not installed. Install Rust with rustup (https://rustup.rs), then run this again." >&2
    exit 2
  fi
fi

# The style gates of the test command need rustfmt and clippy (rustup installs them on request).
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup_bin="$(command -v rustup || echo "$HOME/.cargo/bin/rustup")"
  if [ -x "$rustup_bin" ]; then
    echo "setup: installing the rustfmt and clippy components" >&2
    "$rustup_bin" component add rustfmt clippy
  else
    echo "setup: cargo fmt and cargo clippy are needed (rustup component add rustfmt clippy); install them and run this again." >&2
    exit 2
  fi
fi

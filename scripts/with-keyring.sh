#!/usr/bin/env bash
# Runs a command with a real, throwaway Secret Service: a private D-Bus session
# (dbus-run-session) with gnome-keyring's secrets component, unlocked, keeping its
# keyring under a temporary HOME that is deleted afterwards. Nothing touches your
# own keyring.
#
#   bash scripts/with-keyring.sh cargo test -p studio-core --test connections
#   bash scripts/with-keyring.sh cargo test -p studio-core
#
# Needs (Debian): dbus gnome-keyring libsecret-tools (secret-tool, used by the
# tests to look at the keyring from outside); building needs libdbus-1-dev pkg-config.
# The tests that need a keyring fail without one (none of them is skipped).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
missing=()
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || missing+=(libsecret-tools)
if [ ${#missing[@]} -gt 0 ]; then
  echo "with-keyring: missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 2
fi

# Keep cargo and rustup where they are although HOME changes.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

KR_HOME="$(mktemp -d "${TMPDIR:-/tmp}/dsjwt-keyring.XXXXXX")"
export KR_HOME
# gnome-keyring-daemon --daemonize leaves the D-Bus session's process group, and does not always
# exit when that session ends: stop the one started here (found by the HOME it was given, so
# keyrings of other runs are left alone), then delete its folder.
stop_keyring() {
  local pid
  for pid in $(pgrep -x gnome-keyring-d 2>/dev/null || true); do
    if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "HOME=$KR_HOME"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$KR_HOME"
}
trap stop_keyring EXIT

# The inner script: new HOME/XDG dirs, an unlocked "login" keyring, then the command.
# shellcheck disable=SC2016
dbus-run-session -- bash -c '
  set -euo pipefail
  export HOME="$KR_HOME"
  export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
  export XDG_RUNTIME_DIR="$HOME/.run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(printf "throwaway-test-password" | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
  export GNOME_KEYRING_CONTROL
  exec "$@"
' with-keyring "$@"

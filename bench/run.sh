#!/usr/bin/env bash
# The benchmark command: installs what is missing, builds, starts the emulator, runs every
# comparison several times and writes docs/benchmarks.md with its plots (docs/benchmarks/*.png).
#
#   bash bench/run.sh             # the full run (about 15-25 min on 2 cores, more if it builds the app)
#   bash bench/run.sh --short     # CI smoke test: every comparison once, small sizes, debug builds,
#                                 # report to a temp file (docs/ untouched); exit 1 if any comparison breaks
#   bash bench/run.sh --no-app    # skip building the desktop app (its rows say "not measured")
#   bash bench/run.sh --out FILE  # write the report elsewhere
#   bash bench/run.sh --only app,listing  # run only these sections; the page keeps the others' figures
#
# Installs (Debian, as root or with sudo): time, xvfb, x11-utils, imagemagick, dbus, nodejs/npm if
# missing; a Python venv in bench/.venv (bench/requirements.txt: docusign-esign==6.1.0,
# matplotlib); the Node SDK in bench/node (npm ci, bench/node/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

short=0
no_app=0
pass=()
for a in "$@"; do
  case "$a" in
    --short) short=1; pass+=("$a") ;;
    --no-app) no_app=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) pass+=("$a") ;;
  esac
done

# Debian packages shared with the project (curl, python3-venv, a C compiler, libdbus-1-dev, ...).
source scripts/setup-debian.sh
# What the bench itself needs.
need=()
dpkg_has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
[ -x /usr/bin/time ] || need+=(time)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xwininfo >/dev/null 2>&1 || need+=(x11-utils)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "bench: installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Python: the official SDK (pinned) and matplotlib, in bench/.venv.
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
if [ ! -f bench/.venv/.installed ] || [ bench/requirements.txt -nt bench/.venv/.installed ]; then
  echo "bench: installing bench/requirements.txt into bench/.venv" >&2
  bench/.venv/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements.txt
  touch bench/.venv/.installed
fi

# Node: the official SDK, exactly as locked.
if [ ! -d bench/node/node_modules ] || [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  echo "bench: installing the Node SDK (npm ci in bench/node)" >&2
  npm --prefix bench/node ci --no-audit --no-fund --loglevel=error
fi

# Rust: the CLI and the criterion bench (cargo waits for the shared target dir's lock). The full
# run uses release builds; --short uses the debug builds that scripts/test.sh already made.
if [ $short -eq 1 ]; then
  echo "bench: building dsjwt and the criterion bench (debug, --short)" >&2
  cargo build --locked -p dsjwt
  cargo test --locked --no-run -p studio-core --bench token_reuse
else
  echo "bench: building dsjwt (release) and the criterion bench" >&2
  cargo build --release --locked -p dsjwt
  cargo bench --locked --no-run -p studio-core --bench token_reuse
fi

# The desktop app (full run only). If it does not build, its rows say why; the run goes on.
app_status="$(mktemp "${TMPDIR:-/tmp}/dsjwt-bench-app.XXXXXX")"
trap 'rm -f "$app_status"' EXIT
if [ $short -eq 1 ]; then
  # --short measures the debug app that scripts/test.sh builds, if it is there; it builds nothing
  if [ ! -x target/debug/docusign-jwt-studio ]; then
    echo "not built (--short measures target/debug/docusign-jwt-studio, which scripts/test.sh builds; it builds no app itself)" >"$app_status"
  fi
elif [ $no_app -eq 1 ]; then
  echo "skipped (--no-app)" >"$app_status"
else
  app_log="$(mktemp "${TMPDIR:-/tmp}/dsjwt-bench-app-build.XXXXXX")"
  echo "bench: building the desktop app (release, custom-protocol); log: $app_log" >&2
  # (&& chains: `set -e` does not apply inside a tested subshell)
  if ! (
        # scripts/app-setup.sh: WebKitGTK headers, Node check, `npm --prefix ui ci` when the lock
        # changed; --e2e adds Xvfb, WebKitWebDriver and tauri-driver (for bench/app_wizard.py)
        if [ -f scripts/app-setup.sh ]; then
          bash scripts/app-setup.sh --e2e || exit 1
        elif [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
          npm --prefix ui ci --no-audit --no-fund --loglevel=error || exit 1
        fi
        npm --prefix ui run build && cargo build --release --locked -p docusign-jwt-studio --features custom-protocol
      ) >"$app_log" 2>&1; then
    reason="$(grep -m1 -E '^error(\[|:)' "$app_log" || tail -n 1 "$app_log")"
    echo "the app did not build: ${reason:0:300} (full log: $app_log)" >"$app_status"
    echo "bench: the desktop app did not build; its rows will say so" >&2
  fi
fi

# bench.py's own tests (report writing, `--only` merging): standard library only, a second or so.
if [ $short -eq 1 ]; then
  echo "bench: testing bench.py's report writing (bench/test_bench.py)" >&2
  bench/.venv/bin/python -m unittest discover -q -s bench -p 'test_*.py'
fi

rc=0
bench/.venv/bin/python bench/bench.py --app-build-status "$app_status" --command "bash bench/run.sh${*:+ $*}" "${pass[@]}" || rc=$?
exit $rc

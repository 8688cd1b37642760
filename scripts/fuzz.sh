#!/usr/bin/env bash
# The property tests (crates/docusign-api/tests/properties.rs, crates/studio-core/tests/properties.rs)
# at fuzzing strength: the key loader, the URL/ID/date validators, the Content-Disposition parser,
# the DocuSign JSON decoders and every action's input checks.
#   bash scripts/fuzz.sh            # 1,000,000 cases per target (hours on a laptop)
#   bash scripts/fuzz.sh --short    # 1,000 cases per target (the test command runs this)
#   PROPTEST_CASES=N bash scripts/fuzz.sh   # any other count
# Prints one line per target: cases run, panics (a panic or a broken property) and hangs (a case
# over FUZZ_TIMEOUT_MS, default 10,000 ms). Exits 1 unless every target ran all its cases with
# 0 panics and 0 hangs; a failing target's smallest failing input is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=1000000
if [ "${1:-}" = "--short" ]; then
  cases=1000
fi
export PROPTEST_CASES="${PROPTEST_CASES:-$cases}"
export FUZZ_TIMEOUT_MS="${FUZZ_TIMEOUT_MS:-10000}"

out="$(mktemp -t dsjwt-fuzz-XXXXXX.log)"
trap 'rm -f "$out"' EXIT
echo "== property tests: ${PROPTEST_CASES} cases per target, a hang is a case over ${FUZZ_TIMEOUT_MS} ms" >&2
status=0
cargo test --workspace --locked --test properties -- --nocapture >"$out" 2>&1 || status=$?

# The test binaries' own targets, from the sources: every fuzz::run call is one target.
expected=$(grep -h 'fuzz::run' -A1 crates/*/tests/properties.rs | grep -oE 'module_path!\(\), "::[a-z_]+"' | sed -E 's/.*"::([a-z_]+)"/\1/' | sort)
printf '%-22s %10s %7s %6s\n' target cases panics hangs
ok=1
for t in $expected; do
  line=$(grep -aE "^fuzz $t: " "$out" | tail -1 || true)
  if [ -z "$line" ]; then
    printf '%-22s %10s %7s %6s\n' "$t" "not run" - -
    ok=0
    continue
  fi
  n=$(sed -E 's/.*cases ([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*panics ([0-9]+).*/\1/' <<<"$line")
  h=$(sed -E 's/.*hangs ([0-9]+).*/\1/' <<<"$line")
  printf '%-22s %10s %7s %6s\n' "$t" "$n" "$p" "$h"
  if [ "$n" != "$PROPTEST_CASES" ] || [ "$p" != 0 ] || [ "$h" != 0 ]; then
    ok=0
  fi
done
if [ "$status" -ne 0 ] || [ "$ok" -ne 1 ]; then
  echo "fuzz: FAILED (cargo exit $status). The failing inputs:" >&2
  grep -aE -A12 'minimal failing input|^error(\[|:)' "$out" >&2 || tail -40 "$out" >&2
  exit 1
fi
echo "fuzz: $(wc -w <<<"$expected") targets, ${PROPTEST_CASES} cases each, 0 panics, 0 hangs"

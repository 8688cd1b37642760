#!/usr/bin/env bash
# The CLI walkthrough: starts the sandbox (the local DocuSign emulator) and walks
# a JWT connection through the health check end to end, offline:
#   1. check before consent  -> consent_required, with the consent URL
#   2. grant consent on the sandbox's consent page (Allow), as a person would
#   3. check again           -> healthy
#   bash scripts/cli-demo.sh            # then stops the sandbox
#   bash scripts/cli-demo.sh --keep     # keeps the sandbox running until Ctrl-C
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-debian.sh
keep=0
[ "${1:-}" = "--keep" ] && keep=1

cargo build --locked -q -p dsjwt
bin="$PWD/target/debug/dsjwt"
data="$(mktemp -d -t dsjwt-sandbox-XXXXXX)"
fifo="$data/ready"
mkfifo "$fifo"
"$bin" emulator --data-dir "$data" >"$fifo" &
emu=$!
trap 'kill $emu 2>/dev/null || true; wait $emu 2>/dev/null || true; rm -rf "$data"' EXIT
read -r ready <"$fifo"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ready" "$1"; }
url=$(field url); ca=$(field ca_cert); key=$(field private_key)
ik=$(field integration_key); uid=$(field user_id); acc=$(field account_id)
base=$(field base_uri); redirect=$(field redirect_uri)
echo "Sandbox running at $url"
echo

export DSJWT_INTEGRATION_KEY="$ik" DSJWT_USER_ID="$uid" DSJWT_PRIVATE_KEY_FILE="$key" \
       DSJWT_ACCOUNT_ID="$acc" DSJWT_BASE_URI="$base" DSJWT_AUTH_SERVER="$url" \
       DSJWT_CA_CERT="$ca" DSJWT_REDIRECT_URI="$redirect"

echo "== 1. Health check before consent"
"$bin" check || true
echo

echo "== 2. Granting consent on the sandbox's consent page (clicking Allow)"
consent_url=$("$bin" consent-url)
echo "   $consent_url"
page=$(curl -sS --cacert "$ca" "$consent_url")
echo "$page" | grep -q 'value="allow"' || { echo "consent page did not show an Allow button" >&2; exit 1; }
location=$(curl -sS --cacert "$ca" -o /dev/null -w '%{redirect_url}' \
  --data-urlencode "client_id=$ik" --data-urlencode "redirect_uri=$redirect" \
  --data-urlencode "scope=signature impersonation" --data-urlencode "user_id=$uid" \
  --data-urlencode "decision=allow" "$url/oauth/auth")
echo "   redirected to: ${location%%code=*}code=…"
echo

echo "== 3. Health check after consent"
"$bin" check
echo
if [ $keep -eq 1 ]; then
  echo "The sandbox keeps running at $url (Ctrl-C to stop). Connection values are in these variables:"
  env | grep '^DSJWT_' | sed 's/^/  export /'
  wait $emu
fi
